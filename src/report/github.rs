//! GitHub Actions workflow commands: one `::error` or `::warning` line per
//! finding, nothing else on stdout.

use super::Reporter;
use crate::findings::{Finding, InputError, PayloadResult, Summary};
use std::io::{self, Write};

/// Annotations for GitHub Actions.
pub struct GithubReporter<'w> {
    out: Box<dyn Write + 'w>,
}

impl<'w> GithubReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        GithubReporter { out }
    }

    fn annotate(&mut self, level: &str, source: &str, finding: &Finding) -> io::Result<()> {
        let mut properties = Vec::new();
        if source != "-" {
            properties.push(format!("file={}", escape_property(source)));
        }
        properties.push(format!("line={}", finding.line));
        properties.push(format!("col={}", finding.column));
        properties.push(format!(
            "title={}",
            escape_property(&format!("synap-hook {}", finding.rule))
        ));
        let pointer = if finding.path.is_empty() {
            String::new()
        } else {
            format!(" ({})", finding.path)
        };
        writeln!(
            self.out,
            "::{level} {}::{}",
            properties.join(","),
            escape_data(&format!("{}{pointer}", finding.message))
        )
    }
}

/// Escaping for a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Reporter for GithubReporter<'_> {
    fn result(&mut self, result: &PayloadResult) -> io::Result<()> {
        for finding in &result.errors {
            self.annotate("error", &result.source, finding)?;
        }
        for finding in &result.warnings {
            self.annotate("warning", &result.source, finding)?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, input_errors: &[InputError]) -> io::Result<()> {
        for error in input_errors {
            writeln!(
                self.out,
                "::error title=synap-hook::{}",
                escape_data(&format!("cannot read {}: {}", error.source, error.message))
            )?;
        }
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_rules() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
