//! The interactive replay's state and drawing, without a terminal: a [`Timeline`] and a
//! cursor on it, the pace, and the UI's own pieces (transcript, status bar, permission and
//! question dialogs in read-only mode) drawn from the cursor's state, plus a timeline bar.
//!
//! A request pending at the cursor is shown as its dialog with the answer recorded later
//! in the log highlighted (looked up in the final state); it closes when the reply event
//! is played (`t` shows the next question of a several-question dialog). Keys map to
//! seeks and pace changes only: replay never sends anything.

use super::pace::Pacer;
use super::timeline::{Cursor, EndedEarly, Timeline};
use crate::model::state::{PermissionEntry, QuestionEntry, Store};
use crate::ui::overlay::popup::DialogContext;
use crate::ui::status::{self, StatusContext};
use crate::ui::transcript::body::{self, Dialog};
use crate::ui::{overlay::permission, overlay::question, theme, transcript::wrap, ViewState};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What the loop should do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// The replay on screen.
pub struct ReplayView {
    pub timeline: Timeline,
    pub cursor: Cursor,
    pub pacer: Pacer,
    pub view: ViewState,
    /// The transcript laid out for `view` (kept between frames).
    pub layout: crate::ui::transcript::LayoutCache,
    /// Index into `timeline.roots` of the watched session.
    watched: usize,
    /// The tab shown in a several-question dialog (`t` cycles), with its request id.
    question_tab: (String, usize),
    /// The key help (F1 / `?`) is shown; the next key closes it.
    help: bool,
}

