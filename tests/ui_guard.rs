//! Approval safety, on a paused clock: no key meant for something else answers a dialog.
//! A dialog that has just appeared lets typing go on to the prompt (nothing lost) until it
//! has shown for a moment and the typing paused; keys with Ctrl or Alt never answer; and
//! Ctrl+C quits only after a visible warning, when it would do nothing else.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::event::SessionStatus;
use ocw_tui::model::Event;
use ocw_tui::ui::guard::ARM_DELAY;
use ocw_tui::ui::testing::{alt, app_from_events, ctrl, draw_app, fixture_events, key};
use ocw_tui::ui::{Action, App, PermissionReply, UiInput, UiOptions};
use std::time::Duration;
use tokio::time::advance;

const DIR: &str = "tests/fixtures/opencode-1.18.33";

/// The fixture's session just before its first request, and the event that asks it.
fn before_request(name: &str) -> (App, Event) {
    let events = fixture_events(&format!("{DIR}/{name}.jsonl"));
    let at = events
        .iter()
        .position(|e| matches!(e, Event::PermissionAsked(_) | Event::QuestionAsked(_)))
        .expect("a request in the fixture");
    let app = app_from_events(&events[..at], UiOptions::default(), |_| false);
    (app, events[at].clone())
}

/// The request's dialog has just appeared.
fn just_asked(name: &str) -> App {
    let (mut app, asked) = before_request(name);
    app.handle_input(UiInput::Bus(asked));
    assert!(app.active_request().is_some());
    app
}

/// Types `text` one key every `gap`, as a person does; returns every action.
async fn type_slowly(app: &mut App, text: &str, gap: Duration) -> Vec<Action> {
    let mut out = Vec::new();
    for c in text.chars() {
        out.extend(app.handle_key(key(KeyCode::Char(c))));
        advance(gap).await;
    }
    out
}

fn is_reply(a: &Action) -> bool {
    matches!(
        a,
        Action::ReplyPermission { .. }
            | Action::ReplyQuestion { .. }
            | Action::RejectQuestion { .. }
            | Action::SaveAlwaysRule { .. }
    )
}

#[tokio::test(start_paused = true)]
async fn a_typing_burst_that_spans_the_dialog_opening_goes_to_the_prompt() {
    let (mut app, asked) = before_request("bash_once");
    let gap = Duration::from_millis(120);
    let mut acts = type_slowly(&mut app, "so", gap).await;
    app.handle_input(UiInput::Bus(asked));
    acts.extend(type_slowly(&mut app, "rry and again, yes any way", gap).await);
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert_eq!(app.input.text(), "sorry and again, yes any way");
    assert!(app.active_request().is_some(), "the dialog still waits");
    // After a pause the dialog has the keys: a deliberate y answers it.
    advance(ARM_DELAY).await;
    let id = app.active_request().unwrap().id().to_string();
    assert_eq!(
        app.handle_key(key(KeyCode::Char('y'))),
        vec![Action::ReplyPermission {
            request_id: id,
            reply: PermissionReply::Once,
            message: None,
        }]
    );
    assert_eq!(app.input.text(), "sorry and again, yes any way");
}

