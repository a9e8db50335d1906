//! Auditing a capture of deliveries, record by record: creation before
//! updates, nothing after deletion, `updatedFields` true to what changed
//! (diff's rules), duplicates and out-of-order arrival. Pure, but for the
//! temporary file that sorting a very large capture writes.
//!
//! Memory: one state per record (and its latest version, for the final
//! state). Each delivery is reduced to a 64-byte fingerprint as it arrives;
//! fingerprints beyond a fixed budget are sorted out to a temporary file
//! ([`crate::spill_sort`]), so memory does not grow with the number of
//! deliveries. Time: one sort of the fingerprints.

use crate::event::Event;
use crate::record_audit::RECORD_FIELDS;
use crate::spill_sort::{self, FixedSize, SpillSort};
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io;
use std::sync::Arc;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Suspicious.
    Warning,
    /// Wrong: fails the audit.
    Error,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Every problem code with its severity, for documentation and tests.
pub const CODES: [(&str, Severity); 9] = [
    ("invalid-payload", Severity::Error),
    ("event-before-creation", Severity::Error),
    ("second-creation", Severity::Error),
    ("event-after-deletion", Severity::Error),
    ("updated-fields-mismatch", Severity::Error),
    ("deleted-name-differs", Severity::Warning),
    ("duplicate-delivery", Severity::Warning),
    ("out-of-order", Severity::Info),
    ("no-creation-in-capture", Severity::Info),
];

fn severity_of(code: &str) -> Severity {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(Severity::Error, |(_, s)| *s)
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable kebab-case code.
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The record, when known.
    pub object_id: Option<String>,
    /// Where the delivery came from.
    pub source: Arc<str>,
    /// Line where the delivery starts.
    pub line: usize,
    /// Plain-language explanation.
    pub message: String,
}

/// The names `updatedFields` uses, in fingerprint order.
const NAMES: [&str; 6] = [
    "name",
    "score",
    "achievedOn",
    "visibleToStudent",
    "attr",
    "file",
];

/// What one valid delivery contributes, extracted on any thread.
#[derive(Debug, Clone)]
pub struct Extract {
    /// `learningRecord.objectId`.
    pub object_id: String,
    /// `meta.timestamp` in milliseconds.
    pub timestamp: i64,
    /// The event.
    pub event: Event,
    /// Hash of the whole body (identical bodies are duplicates).
    pub body: u64,
    /// Hash per `updatedFields` name.
    pub fields: [u64; 6],
    /// `updatedFields` as a bit set over the six known names (name, score,
    /// achievedOn, visibleToStudent, attr, file), and names outside them.
    pub declared: Option<(u8, Vec<String>)>,
    /// The record as JSON, kept only for the final state of creations and updates.
    pub record: Option<String>,
}

/// Extracts what the audit needs from a valid payload; `None` without an
/// objectId or a parseable timestamp (which validation already reports).
pub fn extract(value: &Value, event: Event, keep_record: bool) -> Option<Extract> {
    let record = value.get("learningRecord")?.as_object()?;
    let object_id = record.get("objectId")?.as_str()?.to_owned();
    let timestamp = crate::timefmt::parse_rfc3339(value.get("meta")?.get("timestamp")?.as_str()?)?;
    let mut fields = [0u64; 6];
    for (slot, name) in RECORD_FIELDS.iter().enumerate() {
        fields[slot] = hash_of(record.get(*name), false);
    }
    let attr = record.get("attr").and_then(Value::as_object);
    fields[4] = attr.map_or(0, |a| hash_map(a, false, false));
    fields[5] = attr.map_or(0, |a| hash_map(a, false, true));
    let declared = value
        .get("updatedFields")
        .and_then(Value::as_array)
        .map(|entries| {
            let mut bits = 0u8;
            let mut others = Vec::new();
            for entry in entries.iter().filter_map(Value::as_str) {
                match NAMES.iter().position(|name| *name == entry) {
                    Some(index) => bits |= 1 << index,
                    None => others.push(entry.to_owned()),
                }
            }
            (bits, others)
        });
    Some(Extract {
        object_id,
        timestamp,
        event,
        body: hash_of(Some(value), true),
        fields,
        declared,
        record: (keep_record && event != Event::Deleted)
            .then(|| Value::Object(record.clone()).to_string()),
    })
}

