//! Structural difference of two JSON values (pure), as a list of changes and
//! as an RFC 6902 JSON Patch.

use crate::parse::push_escaped;
use serde_json::{Map, Value, json};

/// One value that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// JSON pointer, relative to the compared values.
    pub path: String,
    /// The value before; `None` when it was added.
    pub before: Option<Value>,
    /// The value after; `None` when it was removed.
    pub after: Option<Value>,
}

/// Every difference between `before` and `after`, depth first, in the key
/// order of `before` then the keys only `after` has. Paths in `ignore`
/// (JSON pointers, and everything below them) are left out.
pub fn diff(before: &Value, after: &Value, ignore: &[String]) -> Vec<Change> {
    let mut changes = Vec::new();
    walk(before, after, &mut String::new(), ignore, &mut changes);
    changes
}

fn is_ignored(path: &str, ignore: &[String]) -> bool {
    ignore.iter().any(|ignored| {
        path == ignored
            || (path.starts_with(ignored.as_str()) && path[ignored.len()..].starts_with('/'))
    })
}

fn walk(
    before: &Value,
    after: &Value,
    path: &mut String,
    ignore: &[String],
    changes: &mut Vec<Change>,
) {
    if is_ignored(path, ignore) || before == after {
        return;
    }
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => objects(old, new, path, ignore, changes),
        (Value::Array(old), Value::Array(new)) => {
            let common = old.len().min(new.len());
            for index in 0..common {
                let length = path.len();
                path.push('/');
                path.push_str(&index.to_string());
                walk(&old[index], &new[index], path, ignore, changes);
                path.truncate(length);
            }
            for (index, item) in old.iter().enumerate().skip(common) {
                push(changes, path, &index.to_string(), Some(item), None, ignore);
            }
            for (index, item) in new.iter().enumerate().skip(common) {
                push(changes, path, &index.to_string(), None, Some(item), ignore);
            }
        }
        _ => changes.push(Change {
            path: path.clone(),
            before: Some(before.clone()),
            after: Some(after.clone()),
        }),
    }
}

fn objects(
    old: &Map<String, Value>,
    new: &Map<String, Value>,
    path: &mut String,
    ignore: &[String],
    changes: &mut Vec<Change>,
) {
    for (key, old_value) in old {
        match new.get(key) {
            Some(new_value) => {
                let length = path.len();
                path.push('/');
                push_escaped(path, key);
                walk(old_value, new_value, path, ignore, changes);
                path.truncate(length);
            }
            None => push(changes, path, key, Some(old_value), None, ignore),
        }
    }
    for (key, new_value) in new {
        if !old.contains_key(key) {
            push(changes, path, key, None, Some(new_value), ignore);
        }
    }
}

fn push(
    changes: &mut Vec<Change>,
    path: &str,
    token: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    ignore: &[String],
) {
    let mut child = path.to_owned();
    child.push('/');
    push_escaped(&mut child, token);
    if !is_ignored(&child, ignore) {
        changes.push(Change {
            path: child,
            before: before.cloned(),
            after: after.cloned(),
        });
    }
}

/// The changes as an RFC 6902 patch that turns `before` into `after`. Array
/// items removed from the end are removed last-first, so indices stay valid.
pub fn to_patch(changes: &[Change]) -> Value {
    let mut operations = Vec::with_capacity(changes.len());
    let mut removals: Vec<&Change> = Vec::new();
    for change in changes {
        match (&change.before, &change.after) {
            (Some(_), None) => removals.push(change),
            (None, Some(value)) => {
                flush_removals(&mut removals, &mut operations);
                operations.push(json!({"op": "add", "path": change.path, "value": value}));
            }
            (Some(_), Some(value)) => {
                flush_removals(&mut removals, &mut operations);
                operations.push(json!({"op": "replace", "path": change.path, "value": value}));
            }
            (None, None) => {}
        }
    }
    flush_removals(&mut removals, &mut operations);
    Value::Array(operations)
}

