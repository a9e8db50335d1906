//! The human reporter: one line per payload, each finding under it with the
//! source line and a caret, then a summary. The only reporter that colours.

use super::{Reporter, display_source};
use crate::findings::{Finding, InputError, PayloadResult, Summary};
use crate::safe_text;
use colored::Colorize;
use std::io::{self, Write};

/// Readable, optionally coloured output.
pub struct HumanReporter<'w> {
    out: Box<dyn Write + 'w>,
    color: bool,
    quiet: bool,
}

impl<'w> HumanReporter<'w> {
    /// A reporter writing to `out`; `color` adds ANSI colours; `quiet` shows
    /// only payloads with findings.
    pub fn new(out: Box<dyn Write + 'w>, color: bool, quiet: bool) -> Self {
        HumanReporter { out, color, quiet }
    }

    fn paint(&self, text: &str, style: Style) -> String {
        if !self.color {
            return text.to_owned();
        }
        match style {
            Style::Good => text.green().bold().to_string(),
            Style::Bad => text.red().bold().to_string(),
            Style::Warn => text.yellow().bold().to_string(),
            Style::Dim => text.dimmed().to_string(),
            Style::Strong => text.bold().to_string(),
            Style::Gutter => text.blue().bold().to_string(),
        }
    }

    fn finding(
        &mut self,
        source: &str,
        finding: &Finding,
        severity: &str,
        style: Style,
    ) -> io::Result<()> {
        let label = self.paint(severity, style);
        writeln!(
            self.out,
            "  {label}: {}",
            safe_text::escape_controls(&finding.message)
        )?;
        let mut location = format!(
            "{}:{}:{}",
            display_source(source),
            finding.line,
            finding.column
        );
        if !finding.path.is_empty() {
            location.push_str("  ");
            location.push_str(&safe_text::displayable(&finding.path, false));
        }
        location.push_str(&format!("  [{}]", finding.rule));
        writeln!(
            self.out,
            "    {} {}",
            self.paint("-->", Style::Gutter),
            self.paint(&location, Style::Dim)
        )?;
        if let Some(snippet) = &finding.snippet {
            let number = snippet.line.to_string();
            let pad = " ".repeat(number.len());
            let bar = self.paint("|", Style::Gutter);
            writeln!(self.out, "  {pad} {bar}")?;
            writeln!(
                self.out,
                "  {} {bar} {}",
                self.paint(&number, Style::Gutter),
                snippet.text
            )?;
            let caret = format!("{}{}", " ".repeat(snippet.caret), "^".repeat(snippet.width));
            writeln!(self.out, "  {pad} {bar} {}", self.paint(&caret, style))?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Style {
    Good,
    Bad,
    Warn,
    Dim,
    Strong,
    Gutter,
}

impl Reporter for HumanReporter<'_> {
    fn result(&mut self, result: &PayloadResult) -> io::Result<()> {
        let clean = result.errors.is_empty() && result.warnings.is_empty();
        if self.quiet && clean {
            return Ok(());
        }
        let mark = if result.is_valid() {
            self.paint("✓", Style::Good)
        } else {
            self.paint("✗", Style::Bad)
        };
        let place = format!("{}:{}", display_source(&result.source), result.line);
        let mut line = format!("{mark} {}", self.paint(&place, Style::Strong));
        for part in [&result.event, &result.object_id].into_iter().flatten() {
            line.push_str("  ");
            line.push_str(&safe_text::shorten(
                &safe_text::displayable(part, false),
                60,
            ));
        }
        writeln!(self.out, "{line}")?;
        for finding in &result.errors {
            self.finding(&result.source, finding, "error", Style::Bad)?;
        }
        for finding in &result.warnings {
            self.finding(&result.source, finding, "warning", Style::Warn)?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, input_errors: &[InputError]) -> io::Result<()> {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut parts = vec![
            self.paint(
                &format!("{} valid", summary.valid),
                if summary.valid > 0 {
                    Style::Good
                } else {
                    Style::Dim
                },
            ),
            self.paint(
                &format!("{} invalid", summary.invalid),
                if summary.invalid > 0 {
                    Style::Bad
                } else {
                    Style::Dim
                },
            ),
            self.paint(
                &plural(summary.warnings, "warning"),
                if summary.warnings > 0 {
                    Style::Warn
                } else {
                    Style::Dim
                },
            ),
        ];
        if !input_errors.is_empty() {
            parts.push(self.paint(
                &format!("{} unreadable", plural(input_errors.len(), "input")),
                Style::Bad,
            ));
        }
        writeln!(
            self.out,
            "{}: {}",
            plural(summary.payloads, "payload"),
            parts.join(", ")
        )?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