/// Hash of a value; file links are hashed without their query string
/// (signed anew at each delivery) unless `exact`.
fn hash_of(value: Option<&Value>, exact: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    match value {
        Some(value) => feed(value, exact, &mut hasher),
        None => 0xFFu8.hash(&mut hasher),
    }
    hasher.finish()
}

/// Hash of an attr object: every attribute, or only file attributes.
fn hash_map(attributes: &Map<String, Value>, exact: bool, files_only: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    for (key, value) in attributes {
        if files_only && !value.is_object() {
            continue;
        }
        key.hash(&mut hasher);
        feed(value, exact, &mut hasher);
    }
    hasher.finish()
}

fn feed(value: &Value, exact: bool, hasher: &mut DefaultHasher) {
    match value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(flag) => (1u8, flag).hash(hasher),
        Value::Number(number) => (2u8, number.to_string()).hash(hasher),
        Value::String(text) => (3u8, text).hash(hasher),
        Value::Array(items) => {
            (4u8, items.len()).hash(hasher);
            items.iter().for_each(|item| feed(item, exact, hasher));
        }
        Value::Object(object) => {
            (5u8, object.len()).hash(hasher);
            let is_file = object.contains_key("filePath");
            for (key, child) in object {
                key.hash(hasher);
                match (key.as_str(), child) {
                    ("url", Value::String(url)) if is_file && !exact => {
                        (3u8, url.split(['?', '#']).next().unwrap_or_default()).hash(hasher);
                    }
                    _ => feed(child, exact, hasher),
                }
            }
        }
    }
}

/// A delivery as the audit keeps it: 64 bytes, whatever the payload's size.
#[derive(Debug, Clone)]
struct Delivery {
    timestamp: i64,
    body: u64,
    seq: u32,
    record: u32,
    source: u32,
    line: u32,
    /// 32 bits of each field hash: enough to tell whether a field changed
    /// between two versions of one record.
    fields: [u32; 6],
    /// Index + 1 into the auditor's table of unknown `updatedFields` names (0: none).
    others: u32,
    /// `updatedFields` as a bit set; bit 7 set when the payload has the list.
    declared: u8,
    event: Event,
    /// Arrived after a delivery with a later timestamp.
    late: bool,
}

/// Deliveries sort by record, then timestamp, then input order (`seq` is
/// unique, so no two deliveries are equal).
impl Ord for Delivery {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.record, self.timestamp, self.seq).cmp(&(other.record, other.timestamp, other.seq))
    }
}

impl PartialOrd for Delivery {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Delivery {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Delivery {}

impl FixedSize for Delivery {
    const SIZE: usize = 64;

    fn encode(&self, out: &mut [u8]) {
        out[0..8].copy_from_slice(&self.timestamp.to_le_bytes());
        out[8..16].copy_from_slice(&self.body.to_le_bytes());
        let words = [self.seq, self.record, self.source, self.line];
        let words = words.iter().chain(&self.fields).chain([&self.others]);
        for (chunk, word) in out[16..60].chunks_exact_mut(4).zip(words) {
            chunk.copy_from_slice(&word.to_le_bytes());
        }
        let event = Event::ALL.iter().position(|e| *e == self.event);
        out[60] = self.declared;
        out[61] = event.unwrap_or_default() as u8;
        out[62] = u8::from(self.late);
        out[63] = 0;
    }

    fn decode(bytes: &[u8]) -> Self {
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let long = |at: usize| bytes[at..at + 8].try_into().expect("8 bytes");
        Delivery {
            timestamp: i64::from_le_bytes(long(0)),
            body: u64::from_le_bytes(long(8)),
            seq: word(16),
            record: word(20),
            source: word(24),
            line: word(28),
            fields: std::array::from_fn(|i| word(32 + 4 * i)),
            others: word(56),
            declared: bytes[60],
            event: Event::ALL[usize::from(bytes[61]).min(2)],
            late: bytes[62] != 0,
        }
    }
}

const HAS_DECLARED: u8 = 1 << 7;

/// A record's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    /// Its objectId.
    pub object_id: String,
    /// Deliveries in the story.
    pub events: usize,
    /// Deleted at the end of the story.
    pub deleted: bool,
    /// Earliest and latest `meta.timestamp`, in milliseconds.
    pub first: i64,
    /// Latest timestamp.
    pub last: i64,
    /// The latest version of the record (JSON), if kept.
    pub record: Option<String>,
    /// Its timeline, in timestamp order: (event, timestamp, source, line);
    /// empty for records without problems unless all timelines were asked for.
    pub timeline: Vec<(Event, i64, Arc<str>, usize)>,
}

/// The audit's findings.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Payloads read (valid or not).
    pub payloads: usize,
    /// Records, in order of first appearance.
    pub records: Vec<RecordSummary>,
    /// Problems, record by record in timestamp order; invalid payloads first.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Problems of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }
}

