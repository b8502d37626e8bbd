//! Model, variant and agent switching in the UI: the first choice (`--model`, the project's
//! memory, the server's config), the pickers (`/models` with recent models first, `/variants`,
//! `/agents`), Tab cycling the agents and Ctrl+T the variants as in opencode (Shift+Tab
//! still focuses tool calls), what every prompt is sent with, the status bar (the agent in
//! its colour, `model · variant`) and the context meter (`ctx N%`, coloured past 80%).

use crate::support::bus;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ocw_tui::model::catalog::{Catalog, ModelMemory};
use ocw_tui::ui::testing::{
    buffer_text, ctrl, draw_app, draw_app_buffer, key, styled_text, type_text,
};
use ocw_tui::ui::theme::{with_palette, Palette};
use ocw_tui::ui::{Action, App, ConnectionState, UiInput, UiOptions};
use serde_json::json;

const SID: &str = "ses_models";

fn catalog() -> Catalog {
    let providers = json!({"providers":[
        {"id":"opencode","name":"OpenCode Zen","models":{
            "big-pickle":{"id":"big-pickle","name":"Big Pickle","limit":{"context":200000,"input":160000,"output":32000},"variants":{}}}},
        {"id":"mock","name":"Mock","models":{
            "mock-model":{"id":"mock-model","name":"Mock Model","limit":{"context":150,"output":100},"variants":{}},
            "mock-think":{"id":"mock-think","name":"Mock Thinker","limit":{"context":200000,"output":8000},
                          "variants":{"low":{},"medium":{},"high":{}}}}}],
        "default":{"mock":"mock-think"}});
    let agents = json!([
        {"name":"build","mode":"primary","description":"The default agent. Executes tools based on configured permissions."},
        {"name":"compaction","mode":"primary","hidden":true},
        {"name":"explore","mode":"subagent"},
        {"name":"general","mode":"subagent"},
        {"name":"plan","mode":"primary","description":"Plan mode. Disallows all edit tools."},
        {"name":"reviewer","mode":"primary","color":"#ff8800","description":"Reviews code"},
        {"name":"title","mode":"primary","hidden":true}]);
    let config = json!({"model":"mock/mock-model","default_agent":null});
    Catalog::from_json(&providers, &agents, &config)
}

fn app_with(opts: UiOptions, memory: ModelMemory) -> (App, Vec<Action>) {
    let mut app = App::new(opts);
    app.pin_clock(1_000_000);
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    app.handle_input(UiInput::ShowSession(SID.into()));
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": SID, "title": "switching"}}),
    );
    let out = app.handle_input(UiInput::Catalog {
        catalog: catalog(),
        memory,
    });
    (app, out)
}

fn app() -> App {
    app_with(UiOptions::default(), ModelMemory::default()).0
}

fn options(model: &str, variant: Option<&str>, agent: &str) -> Action {
    Action::PromptOptions {
        model: Some(model.into()),
        variant: variant.map(str::to_string),
        agent: Some(agent.into()),
    }
}

fn shift_tab() -> KeyEvent {
    KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
}

fn status_line(app: &App) -> String {
    draw_app(app, 120, 20).lines().last().unwrap().to_string()
}

#[test]
fn the_first_choice_is_the_config_model_and_the_default_agent_and_is_sent_at_once() {
    let (app, out) = app_with(UiOptions::default(), ModelMemory::default());
    assert_eq!(out, [options("mock/mock-model", None, "build")]);
    let bar = status_line(&app);
    assert!(bar.contains("build · mock/mock-model"), "{bar}");
}

#[test]
fn the_projects_memory_wins_over_the_config_and_model_flag_wins_over_both() {
    let memory = ModelMemory {
        recent: vec!["gone/old".into(), "mock/mock-think".into()],
        variant: [("mock/mock-think".to_string(), "high".to_string())].into(),
        agent: Some("plan".into()),
    };
    let (_, out) = app_with(UiOptions::default(), memory.clone());
    assert_eq!(out, [options("mock/mock-think", Some("high"), "plan")]);
    let flags = UiOptions {
        model_label: Some("opencode/big-pickle".into()),
        agent_label: Some("reviewer".into()),
        ..UiOptions::default()
    };
    let (_, out) = app_with(flags, memory);
    assert_eq!(out, [options("opencode/big-pickle", None, "reviewer")]);
}

