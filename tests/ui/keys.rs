//! Key-press tests: press keys on an `App` fed from the recorded fixtures and assert the
//! `Action`s it emits (no terminal involved).

use crossterm::event::{Event as TermEvent, KeyCode};
use ocw_tui::model::event::{SessionInfo, SessionStatus};
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{alt, app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, ConnectionState, PermissionReply, UiInput, UiOptions};

const DIR: &str = "tests/fixtures/opencode-1.18.33";

fn pending(name: &str) -> App {
    let events = fixture_events(&format!("{DIR}/{name}.jsonl"));
    app_from_events(&events, UiOptions::default(), |e| {
        matches!(
            e,
            Event::PermissionReplied { .. } | Event::QuestionReplied { .. }
        )
    })
}

/// A key pressed after a frame was drawn, as in the live UI (a dialog answers only what
/// has been on screen: each question's tab is drawn before a key picks there).
fn press(app: &mut App, k: crossterm::event::KeyEvent) -> Vec<Action> {
    draw_app(app, 80, 30);
    app.handle_key(k)
}

fn idle_session() -> App {
    let events = fixture_events(&format!("{DIR}/hello.jsonl"));
    app_from_events(&events, UiOptions::default(), |_| false)
}

fn busy_session() -> App {
    let mut app = idle_session();
    let sid = app.session_id().unwrap().to_string();
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: sid,
        status: SessionStatus::Busy,
    }));
    app
}

fn permission_id(app: &App) -> String {
    app.active_request().expect("a dialog").id().to_string()
}

fn reply(id: &str, reply: PermissionReply, message: Option<&str>) -> Vec<Action> {
    vec![Action::ReplyPermission {
        request_id: id.into(),
        reply,
        message: message.map(str::to_string),
    }]
}

#[test]
fn y_and_1_allow_once() {
    for k in ['y', '1'] {
        let mut app = pending("bash_once");
        let id = permission_id(&app);
        let acts = app.handle_key(key(KeyCode::Char(k)));
        assert_eq!(acts, reply(&id, PermissionReply::Once, None));
        assert!(
            app.active_request().is_none(),
            "dialog closes once answered"
        );
    }
}

/// Waits (paused clock) until a dialog that just appeared takes keys.
/// The new dialog is drawn (a person sees it), then its keys arm.
async fn until_armed(app: &App) {
    draw_app(app, 100, 30);
    tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
}

#[tokio::test(start_paused = true)]
async fn a_and_2_allow_always_then_offer_the_rule() {
    for k in ['a', '2'] {
        let mut app = pending("bash_once");
        let id = permission_id(&app);
        let acts = app.handle_key(key(KeyCode::Char(k)));
        // The server hears `once`: its own "always" would reach every agent (ui/always.rs).
        assert_eq!(acts, reply(&id, PermissionReply::Once, None));
        until_armed(&app).await;
        let acts = app.handle_key(key(KeyCode::Char('s')));
        assert_eq!(
            acts,
            vec![Action::SaveAlwaysRule {
                permission: "bash".into(),
                patterns: vec!["echo *".into()],
                agent: Some("build".into()),
            }]
        );
    }
}

#[tokio::test(start_paused = true)]
async fn declining_the_save_offer_sends_nothing() {
    let mut app = pending("bash_once");
    app.handle_key(key(KeyCode::Char('a')));
    until_armed(&app).await;
    assert!(app.handle_key(key(KeyCode::Char('n'))).is_empty());
    assert!(!app.save_offer_open());
}

#[test]
fn n_3_and_esc_reject() {
    for k in [KeyCode::Char('n'), KeyCode::Char('3'), KeyCode::Esc] {
        let mut app = pending("bash_once");
        let id = permission_id(&app);
        assert_eq!(
            app.handle_key(key(k)),
            reply(&id, PermissionReply::Reject, None)
        );
    }
}

#[test]
fn arrows_and_enter_choose() {
    let mut app = pending("bash_once");
    let id = permission_id(&app);
    app.handle_key(key(KeyCode::Right));
    app.handle_key(key(KeyCode::Right));
    app.handle_key(key(KeyCode::Left));
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        reply(&id, PermissionReply::Once, None),
        "the \"always\" choice: the server hears `once`, the client keeps the rule"
    );
    assert!(app.save_offer_open());
}

#[test]
fn m_then_text_then_enter_rejects_with_the_message() {
    let mut app = pending("bash_once");
    let id = permission_id(&app);
    assert!(app.handle_key(key(KeyCode::Char('m'))).is_empty());
    // Letters that are shortcuts elsewhere are text here.
    assert!(type_text(&mut app, "say yes and n").is_empty());
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        reply(&id, PermissionReply::Reject, Some("say yes and n"))
    );
}

