//! `synap-hook validate`: inputs, verdicts, formats, exit codes.

use crate::util::{documented, fixtures, synap};
use serde::Deserialize;

const STRAY: &str = "tests/fixtures/learningRecord.created.as-documented.json";

fn compact(text: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    serde_json::to_string(&value).unwrap()
}

#[test]
fn documented_examples_are_valid() {
    synap(&["validate", "samples/"])
        .run()
        .code(0)
        .stdout_has("✓ samples/learningRecord.created.json:1  learningRecord.created  lcfdxBQ13vT")
        .stdout_has("3 payloads: 3 valid, 0 invalid, 0 warnings");
}

#[test]
fn the_published_created_example_is_reported_at_its_stray_quote() {
    let run = synap(&["validate", STRAY]).run();
    run.code(1)
        .stdout_has("error: malformed JSON: expected `,` or `}`")
        .stdout_has("learningRecord.created.as-documented.json:34:85")
        .stdout_has("34 |         \"filePath\"");
    let caret_line = run
        .stdout
        .lines()
        .find(|l| l.trim_end().ends_with('^'))
        .unwrap();
    let text_line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("  34 |"))
        .unwrap();
    assert_eq!(
        caret_line.find('^'),
        text_line.find("\"\",").map(|i| i + 1),
        "{}",
        run.stdout
    );
    let report = synap(&["validate", "--format", "json", STRAY])
        .run()
        .code(1)
        .json();
    let error = &report["results"][0]["errors"][0];
    assert_eq!(
        (error["line"].as_u64(), error["column"].as_u64()),
        (Some(34), Some(85))
    );
    assert_eq!(error["keyword"], "syntax");
    assert_eq!(error["path"], "");
}

#[test]
fn reads_stdin_with_a_dash_or_no_path() {
    for args in [&["validate"][..], &["validate", "-"][..]] {
        synap(args)
            .stdin(documented("deleted"))
            .run()
            .code(0)
            .stdout_has("✓ <stdin>:1  learningRecord.deleted  lcfdxBQ13vT");
    }
}

#[test]
fn an_ndjson_stream_keeps_going_past_bad_lines() {
    let good = compact(&documented("created"));
    let bad_score = good.replace("\"score\":55", "\"score\":\"55\"");
    let stream = format!("{good}\n{{\"user\": {{\n\n{bad_score}\nnot json at all\n{good}\n");
    let report = synap(&["validate", "--format", "json", "-"])
        .stdin(stream)
        .run()
        .code(1)
        .json();
    let verdicts: Vec<(u64, u64, bool)> = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["index"].as_u64().unwrap(),
                r["line"].as_u64().unwrap(),
                r["valid"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (0, 1, true),
            (1, 2, false),
            (2, 4, false),
            (3, 5, false),
            (4, 6, true)
        ]
    );
    let score_error = &report["results"][2]["errors"][0];
    assert_eq!(score_error["path"], "/learningRecord/score");
    assert_eq!(score_error["line"], 4);
    let column = score_error["column"].as_u64().unwrap() as usize;
    assert_eq!(&bad_score[column - 1..column + 3], "\"55\"");
    assert_eq!(report["summary"]["invalid"], 3);
}

#[test]
fn arrays_and_concatenated_documents_are_several_payloads() {
    let array = format!(
        "[\n{},\n{}\n]",
        documented("created"),
        documented("deleted")
    );
    let report = synap(&["validate", "-f", "json"])
        .stdin(array)
        .run()
        .code(0)
        .json();
    assert_eq!(report["summary"]["payloads"], 2);
    let second_line = 3 + documented("created").lines().count();
    assert_eq!(report["results"][1]["line"], second_line);
    let concatenated = format!("{}{}", documented("updated"), documented("deleted"));
    let report = synap(&["validate", "-f", "json"])
        .stdin(concatenated)
        .run()
        .code(0)
        .json();
    assert_eq!(report["summary"]["valid"], 2);
}

