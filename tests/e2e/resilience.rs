//! Resilience of headless `ocw-tui run` against the real opencode 1.18.33: an event stream
//! cut mid-turn (through a TCP proxy of our own) and restored, a stalled stream whose
//! socket stays open, a server killed with SIGKILL mid-turn, SIGTERM / SIGHUP mid-turn and
//! during start-up, and a forced panic. Each checks the exit status, the log (complete
//! JSONL) and that no opencode process is left. Also: `--debug-log` after a cut stream, and
//! the log of a TUI that resumed a session and restarted its killed server (in tmux)
//! replaying to the transcript that was on screen.

use crate::support;
use crate::support::proxy;

use proxy::Proxy;
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{
    assert_no_opencode_left, ocw, ocw_tui_bin, opencode_processes_in, spawn_opencode_serve,
    MockModel, Workspace,
};

const PASSWORD: &str = "resilience-test-password";

fn run_cmd(ws: &Workspace, log: &Path) -> Command {
    let mut c = ocw(ws);
    c.arg("run")
        .arg("--dir")
        .arg(ws.project_dir())
        .arg("--log")
        .arg(log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn wait_until(what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + crate::support::patience(secs);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// [`wait_until`] while `child` runs: if it exits first, fails at once with its stderr.
fn wait_running(child: &mut Child, what: &str, secs: u64, mut cond: impl FnMut() -> bool) {
    wait_until(what, secs, || {
        if let Ok(Some(status)) = child.try_wait() {
            let err = child
                .stderr
                .take()
                .map(|e| std::io::read_to_string(e).unwrap_or_default())
                .unwrap_or_default();
            panic!("ocw-tui exited ({status}) while waiting for {what}: {err}");
        }
        cond()
    });
}

/// Requests of the scripted model that carry tools (the turn's steps, not the title).
fn step_requests(mock: &MockModel) -> usize {
    mock.requests()
        .iter()
        .filter(|r| r.get("tools").is_some_and(|t| !t.is_null()))
        .count()
}

fn finish(child: Child, secs: u64) -> Output {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(crate::support::patience(secs)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("ocw-tui did not exit within {secs} s");
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every line of the log is a JSON object with a type: nothing cut off, nothing mixed.
fn assert_complete_jsonl(log: &Path) -> String {
    let text = std::fs::read_to_string(log).expect("the log exists");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "the log ends mid-line"
    );
    for line in text.lines() {
        let v: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("log line is not JSON ({e}): {line:.200}"));
        assert!(
            v["type"].is_string(),
            "log line without a type: {line:.200}"
        );
    }
    text
}

fn summary_of_log(ws: &Workspace, log: &Path) -> Value {
    let out = ocw(ws)
        .args(["replay", "--summary", "--json"])
        .arg(log)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn server_get(server: &support::RunningServer, path: &str) -> Value {
    let client = reqwest::blocking::Client::new();
    let mut rb = client
        .get(format!("{}{path}", server.url()))
        .timeout(Duration::from_secs(5));
    if let Some(p) = server.password() {
        rb = rb.basic_auth("opencode", Some(p));
    }
    rb.send().unwrap().json().unwrap()
}

fn upstream(server: &support::RunningServer) -> std::net::SocketAddr {
    server
        .url()
        .trim_start_matches("http://")
        .parse()
        .expect("server url is http://127.0.0.1:PORT")
}

#[test]
fn stream_cut_twice_mid_turn_still_completes_the_turn_once() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = rt();
    let server = rt.block_on(spawn_opencode_serve(&ws, Some(PASSWORD)));
    let proxy = Proxy::start(upstream(&server));
    let log = ws.root().join("cut.jsonl");
    let mut child = run_cmd(&ws, &log)
        .args(["--json", "--timeout", "90", "--on-permission", "once"])
        .args(["--attach", &proxy.url(), "--password", PASSWORD])
        .arg("please run\nbash: echo hi\nslow: 300")
        .spawn()
        .unwrap();

    // Cut 1: as the first step starts; the permission is asked while we are away.
    wait_running(&mut child, "the first step", 60, || {
        step_requests(&mock) >= 1
    });
    proxy.cut();
    wait_running(&mut child, "the permission to be asked", 30, || {
        server_get(&server, "/permission")
            .as_array()
            .is_some_and(|a| !a.is_empty())
    });
    std::thread::sleep(Duration::from_millis(500));
    let before = proxy.event_streams();
    proxy.restore();

    // The permission is answered after the reconnect, so the second step starts. Cut 2:
    // the whole answer and the end of the turn happen while we are away.
    wait_running(&mut child, "the step after the permission", 60, || {
        step_requests(&mock) >= 2
    });
    assert!(proxy.event_streams() > before, "it reconnected");
    proxy.cut();
    wait_running(&mut child, "the turn to end on the server", 30, || {
        server_get(&server, "/session/status")
            .as_object()
            .is_some_and(|m| m.is_empty())
    });
    std::thread::sleep(Duration::from_millis(500));
    proxy.restore();

    let out = finish(child, 60);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("reconnected"), "{err}");
    let run: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    let s = &run["sessions"][0];
    // Text that arrived only through the resync, shown once (not "Done: hiDone: hi").
    assert_eq!(s["final_text"], "Done: hi", "{s}");
    assert_eq!(s["assistant_messages"], 2, "{s}");
    assert_eq!(s["tool_calls"].as_array().unwrap().len(), 1, "{s}");
    assert_eq!(s["tool_calls"][0]["status"], "completed");
    assert_eq!(s["permissions"][0]["reply"], "once", "{s}");
    assert_eq!(s["tokens"]["output"], 30, "each message counted once: {s}");
    // The log holds what was resynchronised, and replays to the same summary.
    let text = assert_complete_jsonl(&log);
    assert!(text.contains("\"ocw_resync\":true"));
    assert_eq!(summary_of_log(&ws, &log)["sessions"], run["sessions"]);
    drop(server);
    assert_no_opencode_left(&ws, 5);
}

/// Base64, to look for an `Authorization: Basic` header in the debug log.
fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// `--debug-log` (at the most verbose level) names the lost stream and the reconnect, and
/// the server password appears nowhere in it.
#[test]
fn debug_log_names_the_reconnect_and_never_the_password() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = rt();
    let server = rt.block_on(spawn_opencode_serve(&ws, Some(PASSWORD)));
    let proxy = Proxy::start(upstream(&server));
    let log = ws.root().join("cut.jsonl");
    let debug_log = ws.root().join("debug.log");
    let mut child = run_cmd(&ws, &log)
        .env("OCW_LOG", "trace")
        .args(["--timeout", "90", "--on-permission", "once"])
        .args(["--attach", &proxy.url(), "--password", PASSWORD])
        .arg("--debug-log")
        .arg(&debug_log)
        .arg("please run\nbash: echo hi\nslow: 300")
        .spawn()
        .unwrap();
    wait_running(&mut child, "the first step", 60, || {
        step_requests(&mock) >= 1
    });
    proxy.cut();
    std::thread::sleep(Duration::from_millis(500));
    proxy.restore();
    let out = finish(child, 60);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&debug_log).expect("the debug log was written");
    assert!(text.contains("server healthy"), "{text}");
    assert!(text.contains("event stream lost; reconnecting"), "{text}");
    assert!(
        text.contains("event stream connected reconnect=true"),
        "{text}"
    );
    assert!(
        text.contains("fetching state"),
        "the resync is named: {text}"
    );
    assert!(!text.contains(PASSWORD), "the password leaked: {text}");
    let basic = b64(&format!("opencode:{PASSWORD}"));
    assert!(
        !text.contains(&basic) && !text.contains(&basic[..basic.len() / 2]),
        "the Authorization header leaked: {text}"
    );
    drop(server);
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn silent_stream_with_an_open_socket_counts_as_lost() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = rt();
    let server = rt.block_on(spawn_opencode_serve(&ws, Some(PASSWORD)));
    let proxy = Proxy::start(upstream(&server));
    let log = ws.root().join("stall.jsonl");
    // Without the silence limit the stalled stream would wait for ever: --timeout fails it.
    let mut child = run_cmd(&ws, &log)
        .args(["--json", "--timeout", "40"])
        .args(["--attach", &proxy.url(), "--password", PASSWORD])
        .env("OCW_SILENCE_LIMIT_MS", "3000")
        .arg("hello\nslow: 300\nwords: 12")
        .spawn()
        .unwrap();
    wait_running(&mut child, "the answer to start", 60, || {
        step_requests(&mock) >= 1
    });
    proxy.stall_event_streams();
    let out = finish(child, 60);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("no event or heartbeat for 3.0 s"), "{err}");
    let run: Value = serde_json::from_slice(&out.stdout).expect("summary JSON");
    let words: Vec<String> = (1..=12).map(|i| format!("word{i}")).collect();
    assert_eq!(run["sessions"][0]["final_text"], words.join(" "));
    assert_complete_jsonl(&log);
    drop(server);
    assert_no_opencode_left(&ws, 5);
}

