//! The session list's search across sessions: the typed filter matched against the text of
//! every message of every session (case-insensitive substring). Sessions the store holds
//! are searched there (kept current by the stream), then in the fetched text
//! (`model::session_text`) for the messages the store does not hold; the others in the
//! fetched text only. The answer for the fetched-only sessions is kept until the query,
//! the fetched text or the store's sessions change. Enter on a hit opens its session and
//! scrolls to the message ([`Jump`], applied once the session is shown).

use crate::model::search::{find_iter, Field};
use crate::model::session_text::{find_in_message, TextHit};
use crate::ui::action::Action;
use crate::ui::app::App;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Hits by session id.
pub type TextHits = Arc<HashMap<String, TextHit>>;

/// A message to scroll to once its session is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    pub(crate) session_id: String,
    pub(crate) message_id: String,
    /// The query (lower-cased): the view lands on the line holding it.
    pub(crate) query: String,
    /// The session has been shown since (showing another one then drops the jump).
    pub(crate) shown: bool,
}

/// The last answer for the sessions searched in the fetched text only.
#[derive(Default)]
pub struct TextMemo {
    last: RefCell<Option<(MemoKey, TextHits)>>,
}

#[derive(PartialEq, Eq)]
struct MemoKey {
    query: String,
    generation: u64,
    stored: usize,
}

impl App {
    /// The sessions whose messages hold `query` (lower-cased), each with its newest
    /// matching message. Empty for a blank query.
    pub(crate) fn text_hits(&self, query: &str) -> TextHits {
        if query.trim().is_empty() {
            return TextHits::default();
        }
        let texts = &self.sessions.texts;
        let stored = self.store.sessions();
        let key = MemoKey {
            query: query.to_string(),
            generation: texts.generation(),
            stored: stored.len(),
        };
        let mut memo = self.sessions.text_memo.last.borrow_mut();
        let fetched_only = match memo.as_ref() {
            Some((k, hits)) if *k == key => hits.clone(),
            _ => {
                let hits: HashMap<String, TextHit> = texts
                    .ids()
                    .filter(|id| self.store.session(id).is_none())
                    .filter_map(|id| Some((id.to_string(), texts.find(id, query, |_| false)?)))
                    .collect();
                let hits = Arc::new(hits);
                *memo = Some((key, hits.clone()));
                hits
            }
        };
        let live: Vec<(String, TextHit)> = stored
            .iter()
            .filter(|s| s.parent_id.is_none() && !s.deleted)
            .filter_map(|s| {
                let hit = s
                    .messages
                    .iter()
                    .rev()
                    .find_map(|m| find_in_message(&m.id, m.role, &m.text(), query))
                    .or_else(|| texts.find(&s.id, query, |m| s.message(m).is_some()))?;
                Some((s.id.clone(), hit))
            })
            .collect();
        if live.is_empty() {
            return fetched_only;
        }
        let mut all = (*fetched_only).clone();
        all.extend(live);
        Arc::new(all)
    }

    /// Enter on a text hit of session `id`: the view goes to message `message_id` once
    /// the session is shown (at once if it is).
    pub(crate) fn jump_to_message(&mut self, id: &str, message_id: &str, query: &str) {
        self.sessions.jump = Some(Jump {
            session_id: id.to_string(),
            message_id: message_id.to_string(),
            query: query.to_lowercase(),
            shown: false,
        });
        let later = self.jump_to_found();
        self.outbox.extend(later);
    }

    /// The pending jump, after any input: scrolls to its message once its session is shown
    /// and holds it (asking for the older history when the message is not paged in yet);
    /// dropped when another session is shown after it.
    pub(crate) fn jump_to_found(&mut self) -> Vec<Action> {
        if self.sessions.jump.is_none() {
            return Vec::new();
        }
        let shown = self.session_id().map(str::to_string);
        let Some(j) = self.sessions.jump.as_mut() else {
            return Vec::new();
        };
        if shown.as_deref() != Some(j.session_id.as_str()) {
            if j.shown {
                self.sessions.jump = None;
            }
            return Vec::new();
        }
        j.shown = true;
        let Some(s) = self.store.session(&j.session_id) else {
            return Vec::new();
        };
        let Some(m) = s.message(&j.message_id) else {
            let n = s.messages.len();
            let asked = (j.session_id.clone(), n);
            if n > 0 && self.sessions.older_requested.as_ref() != Some(&asked) {
                self.sessions.older_requested = Some(asked);
                return vec![Action::LoadOlder {
                    session_id: j.session_id.clone(),
                }];
            }
            return Vec::new();
        };
        let hit = find_iter(std::slice::from_ref(m), &j.query).find(|h| h.field == Field::Text);
        let Some(j) = self.sessions.jump.take() else {
            return Vec::new();
        };
        let line = hit.map_or(0, |h| {
            self.rendered_occurrence(&j.session_id, &h, &j.query, 0).0
        });
        let (_, height, _) = self.view.metrics();
        self.view.scroll_to_line(&j.message_id, line, height / 3);
        Vec::new()
    }
}
