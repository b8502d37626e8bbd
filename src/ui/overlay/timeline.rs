//! The timeline (`/timeline`, opencode's `<leader>g` `session_timeline`): the shown
//! session's prompts, newest first, each with its time and the files its turn changed.
//! Enter jumps to the prompt in the transcript; `u` twice reverts the session to before it
//! (the files too, as undo does; `/redo` brings it back) and puts the prompt back into the
//! input; `f` forks the session before it; `c` copies it. Letters are actions here, so the
//! list has no filter line.

use crate::model::state::{Message, SessionState};
use crate::ui::action::Action;
use crate::ui::app::session_commands::prompts;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Timeline",
    keys: &[(
        "Ctrl+X G, /timeline",
        "the session's prompts with their time and changed files: Enter jumps there, u u reverts to before it (files too), f forks before it, c copies it",
    )],
    open_on_key: None,
};

/// The open timeline; `armed_revert`: the prompt whose revert `u` asked for once;
/// `revision`: the session's revision its items were built at (they follow the session:
/// a turn's changed files arrive a moment after it ends).
pub struct Timeline {
    picker: Picker,
    armed_revert: Option<String>,
    revision: u64,
}

/// "3 files: a.rs +2 −1, b.rs, …" for a turn's changed files, or "" for none.
fn files_words(m: &Message) -> String {
    let n = m.diffs.len();
    if n == 0 {
        return String::new();
    }
    let name = |f: &str| f.rsplit('/').next().unwrap_or(f).to_string();
    let first: Vec<String> = m
        .diffs
        .iter()
        .take(3)
        .map(|d| format!("{} +{} −{}", name(&d.file), d.additions, d.deletions))
        .collect();
    let more = if n > 3 { ", …" } else { "" };
    let files = if n == 1 { "file" } else { "files" };
    crate::safe_text::one_line(&format!("{n} {files}: {}{more}", first.join(", "))).into_owned()
}

impl App {
    /// `/timeline`, Ctrl+X G.
    pub(crate) fn open_timeline(&mut self) -> Vec<Action> {
        let Some(s) = self.session_id().and_then(|id| self.store.session(id)) else {
            return Vec::new();
        };
        let items = timeline_items(s, self.now_ms(), self.opts.utc_offset_ms);
        let revision = s.revision;
        if items.is_empty() {
            self.note(
                "the timeline is empty: no prompt in this session yet",
                false,
            );
            return Vec::new();
        }
        let mut picker = Picker::new("timeline", Kind::Words, QueryInput::External);
        picker.set_items(items);
        self.overlays.close::<Timeline>();
        self.overlays.push(Box::new(Timeline {
            picker,
            armed_revert: None,
            revision,
        }));
        Vec::new()
    }

    /// After an event: the open timeline's items follow the shown session, the selection
    /// kept.
    pub(crate) fn refresh_timeline(&mut self) {
        // Every event passes here: nothing to do unless the timeline is open.
        if !self.timeline_open() {
            return;
        }
        let (now, offset) = (self.now_ms(), self.opts.utc_offset_ms);
        let Some(s) = self.session_id().and_then(|id| self.store.session(id)) else {
            return;
        };
        let Some(t) = self.overlays.get_mut::<Timeline>() else {
            return;
        };
        if t.revision == s.revision {
            return;
        }
        t.revision = s.revision;
        let selected = t.picker.selected().map(|i| i.id.clone());
        t.picker.set_items(timeline_items(s, now, offset));
        if let Some(id) = selected {
            t.picker.select_id(&id);
        }
    }

    /// True while the timeline is open.
    pub fn timeline_open(&self) -> bool {
        self.overlays.is_open::<Timeline>()
    }
}

/// The prompts, newest first: the first line, then time and changed files.
fn timeline_items(s: &SessionState, now_ms: u64, utc_offset_ms: i64) -> Vec<PickerItem> {
    prompts(s)
        .iter()
        .rev()
        .filter_map(|m| {
            let text = m.text();
            let first = text.lines().find(|l| !l.trim().is_empty())?;
            let when = m
                .created_ms
                .map(|t| crate::ui::words::local_time(t as u64, now_ms, utc_offset_ms))
                .unwrap_or_default();
            let files = files_words(m);
            let desc = match (when.is_empty(), files.is_empty()) {
                (false, false) => format!("{when} · {files}"),
                (false, true) => when,
                (true, _) => files,
            };
            Some(PickerItem::new(m.id.clone(), first.trim()).description(desc))
        })
        .collect()
}

impl Overlay for Timeline {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let Some(sid) = app.session_id().map(str::to_string) else {
            return Handled::Close(Vec::new());
        };
        let outcome = self.picker.handle_key(key);
        let selected = self.picker.selected().map(|i| i.id.clone());
        let plain = crate::ui::overlay::popup::plain(&key);
        match (outcome, key.code) {
            (PickerOutcome::Closed, _) => Handled::Close(Vec::new()),
            (PickerOutcome::Chosen { id, .. }, _) => {
                app.view.scroll_to_line(&id, 0, 1);
                Handled::Close(Vec::new())
            }
            (PickerOutcome::Ignored, KeyCode::Char('u')) if plain => {
                let Some(id) = selected else {
                    return Handled::Done(Vec::new());
                };
                if self.armed_revert.as_deref() != Some(id.as_str()) {
                    self.armed_revert = Some(id);
                    app.note(
                        "u again reverts the session to before this prompt, files too (/redo brings it back)",
                        false,
                    );
                    return Handled::Done(Vec::new());
                }
                if app.shown_idle_session("revert").is_none() {
                    return Handled::Done(Vec::new());
                }
                app.prompt_back_into_empty_input(&sid, &id);
                Handled::Close(vec![Action::Revert {
                    session_id: sid,
                    message_id: id,
                }])
            }
            (PickerOutcome::Ignored, KeyCode::Char('f')) if plain => {
                let Some(id) = selected else {
                    return Handled::Done(Vec::new());
                };
                app.prompt_back_into_empty_input(&sid, &id);
                Handled::Close(vec![Action::Fork {
                    session_id: sid,
                    message_id: Some(id),
                }])
            }
            (PickerOutcome::Ignored, KeyCode::Char('c')) if plain => {
                let Some(id) = selected else {
                    return Handled::Done(Vec::new());
                };
                let prompt = app
                    .store
                    .session(&sid)
                    .and_then(|s| s.message(&id))
                    .map(|m| m.text())
                    .unwrap_or_default();
                Handled::Close(app.copy_text(&prompt, "the prompt"))
            }
            (PickerOutcome::Handled, _) => {
                // Moving on disarms a revert asked for once.
                if self.armed_revert.is_some() && self.armed_revert != selected {
                    self.armed_revert = None;
                }
                Handled::Done(Vec::new())
            }
            _ => Handled::Done(Vec::new()),
        }
    }
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        crate::ui::overlay::fork::render(frame, areas.transcript, &self.picker);
    }
    fn hint(&self) -> &'static str {
        "↑↓ choose · Enter jumps · u u reverts · f forks · c copies · Esc closes"
    }
}
