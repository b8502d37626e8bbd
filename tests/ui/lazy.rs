//! Lazy transcript layout: a frame lays out only the messages it shows, estimates the
//! others, and still shows exactly the lines a full layout gives, wherever it is scrolled,
//! after paging across estimated messages, after a resize and while output streams in.

use crate::support::ev;
use ocw_tui::model::Store;
use ocw_tui::ui::testing::buffer_text;
use ocw_tui::ui::transcript::{self, LayoutCache};
use ocw_tui::ui::ViewState;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::json;

const SID: &str = "ses_lazy";

fn message(store: &mut Store, id: &str, role: &str) {
    store.apply(&ev(
        "message.updated",
        json!({"info": {"id": id, "sessionID": SID, "role": role}}),
    ));
}

fn text(store: &mut Store, msg: &str, part: &str, text: &str) {
    store.apply(&ev(
        "message.part.updated",
        json!({"part": {"id": part, "messageID": msg, "sessionID": SID, "type": "text", "text": text}}),
    ));
}

/// `n` turns of varied size (a few lines to a few screens), every line unique.
fn store(n: usize) -> Store {
    let mut s = Store::new();
    for m in 0..n {
        let u = format!("msg_{m:05}_a");
        message(&mut s, &u, "user");
        text(&mut s, &u, &format!("{u}_p"), &format!("question {m}"));
        let a = format!("msg_{m:05}_b");
        message(&mut s, &a, "assistant");
        let mut body = String::new();
        for i in 0..(m * 7) % 40 + 1 {
            match i % 9 {
                0 => body.push_str(&format!("\n## m{m} heading {i}\n\n")),
                4 => body.push_str(&format!(
                    "\n```\nlet m{m}_{i} = {i};\n    indented();\n```\n\n"
                )),
                _ => body.push_str(&format!(
                    "- m{m} item {i}: words that wrap at narrow widths, more words here {i}\n"
                )),
            }
        }
        text(&mut s, &a, &format!("{a}_p"), &body);
    }
    s
}

fn draw(store: &Store, view: &ViewState, cache: &LayoutCache, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| transcript::render(f, f.area(), store, view, cache, &[]))
        .expect("draw");
    buffer_text(t.backend().buffer())
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every line of the transcript at width `w`: one pass lays every message out (all
/// heights exact), a second collects consecutive windows (but their last rows, which
/// carry the "more lines" label). (A buffer holds at most 65,535
/// cells, so one tall view cannot show it all.)
fn reference(store: &Store, w: u16) -> Vec<String> {
    let h = (u16::MAX / w).min(1000);
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    view.scroll_to_top();
    draw(store, &view, &cache, w, h);
    while !view.following() {
        view.scroll_by(h as isize);
        draw(store, &view, &cache, w, h);
    }
    view.scroll_to_top();
    let mut lines: Vec<String> = Vec::new();
    loop {
        let rows = draw(store, &view, &cache, w, h);
        let (total, _, top) = view.metrics();
        let skip = lines.len() - top;
        if top + h as usize >= total {
            lines.extend(rows[skip..total - top].iter().cloned());
            return lines;
        }
        // The last row carries the "more lines" label.
        lines.extend(rows[skip..h as usize - 1].iter().cloned());
        view.scroll_by(h as isize - 1);
    }
}

/// Where `screen` (without its last row, which may carry the "more lines" label) sits in
/// `reference`.
fn position(reference: &[String], screen: &[String]) -> usize {
    let probe = &screen[..screen.len() - 1];
    let hits: Vec<usize> = (0..=reference.len().saturating_sub(probe.len()))
        .filter(|&i| reference[i..i + probe.len()] == *probe)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "screen found once in the full layout: {screen:#?}"
    );
    hits[0]
}

/// `screen` (but its last row) is the full layout from line `at`.
fn shows(reference: &[String], screen: &[String], at: usize) {
    let n = screen.len() - 1;
    assert_eq!(screen[..n], reference[at..at + n], "the lines from {at}");
}

#[test]
fn the_first_frame_lays_out_only_the_end() {
    let s = store(150);
    let full = reference(&s, 70);
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    let screen = draw(&s, &view, &cache, 70, 20);
    assert_eq!(screen, full[full.len() - 20..], "the end, exactly");
    assert!(
        cache.layouts() <= 6,
        "{} messages laid out for one screen",
        cache.layouts()
    );
}

