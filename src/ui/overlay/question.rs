//! The question dialog (`question.asked`): each question with its header and options
//! (label and description). Single choice: a digit, or ↑/↓ + Enter. Multiple: digits or
//! Space toggle, Enter goes on. Unless `custom` is false an "Other" entry takes typed
//! text, kept per question. With several questions ←/→ (Tab) move between them and a
//! review tab submits all at once. Esc rejects. Read-only mode highlights the recorded
//! answers. Nothing answers before the whole question (each tab) has been on screen
//! (dialog_view.rs): until then ↑ ↓ j k PgUp PgDn Home End scroll it and the key line says
//! "↓ read to the end to answer". How it looks: question_view.rs.

use crate::model::event::QuestionRequest;
use crate::ui::action::Action;
use crate::ui::app::{App, Request};
use crate::ui::overlay::dialog_view::DialogView;
use crate::ui::overlay::popup::{self, FieldKey, TextField};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use std::rc::Rc;

/// The state of one question's answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub cursor: usize,
    pub selected: Vec<bool>,
    /// The typed "Other" text (kept even while not selected).
    pub other: TextField,
    pub other_selected: bool,
    pub editing: bool,
}

/// View state of one question dialog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuestionDialog {
    pub request_id: String,
    /// The question shown; `questions.len()` is the review tab (several questions only).
    pub tab: usize,
    pub answers: Vec<Answer>,
    /// Set when submit found a single-choice question without an answer.
    pub warn: bool,
    /// The body's scroll offset (while the tab has not been seen to its end).
    pub scroll: u16,
    /// The body scrolls to keep the cursor in view (once an arrow key moved it).
    pub follow_cursor: bool,
    /// What the last frame drew (shared by the copies drawn).
    pub view: Rc<DialogView>,
}

/// What a key press decided.
#[derive(Debug, Clone, PartialEq)]
pub enum QuestionOutcome {
    Reply(Vec<Vec<String>>),
    Reject,
    Nothing,
}

impl QuestionDialog {
    pub fn new(req: &QuestionRequest) -> Self {
        QuestionDialog {
            request_id: req.id.clone(),
            tab: 0,
            answers: req
                .questions
                .iter()
                .map(|q| Answer {
                    selected: vec![false; q.options.len()],
                    ..Answer::default()
                })
                .collect(),
            warn: false,
            scroll: 0,
            follow_cursor: false,
            view: Rc::default(),
        }
    }

    fn last_tab(&self, req: &QuestionRequest) -> usize {
        if req.questions.len() > 1 {
            req.questions.len()
        } else {
            0
        }
    }

    fn on_review(&self, req: &QuestionRequest) -> bool {
        req.questions.len() > 1 && self.tab == req.questions.len()
    }

    /// The answers as the server wants them: one list of labels per question.
    pub fn collect(&self, req: &QuestionRequest) -> Vec<Vec<String>> {
        req.questions
            .iter()
            .zip(&self.answers)
            .map(|(q, a)| {
                let mut v: Vec<String> = q
                    .options
                    .iter()
                    .zip(&a.selected)
                    .filter(|(_, s)| **s)
                    .map(|(o, _)| o.label.clone())
                    .collect();
                let other = a.other.text().trim();
                if a.other_selected && !other.is_empty() {
                    v.push(other.to_string());
                }
                v
            })
            .collect()
    }

    fn advance(&mut self, req: &QuestionRequest) -> QuestionOutcome {
        if req.questions.len() <= 1 {
            return self.submit(req);
        }
        self.tab = (self.tab + 1).min(self.last_tab(req));
        QuestionOutcome::Nothing
    }

    fn submit(&mut self, req: &QuestionRequest) -> QuestionOutcome {
        let answers = self.collect(req);
        let missing = req
            .questions
            .iter()
            .zip(&answers)
            .position(|(q, a)| !q.multiple && a.is_empty());
        if let Some(i) = missing {
            self.tab = i;
            self.warn = true;
            return QuestionOutcome::Nothing;
        }
        QuestionOutcome::Reply(answers)
    }

