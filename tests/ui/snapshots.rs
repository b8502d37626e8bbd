//! Snapshot tests (insta, ratatui TestBackend) of every pane and both dialogs, fed from the
//! recorded opencode 1.18.33 fixtures or from hand-built events.

use ocw_tui::model::Event;
use ocw_tui::ui::testing::{app_from_events, draw_app, fixture_events};
use ocw_tui::ui::UiOptions;

const DIR: &str = "tests/fixtures/opencode-1.18.33";

fn fixture(name: &str) -> Vec<Event> {
    fixture_events(&format!("{DIR}/{name}.jsonl"))
}

fn whole(name: &str, w: u16, h: u16) -> String {
    let events = fixture(name);
    let app = app_from_events(&events, UiOptions::default(), |_| false);
    draw_app(&app, w, h)
}

#[test]
fn transcript_hello() {
    insta::assert_snapshot!(whole("hello", 80, 20));
}

#[test]
fn transcript_reasoning() {
    insta::assert_snapshot!(whole("reasoning", 80, 24));
}

#[test]
fn transcript_bash_once() {
    insta::assert_snapshot!(whole("bash_once", 80, 24));
}

#[test]
fn transcript_bash_reject() {
    insta::assert_snapshot!(whole("bash_reject", 80, 24));
}

#[test]
fn transcript_write_edit() {
    insta::assert_snapshot!(whole("write_edit", 80, 40));
}

#[test]
fn transcript_multi_turn() {
    insta::assert_snapshot!(whole("multi_turn", 100, 40));
}

#[test]
fn transcript_provider_error() {
    insta::assert_snapshot!(whole("provider_error", 80, 16));
}

#[test]
fn transcript_question_answered() {
    insta::assert_snapshot!(whole("question_multi", 80, 24));
}

#[test]
fn transcript_long_shows_the_end() {
    insta::assert_snapshot!(whole("long", 80, 20));
}

fn is_kind(e: &Event, kind: &str) -> bool {
    matches!(
        (e, kind),
        (Event::PermissionReplied { .. }, "permission.replied")
            | (Event::QuestionReplied { .. }, "question.replied")
    )
}

fn until(name: &str, kind: &str, opts: UiOptions) -> ocw_tui::ui::App {
    let events = fixture(name);
    app_from_events(&events, opts, |e| is_kind(e, kind))
}

mod dialogs {
    use super::*;
    use crossterm::event::KeyCode;
    use ocw_tui::model::event::PermissionRequest;
    use ocw_tui::ui::testing::{key, type_text};

