//! End-to-end tests of headless `ocw-tui run` against the real opencode 1.18.33 driven by
//! the scripted model: what a user of `run` sees (exit status, final text, summary JSON,
//! the log) for every kind of turn, and that no opencode process outlives ocw-tui.

use crate::support;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{assert_no_opencode_left, ocw, ocw_run, MockModel, Workspace};

struct Run {
    out: Output,
    json: Value,
}

impl Run {
    fn code(&self) -> i32 {
        self.out.status.code().unwrap_or(-1)
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn session(&self, i: usize) -> &Value {
        &self.json["sessions"][i]
    }
}

/// Runs `ocw-tui run --json ARGS...` in the workspace and parses the summary.
fn run_json(ws: &Workspace, args: &[&str]) -> Run {
    let out = ocw_run(ws)
        .arg("--json")
        .args(["--timeout", "60"])
        .args(args)
        .output()
        .expect("run ocw-tui");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "summary is not JSON ({e}); stdout:\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_no_opencode_left(ws, 3);
    Run { out, json }
}

fn tokens(s: &Value) -> (u64, u64, u64) {
    let t = &s["tokens"];
    (
        t["input"].as_u64().unwrap(),
        t["output"].as_u64().unwrap(),
        t["total"].as_u64().unwrap(),
    )
}

fn summary_of_log(ws: &Workspace, log: &Path) -> Value {
    let out = ocw(ws)
        .args(["replay", "--summary", "--json"])
        .arg(log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn streamed_text_reaches_the_summary_and_the_log() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("hello.jsonl");
    let run = run_json(&ws, &["--log", log.to_str().unwrap(), "hello"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    assert_eq!(s["final_text"], "Hello! You said: hello. This is turn 1.");
    assert_eq!(s["title"], "Mock title");
    assert_eq!(s["assistant_messages"], 1);
    assert_eq!(tokens(s), (40, 10, 50));
    // The log is private, one JSON object per line, and reads back to the same summary.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&log).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.lines().count() > 10);
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).expect("every log line is JSON");
        assert!(v["type"].is_string());
    }
    assert!(text.contains("\"message.part.delta\""), "deltas are logged");
    let back = summary_of_log(&ws, &log);
    assert_eq!(back["sessions"], run.json["sessions"]);
    assert_eq!(back["skipped_lines"], 0);
}

#[test]
fn plain_output_is_the_final_text() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let out = ocw_run(&ws).arg("hi there").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Hello! You said: hi there. This is turn 1."
    );
    assert_no_opencode_left(&ws, 3);
}

