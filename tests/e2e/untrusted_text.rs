//! Untrusted text never reaches the terminal as control sequences, end to end: the real
//! `ocw-tui` in tmux (with `set-clipboard on`, so an OSC 52 would land in tmux's paste
//! buffers) against the real opencode 1.18.33 and the scripted model. A model answer
//! carrying OSC 0 (title), OSC 52 (clipboard) and a screen clear; a bash tool whose output
//! carries OSC 0, OSC 52 and colours; a crafted log replayed. After each: the pane title
//! is unchanged, no paste buffer holds the payload, the transcript is still on screen (the
//! sequences shown as `␛…`), and the tool output keeps its red. Then headless output:
//! bytes untouched into a pipe, cleaned on a terminal (a pty from `script`).
//!
//! Each test first checks that its probe works: the same payload printed raw in a tmux
//! pane does set the title and fill a paste buffer.

use crate::support;

use serde_json::Value;
use std::process::{Command, Stdio};
use support::{assert_no_opencode_left, ocw_tui_bin, quit, MockModel, Tmux, Workspace};

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// A scratch tmux session that keeps the server (and its `set-clipboard on`) alive for
/// the test; killed on drop.
struct Probe(String);

impl Drop for Probe {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

/// Turns `set-clipboard` on (tmux then stores an OSC 52 as a paste buffer) before the
/// program starts, and proves the probe: `marker` printed raw by OSC 52 in a scratch pane
/// lands in a buffer, and OSC 0 there changes that pane's title. The scratch buffer is
/// deleted again.
fn arm_and_prove_probe(marker: &str) -> Probe {
    let probe = format!("{marker}-probe");
    let name = format!("ocw-probe-{}-{marker}", std::process::id());
    let cmd = format!(
        "sleep 0.5; printf '\\033]0;probe-title\\007\\033]52;c;{}\\007'; exec sleep 600",
        b64(&probe)
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &name,
        "-x",
        "40",
        "-y",
        "5",
        &cmd,
    ]);
    let guard = Probe(name.clone());
    tmux(&["set", "-s", "set-clipboard", "on"]);
    let deadline = std::time::Instant::now() + crate::support::patience(10);
    loop {
        let title = tmux(&["display-message", "-p", "-t", &name, "#{pane_title}"]);
        let buffers = tmux(&["list-buffers", "-F", "#{buffer_name} #{buffer_sample}"]);
        if title.trim() == "probe-title" && buffers.contains(&probe) {
            for l in buffers.lines().filter(|l| l.contains(&probe)) {
                let buf = l.split(' ').next().unwrap_or("");
                tmux(&["delete-buffer", "-b", buf]);
            }
            return guard;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the probe does not work: tmux must honour OSC 0 and OSC 52 (title {title:?}, buffers {buffers:?})"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// Nothing the program showed changed the pane's title or wrote a paste buffer.
fn assert_terminal_untouched(t: &Tmux, title_before: &str, marker: &str) {
    assert_eq!(t.pane_title(), title_before, "the pane title changed");
    assert_ne!(t.pane_title(), "pwned");
    let buffers = tmux(&["list-buffers", "-F", "#{buffer_sample}"]);
    assert!(
        !buffers.contains(marker),
        "an OSC 52 reached tmux's paste buffers: {buffers:?}"
    );
}

/// The screen line (with escapes) whose text holds `needle`.
fn escaped_line_with(t: &Tmux, needle: &str) -> String {
    t.screen_with_escapes()
        .lines()
        .find(|l| strip_escapes(l).contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} on:\n{}", t.screen()))
        .to_string()
}

fn strip_escapes(l: &str) -> String {
    let mut out = String::new();
    let mut chars = l.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `red` on the line is drawn in red (SGR 31, or 256-colour index 1).
fn assert_red(line: &str) {
    let at = line.find("red").expect("red on the line");
    let before = &line[..at];
    let sgr = &before[before.rfind("\x1b[").expect("an SGR before red")..];
    let params: Vec<&str> = sgr[2..sgr.len() - 1].split(';').collect();
    let red = params.contains(&"31") || params.windows(3).any(|w| w == ["38", "5", "1"]);
    assert!(red, "red is not red: {line:?}");
}

#[test]
fn a_model_answer_with_escape_sequences_is_shown_not_run() {
    let marker = "ocw-pwned-answer";
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let _probe = arm_and_prove_probe(marker);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    let title = t.pane_title();
    t.prompt(&format!(
        r"say: before \e]0;pwned\a\e]52;c;{}\a\e[2J\e[Hafter",
        b64(marker)
    ));
    let screen = t.wait_text("␛[Hafter", 60);
    assert!(screen.contains("before ␛]0;pwned␇␛]52;c;"), "{screen}");
    assert!(
        screen.contains("▌ say: before"),
        "the prompt is still shown:\n{screen}"
    );
    t.wait_text("ready", 20);
    assert_terminal_untouched(&t, &title, marker);
    quit(&t, &ws);
}

#[test]
fn tool_output_keeps_its_colours_and_drops_other_sequences() {
    let marker = "ocw-pwned-tool";
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let _probe = arm_and_prove_probe(marker);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    let title = t.pane_title();
    t.prompt(&format!(
        r"please run
bash: printf '\033]0;pwned\007\033]52;c;{}\007\033[31mred\033[0m plain\n'",
        b64(marker)
    ));
    t.wait_text("Permission: bash", 60);
    // Approval safety: a new dialog takes keys only after a moment.
    t.wait_dialog_keys();
    t.send_keys(&["y"]);
    let screen = t.wait_text("Done:", 60);
    assert!(
        screen.contains("│ red plain"),
        "the output, sequences dropped:\n{screen}"
    );
    assert!(screen.contains("▌ please run"), "{screen}");
    assert_red(&escaped_line_with(&t, "│ red plain"));
    t.wait_text("ready", 20);
    assert_terminal_untouched(&t, &title, marker);
    quit(&t, &ws);
}

/// A recorded log (bash allowed once) with every text and tool output replaced by
/// hostile bytes.
fn crafted_log(dir: &std::path::Path, marker: &str) -> std::path::PathBuf {
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/opencode-1.18.33/bash_once.jsonl"),
    )
    .unwrap();
    let text = format!(
        "answer \x1b]0;pwned\x07\x1b]52;c;{}\x07\x1b[2J\x1b[Hend",
        b64(marker)
    );
    let output = format!(
        "\x1b]0;pwned\x07\x1b]52;c;{}\x07\x1b[31mred\x1b[0m plain\n",
        b64(marker)
    );
    fn walk(v: &mut Value, text: &str, output: &str) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match (k.as_str(), &x) {
                        ("delta" | "text", Value::String(_)) => *x = Value::from(text),
                        ("output", Value::String(_)) => *x = Value::from(output),
                        _ => walk(x, text, output),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|e| walk(e, text, output)),
            _ => {}
        }
    }
    let mut out = String::new();
    for l in fixture.lines() {
        let mut v: Value = serde_json::from_str(l).unwrap();
        walk(&mut v, &text, &output);
        out.push_str(&v.to_string());
        out.push('\n');
    }
    let path = dir.join("crafted.jsonl");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn a_replayed_log_with_escape_sequences_is_shown_not_run() {
    let marker = "ocw-pwned-replay";
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = crafted_log(ws.root(), marker);
    let _probe = arm_and_prove_probe(marker);
    let t = Tmux::start(&ws, &["replay", log.to_str().unwrap(), "--instant"]);
    let title_at_start = t.pane_title();
    let screen = t.wait_text("␛[Hend", 30);
    assert!(screen.contains("answer ␛]0;pwned␇␛]52;c;"), "{screen}");
    let screen = t.wait_text("│ red plain", 30);
    assert!(screen.contains("bash"), "{screen}");
    assert_red(&escaped_line_with(&t, "│ red plain"));
    // Back to the start and through the whole log again.
    t.send_keys(&["Home"]);
    t.send_keys(&["End"]);
    t.wait_text("│ red plain", 30);
    assert_terminal_untouched(&t, &title_at_start, marker);
    t.send_keys(&["q"]);
    assert_eq!(t.exit_status(20), 0);
}

const SAY: &str = r"say: a\e]0;pwned\ab\e[31mc";
const RAW: &str = "a\x1b]0;pwned\x07b\x1b[31mc\n";
const SHOWN: &str = "a␛]0;pwned␇b␛[31mc";

#[test]
fn headless_run_prints_raw_bytes_to_a_pipe_and_clean_text_to_a_terminal() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let run = |c: &mut Command| {
        c.arg("run")
            .arg("--dir")
            .arg(ws.project_dir())
            .args(["--timeout", "60", SAY])
            .env("OPENCODE_BIN", support::opencode_bin());
    };
    let mut c = ws.command(ocw_tui_bin());
    run(&mut c);
    let out = c.stdin(Stdio::null()).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        RAW,
        "a pipe gets the bytes"
    );

