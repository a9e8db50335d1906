//! The shape a schema declares, precomputed once per event: which fields each
//! object declares, and a plain description of what each value must be.
//! Used to flag fields the documentation does not show, and to word errors.

use serde_json::Value;

/// What the schema declares for one place in a payload.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Plain words for what the value must be (the schema's `title`).
    pub expected: Option<String>,
    /// Declared fields, when the value is an object (a handful: a linear
    /// search beats hashing here).
    pub fields: Vec<(String, Shape)>,
    /// The shape of any other field (`additionalProperties`), if allowed.
    pub other_fields: Option<Box<Shape>>,
    /// The shape of array items.
    pub items: Option<Box<Shape>>,
    /// Whether an object here has a declared set of fields to check keys against.
    pub checks_fields: bool,
}

/// Nesting guard: our schemas are a few levels deep and have no cycles.
const MAX_DEPTH: usize = 32;

impl Shape {
    /// The shape of a standalone schema (local `$ref`s only).
    pub fn of_schema(root: &Value) -> Shape {
        build(root, root, 0)
    }

    /// The declared field `name`.
    pub fn field(&self, name: &str) -> Option<&Shape> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, shape)| shape)
    }

    /// The shape at a JSON pointer into a payload, if the schema declares it.
    pub fn at(&self, pointer: &str) -> Option<&Shape> {
        let mut shape = self;
        if pointer.is_empty() {
            return Some(shape);
        }
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            shape = match shape.field(&token) {
                Some(field) => field,
                None => match (&shape.other_fields, &shape.items) {
                    (Some(other), _) => other,
                    (None, Some(items)) if token.parse::<usize>().is_ok() => items,
                    _ => return None,
                },
            };
        }
        Some(shape)
    }
}

fn build(root: &Value, schema: &Value, depth: usize) -> Shape {
    let mut shape = Shape::default();
    if depth > MAX_DEPTH {
        return shape;
    }
    for part in applicable(root, schema, 0) {
        if shape.expected.is_none() {
            shape.expected = part.get("title").and_then(Value::as_str).map(str::to_owned);
        }
        if let Some(properties) = part.get("properties").and_then(Value::as_object) {
            shape.checks_fields = true;
            for (name, child) in properties {
                if shape.field(name).is_none() {
                    let child = build(root, child, depth + 1);
                    shape.fields.push((name.clone(), child));
                }
            }
        }
        match part.get("additionalProperties") {
            Some(Value::Bool(false)) | None => {}
            Some(other) if shape.other_fields.is_none() => {
                shape.checks_fields = true;
                shape.other_fields = Some(Box::new(build(root, other, depth + 1)));
            }
            Some(_) => {}
        }
        if let (Some(items), None) = (part.get("items"), &shape.items) {
            shape.items = Some(Box::new(build(root, items, depth + 1)));
        }
    }
    shape
}

/// The schema itself and every schema it brings in: `$ref` targets, `allOf`
/// members and the `then` branch (our schemas use if/then only to pick the
/// file shape for object values).
fn applicable<'a>(root: &'a Value, schema: &'a Value, depth: usize) -> Vec<&'a Value> {
    let mut parts = vec![schema];
    if depth > MAX_DEPTH {
        return parts;
    }
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| root.pointer(pointer))
    {
        parts.extend(applicable(root, target, depth + 1));
    }
    if let Some(then) = schema.get("then") {
        parts.extend(applicable(root, then, depth + 1));
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        parts.extend(applicable(root, member, depth + 1));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{event::Event, schemas};

    #[test]
    fn declares_the_documented_fields() {
        let shape = Shape::of_schema(&schemas::standalone(Event::Updated));
        let mut top: Vec<_> = shape.fields.iter().map(|(name, _)| name.clone()).collect();
        top.sort();
        assert_eq!(
            top,
            ["learningRecord", "meta", "portal", "updatedFields", "user"]
        );
        let file = shape.at("/learningRecord/attr/file").unwrap();
        assert!(file.field("mimeType").is_some());
        assert!(shape.at("/user/customAttributes/anything").is_some());
    }

    #[test]
    fn describes_values_in_plain_words() {
        let shape = Shape::of_schema(&schemas::standalone(Event::Created));
        let expected = |pointer: &str| shape.at(pointer).and_then(|s| s.expected.clone());
        assert_eq!(
            expected("/learningRecord/score").as_deref(),
            Some("a number from 0 to 100 or null")
        );
        assert_eq!(
            expected("/meta/eventName").as_deref(),
            Some("\"learningRecord.created\"")
        );
        assert_eq!(
            expected("/learningRecord/attr/file/size").as_deref(),
            Some("a size in bytes (an integer of 0 or more)")
        );
    }

    #[test]
    fn deleted_records_declare_only_their_identity() {
        let shape = Shape::of_schema(&schemas::standalone(Event::Deleted));
        let record = shape.at("/learningRecord").unwrap();
        let mut fields: Vec<_> = record.fields.iter().map(|(name, _)| name).collect();
        fields.sort();
        assert_eq!(fields, ["name", "objectId"]);
    }
}
