//! The session list pane (toggle with Ctrl+S / F2): the project's top-level sessions with
//! title and state; one busy is marked ●, one waiting for an answer (a pending permission
//! or question anywhere in its tree) ?, one whose last turn failed ✗ (an abort is no
//! failure). Each shows its age; the rows are grouped "last 24 h" / "earlier", newest
//! first as the server lists them (`time.updated`, the order `--continue` follows); pinned
//! sessions come first under "Pinned".
//! Typing filters by title and by the messages' text (a hit's matching line is drawn
//! dimmed under its row; "searching N sessions…" while their text is fetched); the keys and the rename / delete-confirm line are in
//! `session_keys.rs`, the rows (indexed once per listing) in `session_index.rs`; only the
//! rows in view are drawn.

use crate::ui::overlay::session_index::SessionRows;
use crate::ui::prompt::line_edit::LineField;
use crate::ui::{theme, transcript::wrap};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};
use ratatui::Frame;

pub use crate::ui::overlay::session_index::{Mark, Row};

/// How long ago: "now", "5m", "3h", "2d" (a session not listed yet: "").
pub fn age(updated_ms: Option<u64>, now_ms: u64) -> String {
    let Some(t) = updated_ms else {
        return String::new();
    };
    let s = now_ms.saturating_sub(t) / 1000;
    match s {
        0..60 => "now".into(),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// The group heading of a row: today (the local calendar day of `now_ms`, `utc_offset_ms`
/// from UTC), or earlier.
fn group(updated_ms: Option<u64>, now_ms: u64, utc_offset_ms: i64) -> &'static str {
    let day = |ms: u64| (ms as i64 + utc_offset_ms).div_euclid(86_400_000);
    match updated_ms {
        Some(t) if day(t) < day(now_ms) => "Earlier",
        _ => "Today",
    }
}

/// What the list's top line is doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ListMode {
    /// Typing filters the rows.
    #[default]
    Browse,
    /// Typing edits the new title of session `id`.
    Rename { id: String, title: LineField },
    /// `y` deletes session `id`; a busy one needs a second `y` (`warned`).
    ConfirmDelete {
        id: String,
        title: String,
        busy: bool,
        warned: bool,
    },
}

/// The list's top line: a label, its text and the text's style.
pub fn prompt_line(filter: &LineField, mode: &ListMode) -> (String, String, Style) {
    match mode {
        ListMode::Browse if filter.is_empty() => (
            "filter: ".into(),
            "type a title or a word".into(),
            theme::hint(),
        ),
        ListMode::Browse => ("filter: ".into(), filter.with_cursor("▏"), theme::base()),
        ListMode::Rename { title, .. } => {
            ("rename: ".into(), title.with_cursor("▏"), theme::base())
        }
        ListMode::ConfirmDelete { busy, warned, .. } => {
            let text = if *busy && *warned {
                "RUNNING! y: stop+delete"
            } else {
                "y: delete · other: keep"
            };
            ("delete? ".into(), text.into(), theme::error_bold())
        }
    }
}

