//! Untrusted text never reaches the terminal as control sequences (proptest over every
//! renderer). Recorded opencode 1.18.33 logs have every displayed string (text, deltas,
//! reasoning, tool titles, inputs, outputs and diffs, session titles, file paths,
//! permission patterns and commands, question texts and options, error messages, agent
//! and model names) replaced by an arbitrary hostile string; the TUI (transcript with
//! every tool and reasoning expanded, the session list, the permission and question
//! dialogs, the status bar) and the replay view are drawn on a `TestBackend`, and no cell
//! may hold a control or bidi character: checked on the buffer as the renderers leave it,
//! before the frame scrub. A renderer that forgot to clean is caught by the scrub.
//!
//! `OCW_FUZZ_CASES=N` sets the cases per property (default 40: each case draws six logs
//! many times over).

use ocw_tui::model::Event;
use ocw_tui::replay::{ReplayView, Timeline};
use ocw_tui::safe_text::{needs_care, scrub_buffer};
use ocw_tui::ui::testing::{buffer_text, ctrl};
use ocw_tui::ui::{App, UiInput, UiOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use ratatui::Terminal;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/opencode-1.18.33";
const LOGS: &[&str] = &[
    "bash_once.jsonl",
    "question.jsonl",
    "question_multi.jsonl",
    "write_edit.jsonl",
    "reasoning.jsonl",
    "provider_error.jsonl",
];

/// Keys whose string values (or arrays of strings) are shown on screen.
const SHOWN: &[&str] = &[
    "text",
    "delta",
    "title",
    "output",
    "command",
    "description",
    "filePath",
    "filepath",
    "patterns",
    "always",
    "permission",
    "question",
    "header",
    "label",
    "message",
    "diff",
    "content",
    "agent",
    "modelID",
    "tool",
    "subagent_type",
    "pattern",
    "url",
];

fn cases() -> u32 {
    std::env::var("OCW_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(40)
}

/// Pieces of hostile strings: every C0, DEL, C1 and bidi control, whole sequences
/// (OSC title and clipboard, screen clear, SGR), and ordinary text around them.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        Just("\x7f".to_string()),
        (0x80u32..0xa0).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        prop::sample::select(vec![
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}'
        ])
        .prop_map(|c| c.to_string()),
        prop::sample::select(vec![
            "\x1b]0;pwned\x07",
            "\x1b]52;c;cm0gLXJmIH4K\x07",
            "\x1b[2J\x1b[H",
            "\x1b[31mred\x1b[0m",
            "\u{9b}2J",
            "\r\n",
            "\t",
            "word ",
            "日本",
            "é",
            "**b**",
            "`c`",
            "\n\n",
            "- ",
        ])
        .prop_map(str::to_string),
        "[a-z ]{0,12}",
    ];
    prop::collection::vec(piece, 1..24).prop_map(|v| v.concat())
}

/// Replaces every shown string of `v` with `s` (ids, types and numbers are kept).
fn poison(v: &mut Value, s: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if SHOWN.contains(&k.as_str()) {
                    match x {
                        Value::String(t) => *t = format!("{t}{s}"),
                        Value::Array(a) => {
                            for e in a.iter_mut() {
                                if let Value::String(t) = e {
                                    *t = format!("{t}{s}");
                                } else {
                                    poison(e, s);
                                }
                            }
                        }
                        other => poison(other, s),
                    }
                } else {
                    poison(x, s);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|e| poison(e, s)),
        _ => {}
    }
}

fn poisoned_log(name: &str, s: &str) -> Vec<String> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect("fixture");
    text.lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).expect("fixture line");
            poison(&mut v, s);
            v.to_string()
        })
        .collect()
}

/// The first cell holding a control or bidi character: (x, y, symbol).
fn bad_cell(buf: &Buffer) -> Option<(u16, u16, String)> {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            if sym.chars().any(needs_care) {
                return Some((x, y, sym.to_string()));
            }
        }
    }
    None
}

fn assert_clean(buf: &Buffer, what: &str, s: &str) {
    if let Some((x, y, sym)) = bad_cell(buf) {
        panic!(
            "{what}: cell ({x},{y}) holds {sym:?} for input {s:?}\n{}",
            buffer_text(buf)
        );
    }
}

/// Draws the app (renderers only, no scrub) and checks every cell.
fn check_app(app: &App, what: &str, s: &str) {
    for (w, h) in [(80u16, 30u16), (37, 14)] {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| ocw_tui::ui::render(app, f)).unwrap();
        assert_clean(t.backend().buffer(), what, s);
    }
}