#[test]
fn unreadable_inputs_exit_2_and_the_others_are_still_checked() {
    let run = synap(&[
        "validate",
        "no/such.json",
        "samples/learningRecord.deleted.json",
        "/dev/null",
    ])
    .run();
    run.code(2)
        .stderr_has("cannot read no/such.json: no such file or folder")
        .stderr_has("cannot read /dev/null: not a regular file or folder")
        .stdout_has("✓ samples/learningRecord.deleted.json:1")
        .stdout_has("2 inputs unreadable");
    let report = synap(&["validate", "-f", "json", "no/such.json", STRAY])
        .run()
        .code(2)
        .json();
    assert_eq!(report["inputErrors"][0]["source"], "no/such.json");
    assert_eq!(report["summary"]["invalid"], 1);
}

#[test]
fn a_folder_without_payload_files_fails_instead_of_passing_silently() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("readme.txt"), "no payloads here").unwrap();
    let path = dir.path().to_str().unwrap();
    for expect in ["valid", "invalid"] {
        synap(&["validate", "--expect", expect, path])
            .run()
            .code(2)
            .stderr_has(&format!(
                "cannot read {path}: no *.json, *.ndjson or *.jsonl files in this folder"
            ));
    }
}

#[test]
fn folders_are_searched_recursively_and_symlink_loops_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
    std::fs::write(dir.path().join("a/b/one.json"), documented("created")).unwrap();
    std::fs::write(
        dir.path().join("a/two.jsonl"),
        compact(&documented("deleted")),
    )
    .unwrap();
    std::fs::write(dir.path().join("a/ignored.txt"), "not a payload").unwrap();
    std::os::unix::fs::symlink(dir.path().join("a"), dir.path().join("a/b/loop")).unwrap();
    let path = dir.path().to_str().unwrap();
    synap(&["validate", path])
        .run()
        .code(0)
        .stdout_has("2 payloads: 2 valid")
        .stderr_has("symbolic link loop");
}

#[test]
fn event_override_validates_against_the_chosen_schema() {
    synap(&[
        "validate",
        "--event",
        "updated",
        "samples/learningRecord.created.json",
    ])
    .run()
    .code(1)
    .stdout_has("the payload is missing the required field \"updatedFields\"")
    .stdout_has("[const]");
    synap(&["validate", "--event", "learningRecord.udpated"])
        .run()
        .code(2)
        .stderr_has("did you mean \"learningRecord.updated\"?");
}

#[test]
fn warnings_pass_unless_strict() {
    let body = documented("created").replacen(
        "\"portal\": {",
        "\"portal\": {\n    \"region\": \"eu\",\n    \"id\": \"dup\",",
        1,
    );
    let run = synap(&["validate", "-"]).stdin(body.clone()).run();
    run.code(0)
        .stdout_has(
            "warning: field \"region\" is not in Synap's documented learningRecord.created payload",
        )
        .stdout_has("[unknown-field]")
        .stdout_has("warning: key \"id\" appears more than once")
        .stdout_has("2 warnings");
    let report = synap(&["validate", "--strict", "-f", "json"])
        .stdin(body)
        .run()
        .code(1)
        .json();
    let keywords: Vec<&str> = report["results"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["keyword"].as_str().unwrap())
        .collect();
    assert_eq!(keywords, ["duplicate-key", "unknown-field"]);
}

#[test]
fn file_path_and_updated_fields_warnings() {
    let body = documented("updated")
        .replace("\"score\",", "\"grade\",")
        .replace(
            "9i0FAHIDOM/user/7dNGUkKit2O/learning-record-attr/file/vader.pdf\"",
            "9i0FAHIDOM/user/someoneElse/learning-record-attr/file/vader.pdf\"",
        );
    let report = synap(&["validate", "-f", "json"])
        .stdin(body)
        .run()
        .code(0)
        .json();
    let codes: Vec<(&str, &str)> = report["results"][0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("file-path-mismatch", "/learningRecord/attr/file/filePath"),
            ("unknown-updated-field", "/updatedFields/3"),
        ]
    );
}

