//! "Allow always" end to end, in tmux against the real opencode 1.18.33 and the scripted
//! model, in a project whose opencode.jsonc says `"edit": "ask"`: after `a` on a build-agent
//! edit (with and without saving the rule), the build agent's next edit is allowed by the
//! client's rule without a dialog and the screen says so, while the plan agent still asks
//! before writing (opencode's own "always" would have let it write: the server is told
//! `once`). Saving writes the agent-scoped rule with no repeated key.

use crate::support;

use serde_json::Value;
use std::time::Duration;
use support::{assert_no_opencode_left, MockModel, Tmux, Workspace};

fn wait_armed(t: &Tmux) -> String {
    t.wait_dialog_keys()
}

fn replies(log: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("log lines are JSON"))
        .filter(|e| e["type"] == "permission.replied")
        .map(|e| e["properties"]["reply"].as_str().unwrap_or("").to_string())
        .collect()
}

const JSONC: &str = "{\n  // ask before every edit\n  \"permission\": { \"edit\": \"ask\" }\n}\n";

fn always_keeps_plan_asking(save: bool) {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let dir = ws.project_dir().to_path_buf();
    std::fs::write(dir.join("opencode.jsonc"), JSONC).unwrap();
    // Permissions come from the project file only.
    let mut config = mock.opencode_config();
    config.as_object_mut().unwrap().remove("permission");
    let log = ws.root().join("tui.jsonl");
    let config = config.to_string();
    let t = Tmux::start_with_env(
        &ws,
        &[("OPENCODE_CONFIG_CONTENT", config.as_str())],
        &["--log", log.to_str().unwrap()],
    );
    t.wait_text("ready", 60);

    // The build agent edits twice; `a` on the first.
    t.prompt("build edits\nwrite: one.txt :: 1\nwrite: two.txt :: 2");
    let screen = t.wait_text("Permission: edit", 60);
    assert!(
        screen.contains("any file edit, by the build agent only"),
        "the always choice says what it allows, for whom:\n{screen}"
    );
    wait_armed(&t);
    t.send_keys(&["a"]);
    let screen = t.wait_text("save for build", 30);
    assert!(
        screen.contains("for every agent (plan included)"),
        "{screen}"
    );
    wait_armed(&t);
    t.send_keys(&[if save { "s" } else { "n" }]);
    t.wait_for("the offer to close", 20, |s| !s.contains("save for build"));
    // The note shows for 8 s: wait for it, then for the turn's end (separately: a loaded
    // machine can take longer than that between the two).
    // (With `s` the "saved to …" note may replace it at once: either shows that it acted.)
    t.wait_for("the rule's note", 60, |s| {
        s.contains("allowed by your 'always' rule") || (save && s.contains("saved to"))
    });
    let screen = t.wait_for("the second edit, allowed by the rule", 60, |s| {
        s.contains("Done: ")
    });
    assert!(!screen.contains("Permission: edit"), "{screen}");
    assert!(dir.join("one.txt").exists() && dir.join("two.txt").exists());
    // (opencode itself adds a `$schema` line to the file when it starts.)
    let read = || std::fs::read_to_string(dir.join("opencode.jsonc")).unwrap();
    if save {
        // The rule is written by the front-end after the key: wait for it, not for a pause.
        let deadline = std::time::Instant::now() + crate::support::patience(20);
        while !read().contains("\"build\"") && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let text = read();
    let v = ocw_tui::backend::rule_file::parse_jsonc(&text).unwrap();
    assert_eq!(v["permission"]["edit"], "ask", "{text}");
    assert!(text.contains("// ask before every edit"), "{text}");
    assert_eq!(
        text.matches("\"edit\"").count(),
        1 + usize::from(save),
        "{text}"
    );
    if save {
        assert_eq!(
            v["agent"]["build"]["permission"]["edit"]["*"], "allow",
            "{text}"
        );
    } else {
        assert!(v.get("agent").is_none(), "not saved: {text}");
    }

    // The plan agent still asks before writing; `n` refuses and nothing is written.
    t.send_keys(&["Tab"]);
    t.wait_text("plan · mock/mock-model", 10);
    t.prompt("plan edits\nwrite: three.txt :: 3");
    let screen = t.wait_text("Permission: edit", 60);
    assert!(screen.contains("three.txt"), "{screen}");
    assert!(!dir.join("three.txt").exists(), "plan waits for the person");
    wait_armed(&t);
    t.send_keys(&["n"]);
    t.wait_for("the refusal to reach the turn", 60, |s| {
        !s.contains("Permission: edit") && !s.contains("working")
    });
    assert!(!dir.join("three.txt").exists());
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);
    assert_eq!(
        replies(&log),
        ["once", "once", "reject"],
        "the server never hears `always`"
    );
}

#[test]
fn always_without_saving_keeps_the_plan_agent_asking() {
    always_keeps_plan_asking(false);
}

#[test]
fn always_saved_for_build_keeps_the_plan_agent_asking() {
    always_keeps_plan_asking(true);
}
