//! `synap-hook audit`: the story of every record in a capture.

use crate::audit_rules::{self, Auditor, Extract, Severity, Timelines};
use crate::cli::{AuditArgs, AuditFormat};
use crate::event::Event as WebhookEvent;
use crate::exit::ExitStatus;
use crate::framing::RawPayload;
use crate::pipeline::{self, Event, Processor};
use crate::report::{self, Diagnostics};
use crate::settings::Settings;
use crate::validation::{Options, Validator};
use anyhow::Context;
use std::io::Write;
use std::sync::Arc;

/// A delivery, validated and reduced to what the audit keeps.
enum Item {
    Valid {
        source: Arc<str>,
        line: usize,
        extract: Extract,
    },
    Invalid {
        source: Arc<str>,
        line: usize,
        object_id: Option<String>,
        message: String,
        malformed: bool,
    },
}

struct Extractor {
    validator: Validator,
    keep_records: bool,
}

impl Processor for Extractor {
    type Output = Item;

    fn process(&self, source: &Arc<str>, raw: &RawPayload<'_>) -> Item {
        let result = self.validator.validate(source, raw);
        let extracted = if result.is_valid() {
            let event = result.event.as_deref().and_then(WebhookEvent::from_name);
            serde_json::from_slice(&raw.bytes)
                .ok()
                .zip(event)
                .and_then(|(value, event)| audit_rules::extract(&value, event, self.keep_records))
        } else {
            None
        };
        match extracted {
            Some(extract) => Item::Valid {
                source: Arc::clone(source),
                line: raw.line,
                extract,
            },
            None => {
                let message = result.errors.first().map_or_else(
                    || "no objectId or timestamp to place it in a story".to_owned(),
                    |error| {
                        format!(
                            "{} (line {}, column {})",
                            error.message, error.line, error.column
                        )
                    },
                );
                Item::Invalid {
                    source: Arc::clone(source),
                    line: raw.line,
                    object_id: result.object_id.map(String::from),
                    message,
                    malformed: result.malformed,
                }
            }
        }
    }

    fn malformed(output: &Item) -> bool {
        matches!(
            output,
            Item::Invalid {
                malformed: true,
                ..
            }
        )
    }

    fn for_worker(&self) -> Self {
        Extractor {
            validator: self.validator.for_another_thread(),
            keep_records: self.keep_records,
        }
    }
}

/// Runs `audit`.
pub fn run(
    args: &AuditArgs,
    settings: &Settings,
    mut out: Box<dyn Write + '_>,
    diagnostics: &mut Diagnostics<impl Write>,
) -> anyhow::Result<ExitStatus> {
    let (inputs, errors) = super::discover_inputs(&args.paths, diagnostics);
    let mut unreadable = errors.len();
    let extractor = Extractor {
        validator: Validator::new(Options::default()),
        keep_records: args.state.is_some(),
    };
    let jobs = args.jobs.map_or(settings.cores, usize::from);
    let mut auditor = Auditor::new();
    pipeline::run(&inputs, &extractor, jobs, |event| match event {
        Event::Result(Item::Valid {
            source,
            line,
            extract,
        }) => auditor.add(source, *line, extract),
        Event::Result(Item::Invalid {
            source,
            line,
            object_id,
            message,
            ..
        }) => {
            auditor.add_invalid(source, *line, object_id.clone(), message.clone());
            Ok(())
        }
        Event::Unreadable(error) => {
            unreadable += 1;
            diagnostics.input_error(error);
            Ok(())
        }
    })
    .context("auditing the capture")?;
    let timelines = match (args.format, args.all) {
        (AuditFormat::Json, _) => Timelines::None,
        (AuditFormat::Human, false) => Timelines::WithProblems,
        (AuditFormat::Human, true) => Timelines::All,
    };
    let audit = auditor.finish(timelines).context("auditing the capture")?;
    if let Some(path) = &args.state {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot write the state to {}", path.display()))?;
        let mut writer = std::io::BufWriter::new(file);
        report::audit::state(&mut writer, &audit)
            .and_then(|()| writer.flush())
            .with_context(|| format!("writing the state to {}", path.display()))?;
    }
    match args.format {
        AuditFormat::Human => report::audit::human(&mut out, &audit, args.all, settings.color)?,
        AuditFormat::Json => report::audit::json(&mut out, &audit)?,
    }
    out.flush().context("writing the audit")?;
    Ok(ExitStatus::from_counts(
        unreadable,
        audit.count(Severity::Error),
    ))
}
