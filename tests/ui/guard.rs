//! Approval safety, on a paused clock: no key meant for something else answers a dialog.
//! The focus rule: a dialog that appears while nobody types takes the focus once it has
//! been on screen a moment; one that appears while the person types (or is in a popup, or
//! has unsent text in the prompt)
//! leaves the keys with the prompt, through pauses of any length, until a deliberate Tab.
//! Keys with Ctrl or Alt never answer; pastes never answer; and Ctrl+C quits only after a
//! visible warning, when it would do nothing else.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::event::SessionStatus;
use ocw_tui::model::Event;
use ocw_tui::ui::overlay::guard::ARM_DELAY;
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

/// The dialog on top is drawn (a person sees it), then its keys arm.
async fn seen_then_armed(app: &App) {
    draw_app(app, 100, 30);
    advance(ARM_DELAY).await;
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
    assert_eq!(app.input_text(), "sorry and again, yes any way");
    assert!(app.active_request().is_some(), "the dialog still waits");
    // A pause of any length, then typing on: still the prompt's.
    for pause in [1, 2, 30] {
        advance(Duration::from_secs(pause)).await;
        let acts = type_slowly(&mut app, " y", gap).await;
        assert!(!acts.iter().any(is_reply), "after {pause} s: {acts:?}");
    }
    // Enter queues the typed text; it answers nothing.
    advance(Duration::from_secs(2)).await;
    let acts = app.handle_key(key(KeyCode::Enter));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.active_request().is_some(), "the dialog still waits");
    assert!(draw_app(&app, 100, 24).contains("Tab answers"));
    // Tab moves the focus deliberately; the keys arm a moment later.
    app.handle_key(key(KeyCode::Tab));
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    seen_then_armed(&app).await;
    let id = app.active_request().unwrap().id().to_string();
    assert_eq!(
        app.handle_key(key(KeyCode::Char('y'))),
        vec![Action::ReplyPermission {
            request_id: id,
            reply: PermissionReply::Once,
            message: None,
        }]
    );
    assert!(app.input_text().is_empty(), "Enter sent the typed text");
}

