//! Issue 19 §1: opencode's tui.json keybinds drive the keys. A remapped key runs its
//! action and the default no longer does; "none" unbinds; a leader of one's own, with
//! its timeout; Enter and Shift+Enter swapped; the help and the palette show the keys in
//! effect; names we do not have are said once at start; and a dialog with the focus
//! still gets its keys first.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::tui_config::TuiConfig;
use ocw_tui::model::Event;
use ocw_tui::ui::overlay::guard::ARM_DELAY;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};
use serde_json::{json, Value};
use std::time::Duration;

const DIR: &str = "tests/fixtures/opencode-1.18.33";

fn opts(tui: Value) -> UiOptions {
    UiOptions {
        tui: TuiConfig::from_layers(&[("tui.json".into(), tui)]),
        ..UiOptions::default()
    }
}

/// The hello fixture's session, with `tui` as the tui.json.
fn app(tui: Value) -> App {
    let events = fixture_events(&format!("{DIR}/hello.jsonl"));
    app_from_events(&events, opts(tui), |_| false)
}

fn new_session(out: &[Action]) -> bool {
    out.contains(&Action::NewSession)
}

#[test]
fn a_remapped_key_runs_its_action_and_the_default_no_longer_does() {
    let mut a = app(json!({"keybinds": {"session_new": "ctrl+b"}}));
    assert!(new_session(&a.handle_key(ctrl('b'))));
    assert!(!new_session(&a.handle_key(ctrl('n'))), "Ctrl+N is free now");
    assert!(a.handle_key(ctrl('x')).is_empty());
    assert!(
        !new_session(&a.handle_key(key(KeyCode::Char('n')))),
        "nor Ctrl+X N"
    );
    // Without a tui.json the defaults hold.
    let mut d = app(json!({}));
    assert!(new_session(&d.handle_key(ctrl('n'))));
    assert!(!new_session(&d.handle_key(ctrl('b'))));
}

#[test]
fn none_unbinds() {
    let mut d = app(json!({}));
    assert_eq!(d.handle_key(ctrl('d')), vec![Action::Quit]);
    for none in [json!("none"), json!(false)] {
        let mut a = app(json!({"keybinds": {"app_exit": none, "model_list": "none"}}));
        assert!(
            a.handle_key(ctrl('d')).is_empty(),
            "{none}: Ctrl+D no longer quits"
        );
        a.handle_key(key(KeyCode::F(4)));
        assert!(
            !a.model_picker_open(),
            "{none}: F4 no longer opens the models"
        );
    }
}

#[test]
fn a_leader_of_ones_own_starts_the_sequences() {
    let mut a = app(json!({"keybinds": {"leader": "ctrl+a", "session_new": "<leader>w"}}));
    assert!(a.handle_key(ctrl('a')).is_empty());
    let screen = draw_app(&a, 140, 30);
    assert!(
        screen.contains("W: new session"),
        "the leader's note:\n{screen}"
    );
    assert!(new_session(&a.handle_key(key(KeyCode::Char('w')))));
    // The old leader is an ordinary key now: Ctrl+X E opens no editor.
    a.handle_key(ctrl('x'));
    assert!(!a
        .handle_key(key(KeyCode::Char('e')))
        .contains(&Action::OpenEditor));
    // opencode's own <leader> defaults follow the new leader.
    a.handle_key(ctrl('a'));
    assert_eq!(
        a.handle_key(key(KeyCode::Char('e'))),
        vec![Action::OpenEditor]
    );
}

#[tokio::test(start_paused = true)]
async fn the_leader_waits_leader_timeout_then_the_key_is_typed() {
    let mut a = app(json!({"leader_timeout": 300}));
    a.handle_key(ctrl('x'));
    tokio::time::advance(Duration::from_millis(200)).await;
    assert!(
        new_session(&a.handle_key(key(KeyCode::Char('n')))),
        "in time"
    );
    a.handle_key(ctrl('x'));
    tokio::time::advance(Duration::from_millis(400)).await;
    assert!(
        !new_session(&a.handle_key(key(KeyCode::Char('n')))),
        "too late"
    );
    assert_eq!(a.input_text(), "n", "the late key is typed");
}

