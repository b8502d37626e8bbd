//! The diff of a changed file, shown in a popup over the transcript when Enter is pressed
//! on a file of the side panel (`side_panel_keys.rs`): every turn's patch of the file in
//! turn order, coloured by `diff.rs`, cleaned (`safe_text::for_display`) first. Up/Down,
//! PgUp/PgDn and Home scroll it; Esc closes it.

use crate::model::state::SessionState;
use crate::ui::side_panel::{changed_files, SidePanel};
use crate::ui::transcript::diff::{self, DiffLayout};
use crate::ui::{overlay::popup, theme};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The popup's lines for the focused file at width `w`: its turns' patches, a dimmed
/// "turn k" line between them when there are several. `None` when nothing is open.
pub fn lines(
    panel: &SidePanel,
    session: &SessionState,
    w: usize,
) -> Option<(String, Vec<Line<'static>>)> {
    panel.diff_scroll?;
    let files = changed_files(session);
    let f = files.get(panel.file_focus?)?;
    let layout = if w >= 120 {
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

/// Draws the popup over `area` when a diff is open.
pub fn render(frame: &mut Frame, area: Rect, panel: &SidePanel, session: Option<&SessionState>) {
    let Some(session) = session else { return };
    let w = area.width.saturating_sub(2);
    let h = area.height;
    let rect = popup::centered(area, w, h);
    let inner_w = rect.width.saturating_sub(4) as usize;
    let Some((title, lines)) = lines(panel, session, inner_w) else {
        return;
    };
    let inner = popup::frame(frame, rect, &title, "Esc closes · ↑↓ PgUp PgDn scroll");
    let max = lines.len().saturating_sub(inner.height as usize) as u16;
    let scroll = panel.diff_scroll.unwrap_or(0).min(max);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
