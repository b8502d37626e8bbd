//! Plan, then build (issue 20 §4) against the real opencode 1.18.33: with the plan agent
//! chosen (`--agent plan`), its turn ends, "Build this plan?" comes up; after it arms, `b` switches to the
//! build agent and sends the message that starts the build. The server records that
//! message as the build agent's, and the model is asked with the plan in the history.

use crate::support;

use serde_json::Value;
use support::{log_events, MockModel, Tmux, Workspace};

#[test]
fn a_plan_agent_turn_offers_to_build_and_b_sends_the_next_message_to_build() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    // `--agent plan` as the start (Tab choosing it is tests/ui/build_plan.rs's).
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap(), "--agent", "plan"]);
    t.wait_for("ready with the plan agent", 60, |s| {
        s.contains("ready") && s.lines().last().is_some_and(|l| l.contains("plan ·"))
    });
    t.prompt("plan the greeting change");
    let screen = t.wait_text("Build this plan?", 60);
    assert!(
        screen.contains("Hello! You said: plan the greeting change."),
        "{screen}"
    );
    // Its keys arm after a moment (the person has seen it).
    t.wait_dialog_keys();
    t.send_keys(&["b"]);
    t.wait_for("the build turn to end", 60, |s| {
        s.contains("Hello! You said: Build the plan above") && s.contains("ready")
    });
    let screen = t.screen();
    assert!(!screen.contains("Build this plan?"), "{screen}");
    assert!(
        screen.lines().last().is_some_and(|l| l.contains("build ·")),
        "the build agent is chosen: {screen}"
    );
    support::quit(&t, &ws);

    // The server took the second prompt as the build agent's.
    let users: Vec<Value> = log_events(&log)
        .into_iter()
        .filter(|e| e["type"] == "message.updated" && e["properties"]["info"]["role"] == "user")
        .map(|e| e["properties"]["info"].clone())
        .collect();
    let agent_of = |n: usize| -> Vec<String> {
        let mut seen: Vec<(String, String)> = Vec::new();
        for u in &users {
            let id = u["id"].as_str().unwrap_or("").to_string();
            if !seen.iter().any(|(i, _)| *i == id) {
                seen.push((id, u["agent"].as_str().unwrap_or("").to_string()));
            }
        }
        seen.iter()
            .skip(n)
            .take(1)
            .map(|(_, a)| a.clone())
            .collect()
    };
    assert_eq!(agent_of(0), vec!["plan".to_string()], "{users:?}");
    assert_eq!(agent_of(1), vec!["build".to_string()], "{users:?}");
    // The model saw the plan (the first answer) in the build turn's history.
    let last = mock
        .requests()
        .into_iter()
        .rfind(|r| r.get("tools").is_some())
        .expect("a request with tools");
    let history = last["messages"].to_string();
    assert!(
        history.contains("Hello! You said: plan the greeting change."),
        "{history}"
    );
    assert!(history.contains("Build the plan above"), "{history}");
}
