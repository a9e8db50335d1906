//! Fast checks for the two string formats that dominate validation time:
//! `email` (RFC 5321 mailbox) and `uri` (RFC 3986 absolute URI). Presigned
//! file URLs are over a kilobyte each, so these are single passes over a
//! byte-class table; they follow the RFC grammars the JSON Schema
//! specification names for these formats.

use std::net::{Ipv4Addr, Ipv6Addr};

const UNRESERVED: u8 = 1; // ALPHA DIGIT - . _ ~
const SUB_DELIM: u8 = 2; // ! $ & ' ( ) * + , ; =
const COLON: u8 = 4;
const AT: u8 = 8;
const SLASH: u8 = 16;
const QUESTION: u8 = 32;
const ATEXT: u8 = 64; // RFC 5322 atext

/// `pchar` without percent-encodings, which [`all_bytes`] checks separately.
#[cfg(test)]
const PCHAR: u8 = UNRESERVED | SUB_DELIM | COLON | AT;
#[cfg(test)]
const PATH: u8 = PCHAR | SLASH;
#[cfg(test)]
const QUERY: u8 = PATH | QUESTION;

const CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0usize;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') {
            class |= UNRESERVED;
        }
        if matches!(
            c,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        ) {
            class |= SUB_DELIM;
        }
        match c {
            b':' => class |= COLON,
            b'@' => class |= AT,
            b'/' => class |= SLASH,
            b'?' => class |= QUESTION,
            _ => {}
        }
        if c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'/'
                    | b'='
                    | b'?'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'{'
                    | b'|'
                    | b'}'
                    | b'~'
            )
        {
            class |= ATEXT;
        }
        table[b] = class;
        b += 1;
    }
    table
};

fn class(byte: u8) -> u8 {
    CLASSES[byte as usize]
}

/// A table of which bytes a URI component may hold: the `allowed` classes,
/// and `%` (whose escapes [`all_bytes`] checks separately).
const fn component_table(allowed: u8) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0usize;
    while b < 256 {
        table[b] = CLASSES[b] & allowed != 0 || b == b'%' as usize;
        b += 1;
    }
    table
}

#[cfg(test)]
const PATH_TABLE: [bool; 256] = component_table(PATH);
#[cfg(test)]
const QUERY_TABLE: [bool; 256] = component_table(QUERY);
const HOST_TABLE: [bool; 256] = component_table(UNRESERVED | SUB_DELIM);
const USERINFO_TABLE: [bool; 256] = component_table(UNRESERVED | SUB_DELIM | COLON);

/// A query or fragment byte (`QUERY_TABLE`) as comparisons rather than a
/// table lookup, so that the pass over a presigned URL's kilobyte-long query
/// string runs many bytes at a time: printable ASCII except
/// `"` `#` `<` `>` `[` `\` `]` `^` `` ` `` `{` `|` `}`.
#[inline(always)]
fn is_query_byte(b: u8) -> bool {
    // `&` rather than `&&` or `matches!`: no branches, so it vectorizes.
    (b.wrapping_sub(0x21) < 0x5E)
        & (b != b'"')
        & (b != b'#')
        & (b != b'<')
        & (b != b'>')
        & (b.wrapping_sub(b'[') >= 4) // [ \ ] ^
        & (b != b'`')
        & (b.wrapping_sub(b'{') >= 3) // { | }
}

/// A path byte (`PATH_TABLE`): a query byte other than `?`.
#[inline(always)]
fn is_path_byte(b: u8) -> bool {
    is_query_byte(b) & (b != b'?')
}

/// Whether every byte passes `allowed` and every `%` starts a valid escape.
/// On a CPU with AVX2 (nearly every x86-64 server), long texts are checked
/// 32 bytes at a time instead of the baseline's 16.
fn all_bytes(text: &[u8], allowed: impl Fn(u8) -> bool) -> bool {
    #[cfg(target_arch = "x86_64")]
    if text.len() >= 64 && std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU running this has just been seen to support AVX2.
        return unsafe { all_bytes_avx2(text, allowed) };
    }
    all_bytes_here(text, allowed)
}

/// [`all_bytes_here`] compiled for AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn all_bytes_avx2(text: &[u8], allowed: impl Fn(u8) -> bool) -> bool {
    all_bytes_here(text, allowed)
}

/// Each chunk is checked whole, without an early exit, so it vectorizes for
/// whatever the caller was compiled for.
#[inline(always)]
fn all_bytes_here(text: &[u8], allowed: impl Fn(u8) -> bool) -> bool {
    let mut chunks = text.chunks_exact(64);
    let whole = chunks.by_ref().all(|chunk| {
        chunk
            .iter()
            .fold(0u8, |bad, &b| bad | u8::from(!allowed(b)))
            == 0
    });
    whole && chunks.remainder().iter().all(|&b| allowed(b)) && escapes_are_valid(text)
}

