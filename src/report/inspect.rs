//! Rendering an inspection for people: aligned, coloured on a terminal,
//! within 80 columns.

use crate::findings::Finding;
use crate::inspection::{Inspection, Tone};
use crate::safe_text;
use colored::Colorize;
use std::io::{self, Write};

/// Width of the label column.
const LABEL_WIDTH: usize = 12;

/// Writes one inspection.
pub fn human(out: &mut dyn Write, view: &Inspection, color: bool) -> io::Result<()> {
    let paint = |text: &str, tone: Tone| -> String {
        if !color {
            return text.to_owned();
        }
        match tone {
            Tone::Plain => text.to_owned(),
            Tone::Dim => text.dimmed().to_string(),
            Tone::Good => text.green().to_string(),
            Tone::Bad => text.red().to_string(),
        }
    };
    let bold = |text: &str| {
        if color {
            text.bold().to_string()
        } else {
            text.to_owned()
        }
    };
    let (mark, verdict) = if view.result.is_valid() {
        (paint("✓", Tone::Good), paint("valid", Tone::Good))
    } else {
        let count = view.result.errors.len();
        (
            paint("✗", Tone::Bad),
            paint(
                &format!(
                    "invalid ({count} error{})",
                    if count == 1 { "" } else { "s" }
                ),
                Tone::Bad,
            ),
        )
    };
    writeln!(out, "{mark} {}  {verdict}", bold(&view.event))?;
    if let Some(when) = &view.when {
        writeln!(out, "  {:<LABEL_WIDTH$}{when}", "at")?;
    }
    writeln!(
        out,
        "  {:<LABEL_WIDTH$}{}",
        "source",
        paint(&safe_text::displayable(&view.place, false), Tone::Dim)
    )?;
    for finding in &view.result.errors {
        finding_line(out, "error", finding, &paint, Tone::Bad)?;
    }
    for finding in &view.result.warnings {
        finding_line(out, "warning", finding, &paint, Tone::Dim)?;
    }
    for section in &view.sections {
        writeln!(
            out,
            "{:<width$}{}",
            bold(&section.title),
            section.summary,
            width = LABEL_WIDTH + 2 + bold(&section.title).len() - section.title.len()
        )?;
        for row in &section.rows {
            let indent = "  ".repeat(row.depth);
            let width = (LABEL_WIDTH + 2)
                .saturating_sub(indent.len())
                .max(row.label.chars().count() + 1);
            writeln!(
                out,
                "{indent}{:<width$}{}",
                row.label,
                paint(&row.value, row.tone)
            )?;
        }
    }
    Ok(())
}

fn finding_line(
    out: &mut dyn Write,
    label: &str,
    finding: &Finding,
    paint: &dyn Fn(&str, Tone) -> String,
    tone: Tone,
) -> io::Result<()> {
    let place = if finding.path.is_empty() {
        format!("{}:{}", finding.line, finding.column)
    } else {
        format!("{} {}:{}", finding.path, finding.line, finding.column)
    };
    writeln!(
        out,
        "  {}  {}  {}",
        paint(label, tone),
        safe_text::escape_controls(&finding.message),
        paint(
            &format!("({})", safe_text::displayable(&place, false)),
            Tone::Dim
        )
    )
}
