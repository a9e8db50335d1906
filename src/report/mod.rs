//! Rendering results. The only code that writes results to stdout and
//! diagnostics to stderr; commands hand it data.

pub mod audit;
pub mod diff;
mod github;
mod human;
pub mod inspect;
mod json;
mod junit;
mod progress;
pub mod raw;

pub use human::HumanReporter;
pub use json::{JsonReporter, NdjsonReporter, write_result};
pub use progress::Progress;

use crate::cli::Format;
use crate::findings::{InputError, PayloadResult, Summary};
use crate::settings::Settings;
use std::io::{self, Write};

/// Renders validation results as they are ready.
pub trait Reporter {
    /// One payload's result.
    fn result(&mut self, result: &PayloadResult) -> io::Result<()>;
    /// The end of the run: counts, and inputs that could not be read.
    fn finish(&mut self, summary: &Summary, input_errors: &[InputError]) -> io::Result<()>;
    /// Pushes out what is buffered (for live streams).
    fn flush(&mut self) -> io::Result<()>;
}

/// The reporter for `format`, writing to `out`.
pub fn reporter<'w>(
    format: Format,
    settings: &Settings,
    out: Box<dyn Write + 'w>,
) -> Box<dyn Reporter + 'w> {
    match format {
        Format::Human => Box::new(HumanReporter::new(out, settings.color, settings.quiet)),
        Format::Json => Box::new(JsonReporter::new(out)),
        Format::Ndjson => Box::new(NdjsonReporter::new(out)),
        Format::Github => Box::new(github::GithubReporter::new(out)),
        Format::Junit => Box::new(junit::JunitReporter::new(out)),
    }
}

/// Writes `synap-hook: ...` diagnostics to stderr.
pub struct Diagnostics<W: Write> {
    err: W,
}

impl<W: Write> Diagnostics<W> {
    /// Diagnostics written to `err`.
    pub fn new(err: W) -> Self {
        Diagnostics { err }
    }

    /// A fatal or input error.
    pub fn error(&mut self, message: &str) {
        let _ = writeln!(self.err, "synap-hook: error: {message}");
    }

    /// Something skipped or surprising that does not change the verdict.
    pub fn warning(&mut self, message: &str) {
        let _ = writeln!(self.err, "synap-hook: warning: {message}");
    }

    /// An input that could not be read.
    pub fn input_error(&mut self, error: &InputError) {
        self.error(&format!("cannot read {}: {}", error.source, error.message));
    }
}

/// Writes `text` and a newline to stdout (for simple commands).
pub fn print_line(out: &mut dyn Write, text: &str) -> io::Result<()> {
    writeln!(out, "{text}")
}

/// How a source is named for people: `<stdin>` for `-`.
pub(crate) fn display_source(source: &str) -> &str {
    if source == "-" { "<stdin>" } else { source }
}