    #[test]
    fn permission_bash_pending() {
        let app = until("bash_once", "permission.replied", UiOptions::default());
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[test]
    fn permission_edit_with_diff() {
        let app = until("write_edit", "permission.replied", UiOptions::default());
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[test]
    fn permission_edit_side_by_side() {
        let mut app = until("write_edit", "permission.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('d')));
        insta::assert_snapshot!(draw_app(&app, 100, 24));
    }

    fn second_request(app: &ocw_tui::ui::App) -> PermissionRequest {
        let sid = app.session_id().unwrap().to_string();
        PermissionRequest {
            id: "per_second".into(),
            session_id: sid,
            permission: "bash".into(),
            patterns: vec!["rm -rf build".into()],
            metadata: serde_json::json!({"command": "rm -rf build"}),
            always: vec!["rm *".into()],
            tool: None,
        }
    }

    #[test]
    fn permission_queue_shows_one_of_two() {
        let mut app = until("bash_once", "permission.replied", UiOptions::default());
        let req = second_request(&app);
        app.handle_input(ocw_tui::ui::UiInput::Bus(Event::PermissionAsked(req)));
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[test]
    fn permission_typing_a_reject_message() {
        let mut app = until("bash_once", "permission.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('m')));
        type_text(&mut app, "use printf instead");
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[tokio::test(start_paused = true)]
    async fn permission_always_offers_to_save_the_rule() {
        let mut app = until("bash_once", "permission.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('a')));
        draw_app(&app, 80, 24); // the offer's first frame
        tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    /// A project with an `opencode.jsonc`: the offer names the file the rule goes into.
    #[tokio::test(start_paused = true)]
    async fn the_save_offer_names_the_projects_config_file() {
        let opts = UiOptions {
            rule_file: Some("opencode.jsonc".into()),
            ..UiOptions::default()
        };
        let mut app = until("bash_once", "permission.replied", opts);
        app.handle_key(key(KeyCode::Char('a')));
        draw_app(&app, 80, 24); // the offer's first frame
        tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
        let screen = draw_app(&app, 80, 24);
        assert!(
            screen.contains("Save a rule in the project's opencode.jsonc"),
            "{screen}"
        );
    }

    /// A dialog that has just appeared while nobody types: its keys dimmed, and it says
    /// why; a moment later it has the focus and the prompt says so.
    #[tokio::test(start_paused = true)]
    async fn permission_just_appeared_keys_not_armed() {
        let events = fixture("bash_once");
        let at = events
            .iter()
            .position(|e| matches!(e, Event::PermissionAsked(_)))
            .unwrap();
        let mut app = app_from_events(&events[..at], UiOptions::default(), |_| false);
        app.handle_input(ocw_tui::ui::UiInput::Bus(events[at].clone()));
        let screen = draw_app(&app, 80, 24);
        assert!(screen.contains("keys arm in a moment"), "{screen}");
        insta::assert_snapshot!(screen);
        tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
        let screen = draw_app(&app, 80, 24);
        assert!(!screen.contains("keys arm in a moment"));
        assert!(screen.contains("the dialog above has the keys"), "{screen}");
    }

    /// A dialog that appeared while the person typed: the prompt keeps the focus (bright,
    /// with its cursor) and the dialog waits for Tab, however long the pause.
    #[tokio::test(start_paused = true)]
    async fn permission_while_typing_waits_for_tab() {
        let events = fixture("bash_once");
        let at = events
            .iter()
            .position(|e| matches!(e, Event::PermissionAsked(_)))
            .unwrap();
        let mut app = app_from_events(&events[..at], UiOptions::default(), |_| false);
        type_text(&mut app, "so");
        app.handle_input(ocw_tui::ui::UiInput::Bus(events[at].clone()));
        type_text(&mut app, "rry");
        tokio::time::advance(std::time::Duration::from_secs(5)).await;
        let screen = draw_app(&app, 80, 24);
        assert!(screen.contains("Tab answers this"), "{screen}");
        assert!(screen.contains("your prompt has the keys"), "{screen}");
        insta::assert_snapshot!(screen);
    }

    /// Small screens: the request, the keys (wrapped) and the tool call above all show.
    #[test]
    fn permission_at_60x20() {
        let app = until("bash_once", "permission.replied", UiOptions::default());
        let screen = draw_app(&app, 60, 20);
        assert!(screen.contains("m reject + message"), "{screen}");
        assert!(screen.contains("bash  $ echo hi"), "{screen}");
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn permission_at_30x8() {
        let app = until("bash_once", "permission.replied", UiOptions::default());
        let screen = draw_app(&app, 30, 8);
        assert!(screen.contains("$ echo hi"), "{screen}");
        assert!(screen.contains("y allow once"), "{screen}");
        assert!(screen.contains("n reject"), "{screen}");
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn permission_with_diff_at_60x20_keeps_the_tool_call_in_view() {
        let app = until("write_edit", "permission.replied", UiOptions::default());
        let screen = draw_app(&app, 60, 20);
        assert!(screen.contains("m reject + message"), "{screen}");
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn question_at_60x20_and_30x8() {
        let app = until("question", "question.replied", UiOptions::default());
        let wide = draw_app(&app, 60, 20);
        assert!(wide.contains("esc rejects"), "{wide}");
        insta::assert_snapshot!("question_at_60x20", wide);
        let small = draw_app(&app, 30, 8);
        assert!(small.contains("Which DB?"), "{small}");
        assert!(small.contains("rejects"), "{small}");
        insta::assert_snapshot!("question_at_30x8", small);
    }

    #[tokio::test(start_paused = true)]
    async fn save_rule_offer_at_60x20_and_30x8() {
        let mut app = until("bash_once", "permission.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('a')));
        draw_app(&app, 80, 24); // the offer's first frame
        tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
        let wide = draw_app(&app, 60, 20);
        assert!(wide.contains("n not now"), "{wide}");
        insta::assert_snapshot!("save_rule_at_60x20", wide);
        let small = draw_app(&app, 30, 8);
        assert!(small.contains("s save"), "{small}");
        insta::assert_snapshot!("save_rule_at_30x8", small);
    }

    #[test]
    fn question_single_pending() {
        let app = until("question", "question.replied", UiOptions::default());
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[test]
    fn question_multi_first_tab_with_toggles() {
        let mut app = until("question_multi", "question.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('1')));
        app.handle_key(key(KeyCode::Char('3')));
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[test]
    fn question_other_text_being_typed() {
        let mut app = until("question", "question.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('3')));
        type_text(&mut app, "duckdb");
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }

    #[test]
    fn question_review_tab() {
        let mut app = until("question_multi", "question.replied", UiOptions::default());
        app.handle_key(key(KeyCode::Char('1')));
        app.handle_key(key(KeyCode::Char('3')));
        app.handle_key(key(KeyCode::Enter));
        draw_app(&app, 80, 24); // the second question on screen before it is answered
        app.handle_key(key(KeyCode::Char('1')));
        insta::assert_snapshot!(draw_app(&app, 80, 24));
    }
}
