//! Redacting a payload so it can be shared: personal data replaced by stable
//! placeholders, presigned-URL credentials removed, the result still valid
//! against its event's schema. Pure.

use crate::safe_text::SECRET_PARAMS;
use serde_json::{Map, Value};

/// How to redact.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// JSON pointers (into the payload) whose values are kept as they are.
    pub keep: Vec<String>,
    /// Mixed into placeholders so they cannot be guessed from known values.
    pub salt: String,
}

/// Redacts a payload in place. The same input value always gets the same
/// placeholder (for the same salt), so relationships stay visible.
pub fn redact(payload: &mut Value, options: &Options) {
    let kept: Vec<(String, Value)> = options
        .keep
        .iter()
        .filter_map(|pointer| Some((pointer.clone(), payload.pointer(pointer)?.clone())))
        .collect();
    let placeholder =
        |kind: &str, text: &str| format!("{kind}-{}", stable_hash(&options.salt, text));
    if let Some(user) = payload.get_mut("user").and_then(Value::as_object_mut) {
        if let Some(Value::String(name)) = user.get_mut("name") {
            *name = format!("Person {}", stable_hash(&options.salt, name));
        }
        if let Some(Value::String(email)) = user.get_mut("email") {
            *email = format!("{}@example.invalid", placeholder("person", email));
        }
        if let Some(Value::Object(attributes)) = user.get_mut("customAttributes") {
            redact_strings(attributes, &placeholder);
        }
    }
    if let Some(Value::Object(attributes)) = payload
        .get_mut("learningRecord")
        .and_then(|r| r.get_mut("attr"))
    {
        for value in attributes.values_mut() {
            match value {
                Value::Object(file) => {
                    if let Some(Value::String(url)) = file.get_mut("url") {
                        *url = without_credentials(url);
                    }
                }
                other => redact_value(other, &placeholder),
            }
        }
    }
    for (pointer, original) in kept {
        if let Some(slot) = payload.pointer_mut(&pointer) {
            *slot = original;
        }
    }
}

fn redact_strings(object: &mut Map<String, Value>, placeholder: &dyn Fn(&str, &str) -> String) {
    for value in object.values_mut() {
        redact_value(value, placeholder);
    }
}

fn redact_value(value: &mut Value, placeholder: &dyn Fn(&str, &str) -> String) {
    match value {
        Value::String(text) => *text = placeholder("text", text),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| redact_value(item, placeholder)),
        Value::Object(object) => redact_strings(object, placeholder),
        _ => {}
    }
}

/// The URL without the query parameters that carry credentials.
pub fn without_credentials(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !SECRET_PARAMS
                .iter()
                .any(|secret| secret.eq_ignore_ascii_case(name))
        })
        .collect();
    let mut out = base.to_owned();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Eight hex digits of FNV-1a over salt and text: stable across runs and machines.
fn stable_hash(salt: &str, text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in salt.bytes().chain([0]).chain(text.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Event;
    use crate::validation::Validator;

    fn documented(event: Event) -> Value {
        serde_json::from_str(crate::samples::documented(event)).unwrap()
    }

    #[test]
    fn personal_values_and_credentials_are_gone_and_the_payload_still_validates() {
        for event in Event::ALL {
            let original = documented(event);
            let mut payload = original.clone();
            redact(&mut payload, &Options::default());
            let text = payload.to_string();
            for secret in [
                "Charlotte",
                "charlotte+blue",
                "waolom",
                "X-Amz-Signature",
                "X-Amz-Security-Token",
                "X-Amz-Credential",
            ] {
                assert!(!text.contains(secret), "{event}: {secret} left in {text}");
            }
            let result = Validator::default().validate_bytes("redacted", text.as_bytes());
            assert!(result.is_valid(), "{event}: {:?}", result.errors);
            assert!(result.warnings.is_empty(), "{event}: {:?}", result.warnings);
            assert_eq!(
                payload["learningRecord"]["objectId"],
                original["learningRecord"]["objectId"]
            );
        }
    }

    #[test]
    fn placeholders_are_stable_and_keep_works() {
        let mut a = documented(Event::Created);
        let mut b = documented(Event::Updated);
        redact(&mut a, &Options::default());
        redact(&mut b, &Options::default());
        assert_eq!(a["user"], b["user"]);
        assert_ne!(
            a["learningRecord"]["attr"]["grade"],
            b["learningRecord"]["attr"]["grade"]
        );
        let mut kept = documented(Event::Created);
        redact(
            &mut kept,
            &Options {
                keep: vec!["/user/name".into(), "/learningRecord/attr/grade".into()],
                salt: String::new(),
            },
        );
        assert_eq!(kept["user"]["name"], "Charlotte Blue");
        assert_eq!(kept["learningRecord"]["attr"]["grade"], "c");
        let mut salted = documented(Event::Created);
        redact(
            &mut salted,
            &Options {
                keep: vec![],
                salt: "s3cret".into(),
            },
        );
        assert_ne!(salted["user"]["email"], a["user"]["email"]);
    }

    #[test]
    fn credentials_are_removed_from_urls() {
        assert_eq!(
            without_credentials(
                "https://h/p?X-Amz-Algorithm=A&X-Amz-Credential=C&X-Amz-Date=D&x-amz-signature=S#f"
            ),
            "https://h/p?X-Amz-Algorithm=A&X-Amz-Date=D#f"
        );
        assert_eq!(without_credentials("https://h/p"), "https://h/p");
    }
}
