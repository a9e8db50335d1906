//! Exit statuses and their numbers, as documented in the README.

use std::process::ExitCode;

/// How a run ended. Ordered by severity: combining two keeps the worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum ExitStatus {
    /// 0: everything checked passed.
    #[default]
    Success,
    /// 1: something is invalid or inconsistent.
    Failure,
    /// 2: usage error, or an input could not be read.
    Error,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Error => 2,
        }
    }

    /// The status of a run that found `unreadable` inputs and `failed` problems.
    pub fn from_counts(unreadable: usize, failed: usize) -> ExitStatus {
        if unreadable > 0 {
            ExitStatus::Error
        } else if failed > 0 {
            ExitStatus::Failure
        } else {
            ExitStatus::Success
        }
    }

    /// The worse of two statuses.
    pub fn worst(self, other: ExitStatus) -> ExitStatus {
        self.max(other)
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> ExitCode {
        ExitCode::from(status.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_grep() {
        assert_eq!(ExitStatus::Success.code(), 0);
        assert_eq!(ExitStatus::Failure.code(), 1);
        assert_eq!(ExitStatus::Error.code(), 2);
    }

    #[test]
    fn worst_keeps_the_more_severe() {
        assert_eq!(
            ExitStatus::Success.worst(ExitStatus::Failure),
            ExitStatus::Failure
        );
        assert_eq!(
            ExitStatus::Error.worst(ExitStatus::Failure),
            ExitStatus::Error
        );
        assert_eq!(ExitStatus::default(), ExitStatus::Success);
        assert_eq!(ExitStatus::from_counts(1, 5), ExitStatus::Error);
        assert_eq!(ExitStatus::from_counts(0, 5), ExitStatus::Failure);
        assert_eq!(ExitStatus::from_counts(0, 0), ExitStatus::Success);
    }
}
