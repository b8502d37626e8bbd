//! Log compatibility with py-opencode-wrapper 0.3.1, the Python library ocw-tui succeeds:
//! its own reader (`parse_event_line` + `aggregate_server_result`) reads a log that
//! ocw-tui wrote against the real opencode, and ocw-tui reads a log written the way
//! `OpenCodeSession(log_file=...)` writes one (`json.dumps(ev, ensure_ascii=False)`).
//! Needs `OCW_PYTHON`: a python with `py-opencode-wrapper==0.3.1` (scripts/test-all.sh
//! makes one); without it these tests fail.

use crate::support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{ocw_tui_bin, MockModel, Workspace};

fn python() -> PathBuf {
    let p = std::env::var_os("OCW_PYTHON").unwrap_or_else(|| {
        panic!("OCW_PYTHON is not set: run scripts/test-all.sh, or point it at a python with py-opencode-wrapper==0.3.1")
    });
    PathBuf::from(p)
}

fn py(script: &str, args: &[&Path]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A real log: one bash call allowed once, written by `ocw-tui run --log`.
fn record_log(ws: &Workspace) -> PathBuf {
    let log = ws.root().join("ocw.jsonl");
    let out = support::ocw_run(ws)
        .args(["--on-permission", "once", "--log"])
        .arg(&log)
        .arg("please run\nbash: echo hi")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    log
}

fn summary(log: &Path) -> Value {
    let out = Command::new(ocw_tui_bin())
        .args(["replay", "--summary", "--json"])
        .arg(log)
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

const PY_READ: &str = r#"
import json, sys
from opencode_wrapper.events import parse_event_line, aggregate_server_result
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
events = [parse_event_line(l) for l in lines]
r = aggregate_server_result(events=events, session_id=None)
print(json.dumps({
    "lines": len(lines),
    "diagnostics": sum(1 for e in events if e.get("type") == "diagnostic"),
    "types": sorted({e.get("type") for e in events}),
    "final_text": r.final_text,
    "tools": sorted({(t["tool"], t["callID"], (t["state"] or {}).get("status")) for t in r.tool_calls}),
}))
"#;

const PY_WRITE: &str = r#"
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(dst, "w") as out:
    for line in open(src, encoding="utf-8"):
        ev = json.loads(line)
        ev.pop("ocw_time", None)
        # exactly what OpenCodeSession._run_turn writes for each event
        out.write(json.dumps(ev, ensure_ascii=False) + "\n")
        out.flush()
"#;

#[test]
fn python_wrapper_reads_a_log_written_by_ocw_tui() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = record_log(&ws);
    let got: Value = serde_json::from_str(&py(PY_READ, &[&log])).unwrap();
    let lines = std::fs::read_to_string(&log).unwrap().lines().count();
    assert_eq!(got["lines"], lines);
    assert_eq!(got["diagnostics"], 0, "every line is an event to it");
    let types: Vec<&str> = got["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for t in [
        "message.part.updated",
        "permission.asked",
        "permission.replied",
        "session.status",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    assert!(got["final_text"].as_str().unwrap().ends_with("Done: hi"));
    assert_eq!(
        got["tools"][0],
        serde_json::json!(["bash", "call_1", "completed"])
    );
}

#[test]
fn ocw_tui_reads_a_log_written_the_python_way_alike() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = record_log(&ws);
    let py_log = ws.root().join("py.jsonl");
    py(PY_WRITE, &[&log, &py_log]);
    let py_text = std::fs::read_to_string(&py_log).unwrap();
    assert!(
        py_text.contains("\"type\": \""),
        "written with Python's spacing"
    );
    assert!(!py_text.contains("ocw_time"));
    let ours = summary(&log);
    let theirs = summary(&py_log);
    assert_eq!(ours, theirs);
    let s = &ours["sessions"][0];
    assert_eq!(s["final_text"], "Done: hi");
    assert_eq!(s["tokens"]["total"], 170);
    assert_eq!(s["permissions"][0]["reply"], "once");
}
