//! `synap-hook inspect`: a readable summary of each payload.

use crate::cli::InspectArgs;
use crate::exit::ExitStatus;
use crate::findings::PayloadResult;
use crate::framing::RawPayload;
use crate::inspection;
use crate::pipeline::{self, Event, Processor};
use crate::report::{self, Diagnostics};
use crate::settings::Settings;
use crate::validation::{Options, Validator};
use anyhow::Context;
use std::io::Write;
use std::sync::Arc;

/// One payload, validated and kept for showing.
struct Inspected {
    result: PayloadResult,
    value: Option<serde_json::Value>,
    bytes: Vec<u8>,
}

struct Inspector(Validator);

impl Processor for Inspector {
    type Output = Inspected;

    fn process(&self, source: &Arc<str>, raw: &RawPayload<'_>) -> Inspected {
        let result = self.0.validate(source, raw);
        let value = if result.malformed {
            None
        } else {
            serde_json::from_slice(&raw.bytes).ok()
        };
        Inspected {
            result,
            value,
            bytes: raw.bytes.to_vec(),
        }
    }

    fn malformed(output: &Inspected) -> bool {
        output.result.malformed
    }

    fn for_worker(&self) -> Self {
        Inspector(self.0.for_another_thread())
    }
}

/// Runs `inspect`.
pub fn run(
    args: &InspectArgs,
    settings: &Settings,
    mut out: Box<dyn Write + '_>,
    diagnostics: &mut Diagnostics<impl Write>,
) -> anyhow::Result<ExitStatus> {
    let (inputs, errors) = super::discover_inputs(&args.paths, diagnostics);
    let mut unreadable = errors.len();
    let inspector = Inspector(Validator::new(Options {
        event: args.event,
        strict: false,
        show_secrets: args.show_secrets,
    }));
    let mut invalid = 0;
    let mut first = true;
    pipeline::run(&inputs, &inspector, 1, |event| {
        match event {
            Event::Result(inspected) => {
                if !inspected.result.is_valid() {
                    invalid += 1;
                }
                if !first {
                    writeln!(out)?;
                }
                first = false;
                match (&inspected.value, args.raw) {
                    (Some(_), true) => {
                        report::raw::pretty(
                            &mut out,
                            &inspected.bytes,
                            settings.color,
                            args.show_secrets,
                        )?;
                    }
                    _ => {
                        let view = inspection::inspect(
                            inspected.value.as_ref(),
                            inspected.result.clone(),
                            settings.now_millis,
                            args.show_secrets,
                        );
                        report::inspect::human(&mut out, &view, settings.color)?;
                    }
                }
                out.flush()?;
            }
            Event::Unreadable(error) => {
                unreadable += 1;
                diagnostics.input_error(error);
            }
        }
        Ok(())
    })
    .context("writing the inspection")?;
    out.flush()?;
    Ok(ExitStatus::from_counts(unreadable, invalid))
}