#[test]
fn paging_across_estimated_messages_moves_exact_lines() {
    let s = store(120);
    let full = reference(&s, 60);
    let h = 15;
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    let mut screen = draw(&s, &view, &cache, 60, h);
    let mut at = full.len() - h as usize;
    // Up to the top, one page (h - 2 lines) at a time.
    while at > 0 {
        view.page_up();
        screen = draw(&s, &view, &cache, 60, h);
        at = at.saturating_sub(h as usize - 2);
        shows(&full, &screen, at);
    }
    assert_eq!(screen[..h as usize - 1], full[..h as usize - 1], "the top");
    let laid_out = cache.layouts();
    // And down to the end again.
    while at + (h as usize) < full.len() {
        view.page_down();
        screen = draw(&s, &view, &cache, 60, h);
        if at + 2 * (h as usize) - 2 >= full.len() {
            assert_eq!(screen, full[full.len() - h as usize..], "the end");
            break;
        }
        at += h as usize - 2;
        shows(&full, &screen, at);
    }
    assert!(view.following(), "back at the bottom: following again");
    assert_eq!(cache.layouts(), laid_out, "nothing laid out twice");
}

#[test]
fn home_shows_the_first_lines_without_laying_out_the_rest() {
    let s = store(150);
    let full = reference(&s, 80);
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    draw(&s, &view, &cache, 80, 20);
    view.scroll_to_top();
    let screen = draw(&s, &view, &cache, 80, 20);
    assert_eq!(screen[..19], full[..19]);
    assert!(cache.layouts() <= 12, "{} laid out", cache.layouts());
}

#[test]
fn a_resize_keeps_the_top_message_and_lays_out_only_the_screen() {
    let s = store(150);
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    draw(&s, &view, &cache, 100, 20);
    view.scroll_by(-2000);
    let before = draw(&s, &view, &cache, 100, 20);
    let first_msg = |screen: &[String]| {
        screen
            .iter()
            .find_map(|l| {
                let i = l.find(" m")?;
                let rest = &l[i + 2..];
                let end = rest.find(|c: char| !c.is_ascii_digit())?;
                rest[..end].parse::<usize>().ok()
            })
            .expect("a message number on screen")
    };
    let was = first_msg(&before);
    let laid = cache.layouts();
    let after = draw(&s, &view, &cache, 50, 20);
    assert_eq!(
        first_msg(&after),
        was,
        "same message on top after the resize"
    );
    assert!(
        cache.layouts() - laid <= 6,
        "{} laid out by the resize",
        cache.layouts() - laid
    );
    let full = reference(&s, 50);
    position(&full, &after);
}

#[test]
fn streaming_at_the_bottom_follows_while_history_stays_estimated() {
    let mut s = store(200);
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    draw(&s, &view, &cache, 70, 12);
    message(&mut s, "msg_99999_a", "assistant");
    let mut body = String::new();
    for i in 0..60 {
        body.push_str(&format!("streamed line {i}\n\n"));
        text(&mut s, "msg_99999_a", "prt_stream", &body);
        let screen = draw(&s, &view, &cache, 70, 12);
        assert!(
            screen.iter().any(|l| l == &format!("streamed line {i}")),
            "{screen:#?}"
        );
    }
    assert!(cache.layouts() < 80, "{} laid out", cache.layouts());
}

/// Regression: a message laid out while empty (no room at the end of the transcript)
/// then aborted was never laid out again, so "interrupted" did not show.
#[test]
fn an_empty_message_at_the_end_shows_what_it_gets_later() {
    let mut s = store(3);
    let view = ViewState::new(Some(SID.into()));
    let cache = LayoutCache::default();
    message(&mut s, "msg_99999_a", "assistant");
    draw(&s, &view, &cache, 70, 12);
    s.apply(&ev(
        "message.updated",
        json!({"info": {"id": "msg_99999_a", "sessionID": SID, "role": "assistant",
            "error": {"name": "MessageAbortedError", "data": {"message": "aborted"}}}}),
    ));
    let screen = draw(&s, &view, &cache, 70, 12);
    assert!(
        screen.iter().any(|l| l.contains("interrupted")),
        "{screen:#?}"
    );
}
