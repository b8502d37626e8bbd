//! `ocw-tui run` with several turns where a later one asks something the policy rejects
//! (issue 18): stderr names what was auto-rejected and in which turn, says which turn's
//! answer was printed when the last turn gave no text, and the exit status stays 0 (the
//! rejection is the answer the policy asked for, as `run --help` and the README say).

use crate::support;

use support::{assert_no_opencode_left, ocw_run, MockModel, Workspace};

#[test]
fn a_question_rejected_in_a_later_turn_is_named_on_stderr() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let out = ocw_run(&ws)
        .args(["--timeout", "60"])
        .arg("hi")
        .arg("ask me\nquestion: Which DB? | sqlite, postgres")
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "turn 2 of 2 (\"ask me…\"): question \"Which DB?\" was auto-rejected (--on-question reject"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("turn 1 of 2"),
        "turn 1 asked nothing: {stderr}"
    );
    // What is printed is the last text there is; when it is not turn 2's own, stderr says so.
    let printed = stdout.trim();
    assert!(!printed.is_empty(), "{stderr}");
    if printed == "Hello! You said: hi. This is turn 1." {
        assert!(
            stderr.contains("turn 2 of 2 gave no text answer; the text printed is turn 1's"),
            "{stderr}"
        );
    } else {
        assert!(
            !stderr.contains("gave no text answer"),
            "{printed}\n{stderr}"
        );
    }
    assert_no_opencode_left(&ws, 3);
}

#[test]
fn a_permission_rejected_is_named_with_its_command() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let out = ocw_run(&ws)
        .args(["--timeout", "60"])
        .arg("please run\nbash: touch rejected-marker")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "turn 1 of 1 (\"please run…\"): permission bash (touch rejected-marker) was auto-rejected"
        ),
        "{stderr}"
    );
    assert!(!ws.project_dir().join("rejected-marker").exists());
    assert_no_opencode_left(&ws, 3);
}
