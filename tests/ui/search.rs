//! Transcript search (Ctrl+F): the query bar, the "3 of 17" count, n / N moving between
//! matches and scrolling them into view, highlights (visible without colour), the history
//! not paged in asked for, Esc closing.

use crate::support::{bus, session_app};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::ui::testing::{ctrl, draw_app, draw_app_buffer, key, styled_text, type_text};
use ocw_tui::ui::theme::{self, Palette};
use ocw_tui::ui::{Action, App};
use serde_json::json;

const SID: &str = "ses_find";

/// Turn `i`: a prompt and an answer; turn 3's bash output holds "needle" on its 15th line
/// (collapsed: not shown until opened), turns 5 and 18 say "needle" in their text.
fn turn(app: &mut App, i: usize) {
    let (u, a) = (format!("msg_{i:03}u"), format!("msg_{i:03}v"));
    for (id, role) in [(&u, "user"), (&a, "assistant")] {
        bus(
            app,
            "message.updated",
            json!({"info": {"id": id, "sessionID": SID, "role": role}}),
        );
    }
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{i}u"), "messageID": u, "sessionID": SID, "type": "text", "text": format!("question {i}")}}),
    );
    let text = match i {
        5 => "the needle is here, and another Needle".to_string(),
        18 => "last needle".to_string(),
        _ => format!("answer {i}"),
    };
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{i}t"), "messageID": a, "sessionID": SID, "type": "text", "text": text}}),
    );
    if i == 3 {
        let out: String = (1..=20)
            .map(|n| {
                if n == 15 {
                    "found the needle\n".to_string()
                } else {
                    format!("line {n}\n")
                }
            })
            .collect();
        bus(
            app,
            "message.part.updated",
            json!({"part": {"id": "prt_3b", "messageID": a, "sessionID": SID, "type": "tool", "tool": "bash", "callID": "c3",
                "state": {"status": "completed", "input": {"command": "cat log"}, "output": out, "metadata": {"output": out, "exit": 0}}}}),
        );
    }
}

fn app(turns: std::ops::Range<usize>) -> App {
    let mut app = session_app(SID, 1_000_000);
    for i in turns {
        turn(&mut app, i);
    }
    app
}

const W: u16 = 70;
const H: u16 = 16;

fn search(app: &mut App, q: &str) -> Vec<Action> {
    draw_app(app, W, H);
    assert!(app.handle_key(ctrl('f')).is_empty());
    type_text(app, q);
    app.handle_key(key(KeyCode::Enter))
}

#[test]
fn ctrl_f_finds_counts_and_n_moves_between_matches() {
    let mut a = app(0..20);
    let out = search(&mut a, "needle");
    assert_eq!(
        out,
        vec![Action::LoadOlder {
            session_id: SID.into()
        }],
        "the history not paged in is asked for"
    );
    // From the bottom: the newest match is current.
    let s = draw_app(&a, W, H);
    assert!(s.contains("4 of 4"), "{s}");
    assert!(s.contains("last needle"), "{s}");
    // n wraps to the first: in the collapsed bash output, which opens and scrolls into view.
    a.handle_key(key(KeyCode::Char('n')));
    let s = draw_app(&a, W, H);
    assert!(s.contains("1 of 4"), "{s}");
    assert!(s.contains("found the needle"), "{s}");
    a.handle_key(key(KeyCode::Enter));
    let s = draw_app(&a, W, H);
    assert!(s.contains("2 of 4"), "{s}");
    assert!(s.contains("the needle is here"), "{s}");
    // N goes back; Shift+Enter too.
    a.handle_key(KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT));
    assert!(draw_app(&a, W, H).contains("1 of 4"));
    a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::SHIFT));
    assert!(draw_app(&a, W, H).contains("4 of 4"));
    // Nothing was typed into the prompt, nothing sent.
    assert!(a.input_text().is_empty());
    a.handle_key(key(KeyCode::Esc));
    let s = draw_app(&a, W, H);
    assert!(!s.contains("search:"), "{s}");
    assert!(!a.find_open() && a.view().search.is_none());
}

#[test]
fn no_match_says_so_and_other_keys_go_to_the_prompt() {
    let mut a = app(0..6);
    search(&mut a, "zebra");
    assert!(draw_app(&a, W, H).contains("no matches"));
    // Esc while typing closes; a letter after a search closes it and types.
    a.handle_key(key(KeyCode::Char('x')));
    assert!(!a.find_open());
    assert_eq!(a.input_text(), "x");
}

#[test]
fn history_paged_in_later_is_searched_too() {
    // Only the newest turns are loaded: 10..20.
    let mut a = app(10..20);
    search(&mut a, "needle");
    assert!(draw_app(&a, W, H).contains("1 of 1"));
    // The older history arrives (LoadOlder): the count grows, the current match stays.
    for i in 0..10 {
        turn(&mut a, i);
    }
    let s = draw_app(&a, W, H);
    assert!(s.contains("4 of 4"), "{s}");
    a.handle_key(key(KeyCode::Char('n')));
    assert!(draw_app(&a, W, H).contains("1 of 4"));
}

#[test]
fn snapshot_search_highlight_without_colour() {
    theme::with_palette(Palette::Mono, || {
        let mut a = app(0..20);
        search(&mut a, "needle");
        a.handle_key(key(KeyCode::Char('n')));
        a.handle_key(key(KeyCode::Char('n')));
        draw_app(&a, W, H);
        let buf = draw_app_buffer(&a, W, H);
        let styled = styled_text(&buf);
        // The current match is reversed, bold and underlined; the other one only reversed.
        assert!(styled.contains("«- - BUR»needle"), "{styled}");
        assert!(styled.contains("«- - R»Needle"), "{styled}");
        insta::assert_snapshot!(styled);
    });
}

#[test]
fn snapshot_search_bar_while_typing_and_browsing() {
    theme::with_palette(Palette::Dark, || {
        let mut a = app(0..20);
        draw_app(&a, W, H);
        a.handle_key(ctrl('f'));
        type_text(&mut a, "needle");
        insta::assert_snapshot!("typing", draw_app(&a, W, H));
        a.handle_key(key(KeyCode::Enter));
        a.handle_key(key(KeyCode::Char('n')));
        draw_app(&a, W, H);
        insta::assert_snapshot!("browsing", draw_app(&a, W, H));
    });
}