#[test]
fn secrets_never_reach_the_output_unless_asked() {
    let body = compact(&documented("updated")).replace("\"size\":423377", "\"size\":-5");
    for format in ["human", "json", "github", "junit", "ndjson"] {
        let run = synap(&["validate", "-f", format, "-"])
            .stdin(body.clone())
            .run();
        run.code(1)
            .stdout_lacks("a18b4ccebc5cd57f")
            .stdout_lacks("IQoJb3JpZ2luX2VjEBQaCWV1LXdlc3QtMSJHMEUCIQCIZQ7")
            .stdout_lacks("ASIA3EUWGFBCEAXPBNMS");
    }
    let mut payload: serde_json::Value = serde_json::from_str(&documented("created")).unwrap();
    payload["learningRecord"]["attr"]["file"]["url"] = "luke.pdf?X-Amz-Signature=5ec7e75160".into();
    let pretty = serde_json::to_string_pretty(&payload).unwrap();
    synap(&["validate", "-"])
        .stdin(pretty.clone())
        .run()
        .code(1)
        .stdout_has("learningRecord.attr.file.url must be an absolute URL")
        .stdout_has("X-Amz-Signature=***")
        .stdout_lacks("5ec7e75160");
    synap(&["validate", "--show-secrets", "-"])
        .stdin(pretty)
        .run()
        .code(1)
        .stdout_has("\"url\": \"luke.pdf?X-Amz-Signature=5ec7e75160\"");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let bad = STRAY;
    synap(&["validate", bad])
        .run()
        .code(1)
        .stdout_lacks("\u{1b}[");
    synap(&["validate", "--color", "always", bad])
        .run()
        .code(1)
        .stdout_has("\u{1b}[");
    synap(&["validate", "--color", "always", bad])
        .env("NO_COLOR", "1")
        .run()
        .stdout_has("\u{1b}[");
    synap(&["validate", "--color", "always", "-f", "json", bad])
        .run()
        .stdout_lacks("\u{1b}[");
}

#[test]
fn expect_invalid_names_what_passed() {
    synap(&[
        "validate",
        "--expect",
        "invalid",
        "tests/fixtures/payloads/updated/invalid",
    ])
    .run()
    .code(0);
    synap(&[
        "validate",
        "--expect",
        "invalid",
        STRAY,
        "samples/learningRecord.deleted.json",
    ])
    .run()
    .code(1)
    .stderr_has("expected an invalid payload, but samples/learningRecord.deleted.json:1 passed");
}

#[test]
fn quiet_shows_only_problems() {
    synap(&["validate", "-q", "samples/", STRAY])
        .run()
        .code(1)
        .stdout_lacks("✓")
        .stdout_has("✗")
        .stdout_has("4 payloads: 3 valid, 1 invalid");
}

#[test]
fn oversized_payloads_are_skipped_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ndjson");
    let huge = format!(
        "{{\"pad\": \"{}\"}}\n{}\n",
        "x".repeat(17 * 1024 * 1024),
        compact(&documented("deleted"))
    );
    std::fs::write(&path, huge).unwrap();
    let report = synap(&["validate", "-f", "json", path.to_str().unwrap()])
        .run()
        .code(1)
        .json();
    assert_eq!(report["results"][0]["errors"][0]["keyword"], "size");
    assert_eq!(report["results"][1]["valid"], true);
    assert_eq!(report["results"][1]["line"], 2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let binary = env!("CARGO_BIN_EXE_synap-hook");
    let script = format!(
        "{binary} sample created --count 20000 | {binary} validate --format ndjson | head -n 1 >/dev/null; echo ${{PIPESTATUS[1]}}"
    );
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn github_format_is_workflow_commands_only() {
    let run = synap(&[
        "validate",
        "-f",
        "github",
        "tests/fixtures/payloads/created/invalid/score-string.json",
        "samples/",
    ])
    .run();
    run.code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "::error file=tests/fixtures/payloads/created/invalid/score-string.json,line=27,col=14,title=synap-hook type::learningRecord.score must be a number from 0 to 100 or null, found the string \"55\" (/learningRecord/score)"
        ]
    );
}

#[test]
fn junit_has_one_case_per_payload() {
    let run = synap(&["validate", "-f", "junit", "samples/", STRAY]).run();
    run.code(1)
        .stdout_has("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .stdout_has("tests=\"4\" failures=\"1\"");
    assert_eq!(run.stdout.matches("<testcase ").count(), 4);
    assert_eq!(run.stdout.matches("<failure ").count(), 1);
    assert!(run.stdout.trim_end().ends_with("</testsuites>"));
}

