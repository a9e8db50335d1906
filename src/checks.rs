//! Checks beyond the schema, reported as warnings with stable codes: fields
//! the documentation does not show, file paths that do not match their
//! payload, and `updatedFields` entries that cannot be right.

use crate::event::Event;
use crate::parse::push_escaped;
use crate::position::Target;
use crate::shape::Shape;
use serde_json::{Map, Value};

/// A field the documented payload does not have.
pub const UNKNOWN_FIELD: &str = "unknown-field";
/// A key repeated in one object.
pub const DUPLICATE_KEY: &str = "duplicate-key";
/// A file attribute whose `filePath` does not match its payload.
pub const FILE_PATH_MISMATCH: &str = "file-path-mismatch";
/// An `updatedFields` entry that is not a record field.
pub const UNKNOWN_UPDATED_FIELD: &str = "unknown-updated-field";
/// `file` in `updatedFields` without any file attribute on the record.
pub const FILE_WITHOUT_ATTRIBUTE: &str = "file-without-attribute";
/// The source starts with a UTF-8 byte-order mark.
pub const BYTE_ORDER_MARK: &str = "byte-order-mark";

/// Every warning code, for documentation and tests.
pub const WARNING_CODES: [&str; 6] = [
    UNKNOWN_FIELD,
    DUPLICATE_KEY,
    FILE_PATH_MISMATCH,
    UNKNOWN_UPDATED_FIELD,
    FILE_WITHOUT_ATTRIBUTE,
    BYTE_ORDER_MARK,
];

/// The names Synap uses in `updatedFields`: the record's own fields, `attr`
/// for any custom attribute, and `file` for a changed file attribute.
pub const UPDATED_FIELD_NAMES: [&str; 6] = [
    "name",
    "score",
    "achievedOn",
    "visibleToStudent",
    "attr",
    "file",
];

/// A warning before it is placed in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Stable code.
    pub code: &'static str,
    /// JSON pointer.
    pub path: String,
    /// Whether to point at the key or the value.
    pub target: Target,
    /// Plain-language explanation.
    pub message: String,
}

/// Runs every check on a payload object of a known event.
pub fn check(payload: &Map<String, Value>, event: Event, shape: &Shape) -> Vec<Warning> {
    let mut warnings = Vec::new();
    unknown_fields(payload, shape, event, None, &mut warnings);
    file_paths(payload, &mut warnings);
    if event == Event::Updated {
        updated_fields(payload, &mut warnings);
    }
    warnings
}

/// The path to the value being walked, linked through the walk's stack
/// frames: nothing is allocated, and the JSON pointer is built only when a
/// warning needs it.
struct Path<'p, 'a> {
    parent: Option<&'p Path<'p, 'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

impl Path<'_, '_> {
    fn pointer(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.push(path.step);
            at = path.parent;
        }
        let mut pointer = String::new();
        for step in steps.iter().rev() {
            pointer.push('/');
            match step {
                Step::Key(key) => push_escaped(&mut pointer, key),
                Step::Index(index) => pointer.push_str(&index.to_string()),
            }
        }
        pointer
    }
}

fn unknown_fields<'a>(
    object: &'a Map<String, Value>,
    shape: &Shape,
    event: Event,
    parent: Option<&Path<'_, 'a>>,
    warnings: &mut Vec<Warning>,
) {
    if !shape.checks_fields {
        return;
    }
    for (key, value) in object {
        let child = shape.field(key).or(shape.other_fields.as_deref());
        // Most values are strings and numbers: nothing to walk into.
        if child.is_some() && !matches!(value, Value::Object(_) | Value::Array(_)) {
            continue;
        }
        let path = Path {
            parent,
            step: Step::Key(key),
        };
        match child {
            Some(child) => walk(value, child, event, &path, warnings),
            None => warnings.push(Warning {
                code: UNKNOWN_FIELD,
                path: path.pointer(),
                target: Target::Key,
                message: format!(
                    "field \"{}\" is not in Synap's documented {event} payload",
                    display_key(key)
                ),
            }),
        }
    }
}

fn walk<'a>(
    value: &'a Value,
    shape: &Shape,
    event: Event,
    path: &Path<'_, 'a>,
    warnings: &mut Vec<Warning>,
) {
    match value {
        Value::Object(object) => unknown_fields(object, shape, event, Some(path), warnings),
        Value::Array(items) => {
            if let Some(item_shape) = &shape.items {
                for (index, item) in items.iter().enumerate() {
                    let path = Path {
                        parent: Some(path),
                        step: Step::Index(index),
                    };
                    walk(item, item_shape, event, &path, warnings);
                }
            }
        }
        _ => {}
    }
}

