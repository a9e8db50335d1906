//! The `synap-hook` binary: parse, resolve settings, dispatch, exit.

use clap::Parser;
use std::io::{self, BufWriter};
use std::process::ExitCode;
use synap_hook::cli::Cli;
use synap_hook::commands;
use synap_hook::exit::ExitStatus;
use synap_hook::report::Diagnostics;
use synap_hook::settings::Settings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = Settings::resolve(&cli.global);
    colored::control::set_override(settings.color);
    let out = Box::new(BufWriter::with_capacity(64 * 1024, io::stdout().lock()));
    let mut diagnostics = Diagnostics::new(io::stderr());
    match commands::run(cli.command, &settings, out, &mut diagnostics) {
        Ok(status) => status.into(),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            diagnostics.error(&format!("{error:#}"));
            ExitStatus::Error.into()
        }
    }
}

/// A closed stdout means the reader left (`| head`): not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