/// A person paused in the middle of a sentence, longer than the guard: a dialog that comes
/// then must not take the letters of the rest of the sentence as answers.
#[tokio::test(start_paused = true)]
async fn a_dialog_that_comes_during_a_pause_in_a_draft_waits_for_tab() {
    for fixture in ["bash_once", "question"] {
        let (mut app, asked) = before_request(fixture);
        let gap = Duration::from_millis(120);
        type_slowly(&mut app, "please rename the sent", gap).await;
        advance(Duration::from_secs(5)).await;
        app.handle_input(UiInput::Bus(asked));
        seen_then_armed(&app).await;
        advance(Duration::from_secs(5)).await;
        assert!(
            draw_app(&app, 100, 24).contains("Tab answers"),
            "{fixture}: the prompt keeps the keys and says how to answer"
        );
        let acts = type_slowly(&mut app, "ence 1 by y and n, then a", gap).await;
        assert!(!acts.iter().any(is_reply), "{fixture}: {acts:?}");
        assert_eq!(
            app.input_text(),
            "please rename the sentence 1 by y and n, then a"
        );
        assert!(app.active_request().is_some(), "{fixture}: still asked");
    }
    // The same pause with an empty prompt: the dialog takes the keys by itself (one-key flow).
    let (mut app, asked) = before_request("bash_once");
    advance(Duration::from_secs(5)).await;
    app.handle_input(UiInput::Bus(asked));
    seen_then_armed(&app).await;
    let acts = app.handle_key(key(KeyCode::Char('y')));
    assert!(
        matches!(&acts[..], [Action::ReplyPermission { .. }]),
        "{acts:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_guard_lasts_its_delay_then_arms() {
    let mut app = just_asked("bash_once");
    advance(ARM_DELAY - Duration::from_millis(10)).await;
    assert!(app.handle_key(key(KeyCode::Char('y'))).is_empty());
    assert_eq!(
        app.input_text(),
        "y",
        "a key just inside the guard is typed"
    );
    // That key was typing: the dialog waits for Tab, however long the pause.
    advance(ARM_DELAY * 10).await;
    assert!(app.handle_key(key(KeyCode::Char('n'))).is_empty());
    assert_eq!(app.input_text(), "yn");
    app.handle_key(key(KeyCode::Tab));
    seen_then_armed(&app).await;
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
    seen_then_armed(&app).await;
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
        assert!(!app.save_offer_open(), "{k:?} opened the save offer");
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
    assert_eq!(app.input_text(), "yes");
    assert!(app.active_request().is_some());
}

#[tokio::test(start_paused = true)]
async fn the_next_queued_request_has_its_own_guard() {
    let mut app = just_asked("bash_once");
    let sid = app.session_id().unwrap().to_string();
    let mut second = match app.store().session(&sid).unwrap().permissions.first() {
        Some(p) => p.request.clone(),
        None => unreachable!(),
    };
    second.id = "per_second".into();
    app.handle_input(UiInput::Bus(Event::PermissionAsked(second)));
    seen_then_armed(&app).await;
    // y y typed fast: the first answers the first request, the second is typed.
    let mut acts = app.handle_key(key(KeyCode::Char('y')));
    advance(Duration::from_millis(80)).await;
    acts.extend(app.handle_key(key(KeyCode::Char('y'))));
    assert_eq!(acts.len(), 1, "{acts:?}");
    assert_eq!(app.input_text(), "y");
    assert_eq!(app.active_request().unwrap().id(), "per_second");
}

#[tokio::test(start_paused = true)]
async fn the_save_rule_offer_has_the_same_rules() {
    let mut app = just_asked("bash_once");
    seen_then_armed(&app).await;
    let acts = app.handle_key(key(KeyCode::Char('a')));
    assert!(matches!(
        &acts[..],
        [Action::ReplyPermission {
            reply: PermissionReply::Once,
            ..
        }]
    ));
    assert!(app.save_offer_open());
    // s typed at once (a double press, or typing): not a save.
    assert!(app.handle_key(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(app.input_text(), "s");
    assert!(app.save_offer_open());
    seen_then_armed(&app).await;
    assert!(
        app.handle_key(key(KeyCode::Char('s'))).is_empty(),
        "still typing"
    );
    assert!(app.save_offer_open());
    app.handle_key(key(KeyCode::Tab));
    seen_then_armed(&app).await;
    for k in [alt(KeyCode::Char('y')), ctrl('m')] {
        assert!(app.handle_key(k).is_empty(), "{k:?}");
        assert!(app.save_offer_open(), "{k:?}");
    }
    // Ctrl+S browses the session list over the offer (issue 18): it saves nothing, and
    // back from the list the offer arms afresh.
    let acts = app.handle_key(ctrl('s'));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.save_offer_open() && app.session_list_filter().is_some());
    assert!(!app.handle_key(key(KeyCode::Esc)).iter().any(is_reply));
    assert!(app.session_list_filter().is_none());
    assert!(
        app.handle_key(key(KeyCode::Char('s'))).is_empty(),
        "not armed yet"
    );
    seen_then_armed(&app).await;
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
    assert_eq!(app.input_text(), "12 3");
    advance(ARM_DELAY * 4).await;
    assert!(app
        .handle_key(key(KeyCode::Enter))
        .iter()
        .all(|a| !is_reply(a)));
    assert!(
        app.active_request().is_some(),
        "Enter sent the prompt, not the highlighted option"
    );
    app.handle_key(key(KeyCode::Tab));
    seen_then_armed(&app).await;
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
    seen_then_armed(&app).await;
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
    assert!(!app.input_text().is_empty());
    assert!(
        app.handle_key(ctrl('c')).is_empty(),
        "clears, does not quit"
    );
    assert!(app.input_text().is_empty());
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
    // While the prompt has the keys it clears the prompt, as it would without the dialog.
    app.handle_key(key(KeyCode::Char('x')));
    assert!(app.handle_key(ctrl('c')).is_empty());
    assert!(app.input_text().is_empty());
    app.handle_key(key(KeyCode::Tab));
    seen_then_armed(&app).await;
    let acts = app.handle_key(ctrl('c'));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.active_request().is_some());
    assert!(draw_app(&app, 100, 24).contains("press Ctrl+C again to quit"));
    assert_eq!(app.handle_key(ctrl('c')), vec![Action::Quit]);
}

/// The session list with the shown session and one other, its delete confirmation open.
fn list_confirming_delete(app: &mut App) {
    let sid = app.session_id().unwrap().to_string();
    let info = |id: &str, title: &str| {
        serde_json::from_value::<ocw_tui::model::event::SessionInfo>(serde_json::json!({
            "id": id, "title": title, "time": {"created": 1_795_521_000_000u64, "updated": 1_795_521_000_000u64}
        }))
        .expect("session info")
    };
    app.handle_input(UiInput::Sessions(vec![
        info(&sid, "This one"),
        info("ses_other", "Another"),
    ]));
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Delete));
    assert!(
        draw_app(app, 90, 20).contains("delete"),
        "confirmation shown"
    );
}