/// Consecutive removals (array items at the end of one array, or object keys)
/// are emitted in reverse so earlier indices are not shifted.
fn flush_removals(removals: &mut Vec<&Change>, operations: &mut Vec<Value>) {
    for change in removals.drain(..).rev() {
        operations.push(json!({"op": "remove", "path": change.path}));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::samples::Rng;

    /// Applies an RFC 6902 patch made of add/remove/replace (test helper).
    pub(crate) fn apply(target: &mut Value, patch: &Value) {
        for operation in patch.as_array().unwrap() {
            let path = operation["path"].as_str().unwrap();
            let (parent, last) = match path.rfind('/') {
                Some(cut) => (
                    &path[..cut],
                    path[cut + 1..].replace("~1", "/").replace("~0", "~"),
                ),
                None => ("", String::new()),
            };
            if path.is_empty() {
                *target = operation["value"].clone();
                continue;
            }
            let container = target.pointer_mut(parent).unwrap();
            match (operation["op"].as_str().unwrap(), container) {
                ("remove", Value::Object(map)) => {
                    map.remove(&last).unwrap();
                }
                ("remove", Value::Array(items)) => {
                    items.remove(last.parse().unwrap());
                }
                ("add" | "replace", Value::Object(map)) => {
                    map.insert(last, operation["value"].clone());
                }
                ("add", Value::Array(items)) if last == "-" => {
                    items.push(operation["value"].clone())
                }
                ("add", Value::Array(items)) => {
                    items.insert(last.parse().unwrap(), operation["value"].clone())
                }
                ("replace", Value::Array(items)) => {
                    items[last.parse::<usize>().unwrap()] = operation["value"].clone()
                }
                (op, _) => panic!("cannot apply {op} at {path}"),
            }
        }
    }

    fn random_value(rng: &mut Rng, depth: u32) -> Value {
        let kinds = if depth == 0 { 4 } else { 6 };
        match rng.below(kinds) {
            0 => Value::Null,
            1 => json!(rng.chance(50)),
            2 => json!(rng.below(5)),
            3 => json!(["a", "b/c", "d~e", ""][rng.below(4) as usize]),
            4 => Value::Array(
                (0..rng.below(4))
                    .map(|_| random_value(rng, depth - 1))
                    .collect(),
            ),
            _ => {
                let mut map = Map::new();
                for _ in 0..rng.below(5) {
                    let key = ["k", "x/y", "t~0", "", "z"][rng.below(5) as usize];
                    map.insert(key.to_owned(), random_value(rng, depth - 1));
                }
                Value::Object(map)
            }
        }
    }

    #[test]
    fn a_value_diffed_with_itself_has_no_changes() {
        let mut rng = Rng::new(1);
        for _ in 0..500 {
            let value = random_value(&mut rng, 4);
            assert!(diff(&value, &value, &[]).is_empty());
        }
    }

    #[test]
    fn the_patch_turns_before_into_after() {
        let mut rng = Rng::new(2);
        for round in 0..2000 {
            let before = random_value(&mut rng, 4);
            let after = random_value(&mut rng, 4);
            let patch = to_patch(&diff(&before, &after, &[]));
            let mut patched = before.clone();
            apply(&mut patched, &patch);
            assert_eq!(
                patched, after,
                "round {round}: {before} -> {after} via {patch}"
            );
        }
    }

    #[test]
    fn changes_name_each_leaf() {
        let before = json!({"a": 1, "b": {"c": [1, 2, 3]}, "gone": true});
        let after = json!({"a": 2, "b": {"c": [1, 5]}, "new": null});
        let paths: Vec<(String, bool, bool)> = diff(&before, &after, &[])
            .into_iter()
            .map(|c| (c.path, c.before.is_some(), c.after.is_some()))
            .collect();
        assert_eq!(
            paths,
            [
                ("/a".into(), true, true),
                ("/b/c/1".into(), true, true),
                ("/b/c/2".into(), true, false),
                ("/gone".into(), true, false),
                ("/new".into(), false, true),
            ]
        );
        assert_eq!(
            diff(&before, &after, &["/b".into(), "/gone".into()]).len(),
            2
        );
    }
}
