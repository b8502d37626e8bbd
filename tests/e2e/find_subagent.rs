//! End-to-end tests of transcript search and subagent navigation (issue 11 §4, §5): the
//! real `ocw-tui` in tmux against the real opencode 1.18.33 and the scripted model. Search
//! counts and reaches a turn not paged in yet; a subagent of a subagent (depth 2) opens
//! with Shift+Tab and Enter, shows its output and its path in the status bar, and
//! Backspace climbs back to the top session.

use crate::support;

use serde_json::Value;
use support::{log_events, quit, MockModel, Tmux, Workspace};

/// The status bar (last line with text: the prompt box sits above it).
fn status_line(screen: &str) -> String {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default()
        .to_string()
}

/// Runs `prompts` as the turns of one new session, headless; its id.
fn session_with_turns(ws: &Workspace, prompts: &[String]) -> String {
    let out = support::ocw_run(ws)
        .arg("--json")
        .args(prompts)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["sessions"][0]["session_id"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Issue 11 §5: Ctrl+F searches the whole session, the history not paged in included. The
/// word is on the second line of two prompts (the scripted model echoes only the first),
/// in turn 1 and in turn 12 of 12; four messages a page shows only turns 11 and 12, and
/// they fill more than the screen (scrolling up would page the rest in by itself).
#[test]
fn search_counts_and_reaches_a_turn_not_paged_in_yet() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let mut prompts: Vec<String> = (1..=12).map(|i| format!("turn number {i}")).collect();
    prompts[0] = "turn number 1\nzebra in the earliest turn".into();
    prompts[11] = "turn number 12\nzebra in the latest turn".into();
    // Turn 11's long answer makes the newest page taller than the screen: its top is not
    // shown, so nothing but the search asks for the older history.
    prompts[10] = "turn number 11\nwords: 900".into();
    let id = session_with_turns(&ws, &prompts);
    let t = Tmux::start_with_env(&ws, &[("OCW_HISTORY_PAGE", "4")], &["--session", &id]);
    let screen = t.wait_text("You said: turn number 12. This is turn 12.", 60);
    assert!(
        !screen.contains("turn number 11") && !screen.contains("earliest"),
        "only the end of the newest page at first:\n{screen}"
    );
    t.send_keys(&["C-f"]);
    t.type_text("zebra");
    t.send_keys(&["Enter"]);
    // The early turn arrives through the fetched path: two hits, the newest is current.
    let screen = t.wait_text("2 of 2", 30);
    assert!(screen.contains("zebra in the latest turn"), "{screen}");
    assert!(
        !screen.contains("zebra in the earliest turn"),
        "the early turn is out of view before n:\n{screen}"
    );
    t.send_keys(&["n"]);
    let screen = t.wait_text("1 of 2", 10);
    assert!(
        screen.contains("zebra in the earliest turn"),
        "n jumps to the turn that was not paged in:\n{screen}"
    );
    assert!(screen.contains("turn number 1"), "{screen}");
    t.send_keys(&["N"]);
    let screen = t.wait_text("2 of 2", 10);
    assert!(screen.contains("zebra in the latest turn"), "{screen}");
    t.send_keys(&["Escape"]);
    quit(&t, &ws);
}

/// opencode 1.18.33 stops nesting at depth 1 ("Subagent depth limit reached (1). Increase
/// \"subagent_depth\"") and leaves `task` out of a subagent's tools unless its agent has a
/// `task` rule of its own: both are needed for a grandchild.
const NESTED: &str = r#"{"subagent_depth":2,"agent":{"general":{"permission":{"task":"allow"}}}}"#;

/// Issue 11 §4 at depth 2: the top session's `task` starts a subagent whose own `task`
/// starts a grandchild that runs `echo grandchild-out` (bash asks). The permission dialog
/// says a subagent asks; then Shift+Tab + Enter open the child, again the grandchild (its
/// output on screen, the path in the status bar), and Backspace twice is back on top.
#[test]
fn a_subagent_of_a_subagent_opens_and_backspace_climbs_back() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap(), "--config", NESTED]);
    t.wait_text("ready", 60);
    t.prompt("delegate twice\ntask: task: bash: echo grandchild-out");
    let screen = t.wait_text("Permission: bash", 90);
    assert!(
        screen.contains("subagent \""),
        "the dialog says a subagent asks:\n{screen}"
    );
    assert!(screen.contains("echo grandchild-out"), "{screen}");
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    // The top session's answer comes once both subagents are done.
    let top = t.wait_for("the top turn to end", 90, |s| {
        !s.contains("Permission: bash") && s.contains("Done: ") && !s.contains("working ·")
    });
    let top_status = status_line(&top);
    assert!(!top_status.contains('›'), "no path on top: {top_status}");

    // Open the child: Shift+Tab focuses the last tool call on screen (the task), Enter.
    t.send_keys(&["BTab"]);
    t.send_keys(&["Enter"]);
    let child = t.wait_for("the child session", 20, |s| {
        status_line(s).contains('›') && s.contains("bash: echo grandchild-out")
    });
    assert_eq!(
        status_line(&child).matches('›').count(),
        1,
        "parent › child:\n{child}"
    );
    // The child's own task: open the grandchild.
    t.send_keys(&["BTab"]);
    t.send_keys(&["Enter"]);
    let grand = t.wait_for("the grandchild session", 20, |s| {
        status_line(s).matches('›').count() == 2
    });
    assert!(grand.contains("echo grandchild-out"), "{grand}");
    assert!(
        grand.contains("Done: grandchild-out"),
        "the grandchild's answer is on screen:\n{grand}"
    );
    assert!(
        !grand.contains("delegate twice"),
        "the top prompt is not shown in the grandchild:\n{grand}"
    );
    // The grandchild has no sibling: Right says so and stays.
    t.send_keys(&["Right"]);
    let edge = t.wait_text("this is the last subagent", 10);
    assert_eq!(status_line(&edge).matches('›').count(), 2, "{edge}");
    // Backspace on the empty prompt: the child, then the top session.
    t.send_keys(&["BSpace"]);
    t.wait_for("the child again", 20, |s| {
        status_line(s).matches('›').count() == 1
    });
    t.send_keys(&["BSpace"]);
    let back = t.wait_for("the top session again", 20, |s| {
        !status_line(s).contains('›') && s.contains("delegate twice")
    });
    assert!(back.contains("Done: "), "{back}");
    quit(&t, &ws);
    // Three sessions: the top one, its child and the grandchild (parent chain of two).
    let mut parents = std::collections::HashMap::new();
    for e in log_events(&log) {
        if e["type"] == "session.created" || e["type"] == "session.updated" {
            let info = &e["properties"]["info"];
            if let Some(id) = info["id"].as_str() {
                parents.insert(id.to_string(), info["parentID"].as_str().map(String::from));
            }
        }
    }
    let depth = |mut id: String| {
        let mut d = 0;
        while let Some(Some(p)) = parents.get(&id) {
            id = p.clone();
            d += 1;
        }
        d
    };
    let max = parents.keys().map(|k| depth(k.clone())).max().unwrap_or(0);
    assert_eq!(max, 2, "a grandchild session ran: {parents:?}");
}