    /// Picks entry `i` of question `q` (a digit, Space or Enter on it).
    fn pick(&mut self, req: &QuestionRequest, i: usize, go_on: bool) -> QuestionOutcome {
        let qi = self.tab;
        let Some(q) = req.questions.get(qi) else {
            return QuestionOutcome::Nothing;
        };
        let n = q.options.len();
        let a = &mut self.answers[qi];
        a.cursor = i;
        self.warn = false;
        if i == n && q.custom {
            if q.multiple && a.other_selected {
                a.other_selected = false;
            } else {
                a.editing = true;
            }
            return QuestionOutcome::Nothing;
        }
        if i >= n {
            return QuestionOutcome::Nothing;
        }
        if q.multiple {
            a.selected[i] = !a.selected[i];
            QuestionOutcome::Nothing
        } else {
            a.selected.iter_mut().for_each(|s| *s = false);
            a.selected[i] = true;
            a.other_selected = false;
            if go_on {
                self.advance(req)
            } else {
                QuestionOutcome::Nothing
            }
        }
    }

    /// True once the shown tab has been on screen to its end (tab 0: `seen`, the app's).
    pub fn tab_seen(&self, seen: bool) -> bool {
        if self.tab == 0 {
            seen
        } else {
            self.view.end_seen(self.tab)
        }
    }

    /// One key. `armed`: the key guard let the key through and the first tab has been on
    /// screen to its end; each further tab must have been too before a key answers there.
    pub fn handle_key(
        &mut self,
        key: KeyEvent,
        req: &QuestionRequest,
        armed: bool,
    ) -> QuestionOutcome {
        if self.answers.len() != req.questions.len() {
            *self = QuestionDialog::new(req);
        }
        let armed = armed && (self.tab == 0 || self.view.end_seen(self.tab));
        let tab = self.tab;
        let out = self.key_inner(key, req, armed);
        if self.tab != tab {
            self.scroll = 0;
            self.follow_cursor = false;
        }
        if armed
            && matches!(
                key.code,
                KeyCode::Up | KeyCode::Down | KeyCode::Char('j' | 'k')
            )
        {
            self.follow_cursor = true;
        }
        out
    }

