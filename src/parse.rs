//! Parsing one payload's bytes into a `serde_json::Value`, noticing what a
//! plain parse hides: duplicate keys in one object (a JSON parser silently
//! keeps the last one).

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// A payload parsed from bytes.
#[derive(Debug)]
pub struct Parsed {
    /// The value, with the last occurrence of any duplicated key kept (as
    /// every JSON parser does).
    pub value: Value,
    /// JSON pointers of keys that occur more than once in their object.
    pub duplicate_keys: Vec<String>,
}

/// A JSON syntax error: where it is (1-based, relative to the parsed bytes;
/// columns count bytes here) and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the fault in the parsed bytes.
    pub offset: usize,
    /// serde_json's description, without its trailing position.
    pub message: String,
}

/// Parses one JSON value from `bytes`; trailing whitespace is allowed,
/// anything else after the value is an error.
pub fn parse(bytes: &[u8]) -> Result<Parsed, SyntaxError> {
    // Tracking the path of every value costs a tenth of the parse, and only
    // a duplicate key needs it: such a payload is parsed again to name it.
    let parsed = parse_tracking(bytes, false)?;
    if parsed.duplicate_keys.is_empty() {
        Ok(parsed)
    } else {
        parse_tracking(bytes, true)
    }
}

/// Parses `bytes`; without `tracking`, the first duplicate key found is
/// reported with an empty pointer.
fn parse_tracking(bytes: &[u8], tracking: bool) -> Result<Parsed, SyntaxError> {
    // One UTF-8 check over the whole payload is much cheaper than the check
    // `from_slice` makes on every string; invalid UTF-8 falls back to it, for
    // the exact position of the fault.
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_with(bytes, serde_json::Deserializer::from_str(text), tracking),
        Err(_) => parse_with(bytes, serde_json::Deserializer::from_slice(bytes), tracking),
    }
}

fn parse_with<'de, R: serde_json::de::Read<'de>>(
    bytes: &[u8],
    mut deserializer: serde_json::Deserializer<R>,
    tracking: bool,
) -> Result<Parsed, SyntaxError> {
    let mut path = Vec::new();
    let mut duplicate_keys = Vec::new();
    let seed = ValueSeed {
        context: &mut Context {
            tracking,
            path: &mut path,
            duplicate_keys: &mut duplicate_keys,
        },
    };
    let value = seed
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|error| syntax_error(bytes, &error))?;
    Ok(Parsed {
        value,
        duplicate_keys,
    })
}

fn syntax_error(bytes: &[u8], error: &serde_json::Error) -> SyntaxError {
    let offset = offset_of(bytes, error.line(), error.column());
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_owned(),
        None => full,
    };
    SyntaxError { offset, message }
}

/// Turns serde_json's (line, column) back into a byte offset. serde_json
/// counts the column as the number of bytes read on the line, so the fault is
/// the byte before it (or the start of the line for column 0).
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', bytes)
            .nth(line - 2)
            .map_or(bytes.len(), |newline| newline + 1)
    };
    (line_start + column.saturating_sub(1)).min(bytes.len())
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Context<'a> {
    /// Whether `path` follows the value being parsed.
    tracking: bool,
    path: &'a mut Vec<Segment>,
    duplicate_keys: &'a mut Vec<String>,
}

impl Context<'_> {
    fn pointer_to(&self, key: &str) -> String {
        let mut pointer = String::new();
        for segment in self.path.iter() {
            pointer.push('/');
            match segment {
                Segment::Key(key) => push_escaped(&mut pointer, key),
                Segment::Index(index) => pointer.push_str(&index.to_string()),
            }
        }
        pointer.push('/');
        push_escaped(&mut pointer, key);
        pointer
    }
}

/// Appends a JSON pointer reference token (RFC 6901 escaping).
pub fn push_escaped(pointer: &mut String, token: &str) {
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

struct ValueSeed<'c, 'a> {
    context: &'c mut Context<'a>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        loop {
            let tracking = self.context.tracking;
            if tracking {
                self.context.path.push(Segment::Index(items.len()));
            }
            let item = seq.next_element_seed(ValueSeed {
                context: &mut *self.context,
            });
            if tracking {
                self.context.path.pop();
            }
            match item? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // Tracking runs only when a payload is parsed again to name its
            // duplicate keys: a copy of each key costs nothing that matters.
            let tracking = self.context.tracking;
            if tracking {
                self.context.path.push(Segment::Key(key.clone()));
            }
            let value = map.next_value_seed(ValueSeed {
                context: &mut *self.context,
            });
            if tracking {
                self.context.path.pop();
            }
            match object.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value?);
                }
                serde_json::map::Entry::Occupied(mut slot) => {
                    let pointer = if self.context.tracking {
                        self.context.pointer_to(slot.key())
                    } else {
                        String::new()
                    };
                    self.context.duplicate_keys.push(pointer);
                    slot.insert(value?);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_like_serde_json() {
        let text = br#"{"a": [1, -2, 3.5, "x", null, true], "b": {"c": {}}}"#;
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.value, serde_json::from_slice::<Value>(text).unwrap());
        assert!(parsed.duplicate_keys.is_empty());
    }

    #[test]
    fn reports_duplicate_keys_with_their_pointer_and_keeps_the_last() {
        let parsed = parse(br#"{"a": {"b": 1, "b": 2}, "l": [{"x/y": 1, "x/y": 2}]}"#).unwrap();
        assert_eq!(parsed.value, json!({"a": {"b": 2}, "l": [{"x/y": 2}]}));
        assert_eq!(parsed.duplicate_keys, vec!["/a/b", "/l/0/x~1y"]);
    }

    #[test]
    fn syntax_errors_point_at_the_fault() {
        let error = parse(b"{\n  \"a\": 1\"\n}").unwrap_err();
        assert_eq!(error.offset, 10, "{error:?}");
        assert_eq!(error.message, "expected `,` or `}`");
        let error = parse(b"{\"a\": tru}").unwrap_err();
        assert!(error.message.contains("expected ident"), "{error:?}");
    }

    #[test]
    fn trailing_content_is_an_error() {
        let error = parse(b"{} x").unwrap_err();
        assert_eq!(error.message, "trailing characters");
        assert_eq!(error.offset, 3);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let error = parse(deep.as_bytes()).unwrap_err();
        assert!(error.message.contains("recursion limit"), "{error:?}");
    }
}
