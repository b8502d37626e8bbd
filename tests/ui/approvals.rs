//! Approval modes in the UI: accept edits answers an edit inside the project (and nothing
//! else: an edit outside, a bash command and a question open their dialogs); auto answers
//! every permission request but never a question; each answer is `AutoAllow` (the person's
//! reply path, once per request) and its record puts "auto-allowed: …" under the tool call;
//! Ctrl+X A and `/approvals` switch the mode for the shown session tree (its subagents
//! included), the status bar shows it, and it ends when another session is shown.

use crate::support::bus;
use ocw_tui::model::approval::ApprovalMode;
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{ctrl, draw_app, draw_app_buffer, key, styled_text, type_text};
use ocw_tui::ui::{Action, App, ConnectionState, UiInput, UiOptions};
use serde_json::{json, Value};
use std::path::Path;

fn app_in(mode: ApprovalMode, project: &Path, sid: &str) -> App {
    let mut app = App::new(UiOptions {
        approvals: mode,
        project_dir: Some(project.to_path_buf()),
        notify: true,
        ..UiOptions::default()
    });
    app.pin_clock(1_795_500_000_000);
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    app.handle_input(UiInput::ShowSession(sid.into()));
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": sid, "title": "work"}}),
    );
    app
}

/// An assistant message with a tool call `call` of `tool`, then its permission request.
fn ask(app: &mut App, sid: &str, n: &str, permission: &str, metadata: Value) -> Vec<Action> {
    let mid = format!("msg_{sid}_{n}");
    bus(
        app,
        "message.updated",
        json!({"info": {"id": mid, "sessionID": sid, "role": "assistant", "agent": "build"}}),
    );
    let tool = if permission == "bash" {
        "bash"
    } else {
        "write"
    };
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{n}"), "messageID": mid, "sessionID": sid, "type": "tool",
            "tool": tool, "callID": format!("call_{n}"),
            "state": {"status": "running", "input": {"command": "ls", "filePath": "x"}}}}),
    );
    bus(
        app,
        "permission.asked",
        json!({"id": format!("per_{n}"), "sessionID": sid, "permission": permission,
            "patterns": ["x"], "metadata": metadata, "always": ["*"],
            "tool": {"messageID": mid, "callID": format!("call_{n}")}}),
    )
}

fn question(app: &mut App, sid: &str) -> Vec<Action> {
    bus(
        app,
        "question.asked",
        json!({"id": "que_1", "sessionID": sid, "questions": [{"question": "Which?", "header": "Which",
            "options": [{"label": "a", "description": "A"}]}]}),
    )
}

/// The `AutoAllow` actions among `acts`: (request id, the record's line).
fn autos(acts: &[Action]) -> Vec<(String, String)> {
    acts.iter()
        .filter_map(|a| match a {
            Action::AutoAllow { request_id, record } => {
                let v: Value = serde_json::from_str(record).unwrap();
                Some((
                    request_id.clone(),
                    v["properties"]["text"].as_str().unwrap().to_string(),
                ))
            }
            _ => None,
        })
        .collect()
}

/// What the link does after sending the reply: the record comes back as an event.
fn record_back(app: &mut App, acts: &[Action]) {
    for a in acts {
        if let Action::AutoAllow { record, .. } = a {
            app.handle_input(UiInput::Bus(Event::parse(record).unwrap()));
        }
    }
}

fn edit_of(path: &Path) -> Value {
    json!({ "filepath": path.to_str().unwrap(), "diff": "+x" })
}

#[test]
fn accept_edits_allows_an_edit_inside_the_project_and_says_so_under_the_call() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut app = app_in(ApprovalMode::Edits, p, "ses_a");
    let acts = ask(&mut app, "ses_a", "1", "edit", edit_of(&p.join("src/x.rs")));
    assert_eq!(
        autos(&acts),
        vec![(
            "per_1".to_string(),
            "auto-allowed: edit src/x.rs".to_string()
        )]
    );
    assert!(app.active_request().is_none(), "no dialog for it");
    assert!(
        !acts.iter().any(|a| matches!(a, Action::Notify(_))),
        "no bell for a request nobody has to answer: {acts:?}"
    );
    record_back(&mut app, &acts);
    let screen = draw_app(&app, 100, 24);
    let call = screen.lines().position(|l| l.contains("write")).unwrap();
    assert!(
        screen
            .lines()
            .nth(call + 1)
            .unwrap()
            .contains("auto-allowed: edit src/x.rs"),
        "the line sits under its tool call:\n{screen}"
    );
    assert!(screen.contains("approvals: accept edits"), "{screen}");
    // The same request again (a reconnect replays pending ones) is not answered twice.
    let again = ask(&mut app, "ses_a", "1", "edit", edit_of(&p.join("src/x.rs")));
    assert!(autos(&again).is_empty(), "{again:?}");
}

