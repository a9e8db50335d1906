//! `synap-hook completions`: shell completion scripts from the clap definition.

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::exit::ExitStatus;
use clap::CommandFactory;
use std::io::Write;

/// Runs `completions`.
pub fn run(args: &CompletionsArgs, mut out: Box<dyn Write + '_>) -> anyhow::Result<ExitStatus> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    clap_complete::generate(shell, &mut Cli::command(), "synap-hook", &mut out);
    out.flush()?;
    Ok(ExitStatus::Success)
}
