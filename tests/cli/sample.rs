//! `synap-hook sample`.

use crate::util::{documented, synap};

#[test]
fn prints_the_documented_example_corrected() {
    let run = synap(&["sample", "learningRecord.created"]).run();
    run.code(0);
    assert_eq!(run.stdout, documented("created"));
    synap(&["validate"]).stdin(run.stdout).run().code(0);
}

#[test]
fn generates_repeatable_varied_valid_ndjson() {
    let first = synap(&["sample", "updated", "--count", "200", "--seed", "5"]).run();
    first.code(0);
    assert_eq!(first.stdout.lines().count(), 200);
    let again = synap(&["sample", "updated", "-n", "200", "--seed", "5"]).run();
    assert_eq!(first.stdout, again.stdout);
    let other = synap(&["sample", "updated", "-n", "200", "--seed", "6"]).run();
    assert_ne!(first.stdout, other.stdout);
    let report = synap(&["validate", "-f", "json"])
        .stdin(first.stdout)
        .run()
        .code(0)
        .json();
    assert_eq!(report["summary"]["valid"], 200);
    assert_eq!(report["summary"]["warnings"], 0);
}

#[test]
fn seed_without_count_is_a_usage_error() {
    synap(&["sample", "created", "--seed", "3"]).run().code(2);
}