#[test]
fn accept_edits_asks_for_an_edit_outside_a_command_and_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    std::fs::create_dir(&p).unwrap();
    let mut app = app_in(ApprovalMode::Edits, &p, "ses_a");
    let outside = ask(
        &mut app,
        "ses_a",
        "1",
        "edit",
        edit_of(&dir.path().join("x.rs")),
    );
    assert!(autos(&outside).is_empty(), "{outside:?}");
    assert_eq!(app.active_request().map(|r| r.id()), Some("per_1"));
    let bash = ask(&mut app, "ses_a", "2", "bash", json!({"command": "ls"}));
    assert!(autos(&bash).is_empty(), "{bash:?}");
    let config = ask(
        &mut app,
        "ses_a",
        "3",
        "edit",
        edit_of(&p.join("opencode.json")),
    );
    assert!(autos(&config).is_empty(), "{config:?}");
    assert!(autos(&question(&mut app, "ses_a")).is_empty());
    assert_eq!(
        app.active_requests().len(),
        4,
        "all four wait for the person"
    );
}

#[test]
fn a_session_of_another_project_is_judged_against_its_own_directory() {
    let dir = tempfile::tempdir().unwrap();
    let (here, there) = (dir.path().join("here"), dir.path().join("there"));
    std::fs::create_dir(&here).unwrap();
    std::fs::create_dir(&there).unwrap();
    let mut app = app_in(ApprovalMode::Edits, &here, "ses_a");
    // `--session` of a session recorded in `there`: opened there.
    app.handle_input(UiInput::ProjectDir(there.clone()));
    let acts = ask(&mut app, "ses_a", "1", "edit", edit_of(&there.join("x.rs")));
    assert_eq!(autos(&acts).len(), 1, "{acts:?}");
    let acts = ask(&mut app, "ses_a", "2", "edit", edit_of(&here.join("x.rs")));
    assert!(autos(&acts).is_empty(), "{acts:?}");
}

#[test]
fn auto_allows_every_permission_but_never_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(ApprovalMode::Auto, dir.path(), "ses_a");
    let acts = ask(
        &mut app,
        "ses_a",
        "1",
        "bash",
        json!({"command": "rm -rf build"}),
    );
    assert_eq!(
        autos(&acts),
        vec![(
            "per_1".to_string(),
            "auto-allowed: bash rm -rf build".to_string()
        )]
    );
    let ext = ask(&mut app, "ses_a", "2", "external_directory", json!({}));
    assert_eq!(autos(&ext).len(), 1);
    let q = question(&mut app, "ses_a");
    assert!(autos(&q).is_empty());
    assert_eq!(app.active_request().map(|r| r.id()), Some("que_1"));
    let screen = draw_app(&app, 100, 30);
    assert!(screen.contains("approvals: auto"), "{screen}");
    // In the warning colour (amber, bold), not the bar's own grey.
    let styled = styled_text(&draw_app_buffer(&app, 100, 30));
    let line = styled
        .lines()
        .find(|l| l.contains("⚠ approvals: auto"))
        .unwrap();
    let before = &line[..line.find(" · ⚠ approvals").unwrap()];
    let tag = &before[before.rfind('«').unwrap()..];
    assert!(
        tag.ends_with("B»") && (tag.contains("Yellow") || tag.contains('#')),
        "{tag}"
    );
}

// A paused clock: the keys come within the dialog's guard, so they are the prompt's.
#[tokio::test(start_paused = true)]
async fn ctrl_x_a_cycles_the_mode_and_answers_what_waits() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let mut app = app_in(ApprovalMode::Ask, p, "ses_a");
    assert!(!draw_app(&app, 100, 24).contains("⚠ approvals"));
    assert!(autos(&ask(
        &mut app,
        "ses_a",
        "1",
        "bash",
        json!({"command": "ls"})
    ))
    .is_empty());
    assert!(autos(&ask(
        &mut app,
        "ses_a",
        "2",
        "edit",
        edit_of(&p.join("a.txt"))
    ))
    .is_empty());
    assert_eq!(app.active_requests().len(), 2);
    // Keys that come while the dialog's guard holds are the prompt's: Ctrl+X A works there.
    app.handle_key(ctrl('x'));
    let acts = app.handle_key(key(crossterm::event::KeyCode::Char('a')));
    assert_eq!(app.approval_mode(), ApprovalMode::Edits);
    assert_eq!(
        autos(&acts),
        vec![("per_2".to_string(), "auto-allowed: edit a.txt".to_string())],
        "the waiting edit is allowed, the command still waits"
    );
    let screen = draw_app(&app, 100, 24);
    assert!(screen.contains("approvals: accept edits"), "{screen}");
    app.handle_key(ctrl('x'));
    let acts = app.handle_key(key(crossterm::event::KeyCode::Char('a')));
    assert_eq!(app.approval_mode(), ApprovalMode::Auto);
    assert_eq!(autos(&acts).len(), 1, "{acts:?}");
    assert!(app.active_request().is_none());
    app.handle_key(ctrl('x'));
    app.handle_key(key(crossterm::event::KeyCode::Char('a')));
    assert_eq!(app.approval_mode(), ApprovalMode::Ask);
    assert!(!draw_app(&app, 100, 24).contains("⚠ approvals"));
}

