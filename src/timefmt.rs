//! Times in payloads: RFC 3339 timestamps, S3's `X-Amz-Date`, and how they
//! read for people (UTC, relative to now, durations). Pure; "now" is passed in.

use crate::samples::civil_from_days;

/// Milliseconds since the Unix epoch of an RFC 3339 date-time
/// (`2024-06-25T11:15:15.587Z`, `…+01:00`), or `None` if it is not one.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<i64> {
        let part = text.get(from..to)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    if bytes[4] != b'-' || bytes[7] != b'-' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let padded = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = padded.parse::<i64>().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes()[3] != b':' {
                return None;
            }
            let hours: i64 = rest[1..3].parse().ok()?;
            let minutes: i64 = rest[4..6].parse().ok()?;
            sign * (hours * 60 + minutes)
        }
    };
    let days = days_from_civil(year, month as u32, day as u32);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

/// Milliseconds since the epoch of S3's compact `X-Amz-Date` (`20240625T112807Z`).
pub fn parse_amz_date(text: &str) -> Option<i64> {
    if text.len() != 16 || !text.is_ascii() {
        return None;
    }
    let expanded = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    (text.as_bytes()[8] == b'T' && text.as_bytes()[15] == b'Z').then(|| parse_rfc3339(&expanded))?
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `2024-06-25 12:31:25 UTC`.
pub fn utc(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let in_day = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60
    )
}

/// `2024-06-25`.
pub fn date(millis: i64) -> String {
    utc(millis)[..10].to_owned()
}

/// A duration in the two largest units: `12 min 52 s`, `3 days 4 h`.
pub fn duration(millis: i64) -> String {
    let seconds = millis.unsigned_abs() / 1000;
    let units = [
        (86_400 * 365, "years", "year"),
        (86_400, "days", "day"),
        (3600, "h", "h"),
        (60, "min", "min"),
        (1, "s", "s"),
    ];
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (size, plural, singular) in units {
        if rest >= size {
            let count = rest / size;
            rest %= size;
            parts.push(format!(
                "{count} {}",
                if count == 1 { singular } else { plural }
            ));
            if parts.len() == 2 {
                break;
            }
        } else if !parts.is_empty() {
            break;
        }
    }
    if parts.is_empty() {
        "0 s".to_owned()
    } else {
        parts.join(" ")
    }
}

/// `3 days ago` / `in 2 h` relative to `now`, in the largest unit.
pub fn relative(millis: i64, now: i64) -> String {
    let delta = now - millis;
    let whole = duration(delta);
    let largest = whole.split(' ').take(2).collect::<Vec<_>>().join(" ");
    if delta >= 0 {
        format!("{largest} ago")
    } else {
        format!("in {largest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339() {
        assert_eq!(
            parse_rfc3339("2024-06-25T11:15:15.587Z"),
            Some(1_719_314_115_587)
        );
        assert_eq!(
            parse_rfc3339("2024-06-25T12:15:15.587+01:00"),
            Some(1_719_314_115_587)
        );
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        for bad in [
            "yesterday",
            "2024-13-25T11:15:15Z",
            "2024-02-30T00:00:00Z",
            "2024-06-25T11:15:15",
            "2024-06-25T11:15:15.Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn parses_amz_dates() {
        assert_eq!(
            parse_amz_date("20240625T112807Z").map(utc).as_deref(),
            Some("2024-06-25 11:28:07 UTC")
        );
        assert_eq!(parse_amz_date("2024-06-25"), None);
    }

    #[test]
    fn reads_for_people() {
        assert_eq!(duration(772_000), "12 min 52 s");
        assert_eq!(
            duration(3 * 86_400_000 + 4 * 3_600_000 + 5000),
            "3 days 4 h"
        );
        assert_eq!(relative(0, 3 * 86_400_000 + 10), "3 days ago");
        assert_eq!(relative(7_200_000, 0), "in 2 h");
        assert_eq!(date(1_719_314_115_587), "2024-06-25");
    }
}
