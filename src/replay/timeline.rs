//! The timeline of a loaded log: every record in order, state checkpoints and a cursor.
//!
//! A position is a count of applied events (`0` = nothing yet, `len()` = the end). The
//! state at a position is a clone of the nearest checkpoint at or before it (a [`Store`]
//! kept every `every` events) plus at most `every - 1` events re-applied, so End, Home,
//! turn jumps and one step back never re-reduce from the start. The cursor moves forward
//! by applying events to the state it holds.
//!
//! Turns are the prompts of the watched session tree (the first `message.updated` of a
//! new user message); a log with no user message at all (`opencode run` logs) counts one
//! turn per session instead. Several sessions: `watch` picks a root session, stepping and
//! turn jumps then only stop on its tree's events (every event is still applied).

use crate::log::{LogReader, Record};
use crate::model::event::Event;
use crate::model::Store;
use std::collections::HashSet;
use std::io::BufRead;

/// At most about this many checkpoints are kept (the interval grows with the log).
/// Each is a whole `Store`, so their memory is this many times the average state;
/// re-applying parsed events is cheap (~0.2 µs each), so few checkpoints are enough:
/// in a 350,000-event log a seek re-applies at most ~22,000 events (a few ms).
const TARGET_CHECKPOINTS: usize = 16;
/// The smallest interval between checkpoints, in events.
const MIN_INTERVAL: usize = 1024;

/// How the log ended, when it did not end cleanly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndedEarly {
    /// The last line was cut off mid-line (the writer died while writing it).
    TruncatedLine,
    /// A session was still busy, or waiting on a request, when the log ends.
    MidTurn { session_id: String, why: String },
}

impl std::fmt::Display for EndedEarly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndedEarly::TruncatedLine => write!(f, "the log ends in a cut-off line"),
            EndedEarly::MidTurn { why, .. } => write!(f, "the log ends mid-turn ({why})"),
        }
    }
}

/// Every record of a log, with checkpoints, turns and what was skipped.
pub struct Timeline {
    records: Vec<Record>,
    checkpoints: Vec<Store>,
    every: usize,
    /// Line numbers of skipped (malformed) lines, up to the reader's limit.
    pub skipped_lines: Vec<u64>,
    /// How many lines were skipped in all.
    pub skipped: u64,
    /// Set when the log stops before the work it records was done (the first reason).
    pub ended_early: Option<EndedEarly>,
    /// Every session left mid-turn at the end of the log (a deleted session is not).
    pub unfinished: Vec<EndedEarly>,
    /// Root sessions (no parent) in order of appearance: what can be watched.
    pub roots: Vec<String>,
    watch: Option<String>,
    /// Indexes of the events the watched tree cares about (all when `None`).
    relevant: Option<Vec<usize>>,
    /// Positions just after each turn's prompt (its user message and the parts that follow it).
    turns: Vec<usize>,
    final_store: Store,
}

impl Timeline {
    /// Reads the whole log (the interactive replay holds the records).
    pub fn load<R: BufRead>(mut reader: LogReader<R>) -> std::io::Result<Timeline> {
        let mut records = Vec::new();
        while let Some(r) = reader.next_record()? {
            records.push(r);
        }
        let mut t = Timeline::from_records(records);
        t.skipped = reader.skipped;
        t.skipped_lines = reader.skipped_lines;
        if reader.truncated_tail && t.ended_early.is_none() {
            t.ended_early = Some(EndedEarly::TruncatedLine);
        }
        Ok(t)
    }