/// A file attribute's `filePath` is `portal id/user/user id/learning-record-attr/attribute key/file name`.
fn file_paths(payload: &Map<String, Value>, warnings: &mut Vec<Warning>) {
    let id_of = |object: &str| {
        payload
            .get(object)
            .and_then(|value| value.get("id"))
            .and_then(Value::as_str)
    };
    let portal = id_of("portal");
    let user = id_of("user");
    for (key, file) in file_attributes(payload) {
        let key = key.as_str();
        let Some(file_path) = file.get("filePath").and_then(Value::as_str) else {
            continue;
        };
        // The first six segments; a missing one reads as empty.
        let mut split = file_path.split('/');
        let segments: [&str; 6] = std::array::from_fn(|_| split.next().unwrap_or_default());
        let expected = [
            (portal, "the portal id (portal.id)"),
            (user.map(|_| "user"), "\"user\""),
            (user, "the user id (user.id)"),
            (Some("learning-record-attr"), "\"learning-record-attr\""),
            (Some(key), "the attribute key"),
        ];
        let problem = if segments[5].is_empty() {
            Some(format!(
                "filePath \"{}\" does not have the documented layout portal/user/<user id>/learning-record-attr/<attribute>/<file name>",
                display_key(file_path)
            ))
        } else {
            expected
                .iter()
                .enumerate()
                .find_map(|(position, (wanted, what))| {
                    let wanted = (*wanted)?;
                    (segments[position] != wanted).then(|| {
                        format!(
                            "filePath segment {} is \"{}\", expected {what} \"{}\"",
                            position + 1,
                            display_key(segments[position]),
                            display_key(wanted)
                        )
                    })
                })
        };
        if let Some(message) = problem {
            let mut path = "/learningRecord/attr/".to_owned();
            push_escaped(&mut path, key);
            path.push_str("/filePath");
            warnings.push(Warning {
                code: FILE_PATH_MISMATCH,
                path,
                target: Target::Value,
                message,
            });
        }
    }
}

/// Custom attributes whose value is an object (a file attribute).
fn file_attributes(
    payload: &Map<String, Value>,
) -> impl Iterator<Item = (&String, &Map<String, Value>)> {
    payload
        .get("learningRecord")
        .and_then(|record| record.get("attr"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some((key, value.as_object()?)))
}

fn updated_fields(payload: &Map<String, Value>, warnings: &mut Vec<Warning>) {
    let Some(entries) = payload.get("updatedFields").and_then(Value::as_array) else {
        return;
    };
    let has_file = file_attributes(payload).next().is_some();
    for (index, entry) in entries.iter().enumerate() {
        let Some(name) = entry.as_str() else { continue };
        let path = || format!("/updatedFields/{index}");
        if !UPDATED_FIELD_NAMES.contains(&name) {
            warnings.push(Warning {
                code: UNKNOWN_UPDATED_FIELD,
                path: path(),
                target: Target::Value,
                message: format!(
                    "updatedFields names \"{}\", which is not a record field (expected one of {}; a custom attribute shows as \"attr\")",
                    display_key(name),
                    UPDATED_FIELD_NAMES.join(", ")
                ),
            });
        } else if name == "file" && !has_file {
            warnings.push(Warning {
                code: FILE_WITHOUT_ATTRIBUTE,
                path: path(),
                target: Target::Value,
                message: "updatedFields lists \"file\" but the record has no file attribute"
                    .to_owned(),
            });
        }
    }
}

/// A key or value quoted in a message: secrets masked, controls escaped, shortened.
fn display_key(text: &str) -> String {
    crate::safe_text::shorten(&crate::safe_text::displayable(text, false), 80).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schemas;
    use serde_json::json;

    fn run(payload: Value, event: Event) -> Vec<(&'static str, String)> {
        let shape = Shape::of_schema(&schemas::standalone(event));
        check(payload.as_object().unwrap(), event, &shape)
            .into_iter()
            .map(|w| (w.code, w.path))
            .collect()
    }

    fn documented(event: Event) -> Value {
        serde_json::from_str(crate::samples::documented(event)).unwrap()
    }

    #[test]
    fn documented_examples_have_no_warnings() {
        for event in Event::ALL {
            assert_eq!(run(documented(event), event), [], "{event}");
        }
    }

    #[test]
    fn flags_undocumented_fields_but_not_portal_defined_keys() {
        let mut payload = documented(Event::Created);
        payload["learningRecord"]["extra"] = json!(1);
        payload["learningRecord"]["attr"]["new-attr"] = json!("ok");
        payload["user"]["customAttributes"]["anything"] = json!({"nested": 1});
        payload["learningRecord"]["attr"]["file"]["checksum"] = json!("abc");
        assert_eq!(
            run(payload, Event::Created),
            [
                (
                    UNKNOWN_FIELD,
                    "/learningRecord/attr/file/checksum".to_owned()
                ),
                (UNKNOWN_FIELD, "/learningRecord/extra".to_owned()),
            ]
        );
        let mut deleted = documented(Event::Deleted);
        deleted["learningRecord"]["score"] = json!(3);
        deleted["updatedFields"] = json!(["name"]);
        assert_eq!(
            run(deleted, Event::Deleted),
            [
                (UNKNOWN_FIELD, "/learningRecord/score".to_owned()),
                (UNKNOWN_FIELD, "/updatedFields".to_owned()),
            ]
        );
    }

    #[test]
    fn flags_file_paths_that_do_not_match_the_payload() {
        let mut payload = documented(Event::Created);
        payload["portal"]["id"] = json!("otherPortal");
        let warnings = run(payload, Event::Created);
        assert_eq!(
            warnings,
            [(
                FILE_PATH_MISMATCH,
                "/learningRecord/attr/file/filePath".to_owned()
            )]
        );
        let mut payload = documented(Event::Created);
        payload["learningRecord"]["attr"]["file"]["filePath"] = json!("luke.pdf");
        assert_eq!(run(payload, Event::Created).len(), 1);
    }

    #[test]
    fn flags_updated_fields_that_cannot_be_right() {
        let mut payload = documented(Event::Updated);
        payload["updatedFields"] = json!(["grade", "file", "score"]);
        payload["learningRecord"]["attr"]
            .as_object_mut()
            .unwrap()
            .remove("file");
        assert_eq!(
            run(payload, Event::Updated),
            [
                (UNKNOWN_UPDATED_FIELD, "/updatedFields/0".to_owned()),
                (FILE_WITHOUT_ATTRIBUTE, "/updatedFields/1".to_owned()),
            ]
        );
    }
}
