//! Finding where a value sits in a payload's source text: JSON pointer to
//! byte offset, byte offset to line and column, and the source line with a
//! caret under the value. Only runs when there is something to report, so it
//! favours simplicity over speed.

use crate::safe_text;

/// A 1-based line and column; the column counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineColumn {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Line and column of a byte offset in `bytes`.
pub fn line_column(bytes: &[u8], offset: usize) -> LineColumn {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |newline| newline + 1);
    LineColumn {
        line: 1 + memchr::memchr_iter(b'\n', before).count(),
        column: 1 + count_chars(&before[line_start..]),
    }
}

/// Characters in possibly invalid UTF-8: every byte that does not continue a
/// multi-byte sequence starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// What to point at for a JSON pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The value the pointer names.
    Value,
    /// The key of the last token (falls back to the value for array items).
    Key,
}

/// Byte offset of what `pointer` names in the valid JSON `bytes`. When a key
/// occurs more than once, the last occurrence is the one parsers keep, so it
/// is the one found.
pub fn locate(bytes: &[u8], pointer: &str, target: Target) -> Option<usize> {
    let mut at = skip_whitespace(bytes, 0);
    if pointer.is_empty() {
        return Some(at);
    }
    let tokens: Vec<String> = pointer
        .strip_prefix('/')?
        .split('/')
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect();
    for (depth, token) in tokens.iter().enumerate() {
        let last = depth + 1 == tokens.len();
        match bytes.get(at)? {
            b'{' => {
                let (key_at, value_at) = find_member(bytes, at, token)?;
                if last && target == Target::Key {
                    return Some(key_at);
                }
                at = value_at;
            }
            b'[' => at = find_item(bytes, at, token.parse().ok()?)?,
            _ => return None,
        }
    }
    Some(at)
}

/// Offsets of the key and the value of the last member named `name` in the
/// object starting at `open`.
fn find_member(bytes: &[u8], open: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = skip_whitespace(bytes, open + 1);
    let mut found = None;
    while bytes.get(at)? == &b'"' {
        let key_end = skip_string(bytes, at)?;
        let colon = skip_whitespace(bytes, key_end);
        let value_at = skip_whitespace(bytes, colon + 1);
        if key_matches(&bytes[at..key_end], name) {
            found = Some((at, value_at));
        }
        at = skip_whitespace(bytes, skip_value(bytes, value_at)?);
        if bytes.get(at) == Some(&b',') {
            at = skip_whitespace(bytes, at + 1);
        }
    }
    found
}

fn key_matches(quoted: &[u8], name: &str) -> bool {
    let inner = &quoted[1..quoted.len() - 1];
    if !inner.contains(&b'\\') {
        return inner == name.as_bytes();
    }
    serde_json::from_slice::<String>(quoted).is_ok_and(|key| key == name)
}

fn find_item(bytes: &[u8], open: usize, index: usize) -> Option<usize> {
    let mut at = skip_whitespace(bytes, open + 1);
    for _ in 0..index {
        if bytes.get(at)? == &b']' {
            return None;
        }
        at = skip_whitespace(bytes, skip_value(bytes, at)?);
        if bytes.get(at)? == &b',' {
            at = skip_whitespace(bytes, at + 1);
        }
    }
    (bytes.get(at)? != &b']').then_some(at)
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// Offset just past the string starting at `at` (which is a quote).
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', &bytes[i..])?;
        if bytes[i] == b'\\' {
            i += 2;
        } else {
            return Some(i + 1);
        }
    }
}

/// Offset just past the value starting at `at`, without recursion.
pub fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    let mut depth = 0usize;
    loop {
        match bytes.get(i)? {
            b'"' => i = skip_string(bytes, i)?,
            b'{' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            _ if depth == 0 => {
                let length = bytes[i..]
                    .iter()
                    .position(|b| matches!(b, b',' | b'}' | b']') || b.is_ascii_whitespace())
                    .unwrap_or(bytes.len() - i);
                return Some(i + length);
            }
            _ => i += 1,
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

/// A source line prepared for display, with a caret under a span of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The 1-based line number in the source.
    pub line: usize,
    /// The line (or a window of it), secrets masked and controls escaped.
    pub text: String,
    /// Characters of `text` before the caret.
    pub caret: usize,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
}

/// Widest snippet shown, in characters.
const SNIPPET_WIDTH: usize = 100;

impl Snippet {
    /// The line of `bytes` holding `offset`, with the caret under the value
    /// that starts there (up to `value_end`, limited to that line).
    /// `first_line` is the source line number of `bytes`' first line and
    /// `first_column` the source column of its first byte.
    pub fn at(
        bytes: &[u8],
        offset: usize,
        value_end: Option<usize>,
        first_line: usize,
        show_secrets: bool,
    ) -> Snippet {
        let offset = offset.min(bytes.len());
        let line_start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |n| n + 1);
        let line_end = memchr::memchr(b'\n', &bytes[offset..]).map_or(bytes.len(), |n| offset + n);
        let span_end = value_end.unwrap_or(offset + 1).clamp(offset, line_end);
        let line = String::from_utf8_lossy(&bytes[line_start..line_end]);
        let line = line.trim_end_matches('\r');
        // Build display text piece by piece so the caret follows masking and escaping.
        let head_len = (offset - line_start).min(line.len());
        let span_len = (span_end - line_start).min(line.len());
        let (head, span, tail) = split3(line, head_len, span_len);
        let show = |text: &str| safe_text::displayable(text, show_secrets);
        let (head, span, tail) = (show(head), show(span), show(tail));
        let caret = head.chars().count();
        let width = span.chars().count().max(1);
        let text = format!("{head}{span}{tail}");
        let relative_line = 1 + memchr::memchr_iter(b'\n', &bytes[..line_start]).count();
        window(Snippet {
            line: first_line + relative_line - 1,
            text,
            caret,
            width,
        })
    }
}