/// Which records keep their timeline (one entry per delivery) in the
/// report: only what will be shown, so memory follows the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timelines {
    /// None (machine output has no timelines).
    None,
    /// Records with problems.
    WithProblems,
    /// Every record.
    All,
}

/// Collects deliveries in input order, then tells each record's story.
pub struct Auditor {
    ids: HashMap<String, u32>,
    object_ids: Vec<String>,
    latest: Vec<(i64, u32, Option<String>)>,
    sources: Vec<Arc<str>>,
    deliveries: SpillSort<Delivery>,
    others: Vec<Box<[String]>>,
    invalid: Vec<Problem>,
    payloads: usize,
    max_timestamp: i64,
}

impl Default for Auditor {
    fn default() -> Self {
        Self::new()
    }
}

impl Auditor {
    /// A new audit, keeping up to 256Ki delivery fingerprints (16 MiB) in
    /// memory before sorting them out to a temporary file.
    pub fn new() -> Self {
        Self::with_memory_budget(spill_sort::DEFAULT_BUDGET)
    }

    /// A new audit keeping up to `deliveries` fingerprints in memory.
    pub fn with_memory_budget(deliveries: usize) -> Self {
        Auditor {
            ids: HashMap::new(),
            object_ids: Vec::new(),
            latest: Vec::new(),
            sources: Vec::new(),
            deliveries: SpillSort::new(deliveries),
            others: Vec::new(),
            invalid: Vec::new(),
            payloads: 0,
            max_timestamp: i64::MIN,
        }
    }

    fn source_index(&mut self, source: &Arc<str>) -> u32 {
        if self
            .sources
            .last()
            .is_none_or(|last| !Arc::ptr_eq(last, source))
        {
            self.sources.push(Arc::clone(source));
        }
        (self.sources.len() - 1) as u32
    }

    /// Adds an invalid payload: reported, left out of the story.
    pub fn add_invalid(
        &mut self,
        source: &Arc<str>,
        line: usize,
        object_id: Option<String>,
        message: String,
    ) {
        self.payloads += 1;
        self.invalid.push(Problem {
            code: "invalid-payload",
            severity: Severity::Error,
            object_id,
            source: Arc::clone(source),
            line,
            message,
        });
    }

    /// Adds a valid delivery, in input order. Fails only when fingerprints
    /// beyond the memory budget cannot be written to a temporary file.
    pub fn add(&mut self, source: &Arc<str>, line: usize, extract: &Extract) -> io::Result<()> {
        self.payloads += 1;
        let source = self.source_index(source);
        let record = match self.ids.get(&extract.object_id) {
            Some(&record) => record,
            None => {
                let record = self.object_ids.len() as u32;
                self.ids.insert(extract.object_id.clone(), record);
                self.object_ids.push(extract.object_id.clone());
                self.latest.push((i64::MIN, 0, None));
                record
            }
        };
        // Unique and increasing in input order: ties in time keep it.
        let seq = self.payloads as u32;
        let late = extract.timestamp < self.max_timestamp;
        self.max_timestamp = self.max_timestamp.max(extract.timestamp);
        let latest = &mut self.latest[record as usize];
        if extract.record.is_some() && (extract.timestamp, seq) >= (latest.0, latest.1) {
            *latest = (extract.timestamp, seq, extract.record.clone());
        }
        let (declared, others) = match &extract.declared {
            None => (0, 0),
            Some((bits, others)) if others.is_empty() => (bits | HAS_DECLARED, 0),
            Some((bits, others)) => {
                self.others.push(others.clone().into_boxed_slice());
                (bits | HAS_DECLARED, self.others.len() as u32)
            }
        };
        self.deliveries.push(Delivery {
            timestamp: extract.timestamp,
            body: extract.body,
            seq,
            record,
            source,
            line: line as u32,
            fields: extract.fields.map(|hash| hash as u32),
            others,
            declared,
            event: extract.event,
            late,
        })
    }

