//! The session list's rows, kept linear at any size: the listed sessions are indexed once
//! per listing (deduplicated, titles lower-cased; the cache is keyed by the listing's
//! generation, bumped by every `UiInput::Sessions`), a filter key scans that index (only
//! the previous matches when the filter grew), and marks (busy, waiting, failed) come from
//! the few sessions the store holds. Rendering then draws only the visible rows
//! (`sessions::render`). With 100,000 sessions the list opens and filters in milliseconds
//! (`benches/session_list.rs`). `App::session_rows` (session_keys.rs) asks it.

use crate::model::event::SessionInfo;
use crate::model::state::{Role, Store};
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// One row of the list (its mark comes from [`SessionRows::mark`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub title: String,
    /// `time.updated` (epoch ms) as listed; `None` for a session not listed yet.
    pub updated_ms: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Idle,
    Busy,
    Waiting,
    Failed,
}

pub(crate) fn mark(store: &Store, id: &str) -> Mark {
    let waiting = store.sessions().iter().any(|s| {
        (s.pending_permissions().next().is_some() || s.pending_questions().next().is_some())
            && store.is_in_tree(&s.id, id)
    });
    let Some(s) = store.session(id) else {
        return Mark::Idle;
    };
    if waiting {
        Mark::Waiting
    } else if s.is_busy() {
        Mark::Busy
    } else if s
        .messages
        .iter()
        .rev()
        .find(|m| m.role == Role::Assistant)
        .and_then(|m| m.error.as_ref())
        .is_some_and(|e| e.name != "MessageAbortedError")
    {
        Mark::Failed
    } else {
        Mark::Idle
    }
}

/// The cache of the indexed listing and of the last filter's matches.
#[derive(Default)]
pub struct SessionIndex {
    pub(crate) inner: RefCell<Option<Inner>>,
}

pub(crate) struct Inner {
    pub(crate) generation: u64,
    pub(crate) rows: Arc<Vec<Row>>,
    lower: Vec<String>,
    /// Row index by a hash of its id (no copy of the 100,000 ids; see [`Inner::listed`]).
    ids: HashMap<u64, u32>,
    /// The last filter (lower-cased) and the indices of the rows it matched.
    filter: String,
    hits: Arc<Vec<u32>>,
}

impl Inner {
    /// `clock`: (now, the local offset from UTC) in ms, for untitled sessions' names.
    pub(crate) fn build(
        generation: u64,
        listed: &[SessionInfo],
        store: &Store,
        (now_ms, utc_offset_ms): (u64, i64),
    ) -> Inner {
        let mut ids: HashMap<u64, u32> = HashMap::with_capacity(listed.len());
        let mut rows: Vec<Row> = Vec::with_capacity(listed.len());
        let mut lower = Vec::with_capacity(listed.len());
        for s in listed.iter().filter(|s| s.parent_id.is_none()) {
            let h = id_hash(&s.id);
            match ids.get(&h) {
                Some(&i) if rows[i as usize].id == s.id => continue,
                // A hash collision (not a duplicate): rare, so a scan is fine.
                Some(_) if rows.iter().any(|r| r.id == s.id) => continue,
                Some(_) => {}
                None => {
                    ids.insert(h, rows.len() as u32);
                }
            }
            let title = s
                .title
                .clone()
                .or_else(|| store.session(&s.id).and_then(|st| st.title.clone()))
                .map(|t| {
                    let st = store.session(&s.id);
                    crate::ui::words::session_title(&t, st, now_ms, utc_offset_ms)
                })
                .unwrap_or_else(|| s.id.clone());
            lower.push(title.to_lowercase());
            rows.push(Row {
                id: s.id.clone(),
                title,
                updated_ms: s.time.map(|t| t.updated as u64).filter(|&t| t > 0),
            });
        }
        let hits = Arc::new((0..rows.len() as u32).collect());
        Inner {
            generation,
            rows: Arc::new(rows),
            lower,
            ids,
            filter: String::new(),
            hits,
        }
    }

    /// The index of listed row `id`, if it is one.
    pub(crate) fn position(&self, id: &str) -> Option<u32> {
        match self.ids.get(&id_hash(id)) {
            Some(&i) if self.rows[i as usize].id == id => Some(i),
            Some(_) => self.rows.iter().position(|r| r.id == id).map(|i| i as u32),
            None => None,
        }
    }

    /// True when session `id` is one of the listed rows.
    pub(crate) fn listed(&self, id: &str) -> bool {
        match self.ids.get(&id_hash(id)) {
            Some(&i) if self.rows[i as usize].id == id => true,
            Some(_) => self.rows.iter().any(|r| r.id == id),
            None => false,
        }
    }

