//! Rendering a record comparison: a human table, the JSON document, or a
//! JSON Patch.

use crate::json_diff::Change;
use crate::record_audit::RecordDiff;
use crate::safe_text;
use colored::Colorize;
use serde_json::{Value, json};
use std::io::{self, Write};

/// Widest value shown in the human table, in characters.
const VALUE_WIDTH: usize = 60;

/// The human form: one line per change, then the updatedFields verdict.
pub fn human(
    out: &mut dyn Write,
    diff: &RecordDiff,
    color: bool,
    show_secrets: bool,
) -> io::Result<()> {
    let paint = |text: &str, style: fn(&str) -> colored::ColoredString| {
        if color {
            style(text).to_string()
        } else {
            text.to_owned()
        }
    };
    let id = diff.object_id.as_deref().unwrap_or("(no objectId)");
    let count = diff.changes.len();
    writeln!(
        out,
        "{}: {count} change{}",
        paint(&safe_text::displayable(id, false), |t| t.bold()),
        if count == 1 { "" } else { "s" }
    )?;
    let width = diff
        .changes
        .iter()
        .map(|c| c.path.chars().count())
        .max()
        .unwrap_or(0);
    for change in &diff.changes {
        let path = format!("{:width$}", safe_text::displayable(&change.path, false));
        let line = match (&change.before, &change.after) {
            (Some(before), Some(after)) => {
                let (before, after) = shown_pair(before, after, show_secrets);
                format!(
                    "  ~ {path}  {} → {}",
                    paint(&before, |t| t.red()),
                    paint(&after, |t| t.green())
                )
            }
            (None, Some(after)) => format!(
                "  + {path}  {}",
                paint(&shown(after, show_secrets), |t| t.green())
            ),
            (Some(before), None) => format!(
                "  - {path}  {}",
                paint(&shown(before, show_secrets), |t| t.red())
            ),
            (None, None) => continue,
        };
        writeln!(out, "{line}")?;
    }
    let Some(declared) = &diff.declared else {
        return writeln!(
            out,
            "updatedFields: none to check (UPDATED is not an update payload)"
        );
    };
    let list = |names: &[String]| {
        if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        }
    };
    if diff.is_consistent() {
        writeln!(
            out,
            "updatedFields: {}  [{}]",
            paint("consistent", |t| t.green().bold()),
            list(declared)
        )
    } else {
        writeln!(
            out,
            "updatedFields: {}",
            paint("inconsistent", |t| t.red().bold())
        )?;
        writeln!(out, "  declared: {}", list(declared))?;
        writeln!(out, "  changed:  {}", list(&diff.changed))?;
        if !diff.missing.is_empty() {
            writeln!(
                out,
                "  missing:  {}  (changed but not declared)",
                paint(&list(&diff.missing), |t| t.red())
            )?;
        }
        if !diff.extra.is_empty() {
            writeln!(
                out,
                "  extra:    {}  (declared but unchanged)",
                paint(&list(&diff.extra), |t| t.yellow())
            )?;
        }
        Ok(())
    }
}

/// A value as compact JSON, secrets masked, shortened.
fn shown(value: &Value, show_secrets: bool) -> String {
    let text = safe_text::displayable(&value.to_string(), show_secrets);
    safe_text::shorten(&text, VALUE_WIDTH).into_owned()
}

/// Two strings shortened around where they differ, so the change stays visible.
fn shown_pair(before: &Value, after: &Value, show_secrets: bool) -> (String, String) {
    let before: Vec<char> = safe_text::displayable(&before.to_string(), show_secrets)
        .chars()
        .collect();
    let after: Vec<char> = safe_text::displayable(&after.to_string(), show_secrets)
        .chars()
        .collect();
    if before.len() <= VALUE_WIDTH && after.len() <= VALUE_WIDTH {
        return (before.iter().collect(), after.iter().collect());
    }
    let prefix = before
        .iter()
        .zip(&after)
        .take_while(|(a, b)| a == b)
        .count();
    let start = prefix.saturating_sub(12);
    let cut = |chars: &[char]| {
        let end = (start + VALUE_WIDTH).min(chars.len());
        let mut text: String = chars[start.min(chars.len())..end].iter().collect();
        if start > 0 {
            text.insert(0, '…');
        }
        if end < chars.len() {
            text.push('…');
        }
        text
    };
    (cut(&before), cut(&after))
}

/// The JSON document, fields in the documented order.
#[derive(serde::Serialize)]
struct DiffWire<'a> {
    #[serde(rename = "objectId")]
    object_id: Option<&'a str>,
    consistent: Option<bool>,
    declared: Option<&'a [String]>,
    changed: &'a [String],
    missing: &'a [String],
    extra: &'a [String],
    changes: Vec<Value>,
}

/// The JSON form (documented in the README).
pub fn json(out: &mut dyn Write, diff: &RecordDiff, show_secrets: bool) -> io::Result<()> {
    let value = |v: &Value| if show_secrets { v.clone() } else { masked(v) };
    let changes: Vec<Value> = diff
        .changes
        .iter()
        .map(|c: &Change| {
            let mut entry = json!({"path": c.path});
            if let Some(before) = &c.before {
                entry["before"] = value(before);
            }
            if let Some(after) = &c.after {
                entry["after"] = value(after);
            }
            entry
        })
        .collect();
    let document = DiffWire {
        object_id: diff.object_id.as_deref(),
        consistent: diff.declared.as_ref().map(|_| diff.is_consistent()),
        declared: diff.declared.as_deref(),
        changed: &diff.changed,
        missing: &diff.missing,
        extra: &diff.extra,
        changes,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

/// The patch as pretty JSON.
pub fn patch(out: &mut dyn Write, patch: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, patch)?;
    writeln!(out)
}

/// A copy with presigned-URL credentials masked in every string.
pub fn masked(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(safe_text::mask_secrets(text).into_owned()),
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), masked(v))).collect())
        }
        other => other.clone(),
    }
}
