//! The side panel (`F3` or `/details`): beside the transcript, the session's todo list
//! (`todo.updated`, `GET /session/{id}/todo`), the files it changed with +/- counts (the
//! `info.summary.diffs` of its user messages merged: the server's session-level diff is
//! always empty), the MCP servers and LSP status (`GET /mcp`, `GET /lsp`) and the tokens
//! and cost. It hides itself on terminals narrower than [`MIN_WIDTH`]. Everything shown
//! is cleaned (`safe_text::one_line`) before it becomes a cell.

pub(crate) mod keys;

use crate::model::state::{Role, SessionState};
use crate::safe_text::one_line;
use crate::ui::{theme, transcript::wrap};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

/// The panel shows only when the terminal is at least this wide.
pub const MIN_WIDTH: u16 = 100;
/// The panel's width (columns, border included).
pub const WIDTH: u16 = 36;

pub use crate::ui::action::ServerStatus;

/// The panel's state: open or not, and what was fetched for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SidePanel {
    pub open: bool,
    /// `None` until `GET /mcp` answered.
    pub mcp: Option<Vec<ServerStatus>>,
    /// `None` until `GET /lsp` answered.
    pub lsp: Option<Vec<ServerStatus>>,
}

/// One changed file: its turns' +/- counts summed, and its patches in turn order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChangedFile {
    pub file: String,
    pub additions: u64,
    pub deletions: u64,
    pub patches: Vec<String>,
}

/// The files a session changed: the `summary.diffs` of its user messages, merged by path
/// in order of first change. Turns undone by a revert (`/undo`) are left out.
pub fn changed_files(s: &SessionState) -> Vec<ChangedFile> {
    let mut out: Vec<ChangedFile> = Vec::new();
    for m in s
        .messages
        .iter()
        .filter(|m| m.role == Role::User && !s.reverted(m))
    {
        for d in &m.diffs {
            let i = match out.iter().position(|f| f.file == d.file) {
                Some(i) => i,
                None => {
                    out.push(ChangedFile {
                        file: d.file.clone(),
                        ..Default::default()
                    });
                    out.len() - 1
                }
            };
            let f = &mut out[i];
            f.additions += d.additions;
            f.deletions += d.deletions;
            f.patches.push(d.patch.clone());
        }
    }
    out
}

/// True when the panel is open and the terminal is wide enough for it.
pub fn shown(panel: &SidePanel, width: u16) -> bool {
    panel.open && width >= MIN_WIDTH
}

fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme::bold()))
}

fn todo_mark(status: &str) -> (&'static str, ratatui::style::Style) {
    match status {
        "completed" => ("✓", theme::ok()),
        "in_progress" => ("▶", theme::warning()),
        "cancelled" => ("✗", theme::dim()),
        _ => ("○", theme::base()),
    }
}

fn server_lines(out: &mut Vec<Line<'static>>, list: Option<&[ServerStatus]>, w: usize) {
    match list {
        None => out.push(Line::from(Span::styled("  …", theme::hint()))),
        Some([]) => out.push(Line::from(Span::styled("  none", theme::hint()))),
        Some(list) => {
            for s in list {
                let style = match s.status.as_str() {
                    "connected" => theme::ok(),
                    "failed" | "error" => theme::error(),
                    _ => theme::dim(),
                };
                let name = one_line(&s.name);
                let status = one_line(&s.status);
                out.push(Line::from(vec![
                    Span::raw("  "),
                    Span::raw(wrap::truncate(&name, w.saturating_sub(4 + status.len()))),
                    Span::raw(" "),
                    Span::styled(status.into_owned(), style),
                ]));
                if let Some(e) = &s.error {
                    out.push(Line::from(Span::styled(
                        format!("    {}", wrap::truncate(&one_line(e), w.saturating_sub(4))),
                        theme::dim(),
                    )));
                }
            }
        }
    }
}

/// The panel's lines for `session` at inner width `w`.
pub fn lines(
    panel: &SidePanel,
    session: Option<&SessionState>,
    context_percent: Option<u64>,
    w: usize,
) -> Vec<Line<'static>> {
    focused_lines(panel, None, session, context_percent, w)
}

/// The panel's lines, file `file_focus` of its list marked (F6, keys.rs).
fn focused_lines(
    panel: &SidePanel,
    file_focus: Option<usize>,
    session: Option<&SessionState>,
    context_percent: Option<u64>,
    w: usize,
) -> Vec<Line<'static>> {
    let mut out = vec![heading("Todo")];
    match session.map(|s| s.todos.as_slice()) {
        Some(todos) if !todos.is_empty() => {
            for t in todos {
                let (mark, style) = todo_mark(&t.status);
                out.push(Line::from(vec![
                    Span::styled(format!("  {mark} "), style),
                    Span::styled(
                        wrap::truncate(&one_line(&t.content), w.saturating_sub(4)),
                        style,
                    ),
                ]));
            }
        }
        _ => out.push(Line::from(Span::styled("  none", theme::hint()))),
    }
    out.push(Line::default());
    out.push(heading("Files changed"));
    let files = session.map(changed_files).unwrap_or_default();
    if files.is_empty() {
        out.push(Line::from(Span::styled("  none", theme::hint())));
    }
    for (i, f) in files.iter().enumerate() {
        let counts = format!("+{} -{}", f.additions, f.deletions);
        let name = wrap::truncate(&one_line(&f.file), w.saturating_sub(3 + counts.len()));
        let (mark, style) = if file_focus == Some(i) {
            ("▸ ", theme::selected())
        } else {
            ("  ", theme::base())
        };
        out.push(Line::from(vec![
            Span::styled(format!("{mark}{name}"), style),
            Span::raw(" "),
            Span::styled(format!("+{}", f.additions), theme::diff_add()),
            Span::raw(" "),
            Span::styled(format!("-{}", f.deletions), theme::diff_del()),
        ]));
    }
    out.push(Line::default());
    out.push(heading("MCP"));
    server_lines(&mut out, panel.mcp.as_deref(), w);
    out.push(Line::default());
    out.push(heading("LSP"));
    server_lines(&mut out, panel.lsp.as_deref(), w);
    out.push(Line::default());
    out.push(heading("Context"));
    match session {
        Some(s) => {
            let (t, cost) = crate::ui::status::totals(s);
            out.push(Line::from(format!(
                "  tokens {} in · {} out",
                crate::ui::status::human(t.input + t.cache_read + t.cache_write),
                crate::ui::status::human(t.output + t.reasoning)
            )));
            out.push(Line::from(format!("  cost ${cost:.4}")));
            if let Some(p) = context_percent {
                // The status bar's meter, with the same warning past CONTEXT_WARN.
                let style = if p > crate::ui::status::CONTEXT_WARN {
                    theme::error()
                } else {
                    theme::base()
                };
                out.push(Line::from(Span::styled(
                    format!("  context {p}% full"),
                    style,
                )));
            }
        }
        None => out.push(Line::from(Span::styled("  none", theme::hint()))),
    }
    out
}

/// Draws the panel in `area`, file `file_focus` of its list marked.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    (panel, file_focus): (&SidePanel, Option<usize>),
    session: Option<&SessionState>,
    context_percent: Option<u64>,
) {
    let block = Block::default()
        .borders(Borders::LEFT)
        .border_style(theme::border())
        .title(Span::styled(" details (F3) ", theme::dim()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = focused_lines(
        panel,
        file_focus,
        session,
        context_percent,
        inner.width as usize,
    );
    frame.render_widget(Paragraph::new(lines), inner);
}
