//! `synap-hook sample`: the documented example of an event, or many
//! generated payloads as NDJSON.

use crate::cli::SampleArgs;
use crate::exit::ExitStatus;
use crate::samples;
use std::io::Write;

/// Runs `sample`.
pub fn run(args: &SampleArgs, mut out: Box<dyn Write + '_>) -> anyhow::Result<ExitStatus> {
    match args.count {
        None => out.write_all(samples::documented(args.event).as_bytes())?,
        Some(count) => {
            for payload in samples::generate(args.event, count, args.seed) {
                serde_json::to_writer(&mut out, &payload).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}
