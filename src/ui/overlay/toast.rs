//! The toast another client shows through the server (`POST /tui/show-toast`, the bus's
//! `tui.toast.show`): a small box at the top right of the transcript, its title and message
//! made safe for the terminal, coloured by its variant; it dims for its last second and is
//! gone after its duration. It takes no keys and is no popup for the focus rule (it is not
//! on the overlay stack), and it is never drawn over a dialog: while one is up it waits
//! (and may run out) underneath.

use crate::model::tui_request::Toast as Asked;
use crate::safe_text;
use crate::ui::theme;
use crate::ui::transcript::wrap;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use std::time::{Duration, Instant};

/// The widest a toast is drawn (columns, frame included).
const MAX_WIDTH: u16 = 48;
/// The most message rows a toast shows.
const MAX_ROWS: usize = 4;
/// How long before its end a toast dims.
const FADE: Duration = Duration::from_secs(1);

/// One toast on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    /// Title (one line) and message (its lines wrap), already safe for the terminal.
    pub(crate) title: Option<String>,
    pub(crate) message: String,
    pub(crate) variant: String,
    pub(crate) until: Instant,
}

impl Toast {
    /// The toast asked for, shown from `now` for its duration.
    pub fn new(asked: &Asked, now: Instant) -> Toast {
        let clean = |s: &str| safe_text::one_line(s.trim()).into_owned();
        Toast {
            title: asked.title.as_deref().map(clean).filter(|t| !t.is_empty()),
            message: safe_text::for_display(asked.message.trim()).into_owned(),
            variant: match asked.variant.as_str() {
                v @ ("success" | "warning" | "error") => v.to_string(),
                _ => "info".to_string(),
            },
            until: now + Duration::from_millis(asked.duration_ms),
        }
    }

    /// True while it is to be shown.
    pub fn live(&self, now: Instant) -> bool {
        now < self.until
    }

    /// When its look changes next (it dims, it goes), for the draw loop's wake-up.
    pub fn changes_at(&self, now: Instant) -> Option<Instant> {
        let dim = self.until.checked_sub(FADE).unwrap_or(self.until);
        [dim, self.until].into_iter().find(|t| *t > now)
    }

    fn style(&self) -> Style {
        match self.variant.as_str() {
            "success" => theme::ok(),
            "warning" => theme::warning(),
            "error" => theme::error(),
            _ => theme::note_info(),
        }
    }

    /// Draws it at the top right of `area` (nothing once it ran out).
    pub fn render(&self, frame: &mut Frame, area: Rect, now: Instant) {
        if !self.live(now) || area.width < 12 || area.height < 3 {
            return;
        }
        let fading = self.until.saturating_duration_since(now) <= FADE;
        let mut style = self.style();
        if fading {
            style = style.add_modifier(Modifier::DIM);
        }
        let width = MAX_WIDTH.min(area.width.saturating_sub(2)).max(10);
        let inner = width.saturating_sub(2) as usize;
        let lines: Vec<Line> = self
            .message
            .lines()
            .map(|l| Line::from(Span::styled(l.to_string(), base(fading))))
            .collect();
        let rows: usize = (self.message.lines())
            .map(|l| wrap::width(l).div_ceil(inner.max(1)).max(1))
            .sum();
        let height = (rows.clamp(1, MAX_ROWS) as u16 + 2).min(area.height);
        let x = area.right().saturating_sub(width + 1).max(area.x);
        let at = Rect::new(x, area.y, width, height);
        let title = match &self.title {
            Some(t) => format!(" {} ", wrap::truncate(t, inner.saturating_sub(2))),
            None => format!(" {} ", self.variant),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(style)
            .title(Span::styled(title, style.add_modifier(Modifier::BOLD)));
        frame.render_widget(Clear, at);
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            at,
        );
    }
}

fn base(fading: bool) -> Style {
    if fading {
        theme::dim().add_modifier(Modifier::DIM)
    } else {
        theme::base()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_fits_any_screen_and_dims_in_its_last_second() {
        let now = Instant::now();
        let t = Toast::new(
            &Asked {
                title: Some("a long title that does not fit".into()),
                message: "word ".repeat(60),
                variant: "error".into(),
                duration_ms: 5000,
            },
            now,
        );
        for w in [1u16, 11, 12, 13, 14, 20, 80] {
            for h in [1u16, 2, 3, 5, 30] {
                let mut term =
                    ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
                term.draw(|f| t.render(f, f.area(), now)).unwrap();
            }
        }
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 10)).unwrap();
        term.draw(|f| t.render(f, f.area(), now + Duration::from_millis(4500)))
            .unwrap();
        let buf = term.backend().buffer();
        let dimmed = buf
            .content()
            .iter()
            .any(|c| c.symbol() == "w" && c.modifier.contains(Modifier::DIM));
        assert!(dimmed, "the message dims in the last second");
    }

    #[test]
    fn text_is_made_safe_and_an_unknown_variant_is_info() {
        let now = Instant::now();
        let t = Toast::new(
            &Asked {
                title: Some("\u{1b}]52;c;x\u{7}T".into()),
                message: "a\u{1b}[2Jb\nc".into(),
                variant: "bogus".into(),
                duration_ms: 2000,
            },
            now,
        );
        assert!(
            !t.message
                .chars()
                .any(|c| c != '\n' && safe_text::needs_care(c)),
            "{:?}",
            t.message
        );
        assert!(!t
            .title
            .as_deref()
            .unwrap()
            .chars()
            .any(safe_text::needs_care));
        assert_eq!(t.variant, "info");
        assert!(t.live(now + Duration::from_millis(1999)));
        assert!(!t.live(now + Duration::from_millis(2000)));
        assert_eq!(t.changes_at(now), Some(now + Duration::from_millis(1000)));
        assert_eq!(
            t.changes_at(now + Duration::from_millis(1500)),
            Some(now + Duration::from_millis(2000))
        );
        assert_eq!(t.changes_at(now + Duration::from_secs(3)), None);
    }
}
