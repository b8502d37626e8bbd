//! The oldest supported opencode release (1.17.19, the minimum ocw-tui accepts) runs the
//! headless bash, question and subagent scenarios of `tests/e2e/run.rs` the same way as the
//! pinned 1.18.33. Needs `OCW_OPENCODE_BIN_OLD` (scripts/test-all.sh installs it with
//! `scripts/install-opencode.sh 1.17.19`); without it these tests fail.

use crate::support;

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use support::{assert_no_opencode_left, ocw_tui_bin, MockModel, Workspace};

const OLD_VERSION: &str = "1.17.19";

fn old_bin() -> PathBuf {
    let bin = std::env::var_os("OCW_OPENCODE_BIN_OLD").filter(|b| !b.is_empty()).unwrap_or_else(|| {
        panic!("OCW_OPENCODE_BIN_OLD is not set: run scripts/test-all.sh, or `scripts/install-opencode.sh {OLD_VERSION}` and point it at the path it prints")
    });
    let bin = PathBuf::from(bin);
    assert!(
        bin.is_file(),
        "OCW_OPENCODE_BIN_OLD={} does not exist",
        bin.display()
    );
    let out = Command::new(&bin).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        OLD_VERSION,
        "OCW_OPENCODE_BIN_OLD must be opencode {OLD_VERSION}"
    );
    bin
}

/// `ocw-tui run --json ARGS...` on the old release; the summary, after checking exit 0.
fn run_json(ws: &Workspace, args: &[&str]) -> Value {
    let out = ws
        .command(ocw_tui_bin())
        .stdin(Stdio::null())
        .env("OPENCODE_BIN", old_bin())
        .env("OCW_DEBUG_PRINT_URL", "1")
        .args(["run", "--json", "--timeout", "60", "--dir"])
        .arg(ws.project_dir())
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("ocw-tui: opencode version {OLD_VERSION}\n")),
        "it talked to {OLD_VERSION}: {stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "no warning for a supported release: {stderr}"
    );
    assert_no_opencode_left(ws, 3);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn old_release_bash_allowed_once_runs_the_command() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let json = run_json(
        &ws,
        &["--on-permission", "once", "please run\nbash: echo hi"],
    );
    let s = &json["sessions"][0];
    assert_eq!(s["final_text"], "Done: hi");
    assert_eq!(s["tool_calls"][0]["status"], "completed");
    assert_eq!(s["permissions"][0]["permission"], "bash");
    assert_eq!(s["permissions"][0]["reply"], "once");
}

#[test]
fn old_release_question_answered_with_the_first_option() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let json = run_json(
        &ws,
        &[
            "--on-question",
            "first",
            "ask me\nquestion: Which DB? | sqlite, postgres",
        ],
    );
    let q = &json["sessions"][0]["questions"][0];
    assert_eq!(q["questions"][0], "Which DB?");
    assert_eq!(q["answers"], serde_json::json!([["sqlite"]]));
    let text = json["sessions"][0]["final_text"].as_str().unwrap();
    assert!(text.contains("sqlite"), "{text}");
}

#[test]
fn old_release_subagent_permission_reaches_the_handler() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let json = run_json(
        &ws,
        &[
            "--on-permission",
            "once",
            "delegate\ntask: bash: echo child",
        ],
    );
    let sessions = json["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "root and the subagent: {sessions:#?}");
    let child = &sessions[1];
    assert_eq!(child["permissions"][0]["reply"], "once");
    assert_eq!(child["final_text"], "Done: child");
    assert_eq!(sessions[0]["tool_calls"][0]["status"], "completed");
}
