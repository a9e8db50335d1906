//! One module per subcommand. Each reads its inputs, calls the core, feeds a
//! reporter and returns an exit status; none prints directly.

pub mod audit;
pub mod completions;
pub mod diff;
pub mod inspect;
pub mod redact;
pub mod sample;
pub mod schema;
pub mod validate;

use crate::cli::Command;
use crate::exit::ExitStatus;
use crate::report::Diagnostics;
use crate::settings::Settings;
use std::io::Write;

/// Runs a parsed command.
pub fn run<'w>(
    command: Command,
    settings: &Settings,
    out: Box<dyn Write + 'w>,
    diagnostics: &mut Diagnostics<impl Write>,
) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Validate(args) => validate::run(&args, settings, out, diagnostics),
        Command::Audit(args) => audit::run(&args, settings, out, diagnostics),
        Command::Diff(args) => diff::run(&args, settings, out),
        Command::Inspect(args) => inspect::run(&args, settings, out, diagnostics),
        Command::Redact(args) => redact::run(&args, out, diagnostics),
        Command::Schema(args) => schema::run(&args, out),
        Command::Sample(args) => sample::run(&args, out),
        Command::Completions(args) => completions::run(&args, out),
    }
}
