//! Plan, then build (issue 20 §4): when a turn of the plan agent ends, "Build this plan?"
//! comes up as a dialog (through the focus rule: it arms after a moment and keys typed in
//! flight never answer it); `b` switches to the build agent and sends the message that
//! starts the build, `n` keeps the plan agent. No offer after a build turn, an aborted or
//! failed plan, or while a prompt waits to be sent.

use crate::support::{bus, session_app};
use crossterm::event::KeyCode;
use ocw_tui::model::catalog::{Catalog, ModelMemory};
use ocw_tui::ui::overlay::guard::ARM_DELAY;
use ocw_tui::ui::testing::{draw_app, key, type_text};
use ocw_tui::ui::{Action, App, UiInput};
use serde_json::json;

const SID: &str = "ses_plan";

/// A session with the build and plan agents known, the plan agent chosen with Tab.
fn planning() -> App {
    let mut app = session_app(SID, 1_795_521_700_000);
    let providers = json!({"providers": [{"id": "mock", "name": "Mock", "models": {
        "mock-model": {"id": "mock-model", "name": "Mock Model", "limit": {"context": 100000, "output": 4000}, "variants": {}}}}],
        "default": {"mock": "mock-model"}});
    let agents = json!([{"name": "build", "mode": "primary"}, {"name": "plan", "mode": "primary"}]);
    app.handle_input(UiInput::Catalog {
        catalog: Catalog::from_json(&providers, &agents, &json!({"model": "mock/mock-model"})),
        memory: ModelMemory::default(),
    });
    app.handle_key(key(KeyCode::Tab));
    assert_eq!(app.chosen_agent(), Some("plan"), "Tab chose the plan agent");
    app
}

/// One turn of `agent`: busy, the user's prompt, the answer `text`, then idle.
fn turn(app: &mut App, n: u32, agent: &str, text: &str, error: bool) {
    bus(
        app,
        "session.status",
        json!({"sessionID": SID, "status": {"type": "busy"}}),
    );
    bus(
        app,
        "message.updated",
        json!({"info": {"id": format!("msg_u{n}"), "sessionID": SID, "role": "user", "agent": agent}}),
    );
    let mut info = json!({"id": format!("msg_a{n}"), "sessionID": SID, "role": "assistant",
        "agent": agent, "parentID": format!("msg_u{n}"), "finish": "stop"});
    if error {
        info["error"] = json!({"name": "APIError", "data": {"message": "the provider failed"}});
    }
    bus(app, "message.updated", json!({ "info": info }));
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{n}"), "messageID": format!("msg_a{n}"), "sessionID": SID,
            "type": "text", "text": text}}),
    );
    bus(
        app,
        "session.status",
        json!({"sessionID": SID, "status": {"type": "idle"}}),
    );
    bus(app, "session.idle", json!({"sessionID": SID}));
}

const PLAN: &str = "## Plan: add a --verbose flag\n1. parse it in cli.rs\n2. print each step";

#[tokio::test(start_paused = true)]
async fn a_plan_turn_offers_to_build_and_b_sends_it_to_the_build_agent() {
    let mut app = planning();
    // The plan takes a while: the Tab that chose the agent is long past.
    tokio::time::advance(std::time::Duration::from_secs(5)).await;
    turn(&mut app, 1, "plan", PLAN, false);
    let screen = draw_app(&app, 90, 30);
    assert!(screen.contains("Build this plan?"), "{screen}");
    assert!(
        screen.contains("Plan: add a --verbose flag"),
        "the plan named: {screen}"
    );
    assert!(app.build_offer_open());
    tokio::time::advance(ARM_DELAY).await;
    let out = app.handle_key(key(KeyCode::Char('b')));
    assert!(
        matches!(out.first(), Some(Action::PromptOptions { agent: Some(a), .. }) if a == "build"),
        "the build agent first: {out:?}"
    );
    match out.iter().find(|a| matches!(a, Action::Prompt { .. })) {
        Some(Action::Prompt {
            session_id, text, ..
        }) => {
            assert_eq!(session_id, SID);
            assert!(text.contains("Build the plan above"), "{text}");
        }
        _ => panic!("a prompt is sent: {out:?}"),
    }
    assert!(!app.build_offer_open());
    assert_eq!(app.chosen_agent(), Some("build"));
    let bar = draw_app(&app, 90, 30);
    assert!(bar.lines().last().unwrap_or("").contains("build"), "{bar}");
}

#[tokio::test(start_paused = true)]
async fn n_keeps_the_plan_agent_and_typing_never_answers_it() {
    let mut app = planning();
    // Typing when the plan ends: the keys stay the prompt's, before and after it arms.
    tokio::time::advance(std::time::Duration::from_secs(5)).await;
    type_text(&mut app, "bu");
    turn(&mut app, 1, "plan", PLAN, false);
    draw_app(&app, 90, 30);
    assert!(app.handle_key(key(KeyCode::Char('b'))).is_empty());
    tokio::time::advance(ARM_DELAY).await;
    let out = app.handle_key(key(KeyCode::Char('b')));
    assert!(out.is_empty(), "{out:?}");
    assert_eq!(app.input_text(), "bubb", "the b's went into the prompt");
    assert_eq!(app.chosen_agent(), Some("plan"));
    // Tab to the offer, then n.
    app.handle_key(key(KeyCode::Tab));
    draw_app(&app, 90, 30);
    tokio::time::advance(ARM_DELAY).await;
    draw_app(&app, 90, 30);
    assert!(app.handle_key(key(KeyCode::Char('n'))).is_empty());
    assert!(!app.build_offer_open());
    assert_eq!(app.chosen_agent(), Some("plan"), "still planning");
}

#[tokio::test(start_paused = true)]
async fn no_offer_after_a_build_turn_a_failed_plan_or_with_a_prompt_queued() {
    let mut app = session_app(SID, 1_795_521_700_000);
    turn(&mut app, 1, "build", "Done: the flag is in.", false);
    assert!(!app.build_offer_open(), "the build agent's turn");
    let mut app = planning();
    turn(&mut app, 1, "plan", PLAN, true);
    assert!(!app.build_offer_open(), "a failed plan");
    let mut app = planning();
    bus(
        &mut app,
        "session.status",
        json!({"sessionID": SID, "status": {"type": "busy"}}),
    );
    type_text(&mut app, "also handle -v");
    app.handle_key(key(KeyCode::Enter));
    turn(&mut app, 1, "plan", PLAN, false);
    assert!(!app.build_offer_open(), "a queued prompt goes first");
    // A new turn takes the offer away.
    let mut app = planning();
    turn(&mut app, 1, "plan", PLAN, false);
    assert!(app.build_offer_open());
    bus(
        &mut app,
        "session.status",
        json!({"sessionID": SID, "status": {"type": "busy"}}),
    );
    assert!(!app.build_offer_open(), "working again");
}