/// Whether every `%` in `text` starts a `%XX` escape, in one branch-free
/// pass over three shifted views of the bytes (a presigned URL holds dozens
/// of escapes: visiting them one by one costs more than this pass).
#[inline(always)]
fn escapes_are_valid(text: &[u8]) -> bool {
    let n = text.len();
    if n < 3 {
        return !text.contains(&b'%');
    }
    if text[n - 2] == b'%' || text[n - 1] == b'%' {
        return false;
    }
    let (first, second, third) = (&text[..n - 2], &text[1..n - 1], &text[2..]);
    let bad = first
        .iter()
        .zip(second)
        .zip(third)
        .fold(0u8, |bad, ((&percent, &high), &low)| {
            bad | u8::from((percent == b'%') & !(is_hex_digit(high) & is_hex_digit(low)))
        });
    bad == 0
}

#[inline(always)]
fn is_hex_digit(b: u8) -> bool {
    (b.wrapping_sub(b'0') < 10) | ((b | 0x20).wrapping_sub(b'a') < 6)
}

/// RFC 3986 `URI`: `scheme ":" hier-part [ "?" query ] [ "#" fragment ]`.
pub fn is_uri(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(colon) = memchr::memchr(b':', bytes) else {
        return false;
    };
    let scheme = &bytes[..colon];
    let scheme_ok = scheme.first().is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return false;
    }
    let rest = &bytes[colon + 1..];
    let (before_fragment, fragment) = split_at_byte(rest, b'#');
    let (hier, query) = split_at_byte(before_fragment, b'?');
    if !query.is_none_or(|q| all_bytes(q, is_query_byte))
        || !fragment.is_none_or(|f| all_bytes(f, is_query_byte))
    {
        return false;
    }
    match hier.strip_prefix(b"//") {
        Some(after) => {
            let end = memchr::memchr(b'/', after).unwrap_or(after.len());
            is_authority(&after[..end]) && all_bytes(&after[end..], is_path_byte)
        }
        None => all_bytes(hier, is_path_byte),
    }
}

fn split_at_byte(bytes: &[u8], separator: u8) -> (&[u8], Option<&[u8]>) {
    match memchr::memchr(separator, bytes) {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    }
}

/// `[ userinfo "@" ] host [ ":" port ]`.
fn is_authority(authority: &[u8]) -> bool {
    let (userinfo, host_port) = match authority.iter().rposition(|&b| b == b'@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    if !userinfo.is_none_or(|u| all_bytes(u, |b| USERINFO_TABLE[b as usize])) {
        return false;
    }
    let (host, port) = if host_port.starts_with(b"[") {
        let Some(close) = host_port.iter().position(|&b| b == b']') else {
            return false;
        };
        let rest = &host_port[close + 1..];
        let port = match rest {
            [] => None,
            [b':', port @ ..] => Some(port),
            _ => return false,
        };
        if !is_ip_literal(&host_port[1..close]) {
            return false;
        }
        (None, port)
    } else {
        match host_port.iter().rposition(|&b| b == b':') {
            Some(colon) => (Some(&host_port[..colon]), Some(&host_port[colon + 1..])),
            None => (Some(host_port), None),
        }
    };
    host.is_none_or(|h| all_bytes(h, |b| HOST_TABLE[b as usize]))
        && port.is_none_or(|p| p.iter().all(u8::is_ascii_digit))
}

/// `IPv6address` or `IPvFuture` inside brackets.
fn is_ip_literal(inner: &[u8]) -> bool {
    if let [b'v' | b'V', rest @ ..] = inner {
        let Some(dot) = rest.iter().position(|&b| b == b'.') else {
            return false;
        };
        return dot > 0
            && rest[..dot].iter().all(u8::is_ascii_hexdigit)
            && rest.len() > dot + 1
            && rest[dot + 1..]
                .iter()
                .all(|&b| class(b) & (UNRESERVED | SUB_DELIM | COLON) != 0);
    }
    std::str::from_utf8(inner).is_ok_and(|text| text.parse::<Ipv6Addr>().is_ok())
}

/// RFC 5321 `Mailbox`: `Local-part "@" ( Domain / address-literal )`, with
/// the length limits of RFC 5321 section 4.5.3.1.
pub fn is_email(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some(at) = bytes.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&bytes[..at], &bytes[at + 1..]);
    local.len() <= 64 && is_local_part(local) && is_domain_or_literal(domain)
}

fn is_local_part(local: &[u8]) -> bool {
    match local {
        [] => false,
        [b'"', inner @ .., b'"'] => is_quoted_content(inner),
        _ => local
            .split(|&b| b == b'.')
            .all(|atom| !atom.is_empty() && atom.iter().all(|&b| class(b) & ATEXT != 0)),
    }
}

/// The content of an RFC 5321 quoted string: `qtextSMTP` or `\` + printable.
fn is_quoted_content(inner: &[u8]) -> bool {
    let mut i = 0;
    while i < inner.len() {
        match inner[i] {
            b'\\' if i + 1 < inner.len() && (32..=126).contains(&inner[i + 1]) => i += 2,
            b'"' | b'\\' => return false,
            32..=126 => i += 1,
            _ => return false,
        }
    }
    true
}

