//! Approval safety, "what you approve is what you saw": a request that does not fit its
//! dialog says how much is hidden (a marker and a scrollbar), its approve keys stay
//! disarmed ("↓ read to the end to answer") until its last line has been drawn, scroll
//! keys work meanwhile and never answer, and a 12,000-character command stays usable.

use crossterm::event::KeyCode;
use ocw_tui::model::event::QuestionOption;
use ocw_tui::model::Event;
use ocw_tui::ui::overlay::guard::ARM_DELAY;
use ocw_tui::ui::testing::{app_from_events, draw_app, fixture_events, key};
use ocw_tui::ui::{Action, App, PermissionReply, UiInput, UiOptions};

const DIR: &str = "tests/fixtures/opencode-1.18.33";
const TAIL: &str = "; rm -rf ./important";

/// 200 `A`s, then the dangerous end.
fn long_command() -> String {
    format!("echo {}{TAIL}", "A".repeat(200))
}

/// The fixture's session just before its first request, and that request's event.
fn before_request(name: &str) -> (App, Event) {
    let events = fixture_events(&format!("{DIR}/{name}.jsonl"));
    let at = events
        .iter()
        .position(|e| matches!(e, Event::PermissionAsked(_) | Event::QuestionAsked(_)))
        .expect("a request in the fixture");
    let app = app_from_events(&events[..at], UiOptions::default(), |_| false);
    (app, events[at].clone())
}

/// A bash permission for `command` has just arrived; its guard has passed.
async fn asked_bash(command: &str) -> App {
    let (mut app, asked) = before_request("bash_once");
    let Event::PermissionAsked(mut req) = asked else {
        unreachable!("bash_once asks a permission first")
    };
    req.metadata = serde_json::json!({ "command": command, "description": "run a command" });
    req.patterns = vec![command.to_string()];
    app.handle_input(UiInput::Bus(Event::PermissionAsked(req)));
    tokio::time::advance(ARM_DELAY).await;
    app
}

/// The screen with whitespace, frame and scrollbar characters removed: text that wraps
/// across rows reads as one.
fn squeezed(screen: &str) -> String {
    screen
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '█' | '╭' | '╮' | '╰' | '╯' | '─'))
        .collect()
}

fn tail_shown(screen: &str) -> bool {
    squeezed(screen).contains(&squeezed(TAIL))
}

/// Presses `code` (after drawing, as the live UI does) until `done(screen)`, at most `max`
/// times; returns the presses and the last screen.
fn scroll_until(
    app: &mut App,
    (w, h): (u16, u16),
    code: KeyCode,
    max: usize,
    done: impl Fn(&str) -> bool,
) -> (usize, String) {
    let mut screen = draw_app(app, w, h);
    for n in 0..max {
        if done(&screen) {
            return (n, screen);
        }
        assert!(
            app.handle_key(key(code)).is_empty(),
            "a scroll key answers nothing"
        );

        screen = draw_app(app, w, h);
    }
    assert!(done(&screen), "not done after {max} presses:\n{screen}");
    (max, screen)
}

/// The choices are back: the whole request has been on screen.
fn armed(screen: &str) -> bool {
    !screen.contains("read to the end to answer")
}

fn is_reply(a: &Action) -> bool {
    matches!(
        a,
        Action::ReplyPermission { .. }
            | Action::ReplyQuestion { .. }
            | Action::RejectQuestion { .. }
    )
}

/// Before and after scrolling to the end at 40x12 and 60x20: the marker, the disarmed key
/// line, then the tail on screen and the choices armed.
#[tokio::test(start_paused = true)]
async fn a_long_command_shows_what_is_hidden_and_arms_at_its_end() {
    for (w, h) in [(40, 12), (60, 20)] {
        let mut app = asked_bash(&long_command()).await;
        let before = draw_app(&app, w, h);
        assert!(before.contains("more lines"), "{w}x{h}:\n{before}");
        assert!(
            before.contains("read to the end to answer"),
            "{w}x{h}:\n{before}"
        );
        insta::assert_snapshot!(format!("long_command_{w}x{h}_before"), before);
        let (_, tail) = scroll_until(&mut app, (w, h), KeyCode::Down, 40, tail_shown);
        assert!(!armed(&tail), "{w}x{h}: the patterns follow:\n{tail}");
        scroll_until(&mut app, (w, h), KeyCode::Down, 40, armed);
        // The live loop draws again when the end has been seen (the keys light up).
        let after = draw_app(&app, w, h);
        assert!(after.contains("end of request"), "{w}x{h}:\n{after}");
        assert!(
            after.contains("once"),
            "{w}x{h}: the choices are back:\n{after}"
        );
        insta::assert_snapshot!(format!("long_command_{w}x{h}_after"), after);
    }
}