#[test]
fn esc_while_typing_a_message_goes_back_without_answering() {
    let mut app = pending("bash_once");
    app.handle_key(key(KeyCode::Char('m')));
    type_text(&mut app, "x");
    assert!(app.handle_key(key(KeyCode::Esc)).is_empty());
    assert!(app.active_request().is_some(), "still asking");
}

#[test]
fn a_request_answered_elsewhere_closes_its_dialog() {
    let mut app = pending("bash_once");
    let id = permission_id(&app);
    let sid = app.session_id().unwrap().to_string();
    app.handle_input(UiInput::Bus(Event::PermissionReplied {
        session_id: sid,
        request_id: id,
        reply: "once".into(),
    }));
    assert!(app.active_request().is_none());
    assert!(!draw_app(&app, 80, 24).contains("Permission:"));
}

#[test]
fn each_request_is_answered_at_most_once() {
    let mut app = pending("bash_once");
    app.handle_key(key(KeyCode::Char('y')));
    // The next `y` is typed into the prompt, not sent as a second reply.
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    assert_eq!(app.input_text(), "y");
}

#[tokio::test(start_paused = true)]
async fn two_requests_queue_and_the_second_follows_the_first() {
    let mut app = pending("bash_once");
    let first = permission_id(&app);
    let sid = app.session_id().unwrap().to_string();
    let mut second = match app
        .store()
        .session(&sid)
        .unwrap()
        .permissions
        .first()
        .cloned()
    {
        Some(p) => p.request,
        None => unreachable!(),
    };
    second.id = "per_second".into();
    app.handle_input(UiInput::Bus(Event::PermissionAsked(second)));
    assert!(draw_app(&app, 80, 24).contains("1 of 2"));
    assert_eq!(
        app.handle_key(key(KeyCode::Char('y'))),
        reply(&first, PermissionReply::Once, None)
    );
    assert_eq!(permission_id(&app), "per_second");
    until_armed(&app).await;
    assert_eq!(
        app.handle_key(key(KeyCode::Char('n'))),
        reply("per_second", PermissionReply::Reject, None)
    );
}

#[test]
fn question_digit_answers_a_single_question() {
    let mut app = pending("question");
    let id = permission_id(&app);
    assert_eq!(
        app.handle_key(key(KeyCode::Char('2'))),
        vec![Action::ReplyQuestion {
            request_id: id,
            answers: vec![vec!["postgres".into()]],
        }]
    );
}

#[test]
fn question_arrows_and_enter_answer() {
    let mut app = pending("question");
    app.handle_key(key(KeyCode::Down));
    let acts = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { answers, .. }] if answers == &vec![vec!["postgres".to_string()]])
    );
}

#[test]
fn question_esc_rejects() {
    let mut app = pending("question");
    let id = permission_id(&app);
    assert_eq!(
        app.handle_key(key(KeyCode::Esc)),
        vec![Action::RejectQuestion { request_id: id }]
    );
}

#[test]
fn multi_select_toggles_and_submits_all_questions_at_once() {
    let mut app = pending("question_multi");
    let id = permission_id(&app);
    for k in ['1', '2', '3', '2'] {
        assert!(press(&mut app, key(KeyCode::Char(k))).is_empty());
    }
    assert!(
        press(&mut app, key(KeyCode::Enter)).is_empty(),
        "to question 2"
    );
    assert!(
        press(&mut app, key(KeyCode::Char('1'))).is_empty(),
        "to review"
    );
    assert_eq!(
        press(&mut app, key(KeyCode::Enter)),
        vec![Action::ReplyQuestion {
            request_id: id,
            answers: vec![vec!["rust".into(), "zig".into()], vec!["MIT".into()]],
        }]
    );
}

#[test]
fn other_text_is_kept_per_question() {
    let mut app = pending("question_multi");
    // Question 1 (multiple): Other = "c".
    press(&mut app, key(KeyCode::Char('4')));
    type_text(&mut app, "c");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Right));
    // Question 2: its Other starts empty.
    let screen = draw_app(&app, 80, 30);
    assert!(!screen.contains("Other: c"), "{screen}");
    press(&mut app, key(KeyCode::Char('3')));
    type_text(&mut app, "BSD");
    press(&mut app, key(KeyCode::Enter)); // keeps it, goes to review
    press(&mut app, key(KeyCode::Left));
    press(&mut app, key(KeyCode::Left));
    assert!(draw_app(&app, 80, 30).contains("Other: c"));
    press(&mut app, key(KeyCode::Right));
    press(&mut app, key(KeyCode::Right));
    let acts = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { answers, .. }]
            if answers == &vec![vec!["c".to_string()], vec!["BSD".to_string()]]),
        "{acts:?}"
    );
}

