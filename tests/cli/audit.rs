//! `synap-hook audit`: captures built from `sample` payloads.

use crate::util::synap;
use serde_json::{Value, json};

/// Created payloads of `count` distinct records.
fn created(count: usize) -> Vec<Value> {
    let run = synap(&[
        "sample",
        "created",
        "--count",
        &count.to_string(),
        "--seed",
        "21",
    ])
    .run();
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn at(mut payload: Value, event: &str, minutes: i64) -> Value {
    let base = payload["meta"]["timestamp"].as_str().unwrap().to_owned();
    let millis = synap_hook::timefmt::parse_rfc3339(&base).unwrap() + minutes * 60_000;
    payload["meta"]["timestamp"] = json!(synap_hook::samples::rfc3339(millis as u64));
    payload["meta"]["eventName"] = json!(format!("learningRecord.{event}"));
    payload
}

fn update_score(created: &Value, score: i64, minutes: i64) -> Value {
    let mut update = at(created.clone(), "updated", minutes);
    update["learningRecord"]["score"] = json!(score);
    update["updatedFields"] = json!(["score"]);
    update
}

fn delete(created: &Value, minutes: i64) -> Value {
    let mut deletion = at(created.clone(), "deleted", minutes);
    let record = &created["learningRecord"];
    deletion["learningRecord"] = json!({"objectId": record["objectId"], "name": record["name"]});
    deletion
}

/// A clean story for each record: created, two updates, and every other record deleted.
fn lifecycles(records: &[Value]) -> Vec<Value> {
    let mut capture = Vec::new();
    for (i, record) in records.iter().enumerate() {
        capture.push(record.clone());
        capture.push(update_score(record, 10, 1));
        capture.push(update_score(record, 20, 2));
        if i % 2 == 0 {
            capture.push(delete(record, 3));
        }
    }
    capture
}

fn ndjson(payloads: &[Value]) -> String {
    payloads.iter().map(|p| format!("{p}\n")).collect()
}

/// A fixed shuffle (stride through the list).
fn shuffled(payloads: Vec<Value>) -> Vec<Value> {
    let n = payloads.len();
    let stride = (1..n)
        .rev()
        .find(|s| gcd(*s, n) == 1 && *s > n / 3)
        .unwrap_or(1);
    (0..n).map(|i| payloads[(i * stride) % n].clone()).collect()
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn audit_json(capture: &[Value], expected_code: i32) -> Value {
    let run = synap(&["audit", "-f", "json", "-"])
        .stdin(ndjson(capture))
        .run();
    run.code(expected_code);
    run.json()
}

fn problems(report: &Value) -> Vec<(String, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_owned(),
                p["severity"].as_str().unwrap().to_owned(),
                p["objectId"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_clean_shuffled_lifecycle_has_no_errors() {
    let records = created(6);
    let capture = shuffled(lifecycles(&records));
    let report = audit_json(&capture, 0);
    assert_eq!(report["summary"]["payloads"], 21);
    assert_eq!(report["summary"]["records"], 6);
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    let states: Vec<&str> = report["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "deleted").count(), 3);
    assert!(
        problems(&report)
            .iter()
            .all(|(code, severity, _)| code == "out-of-order" && severity == "info")
    );
}

#[test]
fn each_problem_code_is_detected_and_named_with_its_record() {
    let records = created(9);
    let id = |i: usize| {
        records[i]["learningRecord"]["objectId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mut capture = Vec::new();
    // 0: update before its creation.
    capture.push(update_score(&records[0], 5, -1));
    capture.push(records[0].clone());
    // 1: a second, different creation.
    capture.push(records[1].clone());
    let mut again = at(records[1].clone(), "created", 1);
    again["learningRecord"]["score"] = json!(1);
    capture.push(again);
    // 2: an update after deletion.
    capture.push(records[2].clone());
    capture.push(delete(&records[2], 1));
    capture.push(update_score(&records[2], 7, 2));
    // 3: updatedFields that lies.
    capture.push(records[3].clone());
    let mut lying = update_score(&records[3], 99, 1);
    lying["updatedFields"] = json!(["name"]);
    capture.push(lying);
    // 4: a deletion under another name.
    capture.push(records[4].clone());
    let mut renamed = delete(&records[4], 1);
    renamed["learningRecord"]["name"] = json!("Another name");
    capture.push(renamed);
    // 5: the same delivery twice.
    capture.push(records[5].clone());
    capture.push(records[5].clone());
    // 6: out of input order (clean otherwise).
    capture.push(update_score(&records[6], 3, 1));
    capture.push(records[6].clone());
    // 7: no creation in the capture.
    capture.push(update_score(&records[7], 4, 1));
    // 8: an invalid payload.
    let mut invalid = records[8].clone();
    invalid["learningRecord"]["score"] = json!("high");
    capture.push(invalid);
    let report = audit_json(&capture, 1);
    let found = problems(&report);
    for (code, severity, record) in [
        ("event-before-creation", "error", 0),
        ("second-creation", "error", 1),
        ("event-after-deletion", "error", 2),
        ("updated-fields-mismatch", "error", 3),
        ("deleted-name-differs", "warning", 4),
        ("duplicate-delivery", "warning", 5),
        ("out-of-order", "info", 6),
        ("no-creation-in-capture", "info", 7),
        ("invalid-payload", "error", 8),
    ] {
        assert!(
            found.contains(&(code.to_owned(), severity.to_owned(), id(record))),
            "{code} for record {record} not in {found:#?}"
        );
    }
    let human = synap(&["audit", "-"]).stdin(ndjson(&capture)).run();
    human.code(1).stdout_has("error updated-fields-mismatch: updatedFields does not match what changed since the previous delivery: missing score, extra name");
}

#[test]
fn state_holds_what_a_consumer_should_store() {
    let records = created(4);
    let capture = shuffled(lifecycles(&records));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let run = synap(&["audit", "--state", path.to_str().unwrap(), "-"])
        .stdin(ndjson(&capture))
        .run();
    run.code(0);
    let state: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(state.as_object().unwrap().len(), 4);
    for (i, record) in records.iter().enumerate() {
        let id = record["learningRecord"]["objectId"].as_str().unwrap();
        let mut expected = record["learningRecord"].clone();
        expected["score"] = json!(20);
        assert_eq!(state[id]["record"], expected, "record {i}");
        assert_eq!(
            state[id]["state"],
            if i % 2 == 0 { "deleted" } else { "live" }
        );
    }
}

#[test]
fn human_output_shows_only_records_with_problems_unless_all() {
    let records = created(2);
    let mut capture = lifecycles(&records);
    capture.sort_by_key(|p| p["meta"]["timestamp"].as_str().unwrap().to_owned());
    let quiet = synap(&["audit", "-"]).stdin(ndjson(&capture)).run();
    quiet
        .code(0)
        .stdout_has("audit: 7 payloads, 2 records: 0 errors, 0 warnings, 0 infos");
    assert_eq!(quiet.stdout.lines().count(), 1);
    synap(&["audit", "--all", "-"])
        .stdin(ndjson(&capture))
        .run()
        .code(0)
        .stdout_has("learningRecord.updated");
}