    /// The rows matching `filter` (lower-cased), from the last matches when it grew.
    pub(crate) fn matching(&mut self, filter: &str) -> Arc<Vec<u32>> {
        if filter != self.filter {
            let scan = |i: &u32| self.lower[*i as usize].contains(filter);
            let hits: Vec<u32> = if filter.contains(self.filter.as_str()) {
                self.hits.iter().copied().filter(scan).collect()
            } else {
                (0..self.rows.len() as u32).filter(scan).collect()
            };
            self.hits = Arc::new(hits);
            self.filter = filter.to_string();
        }
        self.hits.clone()
    }
}

fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// The rows of the list as shown: the listed sessions matching the filter (newest first,
/// as the server lists them), then matching top-level sessions seen on the bus but not
/// listed yet. Cheap to make and to clone (shared with the cache).
#[derive(Clone, Default)]
pub struct SessionRows {
    /// Pinned sessions matching the filter, first (newest first).
    pub(crate) pinned: Vec<Row>,
    pub(crate) base: Arc<Vec<Row>>,
    pub(crate) hits: Arc<Vec<u32>>,
    pub(crate) extra: Vec<Row>,
    pub(crate) marks: HashMap<String, Mark>,
    /// The rows found in their messages' text, with the matching line.
    pub(crate) texts: crate::ui::overlay::session_search::TextHits,
    /// How many sessions' text is still being fetched.
    pub(crate) searching: usize,
    /// The sessions open as tabs (app/tabs.rs), by id: their tab number (1-based).
    pub(crate) tabs: HashMap<String, usize>,
}

impl SessionRows {
    pub fn len(&self) -> usize {
        self.pinned.len() + self.hits.len() + self.extra.len()
    }

    /// How many rows at the top are pinned.
    pub fn pinned_len(&self) -> usize {
        self.pinned.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<&Row> {
        if let Some(r) = self.pinned.get(i) {
            return Some(r);
        }
        let i = i - self.pinned.len();
        match self.hits.get(i) {
            Some(&k) => self.base.get(k as usize),
            None => self.extra.get(i - self.hits.len()),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Row> + '_ {
        self.pinned.iter().chain(
            self.hits
                .iter()
                .map(|&k| &self.base[k as usize])
                .chain(self.extra.iter()),
        )
    }

    /// The row's mark: idle unless the store knows the session busy, waiting or failed.
    pub fn mark(&self, id: &str) -> Mark {
        self.marks.get(id).copied().unwrap_or(Mark::Idle)
    }

    /// The message of row `id` the filter was found in, when it was.
    pub fn text_hit(&self, id: &str) -> Option<&crate::model::session_text::TextHit> {
        self.texts.get(id)
    }

    /// How many sessions' text is still being fetched ("searching N sessions…").
    pub fn searching(&self) -> usize {
        self.searching
    }

    /// Rows from plain values (tests, snapshots): `rows` in order, with their marks.
    pub fn from_rows(rows: Vec<(Row, Mark)>) -> SessionRows {
        let marks = rows
            .iter()
            .filter(|(_, m)| *m != Mark::Idle)
            .map(|(r, m)| (r.id.clone(), *m))
            .collect();
        SessionRows {
            extra: rows.into_iter().map(|(r, _)| r).collect(),
            marks,
            ..SessionRows::default()
        }
    }
}

/// The marks of the sessions the store holds (the others are idle).
pub(crate) fn marks(store: &Store) -> HashMap<String, Mark> {
    let mut out = HashMap::new();
    for s in store.sessions() {
        let mut cur = Some(s.id.as_str());
        for _ in 0..64 {
            let Some(id) = cur else { break };
            if !out.contains_key(id) {
                let m = mark(store, id);
                if m != Mark::Idle {
                    out.insert(id.to_string(), m);
                }
            }
            cur = store.session(id).and_then(|p| p.parent_id.as_deref());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str, title: &str, parent: Option<&str>) -> SessionInfo {
        serde_json::from_value(serde_json::json!({"id": id, "title": title, "parentID": parent}))
            .unwrap()
    }

    #[test]
    fn the_index_dedupes_skips_children_and_filters_incrementally() {
        let listed = vec![
            info("ses_a", "Fix the Parser", None),
            info("ses_b", "parse args", None),
            info("ses_a", "Fix the Parser", None),
            info("ses_c", "child", Some("ses_a")),
            info("ses_d", "Docs", None),
        ];
        let mut inner = Inner::build(1, &listed, &Store::new(), (0, 0));
        let ids: Vec<&str> = inner.rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["ses_a", "ses_b", "ses_d"]);
        assert!(inner.listed("ses_b") && !inner.listed("ses_c"));
        assert_eq!(*inner.matching("pars"), vec![0, 1]);
        assert_eq!(
            *inner.matching("parser"),
            vec![0],
            "narrowed from the last matches"
        );
        assert_eq!(*inner.matching("d"), vec![2], "widened: a full scan");
        assert_eq!(*inner.matching(""), vec![0, 1, 2]);
    }
}
