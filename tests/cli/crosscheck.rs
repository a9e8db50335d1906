//! An independent second opinion: the `boon` crate, running the schemas that
//! `schema show` exports, must agree with synap-hook on every fixture that is
//! well-formed JSON, and on generated samples.

use crate::util::{fixtures, synap};
use serde_json::Value;

struct Boon {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Boon {
    fn for_event(event: &str) -> Boon {
        let exported = synap(&["schema", "show", event]).run().code(0).json();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        let url = "urn:synap-hook:exported";
        compiler.add_resource(url, exported).unwrap();
        let mut schemas = boon::Schemas::new();
        let index = compiler.compile(url, &mut schemas).unwrap();
        Boon { schemas, index }
    }

    fn accepts(&self, value: &Value) -> bool {
        self.schemas.validate(value, self.index).is_ok()
    }
}

fn ours(event: &str, text: &[u8]) -> bool {
    let run = synap(&["validate", "--event", event, "-f", "json", "-"])
        .stdin(text.to_vec())
        .run();
    let report = run.json();
    assert_eq!(report["summary"]["payloads"], 1);
    report["results"][0]["valid"].as_bool().unwrap()
}

#[test]
fn boon_agrees_on_every_well_formed_fixture() {
    let mut compared = 0;
    for event in ["created", "updated", "deleted"] {
        let boon = Boon::for_event(event);
        for verdict in ["valid", "invalid"] {
            let dir = fixtures().join("payloads").join(event).join(verdict);
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                let Ok(value) = serde_json::from_slice::<Value>(text) else {
                    continue;
                };
                let name = format!("learningRecord.{event}");
                assert_eq!(
                    ours(&name, text),
                    boon.accepts(&value),
                    "{}",
                    path.display()
                );
                compared += 1;
            }
        }
    }
    assert!(compared >= 45, "compared only {compared}");
}

#[test]
fn boon_accepts_every_generated_sample() {
    for event in ["created", "updated", "deleted"] {
        let boon = Boon::for_event(event);
        let run = synap(&["sample", event, "--count", "300", "--seed", "11"]).run();
        run.code(0);
        for line in run.stdout.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            assert!(boon.accepts(&value), "{line}");
        }
    }
}
