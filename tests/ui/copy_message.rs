//! Copy a focused message: with the transcript scrolled up (PageUp), Ctrl+X Y and `/copy`
//! copy the answer at the top of the view, `/copy code` its last code block, and the note
//! names the turn; back at the bottom they copy the last answer again.

use crossterm::event::KeyCode;
use ocw_tui::model::Event;
use ocw_tui::ui::runtime::clipboard::{osc52, Wrap};
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

/// The turn-1 answer of `multi_turn` (a message every turn answers with the same hello).
const TURN1: &str = "msg_20d6f1369001gcs6nPhZtApyRl";
const W: u16 = 80;
const H: u16 = 14;

/// `multi_turn` (3 turns), the first answer given a code block after its hello.
fn app() -> App {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/multi_turn.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    let sid = app.session_id().unwrap().to_string();
    let raw = serde_json::json!({"type": "message.part.updated", "properties": {"sessionID": sid,
        "part": {"id": "prt_20d6f155d999code", "sessionID": sid, "messageID": TURN1,
            "type": "text", "text": "\n\n```sh\necho turn one\n```\n"}}});
    app.handle_input(UiInput::Bus(Event::parse(&raw.to_string()).unwrap()));
    draw_app(&app, W, H);
    app
}

fn turn1_text(app: &App) -> String {
    let s = app.store().session(app.session_id().unwrap()).unwrap();
    let m = s.messages.iter().find(|m| m.id == TURN1).unwrap();
    m.text().trim().to_string()
}

fn scroll_to_the_top(app: &mut App) {
    for _ in 0..30 {
        app.handle_key(key(KeyCode::PageUp));
        draw_app(app, W, H);
        if app.view().at_top() {
            return;
        }
    }
    panic!("PageUp never reached the top");
}

/// Ctrl+X Y: the OSC 52 sequences it asks the terminal to write.
fn copy_key(app: &mut App) -> Vec<Vec<u8>> {
    let mut acts = app.handle_key(ctrl('x'));
    acts.extend(app.handle_key(key(KeyCode::Char('y'))));
    copied(acts)
}

/// Enter on a typed `/copy…` line: the OSC 52 sequences it asks for.
fn copy_command(app: &mut App, line: &str) -> Vec<Vec<u8>> {
    type_text(app, line);
    copied(app.handle_key(key(KeyCode::Enter)))
}

fn copied(acts: Vec<Action>) -> Vec<Vec<u8>> {
    acts.into_iter()
        .filter_map(|a| match a {
            Action::Copy(bytes) => Some(bytes),
            _ => None,
        })
        .collect()
}

fn last_note(app: &App) -> String {
    app.notes().last().unwrap().text().to_string()
}

#[test]
fn scrolled_up_ctrl_x_y_copies_the_answer_at_the_top_and_names_its_turn() {
    let mut app = app();
    let last = app
        .store()
        .session(app.session_id().unwrap())
        .unwrap()
        .final_text();
    let turn1 = turn1_text(&app);
    assert_ne!(last, turn1);
    assert_eq!(copy_key(&mut app), vec![osc52(&last, Wrap::Plain).unwrap()]);
    assert!(last_note(&app).starts_with("copied the last answer"));

    scroll_to_the_top(&mut app);
    assert_eq!(
        copy_key(&mut app),
        vec![osc52(&turn1, Wrap::Plain).unwrap()]
    );
    let n = turn1.chars().count();
    assert_eq!(
        last_note(&app),
        format!("copied the answer of turn 1 ({n} characters)")
    );

    assert_eq!(
        copy_command(&mut app, "/copy"),
        vec![osc52(&turn1, Wrap::Plain).unwrap()]
    );

    // Back at the bottom (End follows again): the last answer once more.
    app.handle_key(key(KeyCode::End));
    draw_app(&app, W, H);
    assert_eq!(copy_key(&mut app), vec![osc52(&last, Wrap::Plain).unwrap()]);
}

#[test]
fn scrolled_up_copy_code_takes_the_block_of_the_answer_at_the_top() {
    let mut app = app();
    assert!(copy_command(&mut app, "/copy code").is_empty());
    assert_eq!(
        last_note(&app),
        "nothing copied: the last answer has no code block"
    );

    scroll_to_the_top(&mut app);
    assert_eq!(
        copy_command(&mut app, "/copy code"),
        vec![osc52("echo turn one", Wrap::Plain).unwrap()]
    );
    assert_eq!(
        last_note(&app),
        "copied the last code block of the answer of turn 1 (13 characters)"
    );
    insta::assert_snapshot!("copy_message_scrolled_up_80x14", draw_app(&app, W, H));
}

/// The text an OSC 52 sequence puts on the clipboard.
fn clipboard_text(bytes: &[u8]) -> String {
    use base64::Engine;
    let s = std::str::from_utf8(bytes).unwrap();
    let b64 = s
        .strip_prefix("\x1b]52;c;")
        .unwrap()
        .strip_suffix('\x07')
        .unwrap();
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    String::from_utf8(raw).unwrap()
}

#[test]
fn copy_never_puts_control_bytes_on_the_clipboard_and_says_what_it_removed() {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/multi_turn.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    let sid = app.session_id().unwrap().to_string();
    let last = app
        .store()
        .session(&sid)
        .unwrap()
        .messages
        .last()
        .unwrap()
        .id
        .clone();
    // A paste-jacking answer: the code block ends a bracketed paste and runs a command.
    let raw = serde_json::json!({"type": "message.part.updated", "properties": {"sessionID": sid,
        "part": {"id": "prt_20d6f155d999evil", "sessionID": sid, "messageID": last,
            "type": "text",
            "text": "\n\n```sh\necho safe\x1b[201~\ntouch /tmp/pwned\x07\u{202e}\n```\n"}}});
    app.handle_input(UiInput::Bus(Event::parse(&raw.to_string()).unwrap()));
    draw_app(&app, W, H);
    let sent = copy_command(&mut app, "/copy code");
    assert_eq!(sent.len(), 1);
    let copied = clipboard_text(&sent[0]);
    assert_eq!(copied, "echo safe\ntouch /tmp/pwned");
    assert_eq!(
        last_note(&app),
        "copied the last code block of the last answer (26 characters; 3 control characters removed)"
    );
    // The whole answer too: nothing but printable text, tabs and newlines.
    let copied = clipboard_text(&copy_key(&mut app)[0]);
    assert!(copied.contains("touch /tmp/pwned"), "{copied:?}");
    assert!(
        !copied
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "{copied:?}"
    );
    assert!(last_note(&app).ends_with("3 control characters removed)"));
}
