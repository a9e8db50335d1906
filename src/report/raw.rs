//! `inspect --raw`: a payload pretty-printed straight from its bytes, so keys
//! keep their order and numbers their exact digits, with syntax colours and
//! secrets masked.

use crate::safe_text;
use colored::Colorize;
use std::io::{self, Write};

/// Pretty-prints well-formed JSON `bytes`.
pub fn pretty(
    out: &mut dyn Write,
    bytes: &[u8],
    color: bool,
    show_secrets: bool,
) -> io::Result<()> {
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    let mut output = String::with_capacity(bytes.len() * 2);
    let mut depth = 0usize;
    let mut i = 0;
    // For each open container, whether it is an object; and whether the next
    // string is an object key.
    let mut objects = Vec::<bool>::new();
    let mut expect_key = false;
    let newline = |output: &mut String, depth: usize| {
        output.push('\n');
        output.push_str(&"  ".repeat(depth));
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
                if next == Some(&close) {
                    output.push(c);
                    output.push(close);
                    i += 1 + chars[i + 1..].iter().position(|&x| x == close).unwrap_or(0);
                } else {
                    output.push(c);
                    depth += 1;
                    objects.push(c == '{');
                    expect_key = c == '{';
                    newline(&mut output, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                objects.pop();
                expect_key = false;
                newline(&mut output, depth);
                output.push(c);
            }
            ',' => {
                output.push(',');
                expect_key = objects.last().copied().unwrap_or(false);
                newline(&mut output, depth);
            }
            ':' => {
                output.push_str(": ");
                expect_key = false;
            }
            '"' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let token: String = chars[start..=i.min(chars.len() - 1)].iter().collect();
                let shown = safe_text::displayable(&token, show_secrets);
                output.push_str(&paint(
                    &shown,
                    if expect_key { Kind::Key } else { Kind::String },
                    color,
                ));
            }
            c if c.is_whitespace() => {}
            _ => {
                let start = i;
                while i + 1 < chars.len()
                    && !matches!(chars[i + 1], ',' | '}' | ']' | ':')
                    && !chars[i + 1].is_whitespace()
                {
                    i += 1;
                }
                let token: String = chars[start..=i].iter().collect();
                let kind = if token.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                    Kind::Number
                } else {
                    Kind::Literal
                };
                output.push_str(&paint(&token, kind, color));
            }
        }
        i += 1;
    }
    writeln!(out, "{output}")
}

#[derive(Clone, Copy)]
enum Kind {
    Key,
    String,
    Number,
    Literal,
}

fn paint(text: &str, kind: Kind, color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    match kind {
        Kind::Key => text.blue().bold().to_string(),
        Kind::String => text.green().to_string(),
        Kind::Number => text.cyan().to_string(),
        Kind::Literal => text.magenta().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str) -> String {
        let mut out = Vec::new();
        pretty(&mut out, text.as_bytes(), false, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn keeps_order_digits_and_masks() {
        let text = r#"{"z":1.500000000000000000001,"a":[true,null,{}],"u":"https://x/?X-Amz-Signature=abc","big":12345678901234567890123}"#;
        assert_eq!(
            render(text),
            "{\n  \"z\": 1.500000000000000000001,\n  \"a\": [\n    true,\n    null,\n    {}\n  ],\n  \"u\": \"https://x/?X-Amz-Signature=***\",\n  \"big\": 12345678901234567890123\n}\n"
        );
    }

    #[test]
    fn output_is_valid_json_for_documented_examples() {
        for event in crate::event::Event::ALL {
            let text = crate::samples::documented(event);
            let shown: serde_json::Value = serde_json::from_str(&render(text)).unwrap();
            let original: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                shown["learningRecord"]["objectId"],
                original["learningRecord"]["objectId"]
            );
        }
    }
}