    // On a terminal: the same run under `script` (a pty).
    let mut shell = format!(
        "'{}' run --dir '{}' --timeout 60 '{SAY}'",
        ocw_tui_bin().display(),
        ws.project_dir().display()
    );
    shell.push_str(" 2>/dev/null");
    let out = ws
        .command("script")
        .args(["-qec", &shell, "/dev/null"])
        .env("OPENCODE_BIN", support::opencode_bin())
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs a command on a pty");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{tty}");
    assert!(
        tty.contains(SHOWN),
        "a terminal gets the text cleaned: {tty:?}"
    );
    assert!(!tty.contains('\x1b') && !tty.contains('\x07'), "{tty:?}");
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn replay_summary_prints_raw_bytes_to_a_pipe_and_clean_text_to_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let log = crafted_log(dir.path(), "ocw-pwned-summary");
    let out = Command::new(ocw_tui_bin())
        .args(["replay", log.to_str().unwrap(), "--summary"])
        .output()
        .unwrap();
    let piped = String::from_utf8_lossy(&out.stdout);
    assert!(piped.contains("    answer \x1b]0;pwned\x07"), "{piped:?}");

    let shell = format!(
        "'{}' replay '{}' --summary",
        ocw_tui_bin().display(),
        log.display()
    );
    let out = Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("script (util-linux) runs a command on a pty");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(tty.contains("    answer ␛]0;pwned␇␛]52;c;"), "{tty:?}");
    assert!(!tty.contains('\x1b') && !tty.contains('\x07'), "{tty:?}");

    let out = Command::new(ocw_tui_bin())
        .args(["replay", log.to_str().unwrap(), "--summary", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON stays JSON");
    assert!(json["sessions"][0]["final_text"]
        .as_str()
        .unwrap()
        .contains("\x1b]0;pwned"));
}