    /// Sorts the deliveries and tells every record's story, keeping the
    /// `timelines` asked for. Fails only when fingerprints sorted out to the
    /// temporary file cannot be read back.
    pub fn finish(mut self, timelines: Timelines) -> io::Result<Report> {
        let mut report = Report {
            payloads: self.payloads,
            problems: std::mem::take(&mut self.invalid),
            records: Vec::with_capacity(self.object_ids.len()),
        };
        // Moved out (an empty sorter left behind): `story` borrows the rest.
        let deliveries = std::mem::replace(&mut self.deliveries, SpillSort::new(1));
        // One record's deliveries at a time, in timestamp order.
        let mut story: Vec<Delivery> = Vec::new();
        let mut sorted = deliveries.into_sorted()?.peekable();
        while let Some(delivery) = sorted.next() {
            let delivery = delivery?;
            let record = delivery.record;
            story.push(delivery);
            if sorted
                .peek()
                .is_some_and(|next| next.as_ref().is_ok_and(|next| next.record == record))
            {
                continue;
            }
            let before = report.problems.len();
            let mut summary = self.story(&story, &mut report.problems);
            let keep = match timelines {
                Timelines::None => false,
                Timelines::WithProblems => report.problems.len() > before,
                Timelines::All => true,
            };
            if !keep {
                summary.timeline = Vec::new();
            }
            summary.record = self.latest[record as usize].2.take();
            report.records.push(summary);
            story.clear();
        }
        // Records in order of first appearance.
        let first_seen: HashMap<&str, usize> = self
            .object_ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        report
            .records
            .sort_by_key(|r| first_seen.get(r.object_id.as_str()).copied());
        Ok(report)
    }

    fn problem(&self, delivery: &Delivery, code: &'static str, message: String) -> Problem {
        Problem {
            code,
            severity: severity_of(code),
            object_id: Some(self.object_ids[delivery.record as usize].clone()),
            source: Arc::clone(&self.sources[delivery.source as usize]),
            line: delivery.line as usize,
            message,
        }
    }

