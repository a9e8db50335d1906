//! `synap-hook validate`: check payloads from files, folders and stdin.

use crate::cli::{Expect, ValidateArgs};
use crate::exit::ExitStatus;
use crate::findings::Summary;
use crate::inputs::Input;
use crate::pipeline::{self, Event};
use crate::report::{self, Diagnostics, Progress};
use crate::settings::Settings;
use crate::validation::{Options, Validator};
use anyhow::Context;
use std::io::Write;

/// Runs `validate`.
pub fn run<'w>(
    args: &ValidateArgs,
    settings: &Settings,
    out: Box<dyn Write + 'w>,
    diagnostics: &mut Diagnostics<impl Write>,
) -> anyhow::Result<ExitStatus> {
    let (inputs, mut input_errors) = super::discover_inputs(&args.paths, diagnostics);
    let validator = Validator::new(Options {
        event: args.event,
        strict: args.strict,
        show_secrets: args.show_secrets,
    });
    // A live stream on stdin gets each result as soon as its payload
    // arrives; batching for threads would hold results back.
    let live = settings.stdin_is_stream && inputs.contains(&Input::Stdin);
    let jobs = if live {
        1
    } else {
        args.jobs.map_or(settings.cores, usize::from)
    };
    let mut reporter = report::reporter(args.format, settings, out);
    let mut progress = Progress::new(settings.progress);
    let mut summary = Summary::default();
    let mut unexpected_passes = Vec::new();
    pipeline::run(&inputs, &validator, jobs.max(1), |event| {
        match event {
            Event::Result(result) => {
                summary.add(result);
                progress.tick(&summary);
                if args.expect == Expect::Invalid && result.is_valid() {
                    unexpected_passes.push(format!("{}:{}", result.source, result.line));
                }
                reporter.result(result)?;
                if live {
                    reporter.flush()?;
                }
            }
            Event::Unreadable(error) => {
                progress.clear();
                diagnostics.input_error(error);
                input_errors.push(error.clone());
            }
        }
        Ok(())
    })
    .context("writing the results")?;
    progress.clear();
    reporter
        .finish(&summary, &input_errors)
        .context("writing the results")?;
    for place in &unexpected_passes {
        diagnostics.error(&format!("expected an invalid payload, but {place} passed"));
    }
    let verdict = match args.expect {
        Expect::Valid if summary.invalid > 0 => ExitStatus::Failure,
        Expect::Invalid if !unexpected_passes.is_empty() => ExitStatus::Failure,
        _ => ExitStatus::Success,
    };
    let reading = if input_errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    };
    Ok(verdict.worst(reading))
}