fn is_domain_or_literal(domain: &[u8]) -> bool {
    if let [b'[', inner @ .., b']'] = domain {
        let Ok(text) = std::str::from_utf8(inner) else {
            return false;
        };
        return match text.strip_prefix("IPv6:") {
            Some(v6) => v6.parse::<Ipv6Addr>().is_ok(),
            None => text.parse::<Ipv4Addr>().is_ok(),
        };
    }
    !domain.is_empty()
        && domain.len() <= 253
        && domain.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.first().is_some_and(u8::is_ascii_alphanumeric)
                && label.last().is_some_and(u8::is_ascii_alphanumeric)
                && label
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in [
            "charlotte+blue@synap.ac",
            "a@b",
            "first.last@sub.example.co.uk",
            "\"quoted local\"@example.com",
            "user@[192.168.0.1]",
            "user@[IPv6:2001:db8::1]",
            "o'brien@example.com",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "charlotte at synap",
            "@example.com",
            "user@",
            "a..b@example.com",
            ".a@example.com",
            "a.@example.com",
            "user@-example.com",
            "user@example..com",
            "user@exa_mple.com",
            "user name@example.com",
            "user@[300.1.1.1]",
            "\"unclosed@example.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(!is_email(&format!("{}@example.com", "a".repeat(65))));
    }

    #[test]
    fn byte_predicates_match_the_rfc_tables() {
        for b in 0..=255u8 {
            assert_eq!(is_query_byte(b), QUERY_TABLE[b as usize], "query byte {b}");
            assert_eq!(is_path_byte(b), PATH_TABLE[b as usize], "path byte {b}");
        }
    }

    #[test]
    fn escapes_need_two_hex_digits() {
        for (text, valid) in [
            ("", true),
            ("%", false),
            ("a%", false),
            ("%4", false),
            ("%41", true),
            ("%4g", false),
            ("%g4", false),
            ("x%2Fy%2f%AF", true),
            ("x%2Fy%2f%A", false),
            ("%%41", false),
            ("abc", true),
        ] {
            assert_eq!(escapes_are_valid(text.as_bytes()), valid, "{text}");
        }
        for b in 0..=255u8 {
            assert_eq!(is_hex_digit(b), b.is_ascii_hexdigit(), "byte {b}");
        }
    }

    #[test]
    fn long_components_are_checked_to_their_last_byte() {
        let long = format!("https://h/{}", "a".repeat(100));
        assert!(is_uri(&long));
        for at in [10, 41, 42, 73, 105, 109] {
            let mut bad = long.clone().into_bytes();
            bad[at] = b'<';
            assert!(
                !is_uri(std::str::from_utf8(&bad).unwrap()),
                "bad byte at {at}"
            );
        }
    }

    #[test]
    fn every_build_of_the_byte_check_agrees() {
        let mut rng = crate::samples::Rng::new(11);
        let alphabet = b"aZ09-._~!$&'()*+,;=:@/?%fF<>\"#[]^`{|} \x7f\xc3";
        for length in 0..300 {
            let text: Vec<u8> = (0..length)
                .map(|_| alphabet[rng.below(alphabet.len() as u64) as usize])
                .collect();
            let expected = text.iter().all(|&b| is_query_byte(b)) && escapes_are_valid(&text);
            assert_eq!(all_bytes(&text, is_query_byte), expected, "{text:?}");
            assert_eq!(all_bytes_here(&text, is_query_byte), expected, "{text:?}");
            let clean: Vec<u8> = text
                .iter()
                .map(|&b| {
                    if is_path_byte(b) && b != b'%' {
                        b
                    } else {
                        b'x'
                    }
                })
                .collect();
            assert!(all_bytes(&clean, is_path_byte));
            assert!(all_bytes_here(&clean, is_path_byte));
        }
    }

    #[test]
    fn uris() {
        for good in [
            "https://synap-files-prod.s3.eu-west-1.amazonaws.com/9i0FAHIDOM/user/x/file/luke.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA%2F20240625%2Faws4_request&X-Amz-Expires=3600",
            "http://user:pass@host:8080/p/a/t/h?query=1#frag",
            "urn:isbn:0451450523",
            "mailto:someone@example.com",
            "file:///etc/hosts",
            "http://[::1]:80/",
            "http://[v7.fe80::a+en1]/",
            "http://example.com",
            "a+b-c.d:rest",
        ] {
            assert!(is_uri(good), "{good}");
        }
        for bad in [
            "luke.pdf",
            "relative/path?x=1",
            "//example.com/x",
            "1http://x",
            "http://exa mple.com/",
            "http://example.com/%zz",
            "http://example.com/%4",
            "http://example.com:80a/",
            "http://[::g]/",
            "http://example.com/a\"b",
            "http://example.com/#a#b",
            "http://ex<ample.com/",
        ] {
            assert!(!is_uri(bad), "{bad}");
        }
    }
}
