//! Ctrl+R: reverse-i-search over the prompt history (readline's, over the entries Up walks,
//! opencode's included). Typing narrows (case-insensitive, anywhere in the prompt), the
//! newest match first; Ctrl+R again (or Up) an older match, Down a newer one. The match is
//! shown in the prompt as it is found; Enter keeps it there (to edit or send: it is not
//! sent), Left / Right / Home / End keep it and move in it, Esc (or Ctrl+G, as in readline)
//! puts the draft back. Drawn as a box just above the prompt.

use crate::model::prompt_history::HistoryEntry;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::popup::{FieldKey, TextField};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

/// Matches listed under the query.
const LIST_ROWS: usize = 8;

/// The open search.
pub struct HistorySearch {
    query: TextField,
    /// Which match is shown: 0 the newest.
    nth: usize,
    /// The prompt's text when the search opened (Esc puts it back).
    draft: String,
    /// Ctrl+R found no older match (said as readline does: "failing").
    failing: bool,
}

/// The entries matching `query`, newest first.
fn matches<'a>(history: &'a [HistoryEntry], query: &str) -> Vec<&'a HistoryEntry> {
    let q = query.to_lowercase();
    history
        .iter()
        .rev()
        .filter(|e| e.text.to_lowercase().contains(&q))
        .collect()
}

impl HistorySearch {
    fn current(&self, app: &App) -> Option<HistoryEntry> {
        matches(app.prompt.input.history(), self.query.text())
            .get(self.nth)
            .map(|e| (*e).clone())
    }

    /// The prompt shows the current match, or the draft when nothing matches.
    fn preview(&self, app: &mut App) {
        let text = self.current(app).map_or(self.draft.clone(), |e| e.text);
        app.prompt.input.clear();
        app.prompt.input.set_text(&text);
    }

    /// Keeps the match in the prompt, its long pastes attached again.
    fn accept(&self, app: &mut App) {
        if let Some(e) = self.current(app) {
            app.prompt.input.clear();
            app.prompt.input.set_text(&e.text);
            app.recall_pastes(&e);
        }
    }
}

impl Overlay for HistorySearch {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let found = matches(app.prompt.input.history(), self.query.text()).len();
        match key.code {
            KeyCode::Char('r') if ctrl => {
                self.failing = self.nth + 1 >= found;
                if !self.failing {
                    self.nth += 1;
                }
            }
            KeyCode::Up if key.modifiers.is_empty() => {
                self.nth = (self.nth + 1).min(found.saturating_sub(1));
            }
            KeyCode::Down if key.modifiers.is_empty() => {
                self.nth = self.nth.saturating_sub(1);
                self.failing = false;
            }
            KeyCode::Char('g') if ctrl => {
                app.prompt.input.set_text(&self.draft);
                return Handled::Close(Vec::new());
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => {
                self.accept(app);
                return Handled::CloseAndPass;
            }
            _ => match self.query.handle_key(key) {
                FieldKey::Edited => {
                    self.nth = 0;
                    self.failing =
                        matches(app.prompt.input.history(), self.query.text()).is_empty();
                }
                FieldKey::Submit => {
                    self.accept(app);
                    return Handled::Close(Vec::new());
                }
                FieldKey::Cancel => {
                    app.prompt.input.clear();
                    app.prompt.input.set_text(&self.draft);
                    return Handled::Close(Vec::new());
                }
                // Every other key is taken while it is open.
                FieldKey::Ignored => {}
            },
        }
        self.preview(app);
        Handled::Done(Vec::new())
    }

    fn paste(&mut self, text: &str, app: &mut App) -> bool {
        self.query.paste(text);
        self.nth = 0;
        self.failing = matches(app.prompt.input.history(), self.query.text()).is_empty();
        self.preview(app);
        true
    }

    /// A box over the bottom of the transcript, just above the prompt.
    fn render(&self, app: &App, frame: &mut Frame, areas: &Areas) {
        let area = areas.transcript;
        let found = matches(app.prompt.input.history(), self.query.text());
        let rows = found.len().clamp(1, LIST_ROWS);
        let h = (rows as u16 + 3).min(area.height);
        if h < 3 || area.width < 10 {
            return;
        }
        let r = Rect::new(area.x, area.bottom() - h, area.width, h);
        frame.render_widget(Clear, r);
        let title = if self.failing {
            " failing reverse-i-search "
        } else {
            " reverse-i-search "
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(theme::border_focus())
            .title(title)
            .title(
                Line::from(format!(
                    " {}/{} ",
                    (self.nth + 1).min(found.len()),
                    found.len()
                ))
                .right_aligned(),
            );
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let mut lines = vec![Line::from(vec![
            Span::styled("› ", theme::hint()),
            Span::raw(crate::safe_text::one_line(self.query.text()).into_owned()),
            Span::styled(" ", theme::selected()),
        ])];
        if found.is_empty() {
            lines.push(Line::styled(
                if app.prompt.input.history().is_empty() {
                    "no prompt history yet"
                } else {
                    "no match"
                },
                theme::hint(),
            ));
        }
        // A window of the matches that keeps the shown one in view.
        let first = self.nth.saturating_sub(rows - 1);
        for (i, e) in found.iter().enumerate().skip(first).take(rows) {
            let text = crate::safe_text::one_line(&e.text).into_owned();
            let style = if i == self.nth {
                theme::selected()
            } else {
                theme::base()
            };
            lines.push(Line::styled(text, style));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }

    fn hint(&self) -> &'static str {
        "type to search · Ctrl+R older · Enter keeps it in the prompt · Esc puts the draft back"
    }
}

/// Ctrl+R at the prompt.
fn open_on_key(app: &mut App, key: &KeyEvent) -> Option<Vec<Action>> {
    if key.code != KeyCode::Char('r') || key.modifiers != KeyModifiers::CONTROL {
        return None;
    }
    let search = HistorySearch {
        query: TextField::default(),
        nth: 0,
        draft: app.prompt.input.text(),
        failing: false,
    };
    search.preview(app);
    app.overlays.push(Box::new(search));
    Some(Vec::new())
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Prompt",
    keys: &[
        (
            "Ctrl+R",
            "search the prompt history: type to narrow, Ctrl+R older, Enter puts it in the prompt (not sent), Esc back",
        ),
    ],
    open_on_key: Some(open_on_key),
};
