//! Model, variant and agent switching and the context meter, end to end: the real ocw-tui
//! in tmux against the real opencode 1.18.33 and the scripted model, whose recorded
//! requests show what changed (`model`, `reasoning_effort`, the agent's system prompt);
//! the choice is remembered for the project and used at the next start unless `--model`
//! is given.

use crate::support;

use serde_json::{json, Value};
use support::{quit, MockModel, Tmux, Workspace};

/// The mock provider with a small-context model (150, so 130 tokens fill 87%), a reasoning
/// model with variants, and a primary agent with its own prompt and colour. Auto-compaction
/// is off so a full context stays full.
fn config(mock: &MockModel) -> Value {
    let mut c = mock.opencode_config();
    c["provider"]["mock"]["models"] = json!({
        "mock-model": {"name": "Mock Model", "tool_call": true, "limit": {"context": 150, "output": 20}},
        "mock-think": {"name": "Mock Thinker", "tool_call": true, "reasoning": true,
                       "limit": {"context": 200000, "output": 8000},
                       "variants": {"low": {"reasoningEffort": "low"}, "high": {"reasoningEffort": "high"}}}
    });
    c["agent"] = json!({"reviewer": {"mode": "primary", "description": "Reviews code",
        "color": "#ff8800", "prompt": "You are a reviewer."}});
    c["compaction"] = json!({"auto": false});
    c
}

fn start(ws: &Workspace, cfg: &Value, args: &[&str]) -> Tmux {
    let cfg = cfg.to_string();
    Tmux::start_with_env(ws, &[("OPENCODE_CONFIG_CONTENT", &cfg)], args)
}

/// The last request of a turn the model received (title requests have no tools).
fn last_turn_request(mock: &MockModel) -> Value {
    mock.requests()
        .into_iter()
        .rev()
        .find(|r| r.get("tools").is_some())
        .expect("a turn request")
}

fn system_prompt(r: &Value) -> String {
    r["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["role"] == "system")
        .map(|m| match &m["content"] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
        .collect()
}

#[test]
fn switching_model_variant_and_agent_changes_what_the_model_receives_and_is_remembered() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let cfg = config(&mock);
    let t = start(&ws, &cfg, &[]);
    // The catalog arrived: the configured model and the default agent.
    t.wait_text("build · mock/mock-model", 60);

    // The context meter on the 150-token model: 40 + 10 = 33%, then 120 + 10 = 87%.
    t.prompt("hello one");
    t.wait_text("This is turn 1.", 60);
    let s = t.wait_text("ctx 33%", 20);
    assert!(s.contains("ctx 33%"), "{s}");
    let r = last_turn_request(&mock);
    assert_eq!(r["model"], "mock-model");
    assert!(!system_prompt(&r).contains("You are a reviewer."));
    t.prompt("hello two\nusage: 120");
    t.wait_text("This is turn 2.", 60);
    t.wait_text("ctx 87%", 20);
    let esc = t.screen_with_escapes();
    let at = esc.find("ctx 87%").unwrap();
    let before = &esc[esc[..at].rfind('\x1b').unwrap()..at];
    assert!(
        ["[31m", ";31m", "[91m", "38;5;1m", "38;5;9m"]
            .iter()
            .any(|red| before.contains(red)),
        "past 80% the meter is red: {before:?}"
    );

    // The model picker: type to filter, Enter chooses.
    t.prompt("/models");
    t.wait_text("Mock Thinker", 10);
    t.type_text("thinker");
    t.send_keys(&["Enter"]);
    t.wait_text("build · mock/mock-think", 10);
    // Ctrl+T: the first variant; Tab twice: build → plan → reviewer.
    t.send_keys(&["C-t"]);
    t.wait_text("mock/mock-think · low", 10);
    t.send_keys(&["Tab"]);
    t.wait_text("plan · mock/mock-think", 10);
    t.send_keys(&["Tab"]);
    t.wait_text("reviewer · mock/mock-think · low", 10);
    t.prompt("hello three");
    t.wait_text("This is turn 3.", 60);
    let r = last_turn_request(&mock);
    assert_eq!(r["model"], "mock-think", "{r}");
    assert_eq!(r["reasoning_effort"], "low", "{r}");
    assert!(
        system_prompt(&r).starts_with("You are a reviewer."),
        "{}",
        system_prompt(&r)
    );
    // /variants picks another one.
    t.prompt("/variants");
    t.wait_text("reasoning effort high", 10);
    t.type_text("high");
    t.send_keys(&["Enter"]);
    t.wait_text("mock/mock-think · high", 10);
    quit(&t, &ws);

    // Remembered for the project, atomically written.
    let memory: Value = serde_json::from_str(
        &std::fs::read_to_string(ws.root().join("xdg/state/ocw-tui/models.json")).unwrap(),
    )
    .unwrap();
    let project = ws.project_dir().to_string_lossy().into_owned();
    let mine = &memory["projects"][&project];
    assert_eq!(mine["recent"][0], "mock/mock-think", "{memory}");
    assert_eq!(mine["variant"]["mock/mock-think"], "high", "{memory}");
    assert_eq!(mine["agent"], "reviewer", "{memory}");

    // The next start uses it: the first prompt goes to mock-think, high, as the reviewer.
    let t = start(&ws, &cfg, &[]);
    t.wait_text("reviewer · mock/mock-think · high", 60);
    t.prompt("hello again");
    t.wait_text("This is turn 1.", 60);
    let r = last_turn_request(&mock);
    assert_eq!(r["model"], "mock-think", "{r}");
    assert_eq!(r["reasoning_effort"], "high", "{r}");
    quit(&t, &ws);

    // Unless --model says otherwise.
    let t = start(&ws, &cfg, &["--model", "mock/mock-model"]);
    t.wait_text("reviewer · mock/mock-model", 60);
    t.prompt("hello flag");
    t.wait_text("This is turn 1.", 60);
    assert_eq!(last_turn_request(&mock)["model"], "mock-model");
    quit(&t, &ws);
}
