//! `synap-hook redact`: payloads made safe to share.

use crate::cli::RedactArgs;
use crate::exit::ExitStatus;
use crate::framing::{Framing, RawPayload};
use crate::pipeline::{self, Event, Processor};
use crate::redaction::{self, Options};
use crate::report::Diagnostics;
use anyhow::Context;
use serde_json::Value;
use std::io::Write;
use std::sync::Arc;

/// A redacted payload, or why it could not be.
struct Redacted {
    place: String,
    framing: Framing,
    outcome: Result<Value, String>,
}

struct Redactor(Options);

impl Processor for Redactor {
    type Output = Redacted;

    fn process(&self, source: &Arc<str>, raw: &RawPayload<'_>) -> Redacted {
        let place = format!("{source}:{}", raw.line);
        let outcome = if raw.defect.is_some() {
            Err("not a JSON payload".to_owned())
        } else {
            crate::parse::parse(&raw.bytes)
                .map(|parsed| {
                    let mut value = parsed.value;
                    redaction::redact(&mut value, &self.0);
                    value
                })
                .map_err(|error| {
                    let at = crate::position::line_column(&raw.bytes, error.offset);
                    format!(
                        "malformed JSON at line {} of the payload, column {}: {}",
                        at.line, at.column, error.message
                    )
                })
        };
        Redacted {
            place,
            framing: raw.framing,
            outcome,
        }
    }

    fn malformed(output: &Redacted) -> bool {
        output.outcome.is_err()
    }

    fn for_worker(&self) -> Self {
        Redactor(self.0.clone())
    }
}

/// Runs `redact`.
pub fn run(
    args: &RedactArgs,
    mut out: Box<dyn Write + '_>,
    diagnostics: &mut Diagnostics<impl Write>,
) -> anyhow::Result<ExitStatus> {
    let (inputs, errors) = super::discover_inputs(&args.paths, diagnostics);
    let mut unreadable = errors.len();
    let redactor = Redactor(Options {
        keep: args.keep.clone(),
        salt: args.salt.clone(),
    });
    let mut failed = 0;
    pipeline::run(&inputs, &redactor, 1, |event| {
        match event {
            Event::Result(redacted) => match &redacted.outcome {
                Ok(value) => {
                    let text = match redacted.framing {
                        Framing::Lines => serde_json::to_string(value),
                        Framing::Document => serde_json::to_string_pretty(value),
                    }
                    .map_err(std::io::Error::from)?;
                    writeln!(out, "{text}")?;
                }
                Err(message) => {
                    failed += 1;
                    diagnostics.error(&format!(
                        "cannot redact {}: {message}; it was left out",
                        redacted.place
                    ));
                }
            },
            Event::Unreadable(error) => {
                unreadable += 1;
                diagnostics.input_error(error);
            }
        }
        Ok(())
    })
    .context("writing the redacted payloads")?;
    out.flush()?;
    Ok(ExitStatus::from_counts(unreadable, failed))
}
