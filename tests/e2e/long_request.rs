//! End-to-end, approval safety ("what you approve is what you saw"): the real `ocw-tui` in
//! tmux at 60x20 and 40x12 against the real opencode 1.18.33. The scripted model asks for
//! `bash` with a long command whose end is `; rm -rf ./important`. A `y` once the keys
//! would have armed answers nothing (the server still waits, the file is still there) and
//! the dialog says how many lines are hidden; scrolled to the end, the tail is on screen,
//! and `n` rejects. `rm` never runs.

use crate::support;

use serde_json::Value;
use std::time::Duration;
use support::{assert_no_opencode_left, log_events, MockModel, Tmux, Workspace};

const TAIL: &str = "; rm -rf ./important";

fn replies(log: &std::path::Path) -> Vec<Value> {
    log_events(log)
        .into_iter()
        .filter(|e| e["type"] == "permission.replied")
        .collect()
}

/// The dialog's rows: from its title row to the bottom of its frame.
fn dialog(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let Some(top) = lines.iter().rposition(|l| l.contains("Permission: bash")) else {
        return String::new();
    };
    let end = lines[top + 1..]
        .iter()
        .position(|l| l.trim_start().starts_with('╰'))
        .map_or(lines.len(), |i| top + 1 + i);
    lines[top..end].join("\n")
}

/// Text without whitespace, frame or scrollbar characters: what wraps reads as one.
fn squeezed(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '█' | '╭' | '╮' | '╰' | '╯' | '─'))
        .collect()
}

fn long_request_at(w: u16, h: u16) {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let important = ws.project_dir().join("important");
    std::fs::write(&important, "keep me\n").unwrap();
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap()]);
    t.wait_text("ready", 60);
    let (ws_, hs) = (w.to_string(), h.to_string());
    t.command(&["resize-window", "-t", &t.name(), "-x", &ws_, "-y", &hs]);
    std::thread::sleep(Duration::from_millis(300));
    // 28 characters before the `A`s: the tail then wraps onto no second row at 40 or 60
    // columns (rows of 32 and 52 characters), so one capture can show it whole.
    t.prompt(&format!(
        "bash: echo this-is-a-long-command {}{TAIL}",
        "A".repeat(200)
    ));
    t.wait_text("Permission: bash", 60);
    // Past the moment in which a new dialog's keys would arm.
    t.wait_for("the keys to leave their arming moment", 10, |s| {
        !s.contains("keys arm in a moment")
    });
    std::thread::sleep(Duration::from_millis(700));
    t.send_keys(&["y"]);
    std::thread::sleep(Duration::from_millis(1500));
    let screen = t.screen();
    assert!(
        replies(&log).is_empty(),
        "{w}x{h}: y answered an unread request:\n{screen}"
    );
    assert!(important.exists(), "{w}x{h}: rm ran");
    let d = dialog(&screen);
    assert!(
        d.contains("more lines"),
        "{w}x{h}: no hidden-lines marker:\n{screen}"
    );
    assert!(
        d.contains("read to the end to answer"),
        "{w}x{h}: the key line says what to do:\n{screen}"
    );
    // Down to the tail, then on to the end of the request (its patterns follow).
    let mut saw_tail = false;
    for _ in 0..80 {
        let d = dialog(&t.screen());
        saw_tail |= squeezed(&d).contains(&squeezed(TAIL));
        if saw_tail && !d.contains("read to the end to answer") {
            break;
        }
        t.send_keys(&["Down"]);
        std::thread::sleep(Duration::from_millis(150));
    }
    let screen = t.screen();
    assert!(saw_tail, "{w}x{h}: the tail never showed:\n{screen}");
    assert!(
        !dialog(&screen).contains("read to the end to answer"),
        "{w}x{h}: the keys did not arm at the end:\n{screen}"
    );
    assert!(replies(&log).is_empty(), "{w}x{h}: scrolling answered");
    t.send_keys(&["n"]);
    t.wait_for("the rejection", 20, |_| !replies(&log).is_empty());
    let r = replies(&log);
    assert_eq!(r.len(), 1, "{w}x{h}: {r:?}");
    assert_eq!(r[0]["properties"]["reply"], "reject", "{w}x{h}");
    std::thread::sleep(Duration::from_millis(500));
    assert!(important.exists(), "{w}x{h}: rm ran");
    t.send_keys(&["C-c"]);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn a_long_command_at_60x20_is_read_to_its_end_before_it_can_be_allowed() {
    long_request_at(60, 20);
}

#[test]
fn a_long_command_at_40x12_is_read_to_its_end_before_it_can_be_allowed() {
    long_request_at(40, 12);
}