/// Issue 15 §2: a dialog that comes while a popup is open is drawn on top, the popup steps
/// aside (keeping its state), and the popup's keys (Enter, y, Esc) answer nothing.
#[tokio::test(start_paused = true)]
async fn a_dialog_over_a_popup_is_drawn_on_top_and_the_popups_keys_never_answer_it() {
    // The fork picker (Enter chooses there).
    let (mut app, asked) = before_request("bash_once");
    for c in "/fork".chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
    app.handle_key(key(KeyCode::Enter));
    assert!(app.fork_picker_open(), "the fork picker is open");
    advance(Duration::from_secs(3)).await;
    app.handle_input(UiInput::Bus(asked.clone()));
    advance(Duration::from_secs(3)).await;
    let screen = draw_app(&app, 100, 24);
    assert!(
        screen.contains("Permission: bash"),
        "drawn on top:\n{screen}"
    );
    assert!(screen.contains("Tab answers"), "{screen}");
    for k in [KeyCode::Enter, KeyCode::Char('y'), KeyCode::Esc] {
        let acts = app.handle_key(key(k));
        assert!(!acts.iter().any(is_reply), "{k:?}: {acts:?}");
        assert!(
            !acts
                .iter()
                .any(|a| matches!(a, Action::Fork { .. } | Action::Abort { .. })),
            "{k:?}: {acts:?}"
        );
    }
    assert!(app.active_request().is_some(), "still waiting");
    assert!(
        app.fork_picker_open(),
        "the picker kept its state under the dialog"
    );

    // The session list's delete confirmation (y deletes there).
    let (mut app, asked) = before_request("bash_once");
    list_confirming_delete(&mut app);
    advance(Duration::from_secs(2)).await;
    app.handle_input(UiInput::Bus(asked));
    advance(Duration::from_secs(2)).await;
    assert!(draw_app(&app, 100, 24).contains("Permission: bash"));
    let acts = app.handle_key(key(KeyCode::Char('y')));
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(
        !acts
            .iter()
            .any(|a| matches!(a, Action::DeleteSession { .. })),
        "nothing deleted under the dialog: {acts:?}"
    );
    // Tab, a moment, then the dialog's own key answers; the list comes back after.
    app.handle_key(key(KeyCode::Tab));
    seen_then_armed(&app).await;
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
    assert!(app.session_list_filter().is_some(), "the list is back");
}

/// Issue 15 §3: keys in the same burst as a paste (after an end-of-paste marker inside the
/// pasted text) are pasted text: they never answer a dialog and never run or send.
#[tokio::test(start_paused = true)]
async fn keys_after_an_end_of_paste_marker_are_text_never_answers_or_enter() {
    let mut app = just_asked("bash_once");
    seen_then_armed(&app).await;
    assert!(matches!(
        app.dialog_focus(tokio::time::Instant::now()),
        Some(ocw_tui::ui::overlay::guard::Focus::Dialog { armed: true })
    ));
    // An armed, focused dialog: the paste and its tail answer nothing.
    app.paste("harmless");
    app.paste_tail(&[key(KeyCode::Char('y')), key(KeyCode::Enter)]);
    // The tail's keys never reach the dialog, and nor does a real key right after.
    let acts = app.handle_key(key(KeyCode::Char('y')));
    assert!(
        acts.is_empty(),
        "a paste disarms the dialog a moment: {acts:?}"
    );
    assert!(app.active_request().is_some());

    // Into an empty prompt: `!touch FILE` and a carriage return after the marker.
    let events = fixture_events(&format!("{DIR}/hello.jsonl"));
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    app.paste("");
    let tail: Vec<KeyEvent> = "!touch PWNED"
        .chars()
        .map(|c| key(KeyCode::Char(c)))
        .chain([key(KeyCode::Enter)])
        .collect();
    app.paste_tail(&tail);
    assert_eq!(
        app.input_text(),
        "!touch PWNED\n",
        "pasted as text, not run"
    );
    // Text, a marker and a carriage return: not submitted either.
    app.clear_input();
    app.paste("explain this");
    app.paste_tail(&[key(KeyCode::Enter)]);
    assert_eq!(app.input_text(), "explain this\n");
    assert!(draw_app(&app, 100, 24).contains("end-of-paste marker"));
}

