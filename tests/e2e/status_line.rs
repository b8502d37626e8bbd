//! The status line command (issue 20 §5) against the real opencode 1.18.33 in tmux: a
//! command in `$XDG_CONFIG_HOME/ocw-tui/settings.json` (Claude Code's `statusLine` shape)
//! reads the session JSON on stdin and its first line shows in the status bar; one that
//! sleeps never holds up typing, is cut after 1 s (said in the bar) and leaves no process.

use crate::support;

use support::{MockModel, Tmux, Workspace};

fn settings(ws: &Workspace, command: &str) {
    let dir = ws.root().join("xdg/config/ocw-tui");
    std::fs::create_dir_all(&dir).unwrap();
    let json = serde_json::json!({"statusLine": {"type": "command", "command": command}});
    std::fs::write(dir.join("settings.json"), json.to_string()).unwrap();
}

#[test]
fn the_commands_first_line_shows_and_a_slow_one_never_holds_up_typing() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let script = ws.root().join("status.sh");
    // Reads the JSON, prints the model's display name and the cost field, in green.
    std::fs::write(
        &script,
        "#!/bin/sh\nj=$(cat)\nname=$(printf %s \"$j\" | grep -o '\"display_name\":\"[^\"]*\"' | cut -d'\"' -f4)\n\
         cost=$(printf %s \"$j\" | grep -o '\"total_cost_usd\":[0-9.]*' | cut -d: -f2)\n\
         printf '\\033[32mSL %s cost=%s\\033[0m\\nsecond line\\n' \"$name\" \"$cost\"\n",
    )
    .unwrap();
    settings(&ws, &format!("sh {}", script.display()));
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    let screen = t.wait_text("SL Mock Model cost=0", 30);
    let bar = screen
        .lines()
        .rev()
        .find(|l| l.contains("SL Mock"))
        .unwrap_or("");
    assert!(
        !screen.contains("second line"),
        "only the first line: {screen}"
    );
    assert!(bar.contains("ready"), "the bar's own state stays: {bar}");
    let colored = t.screen_with_escapes();
    // SGR 32 (green) as the terminal's own green, palette entry 2.
    assert!(
        colored.contains("\u{1b}[38;5;2mSL Mock Model")
            || colored.contains("\u{1b}[32mSL Mock Model"),
        "its colour kept:\n{colored}"
    );
    support::quit(&t, &ws);

    // A command that sleeps: typing shows at once, the run is cut after 1 s and said.
    settings(&ws, "sleep 7.5; echo late");
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    t.type_text("still typing");
    let screen = t.wait_text("still typing", 5);
    assert!(!screen.contains("late"), "{screen}");
    t.wait_text("took over 1 s", 30);
    t.send_keys(&["C-u"]);
    support::quit(&t, &ws);
    let left = std::process::Command::new("pgrep")
        .args(["-f", "sleep 7.5"])
        .output()
        .unwrap();
    assert!(
        left.stdout.is_empty(),
        "the slow command outlived ocw-tui: {}",
        String::from_utf8_lossy(&left.stdout)
    );
}
