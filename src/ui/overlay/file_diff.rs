//! The side panel's file list and the diff of a changed file, both on the overlay stack.
//! [`FileList`]: F6 (side panel open) focuses the list, Up/Down move, Enter opens the
//! file's diff above it, Esc goes back; other keys pass through, so typing still reaches
//! the prompt. [`FileDiff`]: a popup over the transcript with every turn's patch of the
//! file in turn order, coloured by `diff.rs`, cleaned (`safe_text::for_display`) first.
//! Up/Down, PgUp/PgDn and Home scroll it; Esc closes it; other keys pass through.

use crate::model::state::SessionState;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::side_panel::changed_files;
use crate::ui::transcript::diff::{self, DiffLayout};
use crate::ui::{overlay::popup, theme};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The panel's file list has the keys (F6): the focused file's index. The panel marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileList {
    pub focus: usize,
}

impl App {
    /// The focused file of the side panel's list (F6), if it has the keys.
    pub fn file_focus(&self) -> Option<usize> {
        self.overlays.get::<FileList>().map(|f| f.focus)
    }
}

impl Overlay for FileList {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        if !app.side_panel.open || app.overlays.is_open::<FileDiff>() {
            // The keys the diff above passes on go to the prompt, not to the list.
            return Handled::Pass;
        }
        let n = app.changed_file_count();
        let i = self.focus;
        match key.code {
            KeyCode::F(6) => {
                if n == 0 {
                    app.note("no changed files to browse", false);
                }
                return Handled::Close(Vec::new());
            }
            KeyCode::Up => self.focus = i.saturating_sub(1),
            KeyCode::Down => self.focus = (i + 1).min(n.saturating_sub(1)),
            KeyCode::Enter if key.modifiers.is_empty() && i < n => {
                app.overlays.push(Box::new(FileDiff { file: i, scroll: 0 }));
            }
            KeyCode::Esc => return Handled::Close(Vec::new()),
            _ => return Handled::Pass,
        }
        Handled::Done(Vec::new())
    }
    /// Drawn by the panel (the ▸ mark), which reads [`App::file_focus`].
    fn render(&self, _app: &App, _frame: &mut Frame, _areas: &Areas) {}
    fn hint(&self) -> &'static str {
        "↑↓ choose · Enter shows the diff · Esc back"
    }
}

/// F6 while the side panel is open: focuses its file list.
fn open_on_key(app: &mut App, key: &KeyEvent) -> Option<Vec<Action>> {
    if key.code != KeyCode::F(6) || !app.side_panel.open {
        return None;
    }
    if app.changed_file_count() == 0 {
        app.note("no changed files to browse", false);
    } else {
        app.overlays.push(Box::new(FileList { focus: 0 }));
    }
    Some(Vec::new())
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "View",
    keys: &[(
        "F6",
        "side panel files: ↑↓ choose, Enter shows the diff, Esc back",
    )],
    open_on_key: Some(open_on_key),
};

/// The open diff: which file of the side panel's list, scrolled by this many lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileDiff {
    pub file: usize,
    pub scroll: u16,
}

impl Overlay for FileDiff {
    fn key(&mut self, key: KeyEvent, _app: &mut App) -> Handled {
        let s = self.scroll;
        self.scroll = match key.code {
            KeyCode::Esc => return Handled::Close(Vec::new()),
            KeyCode::Up => s.saturating_sub(1),
            KeyCode::Down => s.saturating_add(1),
            KeyCode::PageUp => s.saturating_sub(10),
            KeyCode::PageDown => s.saturating_add(10),
            KeyCode::Home => 0,
            _ => return Handled::Pass,
        };
        Handled::Done(Vec::new())
    }
    fn render(&self, app: &App, frame: &mut Frame, areas: &Areas) {
        let s = app.session_id().and_then(|id| app.store.session(id));
        let stacked = app.opts.tui.diff_style == crate::model::tui_config::DiffStyle::Stacked;
        render(frame, areas.transcript, self, s, stacked);
    }
    fn hint(&self) -> &'static str {
        "Esc closes · ↑↓ PgUp PgDn scroll"
    }
}

/// The popup's lines for file `file` of the list at width `w`: its turns' patches, a
/// dimmed "turn k" line between them when there are several; side by side from 120
/// columns unless `stacked`.
pub fn lines(
    file: usize,
    session: &SessionState,
    w: usize,
    stacked: bool,
) -> Option<(String, Vec<Line<'static>>)> {
    let files = changed_files(session);
    let f = files.get(file)?;
    let layout = if w >= 120 && !stacked {
        DiffLayout::SideBySide
    } else {
        DiffLayout::Unified
    };
    let mut out = Vec::new();
    for (k, patch) in f.patches.iter().enumerate() {
        if f.patches.len() > 1 {
            out.push(Line::from(Span::styled(
                format!("change {} of {}", k + 1, f.patches.len()),
                theme::dim(),
            )));
        }
        let clean = crate::safe_text::for_display(patch);
        if clean.trim().is_empty() {
            out.push(Line::from(Span::styled("(no patch kept)", theme::hint())));
        }
        out.extend(diff::render(&clean, w, "", layout));
    }
    let title = format!(
        "{} +{} -{}",
        crate::safe_text::one_line(&f.file),
        f.additions,
        f.deletions
    );
    Some((title, out))
}

/// Draws the popup over `area`.
/// `stacked`: tui.json's `diff_style: "stacked"` (never side by side).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    diff: &FileDiff,
    session: Option<&SessionState>,
    stacked: bool,
) {
    let Some(session) = session else { return };
    let w = area.width.saturating_sub(2);
    let h = area.height;
    let rect = popup::centered(area, w, h);
    let inner_w = rect.width.saturating_sub(4) as usize;
    let Some((title, lines)) = lines(diff.file, session, inner_w, stacked) else {
        return;
    };
    let inner = popup::frame(frame, rect, &title, diff.hint());
    let max = lines.len().saturating_sub(inner.height as usize) as u16;
    let scroll = diff.scroll.min(max);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
