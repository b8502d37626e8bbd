//! Search in a session's transcript: every case-insensitive occurrence of a query in the
//! text, reasoning, tool inputs, outputs and errors of its messages, in transcript order
//! (message, then part, then field), as locations a renderer can highlight; and
//! [`SearchCursor`], the "3 of 17" position that `n` / `N` move with wrapping.
//!
//! Pure and lazy: [`find_iter`] yields hits as it finds them (the first one comes without
//! scanning the rest). Case folding is Unicode-aware; an ASCII query takes a fast
//! byte-wise path. Matches do not overlap. Synthetic text parts (never shown) are skipped.

use super::state::{Message, PartKind, SessionState};
use serde_json::Value;
use std::ops::Range;

/// Where in a part a hit is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// The text of a text part.
    Text,
    /// The text of a reasoning part.
    Reasoning,
    /// A string of a tool call's input; `key` is its path in the input object (`command`,
    /// `edits.0.newString`).
    ToolInput { key: String },
    /// A tool call's output.
    ToolOutput,
    /// A tool call's error.
    ToolError,
}

/// One occurrence of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub message_id: String,
    pub part_id: String,
    pub field: Field,
    /// Byte range in the field's string (on char boundaries).
    pub range: Range<usize>,
}

/// Every hit of `query` in `messages`, lazily, in transcript order. A blank query finds
/// nothing.
pub fn find_iter<'a>(messages: &'a [Message], query: &'a str) -> impl Iterator<Item = Hit> + 'a {
    let needle = Needle::new(query);
    messages.iter().flat_map(move |m| {
        let needle = needle.clone();
        m.parts.iter().flat_map(move |p| {
            let needle = needle.clone();
            fields(&p.kind).into_iter().flat_map(move |(field, text)| {
                let ranges = needle.find_all(text);
                let (mid, pid) = (&m.id, &p.id);
                ranges.into_iter().map(move |range| Hit {
                    message_id: mid.clone(),
                    part_id: pid.clone(),
                    field: field.clone(),
                    range,
                })
            })
        })
    })
}

/// Every hit of `query` in a session.
pub fn search(session: &SessionState, query: &str) -> Vec<Hit> {
    find_iter(&session.messages, query).collect()
}

/// Every case-insensitive occurrence of `query` in `text` (byte ranges, not
/// overlapping): the same matching as [`find_iter`], for one string (a rendered line).
pub fn find_in_str(text: &str, query: &str) -> Vec<Range<usize>> {
    Needle::new(query).find_all(text)
}

