//! A progress line on stderr for long runs: only on a terminal, only after
//! the run has taken a moment, redrawn a few times a second, erased at the end.

use crate::findings::Summary;
use std::io::{self, Write};
use std::time::{Duration, Instant};

/// How long a run goes before progress is shown.
const DELAY: Duration = Duration::from_millis(500);
/// Time between redraws.
const INTERVAL: Duration = Duration::from_millis(100);

/// The progress line.
pub struct Progress {
    enabled: bool,
    started: Instant,
    last_drawn: Option<Instant>,
    ticks: u32,
}

impl Progress {
    /// A progress line that draws only when `enabled` (stderr is a terminal
    /// and not quiet: `Settings::progress` decides).
    pub fn new(enabled: bool) -> Self {
        Progress {
            enabled,
            started: Instant::now(),
            last_drawn: None,
            ticks: 0,
        }
    }

    /// Notes one more result; redraws now and then.
    pub fn tick(&mut self, summary: &Summary) {
        if !self.enabled {
            return;
        }
        self.ticks += 1;
        if !self.ticks.is_multiple_of(256) {
            return;
        }
        let now = Instant::now();
        let elapsed = now - self.started;
        let due = self
            .last_drawn
            .map_or(elapsed >= DELAY, |last| now - last >= INTERVAL);
        if due {
            let rate = summary.payloads as f64 / elapsed.as_secs_f64().max(1e-9);
            let _ = write!(
                io::stderr(),
                "\r\x1b[2K{} payloads checked, {} invalid ({:.0}/s)",
                summary.payloads,
                summary.invalid,
                rate
            );
            self.last_drawn = Some(now);
        }
    }

    /// Erases the line, if one was drawn.
    pub fn clear(&mut self) {
        if self.last_drawn.take().is_some() {
            let _ = write!(io::stderr(), "\r\x1b[2K");
        }
    }
}
