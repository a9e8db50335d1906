//! `synap-hook validate`: check payloads from files, folders and stdin.

use crate::cli::{Expect, ValidateArgs};
use crate::exit::ExitStatus;
use crate::findings::{InputError, Summary};
use crate::inputs::{self, Input};
use crate::pipeline::{self, StreamError};
use crate::report::{self, Diagnostics};
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
    let discovery = inputs::discover(&args.paths);
    for note in &discovery.notes {
        diagnostics.warning(note);
    }
    let mut input_errors: Vec<InputError> = discovery.errors;
    for error in &input_errors {
        diagnostics.input_error(error);
    }
    let validator = Validator::new(Options {
        event: args.event,
        strict: args.strict,
        show_secrets: args.show_secrets,
    });
    let mut reporter = report::reporter(args.format, settings, out);
    let mut summary = Summary::default();
    let mut unexpected_passes = Vec::new();
    for input in &discovery.inputs {
        let source = input.name();
        let live = *input == Input::Stdin;
        let outcome = match input.open() {
            Err(error) => Err(StreamError::Read(error)),
            Ok(reader) => pipeline::validate_stream(reader, &source, &validator, |result| {
                summary.add(&result);
                if args.expect == Expect::Invalid && result.is_valid() {
                    unexpected_passes.push(format!("{}:{}", result.source, result.line));
                }
                reporter.result(&result)?;
                if live {
                    reporter.flush()?;
                }
                Ok(())
            }),
        };
        match outcome {
            Ok(()) => {}
            Err(StreamError::Sink(error)) => {
                return Err(error).context("writing the results");
            }
            Err(StreamError::Read(error)) => {
                let error = match input {
                    Input::File(path) => inputs::input_error(path, &error),
                    Input::Stdin => InputError {
                        source: source.clone(),
                        message: error.to_string(),
                    },
                };
                diagnostics.input_error(&error);
                input_errors.push(error);
            }
        }
    }
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