#[tokio::test(start_paused = true)]
async fn the_guard_lasts_its_delay_then_arms() {
    let mut app = just_asked("bash_once");
    advance(ARM_DELAY - Duration::from_millis(10)).await;
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    assert_eq!(
        app.input.text(),
        "y",
        "a key just inside the guard is typed"
    );
    // That key was typing: the dialog waits for a pause after it too.
    advance(ARM_DELAY - Duration::from_millis(10)).await;
    assert!(app.handle_key(key(KeyCode::Char('n'))).is_empty());
    assert_eq!(app.input.text(), "yn");
    advance(ARM_DELAY).await;
    let acts = app.handle_key(key(KeyCode::Char('n')));
    assert!(
        matches!(
            &acts[..],
            [Action::ReplyPermission {
                reply: PermissionReply::Reject,
                ..
            }]
        ),
        "{acts:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn keys_with_ctrl_or_alt_never_answer() {
    let mut app = just_asked("bash_once");
    advance(ARM_DELAY).await;
    let keys = [
        ctrl('a'),
        ctrl('n'),
        ctrl('y'),
        ctrl('m'),
        alt(KeyCode::Char('y')),
        alt(KeyCode::Char('a')),
        alt(KeyCode::Char('1')),
        alt(KeyCode::Enter),
        KeyEvent::new(KeyCode::Enter, KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Esc, KeyModifiers::ALT),
        KeyEvent::new(KeyCode::Char('y'), KeyModifiers::SUPER),
        // A capital is not an answer key either.
        KeyEvent::new(KeyCode::Char('Y'), KeyModifiers::SHIFT),
    ];
    for k in keys {
        assert_eq!(app.handle_key(k), vec![], "{k:?}");
        assert!(app.active_request().is_some(), "{k:?} left the dialog");
        assert!(app.save_offer.is_none(), "{k:?} opened the save offer");
    }
    assert!(
        draw_app(&app, 100, 24).contains("keys with Ctrl or Alt do nothing here"),
        "the user is told why"
    );
    let acts = app.handle_key(key(KeyCode::Char('y')));
    assert!(matches!(&acts[..], [Action::ReplyPermission { .. }]));
}

#[tokio::test(start_paused = true)]
async fn ctrl_n_right_after_a_request_makes_a_new_session_and_answers_nothing() {
    let mut app = just_asked("bash_once");
    advance(Duration::from_millis(300)).await;
    assert_eq!(app.handle_key(ctrl('n')), vec![Action::NewSession]);
    assert!(app.active_request().is_some(), "the request still waits");
}

#[tokio::test(start_paused = true)]
async fn a_paste_right_after_a_request_goes_to_the_prompt() {
    let mut app = just_asked("bash_once");
    app.paste("yes");
    assert_eq!(app.input.text(), "yes");
    assert!(app.active_request().is_some());
}

#[tokio::test(start_paused = true)]
async fn the_next_queued_request_has_its_own_guard() {
    let mut app = just_asked("bash_once");
    let sid = app.session_id().unwrap().to_string();
    let mut second = match app.store.session(&sid).unwrap().permissions.first() {
        Some(p) => p.request.clone(),
        None => unreachable!(),
    };
    second.id = "per_second".into();
    app.handle_input(UiInput::Bus(Event::PermissionAsked(second)));
    advance(ARM_DELAY).await;
    // y y typed fast: the first answers the first request, the second is typed.
    let mut acts = app.handle_key(key(KeyCode::Char('y')));
    advance(Duration::from_millis(80)).await;
    acts.extend(app.handle_key(key(KeyCode::Char('y'))));
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert_eq!(app.input.text(), "y");
    assert_eq!(app.active_request().unwrap().id(), "per_second");
}

#[tokio::test(start_paused = true)]
async fn the_save_rule_offer_has_the_same_rules() {
    let mut app = just_asked("bash_once");
    advance(ARM_DELAY).await;
    let acts = app.handle_key(key(KeyCode::Char('a')));
    assert!(matches!(
        &acts[..],
        [Action::ReplyPermission {
            reply: PermissionReply::Once,
            ..
        }]
    ));
    assert!(app.save_offer.is_some());
    // s typed at once (a double press, or typing): not a save.
    assert!(app.handle_key(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(app.input.text(), "s");
    assert!(app.save_offer.is_some());
    advance(ARM_DELAY).await;
    for k in [ctrl('s'), alt(KeyCode::Char('y')), ctrl('m')] {
        assert!(app.handle_key(k).is_empty(), "{k:?}");
        assert!(app.save_offer.is_some(), "{k:?}");
    }
    let acts = app.handle_key(key(KeyCode::Char('s')));
    assert!(
        matches!(&acts[..], [Action::SaveAlwaysRule { .. }]),
        "{acts:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_question_dialog_has_the_same_rules() {
    let (mut app, asked) = before_request("question");
    app.handle_key(key(KeyCode::Char('1')));
    app.handle_input(UiInput::Bus(asked));
    let acts = type_slowly(&mut app, "2 3", Duration::from_millis(100)).await;
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert_eq!(app.input.text(), "12 3");
    advance(ARM_DELAY).await;
    for k in [
        alt(KeyCode::Char('2')),
        ctrl('b'),
        alt(KeyCode::Enter),
        KeyEvent::new(KeyCode::Esc, KeyModifiers::CONTROL),
    ] {
        assert!(app.handle_key(k).is_empty(), "{k:?}");
        assert!(app.active_request().is_some(), "{k:?}");
    }
    let acts = app.handle_key(key(KeyCode::Char('2')));
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { .. }]),
        "{acts:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_dialog_says_its_keys_arm_and_the_loop_wakes_to_show_them() {
    let mut app = just_asked("bash_once");
    let sid = app.session_id().unwrap().to_string();
    // An idle session: nothing else would wake the loop.
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: sid,
        status: SessionStatus::Idle,
    }));
    let now = tokio::time::Instant::now();
    assert!(draw_app(&app, 80, 24).contains("keys arm in a moment"));
    let wake = app
        .next_tick(now.into_std())
        .expect("a wake-up to arm the keys");
    assert!(wake <= (now + ARM_DELAY).into_std());
    advance(ARM_DELAY).await;
    assert!(!draw_app(&app, 80, 24).contains("keys arm in a moment"));
}