mod interleavings {
    //! Property: random interleavings of typing, pauses, pastes, Tabs, draws and dialog
    //! arrivals. A reply is sent only when the dialog had the focus (by the rule, computed
    //! here independently), had been drawn, and got one of its own answer keys.
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Key(char),
        Tab,
        Enter,
        Esc,
        Pause(u64),
        Paste,
        PasteTail,
        Arrive,
        Draw,
        /// Ctrl+S: the session list, browsed over the dialog (issue 18).
        Browse,
        PageUp,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => prop::sample::select(vec!['y', 'a', 'n', 'x', ' ', '1', 'm']).prop_map(Op::Key),
            1 => Just(Op::Tab),
            1 => Just(Op::Enter),
            1 => Just(Op::Esc),
            3 => prop::sample::select(vec![30u64, 120, 300, 499, 501, 800, 2_000]).prop_map(Op::Pause),
            1 => Just(Op::Paste),
            1 => Just(Op::PasteTail),
            1 => Just(Op::Arrive),
            2 => Just(Op::Draw),
            1 => Just(Op::Browse),
            1 => Just(Op::PageUp),
        ]
    }

    /// The rule, as the README states it, for the dialog on top.
    #[derive(Debug, Default)]
    struct Spec {
        top: Option<String>,
        since: u64,
        busy: bool,
        focused_at: Option<u64>,
        drawn: bool,
        last_input: Option<u64>,
    }

    impl Spec {
        fn focus_armed(&self, now: u64) -> bool {
            match self.focused_at {
                Some(at) => now >= at + 500,
                None => !self.busy && now >= self.since + 500,
            }
        }
        fn dialog_focused(&self, now: u64) -> bool {
            self.focused_at.is_some() || (!self.busy && now >= self.since + 500)
        }
        /// Back from the session list browsed over the dialog: its keys went there, so
        /// the dialog arms afresh (it had the focus) or waits for Tab.
        fn back_from_browsing(&mut self, focused: bool, now: u64) {
            if self.top.is_none() {
                return;
            }
            if focused {
                self.focused_at = Some(now);
            } else {
                self.focused_at = None;
                self.busy = true;
            }
        }
        /// `draft`: the prompt held unsent text when the dialog came.
        fn show(&mut self, id: Option<String>, now: u64, draft: bool) {
            if id == self.top {
                return;
            }
            self.busy = draft || self.last_input.is_some_and(|t| now < t + 500);
            self.top = id;
            self.since = now;
            self.focused_at = None;
            self.drawn = false;
        }
    }

    fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let (mut app, asked) = before_request("bash_once");
            let Event::PermissionAsked(template) = asked else {
                unreachable!()
            };
            let t0 = tokio::time::Instant::now();
            let now = || tokio::time::Instant::now().duration_since(t0).as_millis() as u64;
            let mut spec = Spec::default();
            let mut n = 0;
            for op in ops {
                let t = now();
                let top = app.active_request().map(|r| r.id().to_string());
                spec.show(top.clone(), t, !app.input_text().is_empty());
                let focused = top.is_some() && spec.dialog_focused(t);
                let armed = top.is_some() && spec.focus_armed(t);
                // The session list is only ever opened over a dialog here: open means
                // browsing, and a key given to it never answers.
                let browsing = top.is_some() && app.session_list_filter().is_some();
                if browsing
                    && !matches!(
                        op,
                        Op::Pause(_) | Op::Draw | Op::Arrive | Op::Paste | Op::PasteTail
                    )
                {
                    let k = match op {
                        Op::Key(c) => key(KeyCode::Char(c)),
                        Op::Tab => key(KeyCode::Tab),
                        Op::Enter => key(KeyCode::Enter),
                        Op::Esc => key(KeyCode::Esc),
                        Op::PageUp => key(KeyCode::PageUp),
                        _ => ctrl('s'),
                    };
                    let acts = app.handle_key(k);
                    prop_assert!(
                        !acts.iter().any(is_reply),
                        "a key to the list answered: {:?}",
                        acts
                    );
                    if app.session_list_filter().is_none() {
                        spec.back_from_browsing(focused, t);
                    }
                    continue;
                }
                let acts = match op {
                    Op::Browse => {
                        if top.is_none() {
                            continue;
                        }
                        let acts = app.handle_key(ctrl('s'));
                        prop_assert!(app.session_list_filter().is_some(), "Ctrl+S opened no list");
                        acts
                    }
                    Op::PageUp => {
                        let acts = app.handle_key(key(KeyCode::PageUp));
                        if top.is_some() && !focused {
                            spec.busy = true;
                        }
                        if !(top.is_some() && focused) {
                            spec.last_input = Some(t);
                        }
                        acts
                    }
                    Op::Pause(ms) => {
                        advance(Duration::from_millis(ms)).await;
                        continue;
                    }
                    Op::Draw => {
                        let screen = draw_app(&app, 100, 30);
                        if top.is_some() && screen.contains("Permission: bash") {
                            spec.drawn = true;
                        }
                        continue;
                    }
                    Op::Arrive => {
                        n += 1;
                        let mut p = template.clone();
                        p.id = format!("per_{n}");
                        app.handle_input(UiInput::Bus(Event::PermissionAsked(p)));
                        continue;
                    }
                    Op::Paste => {
                        app.paste("yes");
                        if top.is_some() && focused {
                            spec.focused_at = Some(t);
                        } else {
                            spec.busy |= top.is_some();
                            spec.last_input = Some(t);
                        }
                        Vec::new()
                    }
                    Op::PasteTail => {
                        app.paste("");
                        app.paste_tail(&[key(KeyCode::Char('y')), key(KeyCode::Enter)]);
                        if top.is_some() && focused {
                            spec.focused_at = Some(t);
                        } else {
                            spec.busy |= top.is_some();
                            spec.last_input = Some(t);
                        }
                        // Nothing may come of a paste.
                        prop_assert!(app.active_request().map(|r| r.id().to_string()) == top);
                        Vec::new()
                    }
                    Op::Tab => {
                        let acts = app.handle_key(key(KeyCode::Tab));
                        if top.is_none() {
                            spec.last_input = Some(t);
                        } else {
                            if focused {
                                spec.focused_at = None;
                                spec.busy = true;
                            } else {
                                spec.focused_at = Some(t);
                            }
                        }
                        acts
                    }
                    Op::Key(c) => {
                        let acts = app.handle_key(key(KeyCode::Char(c)));
                        if top.is_some() && !focused {
                            spec.busy = true;
                        }
                        if !(top.is_some() && focused) {
                            // Typed into the prompt (a key the dialog took is not typing).
                            spec.last_input = Some(t);
                        }
                        acts
                    }
                    Op::Enter | Op::Esc => {
                        let code = if matches!(op, Op::Enter) {
                            KeyCode::Enter
                        } else {
                            KeyCode::Esc
                        };
                        let acts = app.handle_key(key(code));
                        if top.is_some() && !focused {
                            spec.busy = true;
                        }
                        if top.is_none() && matches!(op, Op::Enter) && !acts.is_empty() {
                            // Enter sent the prompt: the typing is over.
                            spec.last_input = None;
                        } else if !(top.is_some() && focused) {
                            // Typed into the prompt (a key the dialog took is not typing).
                            spec.last_input = Some(t);
                        }
                        acts
                    }
                };
                let always = matches!(op, Op::Key('a'));
                for (i, a) in acts.iter().enumerate() {
                    if let Action::ReplyPermission { request_id, .. } = a {
                        // After the dialog's own reply, an "always" may answer the other
                        // waiting requests its new rule covers.
                        if i > 0 && always {
                            continue;
                        }
                        prop_assert_eq!(Some(request_id), top.as_ref());
                        prop_assert!(focused && armed, "replied without the focus: {:?}", spec);
                        prop_assert!(spec.drawn, "replied to a dialog never drawn");
                        prop_assert!(
                            !matches!(
                                op,
                                Op::Paste | Op::PasteTail | Op::Tab | Op::Browse | Op::PageUp
                            ),
                            "replied from {:?}",
                            op
                        );
                    }
                }
            }
            Ok(())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]
        #[test]
        fn a_reply_needs_focus_a_drawn_dialog_and_its_own_key(ops in prop::collection::vec(op(), 1..60)) {
            run(ops)?;
        }
    }
}