    /// One record's deliveries, in timestamp order.
    fn story(&self, deliveries: &[Delivery], problems: &mut Vec<Problem>) -> RecordSummary {
        let first_creation = deliveries.iter().position(|d| d.event == Event::Created);
        let mut seen_bodies: Vec<u64> = Vec::new();
        let mut creation_body = None;
        let mut previous: Option<&Delivery> = None;
        let mut deleted_at: Option<&Delivery> = None;
        let late = deliveries.iter().filter(|d| d.late).count();
        if first_creation.is_none() && deliveries.iter().any(|d| d.event != Event::Created) {
            problems.push(self.problem(
                &deliveries[0],
                "no-creation-in-capture",
                "the record's creation is not in the capture: its checks start from the first delivery seen".to_owned(),
            ));
        }
        if late > 0 {
            let first_late = deliveries.iter().find(|d| d.late).unwrap_or(&deliveries[0]);
            problems.push(self.problem(
                first_late,
                "out-of-order",
                format!(
                    "{late} of its {} deliveries arrived after a delivery with a later timestamp",
                    deliveries.len()
                ),
            ));
        }
        for (position, delivery) in deliveries.iter().enumerate() {
            if seen_bodies.contains(&delivery.body) {
                problems.push(self.problem(delivery, "duplicate-delivery", format!("the same {} body was delivered again (webhooks are at-least-once: consumers must be idempotent)", delivery.event)));
                continue;
            }
            seen_bodies.push(delivery.body);
            if let Some(deleted) = deleted_at {
                problems.push(self.problem(
                    delivery,
                    "event-after-deletion",
                    format!(
                        "{} at {} comes after the record was deleted at {}",
                        delivery.event,
                        stamp(delivery.timestamp),
                        stamp(deleted.timestamp)
                    ),
                ));
                continue;
            }
            match delivery.event {
                Event::Created => {
                    if let Some(first) = creation_body {
                        if first != delivery.body {
                            problems.push(self.problem(
                                delivery,
                                "second-creation",
                                "a second, different creation of the same record".to_owned(),
                            ));
                        }
                        continue;
                    }
                    creation_body = Some(delivery.body);
                }
                Event::Updated | Event::Deleted
                    if first_creation.is_some_and(|first| position < first) =>
                {
                    problems.push(self.problem(
                        delivery,
                        "event-before-creation",
                        format!(
                            "{} at {} comes before the record's creation at {}",
                            delivery.event,
                            stamp(delivery.timestamp),
                            stamp(deliveries[first_creation.unwrap_or(0)].timestamp)
                        ),
                    ));
                    continue;
                }
                Event::Updated => {
                    if let Some(before) = previous
                        && delivery.declared & HAS_DECLARED != 0
                    {
                        let bits = delivery.declared & !HAS_DECLARED;
                        let others: &[String] = match delivery.others {
                            0 => &[],
                            index => &self.others[index as usize - 1],
                        };
                        let changed: u8 = (0..NAMES.len())
                            .filter(|&i| before.fields[i] != delivery.fields[i])
                            .fold(0, |acc, i| acc | 1 << i);
                        let missing = changed & !bits;
                        let extra = bits & !changed;
                        if missing != 0 || extra != 0 || !others.is_empty() {
                            let names = |set: u8| {
                                (0..NAMES.len())
                                    .filter(|&i| set & (1 << i) != 0)
                                    .map(|i| NAMES[i])
                                    .collect::<Vec<_>>()
                            };
                            let mut extra_names = names(extra);
                            extra_names.extend(others.iter().map(String::as_str));
                            let list = |items: &[&str]| {
                                if items.is_empty() {
                                    "nothing".to_owned()
                                } else {
                                    items.join(", ")
                                }
                            };
                            problems.push(self.problem(delivery, "updated-fields-mismatch", format!(
                                "updatedFields does not match what changed since the previous delivery: missing {}, extra {}",
                                list(&names(missing)),
                                list(&extra_names)
                            )));
                        }
                    }
                }
                Event::Deleted => {
                    if let Some(before) = previous
                        && before.fields[0] != delivery.fields[0]
                    {
                        problems.push(
                            self.problem(
                                delivery,
                                "deleted-name-differs",
                                "the deletion's record name differs from the last known name"
                                    .to_owned(),
                            ),
                        );
                    }
                    deleted_at = Some(delivery);
                }
            }
            previous = Some(delivery);
        }
        let record = delivery_record(deliveries);
        RecordSummary {
            object_id: self.object_ids[record as usize].clone(),
            events: deliveries.len(),
            deleted: deliveries.last().is_some_and(|d| d.event == Event::Deleted),
            first: deliveries.first().map_or(0, |d| d.timestamp),
            last: deliveries.last().map_or(0, |d| d.timestamp),
            record: None,
            timeline: deliveries
                .iter()
                .map(|d| {
                    (
                        d.event,
                        d.timestamp,
                        Arc::clone(&self.sources[d.source as usize]),
                        d.line as usize,
                    )
                })
                .collect(),
        }
    }
}

fn delivery_record(deliveries: &[Delivery]) -> u32 {
    deliveries.first().map_or(0, |d| d.record)
}

