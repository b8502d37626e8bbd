//! The text of the messages of the project's sessions, for the session list's search across
//! sessions: what the front-end fetched ([`SessionText`], one per session, kept by its
//! `time.updated`), indexed lower-cased once ([`TextIndex`]), and the matching line of a
//! message ([`TextHit`]) found by a case-insensitive substring. Pure: no I/O.

use super::state::Role;
use std::collections::HashMap;

/// The plain text of one message (its non-synthetic text parts joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText {
    pub id: String,
    pub role: Role,
    pub text: String,
}

/// Every message's text of one session, as fetched when its `time.updated` was
/// `updated_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionText {
    pub session_id: String,
    pub updated_ms: Option<u64>,
    pub messages: Vec<MessageText>,
}

/// A message matching the query: its id, its role and the line holding the match (at most
/// [`LINE_CHARS`] characters around it, untrusted: cleaned before drawing), `at` the
/// match's first character in `line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextHit {
    pub message_id: String,
    pub role: Role,
    pub line: String,
    pub at: usize,
}

/// The most characters of a matching line kept (the match and what surrounds it).
pub const LINE_CHARS: usize = 160;

struct Indexed {
    updated_ms: Option<u64>,
    /// Messages oldest first, each with its text lower-cased.
    messages: Vec<(MessageText, String)>,
}

/// The fetched texts by session; `generation` changes with every insertion.
#[derive(Default)]
pub struct TextIndex {
    sessions: HashMap<String, Indexed>,
    generation: u64,
}

impl TextIndex {
    /// Adds (or replaces) the text of one session.
    pub fn insert(&mut self, t: SessionText) {
        let messages = t
            .messages
            .into_iter()
            .map(|m| {
                let lower = m.text.to_lowercase();
                (m, lower)
            })
            .collect();
        let indexed = Indexed {
            updated_ms: t.updated_ms,
            messages,
        };
        self.sessions.insert(t.session_id, indexed);
        self.generation += 1;
    }

    /// The `time.updated` session `id`'s text was fetched at (`None`: never fetched).
    pub fn updated(&self, id: &str) -> Option<Option<u64>> {
        self.sessions.get(id).map(|s| s.updated_ms)
    }

    /// The sessions whose text is here.
    pub fn ids(&self) -> impl Iterator<Item = &str> + '_ {
        self.sessions.keys().map(String::as_str)
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// How many sessions have their text here.
    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }

    /// The newest message of session `id` holding `query` (lower-cased, not blank), of
    /// those `skip` does not set aside (messages the store holds, searched there).
    pub fn find(&self, id: &str, query: &str, skip: impl Fn(&str) -> bool) -> Option<TextHit> {
        let s = self.sessions.get(id)?;
        s.messages.iter().rev().find_map(|(m, lower)| {
            if !lower.contains(query) || skip(&m.id) {
                return None;
            }
            let (line, at) = matching_line(&m.text, lower, query)?;
            Some(TextHit {
                message_id: m.id.clone(),
                role: m.role,
                line,
                at,
            })
        })
    }
}

/// The hit of `query` (lower-cased, not blank) in a message's `text`, if it holds it.
pub fn find_in_message(id: &str, role: Role, text: &str, query: &str) -> Option<TextHit> {
    let lower = text.to_lowercase();
    let (line, at) = matching_line(text, &lower, query)?;
    Some(TextHit {
        message_id: id.to_string(),
        role,
        line,
        at,
    })
}

/// The line of `text` (whose lower-cased form is `lower`) holding the first match of
/// `query`, cut to [`LINE_CHARS`] characters around the match, and the match's first
/// character in it.
fn matching_line(text: &str, lower: &str, query: &str) -> Option<(String, usize)> {
    if query.is_empty() {
        return None;
    }
    let p = lower.find(query)?;
    let before = &lower[..p];
    let nth = before.matches('\n').count();
    let col = before.rsplit('\n').next().unwrap_or("").chars().count();
    // Lower-casing keeps the line breaks, so the line is the same one of the text.
    let line = text.split('\n').nth(nth).unwrap_or("");
    let chars: Vec<char> = line.chars().collect();
    let col = col.min(chars.len());
    let start = col.saturating_sub(LINE_CHARS / 3);
    let end = (start + LINE_CHARS).min(chars.len());
    Some((chars[start..end].iter().collect(), col - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(id: &str, text: &str) -> MessageText {
        MessageText {
            id: id.into(),
            role: Role::Assistant,
            text: text.into(),
        }
    }

    #[test]
    fn the_newest_matching_message_and_its_line() {
        let mut index = TextIndex::default();
        index.insert(SessionText {
            session_id: "ses_a".into(),
            updated_ms: Some(5),
            messages: vec![
                msg("msg_1", "the Zebra is old"),
                msg("msg_2", "first line\n  a ZEBRA crossing\nlast"),
                msg("msg_3", "nothing here"),
            ],
        });
        assert_eq!(index.updated("ses_a"), Some(Some(5)));
        assert_eq!(index.updated("ses_b"), None);
        let hit = index.find("ses_a", "zebra", |_| false).unwrap();
        assert_eq!(hit.message_id, "msg_2");
        assert_eq!(hit.line, "  a ZEBRA crossing");
        assert_eq!(hit.at, 4);
        let older = index.find("ses_a", "zebra", |m| m == "msg_2").unwrap();
        assert_eq!(older.message_id, "msg_1");
        assert!(index.find("ses_a", "giraffe", |_| false).is_none());
        assert!(index.find("ses_b", "zebra", |_| false).is_none());
    }

    #[test]
    fn a_long_line_is_cut_around_the_match() {
        let text = format!("{}needle{}", "a".repeat(1000), "b".repeat(1000));
        let hit = find_in_message("m", Role::User, &text, "needle").unwrap();
        assert_eq!(hit.line.chars().count(), LINE_CHARS);
        assert_eq!(&hit.line[hit.at..hit.at + 6], "needle");
        assert!(find_in_message("m", Role::User, "x", "").is_none());
    }
}