    fn key_inner(&mut self, key: KeyEvent, req: &QuestionRequest, armed: bool) -> QuestionOutcome {
        let qi = self.tab;
        if let (Some(q), Some(a)) = (req.questions.get(qi), self.answers.get_mut(qi)) {
            if a.editing {
                match a.other.handle_key(key) {
                    FieldKey::Submit => {
                        a.editing = false;
                        a.other_selected = !a.other.text().trim().is_empty();
                        if a.other_selected && !q.multiple {
                            a.selected.iter_mut().for_each(|s| *s = false);
                            return self.advance(req);
                        }
                    }
                    FieldKey::Cancel => a.editing = false,
                    _ => {}
                }
                return QuestionOutcome::Nothing;
            }
        }
        if !popup::plain(&key) {
            return QuestionOutcome::Nothing;
        }
        if !armed {
            // Not seen to the end yet: scroll, or move between questions; never answer.
            if let Some(scroll) = self.view.scroll_key(&key, self.scroll, true) {
                self.scroll = scroll;
            } else if matches!(key.code, KeyCode::Right | KeyCode::Tab) {
                self.tab = (self.tab + 1).min(self.last_tab(req));
            } else if matches!(key.code, KeyCode::Left | KeyCode::BackTab) {
                self.tab = self.tab.saturating_sub(1);
            }
            return QuestionOutcome::Nothing;
        }
        let count = req
            .questions
            .get(qi)
            .map(|q| q.options.len() + usize::from(q.custom))
            .unwrap_or(0);
        match key.code {
            KeyCode::Esc => QuestionOutcome::Reject,
            KeyCode::Right | KeyCode::Tab => {
                self.tab = (self.tab + 1).min(self.last_tab(req));
                QuestionOutcome::Nothing
            }
            KeyCode::Left | KeyCode::BackTab => {
                self.tab = self.tab.saturating_sub(1);
                QuestionOutcome::Nothing
            }
            KeyCode::Up | KeyCode::Char('k') if count > 0 => {
                let a = &mut self.answers[qi];
                a.cursor = a.cursor.saturating_sub(1);
                QuestionOutcome::Nothing
            }
            KeyCode::Down | KeyCode::Char('j') if count > 0 => {
                let a = &mut self.answers[qi];
                a.cursor = (a.cursor + 1).min(count - 1);
                QuestionOutcome::Nothing
            }
            KeyCode::Char(c @ '1'..='9') if count > 0 => {
                let i = c as usize - '1' as usize;
                if i < count {
                    self.pick(req, i, true)
                } else {
                    QuestionOutcome::Nothing
                }
            }
            KeyCode::Char(' ') if count > 0 => {
                let i = self.answers[qi].cursor;
                self.pick(req, i, false)
            }
            KeyCode::Enter => {
                if self.on_review(req) {
                    return self.submit(req);
                }
                let q = &req.questions[qi];
                let i = self.answers[qi].cursor;
                if q.multiple {
                    if i == q.options.len() && q.custom && !self.answers[qi].other_selected {
                        return self.pick(req, i, true);
                    }
                    self.advance(req)
                } else {
                    self.pick(req, i, true)
                }
            }
            KeyCode::Char(c)
                if count > 0
                    && !key.modifiers.contains(KeyModifiers::CONTROL)
                    && req.questions[qi].custom
                    && self.answers[qi].cursor == req.questions[qi].options.len() =>
            {
                // Typing on "Other" starts the text.
                let a = &mut self.answers[qi];
                a.editing = true;
                a.other.push(c);
                QuestionOutcome::Nothing
            }
            _ => QuestionOutcome::Nothing,
        }
    }

    /// Pastes into the "Other" answer being typed; false when none is (nothing taken).
    pub fn paste(&mut self, s: &str) -> bool {
        match self.answers.get_mut(self.tab) {
            Some(a) if a.editing => {
                a.other.paste(s);
                true
            }
            _ => false,
        }
    }
}

/// The question dialog as the top layer: the focus rule (stack.rs) hands it a key only
/// while it has the focus; its answer keys work only when the rule says it is armed.
impl Overlay for QuestionDialog {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let Some(Request::Question { session_id, id }) = app.active_request().cloned() else {
            return Handled::Done(Vec::new());
        };
        let Some(req) = app
            .store
            .session(&session_id)
            .and_then(|s| s.questions.iter().find(|q| q.request.id == id))
            .map(|q| q.request.clone())
        else {
            return Handled::Done(Vec::new());
        };
        let action = match self.handle_key(key, &req, app.dialogs.armed()) {
            QuestionOutcome::Reply(answers) => Action::ReplyQuestion {
                request_id: id.clone(),
                answers,
            },
            QuestionOutcome::Reject => Action::RejectQuestion {
                request_id: id.clone(),
            },
            QuestionOutcome::Nothing => return Handled::Done(Vec::new()),
        };
        app.dialogs.answered(&id);
        Handled::Close(vec![action])
    }
    fn paste(&mut self, text: &str, _app: &mut App) -> bool {
        QuestionDialog::paste(self, text)
    }
    /// Drawn inside the transcript body (transcript/body.rs, shared with replay).
    fn render(&self, _app: &App, _frame: &mut Frame, _areas: &Areas) {}
    fn hint(&self) -> &'static str {
        "digits choose · Enter goes on · ←/→ questions · Esc rejects"
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Question dialog",
    keys: &[
        (
            "digits, Up/Down+Enter",
            "choose (toggle when several allowed)",
        ),
        ("Space", "toggle"),
        ("Left / Right, Tab", "next / previous question, review"),
        ("Esc", "reject the question"),
    ],
    open_on_key: None,
};