fn opencode_pids(ws: &Workspace) -> Vec<u32> {
    opencode_processes_in(ws.root())
        .into_iter()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("serve"))
        })
        .collect()
}

#[test]
fn server_killed_mid_turn_exits_1_with_a_clear_message() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("died.jsonl");
    let mut child = run_cmd(&ws, &log)
        .args(["--timeout", "60"])
        .arg("slowly\nslow: 300\nwords: 200")
        .spawn()
        .unwrap();
    wait_running(&mut child, "the answer to stream", 60, || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("message.part.delta")
    });
    for pid in opencode_pids(&ws) {
        Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
    }
    let out = finish(child, 30);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("the opencode server died"), "{err}");
    assert!(
        err.contains("SIGKILL") || err.contains("signal: 9"),
        "{err}"
    );
    assert_complete_jsonl(&log);
    assert_no_opencode_left(&ws, 5);
}

/// Sends `signal` once the turn streams; expects `code`, the turn aborted, the log whole.
fn signal_mid_turn(signal: &str, code: i32) {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("sig.jsonl");
    let mut child = run_cmd(&ws, &log)
        .arg("slowly\nslow: 300\nwords: 200")
        .spawn()
        .unwrap();
    wait_running(&mut child, "the answer to stream", 60, || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .contains("message.part.delta")
    });
    Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    let out = finish(child, 20);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert_complete_jsonl(&log);
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn sigterm_mid_turn_exits_143_and_stops_the_server() {
    signal_mid_turn("TERM", 143);
}

