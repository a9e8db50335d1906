//! The webhook events synap-hook knows, and how to name and look them up.

use std::fmt;

/// A Synap learning-record webhook event, as named by `meta.eventName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Event {
    /// `learningRecord.created`: a learning record was created for a user.
    Created,
    /// `learningRecord.updated`: a learning record was changed.
    Updated,
    /// `learningRecord.deleted`: a learning record was deleted.
    Deleted,
}

impl Event {
    /// Every known event, in documentation order.
    pub const ALL: [Event; 3] = [Event::Created, Event::Updated, Event::Deleted];

    /// The name Synap sends in `meta.eventName`.
    pub fn name(self) -> &'static str {
        match self {
            Event::Created => "learningRecord.created",
            Event::Updated => "learningRecord.updated",
            Event::Deleted => "learningRecord.deleted",
        }
    }

    /// Looks an event up by its exact `meta.eventName`.
    pub fn from_name(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|event| event.name() == name)
    }

    /// Parses a name typed by a person: the full name, or its short form
    /// (`created`, `updated`, `deleted`), ignoring ASCII case.
    pub fn parse_loose(text: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|event| {
            let full = event.name();
            let short = &full["learningRecord.".len()..];
            text.eq_ignore_ascii_case(full) || text.eq_ignore_ascii_case(short)
        })
    }

    /// The known event whose name is closest to `text`, if any is close enough
    /// to be a plausible typo.
    pub fn closest(text: &str) -> Option<Event> {
        let lowered = text.to_ascii_lowercase();
        Event::ALL
            .into_iter()
            .map(|event| {
                (
                    edit_distance(&lowered, &event.name().to_ascii_lowercase()),
                    event,
                )
            })
            .filter(|(distance, _)| *distance <= 4)
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, event)| event)
    }

    /// The known event names joined for a message: `a, b, c`.
    pub fn known_names() -> String {
        Event::ALL.map(Event::name).join(", ")
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for event in Event::ALL {
            assert_eq!(Event::from_name(event.name()), Some(event));
        }
        assert_eq!(Event::from_name("learningrecord.created"), None);
    }

    #[test]
    fn loose_names_accept_short_forms() {
        assert_eq!(Event::parse_loose("updated"), Some(Event::Updated));
        assert_eq!(
            Event::parse_loose("LearningRecord.Deleted"),
            Some(Event::Deleted)
        );
        assert_eq!(Event::parse_loose("removed"), None);
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(
            Event::closest("learningRecord.create"),
            Some(Event::Created)
        );
        assert_eq!(
            Event::closest("learningrecord.UPDATED"),
            Some(Event::Updated)
        );
        assert_eq!(Event::closest("user.registered"), None);
    }
}
