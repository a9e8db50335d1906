//! The JSON and NDJSON reporters and their wire format (version 1). The
//! shape is fixed and documented in the README and in `schemas/report.json`.

use super::Reporter;
use crate::findings::{Finding, InputError, PayloadResult, Summary};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON report format.
pub const FORMAT_VERSION: u32 = 1;

/// One payload's result on the wire.
#[derive(Debug, Serialize)]
pub struct ResultWire<'a> {
    source: &'a str,
    index: usize,
    line: usize,
    event: Option<&'a str>,
    #[serde(rename = "objectId")]
    object_id: Option<&'a str>,
    valid: bool,
    errors: Vec<ErrorWire<'a>>,
    warnings: Vec<WarningWire<'a>>,
}

#[derive(Debug, Serialize)]
struct ErrorWire<'a> {
    path: &'a str,
    line: usize,
    column: usize,
    keyword: &'a str,
    message: &'a str,
}

#[derive(Debug, Serialize)]
struct WarningWire<'a> {
    code: &'a str,
    path: &'a str,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Debug, Serialize)]
struct SummaryWire {
    payloads: usize,
    valid: usize,
    invalid: usize,
    warnings: usize,
}

#[derive(Debug, Serialize)]
struct InputErrorWire<'a> {
    source: &'a str,
    message: &'a str,
}

impl<'a> ResultWire<'a> {
    /// The wire form of a result.
    pub fn from_result(result: &'a PayloadResult) -> Self {
        let error = |f: &'a Finding| ErrorWire {
            path: &f.path,
            line: f.line,
            column: f.column,
            keyword: &f.rule,
            message: &f.message,
        };
        let warning = |f: &'a Finding| WarningWire {
            code: &f.rule,
            path: &f.path,
            line: f.line,
            column: f.column,
            message: &f.message,
        };
        ResultWire {
            source: &result.source,
            index: result.index,
            line: result.line,
            event: result.event.as_deref(),
            object_id: result.object_id.as_deref(),
            valid: result.is_valid(),
            errors: result.errors.iter().map(error).collect(),
            warnings: result.warnings.iter().map(warning).collect(),
        }
    }
}

/// One JSON document: `{"version", "results": [...], "summary", "inputErrors"}`.
/// Results are streamed as they come, so memory does not grow with the run.
pub struct JsonReporter<'w> {
    out: Box<dyn Write + 'w>,
    results: usize,
}

impl<'w> JsonReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonReporter { out, results: 0 }
    }
}

impl Reporter for JsonReporter<'_> {
    fn result(&mut self, result: &PayloadResult) -> io::Result<()> {
        let opening = if self.results == 0 {
            format!("{{\"version\":{FORMAT_VERSION},\"results\":[\n")
        } else {
            ",\n".to_owned()
        };
        self.out.write_all(opening.as_bytes())?;
        serde_json::to_writer(&mut self.out, &ResultWire::from_result(result))?;
        self.results += 1;
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, input_errors: &[InputError]) -> io::Result<()> {
        if self.results == 0 {
            write!(self.out, "{{\"version\":{FORMAT_VERSION},\"results\":[")?;
        } else {
            writeln!(self.out)?;
        }
        let summary = SummaryWire {
            payloads: summary.payloads,
            valid: summary.valid,
            invalid: summary.invalid,
            warnings: summary.warnings,
        };
        let errors: Vec<InputErrorWire<'_>> = input_errors
            .iter()
            .map(|e| InputErrorWire {
                source: &e.source,
                message: &e.message,
            })
            .collect();
        write!(self.out, "],\"summary\":")?;
        serde_json::to_writer(&mut self.out, &summary)?;
        write!(self.out, ",\"inputErrors\":")?;
        serde_json::to_writer(&mut self.out, &errors)?;
        writeln!(self.out, "}}")?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One result object per line, nothing else.
pub struct NdjsonReporter<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> NdjsonReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        NdjsonReporter { out }
    }
}

impl Reporter for NdjsonReporter<'_> {
    fn result(&mut self, result: &PayloadResult) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &ResultWire::from_result(result))?;
        self.out.write_all(b"\n")
    }

    fn finish(&mut self, _summary: &Summary, _input_errors: &[InputError]) -> io::Result<()> {
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
