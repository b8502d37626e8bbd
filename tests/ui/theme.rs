//! Colours: the dark and light palettes drawn side by side (snapshots with the style of
//! every cell), and `NO_COLOR` (mono): no colour anywhere, yet every selection (the
//! permission button, the question option, the session-list row, the focused tool call)
//! still stands out in reverse video.

use crate::support::{bus, session_app};
use crossterm::event::KeyCode;
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{
    app_from_events, ctrl, draw_app_buffer, fixture_events, key, styled_text,
};
use ocw_tui::ui::theme::{with_palette, Palette};
use ocw_tui::ui::{App, UiInput, UiOptions};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use serde_json::json;

const DIR: &str = "tests/fixtures/opencode-1.18.33";
const SID: &str = "ses_main";

/// A turn with Markdown (heading, inline code, a Rust block) and a bash call with output.
pub(crate) fn rich_app() -> App {
    let mut a = session_app(SID, 1_000_000);
    bus(
        &mut a,
        "session.updated",
        json!({"info": {"id": SID, "title": "Colours"}}),
    );
    bus(
        &mut a,
        "message.updated",
        json!({"info": {"id": "msg_1", "sessionID": SID, "role": "user", "time": {"created": 990_000}}}),
    );
    bus(
        &mut a,
        "message.part.updated",
        json!({"part": {"id": "p1", "messageID": "msg_1", "sessionID": SID, "type": "text", "text": "show me"}}),
    );
    bus(
        &mut a,
        "message.updated",
        json!({"info": {"id": "msg_2", "sessionID": SID, "role": "assistant"}}),
    );
    bus(
        &mut a,
        "message.part.updated",
        json!({"part": {"id": "p2", "messageID": "msg_2", "sessionID": SID, "type": "tool", "tool": "bash", "callID": "c1",
            "state": {"status": "completed", "input": {"command": "ls"}, "output": "a.rs\nb.rs\n", "metadata": {"output": "a.rs\nb.rs\n", "exit": 0}}}}),
    );
    bus(
        &mut a,
        "message.part.updated",
        json!({"part": {"id": "p3", "messageID": "msg_2", "sessionID": SID, "type": "text",
            "text": "## Result\n\nRun `cargo test`:\n\n```rust\nfn main() {\n    let x = 1;\n}\n```\n"}}),
    );
    a.handle_key(ctrl('o'));
    a
}

fn cells(buf: &Buffer) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    buf.content.iter()
}

#[test]
fn dark_and_light_snapshots() {
    let a = rich_app();
    let dark = with_palette(Palette::Dark, || draw_app_buffer(&a, 60, 22));
    let a = rich_app();
    let light = with_palette(Palette::Light, || draw_app_buffer(&a, 60, 22));
    insta::assert_snapshot!("dark", styled_text(&dark));
    insta::assert_snapshot!("light", styled_text(&light));

    // What was unreadable on a light background: the dark syntax theme's pale true
    // colours, light grey tool output and a forced black status bar.
    let pale =
        |c: Color| matches!(c, Color::Rgb(r, g, b) if (r as u32 + g as u32 + b as u32) > 3 * 170);
    assert!(
        cells(&dark).any(|c| pale(c.fg)),
        "the dark theme has pale code"
    );
    assert!(!cells(&light).any(|c| pale(c.fg)), "no pale text on light");
    assert!(!cells(&light).any(|c| c.fg == Color::Gray || c.bg == Color::Black));
    assert!(
        cells(&light).any(|c| matches!(c.fg, Color::Rgb(..))),
        "code is highlighted"
    );
}

/// No cell has a colour: only attributes.
fn assert_colourless(buf: &Buffer) {
    for c in cells(buf) {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{:?}", c);
    }
}

/// The text of the cells drawn in reverse video, row by row.
fn reversed_text(buf: &Buffer) -> Vec<String> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let row: String = (0..buf.area.width)
            .map(|x| &buf[(x, y)])
            .filter(|c| c.modifier.contains(Modifier::REVERSED))
            .map(|c| c.symbol())
            .collect();
        if !row.trim().is_empty() {
            out.push(row.trim().to_string());
        }
    }
    out
}

/// The fixture up to the reply: its dialog waits.
fn pending(name: &str) -> App {
    let events = fixture_events(&format!("{DIR}/{name}.jsonl"));
    app_from_events(&events, UiOptions::default(), |e| {
        matches!(
            e,
            Event::PermissionReplied { .. } | Event::QuestionReplied { .. }
        )
    })
}

