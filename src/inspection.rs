//! What `inspect` shows of a payload, as data: sections of labelled rows,
//! every value already safe to print (secrets masked unless asked, controls
//! escaped, long values shortened). Pure: the current time is passed in.

use crate::findings::PayloadResult;
use crate::safe_text;
use crate::timefmt;
use serde_json::{Map, Value};

/// How a row's value should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Plain.
    Plain,
    /// Secondary detail.
    Dim,
    /// Good news (valid, visible, not expired).
    Good,
    /// A problem (invalid, expired).
    Bad,
}

/// One labelled value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Indentation level (0 for section rows, 1 for details).
    pub depth: usize,
    /// The label.
    pub label: String,
    /// The value, safe to print.
    pub value: String,
    /// How it should look.
    pub tone: Tone,
}

/// A titled group of rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `user`, `portal`, `record`, ...
    pub title: String,
    /// The section's own value (shown beside the title).
    pub summary: String,
    /// Rows under the title.
    pub rows: Vec<Row>,
}

/// Everything shown for one payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// `source:line`.
    pub place: String,
    /// Event name, or `unknown event`.
    pub event: String,
    /// When it happened: UTC and relative.
    pub when: Option<String>,
    /// The validation verdict.
    pub result: PayloadResult,
    /// The payload, section by section (empty when it could not be parsed).
    pub sections: Vec<Section>,
}

/// Widest value, in characters: rows stay within 80 columns.
const VALUE_WIDTH: usize = 56;

/// Builds the inspection of a payload (`value` is `None` when malformed).
pub fn inspect(
    value: Option<&Value>,
    result: PayloadResult,
    now_millis: i64,
    show_secrets: bool,
) -> Inspection {
    let text = |v: &str| {
        safe_text::shorten(&safe_text::displayable(v, show_secrets), VALUE_WIDTH).into_owned()
    };
    let object = value.and_then(Value::as_object);
    let get = |path: &[&str]| -> Option<&Value> {
        let mut current = object?.get(path[0])?;
        for key in &path[1..] {
            current = current.get(key)?;
        }
        Some(current)
    };
    let string = |path: &[&str]| get(path).and_then(Value::as_str);
    let event_time = string(&["meta", "timestamp"]).and_then(timefmt::parse_rfc3339);
    let when = string(&["meta", "timestamp"]).map(|raw| match timefmt::parse_rfc3339(raw) {
        Some(millis) => format!(
            "{} ({})",
            timefmt::utc(millis),
            timefmt::relative(millis, now_millis)
        ),
        None => format!("{} (not a valid date-time)", text(raw)),
    });
    let mut sections = Vec::new();
    if let Some(user) = get(&["user"]).and_then(Value::as_object) {
        sections.push(user_section(user, &text));
    }
    if let Some(portal) = string(&["portal", "id"]) {
        sections.push(Section {
            title: "portal".into(),
            summary: text(portal),
            rows: Vec::new(),
        });
    }
    if let Some(record) = get(&["learningRecord"]).and_then(Value::as_object) {
        sections.push(record_section(
            record,
            event_time,
            now_millis,
            show_secrets,
            &text,
        ));
    }
    if let Some(fields) = get(&["updatedFields"]).and_then(Value::as_array) {
        let names: Vec<String> = fields
            .iter()
            .map(|f| f.as_str().map_or_else(|| f.to_string(), str::to_owned))
            .collect();
        sections.push(Section {
            title: "updated".into(),
            summary: text(&names.join(", ")),
            rows: Vec::new(),
        });
    }
    Inspection {
        place: format!("{}:{}", result.source, result.line),
        event: result
            .event
            .clone()
            .map_or_else(|| "unknown event".to_owned(), |e| text(&e)),
        when,
        result,
        sections,
    }
}

fn row(depth: usize, label: &str, value: String, tone: Tone) -> Row {
    Row {
        depth,
        label: label.to_owned(),
        value,
        tone,
    }
}