/// The wire format, typed: unknown fields fail the test.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Report {
    version: u32,
    results: Vec<ResultWire>,
    summary: SummaryWire,
    #[serde(rename = "inputErrors")]
    input_errors: Vec<InputErrorWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ResultWire {
    source: String,
    index: usize,
    line: usize,
    event: Option<String>,
    #[serde(rename = "objectId")]
    object_id: Option<String>,
    valid: bool,
    errors: Vec<ErrorWire>,
    warnings: Vec<WarningWire>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct ErrorWire {
    path: String,
    line: usize,
    column: usize,
    keyword: String,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct WarningWire {
    code: String,
    path: String,
    line: usize,
    column: usize,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SummaryWire {
    payloads: usize,
    valid: usize,
    invalid: usize,
    warnings: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct InputErrorWire {
    source: String,
    message: String,
}

#[test]
fn json_and_ndjson_follow_the_documented_contract() {
    let everything = fixtures().join("payloads");
    let run = synap(&[
        "validate",
        "-f",
        "json",
        everything.to_str().unwrap(),
        "missing.json",
    ])
    .run();
    run.code(2);
    let report: Report = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report.version, 1);
    assert_eq!(report.summary.payloads, report.results.len());
    assert_eq!(
        report.summary.valid + report.summary.invalid,
        report.summary.payloads
    );
    assert_eq!(report.input_errors.len(), 1);
    let schema = synap(&["schema", "show", "report"]).run().code(0).json();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&run.json())
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let ndjson = synap(&["validate", "-f", "ndjson", everything.to_str().unwrap()]).run();
    ndjson.code(1);
    let lines: Vec<ResultWire> = ndjson
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), report.results.len());
}

#[test]
fn threads_do_not_change_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = synap(&["sample", "created", "--count", "2000", "--seed", "4"]).run();
    let mut lines: Vec<String> = corpus.stdout.lines().map(str::to_owned).collect();
    for i in (0..lines.len()).step_by(150) {
        lines[i] = lines[i].replacen("\"score\":", "\"score\":\"x\",\"s\":", 1);
    }
    let path = dir.path().join("c.ndjson");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let path = path.to_str().unwrap();
    let one = synap(&["validate", "-j", "1", "-f", "ndjson", path]).run();
    one.code(1);
    for jobs in ["2", "3"] {
        let many = synap(&["validate", "-j", jobs, "-f", "ndjson", path]).run();
        assert_eq!(many.stdout, one.stdout, "--jobs {jobs}");
    }
    assert_eq!(
        one.stdout
            .lines()
            .filter(|l| l.contains("\"valid\":false"))
            .count(),
        14
    );
}

/// Runs `command` in `sh`, either under a pseudo-terminal (`script`, from
/// util-linux) or with its output piped; returns what it wrote to its
/// terminal or to stderr.
fn terminal_or_pipe(command: &str, terminal: bool) -> String {
    let output = if terminal {
        std::process::Command::new("script")
            .args(["-qec", command, "/dev/null"])
            .output()
    } else {
        std::process::Command::new("sh")
            .args(["-c", command])
            .output()
    }
    .expect("sh and script run");
    let shown = if terminal {
        output.stdout
    } else {
        output.stderr
    };
    String::from_utf8_lossy(&shown).into_owned()
}

#[test]
fn a_progress_line_is_drawn_only_on_a_terminal_and_quiet_silences_it() {
    let dir = tempfile::tempdir().unwrap();
    let stream = dir.path().join("s.ndjson");
    let bin = env!("CARGO_BIN_EXE_synap-hook");
    let sample = std::process::Command::new(bin)
        .args(["sample", "created", "--count", "600"])
        .output()
        .unwrap();
    std::fs::write(&stream, sample.stdout).unwrap();
    // A stream that pauses, so that the run outlasts the progress line's delay.
    let command = |flags: &str| {
        format!(
            "(head -n 300 {s}; sleep 1; tail -n 300 {s}) | {bin} validate -f ndjson {flags} - >/dev/null",
            s = stream.display()
        )
    };
    let shown = terminal_or_pipe(&command(""), true);
    assert!(shown.contains("payloads checked, 0 invalid"), "{shown:?}");
    assert!(
        shown.ends_with("\r\u{1b}[2K"),
        "the line is erased at the end: {shown:?}"
    );
    let quiet = terminal_or_pipe(&command("-q"), true);
    assert!(!quiet.contains("payloads checked"), "{quiet:?}");
    let piped = terminal_or_pipe(&command(""), false);
    assert!(!piped.contains("payloads checked"), "{piped:?}");
}
