//! `synap-hook diff`: what changed between a stored record and an update,
//! and whether the update's updatedFields says so.

use crate::cli::{DiffArgs, DiffFormat};
use crate::event::Event;
use crate::exit::ExitStatus;
use crate::inputs::{self, Input};
use crate::json_diff;
use crate::record_audit::{self, RecordDiff};
use crate::report::diff as render;
use crate::settings::Settings;
use anyhow::{Context, bail};
use serde_json::Value;
use std::io::Write;

/// Runs `diff`.
pub fn run(
    args: &DiffArgs,
    settings: &Settings,
    mut out: Box<dyn Write + '_>,
) -> anyhow::Result<ExitStatus> {
    let prior_input = inputs::from_arg(&args.prior);
    let updated_input = inputs::from_arg(&args.updated);
    if prior_input == Input::Stdin && updated_input == Input::Stdin {
        bail!("PRIOR and UPDATED cannot both be stdin (`-`); name one of them as a file");
    }
    let prior = inputs::read_document(&prior_input)?;
    let updated = inputs::read_document(&updated_input)?;
    let prior_record = record_of(&prior, &prior_input, "PRIOR")?;
    let updated_record = record_of(&updated, &updated_input, "UPDATED")?;
    let id = |record: &serde_json::Map<String, Value>| {
        record
            .get("objectId")
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let (Some(before), Some(after)) = (id(prior_record), id(updated_record))
        && before != after
    {
        bail!(
            "PRIOR and UPDATED are different records: PRIOR ({}) is {before}, UPDATED ({}) is {after}",
            prior_input.name(),
            updated_input.name()
        );
    }
    let declared = record_audit::declared_fields(&updated);
    let result: RecordDiff =
        record_audit::compare(prior_record, updated_record, declared, &args.ignore);
    match args.format {
        DiffFormat::Human => render::human(&mut out, &result, settings.color, args.show_secrets)?,
        DiffFormat::Json => render::json(&mut out, &result, args.show_secrets)?,
        DiffFormat::JsonPatch => {
            let exact = json_diff::diff(
                &Value::Object(prior_record.clone()),
                &Value::Object(updated_record.clone()),
                &args.ignore,
            );
            render::patch(&mut out, &json_diff::to_patch(&exact))?;
        }
    }
    out.flush().context("writing the diff")?;
    Ok(if result.is_consistent() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn record_of<'v>(
    value: &'v Value,
    input: &Input,
    role: &str,
) -> anyhow::Result<&'v serde_json::Map<String, Value>> {
    let event = value.pointer("/meta/eventName").and_then(Value::as_str);
    if event == Some(Event::Deleted.name()) {
        bail!(
            "{role} ({}) is a {event} payload: its record holds only objectId and name, so there is nothing to compare (diff takes created or updated payloads, or bare records)",
            input.name(),
            event = Event::Deleted
        );
    }
    record_audit::record_of(value).with_context(|| {
        format!(
            "{role} ({}) has no learning record: expected a payload with a learningRecord object, or a bare record with an objectId",
            input.name()
        )
    })
}