/// The prompt's own popups (`/` completion, `@` picker) work under a dialog while the
/// prompt has the keys: they open, are drawn, and Esc closes them without answering.
#[tokio::test(start_paused = true)]
async fn prompt_popups_work_under_a_dialog_while_the_prompt_has_the_keys() {
    let (mut app, asked) = before_request("bash_once");
    let gap = Duration::from_millis(120);
    let mut acts = type_slowly(&mut app, "/", gap).await;
    app.handle_input(UiInput::Bus(asked));
    acts.extend(type_slowly(&mut app, "thi", gap).await);
    assert!(app.active_request().is_some(), "the dialog waits");
    assert!(app.slash_popup().is_some(), "the / list follows the prompt");
    let screen = draw_app(&app, 100, 30);
    assert!(screen.contains("/thinking"), "{screen}");
    acts.extend(app.handle_key(key(KeyCode::Esc)));
    assert!(app.slash_popup().is_none(), "Esc closed the list");
    assert_eq!(app.input_text(), "/thi");
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.active_request().is_some(), "nothing answered");
    app.clear_input();
    let acts = type_slowly(&mut app, "see @sr", gap).await;
    assert!(app.mention_picker_open(), "the @ picker opened");
    assert!(
        acts.iter().any(|a| matches!(a, Action::FindFiles { .. })),
        "{acts:?}"
    );
    let screen = draw_app(&app, 100, 30);
    assert!(screen.contains("Tab/Enter attach"), "{screen}");
    let acts = app.handle_key(key(KeyCode::Esc));
    assert!(!app.mention_picker_open(), "Esc closed the picker");
    assert!(!acts.iter().any(is_reply), "{acts:?}");
    assert!(app.active_request().is_some(), "nothing answered");
}