#[tokio::test(start_paused = true)]
async fn ctrl_c_quits_only_after_a_visible_warning_when_it_would_do_nothing_else() {
    let events = fixture_events(&format!("{DIR}/hello.jsonl"));
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    app.handle_key(key(KeyCode::Char('x')));
    app.handle_key(key(KeyCode::Enter));
    // The steps: Ctrl+C (clears), Up, Up (history), Ctrl+C within a second.
    app.handle_key(key(KeyCode::Char('y')));
    assert!(app.handle_key(ctrl('c')).is_empty());
    app.handle_key(key(KeyCode::Up));
    app.handle_key(key(KeyCode::Up));
    assert!(!app.input.is_empty());
    assert!(
        app.handle_key(ctrl('c')).is_empty(),
        "clears, does not quit"
    );
    assert!(!app.quit);
    assert!(app.input.is_empty());
    // Now it would do nothing else: it warns, visibly; the next one quits.
    assert!(app.handle_key(ctrl('c')).is_empty());
    assert!(draw_app(&app, 80, 24).contains("press Ctrl+C again to quit"));
    assert_eq!(app.handle_key(ctrl('c')), vec![Action::Quit]);
}

#[tokio::test(start_paused = true)]
async fn a_late_or_interrupted_second_ctrl_c_warns_again() {
    let events = fixture_events(&format!("{DIR}/hello.jsonl"));
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    assert!(app.handle_key(ctrl('c')).is_empty());
    advance(Duration::from_secs(2)).await;
    assert!(
        app.handle_key(ctrl('c')).is_empty(),
        "too late: warns again"
    );
    app.handle_key(key(KeyCode::PageUp));
    assert!(
        app.handle_key(ctrl('c')).is_empty(),
        "another key came between"
    );
    assert_eq!(app.handle_key(ctrl('c')), vec![Action::Quit]);
}

#[tokio::test(start_paused = true)]
async fn ctrl_c_while_working_aborts_then_warns_then_quits() {
    let events = fixture_events(&format!("{DIR}/hello.jsonl"));
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    let sid = app.session_id().unwrap().to_string();
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: sid,
        status: SessionStatus::Busy,
    }));
    assert!(matches!(
        &app.handle_key(ctrl('c'))[..],
        [Action::Abort { .. }]
    ));
    assert!(
        app.handle_key(ctrl('c')).is_empty(),
        "already aborting: warns"
    );
    assert_eq!(app.handle_key(ctrl('c')), vec![Action::Quit]);
}

#[tokio::test(start_paused = true)]
async fn ctrl_c_never_answers_a_dialog() {
    let mut app = just_asked("bash_once");
    // Inside the guard it clears the prompt, as it would without the dialog.
    app.handle_key(key(KeyCode::Char('x')));
    assert!(app.handle_key(ctrl('c')).is_empty());
    assert!(app.input.is_empty());
    advance(ARM_DELAY).await;
    let acts = app.handle_key(ctrl('c'));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.active_request().is_some());
    assert!(draw_app(&app, 100, 24).contains("press Ctrl+C again to quit"));
    assert_eq!(app.handle_key(ctrl('c')), vec![Action::Quit]);
}