    /// Builds the timeline (checkpoints, turns, sessions) over records already read.
    pub fn from_records(records: Vec<Record>) -> Timeline {
        let every = (records.len() / TARGET_CHECKPOINTS).max(MIN_INTERVAL);
        let mut checkpoints = vec![Store::new()];
        let mut store = Store::new();
        for (i, r) in records.iter().enumerate() {
            store.apply(&r.event);
            if (i + 1) % every == 0 {
                checkpoints.push(store.clone());
            }
        }
        let roots = store
            .sessions()
            .iter()
            .filter(|s| s.parent_id.is_none())
            .map(|s| s.id.clone())
            .collect();
        let unfinished = mid_turn(&store, &records);
        let ended_early = unfinished.first().cloned();
        let mut t = Timeline {
            records,
            checkpoints,
            every,
            skipped_lines: Vec::new(),
            skipped: 0,
            ended_early,
            unfinished,
            roots,
            watch: None,
            relevant: None,
            turns: Vec::new(),
            final_store: store,
        };
        t.turns = t.compute_turns();
        t
    }

    /// Number of events (the last position).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn record(&self, index: usize) -> Option<&Record> {
        self.records.get(index)
    }

    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The state at the end of the log.
    pub fn final_store(&self) -> &Store {
        &self.final_store
    }

    /// The watched root session, if one was chosen.
    pub fn watched(&self) -> Option<&str> {
        self.watch.as_deref()
    }

    /// Watches one root session's tree (`None`: every session). Stepping and turns
    /// follow it; the state still holds every session.
    pub fn watch(&mut self, root: Option<&str>) {
        self.watch = root.map(str::to_string);
        self.relevant = root.map(|root| {
            let tree: HashSet<&str> = self
                .final_store
                .sessions()
                .iter()
                .filter(|s| self.final_store.is_in_tree(&s.id, root))
                .map(|s| s.id.as_str())
                .collect();
            self.records
                .iter()
                .enumerate()
                .filter(|(_, r)| r.event.session_id().is_none_or(|s| tree.contains(s)))
                .map(|(i, _)| i)
                .collect()
        });
        self.turns = self.compute_turns();
    }

    fn is_relevant(&self, index: usize) -> bool {
        match &self.relevant {
            None => true,
            Some(v) => v.binary_search(&index).is_ok(),
        }
    }

    fn compute_turns(&self) -> Vec<usize> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut turns = Vec::new();
        let n = self.records.len();
        for (i, r) in self.records.iter().enumerate() {
            let Event::MessageUpdated(m) = &r.event else {
                continue;
            };
            if m.role != "user" || !seen.insert(m.id.as_str()) || !self.is_relevant(i) {
                continue;
            }
            // Land after the prompt's own parts so the prompt shows.
            let mut end = i + 1;
            while end < n {
                match &self.records[end].event {
                    Event::PartUpdated(p) if p.message_id == m.id => end += 1,
                    _ => break,
                }
            }
            turns.push(end);
        }
        if turns.is_empty() {
            // No prompts (a run-format log): one turn per session, at its first event.
            let mut sessions: HashSet<&str> = HashSet::new();
            for (i, r) in self.records.iter().enumerate() {
                // A session that only exists (created / updated / status) has no turn.
                if matches!(
                    r.event,
                    Event::SessionCreated(_)
                        | Event::SessionUpdated(_)
                        | Event::SessionDeleted(_)
                        | Event::Status { .. }
                        | Event::Idle { .. }
                ) {
                    continue;
                }
                if let Some(s) = r.event.session_id() {
                    if sessions.insert(s) && self.is_relevant(i) {
                        turns.push(i + 1);
                    }
                }
            }
        }
        turns
    }

    /// Positions just after each turn's prompt.
    pub fn turns(&self) -> &[usize] {
        &self.turns
    }

    /// The turn shown at `pos` (1-based; 0 before the first prompt).
    pub fn turn_at(&self, pos: usize) -> usize {
        self.turns.partition_point(|&t| t <= pos)
    }

    /// The position of the next turn after `pos` (the end if none).
    pub fn next_turn(&self, pos: usize) -> usize {
        let i = self.turns.partition_point(|&t| t <= pos);
        self.turns.get(i).copied().unwrap_or(self.len())
    }

    /// The start of the current turn, or of the previous one when already at a start.
    pub fn prev_turn(&self, pos: usize) -> usize {
        let i = self.turns.partition_point(|&t| t < pos);
        if i == 0 {
            0
        } else {
            self.turns[i - 1]
        }
    }

    /// The position after the next watched event (one step forward).
    pub fn step_forward(&self, pos: usize) -> usize {
        let mut i = pos;
        while i < self.len() && !self.is_relevant(i) {
            i += 1;
        }
        (i + 1).min(self.len())
    }

    /// The position before the last applied watched event (one step back).
    pub fn step_back(&self, pos: usize) -> usize {
        let mut i = pos.min(self.len());
        while i > 0 {
            i -= 1;
            if self.is_relevant(i) {
                return i;
            }
        }
        0
    }

    /// The state at `pos`, built from the nearest checkpoint.
    pub fn state_at(&self, pos: usize) -> Store {
        let pos = pos.min(self.len());
        if pos == self.len() {
            return self.final_store.clone();
        }
        let k = pos / self.every;
        let mut store = self.checkpoints[k].clone();
        for r in &self.records[k * self.every..pos] {
            store.apply(&r.event);
        }
        store
    }

    /// A cursor at the start.
    pub fn cursor(&self) -> Cursor {
        Cursor {
            pos: 0,
            store: Store::new(),
        }
    }

    /// Moves `cursor` to `pos`: forward by applying events when that is cheaper than a
    /// checkpoint, else from the nearest checkpoint.
    pub fn seek(&self, cursor: &mut Cursor, pos: usize) {
        let pos = pos.min(self.len());
        if pos >= cursor.pos && pos - cursor.pos <= self.every {
            for r in &self.records[cursor.pos..pos] {
                cursor.store.apply(&r.event);
            }
        } else {
            cursor.store = self.state_at(pos);
        }
        cursor.pos = pos;
    }

    /// Applies the next event. Returns false at the end.
    pub fn advance(&self, cursor: &mut Cursor) -> bool {
        match self.records.get(cursor.pos) {
            Some(r) => {
                cursor.store.apply(&r.event);
                cursor.pos += 1;
                true
            }
            None => false,
        }
    }

    /// The skipped line numbers before the record at `pos` (for the timeline bar).
    pub fn skipped_before(&self, pos: usize) -> usize {
        let line = match self.records.get(pos) {
            Some(r) => r.line,
            None => return self.skipped_lines.len(),
        };
        self.skipped_lines.partition_point(|&l| l < line)
    }
}