#[test]
fn sighup_mid_turn_exits_129_and_stops_the_server() {
    signal_mid_turn("HUP", 129);
}

#[test]
fn sigterm_while_the_server_starts_stops_it_at_once() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("early.jsonl");
    let mut child = run_cmd(&ws, &log).arg("hello").spawn().unwrap();
    // The server is spawned but not healthy yet (it takes about 2 s).
    wait_running(&mut child, "opencode to be spawned", 20, || {
        !opencode_pids(&ws).is_empty()
    });
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = finish(child, 20);
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    assert!(
        mock.requests().is_empty(),
        "the prompt must not be sent after SIGTERM"
    );
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn forced_panic_stops_the_server_and_exits_non_zero() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("panic.jsonl");
    let child = run_cmd(&ws, &log)
        .env("OCW_TEST_PANIC_AFTER_EVENTS", "8")
        .arg("slowly\nslow: 200\nwords: 100")
        .spawn()
        .unwrap();
    let out = finish(child, 60);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert_ne!(
        out.status.code(),
        Some(1),
        "a panic, not a handled error: {err}"
    );
    assert!(err.contains("forced panic after 8 events"), "{err}");
    let text = assert_complete_jsonl(&log);
    assert_eq!(
        text.lines().count(),
        8,
        "every event before the panic is on disk"
    );
    assert_no_opencode_left(&ws, 5);
}

