//! `synap-hook diff`: changes, the updatedFields audit, patches, exit codes.

use crate::util::{documented, synap};
use serde_json::{Value, json};

const CREATED: &str = "samples/learningRecord.created.json";
const UPDATED: &str = "samples/learningRecord.updated.json";

fn updated_with(edit: impl FnOnce(&mut Value)) -> String {
    let mut payload: Value = serde_json::from_str(&documented("updated")).unwrap();
    edit(&mut payload);
    serde_json::to_string_pretty(&payload).unwrap()
}

#[test]
fn the_documented_pair_is_consistent() {
    synap(&["diff", CREATED, UPDATED])
        .run()
        .code(0)
        .stdout_has("lcfdxBQ13vT: 8 changes")
        .stdout_has("~ /score               55 → 66")
        .stdout_has("updatedFields: consistent  [attr, achievedOn, name, score, file]")
        .stdout_lacks("ed1f5adef9220f06");
}

#[test]
fn json_output_names_missing_and_extra() {
    let body = updated_with(|p| p["updatedFields"] = json!(["name", "visibleToStudent"]));
    let run = synap(&["diff", "-f", "json", CREATED, "-"])
        .stdin(body)
        .run();
    run.code(1);
    let report = run.json();
    let keys: Vec<&str> = report
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
    assert_eq!(report["objectId"], "lcfdxBQ13vT");
    assert_eq!(report["consistent"], false);
    assert_eq!(
        report["changed"],
        json!(["name", "score", "achievedOn", "attr", "file"])
    );
    assert_eq!(
        report["missing"],
        json!(["score", "achievedOn", "attr", "file"])
    );
    assert_eq!(report["extra"], json!(["visibleToStudent"]));
    let score = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "/score")
        .unwrap();
    assert_eq!(
        (score["before"].as_i64(), score["after"].as_i64()),
        (Some(55), Some(66))
    );
    let url = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "/attr/file/url")
        .unwrap();
    assert!(
        url["after"]
            .as_str()
            .unwrap()
            .contains("X-Amz-Signature=***")
    );
}

#[test]
fn a_resigned_link_is_not_a_change() {
    let body = updated_with(|p| {
        let url = p["learningRecord"]["attr"]["file"]["url"]
            .as_str()
            .unwrap()
            .replace("X-Amz-Date=20240625T113125Z", "X-Amz-Date=20240701T080000Z");
        p["learningRecord"]["attr"]["file"]["url"] = json!(url);
        p["updatedFields"] = json!(["score"]);
        p["learningRecord"]["score"] = json!(70);
    });
    synap(&["diff", UPDATED, "-"])
        .stdin(body)
        .run()
        .code(0)
        .stdout_has("1 change")
        .stdout_has("updatedFields: consistent  [score]");
}

#[test]
fn ignored_pointers_are_left_out() {
    let body = updated_with(|p| {
        p["learningRecord"]["attr"]["free-text"] = json!("edited");
        p["updatedFields"] = json!(["score"]);
        p["learningRecord"]["score"] = json!(1);
    });
    synap(&["diff", UPDATED, "-"])
        .stdin(body.clone())
        .run()
        .code(1);
    synap(&["diff", "--ignore", "/attr/free-text", UPDATED, "-"])
        .stdin(body)
        .run()
        .code(0);
    synap(&["diff", "--ignore", "attr", UPDATED, CREATED])
        .run()
        .code(2)
        .stderr_has("starts with `/`");
}

#[test]
fn the_patch_applies() {
    let run = synap(&["diff", "-f", "json-patch", CREATED, UPDATED]).run();
    run.code(0);
    let patch = run.json();
    let mut record: Value =
        serde_json::from_str::<Value>(&documented("created")).unwrap()["learningRecord"].clone();
    for op in patch.as_array().unwrap() {
        assert_eq!(op["op"], "replace", "{op}");
        *record.pointer_mut(op["path"].as_str().unwrap()).unwrap() = op["value"].clone();
    }
    let updated: Value = serde_json::from_str(&documented("updated")).unwrap();
    assert_eq!(record, updated["learningRecord"]);
}

#[test]
fn bare_records_and_created_payloads() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("stored.json");
    let created: Value = serde_json::from_str(&documented("created")).unwrap();
    std::fs::write(&bare, created["learningRecord"].to_string()).unwrap();
    synap(&["diff", bare.to_str().unwrap(), UPDATED])
        .run()
        .code(0)
        .stdout_has("consistent");
    synap(&["diff", UPDATED, CREATED])
        .run()
        .code(0)
        .stdout_has("none to check");
}

#[test]
fn different_records_and_bad_inputs_exit_2() {
    let other = updated_with(|p| p["learningRecord"]["objectId"] = json!("someOtherId"));
    synap(&["diff", UPDATED, "-"])
        .stdin(other)
        .run()
        .code(2)
        .stderr_has("different records: PRIOR (samples/learningRecord.updated.json) is lcfdxBQ13vT, UPDATED (-) is someOtherId");
    synap(&[
        "diff",
        "tests/fixtures/learningRecord.created.as-documented.json",
        UPDATED,
    ])
    .run()
    .code(2)
    .stderr_has("learningRecord.created.as-documented.json:34:85: malformed JSON");
    synap(&["diff", "missing.json", UPDATED])
        .run()
        .code(2)
        .stderr_has("cannot read missing.json");
    synap(&["diff", "-", "-"])
        .run()
        .code(2)
        .stderr_has("cannot both be stdin");
    synap(&["diff", UPDATED, "-"])
        .stdin("{\"user\": {}}")
        .run()
        .code(2)
        .stderr_has("has no learning record");
    synap(&["diff", "samples/learningRecord.deleted.json", UPDATED])
        .run()
        .code(2)
        .stderr_has(
            "PRIOR (samples/learningRecord.deleted.json) is a learningRecord.deleted payload",
        );
}
