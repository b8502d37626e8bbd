//! The session list pane (toggle with Ctrl+S / F2): the project's top-level sessions with
//! title and state; one busy is marked ●, one waiting for an answer (a pending permission
//! or question anywhere in its tree) ?, one whose last turn failed ✗ (an abort is no
//! failure). Enter switches, n creates, r refreshes, Esc closes.

use crate::model::event::SessionInfo;
use crate::model::state::{Role, Store};
use crate::ui::{theme, wrap};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub title: String,
    pub mark: Mark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Idle,
    Busy,
    Waiting,
    Failed,
}

/// The rows: the listed sessions (newest first, as the server lists them), then top-level
/// sessions seen on the bus but not listed yet.
pub fn rows(listed: &[SessionInfo], store: &Store) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    let mut push = |id: &str, title: Option<&str>| {
        if out.iter().any(|r| r.id == id) {
            return;
        }
        let title = title
            .map(str::to_string)
            .or_else(|| store.session(id).and_then(|s| s.title.clone()))
            .unwrap_or_else(|| id.to_string());
        out.push(Row {
            id: id.to_string(),
            title,
            mark: mark(store, id),
        });
    };
    for s in listed.iter().filter(|s| s.parent_id.is_none()) {
        push(&s.id, s.title.as_deref());
    }
    for s in store
        .sessions()
        .iter()
        .filter(|s| s.parent_id.is_none() && !s.deleted)
    {
        push(&s.id, s.title.as_deref());
    }
    out
}

fn mark(store: &Store, id: &str) -> Mark {
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

/// Draws the list; `current` is the shown session, `cursor` the selected row.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    rows: &[Row],
    current: Option<&str>,
    cursor: usize,
    focused: bool,
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(if focused {
            theme::border_focus()
        } else {
            theme::border()
        })
        .title(" Sessions ")
        .title_bottom(Line::from(Span::styled(
            " n new · r refresh ",
            theme::hint(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let h = inner.height as usize;
    let first = cursor.saturating_sub(h.saturating_sub(1));
    let mut lines = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(first).take(h) {
        let (m, ms) = match r.mark {
            Mark::Idle => (" ", theme::dim()),
            Mark::Busy => ("●", theme::warning()),
            Mark::Waiting => ("?", theme::error_bold()),
            Mark::Failed => ("✗", theme::error()),
        };
        let cur = if Some(r.id.as_str()) == current {
            "▶"
        } else {
            " "
        };
        let title = wrap::truncate(&r.title, w.saturating_sub(5));
        let style = if i == cursor && focused {
            theme::selected()
        } else {
            theme::base()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{cur}{m} "), ms),
            Span::styled(title, style),
        ]));
    }
    if rows.is_empty() {
        lines.push(Line::from(Span::styled("no sessions yet", theme::hint())));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