/// The pid of the ocw-tui process running in the workspace (under tmux).
fn tui_pid(ws: &Workspace) -> u32 {
    let bin = ocw_tui_bin().canonicalize().unwrap();
    let mut found = None;
    wait_until("ocw-tui to run", 20, || {
        found = opencode_processes_in(ws.root())
            .into_iter()
            .find(|p| std::fs::read_link(format!("/proc/{p}/exe")).is_ok_and(|e| e == bin));
        found.is_some()
    });
    found.unwrap()
}

#[test]
fn tui_sigterm_mid_turn_restores_the_terminal_and_stops_the_server() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = support::Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    let pid = tui_pid(&ws);
    let tty = std::fs::read_link(format!("/proc/{pid}/fd/0")).unwrap();
    t.prompt("slowly\nslow: 300\nwords: 200");
    t.wait_text("word3", 60);
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert_eq!(t.exit_status(20), 143);
    // Cooked mode again (the shell gets lines and echo back) and off the alternate screen.
    let stty = Command::new("stty")
        .arg("-a")
        .arg("-F")
        .arg(&tty)
        .output()
        .unwrap();
    let stty = String::from_utf8_lossy(&stty.stdout);
    let flags: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        flags.contains(&"icanon") && flags.contains(&"echo"),
        "{stty}"
    );
    let panes = Command::new("tmux")
        .args(["list-panes", "-a", "-F", "#{pane_tty} #{alternate_on}"])
        .output()
        .unwrap();
    let panes = String::from_utf8_lossy(&panes.stdout);
    let tty = tty.to_string_lossy();
    let line = panes.lines().find(|l| l.starts_with(tty.as_ref())).unwrap();
    assert!(
        line.ends_with(" 0"),
        "still on the alternate screen: {line}"
    );
    assert_no_opencode_left(&ws, 5);
}

/// Issue 16 §15: a signal is handled while the UI thread is busy. The session list's
/// first frame is made to block the UI thread for two minutes (`OCW_TEST_STALL_LIST_MS`,
/// what a 100,000-session list used to cost); SIGTERM then still ends ocw-tui with 143,
/// the terminal restored and the spawned server gone.
#[test]
fn tui_sigterm_while_the_ui_is_busy_exits_restored_and_stops_the_server() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = support::Tmux::start_with_env(&ws, &[("OCW_TEST_STALL_LIST_MS", "120000")], &[]);
    t.wait_text("ready", 60);
    let pid = tui_pid(&ws);
    let tty = std::fs::read_link(format!("/proc/{pid}/fd/0")).unwrap();
    t.send_keys(&["C-s"]);
    // The UI thread is now stuck in the list's first frame.
    std::thread::sleep(Duration::from_millis(1500));
    Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert_eq!(t.exit_status(20), 143);
    let stty = Command::new("stty")
        .arg("-a")
        .arg("-F")
        .arg(&tty)
        .output()
        .unwrap();
    let stty = String::from_utf8_lossy(&stty.stdout);
    let flags: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        flags.contains(&"icanon") && flags.contains(&"echo"),
        "{stty}"
    );
    let panes = Command::new("tmux")
        .args(["list-panes", "-a", "-F", "#{pane_tty} #{alternate_on}"])
        .output()
        .unwrap();
    let panes = String::from_utf8_lossy(&panes.stdout);
    let tty = tty.to_string_lossy();
    let line = panes.lines().find(|l| l.starts_with(tty.as_ref())).unwrap();
    assert!(
        line.ends_with(" 0"),
        "still on the alternate screen: {line}"
    );
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn tui_shows_a_dead_server_and_f5_resumes_the_same_session() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = support::Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    t.prompt("first");
    t.wait_text("This is turn 1.", 60);
    for pid in opencode_pids(&ws) {
        Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
    }
    t.wait_text("server died", 20);
    t.send_keys(&["F5"]);
    t.wait_text("ready", 60);
    // Same session: the model sees the first turn, so this is turn 2.
    t.prompt("second");
    t.wait_text("This is turn 2.", 60);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);
}

