//! Comparing a stored learning record with an update, and auditing the
//! update's `updatedFields` with Synap's own names. Pure; reused by `diff`,
//! `audit` and any receiver that applies updates.

use crate::json_diff::{self, Change};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The record's own fields, named as themselves in `updatedFields`, in the
/// order changes are listed.
pub const RECORD_FIELDS: [&str; 4] = ["name", "score", "achievedOn", "visibleToStudent"];

/// What a comparison of two versions of one record found.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordDiff {
    /// The record's `objectId`.
    pub object_id: Option<String>,
    /// Values that differ (re-signed file links left out).
    pub changes: Vec<Change>,
    /// `updatedFields` of the update, `None` when it has none (a created
    /// payload or a bare record).
    pub declared: Option<Vec<String>>,
    /// `updatedFields` names for what actually differs.
    pub changed: Vec<String>,
    /// Changed but not declared.
    pub missing: Vec<String>,
    /// Declared but unchanged.
    pub extra: Vec<String>,
}

impl RecordDiff {
    /// Whether `updatedFields` tells the truth (trivially so without one).
    pub fn is_consistent(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty()
    }
}

/// The learning record of a payload, or the value itself when it is a bare
/// record (an object with an `objectId`, as a consumer stores it).
pub fn record_of(value: &Value) -> Option<&Map<String, Value>> {
    let object = value.as_object()?;
    match object.get("learningRecord") {
        Some(record) => record.as_object(),
        None if object.contains_key("objectId") => Some(object),
        None => None,
    }
}

/// `updatedFields` of a payload, when it has a list of strings.
pub fn declared_fields(value: &Value) -> Option<Vec<String>> {
    let entries = value.get("updatedFields")?.as_array()?;
    Some(
        entries
            .iter()
            .filter_map(|e| e.as_str().map(str::to_owned))
            .collect(),
    )
}