fn user_section(user: &Map<String, Value>, text: &dyn Fn(&str) -> String) -> Section {
    let name = user
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("(no name)");
    let email = user
        .get("email")
        .and_then(Value::as_str)
        .map(|e| format!(" <{}>", text(e)))
        .unwrap_or_default();
    let mut rows = Vec::new();
    if let Some(id) = user.get("id").and_then(Value::as_str) {
        rows.push(row(1, "id", text(id), Tone::Plain));
    }
    match user.get("subPortalId") {
        Some(Value::String(sub)) => rows.push(row(1, "sub-portal", text(sub), Tone::Plain)),
        Some(Value::Null) | None => rows.push(row(1, "sub-portal", "none".into(), Tone::Dim)),
        Some(other) => rows.push(row(1, "sub-portal", text(&other.to_string()), Tone::Bad)),
    }
    if let Some(attributes) = user.get("customAttributes").and_then(Value::as_object) {
        let nulls = attributes.values().filter(|v| v.is_null()).count();
        for (key, value) in attributes.iter().filter(|(_, v)| !v.is_null()) {
            rows.push(row(1, &text(key), text(&scalar(value)), Tone::Plain));
        }
        if nulls > 0 {
            rows.push(row(
                1,
                "attributes",
                format!("{nulls} of {} null", attributes.len()),
                Tone::Dim,
            ));
        }
    }
    Section {
        title: "user".into(),
        summary: format!("{}{email}", text(name)),
        rows,
    }
}

fn record_section(
    record: &Map<String, Value>,
    event_time: Option<i64>,
    now: i64,
    show_secrets: bool,
    text: &dyn Fn(&str) -> String,
) -> Section {
    let id = record
        .get("objectId")
        .and_then(Value::as_str)
        .unwrap_or("(no objectId)");
    let name = record
        .get("name")
        .and_then(Value::as_str)
        .map(|n| format!("  \"{}\"", text(n)))
        .unwrap_or_default();
    let mut rows = Vec::new();
    match record.get("score") {
        Some(Value::Number(score)) => rows.push(row(1, "score", format!("{score}%"), Tone::Plain)),
        Some(Value::Null) => rows.push(row(1, "score", "none".into(), Tone::Dim)),
        Some(other) => rows.push(row(1, "score", text(&other.to_string()), Tone::Bad)),
        None => {}
    }
    if let Some(achieved) = record.get("achievedOn") {
        let shown = match achieved.as_str().map(|a| (a, timefmt::parse_rfc3339(a))) {
            Some((_, Some(millis))) => (timefmt::date(millis), Tone::Plain),
            Some((raw, None)) => (text(raw), Tone::Bad),
            None if achieved.is_null() => ("none".into(), Tone::Dim),
            None => (text(&achieved.to_string()), Tone::Bad),
        };
        rows.push(row(1, "achieved on", shown.0, shown.1));
    }
    match record.get("visibleToStudent") {
        Some(Value::Bool(true)) => {
            rows.push(row(1, "visible", "yes, to the student".into(), Tone::Good))
        }
        Some(Value::Bool(false)) => rows.push(row(
            1,
            "visible",
            "no, hidden from the student".into(),
            Tone::Dim,
        )),
        Some(other) => rows.push(row(1, "visible", text(&other.to_string()), Tone::Bad)),
        None => {}
    }
    if let Some(attributes) = record.get("attr").and_then(Value::as_object) {
        for (key, value) in attributes {
            match value.as_object() {
                Some(file) => file_rows(
                    &mut rows,
                    &text(key),
                    file,
                    event_time,
                    now,
                    show_secrets,
                    text,
                ),
                None => rows.push(row(1, &text(key), text(&scalar(value)), Tone::Plain)),
            }
        }
    }
    Section {
        title: "record".into(),
        summary: format!("{}{name}", text(id)),
        rows,
    }
}

