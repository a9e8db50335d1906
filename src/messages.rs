//! Plain-language wording: how a payload path, a found value and a failed
//! schema keyword read in a message.

use crate::safe_text;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

/// A JSON pointer as a field name: `/learningRecord/attr/free-text/0` reads
/// `learningRecord.attr["free-text"][0]`; the root reads `the payload`.
pub fn field_name(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the payload".to_owned();
    }
    let mut name = String::new();
    for token in pointer.trim_start_matches('/').split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        let is_identifier = token
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if is_identifier {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&token);
        } else if token.parse::<usize>().is_ok() {
            name.push_str(&format!("[{token}]"));
        } else {
            let quoted = serde_json::to_string(&token).unwrap_or_default();
            name.push_str(&format!("[{}]", safe_text::displayable(&quoted, false)));
        }
    }
    name
}

/// A value as found, in words: `the string "55"`, `the number 120`, `null`.
pub fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => format!("the number {number}"),
        Value::String(text) => {
            let quoted = serde_json::to_string(text).unwrap_or_default();
            format!(
                "the string {}",
                safe_text::shorten(&safe_text::displayable(&quoted, false), 60)
            )
        }
        Value::Array(items) if items.is_empty() => "an empty array".to_owned(),
        Value::Array(items) if items.len() == 1 => "an array of 1 item".to_owned(),
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::Object(object) if object.is_empty() => "an empty object".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// The message for a failed schema keyword at `pointer`, where the schema
/// expects `expected` (its plain description, if it has one).
pub fn schema_error(
    kind: &ValidationErrorKind,
    pointer: &str,
    instance: &Value,
    expected: Option<&str>,
    fallback: &str,
) -> String {
    let field = field_name(pointer);
    match kind {
        ValidationErrorKind::Required { property } => {
            let property = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            format!("{field} is missing the required field \"{property}\"")
        }
        ValidationErrorKind::UniqueItems => format!(
            "{field} must be {}, found {} more than once",
            expected.unwrap_or("an array of unique items"),
            first_repeat(instance).map_or_else(|| "an item".to_owned(), describe_value)
        ),
        ValidationErrorKind::Type { .. }
        | ValidationErrorKind::Minimum { .. }
        | ValidationErrorKind::Maximum { .. }
        | ValidationErrorKind::ExclusiveMinimum { .. }
        | ValidationErrorKind::ExclusiveMaximum { .. }
        | ValidationErrorKind::MinLength { .. }
        | ValidationErrorKind::MaxLength { .. }
        | ValidationErrorKind::MinItems { .. }
        | ValidationErrorKind::MaxItems { .. }
        | ValidationErrorKind::Format { .. }
        | ValidationErrorKind::Pattern { .. }
        | ValidationErrorKind::Constant { .. }
        | ValidationErrorKind::Enum { .. }
        | ValidationErrorKind::MultipleOf { .. }
            if expected.is_some() =>
        {
            format!(
                "{field} must be {}, found {}",
                expected.unwrap_or_default(),
                describe_value(instance)
            )
        }
        _ => format!("{field}: {}", safe_text::displayable(fallback, false)),
    }
}

fn first_repeat(value: &Value) -> Option<&Value> {
    let items = value.as_array()?;
    items
        .iter()
        .enumerate()
        .find(|(index, item)| items[..*index].contains(item))
        .map(|(_, item)| item)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_names_read_like_code() {
        assert_eq!(field_name(""), "the payload");
        assert_eq!(field_name("/learningRecord/score"), "learningRecord.score");
        assert_eq!(field_name("/updatedFields/0"), "updatedFields[0]");
        assert_eq!(
            field_name("/learningRecord/attr/free-text"),
            "learningRecord.attr[\"free-text\"]"
        );
        assert_eq!(field_name("/a~1b"), "[\"a/b\"]");
    }

    #[test]
    fn values_are_described_safely() {
        assert_eq!(describe_value(&json!("55")), "the string \"55\"");
        assert_eq!(describe_value(&json!(120)), "the number 120");
        assert_eq!(describe_value(&json!([])), "an empty array");
        assert_eq!(
            describe_value(&json!("a\u{1b}b")),
            "the string \"a\\u001bb\""
        );
        let long = describe_value(&json!("x".repeat(200)));
        assert!(long.chars().count() < 80, "{long}");
    }
}