#[test]
fn toggling_other_off_does_not_block_submit() {
    let mut app = pending("question_multi");
    press(&mut app, key(KeyCode::Char('4')));
    type_text(&mut app, "c");
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Char('4'))); // toggles Other off again
    press(&mut app, key(KeyCode::Char('1')));
    press(&mut app, key(KeyCode::Enter));
    press(&mut app, key(KeyCode::Char('2')));
    let acts = press(&mut app, key(KeyCode::Enter));
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { answers, .. }]
            if answers == &vec![vec!["rust".to_string()], vec!["GPL".to_string()]]),
        "{acts:?}"
    );
}

#[test]
fn submit_with_an_unanswered_single_choice_question_goes_back_to_it() {
    let mut app = pending("question_multi");
    press(&mut app, key(KeyCode::Right));
    press(&mut app, key(KeyCode::Right));
    assert!(press(&mut app, key(KeyCode::Enter)).is_empty());
    assert!(draw_app(&app, 80, 30).contains("choose an answer"));
}

#[test]
fn enter_sends_the_prompt_and_empty_enter_does_nothing() {
    let mut app = idle_session();
    let sid = app.session_id().unwrap().to_string();
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    type_text(&mut app, "fix the bug");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::Prompt {
            session_id: sid,
            text: "fix the bug".into(),
            files: vec![],
            agents: vec![],
        }]
    );
    assert!(app.input_text().is_empty());
}

#[test]
fn alt_enter_and_ctrl_j_insert_newlines() {
    let mut app = idle_session();
    type_text(&mut app, "a");
    assert!(app.handle_key(alt(KeyCode::Enter)).is_empty());
    type_text(&mut app, "b");
    assert!(app.handle_key(ctrl('j')).is_empty());
    type_text(&mut app, "c");
    assert_eq!(app.input_text(), "a\nb\nc");
}

/// Regression: "hello" + Enter typed while the server started reached the UI as
/// `hello\n` (the cooked tty's ICRNL), which raw-mode crossterm reads as Ctrl+J: the first
/// Enter became a new line instead of sending.
#[test]
fn enter_typed_before_raw_mode_sends_the_prompt() {
    let mut app = idle_session();
    let sid = app.session_id().unwrap().to_string();
    let mut acts = Vec::new();
    for c in "hello".chars() {
        acts.extend(app.handle_typeahead(TermEvent::Key(key(KeyCode::Char(c)))));
    }
    acts.extend(app.handle_typeahead(TermEvent::Key(ctrl('j'))));
    assert_eq!(
        acts,
        vec![Action::Prompt {
            session_id: sid,
            text: "hello".into(),
            files: vec![],
            agents: vec![],
        }]
    );
    assert!(app.input_text().is_empty());
    // Once the UI runs, Ctrl+J is a new line again.
    type_text(&mut app, "a");
    app.handle_event(TermEvent::Key(ctrl('j')));
    assert_eq!(app.input_text(), "a\n");
}

#[test]
fn up_walks_the_prompt_history_and_down_returns_to_the_draft() {
    let mut app = idle_session();
    for p in ["one", "two"] {
        type_text(&mut app, p);
        app.handle_key(key(KeyCode::Enter));
    }
    type_text(&mut app, "draft");
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), "two");
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), "one");
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Down));
    assert_eq!(app.input_text(), "draft");
}

#[test]
fn a_prompt_sent_while_busy_is_queued_here_and_sent_when_the_turn_ends() {
    let mut app = busy_session();
    let sid = app.session_id().unwrap().to_string();
    type_text(&mut app, "next task");
    assert_eq!(app.handle_key(key(KeyCode::Enter)), vec![]);
    assert!(draw_app(&app, 80, 24).contains("next task  (queued)"));
    let out = app.handle_input(UiInput::Bus(Event::Status {
        session_id: sid.clone(),
        status: SessionStatus::Idle,
    }));
    assert_eq!(
        out,
        vec![Action::Prompt {
            session_id: sid,
            text: "next task".into(),
            files: vec![],
            agents: vec![],
        }]
    );
    assert!(app.queued().is_empty());
}