#[test]
fn enter_and_shift_enter_swapped() {
    let mut a =
        app(json!({"keybinds": {"input_submit": "shift+return", "input_newline": "return"}}));
    type_text(&mut a, "one");
    assert!(
        a.handle_key(key(KeyCode::Enter)).is_empty(),
        "Enter sends nothing"
    );
    type_text(&mut a, "two");
    assert_eq!(a.input_text(), "one\ntwo");
    let out = a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::SHIFT));
    assert!(
        out.iter().any(|x| matches!(x, Action::Prompt { .. })),
        "Shift+Enter sends: {out:?}"
    );
}

#[test]
fn the_help_and_the_palette_show_the_keys_in_effect() {
    let mut a = app(json!({"keybinds": {"session_new": "ctrl+b", "session_compact": "f9"}}));
    a.handle_key(key(KeyCode::F(1)));
    let help = draw_app(&a, 120, 200);
    let line = |what: &str| {
        help.lines()
            .find(|l| l.contains(what))
            .unwrap_or("")
            .to_string()
    };
    assert!(line("new session").contains("Ctrl+B"), "{help}");
    assert!(!help.contains("Ctrl+N, Ctrl+X N"), "{help}");
    assert!(help.contains("/compact · F9"), "{help}");
    a.handle_key(key(KeyCode::Esc));
    a.handle_key(ctrl('p'));
    type_text(&mut a, "compact");
    let palette = draw_app(&a, 120, 30);
    assert!(palette.contains("F9"), "{palette}");
}

#[test]
fn names_we_do_not_have_are_said_once_at_start() {
    let a = app(
        json!({"keybinds": {"session_share": "<leader>g", "session_new": "ctrl+b"},
        "plugin": ["x"]}),
    );
    let screen = draw_app(&a, 200, 30);
    assert!(
        screen.contains("session_share") && screen.contains("plugin"),
        "{screen}"
    );
    // What it can use still applies.
    let mut a = a;
    assert!(new_session(&a.handle_key(ctrl('b'))));
    assert!(!draw_app(&app(json!({})), 200, 30).contains("tui.json"));
}

/// The bash_once fixture just after its permission request, drawn and armed.
async fn asked(tui: Value) -> App {
    let events = fixture_events(&format!("{DIR}/bash_once.jsonl"));
    let at = events
        .iter()
        .position(|e| matches!(e, Event::PermissionAsked(_)))
        .unwrap();
    let mut a = app_from_events(&events[..at], opts(tui), |_| false);
    a.handle_input(UiInput::Bus(events[at].clone()));
    draw_app(&a, 100, 30);
    tokio::time::advance(ARM_DELAY).await;
    a
}

#[tokio::test(start_paused = true)]
async fn a_dialog_with_the_focus_gets_its_keys_before_the_keymap() {
    // `y` bound to an action still answers the dialog that has the keys.
    let mut a = asked(json!({"keybinds": {"session_new": "y", "session_list": "s"}})).await;
    assert!(a.active_request().is_some());
    let out = a.handle_key(key(KeyCode::Char('s')));
    assert!(
        out.is_empty() && !a.popup_open(),
        "no session list over the dialog: {out:?}"
    );
    let out = a.handle_key(key(KeyCode::Char('y')));
    assert!(
        matches!(&out[..], [Action::ReplyPermission { .. }]),
        "the dialog answered: {out:?}"
    );
    // A remapped Esc (session_interrupt) under a dialog the prompt has: nothing aborts.
    let mut a = asked(json!({"keybinds": {"session_interrupt": "ctrl+q"}})).await;
    a.handle_key(key(KeyCode::Tab));
    assert!(a.handle_key(ctrl('q')).is_empty());
    assert!(a.active_request().is_some());
    // A plain character bound to suspend or paste is the dialog's first.
    let mut a = asked(json!({"keybinds": {"terminal_suspend": "y", "input_paste": "n"}})).await;
    let out = a.handle_key(key(KeyCode::Char('y')));
    assert!(
        matches!(&out[..], [Action::ReplyPermission { .. }]),
        "the dialog answered: {out:?}"
    );
    // A session list key with Ctrl browses over it, as Ctrl+S does.
    let mut a = asked(json!({"keybinds": {"session_list": "ctrl+l"}})).await;
    a.handle_key(ctrl('l'));
    assert!(a.popup_open() && a.active_request().is_some());
}