#[test]
fn a_mode_switched_in_the_tui_covers_subagents_and_ends_with_its_session() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(ApprovalMode::Ask, dir.path(), "ses_a");
    type_text(&mut app, "/approvals auto");
    app.handle_key(key(crossterm::event::KeyCode::Enter));
    assert_eq!(app.approval_mode(), ApprovalMode::Auto);
    // A subagent of this session counts.
    bus(
        &mut app,
        "session.created",
        json!({"info": {"id": "ses_child", "parentID": "ses_a", "title": "sub"}}),
    );
    let acts = ask(&mut app, "ses_child", "1", "bash", json!({"command": "ls"}));
    assert_eq!(autos(&acts).len(), 1, "{acts:?}");
    // Another session: back to ask, and its requests wait.
    app.handle_input(UiInput::ShowSession("ses_b".into()));
    assert_eq!(app.approval_mode(), ApprovalMode::Ask);
    let acts = ask(&mut app, "ses_b", "2", "bash", json!({"command": "ls"}));
    assert!(autos(&acts).is_empty(), "{acts:?}");
    // Coming back does not bring the mode back: it ended.
    app.handle_input(UiInput::ShowSession("ses_a".into()));
    assert_eq!(app.approval_mode(), ApprovalMode::Ask);
    let acts = ask(&mut app, "ses_a", "3", "bash", json!({"command": "ls"}));
    assert!(autos(&acts).is_empty(), "{acts:?}");
}

#[test]
fn a_hostile_command_reaches_the_screen_as_text_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(ApprovalMode::Auto, dir.path(), "ses_a");
    let cmd = "echo \u{1b}]0;pwned\u{7}\u{1b}[2J hi";
    let acts = ask(&mut app, "ses_a", "1", "bash", json!({ "command": cmd }));
    assert_eq!(autos(&acts).len(), 1);
    record_back(&mut app, &acts);
    let screen = draw_app(&app, 100, 24);
    assert!(
        screen.contains("auto-allowed: bash echo ␛]0;pwned"),
        "shown, as visible text: {screen}"
    );
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
        "{screen:?}"
    );
}

#[test]
fn a_request_answered_elsewhere_is_not_answered_again_by_a_switched_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(ApprovalMode::Ask, dir.path(), "ses_a");
    ask(&mut app, "ses_a", "1", "bash", json!({"command": "ls"}));
    // Another client answered it: the server says so.
    bus(
        &mut app,
        "permission.replied",
        json!({"sessionID": "ses_a", "requestID": "per_1", "reply": "reject"}),
    );
    type_text(&mut app, "/approvals auto");
    let acts = app.handle_key(key(crossterm::event::KeyCode::Enter));
    assert!(autos(&acts).is_empty(), "{acts:?}");
    assert_eq!(app.approval_mode(), ApprovalMode::Auto);
}

#[test]
fn the_start_mode_holds_for_every_session_shown_and_unknown_words_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(ApprovalMode::Auto, dir.path(), "ses_a");
    app.handle_input(UiInput::ShowSession("ses_b".into()));
    assert_eq!(app.approval_mode(), ApprovalMode::Auto);
    let acts = ask(&mut app, "ses_b", "1", "bash", json!({"command": "ls"}));
    assert_eq!(autos(&acts).len(), 1);
    // A session this TUI never showed (another client's, on the same server) still asks:
    // not on this session's screen (its dialog waits for that session), but said.
    let acts = ask(&mut app, "ses_other", "2", "bash", json!({"command": "ls"}));
    assert!(autos(&acts).is_empty(), "{acts:?}");
    assert!(app.active_request().is_none());
    assert!(app
        .notes()
        .iter()
        .any(|n| n.text().contains("asks permission: bash in") && n.text().contains("Ctrl+S")));
    type_text(&mut app, "/approvals sometimes");
    app.handle_key(key(crossterm::event::KeyCode::Enter));
    assert_eq!(app.approval_mode(), ApprovalMode::Auto);
    let notes: Vec<String> = app.notes().iter().map(|n| n.text().to_string()).collect();
    assert!(
        notes.iter().any(|n| n.contains("unknown approval mode")),
        "{notes:?}"
    );
}

/// Auto mode answers a background session's request as it comes: neither the notification
/// nor the note naming that session ("asks permission: bash in …") is left to say it asks.
#[test]
fn an_auto_answered_request_of_a_background_tab_leaves_no_asks_notice() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_in(ApprovalMode::Auto, dir.path(), "ses_a");
    app.handle_input(UiInput::ShowSession("ses_b".into()));
    let acts = ask(&mut app, "ses_a", "1", "bash", json!({"command": "ls"}));
    assert_eq!(autos(&acts).len(), 1, "{acts:?}");
    assert!(
        !acts
            .iter()
            .any(|a| matches!(a, Action::Notify(n) if n.contains("asks permission"))),
        "{acts:?}"
    );
    assert!(
        !app.notes()
            .iter()
            .any(|n| n.text().contains("asks permission")),
        "{:?}",
        app.notes().iter().map(|n| n.text()).collect::<Vec<_>>()
    );
}
