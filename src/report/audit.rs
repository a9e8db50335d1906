//! Rendering an audit: a summary and timelines for people, one JSON document
//! for machines, and the final state file.

use crate::audit_rules::{Problem, Report, Severity};
use crate::safe_text;
use crate::samples::rfc3339;
use colored::Colorize;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

fn stamp(millis: i64) -> String {
    rfc3339(millis.max(0) as u64)
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

/// The human form.
pub fn human(out: &mut dyn Write, report: &Report, all: bool, color: bool) -> io::Result<()> {
    let paint = |text: &str, severity: Severity| -> String {
        if !color {
            return text.to_owned();
        }
        match severity {
            Severity::Error => text.red().bold().to_string(),
            Severity::Warning => text.yellow().bold().to_string(),
            Severity::Info => text.blue().to_string(),
        }
    };
    let problem_line = |out: &mut dyn Write, problem: &Problem, indent: &str| {
        writeln!(
            out,
            "{indent}{} {}: {}",
            paint(problem.severity.name(), problem.severity),
            problem.code,
            safe_text::escape_controls(&problem.message)
        )
    };
    writeln!(
        out,
        "audit: {}, {}: {}, {}, {}",
        plural(report.payloads, "payload"),
        plural(report.records.len(), "record"),
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info")
    )?;
    let invalid: Vec<&Problem> = report
        .problems
        .iter()
        .filter(|p| p.code == "invalid-payload")
        .collect();
    if !invalid.is_empty() {
        writeln!(out, "invalid payloads, left out of the story:")?;
        for problem in invalid {
            writeln!(
                out,
                "  {}:{}",
                safe_text::displayable(&problem.source, false),
                problem.line
            )?;
            problem_line(out, problem, "    ")?;
        }
    }
    let mut by_record: BTreeMap<&str, Vec<&Problem>> = BTreeMap::new();
    for problem in report
        .problems
        .iter()
        .filter(|p| p.code != "invalid-payload")
    {
        if let Some(id) = &problem.object_id {
            by_record.entry(id.as_str()).or_default().push(problem);
        }
    }
    for record in &report.records {
        let problems = by_record
            .get(record.object_id.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default();
        if problems.is_empty() && !all {
            continue;
        }
        let state = if record.deleted { "deleted" } else { "live" };
        let id = safe_text::displayable(&record.object_id, false);
        writeln!(
            out,
            "{}  {state}  {}  {} → {}",
            if color { id.bold().to_string() } else { id },
            plural(record.events, "event"),
            stamp(record.first),
            stamp(record.last)
        )?;
        for (event, timestamp, source, line) in &record.timeline {
            writeln!(
                out,
                "  {}  {:<22}  {}:{line}",
                stamp(*timestamp),
                event.name(),
                safe_text::displayable(source, false)
            )?;
            for problem in problems
                .iter()
                .filter(|p| &p.source == source && p.line == *line)
            {
                problem_line(out, problem, "      ")?;
            }
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct AuditWire<'a> {
    version: u32,
    summary: SummaryWire,
    records: Vec<RecordWire<'a>>,
    problems: Vec<ProblemWire<'a>>,
}

#[derive(Serialize)]
struct SummaryWire {
    payloads: usize,
    records: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct RecordWire<'a> {
    #[serde(rename = "objectId")]
    object_id: &'a str,
    events: usize,
    state: &'static str,
    first: String,
    last: String,
}

#[derive(Serialize)]
struct ProblemWire<'a> {
    code: &'a str,
    severity: &'static str,
    #[serde(rename = "objectId")]
    object_id: Option<&'a str>,
    source: &'a str,
    line: usize,
    message: &'a str,
}

/// The JSON form (documented in the README).
pub fn json(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let document = AuditWire {
        version: 1,
        summary: SummaryWire {
            payloads: report.payloads,
            records: report.records.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
        records: report
            .records
            .iter()
            .map(|r| RecordWire {
                object_id: &r.object_id,
                events: r.events,
                state: if r.deleted { "deleted" } else { "live" },
                first: stamp(r.first),
                last: stamp(r.last),
            })
            .collect(),
        problems: report
            .problems
            .iter()
            .map(|p| ProblemWire {
                code: p.code,
                severity: p.severity.name(),
                object_id: p.object_id.as_deref(),
                source: &p.source,
                line: p.line,
                message: &p.message,
            })
            .collect(),
    };
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}

/// The final state: `{objectId: {"state": "live"|"deleted", "record": {...}|null}}`,
/// keys sorted, written record by record (the records are already JSON).
pub fn state(out: &mut dyn Write, report: &Report) -> io::Result<()> {
    let mut records: Vec<_> = report.records.iter().collect();
    records.sort_by(|a, b| a.object_id.cmp(&b.object_id));
    out.write_all(b"{")?;
    for (i, record) in records.iter().enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, &record.object_id)?;
        let state = if record.deleted { "deleted" } else { "live" };
        write!(
            out,
            ": {{\"state\": \"{state}\", \"record\": {}}}",
            record.record.as_deref().unwrap_or("null")
        )?;
    }
    out.write_all(b"\n}\n")
}
