//! A small harness: run the binary in a scrubbed environment, from a temp
//! folder, and show everything on failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Where the repository's test fixtures live.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished run.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn describe(&self) -> String {
        format!(
            "synap-hook {}\n--- exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Asserts the exit code, printing the whole run otherwise.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(self.code, expected, "{}", self.describe());
        self
    }

    /// Asserts stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "missing {text:?} in stdout\n{}",
            self.describe()
        );
        self
    }

    /// Asserts stdout does not contain `text`.
    #[track_caller]
    pub fn stdout_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.stdout.contains(text),
            "unexpected {text:?} in stdout\n{}",
            self.describe()
        );
        self
    }

    /// Asserts stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "missing {text:?} in stderr\n{}",
            self.describe()
        );
        self
    }

    /// stdout parsed as one JSON document.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{}", self.describe()))
    }
}

/// A command being built.
pub struct Cmd {
    command: Command,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
}

/// `synap-hook ARGS`, run from the repository root with colour variables removed.
pub fn synap(args: &[&str]) -> Cmd {
    let mut command = Command::new(env!("CARGO_BIN_EXE_synap-hook"));
    command.current_dir(root());
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM", "COLUMNS"] {
        command.env_remove(var);
    }
    command.args(args);
    Cmd {
        command,
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin: None,
    }
}

impl Cmd {
    /// Feeds `bytes` on stdin.
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    /// Runs to the end.
    pub fn run(mut self) -> Run {
        use std::io::Write;
        self.command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = self.command.spawn().expect("synap-hook starts");
        if let Some(bytes) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap();
            std::thread::spawn(move || {
                let _ = stdin.write_all(&bytes);
            });
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().unwrap();
        Run {
            args: self.args,
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// The documented example of an event (valid).
pub fn documented(event: &str) -> String {
    std::fs::read_to_string(root().join(format!("samples/learningRecord.{event}.json"))).unwrap()
}
