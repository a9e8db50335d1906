//! Raw flags and the environment turned into decisions, once. The only
//! module that reads environment variables or asks whether a stream is a
//! terminal.

use crate::cli::{ColorChoice, GlobalArgs};
use std::io::IsTerminal;

/// Decisions every command uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Colour human output.
    pub color: bool,
    /// Print only problems and the summary.
    pub quiet: bool,
    /// stdout is a terminal.
    pub stdout_is_terminal: bool,
    /// stdin is a pipe or a terminal (a live stream), not a regular file.
    pub stdin_is_stream: bool,
    /// Show a progress line on stderr for long runs (stderr is a terminal, not quiet).
    pub progress: bool,
    /// Cores available to this process.
    pub cores: usize,
    /// The current time in milliseconds since the epoch (`SYNAP_HOOK_NOW`,
    /// an RFC 3339 time, fixes it for reproducible output).
    pub now_millis: i64,
}

impl Settings {
    /// Resolves the global flags against the environment.
    pub fn resolve(global: &GlobalArgs) -> Settings {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Settings {
            color: decide_color(global.color, stdout_is_terminal, no_color),
            quiet: global.quiet,
            stdout_is_terminal,
            stdin_is_stream: !stdin_is_file(),
            progress: !global.quiet && std::io::stderr().is_terminal(),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            now_millis: now_millis(),
        }
    }
}

fn now_millis() -> i64 {
    std::env::var("SYNAP_HOOK_NOW")
        .ok()
        .and_then(|text| crate::timefmt::parse_rfc3339(&text))
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64)
        })
}

/// Whether stdin is redirected from a regular file (`< corpus.ndjson`).
fn stdin_is_file() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        std::io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(std::fs::File::from)
            .and_then(|file| file.metadata().ok())
            .is_some_and(|meta| meta.is_file())
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// `auto` colours only a terminal, and only when NO_COLOR is unset or empty.
pub fn decide_color(choice: ColorChoice, terminal: bool, no_color: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && !no_color,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_decision_table() {
        assert!(decide_color(ColorChoice::Auto, true, false));
        assert!(!decide_color(ColorChoice::Auto, true, true));
        assert!(!decide_color(ColorChoice::Auto, false, false));
        assert!(decide_color(ColorChoice::Always, false, true));
        assert!(!decide_color(ColorChoice::Never, true, false));
    }
}
