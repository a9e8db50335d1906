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
use crate::findings::InputError;
use crate::inputs::{self, Input};
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

/// Expands the command line's paths into inputs, telling the user on stderr
/// about skipped paths and paths that cannot be read.
pub(crate) fn discover_inputs(
    paths: &[std::path::PathBuf],
    diagnostics: &mut Diagnostics<impl Write>,
) -> (Vec<Input>, Vec<InputError>) {
    let discovery = inputs::discover(paths);
    for note in &discovery.notes {
        diagnostics.warning(note);
    }
    for error in &discovery.errors {
        diagnostics.input_error(error);
    }
    (discovery.inputs, discovery.errors)
}