#[test]
fn esc_while_busy_aborts_and_while_idle_does_nothing() {
    let mut app = busy_session();
    let sid = app.session_id().unwrap().to_string();
    assert_eq!(
        app.handle_key(key(KeyCode::Esc)),
        vec![Action::Abort { session_id: sid }]
    );
    let mut idle = idle_session();
    assert!(idle.handle_key(key(KeyCode::Esc)).is_empty());
}

#[test]
fn ctrl_c_clears_the_input_then_warns_then_quits() {
    let mut app = idle_session();
    type_text(&mut app, "oops");
    assert!(app.handle_key(ctrl('c')).is_empty());
    assert!(app.input_text().is_empty());
    assert!(app.handle_key(ctrl('c')).is_empty(), "warns first");
    assert!(draw_app(&app, 80, 24).contains("press Ctrl+C again to quit"));
    assert_eq!(app.handle_key(ctrl('c')), vec![Action::Quit]);
}

#[test]
fn ctrl_c_while_busy_aborts() {
    let mut app = busy_session();
    let acts = app.handle_key(ctrl('c'));
    assert!(matches!(&acts[..], [Action::Abort { .. }]));
}

#[test]
fn ctrl_d_quits_only_on_an_empty_input() {
    let mut app = idle_session();
    type_text(&mut app, "x");
    assert!(app.handle_key(ctrl('d')).is_empty());
    app.clear_input();
    assert_eq!(app.handle_key(ctrl('d')), vec![Action::Quit]);
}

#[test]
fn a_prompt_before_any_session_creates_one_then_is_sent() {
    let mut app = App::new(UiOptions::default());
    type_text(&mut app, "hello");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::NewSession]
    );
    let acts = app.handle_input(UiInput::ShowSession("ses_new".into()));
    assert_eq!(
        acts,
        vec![Action::Prompt {
            session_id: "ses_new".into(),
            text: "hello".into(),
            files: vec![],
            agents: vec![],
        }]
    );
}

#[test]
fn session_list_refreshes_switches_and_creates() {
    let mut app = idle_session();
    let other = SessionInfo {
        id: "ses_other".into(),
        title: Some("Other work".into()),
        ..Default::default()
    };
    app.handle_input(UiInput::Sessions(vec![other]));
    assert_eq!(app.handle_key(ctrl('s')), vec![Action::RefreshSessions]);
    let screen = draw_app(&app, 100, 20);
    assert!(screen.contains("Other work"), "{screen}");
    app.handle_key(key(KeyCode::Up));
    app.handle_key(key(KeyCode::Up));
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::SwitchSession("ses_other".into())]
    );
    app.handle_key(key(KeyCode::F(2)));
    assert_eq!(app.handle_key(ctrl('n')), vec![Action::NewSession]);
}

#[test]
fn f5_restarts_only_a_dead_server() {
    let mut app = idle_session();
    assert!(app.handle_key(key(KeyCode::F(5))).is_empty());
    app.handle_input(UiInput::Connection(ConnectionState::ServerDied {
        message: "exit status 1".into(),
    }));
    assert_eq!(
        app.handle_key(key(KeyCode::F(5))),
        vec![Action::RestartServer]
    );
}

#[test]
fn paging_up_to_the_top_asks_for_older_history() {
    let events = fixture_events(&format!("{DIR}/long.jsonl"));
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    let sid = app.session_id().unwrap().to_string();
    draw_app(&app, 80, 20);
    let acts = app.handle_key(key(KeyCode::Home));
    draw_app(&app, 80, 20);
    let mut all = acts;
    all.extend(app.handle_key(key(KeyCode::PageUp)));
    assert!(
        all.contains(&Action::LoadOlder { session_id: sid }),
        "{all:?}"
    );
}

#[test]
fn question_mark_on_empty_input_shows_help_and_any_key_closes_it() {
    let mut app = idle_session();
    app.handle_key(key(KeyCode::Char('?')));
    assert!(draw_app(&app, 90, 40).contains("send (queued while the agent works)"));
    // A key that types nothing closes it (a printable one types `?` and itself: ui_input.rs).
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.help_open());
    assert!(app.input_text().is_empty(), "the closing key is not typed");
}

/// Issue 18: at 30x8 the tab row and a three-row key line left no row for the question.
#[test]
fn a_tabbed_question_at_30x8_still_shows_the_question() {
    let app = pending("question_multi");
    let screen = ocw_tui::ui::testing::draw_app(&app, 30, 8);
    assert!(screen.contains("Which languages?"), "{screen}");
    assert!(
        screen.contains("esc rejects"),
        "the keys still show: {screen}"
    );
}