/// Splits at byte positions, moved back to character boundaries. A secret
/// split across pieces would escape masking, so whole-line masking is
/// applied first by extending the split points out of any secret span.
fn split3(line: &str, a: usize, b: usize) -> (&str, &str, &str) {
    let mut a = floor_boundary(line, a);
    let mut b = floor_boundary(line, b.max(a));
    for (start, end) in safe_text::secret_spans(line) {
        if a > start && a < end {
            a = start;
        }
        if b > start && b < end {
            b = end;
        }
    }
    (&line[..a], &line[a..b], &line[b..])
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Cuts a long snippet to a window around its caret.
fn window(snippet: Snippet) -> Snippet {
    let chars: Vec<char> = snippet.text.chars().collect();
    if chars.len() <= SNIPPET_WIDTH {
        return snippet;
    }
    let width = snippet.width.min(SNIPPET_WIDTH / 2);
    let start = snippet.caret.saturating_sub(SNIPPET_WIDTH / 3);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let start = end.saturating_sub(SNIPPET_WIDTH).min(start);
    let mut text = String::new();
    let mut caret = snippet.caret - start;
    if start > 0 {
        text.push('…');
        caret += 1;
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    Snippet {
        text,
        caret,
        width,
        ..snippet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"a\": {\"b\": [10, {\"c\": \"x\"}]},\n  \"a\": {\"b\": [1, {\"c\": \"é\"}]},\n  \"k~/\": 5\n}";

    fn at(pointer: &str, target: Target) -> Option<LineColumn> {
        locate(DOC.as_bytes(), pointer, target).map(|o| line_column(DOC.as_bytes(), o))
    }

    #[test]
    fn locates_values_of_the_last_duplicate() {
        assert_eq!(
            at("", Target::Value),
            Some(LineColumn { line: 1, column: 1 })
        );
        assert_eq!(
            at("/a/b/1/c", Target::Value),
            Some(LineColumn {
                line: 3,
                column: 24
            })
        );
        assert_eq!(
            at("/a", Target::Key),
            Some(LineColumn { line: 3, column: 3 })
        );
        assert_eq!(
            at("/k~0~1", Target::Value),
            Some(LineColumn {
                line: 4,
                column: 10
            })
        );
        assert_eq!(at("/a/b/2", Target::Value), None);
        assert_eq!(at("/zz", Target::Value), None);
    }

    #[test]
    fn columns_count_characters() {
        let text = "{\"é\": x}".as_bytes();
        assert_eq!(line_column(text, 7), LineColumn { line: 1, column: 7 });
    }

    #[test]
    fn snippet_underlines_the_value() {
        let bytes = b"{\n  \"score\": \"55\",\n}";
        let offset = locate(b"{\n  \"score\": \"55\"\n}", "/score", Target::Value).unwrap();
        let snippet = Snippet::at(bytes, offset, Some(offset + 4), 10, false);
        assert_eq!(snippet.line, 11);
        assert_eq!(snippet.text, "  \"score\": \"55\",");
        assert_eq!(snippet.caret, 11);
        assert_eq!(snippet.width, 4);
    }

    #[test]
    fn snippet_masks_secrets_and_keeps_the_caret_aligned() {
        let line = "{\"url\": \"https://x/y?X-Amz-Signature=abcdef\", \"size\": -1}";
        let offset = line.find("-1").unwrap();
        let snippet = Snippet::at(line.as_bytes(), offset, Some(offset + 2), 1, false);
        assert!(!snippet.text.contains("abcdef"));
        let caret_text: String = snippet.text.chars().skip(snippet.caret).take(2).collect();
        assert_eq!(caret_text, "-1");
    }

    #[test]
    fn long_lines_are_windowed_around_the_caret() {
        let line = format!("{{\"pad\": \"{}\", \"v\": true}}", "p".repeat(500));
        let offset = line.find("true").unwrap();
        let snippet = Snippet::at(line.as_bytes(), offset, Some(offset + 4), 1, false);
        assert!(snippet.text.chars().count() <= SNIPPET_WIDTH + 2);
        let caret_text: String = snippet.text.chars().skip(snippet.caret).take(4).collect();
        assert_eq!(caret_text, "true");
    }
}