/// Issue 8 §2: SIGKILL mid-answer, type a prompt while the server is dead, F5. The UI
/// never lies: the streamed words stay, marked "■ interrupted"; nothing says "working";
/// the prompt typed while dead stays in the input and is sent after the restart.
#[test]
fn tui_dead_server_mid_turn_keeps_the_answer_and_the_prompt() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = support::Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    t.prompt("slowly\nslow: 300\nwords: 200");
    t.wait_text("word6", 60);
    for pid in opencode_pids(&ws) {
        Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
    }
    let screen = t.wait_text("server died", 20);
    assert!(
        screen.contains("word6"),
        "the answer so far stays:\n{screen}"
    );
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("working"), "nothing runs:\n{screen}");
    assert!(
        screen.contains("server down"),
        "the prompt's title:\n{screen}"
    );
    assert_eq!(screen.matches("F5").count(), 2, "said once each:\n{screen}");
    t.type_text("while dead");
    std::thread::sleep(Duration::from_millis(150));
    t.send_keys(&["Enter"]);
    let screen = t.wait_text("press F5 to restart it", 10);
    assert!(
        screen.contains("while dead"),
        "kept in the input:\n{screen}"
    );
    t.send_keys(&["F5"]);
    let screen = t.wait_text("the server was restarted", 60);
    let screen = if screen.contains("interrupted · ready") {
        screen
    } else {
        t.wait_text("interrupted · ready", 20)
    };
    assert!(screen.contains("word6"), "{screen}");
    assert!(screen.contains("■ interrupted"), "{screen}");
    assert!(!screen.contains("working"), "{screen}");
    // The prompt is still in the input: Enter sends it now, to the same session.
    t.send_keys(&["Enter"]);
    t.wait_text("You said: while dead. This is turn 2.", 60);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);
}

/// The transcript lines a person reads: the prompts (`▌ ...`) and the answers.
fn transcript_lines(screen: &str) -> Vec<String> {
    screen
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("▌ ") || l.contains("You said:"))
        .map(str::to_string)
        .collect()
}

/// A TUI that resumed a session (history loaded over HTTP), then restarted its SIGKILLed
/// server (history and statuses loaded again) writes a log that replays to the transcript
/// that was on screen: fetched state is logged like streamed events.
#[test]
fn tui_log_of_a_resumed_session_and_a_restarted_server_replays_to_the_screen() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let out = ocw(&ws)
        .arg("run")
        .arg("--dir")
        .arg(ws.project_dir())
        .args(["--json", "first turn", "second turn"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = json["sessions"][0]["session_id"]
        .as_str()
        .unwrap()
        .to_string();

    let log = ws.root().join("tui.jsonl");
    let t = support::Tmux::start(&ws, &["--session", &id, "--log", log.to_str().unwrap()]);
    t.wait_text("You said: second turn. This is turn 2.", 60);
    t.prompt("third turn");
    t.wait_text("You said: third turn. This is turn 3.", 60);
    for pid in opencode_pids(&ws) {
        Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .unwrap();
    }
    t.wait_text("F5 restarts it", 30);
    t.send_keys(&["F5"]);
    t.wait_text("the server was restarted", 60);
    let screen = t.wait_for("the reloaded transcript", 30, |s| {
        transcript_lines(s).len() >= 6
    });
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);

    let events: Vec<ocw_tui::model::Event> = ocw_tui::log::open(log.to_str().unwrap())
        .unwrap()
        .map(|r| r.expect("readable log").event)
        .collect();
    let app =
        ocw_tui::ui::testing::app_from_events(&events, ocw_tui::ui::UiOptions::default(), |_| {
            false
        });
    let replayed = ocw_tui::ui::testing::draw_app(&app, 140, 40);
    let on_screen = transcript_lines(&screen);
    assert!(
        on_screen.iter().any(|l| l.contains("first turn")),
        "the resumed history was on screen:\n{screen}"
    );
    assert_eq!(
        transcript_lines(&replayed),
        on_screen,
        "the log replays to the screen\nreplayed:\n{replayed}\non screen:\n{screen}"
    );
}
