//! The line-editing keys (issue 18): the prompt edits like readline and opencode (Ctrl+U /
//! K / W, Ctrl+A / E, Alt+B / F / D / Backspace, Ctrl+Left / Right, Ctrl+Y yank, Ctrl+_
//! undo typing, Ctrl+Alt+_ redo), attachment tokens are deleted whole (an undo brings the
//! attachment back with its token), and every text field takes the same
//! keys.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::ui::testing::{alt, app_from_events, ctrl, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiOptions};

fn idle() -> App {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    app_from_events(&events, UiOptions::default(), |_| false)
}

fn ctrl_key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::CONTROL)
}

/// Types a marker at the cursor and returns the text (to see where the cursor is), then
/// takes the marker out again.
fn cursor_mark(app: &mut App) -> String {
    app.handle_key(key(KeyCode::Char('|')));
    let t = app.input_text();
    app.handle_key(key(KeyCode::Backspace));
    t
}

fn sent_text(out: &[Action]) -> String {
    match out {
        [Action::Prompt { text, .. }] => text.clone(),
        _ => panic!("one prompt: {out:?}"),
    }
}

#[test]
fn the_prompt_moves_like_readline() {
    let mut app = idle();
    type_text(&mut app, "fix the bug now");
    app.handle_key(ctrl('a'));
    assert_eq!(
        cursor_mark(&mut app),
        "|fix the bug now",
        "Ctrl+A: line start"
    );
    app.handle_key(alt(KeyCode::Char('f')));
    assert_eq!(
        cursor_mark(&mut app),
        "fix| the bug now",
        "Alt+F: word forward"
    );
    app.handle_key(ctrl_key(KeyCode::Right));
    assert_eq!(cursor_mark(&mut app), "fix the| bug now", "Ctrl+Right");
    app.handle_key(ctrl('e'));
    assert_eq!(
        cursor_mark(&mut app),
        "fix the bug now|",
        "Ctrl+E: line end"
    );
    app.handle_key(alt(KeyCode::Char('b')));
    assert_eq!(
        cursor_mark(&mut app),
        "fix the bug |now",
        "Alt+B: word back"
    );
    app.handle_key(ctrl_key(KeyCode::Left));
    assert_eq!(cursor_mark(&mut app), "fix the |bug now", "Ctrl+Left");
}

#[test]
fn the_prompt_deletes_like_readline_and_yanks_back() {
    let mut app = idle();
    type_text(&mut app, "git commit --amend now");
    app.handle_key(ctrl('w'));
    assert_eq!(app.input_text(), "git commit --amend ", "Ctrl+W: word back");
    app.handle_key(alt(KeyCode::Backspace));
    assert_eq!(app.input_text(), "git commit --", "Alt+Backspace");
    app.handle_key(ctrl('a'));
    app.handle_key(alt(KeyCode::Char('d')));
    assert_eq!(app.input_text(), " commit --", "Alt+D: word forward");
    app.handle_key(ctrl('k'));
    assert_eq!(app.input_text(), "", "Ctrl+K: to the end");
    app.handle_key(ctrl('y'));
    assert_eq!(
        app.input_text(),
        " commit --",
        "Ctrl+Y: yank what Ctrl+K took"
    );
    app.handle_key(ctrl_key(KeyCode::Left));
    app.handle_key(ctrl('u'));
    assert_eq!(app.input_text(), "commit --", "Ctrl+U: to the line start");
    // Ctrl+U no longer undoes a keystroke; Ctrl+_ does.
    app.handle_key(ctrl('_'));
    assert_eq!(app.input_text(), " commit --", "Ctrl+_ undoes the Ctrl+U");
    app.handle_key(ctrl('7'));
    assert_eq!(
        app.input_text(),
        "",
        "Ctrl+_ as the terminal sends it (0x1F)"
    );
    // Ctrl+Z edits nothing (it suspends).
    type_text(&mut app, "keep");
    app.handle_key(ctrl('z'));
    assert_eq!(app.input_text(), "keep");
}

#[test]
fn the_prompt_edits_on_the_cursor_line_of_a_multi_line_prompt() {
    let mut app = idle();
    type_text(&mut app, "first line");
    app.handle_key(alt(KeyCode::Enter));
    type_text(&mut app, "second line");
    app.handle_key(ctrl('u'));
    assert_eq!(app.input_text(), "first line\n");
    app.handle_key(key(KeyCode::Backspace));
    assert_eq!(
        app.input_text(),
        "first line",
        "Backspace at a line start joins"
    );
}

