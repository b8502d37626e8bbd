//! `ocw-tui replay --summary [--json]` run as a user runs it (the real binary) on every
//! recorded fixture, against totals worked out by hand from the logs (see the comment
//! above each test for the lines the figures come from).

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn serve(name: &str) -> PathBuf {
    fixture(&format!("opencode-1.18.33/{name}.jsonl"))
}

fn run(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .arg("replay")
        .args(args)
        .output()
        .expect("run ocw-tui");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn summary_json(path: &Path) -> Value {
    let (out, err, code) = run(&["--summary", "--json", path.to_str().unwrap()]);
    assert_eq!(code, 0, "exit status, stderr: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

fn summary_text(path: &Path) -> String {
    let (out, err, code) = run(&["--summary", path.to_str().unwrap()]);
    assert_eq!(code, 0, "exit status, stderr: {err}");
    out
}

fn only_session(s: &Value) -> &Value {
    let sessions = s["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "one session expected: {s:#}");
    &sessions[0]
}

fn tokens(input: u64, output: u64, total: u64) -> Value {
    json!({"input": input, "output": output, "reasoning": 0,
           "cache_read": 0, "cache_write": 0, "total": total})
}

fn tool_names(s: &Value) -> Vec<(String, String)> {
    s["tool_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["tool"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

// hello: 25 lines; one assistant message (xGkGpp) whose last snapshot (line 23) is
// 40 in / 10 out / 50 total; five deltas then the snapshot "Hello from the mock model."
#[test]
fn hello_summary_matches_the_log() {
    let s = summary_json(&serve("hello"));
    assert_eq!(s["events"], 25);
    assert_eq!(s["skipped_lines"], 0);
    let ses = only_session(&s);
    assert_eq!(ses["session_id"], "ses_df2922947ffe1k2UfuYGuTtkaE");
    assert_eq!(ses["title"], "Mock title");
    assert_eq!(ses["final_text"], "Hello from the mock model.");
    assert_eq!(ses["assistant_messages"], 1);
    assert_eq!(ses["tokens"], tokens(40, 10, 50));
    assert_eq!(ses["cost"], 0.0);
    assert_eq!(ses["tool_calls"], json!([]));
    assert_eq!(ses["permissions"], json!([]));
    assert_eq!(ses["errors"], json!([]));
}

// bash_once: two assistant messages, RT8Kr5 (line 26: 100/20/120, finish tool-calls)
// and a8Ih7e (line 41: 40/10/50): 140/30/170. Permission per_..abnNO (line 19, bash
// "echo hi") replied "once" (line 20); the bash part completes with "hi\n" (line 23).
// Final text "Done: hi " (line 38) trimmed.
#[test]
fn bash_once_summary_matches_the_log() {
    let s = summary_json(&serve("bash_once"));
    assert_eq!(s["events"], 43);
    let ses = only_session(&s);
    assert_eq!(ses["final_text"], "Done: hi");
    assert_eq!(ses["assistant_messages"], 2);
    assert_eq!(ses["tokens"], tokens(140, 30, 170));
    assert_eq!(
        ses["tool_calls"],
        json!([{"call_id": "call_bash_0", "tool": "bash", "status": "completed", "title": "echo hi"}])
    );
    assert_eq!(
        ses["permissions"],
        json!([{"id": "per_20d6df470001rDUHhesimabnNO", "permission": "bash",
                "patterns": ["echo hi"], "reply": "once"}])
    );
}

// bash_reject: one assistant message (line 24: 100/20/120); permission rejected (line
// 20); the bash part ends in "error" (line 21); the session goes idle (line 25) with the
// only text "Running it.".
#[test]
fn bash_reject_summary_matches_the_log() {
    let s = summary_json(&serve("bash_reject"));
    assert_eq!(s["events"], 25);
    let ses = only_session(&s);
    assert_eq!(ses["final_text"], "Running it.");
    assert_eq!(ses["assistant_messages"], 1);
    assert_eq!(ses["tokens"], tokens(100, 20, 120));
    assert_eq!(tool_names(ses), vec![pair("bash", "error")]);
    assert_eq!(ses["permissions"][0]["reply"], "reject");
    assert_eq!(ses["permissions"][0]["patterns"], json!(["echo nope"]));
    assert_eq!(ses["errors"], json!([]));
}

// question: HRx3fm (120) + lifhLq (50); question que_..AJATJ7 "Which DB?" (line 15)
// answered [["postgres"]] (line 17); the mock echoes the tool output cut at 60 chars.
#[test]
fn question_summary_matches_the_log() {
    let s = summary_json(&serve("question"));
    assert_eq!(s["events"], 38);
    let ses = only_session(&s);
    assert_eq!(
        ses["final_text"],
        "Done: User has answered your questions: \"Which DB?\"=\"postgres\". Yo"
    );
    assert_eq!(ses["tokens"], tokens(140, 30, 170));
    assert_eq!(tool_names(ses), vec![pair("question", "completed")]);
    assert_eq!(
        ses["questions"],
        json!([{"id": "que_20d6e43e7001h9aCb8dBAJATJ7", "questions": ["Which DB?"],
                "answers": [["postgres"]], "rejected": false}])
    );
    assert_eq!(ses["permissions"], json!([]));
}

// question_multi: two questions in one request (line 15), the first multi-select;
// answered [["rust","zig"],["MIT"]] (line 17). Final text ends in "rust, " (trimmed).
#[test]
fn question_multi_summary_matches_the_log() {
    let s = summary_json(&serve("question_multi"));
    assert_eq!(s["events"], 38);
    let ses = only_session(&s);
    assert_eq!(
        ses["final_text"],
        "Done: User has answered your questions: \"Which languages?\"=\"rust,"
    );
    assert_eq!(ses["tokens"], tokens(140, 30, 170));
    let q = &ses["questions"][0];
    assert_eq!(
        q["questions"],
        json!(["Which languages?", "Which license?"])
    );
    assert_eq!(q["answers"], json!([["rust", "zig"], ["MIT"]]));
    assert_eq!(q["rejected"], false);
}

// write_edit: two turns, four assistant messages 120 + 50 + 120 + 50 = 340 (in 100+40+100+40,
// out 20+10+20+10); write then edit, both completed; two edit permissions, both "once".
#[test]
fn write_edit_summary_matches_the_log() {
    let s = summary_json(&serve("write_edit"));
    assert_eq!(s["events"], 74);
    let ses = only_session(&s);
    assert_eq!(ses["final_text"], "Done: Edit applied successfully.");
    assert_eq!(ses["assistant_messages"], 4);
    assert_eq!(ses["tokens"], tokens(280, 60, 340));
    assert_eq!(
        tool_names(ses),
        vec![pair("write", "completed"), pair("edit", "completed")]
    );
    let perms = ses["permissions"].as_array().unwrap();
    assert_eq!(perms.len(), 2);
    for p in perms {
        assert_eq!(p["permission"], "edit");
        assert_eq!(p["patterns"], json!(["home/dev/projecthbhzf/notes.txt"]));
        assert_eq!(p["reply"], "once");
    }
}

// reasoning: one message 40/10/50; the reasoning part ("Let me think about it.") is not
// part of the final text "The answer is 42."; the server reports reasoning tokens 0.
#[test]
fn reasoning_summary_matches_the_log() {
    let s = summary_json(&serve("reasoning"));
    assert_eq!(s["events"], 30);
    let ses = only_session(&s);
    assert_eq!(ses["final_text"], "The answer is 42.");
    assert_eq!(ses["tokens"], tokens(40, 10, 50));
}

// multi_turn: three prompts; assistant messages tApyRl 50, EzgJlu 120, 4acJ86 50,
// rYbaMB 50 = 270 (in 220, out 50); one bash "ls" allowed once; the last answer is the
// third turn's "Hello from the mock model.".
#[test]
fn multi_turn_summary_matches_the_log() {
    let s = summary_json(&serve("multi_turn"));
    assert_eq!(s["events"], 86);
    let ses = only_session(&s);
    assert_eq!(ses["final_text"], "Hello from the mock model.");
    assert_eq!(ses["assistant_messages"], 4);
    assert_eq!(ses["tokens"], tokens(220, 50, 270));
    assert_eq!(tool_names(ses), vec![pair("bash", "completed")]);
    assert_eq!(ses["permissions"][0]["patterns"], json!(["ls"]));
    assert_eq!(ses["permissions"][0]["reply"], "once");
}

// provider_error: 13 lines; the assistant message never gets tokens; session.error
// (line 13) APIError "mock provider rejected the request"; no text at all.
#[test]
fn provider_error_summary_matches_the_log() {
    let s = summary_json(&serve("provider_error"));
    assert_eq!(s["events"], 13);
    let ses = only_session(&s);
    assert_eq!(ses["final_text"], "");
    assert_eq!(ses["tokens"], tokens(0, 0, 0));
    assert_eq!(
        ses["errors"],
        json!([{"name": "APIError", "message": "mock provider rejected the request"}])
    );
}

// long: 3,020 lines, 3,000 deltas "word0 " .. "word2999 \n" (a newline every 12 words);
// tokens 500 / 3000 / 3500 (line 3018).
#[test]
fn long_summary_matches_the_log() {
    let s = summary_json(&serve("long"));
    assert_eq!(s["events"], 3020);
    let ses = only_session(&s);
    assert_eq!(ses["tokens"], tokens(500, 3000, 3500));
    let text = ses["final_text"].as_str().unwrap();
    assert!(text.starts_with("word0 word1 word2 "), "{}", &text[..40]);
    assert!(text.ends_with("word2998 word2999"));
    assert_eq!(text.split_whitespace().count(), 3000);
}

// five_runs (`opencode run --format json`): 21 lines, five sessions. Each line becomes
// one part event, plus a message.updated for each of the 6 messages when first seen and
// one per step_finish (6): 20 + 6 + 6 + the error = 33 events.
#[test]
fn run_format_log_summarises_every_run() {
    let s = summary_json(&fixture("opencode-run-1.18.33/five_runs.jsonl"));
    assert_eq!(s["events"], 33);
    assert_eq!(s["skipped_lines"], 0);
    let sessions = s["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 5);
    let finals: Vec<&str> = sessions
        .iter()
        .map(|x| x["final_text"].as_str().unwrap())
        .collect();
    assert_eq!(
        finals,
        vec![
            "Hello from the mock model.",
            "Done: /bin/bash: -c: line 1: unexpected EOF while looking for matc",
            "Done: Wrote file successfully.",
            "The answer is 42.",
            "",
        ]
    );
    let totals: Vec<&Value> = sessions.iter().map(|x| &x["tokens"]).collect();
    assert_eq!(*totals[0], tokens(40, 10, 50));
    assert_eq!(*totals[1], tokens(140, 30, 170));
    assert_eq!(*totals[2], tokens(140, 30, 170));
    assert_eq!(*totals[3], tokens(40, 10, 50));
    assert_eq!(*totals[4], tokens(0, 0, 0));
    assert_eq!(tool_names(&sessions[1]), vec![pair("bash", "completed")]);
    assert_eq!(tool_names(&sessions[2]), vec![pair("write", "completed")]);
    assert_eq!(sessions[4]["errors"][0]["name"], "APIError");
    assert_eq!(
        sessions[4]["errors"][0]["message"],
        "mock provider rejected the request"
    );
}

/// A copy of `bash_once` with a garbage line, a JSON array line, a blank line and a
/// truncated last line (the writer died mid-line).
fn damaged_copy(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(serve("bash_once")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        out.push('\n');
        match i {
            4 => out.push_str("this is not json\n"),
            10 => out.push_str("[1, 2, 3]\n"),
            20 => out.push('\n'),
            _ => {}
        }
    }
    out.push_str(&lines[5][..40]);
    let p = dir.join("damaged.jsonl");
    std::fs::write(&p, out).unwrap();
    p
}

#[test]
fn damaged_lines_are_skipped_counted_and_do_not_change_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    let damaged = summary_json(&damaged_copy(dir.path()));
    let clean = summary_json(&serve("bash_once"));
    assert_eq!(damaged["skipped_lines"], 3);
    assert_eq!(damaged["events"], 43);
    assert_eq!(damaged["sessions"], clean["sessions"]);
    let text = summary_text(&damaged_copy(dir.path()));
    assert!(text.contains("43 events, 3 skipped lines"), "{text}");
    assert!(text.contains("skipped lines: 6, 13, 47"), "{text}");
    assert!(text.contains("the log ended early"), "{text}");
}

/// Rewrites a fixture as ocw-tui writes logs: compact JSON plus `ocw_time` on each line.
fn ocw_style_copy(name: &str, dir: &Path) -> PathBuf {
    let p = dir.join(format!("{name}.ocw.jsonl"));
    let mut w = ocw_tui::log::LogWriter::create(&p, Vec::new()).unwrap();
    let text = std::fs::read_to_string(serve(name)).unwrap();
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        let compact = serde_json::to_string(&v).unwrap();
        let kind = v["type"].as_str().unwrap();
        w.write_raw(kind, &compact, 1_795_521_631_928 + 37 * i as u64)
            .unwrap();
    }
    p
}

#[test]
fn py_wrapper_log_and_ocw_tui_log_of_the_same_events_summarise_alike() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "bash_once",
        "question_multi",
        "write_edit",
        "provider_error",
    ] {
        let ours = ocw_style_copy(name, dir.path());
        let first = std::fs::read_to_string(&ours).unwrap();
        let line1 = first.lines().next().unwrap();
        assert!(
            line1.contains("\"type\":\"session.created\""),
            "compact: {line1}"
        );
        assert!(line1.contains("\"ocw_time\":"), "{line1}");
        assert_eq!(summary_json(&ours), summary_json(&serve(name)), "{name}");
    }
}

#[test]
fn plain_text_summary_tells_people_the_outcome() {
    let text = summary_text(&serve("bash_once"));
    assert!(text.contains("session ses_df292153affeZxkvnQa0f9ypX7  Mock title"));
    assert!(text.contains("total 170"), "{text}");
    assert!(text.contains("tool bash [completed] echo hi"), "{text}");
    assert!(
        text.contains("permission bash [\"echo hi\"] -> once"),
        "{text}"
    );
    assert!(text.contains("Done: hi"), "{text}");
    assert!(text.contains("43 events, 0 skipped lines"), "{text}");

    let text = summary_text(&serve("question_multi"));
    assert!(
        text.contains("[[\"rust\", \"zig\"], [\"MIT\"]]"),
        "question answers shown: {text}"
    );
    let text = summary_text(&serve("provider_error"));
    assert!(
        text.contains("error APIError: mock provider rejected the request"),
        "{text}"
    );
}

#[test]
fn summary_reads_standard_input() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(["replay", "--summary", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let log = std::fs::read(serve("hello")).unwrap();
    child.stdin.take().unwrap().write_all(&log).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["sessions"][0]["final_text"], "Hello from the mock model.");
}

#[test]
fn missing_log_fails_with_a_message_naming_the_file() {
    let (_, err, code) = run(&["--summary", "/nonexistent/log.jsonl"]);
    assert_eq!(code, 2, "a usage error");
    assert!(err.contains("/nonexistent/log.jsonl"), "{err}");
}

/// A log big enough to be parsed in parallel blocks (> 4 MiB), with malformed lines.
#[test]
fn big_log_summary_is_the_same_read_in_blocks_or_from_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let mut one = String::new();
    for name in ["hello", "bash_once", "question_multi", "write_edit", "long"] {
        one.push_str(&std::fs::read_to_string(serve(name)).unwrap());
    }
    let per_copy = 25 + 43 + 38 + 74 + 3020;
    let copies = 6;
    let mut big = String::new();
    for i in 0..copies {
        big.push_str(&one);
        if i == 2 {
            big.push_str("garbage in the middle\n");
        }
    }
    big.push_str("{\"type\":\"session.idle\",\"prop");
    assert!(big.len() > 4 << 20, "{} bytes", big.len());
    let p = dir.path().join("big.jsonl");
    std::fs::write(&p, &big).unwrap();

    // Two parser threads whatever the machine, to exercise the block-parallel path.
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(["replay", "--summary", "--json"])
        .arg(&p)
        .env("OCW_REPLAY_THREADS", "2")
        .output()
        .unwrap();
    assert!(out.status.success());
    let from_file: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_file["events"], per_copy * copies);
    assert_eq!(from_file["skipped_lines"], 2);

    let mut child = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(["replay", "--summary", "--json", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(big.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_file, from_stdin);
    // Same sessions repeated: the totals are those of one copy (last snapshots win).
    let sessions = from_file["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 5);
    assert_eq!(sessions[3]["tokens"], tokens(280, 60, 340));
}
