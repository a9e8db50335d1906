//! `synap-hook inspect` and `synap-hook redact`.

use crate::util::synap;
use serde_json::Value;

const NOW: &str = "2024-06-28T00:00:00Z";
const CREDENTIALS: [&str; 3] = [
    "ed1f5adef9220f06",
    "ASIA3EUWGFBCLXOGZ7TD",
    "IQoJb3JpZ2luX2VjEBQaCWV1LXdlc3QtMSJHMEUCIAxsi4",
];

#[test]
fn inspect_shows_every_part_of_a_payload() {
    let run = synap(&["inspect", "samples/learningRecord.created.json"])
        .env("SYNAP_HOOK_NOW", NOW)
        .run();
    run.code(0)
        .stdout_has("✓ learningRecord.created  valid")
        .stdout_has("2024-06-25 11:15:15 UTC (2 days ago)")
        .stdout_has("Charlotte Blue <charlotte+blue@synap.ac>")
        .stdout_has("sub-portal  rtQY0MErP9S")
        .stdout_has("attributes  7 of 7 null")
        .stdout_has("portal        9i0FAHIDOM")
        .stdout_has("lcfdxBQ13vT  \"The Smallest Record Who Ever Lived\"")
        .stdout_has("score       55%")
        .stdout_has("achieved on 2024-06-03")
        .stdout_has("luke.pdf  application/pdf  413.5 KiB")
        .stdout_has("host      synap-files-prod.s3.eu-west-1.amazonaws.com")
        .stdout_has("signed    2024-06-25 11:28:07 UTC (12 min 51 s after the event)")
        .stdout_has("expires   2024-06-25 12:28:07 UTC (expired)")
        .stdout_lacks("\u{1b}[");
    for secret in CREDENTIALS {
        run.stdout_lacks(secret);
    }
    assert!(
        run.stdout.lines().all(|line| line.chars().count() <= 80),
        "{}",
        run.stdout
    );
}

#[test]
fn inspect_shows_updates_deletes_and_problems() {
    synap(&[
        "inspect",
        "samples/learningRecord.updated.json",
        "samples/learningRecord.deleted.json",
    ])
    .run()
    .code(0)
    .stdout_has("updated       attr, achievedOn, name, score, file")
    .stdout_has("✓ learningRecord.deleted  valid")
    .stdout_has("lcfdxBQ13vT  \"The Smallest Record Who Ever Lived- Updated\"");
    synap(&[
        "inspect",
        "tests/fixtures/payloads/created/invalid/score-string.json",
    ])
    .run()
    .code(1)
    .stdout_has("invalid (1 error)")
    .stdout_has("error  learningRecord.score must be a number from 0 to 100 or null")
    .stdout_has("score       \"55\"");
    synap(&[
        "inspect",
        "tests/fixtures/learningRecord.created.as-documented.json",
    ])
    .run()
    .code(1)
    .stdout_has("malformed JSON: expected `,` or `}`  (34:85)");
}

#[test]
fn inspect_reveals_secrets_only_when_asked_and_colours_only_when_asked() {
    synap(&[
        "inspect",
        "--show-secrets",
        "samples/learningRecord.created.json",
    ])
    .run()
    .code(0)
    .stdout_has("credentials shown");
    synap(&[
        "inspect",
        "--color",
        "always",
        "samples/learningRecord.created.json",
    ])
    .run()
    .stdout_has("\u{1b}[");
}

#[test]
fn raw_keeps_order_and_digits_and_masks() {
    let body = "{\"zeta\": 1.10, \"alpha\": 12345678901234567890, \"url\": \"https://x/y?X-Amz-Signature=abc123\", \"meta\": {\"eventName\": \"learningRecord.deleted\"}}";
    let run = synap(&["inspect", "--raw", "-"]).stdin(body).run();
    run.stdout_has("\"zeta\": 1.10,\n  \"alpha\": 12345678901234567890,")
        .stdout_has("X-Amz-Signature=***")
        .stdout_lacks("abc123");
    let pretty = synap(&["inspect", "--raw", "samples/learningRecord.updated.json"]).run();
    pretty.code(0);
    let shown: Value = serde_json::from_str(&pretty.stdout).unwrap();
    assert_eq!(shown["updatedFields"][4], "file");
    for secret in CREDENTIALS {
        pretty.stdout_lacks(secret);
    }
}

#[test]
fn redacted_payloads_validate_and_hold_no_personal_values() {
    for event in ["created", "updated", "deleted"] {
        let path = format!("samples/learningRecord.{event}.json");
        let run = synap(&["redact", &path]).run();
        run.code(0);
        for personal in [
            "Charlotte",
            "charlotte+blue",
            "waolom",
            "X-Amz-Signature",
            "X-Amz-Security-Token",
            "X-Amz-Credential",
        ] {
            run.stdout_lacks(personal);
        }
        synap(&["validate", "--strict", "-"])
            .stdin(run.stdout.clone())
            .run()
            .code(0);
    }
}

#[test]
fn redact_streams_keep_their_shape_and_placeholders_are_stable() {
    let stream = synap(&["sample", "updated", "--count", "20", "--seed", "2"]).run();
    let run = synap(&["redact", "--keep", "/learningRecord/attr/grade", "-"])
        .stdin(stream.stdout.clone())
        .run();
    run.code(0);
    assert_eq!(run.stdout.lines().count(), 20);
    let again = synap(&["redact", "--keep", "/learningRecord/attr/grade", "-"])
        .stdin(stream.stdout.clone())
        .run();
    assert_eq!(run.stdout, again.stdout);
    let first: Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let original: Value = serde_json::from_str(stream.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["learningRecord"]["attr"]["grade"],
        original["learningRecord"]["attr"]["grade"]
    );
    assert_ne!(first["user"]["email"], original["user"]["email"]);
    synap(&["validate", "--strict", "-"])
        .stdin(run.stdout)
        .run()
        .code(0);
    let body = format!("{}\nnot json\n", stream.stdout.lines().next().unwrap());
    synap(&["redact", "-"])
        .stdin(body)
        .run()
        .code(1)
        .stderr_has("cannot redact -:2: malformed JSON");
}
