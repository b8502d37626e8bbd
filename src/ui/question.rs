//! The question dialog (`question.asked`): each question with its header and options
//! (label and description). Single choice: a digit, or ↑/↓ + Enter. Multiple: digits or
//! Space toggle, Enter goes on. Unless `custom` is false an "Other" entry takes typed
//! text, kept per question. With several questions ←/→ (Tab) move between them and a
//! review tab submits all at once. Esc rejects. Read-only mode highlights the recorded
//! answers.

use crate::model::event::{Question, QuestionRequest};
use crate::model::state::QuestionEntry;
use crate::ui::popup::{self, DialogContext, FieldKey, TextField};
use crate::ui::{theme, wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

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
                let other = a.other.text.trim();
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

    pub fn handle_key(&mut self, key: KeyEvent, req: &QuestionRequest) -> QuestionOutcome {
        if self.answers.len() != req.questions.len() {
            *self = QuestionDialog::new(req);
        }
        let qi = self.tab;
        if let (Some(q), Some(a)) = (req.questions.get(qi), self.answers.get_mut(qi)) {
            if a.editing {
                match a.other.handle_key(key) {
                    FieldKey::Submit => {
                        a.editing = false;
                        a.other_selected = !a.other.text.trim().is_empty();
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
                a.other.text.push(c);
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

fn tabs(
    req: &QuestionRequest,
    st: &QuestionDialog,
    recorded: Option<&[Vec<String>]>,
) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, q) in req.questions.iter().enumerate() {
        let answered = match recorded {
            Some(r) => r.get(i).is_some_and(|a| !a.is_empty()),
            None => st.collect(req).get(i).is_some_and(|a| !a.is_empty()),
        };
        let label = if q.header.is_empty() {
            format!("Q{}", i + 1)
        } else {
            q.header.clone()
        };
        let mark = if answered { "✓ " } else { "" };
        let style = if i == st.tab {
            theme::selected()
        } else {
            theme::base()
        };
        let label = crate::safe_text::one_line(&label);
        spans.push(Span::styled(format!(" {mark}{label} "), style));
        spans.push(Span::raw(" "));
    }
    let style = if st.tab == req.questions.len() {
        theme::selected()
    } else {
        theme::base()
    };
    spans.push(Span::styled(" Review ", style));
    Line::from(spans)
}

fn question_lines(
    q: &Question,
    a: &Answer,
    width: usize,
    recorded: Option<&[String]>,
) -> (Vec<Line<'static>>, Option<usize>) {
    let mut at_cursor = None;
    let mut out = wrap::wrap_words(
        &[Span::styled(q.question.clone(), theme::bold())],
        width,
        &[],
        &[],
    );
    if q.multiple {
        out.push(Line::from(Span::styled("(choose any)", theme::hint())));
    }
    let box_of = |on: bool| match (q.multiple, on) {
        (true, true) => "[x]",
        (true, false) => "[ ]",
        (false, true) => "(•)",
        (false, false) => "( )",
    };
    for (i, o) in q.options.iter().enumerate() {
        let on = match recorded {
            Some(r) => r.contains(&o.label),
            None => a.selected.get(i).copied().unwrap_or(false),
        };
        let cursor = recorded.is_none() && a.cursor == i;
        let label_style = if recorded.is_some() && on {
            theme::recorded()
        } else if cursor {
            theme::selected()
        } else {
            theme::base()
        };
        let mut spans = vec![
            Span::styled(format!("{:>2}. ", i + 1), theme::key()),
            Span::raw(format!("{} ", box_of(on))),
            Span::styled(o.label.clone(), label_style),
        ];
        if !o.description.is_empty() {
            spans.push(Span::styled(format!("  {}", o.description), theme::dim()));
        }
        if cursor {
            at_cursor = Some(out.len());
        }
        out.extend(wrap::wrap_words(
            &spans,
            width,
            &[],
            &[Span::raw("         ")],
        ));
    }
    if q.custom {
        let i = q.options.len();
        let recorded_other = recorded.and_then(|r| {
            r.iter()
                .find(|l| !q.options.iter().any(|o| &o.label == *l))
                .cloned()
        });
        let on = match recorded {
            Some(_) => recorded_other.is_some(),
            None => a.other_selected,
        };
        let cursor = recorded.is_none() && a.cursor == i;
        let style = if recorded.is_some() && on {
            theme::recorded()
        } else if cursor {
            theme::selected()
        } else {
            theme::base()
        };
        let text = recorded_other.unwrap_or_else(|| a.other.text.clone());
        let mut spans = vec![
            Span::styled(format!("{:>2}. ", i + 1), theme::key()),
            Span::raw(format!("{} ", box_of(on))),
            Span::styled("Other: ", style),
            Span::raw(text),
        ];
        if cursor {
            at_cursor = Some(out.len());
        }
        if a.editing && recorded.is_none() {
            spans.push(Span::styled("█", theme::dim()));
        } else if cursor && a.other.text.is_empty() {
            spans.push(Span::styled("type your answer", theme::hint()));
        }
        out.extend(wrap::wrap_words(
            &spans,
            width,
            &[],
            &[Span::raw("         ")],
        ));
    }
    (out, at_cursor)
}

fn review_lines(req: &QuestionRequest, st: &QuestionDialog, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled(
        "Review your answers",
        theme::bold(),
    ))];
    for (q, a) in req.questions.iter().zip(st.collect(req)) {
        let ans = if a.is_empty() {
            Span::styled("(no answer)", theme::warning())
        } else {
            Span::styled(a.join(", "), theme::ok())
        };
        out.extend(wrap::wrap_words(
            &[Span::raw(format!("{}: ", q.question)), ans],
            width,
            &[Span::raw("  ")],
            &[Span::raw("    ")],
        ));
    }
    out
}

/// Lines of the dialog body for the current tab.
fn body(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    width: usize,
    read_only: bool,
) -> (Vec<Line<'static>>, Option<usize>) {
    let req = &entry.request;
    let mut out = Vec::new();
    let mut at_cursor = None;
    let recorded = if read_only {
        entry.answers.as_deref()
    } else {
        None
    };
    if req.questions.len() > 1 {
        out.push(tabs(req, st, recorded));
        out.push(Line::default());
    } else if let Some(header) = req.questions.first().map(|q| &q.header) {
        // One question: no tab bar names it, so its header stands above it.
        if !header.is_empty() {
            out.push(Line::from(Span::styled(
                crate::safe_text::one_line(header).into_owned(),
                theme::dialog_title(),
            )));
        }
    }
    if st.tab >= req.questions.len() && req.questions.len() > 1 {
        out.extend(review_lines(req, st, width));
    } else if let Some(q) = req.questions.get(st.tab) {
        let default = Answer::default();
        let a = st.answers.get(st.tab).unwrap_or(&default);
        let rec = recorded.map(|r| r.get(st.tab).map(Vec::as_slice).unwrap_or(&[]));
        let (lines, cursor) = question_lines(q, a, width, rec);
        at_cursor = cursor.map(|c| c + out.len());
        out.extend(lines);
    }
    (out, at_cursor)
}

fn help_line(entry: &QuestionEntry, st: &QuestionDialog, ctx: &DialogContext) -> Line<'static> {
    let read_only = ctx.read_only;
    if !read_only && !ctx.armed {
        return popup::disarmed_hint(ctx);
    }
    if read_only {
        let what = if entry.rejected {
            "recorded: rejected".to_string()
        } else if entry.answers.is_some() {
            "recorded answer highlighted".to_string()
        } else {
            "(no answer recorded)".to_string()
        };
        return Line::from(Span::styled(what, theme::hint()));
    }
    if st.warn {
        return Line::from(Span::styled(
            "choose an answer for this question (esc rejects the whole request)",
            theme::warning(),
        ));
    }
    let req = &entry.request;
    let editing = st.answers.get(st.tab).is_some_and(|a| a.editing);
    let text = if editing {
        "type your answer · enter keeps it · esc stops typing"
    } else if st.tab >= req.questions.len() {
        "enter submits all · ←/→ back to a question · esc rejects"
    } else if req.questions.get(st.tab).is_some_and(|q| q.multiple) {
        "digits/space toggle · enter next · ←/→ questions · esc rejects"
    } else {
        "digit or ↑/↓ + enter picks · ←/→ questions · esc rejects"
    };
    Line::from(Span::styled(text, theme::hint()))
}

/// The dialog's title: who asks, and how many questions.
fn title(entry: &QuestionEntry, ctx: &DialogContext) -> String {
    let asker =
        crate::ui::permission::session_label(ctx.store, &entry.request.session_id, ctx.shown);
    let n = entry.request.questions.len();
    if n > 1 {
        format!("Questions ({n}) from {asker}")
    } else {
        format!("Question from {asker}")
    }
}

/// Draws (or measures) the dialog: the body scrolls to keep the cursor in view; the help
/// line is the key line and always shows.
fn with_parts<T>(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
    f: impl FnOnce(&popup::DialogParts) -> T,
) -> T {
    let title = title(entry, ctx);
    let right = ctx.position_label();
    let body = |w: usize| body(entry, st, w, ctx.read_only);
    let help = help_line(entry, st, ctx);
    let keys = |w: usize| wrap::wrap_words(&help.spans, w, &[], &[]);
    f(&popup::DialogParts {
        title: &title,
        right: &right,
        body: &body,
        hint: None,
        keys: &keys,
        scroll: 0,
    })
}

/// (wanted, least) height at `width`; the least shows the question and the keys.
pub fn heights(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
    width: u16,
) -> (u16, u16) {
    with_parts(entry, st, ctx, |p| {
        (p.wanted_height(width), p.min_height(width))
    })
}

/// Draws the dialog for `entry` into `area`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
) {
    with_parts(entry, st, ctx, |p| p.render(frame, area));
}
