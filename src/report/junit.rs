//! JUnit XML: one test case per payload, written as one document at the end
//! (it buffers; the other reporters stream).

use super::{Reporter, display_source};
use crate::findings::{Finding, InputError, PayloadResult, Summary};
use std::fmt::Write as _;
use std::io::{self, Write};

/// A JUnit XML report for CI test tabs.
pub struct JunitReporter<'w> {
    out: Box<dyn Write + 'w>,
    cases: String,
}

impl<'w> JunitReporter<'w> {
    /// A reporter writing to `out`.
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        JunitReporter {
            out,
            cases: String::new(),
        }
    }
}

/// Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold.
fn xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(escaped, "\\u{{{:x}}}", c as u32);
            }
            c => escaped.push(c),
        }
    }
    escaped
}

fn describe(source: &str, finding: &Finding) -> String {
    format!(
        "{}:{}:{} {} [{}] {}",
        display_source(source),
        finding.line,
        finding.column,
        if finding.path.is_empty() {
            "/"
        } else {
            &finding.path
        },
        finding.rule,
        finding.message
    )
}

impl Reporter for JunitReporter<'_> {
    fn result(&mut self, result: &PayloadResult) -> io::Result<()> {
        let mut name = format!(
            "{}:{} #{}",
            display_source(&result.source),
            result.line,
            result.index
        );
        for part in [&result.event, &result.object_id].into_iter().flatten() {
            name.push(' ');
            name.push_str(part);
        }
        let _ = writeln!(
            self.cases,
            "    <testcase classname=\"{}\" name=\"{}\">",
            xml(display_source(&result.source)),
            xml(&name)
        );
        if let Some(first) = result.errors.first() {
            let details: Vec<String> = result
                .errors
                .iter()
                .map(|f| describe(&result.source, f))
                .collect();
            let _ = writeln!(
                self.cases,
                "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                xml(&first.message),
                xml(&first.rule),
                xml(&details.join("\n"))
            );
        }
        if !result.warnings.is_empty() {
            let details: Vec<String> = result
                .warnings
                .iter()
                .map(|f| format!("warning {}", describe(&result.source, f)))
                .collect();
            let _ = writeln!(
                self.cases,
                "      <system-out>{}</system-out>",
                xml(&details.join("\n"))
            );
        }
        self.cases.push_str("    </testcase>\n");
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, input_errors: &[InputError]) -> io::Result<()> {
        let tests = summary.payloads + input_errors.len();
        writeln!(self.out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            self.out,
            "<testsuites name=\"synap-hook validate\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\">",
            summary.invalid,
            input_errors.len()
        )?;
        writeln!(
            self.out,
            "  <testsuite name=\"synap-hook validate\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            summary.invalid,
            input_errors.len()
        )?;
        self.out.write_all(self.cases.as_bytes())?;
        for error in input_errors {
            writeln!(
                self.out,
                "    <testcase classname=\"{0}\" name=\"{0}\">\n      <error message=\"{1}\" type=\"unreadable\"/>\n    </testcase>",
                xml(&error.source),
                xml(&error.message)
            )?;
        }
        writeln!(self.out, "  </testsuite>\n</testsuites>")?;
        self.out.flush()
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_xml() {
        assert_eq!(xml("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\\u{1}");
    }
}