#[test]
fn models_picker_lists_recent_first_filters_and_the_choice_applies_to_the_next_prompt() {
    let memory = ModelMemory {
        recent: vec!["mock/mock-think".into()],
        ..ModelMemory::default()
    };
    let (mut app, _) = app_with(UiOptions::default(), memory);
    type_text(&mut app, "/models");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    let screen = draw_app(&app, 90, 24);
    insta::assert_snapshot!("model_picker", screen);
    let recent = screen.find("Recent").expect("a Recent group");
    assert!(recent < screen.find("OpenCode Zen").unwrap(), "{screen}");
    // Type to filter: "pickle" leaves one model.
    type_text(&mut app, "pickle");
    let screen = draw_app(&app, 90, 24);
    assert!(
        screen.contains("Big Pickle") && !screen.contains("Mock Thinker"),
        "{screen}"
    );
    let out = app.handle_key(key(KeyCode::Enter));
    let Some(Action::SaveModelMemory(saved)) = out.get(1) else {
        panic!("{out:?}")
    };
    assert_eq!(out[0], options("opencode/big-pickle", None, "build"));
    assert_eq!(saved.recent, ["opencode/big-pickle", "mock/mock-think"]);
    assert!(status_line(&app).contains("opencode/big-pickle"));
    // The next prompt goes out as usual; the front-end sends it with the options.
    let out = type_text(&mut app, "hi");
    assert!(out.is_empty());
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        [Action::Prompt {
            session_id: SID.into(),
            text: "hi".into(),
            files: vec![],
            agents: vec![],
        }]
    );
}

#[test]
fn esc_closes_a_picker_without_changing_anything() {
    let mut app = app();
    app.handle_key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE));
    assert!(draw_app(&app, 90, 24).contains("Mock Thinker"));
    assert!(app.handle_key(key(KeyCode::Esc)).is_empty());
    assert!(!draw_app(&app, 90, 24).contains("Mock Thinker"));
    assert_eq!(app.chosen_model(), Some("mock/mock-model"));
}

#[test]
fn tab_cycles_the_primary_agents_like_opencode_and_shift_tab_still_focuses_tools() {
    let mut app = app();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let out = app.handle_key(key(KeyCode::Tab));
        let Some(Action::PromptOptions { agent, .. }) = out.first() else {
            panic!("{out:?}")
        };
        seen.push(agent.clone().unwrap());
    }
    assert_eq!(seen, ["plan", "reviewer", "build"]);
    // A tool call on screen: Shift+Tab focuses it, then Tab moves the focus (no agent change).
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_2", "sessionID": SID, "role": "assistant"}}),
    );
    for p in ["prt_a", "prt_b"] {
        bus(
            &mut app,
            "message.part.updated",
            json!({"part": {"id": p, "messageID": "msg_2", "sessionID": SID, "type": "tool", "tool": "bash", "callID": p,
                "state": {"status": "completed", "input": {"command": p}, "output": "x", "metadata": {"output": "x", "exit": 0}}}}),
        );
    }
    draw_app(&app, 100, 30);
    assert!(app.handle_key(shift_tab()).is_empty());
    assert!(app.view().focused_tool().is_some());
    assert!(app.handle_key(key(KeyCode::Tab)).is_empty());
    assert_eq!(app.chosen_agent(), Some("build"));
    // Esc leaves the tool; Tab is the agent's again.
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Tab));
    assert_eq!(app.chosen_agent(), Some("plan"));
}

#[test]
fn ctrl_t_cycles_the_variants_and_back_to_the_default() {
    let mut app = app();
    app.handle_key(ctrl('t'));
    let screen = draw_app(&app, 100, 20);
    assert!(screen.contains("has no variants"), "{screen}");
    assert_eq!(app.chosen_variant(), None);
    app.handle_key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE));
    type_text(&mut app, "thinker");
    app.handle_key(key(KeyCode::Enter));
    let mut seen = Vec::new();
    for _ in 0..4 {
        let out = app.handle_key(ctrl('t'));
        let Some(Action::PromptOptions { variant, .. }) = out.first() else {
            panic!("{out:?}")
        };
        seen.push(variant.clone().unwrap_or("default".into()));
    }
    assert_eq!(seen, ["low", "medium", "high", "default"]);
    app.handle_key(ctrl('t'));
    assert!(status_line(&app).contains("mock/mock-think · low"));
}

#[test]
fn variant_and_agent_pickers() {
    let mut app = app();
    type_text(&mut app, "/variants");
    app.handle_key(key(KeyCode::Enter));
    assert!(!app.model_picker_open(), "mock-model has no variants");
    app.handle_key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE));
    type_text(&mut app, "thinker");
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "/variants");
    app.handle_key(key(KeyCode::Enter));
    insta::assert_snapshot!("variant_picker", draw_app(&app, 90, 20));
    type_text(&mut app, "hig");
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(out[0], options("mock/mock-think", Some("high"), "build"));
    let Action::SaveModelMemory(m) = &out[1] else {
        panic!()
    };
    assert_eq!(
        m.variant.get("mock/mock-think").map(String::as_str),
        Some("high")
    );
    type_text(&mut app, "/agents");
    app.handle_key(key(KeyCode::Enter));
    let buf = with_palette(Palette::Dark, || draw_app_buffer(&app, 90, 20));
    insta::assert_snapshot!("agent_picker", buffer_text(&buf));
    type_text(&mut app, "rev");
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(out[0], options("mock/mock-think", Some("high"), "reviewer"));
}

