//! Making untrusted payload text safe to show: masking the temporary AWS
//! credentials of presigned URLs, escaping control and bidirectional
//! characters, and shortening long values.

use std::borrow::Cow;

/// Query parameters of an S3 presigned URL whose values are secrets: with
/// them, anyone can download the file until the link expires.
pub const SECRET_PARAMS: [&str; 3] = [
    "X-Amz-Credential",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
];

/// What a masked secret value is replaced with.
pub const MASK: &str = "***";

/// Replaces the values of presigned-URL credential parameters with [`MASK`].
/// Parameter names match without regard to ASCII case; a value ends at `&`,
/// `#`, a quote, a backslash or whitespace.
pub fn mask_secrets(text: &str) -> Cow<'_, str> {
    let spans = secret_spans(text);
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut masked = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in spans {
        masked.push_str(&text[copied..start]);
        masked.push_str(MASK);
        copied = end;
    }
    masked.push_str(&text[copied..]);
    Cow::Owned(masked)
}

/// Byte ranges of secret values in `text`, in order.
pub fn secret_spans(text: &str) -> Vec<(usize, usize)> {
    let lowered = text.to_ascii_lowercase();
    let bytes = lowered.as_bytes();
    let mut spans = Vec::new();
    for param in SECRET_PARAMS {
        let needle = format!("{}=", param.to_ascii_lowercase());
        for found in memchr::memmem::find_iter(bytes, needle.as_bytes()) {
            let start = found + needle.len();
            let end = bytes[start..]
                .iter()
                .position(|&b| is_value_end(b))
                .map_or(bytes.len(), |length| start + length);
            if end > start {
                spans.push((start, end));
            }
        }
    }
    spans.sort_unstable();
    spans
}

fn is_value_end(byte: u8) -> bool {
    matches!(byte, b'&' | b'#' | b'"' | b'\\' | b'\'') || byte.is_ascii_whitespace()
}

/// Escapes characters that could change how a terminal shows text: C0 and C1
/// controls (including ESC), DEL, and Unicode bidirectional controls.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if needs_escape(c) => escaped.push_str(&c.escape_unicode().to_string()),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Text that is safe to print: secrets masked (unless `show_secrets`) and
/// controls escaped.
pub fn displayable(text: &str, show_secrets: bool) -> String {
    let masked = if show_secrets {
        Cow::Borrowed(text)
    } else {
        mask_secrets(text)
    };
    escape_controls(&masked).into_owned()
}

/// Shortens `text` to at most `max` characters, ending with `…` when cut.
pub fn shorten(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    Cow::Owned(format!("{kept}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://b.s3.amazonaws.com/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F2024&X-Amz-Date=20240625T112807Z&X-Amz-Expires=3600&X-Amz-Security-Token=IQo%2B%3D&X-Amz-SignedHeaders=host&X-Amz-Signature=ed1f5a";

    #[test]
    fn masks_every_credential_and_keeps_the_rest() {
        let masked = mask_secrets(URL);
        assert_eq!(
            masked,
            "https://b.s3.amazonaws.com/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Date=20240625T112807Z&X-Amz-Expires=3600&X-Amz-Security-Token=***&X-Amz-SignedHeaders=host&X-Amz-Signature=***"
        );
    }

    #[test]
    fn masking_stops_at_a_json_quote_and_ignores_case() {
        let line = r#"  "url": "https://x/y?x-amz-signature=abc", "n": 1"#;
        assert_eq!(
            mask_secrets(line),
            r#"  "url": "https://x/y?x-amz-signature=***", "n": 1"#
        );
        assert!(matches!(mask_secrets("no secrets"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(escape_controls("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_controls("x\u{202e}y\nz"), "x\\u{202e}y\\nz");
        assert_eq!(escape_controls("héllo"), "héllo");
    }

    #[test]
    fn shortens_by_characters() {
        assert_eq!(shorten("ééééé", 5), "ééééé");
        assert_eq!(shorten("éééééé", 5), "éééé…");
    }
}