fn stamp(millis: i64) -> String {
    crate::samples::rfc3339(millis.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn payload(event: Event) -> Value {
        serde_json::from_str(crate::samples::documented(event)).unwrap()
    }

    fn at(mut value: Value, time: &str) -> Value {
        value["meta"]["timestamp"] = json!(time);
        value
    }

    /// Audits `values` with every fingerprint in memory, and again with
    /// every fingerprint sorted out to the temporary file: same report.
    fn audit(values: &[Value]) -> Report {
        let run = |mut auditor: Auditor| {
            let source: Arc<str> = Arc::from("capture");
            for (line, value) in values.iter().enumerate() {
                let event = Event::from_name(value["meta"]["eventName"].as_str().unwrap()).unwrap();
                let extract = extract(value, event, true).unwrap();
                auditor.add(&source, line + 1, &extract).unwrap();
            }
            auditor.finish(Timelines::All).unwrap()
        };
        let in_memory = run(Auditor::new());
        let spilled = run(Auditor::with_memory_budget(1));
        assert_eq!(
            (in_memory.payloads, &in_memory.records, &in_memory.problems),
            (spilled.payloads, &spilled.records, &spilled.problems)
        );
        in_memory
    }

    fn codes(report: &Report) -> Vec<(&'static str, usize)> {
        report.problems.iter().map(|p| (p.code, p.line)).collect()
    }

    #[test]
    fn a_delivery_costs_64_bytes_and_is_written_as_64() {
        assert_eq!(std::mem::size_of::<Delivery>(), 64);
        let delivery = Delivery {
            timestamp: -5,
            body: u64::MAX - 1,
            seq: 1,
            record: 2,
            source: 3,
            line: 4,
            fields: [5, 6, 7, 8, 9, u32::MAX],
            others: 10,
            declared: HAS_DECLARED | 3,
            event: Event::Deleted,
            late: true,
        };
        let mut bytes = [0; Delivery::SIZE];
        delivery.encode(&mut bytes);
        let read = Delivery::decode(&bytes);
        assert_eq!(format!("{read:?}"), format!("{delivery:?}"));
    }

    #[test]
    fn the_documented_lifecycle_is_clean_in_any_order() {
        let created = payload(Event::Created);
        let updated = payload(Event::Updated);
        let deleted = payload(Event::Deleted);
        let clean = audit(&[created.clone(), updated.clone(), deleted.clone()]);
        assert_eq!(codes(&clean), []);
        assert!(clean.records[0].deleted);
        let shuffled = audit(&[deleted, created, updated]);
        assert_eq!(codes(&shuffled), [("out-of-order", 2)]);
        assert_eq!(shuffled.records[0].events, 3);
    }

    #[test]
    fn each_rule_names_its_delivery() {
        let created = payload(Event::Created);
        let updated = payload(Event::Updated);
        let deleted = payload(Event::Deleted);
        let early_update = at(updated.clone(), "2024-06-25T11:00:00.000Z");
        assert_eq!(
            codes(&audit(&[early_update, created.clone()])),
            [("event-before-creation", 1)]
        );
        let mut second = created.clone();
        second["learningRecord"]["score"] = json!(1);
        assert_eq!(
            codes(&audit(&[created.clone(), second])),
            [("second-creation", 2)]
        );
        let after = at(updated.clone(), "2024-06-26T00:00:00.000Z");
        assert_eq!(
            codes(&audit(&[
                created.clone(),
                updated.clone(),
                deleted.clone(),
                after
            ])),
            [("event-after-deletion", 4)]
        );
        let mut lying = updated.clone();
        lying["updatedFields"] = json!(["name", "visibleToStudent"]);
        let report = audit(&[created.clone(), lying]);
        assert_eq!(codes(&report), [("updated-fields-mismatch", 2)]);
        assert!(
            report.problems[0]
                .message
                .contains("missing score, achievedOn, attr, file, extra visibleToStudent"),
            "{}",
            report.problems[0].message
        );
        let mut renamed = deleted.clone();
        renamed["learningRecord"]["name"] = json!("Something else");
        assert_eq!(
            codes(&audit(&[created.clone(), updated.clone(), renamed])),
            [("deleted-name-differs", 3)]
        );
        assert_eq!(
            codes(&audit(&[created.clone(), created.clone()])),
            [("duplicate-delivery", 2)]
        );
        assert_eq!(
            codes(&audit(&[updated.clone(), deleted.clone()])),
            [("no-creation-in-capture", 1)]
        );
    }

    #[test]
    fn a_resigned_link_alone_is_not_a_change() {
        let created = payload(Event::Created);
        let mut resigned = created.clone();
        let url = created["learningRecord"]["attr"]["file"]["url"]
            .as_str()
            .unwrap()
            .replace("X-Amz-Date=20240625T112807Z", "X-Amz-Date=20240626T000000Z");
        resigned["learningRecord"]["attr"]["file"]["url"] = json!(url);
        resigned["meta"] =
            json!({"timestamp": "2024-06-26T00:00:00.000Z", "eventName": "learningRecord.updated"});
        resigned["learningRecord"]["score"] = json!(90);
        resigned["updatedFields"] = json!(["score"]);
        assert_eq!(codes(&audit(&[created, resigned])), []);
    }

    #[test]
    fn the_final_state_is_the_latest_version() {
        let created = payload(Event::Created);
        let updated = payload(Event::Updated);
        let report = audit(&[updated.clone(), created]);
        let state: Value =
            serde_json::from_str(report.records[0].record.as_ref().unwrap()).unwrap();
        assert_eq!(state, updated["learningRecord"]);
        assert!(!report.records[0].deleted);
    }
}