/// Issue 18: at 30x8 a tabbed question showed its tabs and keys but not the question; it
/// must show the question, arm like any dialog once read, and be answered on that screen.
#[tokio::test(start_paused = true)]
async fn a_tabbed_question_at_30x8_shows_the_question_arms_and_is_answered_there() {
    let mut app = just_asked("question_multi");
    let mut screen = draw_app(&app, 30, 8);
    assert!(screen.contains("Which languages?"), "{screen}");
    advance(ARM_DELAY).await;
    screen = draw_app(&app, 30, 8);
    assert!(
        screen.contains("Which languages?"),
        "focused, still shown: {screen}"
    );
    for _ in 0..20 {
        if !screen.contains("read to the end") {
            break;
        }
        assert!(app.handle_key(key(KeyCode::End)).is_empty());
        screen = draw_app(&app, 30, 8);
    }
    advance(ARM_DELAY).await;
    let screen = draw_app(&app, 30, 8);
    assert!(
        screen.contains("esc rejects"),
        "armed, its keys shown: {screen}"
    );
    let mut acts = Vec::new();
    for k in [
        KeyCode::Char('1'),
        KeyCode::Enter,
        KeyCode::Char('1'),
        KeyCode::Enter,
    ] {
        acts.extend(app.handle_key(key(k)));
        let mut screen = draw_app(&app, 30, 8);
        while screen.contains("read to the end") {
            assert!(app.handle_key(key(KeyCode::End)).is_empty());
            screen = draw_app(&app, 30, 8);
        }
        advance(ARM_DELAY).await;
    }
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { answers, .. }]
            if answers == &vec![vec!["rust".to_string()], vec!["MIT".to_string()]]),
        "{acts:?}"
    );
}