/// The searchable strings of a part, in display order.
fn fields(kind: &PartKind) -> Vec<(Field, &str)> {
    match kind {
        PartKind::Text {
            text,
            synthetic: false,
        } => vec![(Field::Text, text.as_str())],
        PartKind::Reasoning { text } => vec![(Field::Reasoning, text.as_str())],
        PartKind::Tool(call) => {
            let mut out = Vec::new();
            input_strings(&call.input, &mut String::new(), &mut out);
            if let Some(o) = &call.output {
                out.push((Field::ToolOutput, o.as_str()));
            }
            if let Some(e) = &call.error {
                out.push((Field::ToolError, e.as_str()));
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The string leaves of a tool input, with their dotted paths.
fn input_strings<'a>(v: &'a Value, path: &mut String, out: &mut Vec<(Field, &'a str)>) {
    let mut child = |key: &str, v: &'a Value, path: &mut String| {
        let len = path.len();
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
        input_strings(v, path, out);
        path.truncate(len);
    };
    match v {
        Value::String(s) => out.push((Field::ToolInput { key: path.clone() }, s.as_str())),
        Value::Object(map) => {
            for (k, v) in map {
                child(k, v, path);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                child(&i.to_string(), v, path);
            }
        }
        _ => {}
    }
}

/// A query ready to search with.
#[derive(Debug, Clone)]
struct Needle {
    /// ASCII query, lower-cased: byte-wise search.
    ascii: Option<Vec<u8>>,
    /// The query's chars, lower-cased (the general path).
    folded: Vec<char>,
}

impl Needle {
    fn new(query: &str) -> Needle {
        let q = if query.trim().is_empty() { "" } else { query };
        Needle {
            ascii: q.is_ascii().then(|| q.to_ascii_lowercase().into_bytes()),
            folded: q.chars().flat_map(char::to_lowercase).collect(),
        }
    }

    fn find_all(&self, text: &str) -> Vec<Range<usize>> {
        if self.folded.is_empty() {
            return Vec::new();
        }
        match &self.ascii {
            Some(n) => find_ascii(text.as_bytes(), n),
            None => self.find_unicode(text),
        }
    }

    fn find_unicode(&self, text: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let first = self.folded[0];
        let mut next_free = 0;
        for (i, c) in text.char_indices() {
            if i < next_free {
                continue;
            }
            // Cheap check of the first letter before the full comparison.
            let l = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else {
                c.to_lowercase().next().unwrap_or(c)
            };
            if l != first {
                continue;
            }
            if let Some(len) = self.match_at(&text[i..]) {
                out.push(i..i + len);
                next_free = i + len;
            }
        }
        out
    }

    /// The byte length of the match at the start of `s`, if the query matches there.
    fn match_at(&self, s: &str) -> Option<usize> {
        let mut want = self.folded.iter();
        let mut pending = want.next();
        for (i, c) in s.char_indices() {
            for l in c.to_lowercase() {
                match pending {
                    Some(&w) if w == l => pending = want.next(),
                    _ => return None,
                }
            }
            if pending.is_none() {
                return Some(i + c.len_utf8());
            }
        }
        None
    }
}

/// Case-insensitive (ASCII) occurrences of `needle` (lower-case) in `hay`. The matched
/// bytes are ASCII, so every range lies on char boundaries.
fn find_ascii(hay: &[u8], needle: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let n = needle.len();
    if n == 0 || hay.len() < n {
        return out;
    }
    let first = needle[0];
    let upper = first.to_ascii_uppercase();
    let mut i = 0;
    let last = hay.len() - n;
    while i <= last {
        let b = hay[i];
        if (b == first || b == upper) && hay[i + 1..i + n].eq_ignore_ascii_case(&needle[1..]) {
            out.push(i..i + n);
            i += n;
        } else {
            i += 1;
        }
    }
    out
}

/// The position among the hits that `n` / `N` move: "3 of 17", wrapping at both ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchCursor {
    hits: Vec<Hit>,
    current: Option<usize>,
}

impl SearchCursor {
    /// A cursor on the first hit (none when there are no hits).
    pub fn new(hits: Vec<Hit>) -> SearchCursor {
        let current = (!hits.is_empty()).then_some(0);
        SearchCursor { hits, current }
    }

    pub fn hits(&self) -> &[Hit] {
        &self.hits
    }

    pub fn current(&self) -> Option<&Hit> {
        self.hits.get(self.current?)
    }

    /// Moves to the next hit (after the last: the first).
    pub fn next_hit(&mut self) -> Option<&Hit> {
        let n = self.hits.len();
        self.current = self.current.map(|c| (c + 1) % n);
        self.current()
    }

    /// Moves to the previous hit (before the first: the last).
    pub fn prev_hit(&mut self) -> Option<&Hit> {
        let n = self.hits.len();
        self.current = self.current.map(|c| (c + n - 1) % n);
        self.current()
    }

    /// Moves to the first hit in message `message_id` or after it (in `messages`'s
    /// order), wrapping to the first hit: where a search from the view's position lands.
    pub fn seek_message(&mut self, messages: &[Message], message_id: &str) -> Option<&Hit> {
        let from = messages.iter().position(|m| m.id == message_id)?;
        let later: std::collections::HashSet<&str> =
            messages[from..].iter().map(|m| m.id.as_str()).collect();
        if !self.hits.is_empty() {
            let i = self
                .hits
                .iter()
                .position(|h| later.contains(h.message_id.as_str()))
                .unwrap_or(0);
            self.current = Some(i);
        }
        self.current()
    }

    /// New hits for the same query (the session changed): stays on the same hit when it
    /// is still there, else on the hit now at the same position (clamped).
    pub fn refresh(&mut self, hits: Vec<Hit>) {
        let keep = self.current().cloned();
        let old = self.current.unwrap_or(0);
        self.hits = hits;
        self.current = if self.hits.is_empty() {
            None
        } else {
            Some(
                keep.and_then(|k| self.hits.iter().position(|h| *h == k))
                    .unwrap_or(old.min(self.hits.len() - 1)),
            )
        };
    }

    /// (1-based position, count), or `None` without hits.
    pub fn position(&self) -> Option<(usize, usize)> {
        Some((self.current? + 1, self.hits.len()))
    }

    /// "3 of 17", or "no matches".
    pub fn label(&self) -> String {
        match self.position() {
            Some((i, n)) => format!("{i} of {n}"),
            None => "no matches".to_string(),
        }
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
