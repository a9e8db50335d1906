//! `synap-hook schema`: list the bundled schemas or print one standalone.

use crate::cli::{SchemaCommand, SchemaName};
use crate::event::Event;
use crate::exit::ExitStatus;
use crate::report::print_line;
use crate::schemas;
use anyhow::Context;
use std::io::Write;

/// Runs `schema list` or `schema show`.
pub fn run(command: &SchemaCommand, mut out: Box<dyn Write + '_>) -> anyhow::Result<ExitStatus> {
    match command {
        SchemaCommand::List => {
            for event in Event::ALL {
                print_line(&mut out, event.name())?;
            }
        }
        SchemaCommand::Show { name } => {
            let schema = match name {
                SchemaName::Event(event) => schemas::standalone(*event),
                SchemaName::Report => schemas::report_schema(),
            };
            let text = serde_json::to_string_pretty(&schema).context("printing the schema")?;
            print_line(&mut out, &text)?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