/// y (and every other answer key) before the end does nothing; after the end y answers
/// once.
#[tokio::test(start_paused = true)]
async fn y_before_the_end_does_nothing_and_after_it_answers_once() {
    for (w, h) in [(40, 12), (60, 20)] {
        let mut app = asked_bash(&long_command()).await;
        let id = app.active_request().expect("the dialog").id().to_string();
        draw_app(&app, w, h);
        for code in [
            KeyCode::Char('y'),
            KeyCode::Char('1'),
            KeyCode::Char('a'),
            KeyCode::Enter,
            KeyCode::Char('n'),
            KeyCode::Esc,
        ] {
            let acts = app.handle_key(key(code));
            assert!(!acts.iter().any(is_reply), "{w}x{h} {code:?}: {acts:?}");
            draw_app(&app, w, h);
        }
        assert!(app.active_request().is_some(), "{w}x{h}: still waiting");
        assert_eq!(app.input_text(), "", "{w}x{h}: nothing went to the prompt");
        scroll_until(&mut app, (w, h), KeyCode::PageDown, 60, armed);
        let acts = app.handle_key(key(KeyCode::Char('y')));
        assert_eq!(
            acts,
            vec![Action::ReplyPermission {
                request_id: id,
                reply: PermissionReply::Once,
                message: None,
            }],
            "{w}x{h}"
        );
        draw_app(&app, w, h);
        let again = app.handle_key(key(KeyCode::Char('y')));
        assert!(
            !again.iter().any(is_reply),
            "{w}x{h}: answered twice: {again:?}"
        );
    }
}

/// End jumps to the end of a 12,000-character command (the tail shows, the keys arm);
/// Home goes back to its start; PgDn moves a page at a time.
#[tokio::test(start_paused = true)]
async fn a_12000_character_command_stays_usable() {
    let cmd = format!("echo {}{TAIL}", "A".repeat(12_000));
    let mut app = asked_bash(&cmd).await;
    let first = draw_app(&app, 60, 20);
    assert!(first.contains("more lines"), "{first}");
    let (pages, _) = scroll_until(&mut app, (60, 20), KeyCode::PageDown, 200, tail_shown);
    // 12,000 characters are about 230 rows at this width: pages, not rows.
    assert!(pages < 60, "{pages} PgDn presses");
    assert!(
        app.handle_key(key(KeyCode::Char('y'))).is_empty(),
        "the patterns follow"
    );
    app.handle_key(key(KeyCode::Home));
    let top = draw_app(&app, 60, 20);
    assert!(top.contains("$ echo AAA"), "{top}");
    assert!(!tail_shown(&top), "{top}");
    app.handle_key(key(KeyCode::End));
    let end = draw_app(&app, 60, 20);
    assert!(tail_shown(&end), "{end}");
    assert!(end.contains("end of request"), "{end}");
    assert!(matches!(
        &app.handle_key(key(KeyCode::Char('n')))[..],
        [Action::ReplyPermission {
            reply: PermissionReply::Reject,
            ..
        }]
    ));
}

/// Benchmark (prints, asserts nothing about time): frames of a 12,000-character command,
/// beside those of a short one.
#[tokio::test(start_paused = true)]
async fn bench_frames_of_a_12000_character_command() {
    for len in [10, 12_000] {
        let cmd = format!("echo {}{TAIL}", "A".repeat(len));
        let mut app = asked_bash(&cmd).await;
        for (w, h) in [(40, 12), (60, 20), (120, 40)] {
            let t0 = std::time::Instant::now();
            draw_app(&app, w, h);
            let first = t0.elapsed();
            let n = 50;
            let t1 = std::time::Instant::now();
            for _ in 0..n {
                app.handle_key(key(KeyCode::PageDown));
                draw_app(&app, w, h);
            }
            let each = t1.elapsed() / n;
            println!(
                "{}-char command at {w}x{h}: first frame {first:?}, then {each:?} per PgDn + frame",
                cmd.len()
            );
        }
    }
}

/// A long question: its options hidden below; a digit before the end picks nothing, after
/// scrolling to the end it answers.
#[tokio::test(start_paused = true)]
async fn a_long_question_arms_at_its_end() {
    let (mut app, asked) = before_request("question");
    let Event::QuestionAsked(mut req) = asked else {
        unreachable!("the question fixture asks a question first")
    };
    let q = &mut req.questions[0];
    q.question = format!(
        "Which one? {}",
        "Please read all of this first. ".repeat(30)
    );
    for i in 0..8 {
        q.options.push(QuestionOption {
            label: format!("extra{i}"),
            description: "one more".into(),
        });
    }
    app.handle_input(UiInput::Bus(Event::QuestionAsked(req)));
    tokio::time::advance(ARM_DELAY).await;
    let before = draw_app(&app, 40, 12);
    assert!(before.contains("more lines"), "{before}");
    assert!(before.contains("read to the end to answer"), "{before}");
    insta::assert_snapshot!("long_question_40x12_before", before);
    for code in [KeyCode::Char('1'), KeyCode::Enter, KeyCode::Esc] {
        assert!(!app.handle_key(key(code)).iter().any(is_reply), "{code:?}");
        draw_app(&app, 40, 12);
    }
    scroll_until(&mut app, (40, 12), KeyCode::PageDown, 80, armed);
    let after = draw_app(&app, 40, 12);
    assert!(after.contains("Other"), "{after}");
    insta::assert_snapshot!("long_question_40x12_after", after);
    let acts = app.handle_key(key(KeyCode::Char('2')));
    assert!(
        matches!(&acts[..], [Action::ReplyQuestion { answers, .. }] if answers == &vec![vec!["postgres".to_string()]]),
        "{acts:?}"
    );
}
