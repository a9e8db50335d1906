//! The results of checking payloads, as plain data that any reporter renders.

use crate::position::Snippet;
use compact_str::CompactString;
use std::sync::Arc;

/// Whether a finding fails the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The payload is invalid.
    Error,
    /// Worth a look; an error only under `--strict`.
    Warning,
}

/// One problem found in a payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// JSON pointer of the value (`""` for the whole payload or a syntax error).
    pub path: String,
    /// 1-based line in the source.
    pub line: usize,
    /// 1-based column in the source, in characters.
    pub column: usize,
    /// For errors, the schema keyword that failed (or `syntax`, `event`, ...);
    /// for warnings, the stable warning code.
    pub rule: String,
    /// A plain-language explanation.
    pub message: String,
    /// The source line with a caret under the value, secrets masked.
    pub snippet: Option<Snippet>,
}

/// The verdict on one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadResult {
    /// Where the payload came from: a path, or `-` for stdin (shared by
    /// every payload of the source).
    pub source: Arc<str>,
    /// 0-based position of the payload in its source.
    pub index: usize,
    /// 1-based line where the payload starts.
    pub line: usize,
    /// The event validated against (or the unknown `meta.eventName` found).
    /// Short strings are held inline, so a valid payload's verdict allocates
    /// nothing: verdicts wait in batches on other threads, and small heap
    /// blocks left among a worker's parse trees defeat its allocator's cache.
    pub event: Option<CompactString>,
    /// `learningRecord.objectId`, when it is a string (held inline too).
    pub object_id: Option<CompactString>,
    /// Problems that make the payload invalid.
    pub errors: Vec<Finding>,
    /// Problems that do not, unless `--strict`.
    pub warnings: Vec<Finding>,
    /// The payload is not well-formed JSON (or could not be read as such).
    pub malformed: bool,
}

impl PayloadResult {
    /// Whether the payload passed.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Counts over a run, for the closing summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Payloads checked.
    pub payloads: usize,
    /// Payloads without errors.
    pub valid: usize,
    /// Payloads with errors.
    pub invalid: usize,
    /// Warnings over all payloads.
    pub warnings: usize,
}

impl Summary {
    /// Counts one more result.
    pub fn add(&mut self, result: &PayloadResult) {
        self.payloads += 1;
        if result.is_valid() {
            self.valid += 1;
        } else {
            self.invalid += 1;
        }
        self.warnings += result.warnings.len();
    }
}

/// An input that could not be read at all (missing, no permission, not a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given or found.
    pub source: String,
    /// What went wrong.
    pub message: String,
}
