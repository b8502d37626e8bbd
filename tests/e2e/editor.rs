//! End-to-end tests of editors driving the TUI (issue 19 §3): the real `ocw-tui` in tmux,
//! started with `--port N`, against the real opencode 1.18.33 and the scripted model; every
//! `/tui/*` route is called with curl, as opencode.nvim does, with the url and password read
//! from the 0600 connection file ocw-tui writes, and the screen shows what each asked for.
//! A route aimed at another directory does not reach us; a permission answered by another
//! client over HTTP closes our dialog; the connection file is gone after exit.

use crate::support;

use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{log_events, MockModel, Tmux, Workspace};

/// A port free right now on loopback.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// What an editor plugin needs: the url and password from the connection file.
struct Plugin {
    url: String,
    password: String,
}

impl Plugin {
    /// Reads the connection file of the server on `port` (waits for it), checking its mode.
    fn connect(run_dir: &Path, port: u16) -> Plugin {
        let path = run_dir.join(format!("ocw-tui/server-{port}.json"));
        let deadline = std::time::Instant::now() + support::patience(60);
        while !path.exists() {
            assert!(
                std::time::Instant::now() < deadline,
                "no {}",
                path.display()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the connection file is private");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["url"], format!("http://127.0.0.1:{port}"), "{v}");
        Plugin {
            url: v["url"].as_str().unwrap().to_string(),
            password: v["password"].as_str().unwrap().to_string(),
        }
    }

    /// `curl -u opencode:PASSWORD -X METHOD URL/PATH [-d BODY]`: the body of the answer.
    fn call(&self, method: &str, path: &str, body: Option<&str>, extra: &[&str]) -> String {
        let mut c = Command::new("curl");
        c.args(["-s", "-m", "20", "-u"])
            .arg(format!("opencode:{}", self.password))
            .args(["-X", method])
            .arg(format!("{}{path}", self.url))
            .args(["-H", "content-type: application/json"])
            .args(extra);
        if let Some(b) = body {
            c.args(["-d", b]);
        }
        let out = c.output().expect("curl is needed for this test");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `POST /tui/ROUTE` with `body`: the server answers `true`.
    fn tui(&self, route: &str, body: &str) {
        let answer = self.call("POST", &format!("/tui/{route}"), Some(body), &[]);
        assert_eq!(answer.trim(), "true", "/tui/{route} {body}");
    }
}

/// ocw-tui with `--port` and its runtime folder in the workspace; ready, and the plugin's
/// view of it.
fn start(ws: &Workspace, log: &Path) -> (Tmux, Plugin, PathBuf, u16) {
    let run_dir = ws.root().join("run");
    std::fs::create_dir_all(&run_dir).unwrap();
    let port = free_port();
    let t = Tmux::start_with_env(
        ws,
        &[("XDG_RUNTIME_DIR", run_dir.to_str().unwrap())],
        &["--port", &port.to_string(), "--log", log.to_str().unwrap()],
    );
    t.wait_text("ready", 60);
    let plugin = Plugin::connect(&run_dir, port);
    (t, plugin, run_dir, port)
}

fn quit(t: &Tmux, ws: &Workspace) {
    t.send_keys(&["C-c"]);
    t.wait_for("an empty prompt", 10, |s| s.contains("Ask anything"));
    support::quit(t, ws);
}

/// Escape closes what a route opened.
fn close(t: &Tmux, what: &str, gone: impl Fn(&str) -> bool) {
    t.send_keys(&["Escape"]);
    t.wait_for(what, 10, gone);
}

fn session_ids(log: &Path) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for e in log_events(log) {
        if e["type"] == "session.created" {
            if let Some(id) = e["properties"]["info"]["id"].as_str() {
                if !ids.iter().any(|i| i == id) {
                    ids.push(id.to_string());
                }
            }
        }
    }
    ids
}

#[test]
fn every_tui_route_called_with_curl_shows_on_screen() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    std::fs::create_dir_all(ws.project_dir().join("src")).unwrap();
    std::fs::write(
        ws.project_dir().join("src/lib.rs"),
        "// alpha-line\n// beta-line\n// gamma-line\n// delta-line\n",
    )
    .unwrap();
    let log = ws.root().join("tui.jsonl");
    let (t, p, _, _) = start(&ws, &log);

    // append-prompt, then submit-prompt: the selection goes out as a file part of lines 2-3.
    p.tui("append-prompt", r#"{"text":"explain @src/lib.rs#L2-3 "}"#);
    t.wait_text("explain @src/lib.rs#L2-3", 20);
    p.tui("submit-prompt", "{}");
    t.wait_text("Hello! You said: explain @src/lib.rs#L2-3", 60);
    let sent: String = mock
        .requests()
        .iter()
        .filter(|r| r.get("tools").is_some())
        .map(|r| r["messages"].to_string())
        .collect();
    assert!(
        sent.contains("beta-line") && sent.contains("gamma-line"),
        "lines 2-3 reached the model: {sent}"
    );
    assert!(
        !sent.contains("alpha-line") && !sent.contains("delta-line"),
        "only lines 2-3: {sent}"
    );

    // clear-prompt.
    p.tui("append-prompt", r#"{"text":"half a thought"}"#);
    t.wait_text("half a thought", 20);
    p.tui("clear-prompt", "{}");
    t.wait_for("the prompt to be cleared", 20, |s| {
        !s.contains("half a thought") && s.contains("Ask anything")
    });

    // show-toast (its text made safe), gone after its duration.
    p.tui(
        "show-toast",
        r#"{"title":"nvim","message":"hello from the editor\u001b[2J","variant":"success","duration":3000}"#,
    );
    let screen = t.wait_text("hello from the editor", 20);
    assert!(screen.contains("nvim"), "{screen}");
    assert!(screen.contains("hello from the editor␛[2J"), "{screen}");
    t.wait_for("the toast to go", 30, |s| {
        !s.contains("hello from the editor")
    });

    // open-help, open-sessions, open-models, open-themes (which the server turns into
    // session.list).
    p.tui("open-help", "{}");
    t.wait_text("Up/Down, PgUp/PgDn scroll them", 20);
    close(&t, "the help to close", |s| {
        !s.contains("Up/Down, PgUp/PgDn scroll them")
    });
    p.tui("open-sessions", "{}");
    let screen = t.wait_text("Today", 20);
    assert!(
        screen.contains("Mock title") || screen.contains("explain"),
        "{screen}"
    );
    close(&t, "the session list to close", |s| !s.contains("Today"));
    p.tui("open-models", "{}");
    t.wait_text("Mock Model", 20);
    close(&t, "the model picker to close", |s| {
        !s.contains("Mock Model")
    });
    p.tui("open-themes", "{}");
    t.wait_text("Today", 20);
    close(&t, "the session list to close", |s| !s.contains("Today"));

    // execute-command with opencode's names: agent_cycle, session_new; an unknown one.
    p.tui("execute-command", r#"{"command":"agent_cycle"}"#);
    t.wait_text("plan", 20);
    p.tui("execute-command", r#"{"command":"agent_cycle"}"#);
    p.tui("execute-command", r#"{"command":"messages_page_up"}"#);
    p.tui("execute-command", r#"{"command":"session_new"}"#);
    t.wait_for("a new session", 30, |s| {
        !s.contains("Hello! You said") && s.contains("New session")
    });
    t.wait_for("two sessions in the log", 30, |_| {
        session_ids(&log).len() >= 2
    });
    // A name the server does not map reaches us without a command; one it passes through
    // /tui/publish that we do not have is named.
    p.tui("execute-command", r#"{"command":"app_exit"}"#);
    t.wait_text("a command without a name", 20);
    p.tui(
        "publish",
        r#"{"type":"tui.command.execute","properties":{"command":"app.exit"}}"#,
    );
    t.wait_text("which ocw-tui does not have", 20);

    // select-session: back to the first session.
    let first = session_ids(&log)[0].clone();
    p.tui("select-session", &format!(r#"{{"sessionID":"{first}"}}"#));
    t.wait_text("Hello! You said: explain @src/lib.rs#L2-3", 30);

    // publish passes any tui.* event through: a dotted command and a toast.
    p.tui(
        "publish",
        r#"{"type":"tui.command.execute","properties":{"command":"session.list"}}"#,
    );
    t.wait_text("Today", 20);
    close(&t, "the session list to close", |s| !s.contains("Today"));
    p.tui(
        "publish",
        r#"{"type":"tui.toast.show","properties":{"message":"published toast","variant":"info","duration":60000}}"#,
    );
    t.wait_text("published toast", 20);
    quit(&t, &ws);
}

#[test]
fn a_route_for_another_directory_does_not_reach_us_and_the_connection_file_goes_at_exit() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let other = ws.root().join("elsewhere");
    std::fs::create_dir_all(&other).unwrap();
    let log = ws.root().join("tui.jsonl");
    let (t, p, run_dir, port) = start(&ws, &log);
    let answer = p.call(
        "POST",
        &format!("/tui/append-prompt?directory={}", other.display()),
        Some(r#"{"text":"not for us"}"#),
        &[],
    );
    assert_eq!(answer.trim(), "true");
    let answer = p.call(
        "POST",
        "/tui/append-prompt",
        Some(r#"{"text":"for this project"}"#),
        &[
            "-H",
            &format!("x-opencode-directory: {}", ws.project_dir().display()),
        ],
    );
    assert_eq!(answer.trim(), "true");
    let screen = t.wait_text("for this project", 20);
    assert!(!screen.contains("not for us"), "{screen}");
    quit(&t, &ws);
    assert!(
        !run_dir.join(format!("ocw-tui/server-{port}.json")).exists(),
        "the connection file is removed at exit"
    );
}

#[test]
fn a_permission_answered_by_another_client_closes_our_dialog() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let (t, p, _, _) = start(&ws, &log);
    t.prompt("bash: echo answered-elsewhere");
    t.wait_text("Permission: bash", 60);
    let pending: Value = serde_json::from_str(&p.call("GET", "/permission", None, &[])).unwrap();
    let id = pending[0]["id"]
        .as_str()
        .expect("a pending permission")
        .to_string();
    let answer = p.call(
        "POST",
        &format!("/permission/{id}/reply"),
        Some(r#"{"reply":"once"}"#),
        &[],
    );
    assert_eq!(answer.trim(), "true");
    let screen = t.wait_for("the dialog to close and the command to run", 60, |s| {
        !s.contains("Permission: bash") && s.contains("Done: answered-elsewhere")
    });
    assert!(!screen.contains("Tab answers"), "{screen}");
    quit(&t, &ws);
}