/// Compares two versions of a record. `ignore` holds JSON pointers inside the
/// record to leave out.
pub fn compare(
    prior: &Map<String, Value>,
    updated: &Map<String, Value>,
    declared: Option<Vec<String>>,
    ignore: &[String],
) -> RecordDiff {
    let prior_value = Value::Object(prior.clone());
    let updated_value = Value::Object(without_resigned_links(prior, updated));
    let changes = json_diff::diff(&prior_value, &updated_value, ignore);
    let changed = changed_names(&changes, prior, updated);
    let (missing, extra) = match &declared {
        Some(declared) => (
            changed
                .iter()
                .filter(|name| !declared.contains(name))
                .cloned()
                .collect(),
            unique(declared)
                .into_iter()
                .filter(|name| !changed.contains(name))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    RecordDiff {
        object_id: updated
            .get("objectId")
            .or_else(|| prior.get("objectId"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        changes,
        declared,
        changed,
        missing,
        extra,
    }
}

fn unique(names: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    names
        .iter()
        .filter(|name| seen.insert(name.as_str()))
        .cloned()
        .collect()
}

/// A copy of `updated` in which a file attribute whose link was only signed
/// anew (same `filePath`, same URL up to the query string) keeps the prior
/// URL: Synap signs links at every delivery, so that is not a change.
fn without_resigned_links(
    prior: &Map<String, Value>,
    updated: &Map<String, Value>,
) -> Map<String, Value> {
    let mut copy = updated.clone();
    let (Some(Value::Object(old_attr)), Some(Value::Object(new_attr))) =
        (prior.get("attr"), copy.get_mut("attr"))
    else {
        return copy;
    };
    for (key, new_file) in new_attr.iter_mut() {
        let Some(old_file) = old_attr.get(key) else {
            continue;
        };
        if is_resigned(old_file, new_file)
            && let Some(new_file) = new_file.as_object_mut()
        {
            new_file.insert("url".to_owned(), old_file["url"].clone());
        }
    }
    copy
}

fn is_resigned(old: &Value, new: &Value) -> bool {
    let link = |file: &Value| {
        let url = file.get("url")?.as_str()?;
        Some((
            url.split(['?', '#']).next()?.to_owned(),
            file.get("filePath")?.clone(),
        ))
    };
    matches!((link(old), link(new)), (Some(a), Some(b)) if a == b)
}

/// Synap's names for what changed: record fields as themselves, any custom
/// attribute as `attr`, a file attribute also as `file`.
pub fn changed_names(
    changes: &[Change],
    prior: &Map<String, Value>,
    updated: &Map<String, Value>,
) -> Vec<String> {
    let mut names = BTreeSet::new();
    for change in changes {
        let mut tokens = change.path.trim_start_matches('/').splitn(3, '/');
        let field = tokens
            .next()
            .unwrap_or_default()
            .replace("~1", "/")
            .replace("~0", "~");
        if field == "attr" {
            names.insert("attr".to_owned());
            let key = tokens
                .next()
                .map(|k| k.replace("~1", "/").replace("~0", "~"));
            let is_file = |record: &Map<String, Value>| match &key {
                Some(key) => record
                    .get("attr")
                    .and_then(|a| a.get(key))
                    .is_some_and(Value::is_object),
                // The whole attr object changed type: any file attribute counts.
                None => record
                    .get("attr")
                    .and_then(Value::as_object)
                    .is_some_and(|a| a.values().any(Value::is_object)),
            };
            if is_file(prior) || is_file(updated) {
                names.insert("file".to_owned());
            }
        } else if !field.is_empty() {
            names.insert(field);
        }
    }
    let order = |name: &String| {
        RECORD_FIELDS
            .iter()
            .position(|field| field == name)
            .unwrap_or(match name.as_str() {
                "attr" => RECORD_FIELDS.len(),
                "file" => RECORD_FIELDS.len() + 1,
                _ => RECORD_FIELDS.len() + 2,
            })
    };
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|name| (order(name), name.clone()));
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::samples;
    use serde_json::json;

    fn payload(event: Event) -> Value {
        serde_json::from_str(samples::documented(event)).unwrap()
    }

    fn audit(prior: &Value, updated: &Value) -> RecordDiff {
        compare(
            record_of(prior).unwrap(),
            record_of(updated).unwrap(),
            declared_fields(updated),
            &[],
        )
    }

    #[test]
    fn the_documented_pair_is_consistent() {
        let result = audit(&payload(Event::Created), &payload(Event::Updated));
        assert_eq!(
            result.changed,
            ["name", "score", "achievedOn", "attr", "file"]
        );
        assert!(result.is_consistent(), "{result:?}");
        assert_eq!(result.object_id.as_deref(), Some("lcfdxBQ13vT"));
    }

    /// An update of the documented updated payload with `field` set to `value`
    /// and `updatedFields` set to `declared`.
    fn update(path: &[&str], value: Value, declared: &[&str]) -> (Value, Value) {
        let prior = payload(Event::Updated);
        let mut updated = prior.clone();
        let mut target = &mut updated["learningRecord"];
        for key in &path[..path.len() - 1] {
            target = &mut target[*key];
        }
        target[path[path.len() - 1]] = value;
        updated["updatedFields"] = json!(declared);
        (prior, updated)
    }

    #[test]
    fn each_record_field_alone_declared_and_not() {
        let cases: [(&[&str], Value, &str); 4] = [
            (&["name"], json!("Renamed"), "name"),
            (&["score"], json!(12), "score"),
            (
                &["achievedOn"],
                json!("2024-07-01T00:00:00.000Z"),
                "achievedOn",
            ),
            (&["visibleToStudent"], json!(false), "visibleToStudent"),
        ];
        for (path, value, name) in cases {
            let (prior, updated) = update(path, value.clone(), &[name]);
            let result = audit(&prior, &updated);
            assert_eq!(result.changed, [name]);
            assert!(result.is_consistent(), "{name}");
            let (prior, updated) = update(path, value, &["attr"]);
            let result = audit(&prior, &updated);
            assert_eq!(result.missing, [name]);
            assert_eq!(result.extra, ["attr"]);
        }
    }

    #[test]
    fn attributes_added_removed_and_changed_are_attr() {
        let (prior, updated) = update(&["attr", "level"], json!("gold"), &["attr"]);
        assert!(audit(&prior, &updated).is_consistent());
        let (prior, mut updated) = update(&["attr", "grade"], json!("b"), &["attr"]);
        updated["learningRecord"]["attr"]
            .as_object_mut()
            .unwrap()
            .remove("free-text");
        let result = audit(&prior, &updated);
        assert_eq!(result.changed, ["attr"]);
        assert!(result.is_consistent());
    }

    #[test]
    fn a_replaced_file_is_attr_and_file_but_a_resigned_link_is_nothing() {
        let prior = payload(Event::Updated);
        let url = prior["learningRecord"]["attr"]["file"]["url"]
            .as_str()
            .unwrap();
        let resigned = url.replace("X-Amz-Date=20240625T113125Z", "X-Amz-Date=20240626T090000Z");
        let (prior, updated) = update(&["attr", "file", "url"], json!(resigned), &["score"]);
        let result = audit(&prior, &updated);
        assert!(result.changes.is_empty(), "{:?}", result.changes);
        assert_eq!(result.extra, ["score"]);
        let (prior, updated) = update(&["attr", "file", "size"], json!(1), &["attr", "file"]);
        let result = audit(&prior, &updated);
        assert_eq!(result.changed, ["attr", "file"]);
        assert!(result.is_consistent());
        let (prior, updated) = update(&["attr", "file", "size"], json!(1), &["attr"]);
        assert_eq!(audit(&prior, &updated).missing, ["file"]);
    }

    #[test]
    fn bare_records_and_created_payloads_are_accepted() {
        let prior = payload(Event::Created);
        let bare = prior["learningRecord"].clone();
        let result = audit(&bare, &payload(Event::Updated));
        assert!(result.is_consistent());
        let result = audit(&payload(Event::Updated), &prior);
        assert_eq!(result.declared, None);
        assert!(result.is_consistent());
        assert!(record_of(&json!({"user": {}})).is_none());
    }

    #[test]
    fn ignored_paths_are_left_out() {
        let (prior, updated) = update(&["score"], json!(1), &["attr"]);
        let result = compare(
            record_of(&prior).unwrap(),
            record_of(&updated).unwrap(),
            declared_fields(&updated),
            &["/score".to_owned()],
        );
        assert!(result.changes.is_empty());
        assert_eq!(result.extra, ["attr"]);
    }
}