#[test]
fn no_color_permission_button_under_the_cursor_is_reversed() {
    with_palette(Palette::Mono, || {
        let mut a = pending("bash_once");
        let buf = draw_app_buffer(&a, 100, 24);
        assert_colourless(&buf);
        let rev = reversed_text(&buf);
        assert!(rev.iter().any(|r| r == "allow once"), "{rev:?}");
        a.handle_key(key(KeyCode::Right));
        let rev = reversed_text(&draw_app_buffer(&a, 100, 24));
        assert!(rev.iter().any(|r| r == "allow always"), "{rev:?}");
        assert!(!rev.iter().any(|r| r.contains("allow once")), "{rev:?}");
    });
}

#[test]
fn no_color_question_option_under_the_cursor_is_reversed() {
    with_palette(Palette::Mono, || {
        let mut a = pending("question");
        let buf = draw_app_buffer(&a, 90, 24);
        assert_colourless(&buf);
        let first = reversed_text(&buf);
        a.handle_key(key(KeyCode::Down));
        let second = reversed_text(&draw_app_buffer(&a, 90, 24));
        assert!(!first.is_empty() && !second.is_empty());
        assert_ne!(first, second, "the marked option follows the cursor");
    });
}

#[test]
fn no_color_session_row_and_focused_tool_are_reversed() {
    with_palette(Palette::Mono, || {
        let mut a = rich_app();
        draw_app_buffer(&a, 60, 22);
        a.handle_key(key(KeyCode::Tab));
        let buf = draw_app_buffer(&a, 60, 22);
        assert_colourless(&buf);
        let rev = reversed_text(&buf);
        assert!(
            rev.iter().any(|r| r.contains("$ ls")),
            "focused tool: {rev:?}"
        );

        a.handle_key(key(KeyCode::Esc));
        a.handle_input(UiInput::Sessions(vec![
            serde_json::from_value(json!({"id": SID, "title": "Colours"})).unwrap(),
            serde_json::from_value(json!({"id": "ses_2", "title": "Other one"})).unwrap(),
        ]));
        a.handle_key(ctrl('s'));
        let buf = draw_app_buffer(&a, 90, 22);
        assert_colourless(&buf);
        assert!(reversed_text(&buf).iter().any(|r| r == "Colours"));
        a.handle_key(key(KeyCode::Down));
        let rev = reversed_text(&draw_app_buffer(&a, 90, 22));
        assert!(rev.iter().any(|r| r == "Other one"), "{rev:?}");
    });
}

/// The fixture just before its first request, a key typed, then the request: the dialog
/// came while the person typed, so the prompt keeps the keys.
fn typing_when_asked(name: &str) -> App {
    let events = fixture_events(&format!("{DIR}/{name}.jsonl"));
    let at = events
        .iter()
        .position(|e| matches!(e, Event::PermissionAsked(_)))
        .expect("a request");
    let mut a = app_from_events(&events[..at], UiOptions::default(), |_| false);
    a.handle_key(key(KeyCode::Char('x')));
    a.handle_input(UiInput::Bus(events[at].clone()));
    a
}

/// The last `n` rows of a styled screen (the dialog's hint and keys, the prompt).
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Issue 15: the focus indicator in every palette. With the dialog focused its keys are
/// lit and the prompt's border is plain, without a cursor; with the prompt focused its
/// border is bright with a cursor, and the dialog says "Tab answers this".
#[test]
fn the_focus_indicator_in_dark_light_and_no_color() {
    for (palette, name) in [
        (Palette::Dark, "dark"),
        (Palette::Light, "light"),
        (Palette::Mono, "mono"),
    ] {
        with_palette(palette, || {
            let dialog = pending("bash_once");
            let prompt = typing_when_asked("bash_once");
            let d = draw_app_buffer(&dialog, 80, 24);
            let p = draw_app_buffer(&prompt, 80, 24);
            let (ds, ps) = (styled_text(&d), styled_text(&p));
            assert!(ds.contains("the dialog above has the keys"), "{ds}");
            assert!(ps.contains("your prompt has the keys"), "{ps}");
            assert!(ps.contains("Tab answers this"), "{ps}");
            // The prompt's cursor (reverse video) only when the prompt has the keys.
            let cursor_in_prompt = |buf: &Buffer| {
                (21..23).any(|y| (1..79).any(|x| buf[(x, y)].modifier.contains(Modifier::REVERSED)))
            };
            assert!(cursor_in_prompt(&p), "{name}: the prompt shows its cursor");
            assert!(
                !cursor_in_prompt(&d),
                "{name}: no cursor while the dialog has the keys"
            );
            if palette == Palette::Mono {
                assert_colourless(&d);
                assert_colourless(&p);
            } else {
                // The prompt's border is brighter when it has the keys.
                assert_ne!(d[(0, 21)].fg, p[(0, 21)].fg, "{name}: the border changes");
            }
            insta::assert_snapshot!(
                format!("focus_{name}"),
                format!(
                    "dialog has the keys:\n{}\n\nprompt has the keys:\n{}",
                    tail(&ds, 6),
                    tail(&ps, 6)
                )
            );
        });
    }
}