#[test]
fn backspace_into_a_long_paste_token_deletes_it_whole_and_drops_the_paste() {
    let mut app = idle();
    let pasted: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    type_text(&mut app, "explain ");
    app.handle_event(TermEvent::Paste(pasted));
    assert_eq!(app.input_text(), "explain [Pasted 30 lines]");
    app.handle_key(key(KeyCode::Backspace));
    assert_eq!(app.input_text(), "explain ", "the token goes whole");
    assert_eq!(app.attached_count(), 0, "and its paste with it");
    type_text(&mut app, "this");
    assert_eq!(
        sent_text(&app.handle_key(key(KeyCode::Enter))),
        "explain this"
    );
}

#[test]
fn delete_and_ctrl_w_into_an_image_token_delete_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("shot.png");
    std::fs::write(&png, b"\x89PNG\r\n").unwrap();
    let mut app = idle();
    type_text(&mut app, "see ");
    app.handle_event(TermEvent::Paste(png.display().to_string()));
    type_text(&mut app, "ok");
    assert_eq!(app.input_text(), "see [Image 1] ok");
    // Delete with the cursor on the token's first character.
    app.handle_key(ctrl('a'));
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Right));
    }
    app.handle_key(key(KeyCode::Delete));
    assert_eq!(app.input_text(), "see  ok");
    assert_eq!(app.attached_count(), 0);
    // Ctrl+W right after a token.
    app.clear_input();
    type_text(&mut app, "see ");
    app.handle_event(TermEvent::Paste(png.display().to_string()));
    app.handle_key(key(KeyCode::Backspace)); // the space after the token
    app.handle_key(ctrl('w'));
    assert_eq!(app.input_text(), "see ");
    assert_eq!(app.attached_count(), 0);
    // A backspace in the middle of the token takes it all too.
    app.handle_event(TermEvent::Paste(png.display().to_string()));
    app.handle_key(alt(KeyCode::Char('b')));
    app.handle_key(key(KeyCode::Backspace));
    assert_eq!(app.input_text(), "see  ");
}

fn undo_key() -> KeyEvent {
    ctrl_key(KeyCode::Char('_'))
}

fn redo_key() -> KeyEvent {
    KeyEvent::new(
        KeyCode::Char('_'),
        KeyModifiers::CONTROL | KeyModifiers::ALT,
    )
}

#[test]
fn undo_after_deleting_a_paste_token_brings_the_paste_back_and_redo_takes_it_again() {
    let mut app = idle();
    let pasted: String = (1..=30).map(|i| format!("line {i}\n")).collect();
    type_text(&mut app, "explain ");
    app.handle_event(TermEvent::Paste(pasted.clone()));
    app.handle_key(key(KeyCode::Backspace));
    assert_eq!(app.attached_count(), 0);
    app.handle_key(undo_key());
    assert_eq!(app.input_text(), "explain [Pasted 30 lines]");
    assert_eq!(app.attached_count(), 1, "the paste is back with its token");
    app.handle_key(redo_key());
    assert_eq!(app.input_text(), "explain ");
    assert_eq!(app.attached_count(), 0, "redo deletes it again");
    app.handle_key(undo_key());
    // Enter sends what the token stands for, not the token's text.
    let text = sent_text(&app.handle_key(key(KeyCode::Enter)));
    assert_eq!(text, format!("explain {pasted}"));
}

#[test]
fn undo_after_deleting_an_image_token_sends_the_image_again() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("shot.png");
    std::fs::write(&png, b"\x89PNG\r\n").unwrap();
    let mut app = idle();
    type_text(&mut app, "see ");
    app.handle_event(TermEvent::Paste(png.display().to_string()));
    app.handle_key(ctrl('w'));
    assert_eq!(app.input_text(), "see ");
    app.handle_key(undo_key());
    assert_eq!(app.input_text(), "see [Image 1] ");
    match &app.handle_key(key(KeyCode::Enter))[..] {
        [Action::Prompt { text, files, .. }] => {
            assert_eq!(text.trim_end(), "see [Image 1]");
            assert_eq!(files.len(), 1, "{files:?}");
            assert_eq!(files[0].path, png.display().to_string());
            assert_eq!(files[0].mime, "image/png");
        }
        out => panic!("one prompt: {out:?}"),
    }
}

