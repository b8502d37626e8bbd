//! Live sessions side by side (issue 20 §1): every top-level session shown in this run
//! stays open as a tab; Alt+1..9 and the leader with Left / Right switch between them. A
//! session working in the background keeps streaming into the store; one whose turn ends
//! there is marked unread, one that asks for permission or has a question raises a badge
//! and a notification naming it, and its dialog shows only once it is the shown session
//! (a key pressed on one session's screen never answers another's: overlay/dialogs.rs).

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::session_index::{mark, Mark};

/// What a tab shows for its session.
#[derive(Debug, Clone, PartialEq)]
pub struct Tab {
    pub id: String,
    pub title: String,
    pub mark: Mark,
    /// The turn ended (or failed) while another session was shown.
    pub unread: bool,
    pub shown: bool,
    pub cost: f64,
}

impl App {
    /// The root of `id`'s session tree (a subagent's top-level session).
    pub(crate) fn root_of(&self, id: &str) -> String {
        let mut cur = id.to_string();
        for _ in 0..64 {
            match self.store.session(&cur).and_then(|s| s.parent_id.clone()) {
                Some(p) => cur = p,
                None => break,
            }
        }
        cur
    }

    /// A session is shown: its top-level session becomes (or stays) a tab, read.
    pub(crate) fn tab_shown(&mut self, id: &str) {
        let root = self.root_of(id);
        self.sessions.unread.remove(&root);
        self.dialogs.set_scope(Some(root.clone()));
        if !self.sessions.open.contains(&root) {
            self.sessions.open.push(root);
        }
    }

    /// A session stopped working: an open tab not on screen is marked unread.
    pub(crate) fn tab_finished(&mut self, id: &str) {
        let root = self.root_of(id);
        let shown = self.session_id().map(|s| self.root_of(s));
        if self.sessions.open.contains(&root) && shown.as_deref() != Some(root.as_str()) {
            self.sessions.unread.insert(root);
        }
    }

    /// Notifies `text` about session `sid`; for a session not on screen, named, with the
    /// way to it (and its tab, if it has none yet, is a session of the list).
    pub(crate) fn notify_for(&mut self, sid: &str, text: String) {
        let root = self.root_of(sid);
        let shown = self.session_id().map(|s| self.root_of(s));
        if shown.is_none() || shown.as_deref() == Some(root.as_str()) {
            self.notify(text);
            return;
        }
        let title = self
            .store
            .session(&root)
            .and_then(|s| s.title.clone())
            .unwrap_or_else(|| root.clone());
        let title = crate::safe_text::one_line(&title).into_owned();
        let way = match self.sessions.open.iter().position(|x| *x == root) {
            Some(i) if i < 9 => format!("Alt+{} shows it", i + 1),
            _ => "Ctrl+S lists it".to_string(),
        };
        let text = format!("{text} in “{title}” ({way})");
        self.note(text.clone(), false);
        self.notify(text);
    }

    /// A permission answered without the person (an "always" rule, an approval mode) as it
    /// came: the notification that said it asks is taken back, and so is the note naming a
    /// background session it came with (`notify_for`).
    pub(crate) fn withdraw_asking(&mut self, permission: &str) {
        let asks = format!("{}{permission}", super::ASKS_PERMISSION);
        let said = |t: &str| {
            t == asks
                || t.strip_prefix(asks.as_str())
                    .is_some_and(|r| r.starts_with(" in “"))
        };
        if let Some(i) =
            (self.outbox.iter()).rposition(|a| matches!(a, Action::Notify(n) if said(n)))
        {
            self.outbox.remove(i);
        }
        if let Some(i) = self.notes.iter().rposition(|n| said(&n.text)) {
            self.notes.remove(i);
        }
    }

    /// The tabs, in the order the sessions were first shown.
    pub fn tabs(&self) -> Vec<Tab> {
        let shown = self.session_id().map(|s| self.root_of(s));
        self.sessions
            .open
            .iter()
            .map(|id| {
                let s = self.store.session(id);
                let title = s
                    .and_then(|s| s.title.as_deref())
                    .map(|t| {
                        crate::ui::words::session_title(
                            t,
                            s,
                            self.now_ms(),
                            self.opts.utc_offset_ms,
                        )
                    })
                    .unwrap_or_else(|| "new session".to_string());
                Tab {
                    id: id.clone(),
                    title,
                    mark: mark(&self.store, id),
                    unread: self.sessions.unread.contains(id),
                    shown: shown.as_deref() == Some(id.as_str()),
                    cost: s.map_or(0.0, |s| crate::ui::status::totals(s).1),
                }
            })
            .collect()
    }

    /// Alt+N: the Nth tab (1-based); nothing when there is no such tab or it is shown.
    pub(crate) fn switch_to_tab(&mut self, n: usize) -> Vec<Action> {
        let Some(id) = self.sessions.open.get(n.wrapping_sub(1)).cloned() else {
            if self.sessions.open.len() > 1 {
                self.note(format!("no tab {n}"), false);
            }
            return Vec::new();
        };
        self.switch_tab_to(id)
    }

    /// The leader then Right / Left: the next / previous tab, round.
    pub(crate) fn cycle_tab(&mut self, forward: bool) -> Vec<Action> {
        let n = self.sessions.open.len();
        if n < 2 {
            self.note(
                "one session open: a new one (Ctrl+N) or one from the list (Ctrl+S) makes tabs",
                false,
            );
            return Vec::new();
        }
        let shown = self.session_id().map(|s| self.root_of(s));
        let at = shown
            .and_then(|r| self.sessions.open.iter().position(|x| *x == r))
            .unwrap_or(0);
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        let id = self.sessions.open[next].clone();
        self.switch_tab_to(id)
    }

    fn switch_tab_to(&mut self, id: String) -> Vec<Action> {
        let shown = self.session_id().map(|s| self.root_of(s));
        if shown.as_deref() == Some(id.as_str()) {
            return Vec::new();
        }
        vec![Action::SwitchSession(id)]
    }
}
