//! `synap-hook schema list|show`.

use crate::util::{documented, synap};

#[test]
fn lists_the_events() {
    let run = synap(&["schema", "list"]).run();
    run.code(0);
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        [
            "learningRecord.created",
            "learningRecord.updated",
            "learningRecord.deleted"
        ]
    );
}

#[test]
fn shows_standalone_schemas_that_a_plain_validator_can_use() {
    for event in ["created", "updated", "deleted"] {
        let schema = synap(&["schema", "show", event]).run().code(0).json();
        assert!(
            !schema.to_string().contains("common.json"),
            "{event} still refers outside itself"
        );
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap();
        let example: serde_json::Value = serde_json::from_str(&documented(event)).unwrap();
        assert!(validator.is_valid(&example), "{event}");
        let mut broken = example.clone();
        broken["meta"]["timestamp"] = "yesterday".into();
        assert!(
            !validator.is_valid(&broken),
            "{event}: format assertion is on"
        );
    }
}

#[test]
fn unknown_schema_names_are_usage_errors() {
    synap(&["schema", "show", "learningRecord.crated"])
        .run()
        .code(2)
        .stderr_has("did you mean \"learningRecord.created\"?");
}