/// The leader and its next key under a dialog with the keys: a sequence, never an answer.
/// Ctrl+X A (meant to switch the approval mode) must not answer "allow always", and a key
/// after a leader that timed out answers nothing either.
#[tokio::test(start_paused = true)]
async fn the_leader_under_a_dialog_with_the_keys_never_lets_its_next_key_answer() {
    use ocw_tui::model::approval::ApprovalMode;
    let mut a = asked(json!({})).await;
    assert!(a.handle_key(ctrl('x')).is_empty());
    let out = a.handle_key(key(KeyCode::Char('a')));
    assert!(
        !out.iter()
            .any(|o| matches!(o, Action::ReplyPermission { .. })),
        "Ctrl+X A answered the dialog: {out:?}"
    );
    assert_eq!(
        a.approval_mode(),
        ApprovalMode::Edits,
        "it switched the mode"
    );
    assert!(a.active_request().is_some(), "the bash request still waits");
    // A leader left past its timeout: the next key is still not an answer.
    a.handle_key(ctrl('x'));
    tokio::time::advance(Duration::from_secs(5)).await;
    let out = a.handle_key(key(KeyCode::Char('y')));
    assert!(out.is_empty(), "{out:?}");
    assert!(a.active_request().is_some());
    assert!(draw_app(&a, 100, 30).contains("the leader timed out"));
    // Then the dialog's own key answers as always.
    let out = a.handle_key(key(KeyCode::Char('y')));
    assert!(
        matches!(&out[..], [Action::ReplyPermission { .. }]),
        "the dialog answered: {out:?}"
    );
}

/// The write_edit fixture with a changed file whose patch swaps a line, its diff open
/// over a 200-column screen.
fn diff_open(tui: Value) -> String {
    let events = fixture_events(&format!("{DIR}/write_edit.jsonl"));
    let mut a = app_from_events(&events, opts(tui), |_| false);
    let sid = a.session_id().unwrap().to_string();
    let user = a.store().session(&sid).unwrap().messages[0].id.clone();
    let raw = json!({"type": "message.updated", "properties": {"sessionID": sid,
        "info": {"id": user, "sessionID": sid, "role": "user", "summary": {"diffs": [
            {"file": "src/lib.rs", "patch": "@@ -1 +1 @@\n-old line\n+new line\n",
             "additions": 1, "deletions": 1, "status": "modified"}]}}}});
    a.handle_input(UiInput::Bus(Event::parse(&raw.to_string()).unwrap()));
    a.handle_key(key(KeyCode::F(3)));
    a.handle_key(key(KeyCode::F(6)));
    a.handle_key(key(KeyCode::Enter));
    draw_app(&a, 200, 30)
}

#[test]
fn diff_style_stacked_never_shows_a_diff_side_by_side() {
    let side_by_side = |screen: &str| {
        screen
            .lines()
            .any(|l| l.contains("old line") && l.contains("new line"))
    };
    let auto = diff_open(json!({}));
    assert!(side_by_side(&auto), "wide enough for side by side:\n{auto}");
    let stacked = diff_open(json!({"diff_style": "stacked"}));
    assert!(
        stacked.contains("old line") && stacked.contains("new line"),
        "{stacked}"
    );
    assert!(!side_by_side(&stacked), "stacked:\n{stacked}");
}
