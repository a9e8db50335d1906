//! The bundled JSON Schemas: one per event plus their shared parts, compiled
//! into the binary, and the standalone (bundled) form that `schema show` prints.

use crate::event::Event;
use serde_json::Value;

const COMMON: &str = include_str!("../schemas/common.json");
const CREATED: &str = include_str!("../schemas/learningRecord.created.json");
const UPDATED: &str = include_str!("../schemas/learningRecord.updated.json");
const DELETED: &str = include_str!("../schemas/learningRecord.deleted.json");
const REPORT: &str = include_str!("../schemas/report.json");

/// The prefix event schemas use to reach the shared definitions.
const COMMON_REF: &str = "common.json#";

/// The schema source of one event, as written in `schemas/` (its shared parts
/// are references into `common.json`).
pub fn source(event: Event) -> &'static str {
    match event {
        Event::Created => CREATED,
        Event::Updated => UPDATED,
        Event::Deleted => DELETED,
    }
}

/// The schema of the `--format json` validation report.
pub fn report_schema() -> Value {
    serde_json::from_str(REPORT).expect("bundled report schema is valid JSON")
}

/// The standalone schema of one event: the shared definitions copied into its
/// `$defs` and every reference made local, so any JSON Schema 2020-12
/// validator can use it alone.
pub fn standalone(event: Event) -> Value {
    let mut schema: Value =
        serde_json::from_str(source(event)).expect("bundled event schema is valid JSON");
    let common: Value = serde_json::from_str(COMMON).expect("bundled common schema is valid JSON");
    localise_refs(&mut schema);
    let defs = common
        .get("$defs")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert("$defs".to_owned(), Value::Object(defs));
    }
    schema
}

/// The standalone schema with every reference that stands alone (a `$ref`
/// with no sibling keywords) replaced by what it points to. The same rules,
/// with fewer hops for the validator at every value; `schema show` prints
/// the readable form with its references.
pub fn for_validation(event: Event) -> Value {
    let schema = standalone(event);
    let mut inlined = schema.clone();
    inline_lone_refs(&mut inlined, &schema, 0);
    inlined
}

/// Our schemas nest a few levels and have no cycles; this bounds the work
/// should one ever be added.
const MAX_INLINE_DEPTH: usize = 32;

fn inline_lone_refs(value: &mut Value, root: &Value, depth: usize) {
    if depth > MAX_INLINE_DEPTH {
        return;
    }
    if let Value::Object(object) = value
        && object.len() == 1
        && let Some(Value::String(reference)) = object.get("$ref")
        && let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
    {
        *value = target.clone();
        return inline_lone_refs(value, root, depth + 1);
    }
    match value {
        Value::Object(object) => object
            .values_mut()
            .for_each(|child| inline_lone_refs(child, root, depth + 1)),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| inline_lone_refs(item, root, depth + 1)),
        _ => {}
    }
}

/// Rewrites `common.json#/...` references into `#/...`.
fn localise_refs(value: &mut Value) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "$ref"
                    && let Value::String(reference) = child
                    && let Some(rest) = reference.strip_prefix(COMMON_REF)
                {
                    *reference = format!("#{rest}");
                } else {
                    localise_refs(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(localise_refs),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(reference)) => out.push(reference.clone()),
                        _ => refs(child, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
            _ => {}
        }
    }

    #[test]
    fn standalone_schemas_have_only_local_refs_that_resolve() {
        for event in Event::ALL {
            let schema = standalone(event);
            let mut found = Vec::new();
            refs(&schema, &mut found);
            assert!(!found.is_empty());
            for reference in found {
                let pointer = reference
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("{event}: non-local ref {reference}"));
                assert!(
                    schema.pointer(pointer).is_some(),
                    "{event}: {reference} does not resolve"
                );
            }
        }
    }

    #[test]
    fn each_schema_fixes_its_event_name() {
        for event in Event::ALL {
            let schema = standalone(event);
            assert_eq!(
                schema.pointer("/properties/meta/properties/eventName/const"),
                Some(&Value::String(event.name().to_owned()))
            );
        }
    }

    #[test]
    fn the_validation_form_keeps_only_refs_with_siblings() {
        for event in Event::ALL {
            let schema = for_validation(event);
            let mut found = Vec::new();
            refs(
                schema
                    .get("properties")
                    .expect("event schemas have properties"),
                &mut found,
            );
            assert_eq!(found, ["#/$defs/meta"], "{event}");
            assert_eq!(
                schema.pointer("/properties/user/properties/id"),
                standalone(event).pointer("/$defs/id"),
                "{event}"
            );
        }
    }

    #[test]
    fn report_schema_parses() {
        assert!(report_schema().get("properties").is_some());
    }
}
