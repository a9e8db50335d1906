//! Writes a capture of deliveries for the audit benchmark: for each record a
//! creation, score updates and a deletion, as NDJSON, record after record
//! (so deliveries of overlapping records arrive out of timestamp order).
//!
//! `cargo run --release --example lifecycle_capture -- RECORDS UPDATES > capture.ndjson`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use serde_json::{Value, json};
use std::io::{BufWriter, Write};
use synap_hook::event::Event;
use synap_hook::samples;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let (Some(Ok(records)), Some(Ok(updates))) = (args.next(), args.next()) else {
        eprintln!("usage: lifecycle_capture RECORDS UPDATES_PER_RECORD");
        std::process::exit(2);
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 20, stdout.lock());
    for created in samples::generate(Event::Created, records, 3) {
        let start = synap_hook::timefmt::parse_rfc3339(
            created["meta"]["timestamp"].as_str().unwrap_or_default(),
        )
        .unwrap_or(0);
        let at = |mut payload: Value, event: &str, minutes: i64| {
            payload["meta"] = json!({
                "timestamp": samples::rfc3339((start + minutes * 60_000) as u64),
                "eventName": format!("learningRecord.{event}"),
            });
            payload
        };
        writeln!(out, "{created}")?;
        let base = created["learningRecord"]["score"].as_u64().unwrap_or(0) as usize;
        for update in 1..=updates {
            let mut payload = at(created.clone(), "updated", update as i64);
            // Each update really changes the score, as its updatedFields says.
            payload["learningRecord"]["score"] = json!((base + update) % 101);
            payload["updatedFields"] = json!(["score"]);
            writeln!(out, "{payload}")?;
        }
        let record = &created["learningRecord"];
        let mut deletion = at(created.clone(), "deleted", updates as i64 + 1);
        deletion["learningRecord"] =
            json!({"objectId": record["objectId"], "name": record["name"]});
        writeln!(out, "{deletion}")?;
    }
    out.flush()
}