/// Draws the list: `rows` already filtered, `current` the shown session, the list's
/// cursor, filter and what its top line does (`mode`).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    rows: &SessionRows,
    current: Option<&str>,
    (cursor, filter, mode, browsing): (usize, &LineField, &ListMode, bool),
    (now_ms, utc_offset_ms): (u64, i64),
) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme::border_focus())
        .title(" Sessions ")
        .title_bottom(Line::from(Span::styled(
            if browsing {
                " Esc: back to the dialog "
            } else {
                " M-p pin ^N new ^R rename Del "
            },
            theme::hint(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let w = inner.width as usize;
    let mut top: Vec<Line<'static>> = Vec::new();
    let (prompt, text, style) = prompt_line(filter, mode);
    let room = w.saturating_sub(wrap::width(&prompt));
    let text = crate::safe_text::one_line(&text);
    // A field being typed in (its caret at the end) scrolls to keep the caret in view.
    let editing = matches!(mode, ListMode::Rename { .. })
        || (matches!(mode, ListMode::Browse) && !filter.is_empty());
    let shown = if editing {
        tail_fit(&text, room)
    } else {
        wrap::truncate(&text, room)
    };
    top.push(Line::from(vec![
        Span::styled(prompt, theme::hint()),
        Span::styled(shown, style),
    ]));
    if !filter.is_empty() && rows.searching() > 0 && !rows.is_empty() {
        let line = wrap::truncate(&searching_line(rows.searching()), w);
        top.push(Line::from(Span::styled(line, theme::hint())));
    }
    // Every row under its group heading; `at` is the line of the cursor's row. Only the
    // lines in view are built (a list may hold 100,000 sessions).
    let h = (inner.height as usize).saturating_sub(top.len());
    let mut at: usize = 0;
    let mut line = 0;
    let mut last_group = "";
    let pins = rows.pinned_len();
    let heading = |i: usize, r: &Row| {
        if i < pins {
            "Pinned"
        } else {
            group(r.updated_ms, now_ms, utc_offset_ms)
        }
    };
    // A row found in its messages' text takes a second line: the matching line.
    let tall = |r: &Row| usize::from(rows.text_hit(&r.id).is_some());
    for (i, r) in rows.iter().enumerate() {
        let g = heading(i, r);
        if g != last_group {
            line += 1;
            last_group = g;
        }
        if i == cursor {
            at = line + tall(r);
            break;
        }
        line += 1 + tall(r);
    }
    let first = at.saturating_sub(h.saturating_sub(1));
    let mut line = 0;
    let mut last_group = "";
    for (i, r) in rows.iter().enumerate() {
        if line >= first + h {
            break;
        }
        let g = heading(i, r);
        if g != last_group {
            if line >= first {
                top.push(Line::from(Span::styled(g.to_string(), theme::dim())));
            }
            line += 1;
            last_group = g;
        }
        if line >= first && line < first + h {
            top.push(row_line(
                r,
                (rows.mark(&r.id), rows.tabs.get(&r.id).copied()),
                current,
                i == cursor,
                w,
                now_ms,
            ));
        }
        line += 1;
        if let Some(hit) = rows.text_hit(&r.id) {
            if line >= first && line < first + h {
                top.push(hit_line(hit, w));
            }
            line += 1;
        }
    }
    if rows.is_empty() && h > 0 {
        let none = if filter.is_empty() {
            "no sessions yet".to_string()
        } else if rows.searching() > 0 {
            searching_line(rows.searching())
        } else {
            "no matches".to_string()
        };
        top.push(Line::from(Span::styled(none, theme::hint())));
    }
    frame.render_widget(Paragraph::new(top), inner);
}

fn searching_line(n: usize) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("searching {n} session{s}…")
}

/// The line a hit was found in (untrusted: cleaned), dimmed, under its row: cut to `w`
/// cells with the match in view (`…` where it was cut).
fn hit_line(hit: &crate::model::session_text::TextHit, w: usize) -> Line<'static> {
    let room = w.saturating_sub(4);
    let from = hit.at.saturating_sub(room / 3);
    let rest: String = hit.line.chars().skip(from).collect();
    let mut text = crate::safe_text::one_line(rest.trim_end()).into_owned();
    if from > 0 {
        text.insert(0, '…');
    }
    let cut = wrap::truncate(&text, room);
    Line::from(vec![
        Span::styled("  ↳ ", theme::dim()),
        Span::styled(cut, theme::dim()),
    ])
}

/// The end of `s` in `room` cells, `…` first when its start is scrolled out.
fn tail_fit(s: &str, room: usize) -> String {
    if wrap::width(s) <= room {
        return s.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let w = wrap::width(c.encode_utf8(&mut [0; 4]));
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.reverse();
    std::iter::once('…').chain(out).collect()
}

/// One session's row: the shown one `▶`, its mark, its title, its tab number (Alt+N) when
/// it is open as a tab, its age.
fn row_line(
    r: &Row,
    (mark, tab): (Mark, Option<usize>),
    current: Option<&str>,
    selected: bool,
    w: usize,
    now_ms: u64,
) -> Line<'static> {
    let (m, ms) = match mark {
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
    let age = match tab {
        Some(n) if n < 10 => format!("#{n} {}", age(r.updated_ms, now_ms)),
        _ => age(r.updated_ms, now_ms),
    };
    let title_w = w.saturating_sub(5 + wrap::width(&age));
    let title = wrap::truncate(&crate::safe_text::one_line(&r.title), title_w);
    let pad = title_w.saturating_sub(wrap::width(&title));
    let style = if selected {
        theme::selected()
    } else {
        theme::base()
    };
    Line::from(vec![
        Span::styled(format!("{cur}{m} "), ms),
        Span::styled(title, style),
        Span::raw(" ".repeat(pad + 1)),
        Span::styled(age, theme::dim()),
    ])
}

#[cfg(test)]
mod group_tests {
    use super::group;

    /// 2026-11-24 12:01:40 UTC.
    const NOW: u64 = 1_795_521_700_000;
    const HOUR: u64 = 3_600_000;

    #[test]
    fn today_is_the_local_calendar_day() {
        assert_eq!(group(Some(NOW - 3 * HOUR), NOW, 0), "Today");
        assert_eq!(group(Some(NOW - 13 * HOUR), NOW, 0), "Earlier");
        // At 02:01 local time (UTC-10), three hours ago was yesterday evening.
        let utc_minus_10 = -10 * HOUR as i64;
        assert_eq!(group(Some(NOW - 3 * HOUR), NOW, utc_minus_10), "Earlier");
        assert_eq!(group(Some(NOW - HOUR), NOW, utc_minus_10), "Today");
        assert_eq!(group(None, NOW, 0), "Today");
    }
}