#[test]
fn bash_allowed_once_runs_the_command() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("bash.jsonl");
    let run = run_json(
        &ws,
        &[
            "--on-permission",
            "once",
            "--log",
            log.to_str().unwrap(),
            "please run\nbash: echo hi",
        ],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    assert_eq!(s["final_text"], "Done: hi");
    assert_eq!(tokens(s), (140, 30, 170));
    assert_eq!(s["assistant_messages"], 2);
    let calls = s["tool_calls"].as_array().unwrap();
    assert_eq!(calls.len(), 1, "one entry per tool call: {calls:?}");
    assert_eq!(calls[0]["tool"], "bash");
    assert_eq!(calls[0]["status"], "completed");
    assert_eq!(calls[0]["title"], "echo hi");
    let perms = s["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 1);
    assert_eq!(perms[0]["permission"], "bash");
    assert_eq!(perms[0]["patterns"][0], "echo hi");
    assert_eq!(perms[0]["reply"], "once");
    assert_eq!(summary_of_log(&ws, &log)["sessions"], run.json["sessions"]);
}

#[test]
fn bash_rejected_by_default_does_not_run() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let marker = ws.project_dir().join("ran");
    let cmd = format!("please run\nbash: touch {}", marker.display());
    let run = run_json(&ws, &[&cmd]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    assert_eq!(s["permissions"][0]["reply"], "reject");
    assert_eq!(s["tool_calls"][0]["status"], "error");
    assert!(!marker.exists(), "a rejected command must not run");
    assert_ne!(s["final_text"], cmd.as_str(), "never the user's prompt");
}

#[test]
fn always_with_two_simultaneous_requests_runs_both() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let run = run_json(
        &ws,
        &[
            "--on-permission",
            "always",
            "two at once\nbash: echo a ;; bash: echo b",
        ],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    let calls = s["tool_calls"].as_array().unwrap();
    assert_eq!(calls.len(), 2);
    assert!(
        calls.iter().all(|c| c["status"] == "completed"),
        "{calls:?}"
    );
    let perms = s["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 2, "{perms:?}");
    assert!(perms.iter().all(|p| p["reply"] == "always"), "{perms:?}");
    assert!(s["final_text"].as_str().unwrap().starts_with("Done: "));
}

#[test]
fn question_answered_with_the_first_option() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let run = run_json(
        &ws,
        &[
            "--on-question",
            "first",
            "ask me\nquestion: Which DB? | sqlite, postgres",
        ],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let q = &run.session(0)["questions"][0];
    assert_eq!(q["questions"][0], "Which DB?");
    assert_eq!(q["answers"], serde_json::json!([["sqlite"]]));
    assert_eq!(q["rejected"], false);
    let text = run.session(0)["final_text"].as_str().unwrap();
    assert!(text.starts_with("Done: "), "{text}");
    assert!(text.contains("sqlite"), "{text}");
}

#[test]
fn question_rejected_is_reported_as_rejected() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let prompt = "ask me\nquestion: Which DB? | sqlite, postgres";
    let run = run_json(&ws, &[prompt]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    assert_eq!(s["questions"][0]["rejected"], true);
    assert_eq!(s["questions"][0]["answers"], Value::Null);
    assert_ne!(s["final_text"], prompt, "never the user's prompt");
    assert!(!s["final_text"].as_str().unwrap().contains("ask me"));
}

#[test]
fn two_questions_with_a_multi_select() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let run = run_json(&ws, &["--on-question", "first", "survey\nquestions-multi"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let q = &run.session(0)["questions"][0];
    assert_eq!(
        q["questions"],
        serde_json::json!(["Which license?", "Which languages?"])
    );
    assert_eq!(q["answers"], serde_json::json!([["MIT"], ["rust"]]));
}

#[test]
fn write_then_edit_changes_the_file() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let file = ws.project_dir().join("notes.txt");
    let f = file.display();
    let prompt = format!("make notes\nwrite: {f} :: hello\\nworld\nedit: {f} :: world => there");
    let run = run_json(&ws, &["--on-permission", "once", &prompt]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "hello\nthere");
    let s = run.session(0);
    let tools: Vec<_> = s["tool_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["tool"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(tools, vec![("write", "completed"), ("edit", "completed")]);
    let perms = s["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 2);
    assert!(perms
        .iter()
        .all(|p| p["permission"] == "edit" && p["reply"] == "once"));
    assert_eq!(tokens(s), (240, 50, 290));
}

#[test]
fn subagent_permission_reaches_the_handler() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let started = Instant::now();
    let run = run_json(
        &ws,
        &[
            "--on-permission",
            "once",
            "delegate\ntask: bash: echo child",
        ],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(started.elapsed() < Duration::from_secs(60));
    let sessions = run.json["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "root and the subagent: {sessions:#?}");
    let child = &sessions[1];
    assert_eq!(child["permissions"][0]["permission"], "bash");
    assert_eq!(child["permissions"][0]["reply"], "once");
    assert_eq!(child["tool_calls"][0]["status"], "completed");
    assert_eq!(child["final_text"], "Done: child");
    let root = &sessions[0];
    assert_eq!(root["tool_calls"][0]["tool"], "task");
    assert_eq!(root["tool_calls"][0]["status"], "completed");
}

#[test]
fn provider_error_fails_the_turn() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let run = run_json(&ws, &["break\nerror: mock provider rejected the request"]);
    assert_eq!(run.code(), 1);
    let e = &run.session(0)["errors"][0];
    assert_eq!(e["name"], "APIError");
    assert_eq!(e["message"], "mock provider rejected the request");
    assert!(run.stderr().contains("mock provider rejected the request"));
}

#[test]
fn three_turns_share_context() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let run = run_json(&ws, &["one", "two", "three"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    assert_eq!(s["final_text"], "Hello! You said: three. This is turn 3.");
    assert_eq!(s["assistant_messages"], 3);
    assert_eq!(tokens(s), (120, 30, 150));
}

#[test]
fn timeout_aborts_the_running_turn() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let started = Instant::now();
    let out = ocw_run(&ws)
        .args(["--timeout", "4", "slowly\nslow: 500\nwords: 60"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("timed out"));
    // 60 words at 3 a chunk, 500 ms a chunk, would take 10 s: the abort cut it short.
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_no_opencode_left(&ws, 3);
}

#[test]
fn sigint_aborts_and_stops_the_server() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("int.jsonl");
    let mut child = ocw_run(&ws)
        .arg("--log")
        .arg(&log)
        .arg("slowly\nslow: 300\nwords: 200")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + crate::support::patience(60);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("message.part.delta")
    {
        assert!(
            Instant::now() < deadline,
            "the turn never started streaming"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let pid = child.id() as i32;
    Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_no_opencode_left(&ws, 3);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.ends_with('\n'));
    for line in text.lines() {
        serde_json::from_str::<Value>(line).expect("the log stays complete JSONL");
    }
}

#[test]
fn attach_with_the_right_password_works_and_a_wrong_one_says_so() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(support::spawn_opencode_serve(&ws, Some("s3cret-pass")));
    let out = ocw_run(&ws)
        .args(["--attach", server.url(), "--password", "wrong", "hello"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("401") && err.contains("password"), "{err}");
    assert!(!err.contains("s3cret-pass"));

    let out = ocw_run(&ws)
        .args(["--attach", server.url(), "hello"])
        .env("OPENCODE_SERVER_PASSWORD", "s3cret-pass")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Hello! You said: hello. This is turn 1."
    );
    drop(server);
}

#[test]
fn missing_opencode_is_a_usage_error_that_says_how_to_install() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let out = ocw(&ws)
        .arg("run")
        .args(["--opencode-bin", "/nonexistent/opencode", "hello"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--opencode-bin"), "{err}");
    let out = ocw(&ws)
        .arg("run")
        .args(["--dir", "/nonexistent/dir", "hello"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn log_exclude_leaves_those_types_out_and_the_summary_intact() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("lean.jsonl");
    let run = run_json(
        &ws,
        &[
            "--log",
            log.to_str().unwrap(),
            "--log-exclude",
            "message.part.delta",
            "--log-exclude",
            "session.diff",
            "hello",
        ],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains("\"message.part.delta\""));
    assert!(!text.contains("\"session.diff\""));
    assert!(text.contains("\"message.part.updated\""));
    // Text snapshots carry the whole text: the log still tells the full story.
    let back = summary_of_log(&ws, &log);
    assert_eq!(
        back["sessions"][0]["final_text"],
        run.session(0)["final_text"]
    );
}

#[test]
fn config_flag_is_merged_into_the_servers_config() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    // The workspace asks for bash; --config allows it, so nothing is asked and the
    // default reject policy never comes into play.
    let run = run_json(
        &ws,
        &[
            "--config",
            r#"{"permission":{"bash":"allow"}}"#,
            "please run\nbash: echo merged",
        ],
    );
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    assert_eq!(s["permissions"].as_array().unwrap().len(), 0, "{s}");
    assert_eq!(s["tool_calls"][0]["status"], "completed");
    assert_eq!(s["final_text"], "Done: merged");

    let cfg = ws.root().join("cfg.json");
    std::fs::write(
        &cfg,
        "{\n  // JSONC is fine\n  \"permission\": {\"bash\": \"deny\"},\n}\n",
    )
    .unwrap();
    let at = format!("@{}", cfg.display());
    let marker = ws.project_dir().join("denied");
    let cmd = format!("please run\nbash: touch {}", marker.display());
    let run = run_json(&ws, &["--config", &at, &cmd]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let s = run.session(0);
    // A denied tool is not offered to the model at all: its call is invalid, nothing asked.
    assert_eq!(s["permissions"].as_array().unwrap().len(), 0);
    assert_eq!(s["tool_calls"][0]["tool"], "invalid");
    assert!(!marker.exists());

    let out = ocw(&ws)
        .args(["run", "--config", "{not json", "hello"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid JSON"));
}

#[test]
fn isolated_server_keeps_its_data_out_of_the_users_data_dir() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let data = ws.root().join("xdg/data/opencode");
    let run = run_json(&ws, &["--isolated", "--model", "mock/mock-model", "hello"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(
        run.session(0)["final_text"],
        "Hello! You said: hello. This is turn 1."
    );
    assert!(
        !data.join("opencode.db").exists(),
        "the session database went to the private dir, not {}",
        data.display()
    );
    let run = run_json(&ws, &["hello"]);
    assert_eq!(run.code(), 0);
    assert!(
        data.join("opencode.db").exists(),
        "without --isolated it is used"
    );
}

#[test]
fn a_request_pending_before_we_attached_is_answered() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut api = rt.block_on(support::Api::start(&ws, Some("pw")));
    let session = rt.block_on(api.new_session());
    rt.block_on(api.prompt(&session, "please run\nbash: echo early"));
    rt.block_on(api.wait_for("permission.asked", |e| e["type"] == "permission.asked"));
    // Nobody answered yet; ocw-tui attaches to that session and finds it pending.
    let out = ocw_run(&ws)
        .args([
            "--attach",
            api.server.url(),
            "--password",
            "pw",
            "--session",
            &session,
        ])
        .args([
            "--on-permission",
            "once",
            "--json",
            "--timeout",
            "60",
            "and then?",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &json["sessions"][0];
    let early = s["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["patterns"][0] == "echo early")
        .expect("the early request is in the summary");
    assert_eq!(early["reply"], "once");
    rt.block_on(api.wait_for("the early command's result", |e| {
        e["type"] == "message.part.updated"
            && e["properties"]["part"]["state"]["status"] == "completed"
            && e["properties"]["part"]["state"]["output"]
                .as_str()
                .is_some_and(|o| o.contains("early"))
    }));
}