fn file_rows(
    rows: &mut Vec<Row>,
    key: &str,
    file: &Map<String, Value>,
    event_time: Option<i64>,
    now: i64,
    show_secrets: bool,
    text: &dyn Fn(&str) -> String,
) {
    let field = |name: &str| file.get(name).and_then(Value::as_str);
    let size = file.get("size").and_then(Value::as_u64).map(human_size);
    let summary = [
        field("fileName").map(text),
        field("mimeType").map(text),
        size,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("  ");
    rows.push(row(1, key, summary, Tone::Plain));
    if let Some(path) = field("filePath") {
        rows.push(row(2, "path", text(path), Tone::Dim));
    }
    let Some(url) = field("url") else { return };
    let host = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("");
    rows.push(row(2, "host", text(host), Tone::Dim));
    let query = |name: &str| {
        url.split_once('?').and_then(|(_, q)| {
            q.split('&').find_map(|pair| {
                pair.split_once('=')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            })
        })
    };
    let signed = query("X-Amz-Date").and_then(timefmt::parse_amz_date);
    let expires_in = query("X-Amz-Expires").and_then(|e| e.parse::<i64>().ok());
    if let Some(signed) = signed {
        let delay = event_time.map(|event| {
            let gap = signed - event;
            if gap >= 0 {
                format!(" ({} after the event)", timefmt::duration(gap))
            } else {
                format!(" ({} before the event)", timefmt::duration(gap))
            }
        });
        rows.push(row(
            2,
            "signed",
            format!("{}{}", timefmt::utc(signed), delay.unwrap_or_default()),
            Tone::Plain,
        ));
        if let Some(seconds) = expires_in {
            let expiry = signed + seconds * 1000;
            let (state, tone) = if expiry <= now {
                ("expired".to_owned(), Tone::Bad)
            } else {
                (
                    format!("valid for {}", timefmt::duration(expiry - now)),
                    Tone::Good,
                )
            };
            rows.push(row(
                2,
                "expires",
                format!("{} ({state})", timefmt::utc(expiry)),
                tone,
            ));
        }
    }
    let credentials = if show_secrets {
        "shown (--show-secrets)"
    } else {
        "masked"
    };
    if url.to_ascii_lowercase().contains("x-amz-") {
        rows.push(row(2, "credentials", credentials.to_owned(), Tone::Dim));
    }
}

/// A non-file attribute value as one line.
fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Bytes in binary units: 423377 → `413.5 KiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::validation::Validator;

    fn inspected(event: Event, now: i64) -> Inspection {
        let text = crate::samples::documented(event);
        let value: Value = serde_json::from_str(text).unwrap();
        let result = Validator::default().validate_bytes("x.json", text.as_bytes());
        inspect(Some(&value), result, now, false)
    }

    fn all_text(inspection: &Inspection) -> String {
        let mut out = format!(
            "{} {} {:?}\n",
            inspection.place, inspection.event, inspection.when
        );
        for section in &inspection.sections {
            out.push_str(&format!("{} {}\n", section.title, section.summary));
            for row in &section.rows {
                out.push_str(&format!("{} {}\n", row.label, row.value));
            }
        }
        out
    }

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_size(423_377), "413.5 KiB");
        assert_eq!(human_size(12), "12 bytes");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MiB");
    }

    #[test]
    fn shows_the_file_link_lifetime_without_its_credentials() {
        let now = timefmt::parse_rfc3339("2024-06-28T00:00:00Z").unwrap();
        let text = all_text(&inspected(Event::Updated, now));
        for expected in [
            "2024-06-25 11:16:31 UTC (2 days ago)",
            "Charlotte Blue <charlotte+blue@synap.ac>",
            "score 66%",
            "achieved on 2024-06-24",
            "WU7BRiKFgZg.pdf  application/pdf  413.5 KiB",
            "host synap-files-prod.s3.eu-west-1.amazonaws.com",
            "signed 2024-06-25 11:31:25 UTC (14 min 53 s after the event)",
            "expires 2024-06-25 12:31:25 UTC (expired)",
            "attributes 7 of 7 null",
            "updated attr, achievedOn, name, score, file",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(!text.contains("a18b4cceb"));
        let early = timefmt::parse_rfc3339("2024-06-25T12:00:00Z").unwrap();
        assert!(all_text(&inspected(Event::Updated, early)).contains("(valid for 31 min 25 s)"));
    }
}