/// A position in the timeline and the state there.
#[derive(Clone)]
pub struct Cursor {
    pub pos: usize,
    pub store: Store,
}

/// The sessions mid-turn when the log stops: busy, or a request unanswered. A session
/// whose last event is its error is not (the turn ended there), nor a deleted one (a
/// fork thrown away mid-turn: the server stops its work, and nothing more is to come).
fn mid_turn(store: &Store, records: &[Record]) -> Vec<EndedEarly> {
    let mut last_was_error: HashSet<&str> = HashSet::new();
    let mut decided: HashSet<&str> = HashSet::new();
    for r in records.iter().rev() {
        if let Some(sid) = r.event.session_id() {
            if decided.insert(sid) && matches!(r.event, Event::SessionError { .. }) {
                last_was_error.insert(sid);
            }
        }
    }
    let mut out = Vec::new();
    for s in store.sessions() {
        if last_was_error.contains(s.id.as_str()) || s.deleted {
            continue;
        }
        let why = if let Some(p) = s.pending_permissions().next() {
            format!("permission {} unanswered", p.request.permission)
        } else if s.pending_questions().next().is_some() {
            "question unanswered".to_string()
        } else if s.is_busy() {
            "session still busy".to_string()
        } else if s
            .assistant_messages()
            .next_back()
            .is_some_and(|m| m.finish.is_none() && m.error.is_none() && s.errors.is_empty())
        {
            "last answer unfinished".to_string()
        } else {
            continue;
        };
        out.push(EndedEarly::MidTurn {
            session_id: s.id.clone(),
            why,
        });
    }
    out
}
