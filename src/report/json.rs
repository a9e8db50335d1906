//! The JSON and NDJSON reporters and their wire format (version 1). The
//! shape is fixed and documented in the README and in `schemas/report.json`.

use super::Reporter;
use crate::findings::{Finding, InputError, PayloadResult, Summary};
use serde::Serialize;
use std::io::{self, Write};

/// Version of the JSON report format.
pub const FORMAT_VERSION: u32 = 1;

/// Writes one result object, in the documented field order. Hand-written
/// rather than derived: it runs once per payload and strings that need no
/// escaping (nearly all) are copied as they are.
pub fn write_result(out: &mut Vec<u8>, result: &PayloadResult) {
    out.extend_from_slice(b"{\"source\":");
    write_str(out, &result.source);
    out.extend_from_slice(b",\"index\":");
    write_number(out, result.index);
    out.extend_from_slice(b",\"line\":");
    write_number(out, result.line);
    out.extend_from_slice(b",\"event\":");
    write_optional(out, result.event.as_deref());
    out.extend_from_slice(b",\"objectId\":");
    write_optional(out, result.object_id.as_deref());
    out.extend_from_slice(if result.is_valid() {
        b",\"valid\":true,\"errors\":["
    } else {
        b",\"valid\":false,\"errors\":["
    });
    write_findings(out, &result.errors, "keyword");
    out.extend_from_slice(b"],\"warnings\":[");
    write_findings(out, &result.warnings, "code");
    out.extend_from_slice(b"]}");
}

/// Findings in wire order: errors are `{path, line, column, keyword, message}`,
/// warnings `{code, path, line, column, message}`.
fn write_findings(out: &mut Vec<u8>, findings: &[Finding], rule_name: &str) {
    for (i, finding) in findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        if rule_name == "code" {
            out.extend_from_slice(b"\"code\":");
            write_str(out, &finding.rule);
            out.push(b',');
        }
        out.extend_from_slice(b"\"path\":");
        write_str(out, &finding.path);
        out.extend_from_slice(b",\"line\":");
        write_number(out, finding.line);
        out.extend_from_slice(b",\"column\":");
        write_number(out, finding.column);
        if rule_name == "keyword" {
            out.extend_from_slice(b",\"keyword\":");
            write_str(out, &finding.rule);
        }
        out.extend_from_slice(b",\"message\":");
        write_str(out, &finding.message);
        out.push(b'}');
    }
}

fn write_number(out: &mut Vec<u8>, number: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

fn write_optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// A JSON string; serde_json escapes the rare string that needs it.
fn write_str(out: &mut Vec<u8>, text: &str) {
    // Every byte is looked at (no early exit), so that it runs many at a time.
    let plain = !text.bytes().fold(false, |odd, b| {
        odd | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, text);
    }
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

/// One JSON document: `{"version", "results": [...], "summary", "inputErrors"}`.
/// Results are streamed as they come, so memory does not grow with the run.
pub struct JsonReporter<'w> {
    out: Box<dyn Write + 'w>,
    results: usize,
    line: Vec<u8>,
}

impl<'w> JsonReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JsonReporter {
            out,
            results: 0,
            line: Vec::new(),
        }
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
        self.line.clear();
        write_result(&mut self.line, result);
        self.results += 1;
        self.out.write_all(&self.line)
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
    line: Vec<u8>,
}

impl<'w> NdjsonReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        NdjsonReporter {
            out,
            line: Vec::new(),
        }
    }
}

impl Reporter for NdjsonReporter<'_> {
    fn result(&mut self, result: &PayloadResult) -> io::Result<()> {
        self.line.clear();
        write_result(&mut self.line, result);
        self.line.push(b'\n');
        self.out.write_all(&self.line)
    }

    fn finish(&mut self, _summary: &Summary, _input_errors: &[InputError]) -> io::Result<()> {
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Validator;
    use serde_json::{Value, json};

    #[test]
    fn results_are_valid_json_in_the_documented_shape() {
        let text =
            "{\"meta\": {\"eventName\": \"tab\\there \\\"q\\\" \\u0001\"}, \"x\": 1, \"x\": 2}";
        let result = Validator::default().validate_bytes("dir/\"odd\".json", text.as_bytes());
        let mut out = Vec::new();
        write_result(&mut out, &result);
        let value: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["source"], "dir/\"odd\".json");
        assert_eq!(value["event"], "tab\there \"q\" \u{1}");
        assert_eq!(value["valid"], false);
        assert_eq!(value["objectId"], Value::Null);
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 8);
        let warning = &value["warnings"][0];
        assert_eq!(warning["code"], "duplicate-key");
        assert_eq!(warning["path"], "/x");
        assert_eq!(value["errors"][0]["keyword"], json!("event"));
    }

    #[test]
    fn strings_are_escaped_wherever_the_odd_byte_is() {
        for odd in ["\"", "\\", "\n", "\u{1}"] {
            for at in 0..70 {
                let text = format!("{}{odd}{}", "a".repeat(at), "é".repeat(70 - at));
                let mut out = Vec::new();
                write_str(&mut out, &text);
                assert_eq!(serde_json::from_slice::<String>(&out).unwrap(), text);
            }
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for number in [0, 7, 10, 1_234_567, usize::MAX] {
            let mut out = b"x".to_vec();
            write_number(&mut out, number);
            assert_eq!(out, format!("x{number}").into_bytes());
        }
    }
}