/// An assistant message of `model` with these tokens.
fn answer(app: &mut App, id: &str, model: &str, input: u64, output: u64, cache_read: u64) {
    let (p, m) = model.split_once('/').unwrap();
    bus(
        app,
        "message.updated",
        json!({"info": {"id": id, "sessionID": SID, "role": "assistant", "providerID": p, "modelID": m,
            "tokens": {"input": input, "output": output, "reasoning": 0, "cache": {"read": cache_read, "write": 0}}}}),
    );
}

#[test]
fn the_status_bar_shows_the_agent_in_its_colour_and_the_context_meter() {
    let mut app = app();
    // build: the palette's first colour (secondary).
    answer(&mut app, "msg_a", "mock/mock-model", 40, 10, 0);
    let dark = with_palette(Palette::Dark, || {
        styled_text(&draw_app_buffer(&app, 110, 8))
    });
    insta::assert_snapshot!("status_build_ctx_33", dark);
    assert!(
        status_line(&app).contains("ctx 33%"),
        "{}",
        status_line(&app)
    );
    // 100 + 20 + 4 cache of 150 is 83%: past 80%, in the error colour.
    answer(&mut app, "msg_b", "mock/mock-model", 100, 20, 4);
    app.handle_key(key(KeyCode::Tab));
    app.handle_key(key(KeyCode::Tab));
    let dark = with_palette(Palette::Dark, || {
        styled_text(&draw_app_buffer(&app, 110, 8))
    });
    insta::assert_snapshot!("status_reviewer_ctx_83", dark);
    let mono = with_palette(Palette::Mono, || {
        styled_text(&draw_app_buffer(&app, 110, 8))
    });
    insta::assert_snapshot!("status_reviewer_ctx_83_mono", mono);
    // A bigger model: the same message is measured against its own model's limit.
    let bar = status_line(&app);
    assert!(bar.contains("ctx 83%") && bar.contains("reviewer"), "{bar}");
    answer(&mut app, "msg_c", "mock/mock-think", 2000, 20, 0);
    assert!(
        status_line(&app).contains("ctx 1%"),
        "{}",
        status_line(&app)
    );
}

#[test]
fn no_meter_and_no_picker_before_the_catalog_arrives() {
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::ShowSession(SID.into()));
    answer(&mut app, "msg_a", "mock/mock-model", 40, 10, 0);
    assert!(!status_line(&app).contains("ctx"));
    type_text(&mut app, "/models");
    app.handle_key(key(KeyCode::Enter));
    assert!(draw_app(&app, 100, 20).contains("still loading"));
    // Tab without agents keeps focusing tool calls (nothing to cycle).
    assert!(app.handle_key(key(KeyCode::Tab)).is_empty());
}

#[test]
fn pickers_fit_a_small_screen_and_hostile_names_are_cleaned() {
    let mut app = App::new(UiOptions::default());
    app.handle_input(UiInput::ShowSession(SID.into()));
    let providers = json!({"providers":[{"id":"evil","name":"Evil\u{1b}]0;pwned\u{7}","models":{
        "m\u{202e}x":{"id":"m\u{202e}x","name":"Bad\u{1b}[31m model","limit":{"context":100}}}}]});
    let agents =
        json!([{"name":"a\u{1b}[2Jgent","mode":"primary"},{"name":"plan","mode":"primary"}]);
    app.handle_input(UiInput::Catalog {
        catalog: Catalog::from_json(&providers, &agents, &json!({})),
        memory: ModelMemory::default(),
    });
    app.handle_key(KeyEvent::new(KeyCode::F(4), KeyModifiers::NONE));
    let small = draw_app(&app, 40, 10);
    insta::assert_snapshot!("model_picker_40x10_hostile", small);
    for screen in [small, draw_app(&app, 120, 20)] {
        assert!(
            !screen.contains('\u{1b}') && !screen.contains('\u{202e}') && !screen.contains('\u{7}'),
            "{screen:?}"
        );
    }
    app.handle_key(key(KeyCode::Esc));
    let bar = status_line(&app);
    assert!(bar.contains("a␛[2Jgent"), "{bar}");
}
