//! Sample payloads: Synap's documented examples (the `created` one with its
//! stray quote corrected), and generated, varied, valid payloads that are the
//! same for the same seed, for fixtures and benchmarks.

use crate::event::Event;
use serde_json::{Map, Value, json};

/// The documented example of an event, verbatim but for the stray quote that
/// Synap's published `created` example has on line 34.
pub fn documented(event: Event) -> &'static str {
    match event {
        Event::Created => include_str!("../samples/learningRecord.created.json"),
        Event::Updated => include_str!("../samples/learningRecord.updated.json"),
        Event::Deleted => include_str!("../samples/learningRecord.deleted.json"),
    }
}

/// A small, fast, seedable random generator (SplitMix64): samples need
/// repeatability, not cryptographic quality.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An alphanumeric id of `length` characters, like Synap's.
    pub fn id(&mut self, length: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..length)
            .map(|_| char::from(*self.pick(ALPHABET)))
            .collect()
    }
}

const FIRST_NAMES: [&str; 12] = [
    "Charlotte",
    "Amara",
    "Kenji",
    "Lucía",
    "Tomasz",
    "Priya",
    "Oluwaseun",
    "Freya",
    "Mateo",
    "Aoife",
    "Dmitri",
    "Zainab",
];
const LAST_NAMES: [&str; 10] = [
    "Blue",
    "Okafor",
    "Tanaka",
    "García",
    "Nowak",
    "Sharma",
    "Adeyemi",
    "Lindqvist",
    "Rossi",
    "O'Brien",
];
const RECORD_NAMES: [&str; 8] = [
    "First Aid at Work",
    "Fire Warden Refresher",
    "Forklift Licence",
    "GDPR Essentials",
    "Manual Handling",
    "The Smallest Record Who Ever Lived",
    "Working at Height",
    "Food Hygiene Level 2",
];
const GRADES: [&str; 5] = ["a", "b", "c", "d", "pass"];
const FILES: [(&str, &str); 4] = [
    ("certificate.pdf", "application/pdf"),
    ("evidence.png", "image/png"),
    (
        "transcript.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("photo.jpg", "image/jpeg"),
];
const UPDATABLE: [&str; 4] = ["name", "score", "achievedOn", "visibleToStudent"];

/// 2024-06-01T00:00:00Z in milliseconds since the Unix epoch.
const BASE_MILLIS: u64 = 1_717_200_000_000;

/// Generates `count` varied, valid payloads of `event`, the same for the same seed.
pub fn generate(event: Event, count: usize, seed: u64) -> impl Iterator<Item = Value> {
    let mut rng = Rng::new(seed ^ (event as u64).wrapping_mul(0x51_7CC1_B727_220A));
    let mut clock = BASE_MILLIS;
    (0..count).map(move |_| {
        clock += 1 + rng.below(90_000);
        generated(event, &mut rng, clock)
    })
}

fn generated(event: Event, rng: &mut Rng, millis: u64) -> Value {
    let portal = rng.id(10);
    let user_id = rng.id(11);
    let first = *rng.pick(&FIRST_NAMES);
    let last = *rng.pick(&LAST_NAMES);
    let email = format!(
        "{}.{}+{}@example.com",
        ascii_slug(first),
        ascii_slug(last),
        rng.below(1000)
    );
    let mut custom = Map::new();
    for slug in ["employee-id", "team", "dob"] {
        let value = match (slug, rng.chance(40)) {
            (_, false) => Value::Null,
            ("employee-id", true) => json!(format!("E{:05}", rng.below(100_000))),
            ("team", true) => json!(*rng.pick(&["Ops", "Sales", "Support"])),
            _ => json!("1990-01-01"),
        };
        custom.insert(slug.to_owned(), value);
    }
    let mut user = json!({
        "id": user_id,
        "name": format!("{first} {last}"),
        "email": email,
        "subPortalId": rng.id(11),
        "customAttributes": custom,
    });
    if rng.chance(15) {
        user["subPortalId"] = Value::Null;
    }
    let object_id = rng.id(11);
    let name = format!("{} #{}", rng.pick(&RECORD_NAMES), rng.below(500));
    let record = match event {
        Event::Deleted => json!({"objectId": object_id, "name": name}),
        _ => record(rng, &portal, &user_id, &object_id, &name, millis),
    };
    let mut payload = json!({
        "user": user,
        "portal": {"id": portal},
        "meta": {"timestamp": rfc3339(millis), "eventName": event.name()},
        "learningRecord": record,
    });
    if event == Event::Updated {
        payload["updatedFields"] = updated_fields(rng, &payload["learningRecord"]);
    }
    payload
}

fn record(
    rng: &mut Rng,
    portal: &str,
    user: &str,
    object_id: &str,
    name: &str,
    millis: u64,
) -> Value {
    let mut attr = Map::new();
    attr.insert("grade".to_owned(), json!(*rng.pick(&GRADES)));
    if rng.chance(60) {
        let (file_name, mime) = *rng.pick(&FILES);
        attr.insert(
            "file".to_owned(),
            file(rng, portal, user, file_name, mime, millis),
        );
    }
    if rng.chance(50) {
        attr.insert(
            "free-text".to_owned(),
            json!("Assessed on site.\nNo issues."),
        );
    }
    let score = if rng.chance(10) {
        Value::Null
    } else {
        json!(rng.below(101))
    };
    let achieved = millis.saturating_sub(rng.below(60) * 86_400_000);
    json!({
        "objectId": object_id,
        "name": name,
        "score": score,
        "visibleToStudent": rng.chance(80),
        "achievedOn": rfc3339(achieved - achieved % 86_400_000),
        "attr": attr,
    })
}

fn file(
    rng: &mut Rng,
    portal: &str,
    user: &str,
    file_name: &str,
    mime: &str,
    millis: u64,
) -> Value {
    let path = format!("{portal}/user/{user}/learning-record-attr/file/{file_name}");
    let signed = rfc3339(millis + rng.below(900_000));
    let amz_date: String = signed[..19]
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let url = format!(
        "https://synap-files-prod.s3.eu-west-1.amazonaws.com/{path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIA{}%2F{}%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date={amz_date}Z&X-Amz-Expires=3600&X-Amz-Security-Token={}&X-Amz-SignedHeaders=host&X-Amz-Signature={:016x}{:016x}{:016x}{:016x}",
        rng.id(16).to_uppercase(),
        &amz_date[..8],
        security_token(rng),
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64(),
    );
    json!({
        "url": url,
        "filePath": path,
        "fileName": format!("{}.{}", rng.id(11), file_name.rsplit('.').next().unwrap_or("bin")),
        "mimeType": mime,
        "size": 1_000 + rng.below(5_000_000),
    })
}

/// A security token of realistic length (about a kilobyte, as in the documented examples).
fn security_token(rng: &mut Rng) -> String {
    let length = 900 + rng.below(300) as usize;
    rng.id(length)
}

fn updated_fields(rng: &mut Rng, record: &Value) -> Value {
    let mut fields: Vec<&str> = UPDATABLE
        .iter()
        .copied()
        .filter(|_| rng.chance(40))
        .collect();
    if rng.chance(50) || fields.is_empty() {
        fields.push("attr");
        if record["attr"].get("file").is_some() && rng.chance(50) {
            fields.push("file");
        }
    }
    json!(fields)
}

fn ascii_slug(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            'á' | 'à' => Some('a'),
            'é' => Some('e'),
            'í' => Some('i'),
            'ó' => Some('o'),
            'ú' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub fn rfc3339(millis: u64) -> String {
    let days = (millis / 86_400_000) as i64;
    let in_day = millis % 86_400_000;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Validator;

    #[test]
    fn formats_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(1_719_314_115_587), "2024-06-25T11:15:15.587Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn generated_payloads_are_valid_varied_and_repeatable() {
        let validator = Validator::default();
        for event in Event::ALL {
            let payloads: Vec<Value> = generate(event, 200, 7).collect();
            assert_eq!(payloads, generate(event, 200, 7).collect::<Vec<_>>());
            assert_ne!(payloads, generate(event, 200, 8).collect::<Vec<_>>());
            for payload in &payloads {
                let text = serde_json::to_string(payload).unwrap();
                let result = validator.validate_bytes("sample", text.as_bytes());
                assert!(result.is_valid(), "{event}: {:?}\n{text}", result.errors);
                assert!(result.warnings.is_empty(), "{event}: {:?}", result.warnings);
            }
            let ids: std::collections::HashSet<_> = payloads
                .iter()
                .map(|p| p["learningRecord"]["objectId"].clone())
                .collect();
            assert_eq!(ids.len(), payloads.len());
        }
        let with_file = generate(Event::Created, 50, 1)
            .filter(|p| p["learningRecord"]["attr"].get("file").is_some())
            .count();
        assert!(with_file > 10 && with_file < 50, "{with_file}");
    }
}