const DIR: &str = "tests/fixtures/opencode-1.18.33";

/// An app waiting on the fixture's dialog (the reply events left out).
fn pending(name: &str) -> App {
    let events = fixture_events(&format!("{DIR}/{name}.jsonl"));
    app_from_events(&events, UiOptions::default(), |e| {
        matches!(
            e,
            ocw_tui::model::Event::PermissionReplied { .. }
                | ocw_tui::model::Event::QuestionReplied { .. }
        )
    })
}

fn press(app: &mut App, k: KeyEvent) -> Vec<Action> {
    ocw_tui::ui::testing::draw_app(app, 80, 30);
    app.handle_key(k)
}

/// The same editing keys in a field: `text` typed, then Ctrl+W, Alt+B, Ctrl+K, Ctrl+A,
/// `>` typed at the start, Ctrl+E, Ctrl+Y (yanks what Ctrl+K took).
fn edit_field(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, key(KeyCode::Char(c)));
    }
    for k in [ctrl('w'), alt(KeyCode::Char('b')), ctrl('k'), ctrl('a')] {
        press(app, k);
    }
    press(app, key(KeyCode::Char('>')));
    press(app, ctrl('e'));
    press(app, ctrl('y'));
}

/// "say yes to this" edited by `edit_field`: Ctrl+W takes "this", Alt+B goes before
/// "to", Ctrl+K takes "to ", `>` at the start, Ctrl+Y puts "to " back at the end.
const EDITED: &str = ">say yes to ";

#[test]
fn the_reject_message_takes_the_same_keys() {
    let mut app = pending("bash_once");
    let id = app.active_request().expect("a dialog").id().to_string();
    press(&mut app, key(KeyCode::Char('m')));
    edit_field(&mut app, "say yes to this");
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Action::ReplyPermission {
            request_id: id,
            reply: ocw_tui::ui::PermissionReply::Reject,
            message: Some(EDITED.trim().into()),
        }]
    );
}

#[test]
fn the_question_s_other_answer_takes_the_same_keys() {
    let mut app = pending("question_multi");
    press(&mut app, key(KeyCode::Char('4')));
    edit_field(&mut app, "say yes to this");
    let screen = ocw_tui::ui::testing::draw_app(&app, 80, 30);
    assert!(screen.contains(&format!("Other: {EDITED}")), "{screen}");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Right));
    press(&mut app, key(KeyCode::Char('1')));
    let acts = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { answers, .. }]
            if answers[0] == vec![EDITED.trim().to_string()]),
        "{acts:?}"
    );
}

#[test]
fn the_session_filter_and_rename_take_the_same_keys() {
    let mut app = idle();
    app.handle_key(ctrl('s'));
    edit_field(&mut app, "say yes to this");
    assert_eq!(app.session_list_filter(), Some(EDITED));
    press(&mut app, ctrl('u'));
    assert_eq!(app.session_list_filter(), Some(""));
    // Rename: Ctrl+U empties the old title, the new one is typed and edited.
    press(&mut app, ctrl('r'));
    press(&mut app, ctrl('u'));
    edit_field(&mut app, "say yes to this");
    let sid = app.session_id().unwrap().to_string();
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Action::RenameSession {
            session_id: sid,
            title: EDITED.trim().into(),
        }]
    );
}

#[test]
fn the_pickers_and_the_find_bar_take_the_same_keys() {
    // The command palette (a picker with its own query line).
    let mut app = idle();
    press(&mut app, ctrl('p'));
    edit_field(&mut app, "say yes to this");
    let screen = ocw_tui::ui::testing::draw_app(&app, 80, 30);
    assert!(screen.contains(&format!("> {EDITED}▏")), "{screen}");
    // The fork picker (the model picker is the same `Picker`).
    let mut app = idle();
    type_text(&mut app, "/fork");
    press(&mut app, key(KeyCode::Enter));
    edit_field(&mut app, "say yes to this");
    let screen = ocw_tui::ui::testing::draw_app(&app, 80, 30);
    assert!(screen.contains(&format!("> {EDITED}▏")), "{screen}");
    // The find bar.
    let mut app = idle();
    press(&mut app, ctrl('f'));
    edit_field(&mut app, "say yes to this");
    let screen = ocw_tui::ui::testing::draw_app(&app, 80, 30);
    assert!(screen.contains(&format!("search: {EDITED} ")), "{screen}");
}