/// The TUI over `lines`: stopped before the first event named `stop` (so its dialog is
/// open), every tool output and reasoning expanded, then the session list open.
fn tui(lines: &[String], stop: Option<&str>, name: &str, s: &str) {
    let kind = |l: &str| serde_json::from_str::<Value>(l).map(|v| v["type"].clone());
    let events: Vec<Event> = lines
        .iter()
        .take_while(|l| !stop.is_some_and(|t| kind(l).is_ok_and(|k| k == t)))
        .filter_map(|l| Event::parse(l).ok())
        .collect();
    let mut app = App::new(UiOptions::default());
    app.pin_clock(1_795_521_700_000);
    app.handle_input(UiInput::Connection(ocw_tui::ui::ConnectionState::Connected));
    if let Some(sid) = events
        .iter()
        .find_map(|e| e.session_id().map(str::to_string))
    {
        app.handle_input(UiInput::ShowSession(sid));
    }
    for e in events {
        app.handle_input(UiInput::Bus(e));
    }
    check_app(&app, &format!("{name} (stop {stop:?})"), s);
    app.handle_key(ctrl('o'));
    app.handle_key(ctrl('g'));
    check_app(&app, &format!("{name} expanded"), s);
    app.handle_key(ctrl('s'));
    check_app(&app, &format!("{name} session list"), s);
}

fn replay(lines: &[String], name: &str, s: &str) {
    let log = lines.join("\n");
    let t = Timeline::load(ocw_tui::log::LogReader::new(log.as_bytes())).expect("timeline");
    let n = t.len();
    let mut v = ReplayView::new(t, 1.0, true);
    // Every position: dialogs are open while their request waits.
    for pos in 0..=n {
        v.seek(pos);
        let mut term = Terminal::new(TestBackend::new(70, 20)).unwrap();
        term.draw(|f| v.render(f)).unwrap();
        assert_clean(
            term.backend().buffer(),
            &format!("replay {name} at {pos}"),
            s,
        );
    }
}

fn run(name: &str, test: impl Fn(String)) {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&hostile(), |s| {
        test(s);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn no_control_character_reaches_a_cell_of_the_tui() {
    run("tui", |s| {
        for name in LOGS {
            let lines = poisoned_log(name, &s);
            tui(&lines, None, name, &s);
            tui(&lines, Some("permission.replied"), name, &s);
            tui(&lines, Some("question.replied"), name, &s);
        }
    });
}

#[test]
fn no_control_character_reaches_a_cell_of_the_replay() {
    run("replay", |s| {
        for name in LOGS {
            replay(&poisoned_log(name, &s), name, &s);
        }
    });
}

#[test]
fn the_frame_scrub_catches_a_renderer_that_forgot_to_clean() {
    run("scrub", |s| {
        let mut t = Terminal::new(TestBackend::new(30, 3)).unwrap();
        t.draw(|f| {
            // Raw spans: ratatui appends a zero-width control to the previous cell.
            f.render_widget(Paragraph::new(Span::raw(s.clone())), f.area());
            scrub_buffer(f.buffer_mut());
        })
        .unwrap();
        assert_clean(t.backend().buffer(), "scrubbed raw paragraph", &s);
    });
}

#[test]
fn controls_in_an_answer_show_visibly() {
    let s = "\x1b]0;pwned\x07 \u{202E}evil";
    let lines = poisoned_log("hello.jsonl", s);
    let events: Vec<Event> = lines.iter().filter_map(|l| Event::parse(l).ok()).collect();
    let app = ocw_tui::ui::testing::app_from_events(&events, UiOptions::default(), |_| false);
    let screen = ocw_tui::ui::testing::draw_app(&app, 120, 30);
    assert!(
        screen.contains("␛]0;pwned␇ ⟨U+202E⟩evil"),
        "the sequence is shown, not run:\n{screen}"
    );
}

#[test]
fn the_permission_dialog_shows_a_long_hostile_command_whole() {
    let cmd = format!("\u{202E}gnp.exe \x1b[2J\trm {} end", "x".repeat(150));
    let text = std::fs::read_to_string(format!("{FIXTURES}/bash_once.jsonl")).unwrap();
    let mut events = Vec::new();
    for l in text.lines() {
        let mut v: Value = serde_json::from_str(l).unwrap();
        if v["type"] == "permission.replied" {
            break;
        }
        if v["type"] == "permission.asked" {
            v["properties"]["metadata"]["command"] = Value::from(cmd.clone());
            v["properties"]["patterns"] = serde_json::json!([cmd.clone()]);
        }
        events.extend(Event::parse(&v.to_string()).ok());
    }
    let app = ocw_tui::ui::testing::app_from_events(&events, UiOptions::default(), |_| false);
    let screen = ocw_tui::ui::testing::draw_app(&app, 60, 40);
    assert!(screen.contains("Permission: bash"), "{screen}");
    assert!(
        screen.contains("$ ⟨U+202E⟩gnp.exe ␛[2J    rm xxx"),
        "the override and the escape are visible, the tab expanded:\n{screen}"
    );
    // Wrapped, never cut: every x of the command and of its pattern is on screen.
    // 150 x and the one of `gnp.exe`, in the command and in its pattern.
    assert_eq!(screen.matches('x').count(), 2 * (150 + 1), "{screen}");
    assert_eq!(screen.matches(" end").count(), 2, "{screen}");
}