/// A request waiting at the cursor, with its entry at the end of the log.
enum Pending<'a> {
    Permission(&'a PermissionEntry),
    Question(&'a QuestionEntry),
}

impl ReplayView {
    /// Starts at the first event, playing at `speed` (or at the end with `instant`).
    pub fn new(mut timeline: Timeline, speed: f64, instant: bool) -> ReplayView {
        let first = timeline.roots.first().cloned();
        if timeline.roots.len() > 1 {
            timeline.watch(first.as_deref());
        }
        let cursor = timeline.cursor();
        let mut v = ReplayView {
            timeline,
            cursor,
            pacer: Pacer::new(speed),
            view: ViewState::new(first),
            layout: Default::default(),
            watched: 0,
            question_tab: (String::new(), 0),
            help: false,
        };
        if instant {
            v.seek(v.timeline.len());
        }
        v
    }

    /// Watches the root session with this id (from `--session`). False if unknown.
    pub fn watch_session(&mut self, id: &str) -> bool {
        match self.timeline.roots.iter().position(|r| r == id) {
            Some(i) => {
                self.set_watched(i);
                true
            }
            None => false,
        }
    }

    fn set_watched(&mut self, i: usize) {
        self.watched = i;
        let id = self.timeline.roots[i].clone();
        self.timeline.watch(Some(&id));
        self.view.show(&id);
        self.view.invalidate();
    }

    pub fn store(&self) -> &Store {
        &self.cursor.store
    }

    pub fn pos(&self) -> usize {
        self.cursor.pos
    }

    /// Moves to `pos`; the next event's gap counts from now.
    pub fn seek(&mut self, pos: usize) {
        let back = pos < self.cursor.pos;
        self.timeline.seek(&mut self.cursor, pos);
        if back {
            self.view.invalidate();
        }
        self.view.scroll_to_bottom();
        self.pacer.reset();
    }

    /// Plays the next watched event (the pace says it is due). False at the end.
    pub fn play_next(&mut self) -> bool {
        if self.cursor.pos >= self.timeline.len() {
            return false;
        }
        let to = self.timeline.step_forward(self.cursor.pos);
        self.timeline.seek(&mut self.cursor, to);
        self.pacer.played(&self.timeline, self.cursor.pos);
        true
    }

    pub fn at_end(&self) -> bool {
        self.cursor.pos >= self.timeline.len()
    }

    /// Whether the key help (F1 / `?`) is on screen.
    pub fn help_shown(&self) -> bool {
        self.help
    }

    /// Handles one key press.
    pub fn handle_key(&mut self, key: KeyEvent) -> Flow {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let pos = self.cursor.pos;
        if self.help {
            // Any key closes the help (Ctrl+C still quits).
            self.help = false;
            if ctrl && key.code == KeyCode::Char('c') {
                return Flow::Quit;
            }
            return Flow::Continue;
        }
        match key.code {
            KeyCode::Char('c') if ctrl => return Flow::Quit,
            KeyCode::F(1) | KeyCode::Char('?') => self.help = true,
            KeyCode::Char('q') => return Flow::Quit,
            KeyCode::Char(' ') => {
                if self.at_end() && self.pacer.paused() {
                    self.seek(0);
                }
                self.pacer.toggle();
            }
            KeyCode::Char('+') | KeyCode::Char('=') => self.pacer.faster(),
            KeyCode::Char('-') | KeyCode::Char('_') => self.pacer.slower(),
            KeyCode::Right | KeyCode::Char('l') => {
                self.pacer.set_paused(true);
                let to = self.timeline.step_forward(pos);
                self.seek(to);
            }
            KeyCode::Left | KeyCode::Char('h') => {
                self.pacer.set_paused(true);
                let to = self.timeline.step_back(pos);
                self.seek(to);
            }
            KeyCode::Char(']') => {
                let to = self.timeline.next_turn(pos);
                self.seek(to);
            }
            KeyCode::Char('[') => {
                let to = self.timeline.prev_turn(pos);
                self.seek(to);
            }
            KeyCode::Home | KeyCode::Char('g') => self.seek(0),
            KeyCode::End | KeyCode::Char('G') => self.seek(self.timeline.len()),
            KeyCode::Tab if self.timeline.roots.len() > 1 => {
                // Same place in the log (the state holds every session) and the same pace.
                let next = (self.watched + 1) % self.timeline.roots.len();
                self.set_watched(next);
                self.seek(pos);
            }
            KeyCode::BackTab if self.timeline.roots.len() > 1 => {
                let n = self.timeline.roots.len();
                self.set_watched((self.watched + n - 1) % n);
                self.seek(pos);
            }
            KeyCode::Up | KeyCode::Char('k') => self.view.scroll_by(-1),
            KeyCode::Down | KeyCode::Char('j') => self.view.scroll_by(1),
            KeyCode::PageUp => self.view.page_up(),
            KeyCode::PageDown => self.view.page_down(),
            KeyCode::Char('e') => self.view.toggle_expand_all(),
            KeyCode::Char('t') => {
                if let Some(Pending::Question(q)) = self.pending() {
                    let (id, n) = (q.request.id.clone(), q.request.questions.len());
                    let tab = if self.question_tab.0 == id {
                        self.question_tab.1
                    } else {
                        0
                    };
                    // Several questions also have a review tab.
                    let tabs = if n > 1 { n + 1 } else { 1 };
                    self.question_tab = (id, (tab + 1) % tabs);
                }
            }
            _ => {}
        }
        Flow::Continue
    }

    /// The first request of the watched tree still waiting at the cursor, as recorded at
    /// the end of the log (so its answer, if any, is known).
    fn pending(&self) -> Option<Pending<'_>> {
        let store = &self.cursor.store;
        let root = self.view.session_id.as_deref()?;
        let last = self.timeline.final_store();
        for s in store.sessions() {
            if !store.is_in_tree(&s.id, root) {
                continue;
            }
            let fin = last.session(&s.id)?;
            if let Some(p) = s.pending_permissions().next() {
                return fin
                    .permissions
                    .iter()
                    .find(|e| e.request.id == p.request.id)
                    .map(Pending::Permission);
            }
            if let Some(q) = s.pending_questions().next() {
                return fin
                    .questions
                    .iter()
                    .find(|e| e.request.id == q.request.id)
                    .map(Pending::Question);
            }
        }
        None
    }

    /// "Now" for the status bar: the latest time the shown session's messages carry.
    fn now_ms(&self) -> u64 {
        let t = self
            .cursor
            .pos
            .checked_sub(1)
            .and_then(|p| self.timeline.record(p).and_then(|r| r.time_ms));
        let from_messages = || {
            let s = self
                .view
                .session_id
                .as_deref()
                .and_then(|id| self.store().session(id))?;
            s.messages
                .iter()
                .filter_map(|m| m.completed_ms.or(m.created_ms))
                .reduce(f64::max)
        };
        t.or_else(from_messages).unwrap_or(0.0) as u64
    }

    /// Draws the replay: transcript, dialog, status bar and timeline bar.
    pub fn render(&self, frame: &mut Frame) {
        let area = frame.area();
        let [main, bar, timeline] = Layout::vertical([
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let store = &self.cursor.store;
        let shown = self.view.session_id.as_deref();
        let seen = std::cell::Cell::new(true);
        let ctx = DialogContext {
            store,
            shown,
            position: (0, 1),
            read_only: true,
            armed: true,
            focused: true,
            seen: &seen,
        };
        let dialog = self.dialog().map(|d| (d, &ctx));
        body::render(
            frame,
            main,
            store,
            &self.view,
            &self.layout,
            self.tail_lines(),
            dialog,
        );
        let ctx = StatusContext {
            now_ms: self.now_ms(),
            read_only: true,
            ..StatusContext::default()
        };
        status::render(frame, bar, store, shown, &ctx);
        frame.render_widget(
            Paragraph::new(self.timeline_line(timeline.width as usize)),
            timeline,
        );
        if self.help {
            super::help::render(frame, main);
        }
        crate::ui::theme::paint(frame.buffer_mut());
    }

    /// How the log ended early, if that concerns the watched session tree (a cut-off
    /// line concerns every session; a turn left open only its own tree).
    fn ended_early_here(&self) -> Option<&EndedEarly> {
        let t = &self.timeline;
        if let Some(e @ EndedEarly::TruncatedLine) = &t.ended_early {
            return Some(e);
        }
        let root = t.watched();
        t.unfinished.iter().find(|e| match (e, root) {
            (EndedEarly::MidTurn { session_id, .. }, Some(root)) => {
                t.final_store().is_in_tree(session_id, root)
            }
            _ => true,
        })
    }

    /// After the transcript (and the latest turn's errors): whether the log ended early.
    fn tail_lines(&self) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        if self.at_end() {
            if let Some(why) = self.ended_early_here() {
                out.push(Line::default());
                out.push(Line::from(Span::styled(
                    format!(
                        "⚠ The log ended early: {}.",
                        crate::safe_text::one_line(&why.to_string())
                    ),
                    theme::warning(),
                )));
            }
            out.push(Line::default());
            out.push(Line::from(Span::styled(
                "■ End of the log: q to quit · Space to play again · [ or Home to go back · ? keys",
                theme::hint(),
            )));
        }
        out
    }

    /// The request pending at the cursor, as a read-only dialog.
    fn dialog(&self) -> Option<Dialog<'_>> {
        Some(match self.pending()? {
            Pending::Permission(entry) => {
                Dialog::Permission(entry, permission::PermissionDialog::new(&entry.request.id))
            }
            Pending::Question(entry) => {
                let mut st = question::QuestionDialog::new(&entry.request);
                if self.question_tab.0 == entry.request.id {
                    st.tab = self.question_tab.1;
                }
                Dialog::Question(entry, st)
            }
        })
    }

    /// "▶ 1x  event 37/74  turn 1/2  session 1/5  2 skipped lines: 4, 12  ⚠ …" and a bar.
    fn timeline_line(&self, width: usize) -> Line<'static> {
        let t = &self.timeline;
        let pos = self.cursor.pos;
        let state = if self.at_end() {
            "■ end"
        } else if self.pacer.paused() {
            "⏸ paused"
        } else {
            "▶ playing"
        };
        let mut spans = vec![
            Span::styled(format!(" {state} "), theme::key()),
            Span::styled(
                format!(" {} ", speed_label(self.pacer.speed())),
                theme::bold(),
            ),
            Span::raw(format!(" event {pos}/{} ", t.len())),
            Span::raw(if t.turns().is_empty() {
                " no turns ".to_string()
            } else {
                format!(" turn {}/{} ", t.turn_at(pos), t.turns().len())
            }),
        ];
        if t.roots.len() > 1 {
            spans.push(Span::raw(format!(
                " session {}/{} (Tab) ",
                self.watched + 1,
                t.roots.len()
            )));
        }
        if t.skipped > 0 {
            let mut lines: Vec<String> =
                t.skipped_lines.iter().take(5).map(u64::to_string).collect();
            if t.skipped as usize > lines.len() {
                lines.push("…".into());
            }
            let before = t.skipped_before(pos);
            spans.push(Span::styled(
                format!(
                    " {} skipped line{} ({} so far): {} ",
                    t.skipped,
                    if t.skipped == 1 { "" } else { "s" },
                    before,
                    lines.join(", ")
                ),
                theme::warning(),
            ));
        }
        if let Some(why) = self.ended_early_here() {
            spans.push(Span::styled(
                format!(
                    " ⚠ ended early: {} ",
                    crate::safe_text::one_line(&why.to_string())
                ),
                theme::warning(),
            ));
        }
        spans.push(Span::styled(super::help::HINT, theme::dim()));
        let used: usize = spans.iter().map(|s| wrap::width(&s.content)).sum();
        let room = width.saturating_sub(used + 2);
        if room >= 8 {
            let filled = if t.is_empty() {
                room
            } else {
                room * pos / t.len()
            };
            spans.push(Span::raw(" "));
            spans.push(Span::styled("━".repeat(filled), theme::key()));
            spans.push(Span::styled("─".repeat(room - filled), theme::dim()));
        }
        Line::from(spans)
    }
}

/// "1x", "0.25x", "64x".
pub fn speed_label(speed: f64) -> String {
    format!("{speed}x")
}
