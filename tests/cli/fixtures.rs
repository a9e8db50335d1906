//! Data-driven: every file under tests/fixtures/payloads/<event>/valid must
//! pass and every one under .../invalid must fail, with a located error.

use crate::util::{fixtures, synap};

fn verdicts(folder: &str) -> Vec<serde_json::Value> {
    let path = fixtures().join("payloads");
    let mut results = Vec::new();
    for event in ["created", "updated", "deleted"] {
        let dir = path.join(event).join(folder);
        let run = synap(&["validate", "-f", "json", dir.to_str().unwrap()]).run();
        assert_ne!(run.code, 2, "{}", run.stderr);
        let report = run.json();
        let files = std::fs::read_dir(&dir).unwrap().count();
        let found = report["results"].as_array().unwrap().clone();
        assert_eq!(
            found.len(),
            files,
            "one payload per fixture file in {}",
            dir.display()
        );
        results.extend(found);
    }
    results
}

#[test]
fn valid_fixtures_pass() {
    for result in verdicts("valid") {
        assert_eq!(result["valid"], true, "{result:#}");
    }
}

#[test]
fn invalid_fixtures_fail_with_located_errors() {
    let results = verdicts("invalid");
    assert!(results.len() >= 40);
    for result in results {
        assert_eq!(result["valid"], false, "{result:#}");
        for error in result["errors"].as_array().unwrap() {
            assert!(error["line"].as_u64().unwrap() >= 1, "{result:#}");
            assert!(error["column"].as_u64().unwrap() >= 1, "{result:#}");
            assert!(!error["message"].as_str().unwrap().is_empty());
        }
    }
}
