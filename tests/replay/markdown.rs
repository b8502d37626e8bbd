//! `ocw-tui replay --export-markdown OUT FILE`: the transcript a reader gets, checked for
//! what they look for (prompts, answers, reasoning, commands, diffs, outputs, outcomes,
//! totals) on the recorded fixtures.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn export(rel: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.md");
    let status = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .arg("replay")
        .arg("--export-markdown")
        .arg(&out)
        .arg(fixture(rel))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read_to_string(out).unwrap()
}

/// The index of `needle` in `md`, failing with the document when missing.
fn at(md: &str, needle: &str) -> usize {
    md.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} missing from:\n{md}"))
}

#[test]
fn bash_once_shows_prompt_command_permission_output_and_answer_in_order() {
    let md = export("opencode-1.18.33/bash_once.jsonl");
    let prompt = at(&md, "> please run\n> bash: echo hi\n");
    let first = at(&md, "Running it.");
    let tool = at(&md, "**Tool `bash`** (completed): echo hi");
    let command = at(&md, "```sh\necho hi\n```");
    let permission = at(&md, "- Permission **bash** `echo hi`: **allowed once**");
    let output = at(&md, "Output:\n\n```\nhi\n```");
    let answer = at(&md, "Done: hi");
    assert!(prompt < first && first < tool && tool < command);
    assert!(command < permission && permission < output && output < answer);
    at(&md, "| 2 | 140 | 30 | 0 | 0 | 0 | 170 | $0.0000 |");
    at(&md, "43 events, 0 skipped lines.");
}

#[test]
fn rejected_permission_and_tool_error_are_stated() {
    let md = export("opencode-1.18.33/bash_reject.jsonl");
    at(&md, "- Permission **bash** `echo nope`: **rejected**");
    at(
        &md,
        "Error: The user rejected permission to use this specific tool call.",
    );
    at(&md, "**Tool `bash`** (error)");
}

#[test]
fn write_and_edit_show_content_and_diff_with_both_outcomes() {
    let md = export("opencode-1.18.33/write_edit.jsonl");
    let t1 = at(&md, "### Turn 1");
    let t2 = at(&md, "### Turn 2");
    assert!(t1 < t2);
    at(&md, "```\nhello\nworld\n```");
    at(&md, "```diff\n");
    at(&md, "-world\n+there\n```");
    assert_eq!(md.matches("**allowed once**").count(), 2);
    at(&md, "Done: Edit applied successfully.");
    at(&md, "| 4 | 280 | 60 | 0 | 0 | 0 | 340 | $0.0000 |");
}

#[test]
fn question_answers_are_shown_per_question() {
    let md = export("opencode-1.18.33/question_multi.jsonl");
    at(
        &md,
        "- Question: Which languages? (options: rust / go / zig) -> **rust**, **zig**",
    );
    at(
        &md,
        "- Question: Which license? (options: MIT / GPL) -> **MIT**",
    );
}

#[test]
fn reasoning_is_quoted_before_the_answer() {
    let md = export("opencode-1.18.33/reasoning.jsonl");
    let r = at(&md, "> *Reasoning:*\n> Let me think about it.");
    let a = at(&md, "\nThe answer is 42.\n");
    assert!(r < a);
}

#[test]
fn provider_error_is_listed() {
    let md = export("opencode-1.18.33/provider_error.jsonl");
    at(&md, "### Errors");
    at(&md, "- **APIError**: mock provider rejected the request");
}

#[test]
fn three_turns_of_one_session_are_three_sections() {
    let md = export("opencode-1.18.33/multi_turn.jsonl");
    assert_eq!(md.matches("### Turn ").count(), 3);
    let a = at(&md, "> say hello\n");
    let b = at(&md, "> please run\n> bash: ls\n");
    let c = at(&md, "> say hello again\n");
    assert!(a < b && b < c);
}

#[test]
fn run_format_log_exports_each_run() {
    let md = export("opencode-run-1.18.33/five_runs.jsonl");
    assert_eq!(md.matches("### Totals").count(), 5);
    at(&md, "The answer is 42.");
    at(&md, "**Tool `write`** (completed)");
    at(&md, "- **APIError**: mock provider rejected the request");
}

#[test]
fn unwritable_output_fails_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(["replay", "--export-markdown", "/nonexistent-dir/t.md"])
        .arg(fixture("opencode-1.18.33/hello.jsonl"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent-dir/t.md"), "{err}");
}

/// The bash_once fixture with every text and delta replaced by `text`.
fn crafted(dir: &Path, text: &str) -> PathBuf {
    fn walk(v: &mut serde_json::Value, text: &str) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match (k.as_str(), &x) {
                        ("delta" | "text", serde_json::Value::String(_)) => {
                            *x = serde_json::Value::from(text)
                        }
                        _ => walk(x, text),
                    }
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|e| walk(e, text)),
            _ => {}
        }
    }
    let fixture = std::fs::read_to_string(fixture("opencode-1.18.33/bash_once.jsonl")).unwrap();
    let mut out = String::new();
    for l in fixture.lines() {
        let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
        walk(&mut v, text);
        out.push_str(&v.to_string());
        out.push('\n');
    }
    let path = dir.join("crafted.jsonl");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn export_to_a_terminal_is_cleaned_and_to_a_file_keeps_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let log = crafted(
        dir.path(),
        "see\n```sh\x1b]0;pwned\x07\necho\n```\nend \x1b]52;c;cHduZWQ=\x07",
    );
    // To a file: the bytes as they were.
    let file = dir.path().join("t.md");
    let status = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(["replay", "--export-markdown"])
        .arg(&file)
        .arg(&log)
        .status()
        .unwrap();
    assert!(status.success());
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.contains("```sh\x1b]0;pwned\x07"), "{md:?}");
    // To a terminal (a pty from `script`): no escape reaches it.
    let shell = format!(
        "'{}' replay --export-markdown /dev/stdout '{}'",
        env!("CARGO_BIN_EXE_ocw-tui"),
        log.display()
    );
    let out = Command::new("script")
        .args(["-qec", &shell, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs a command on a pty");
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(tty.contains("sh␛]0;pwned␇"), "{tty:?}");
    assert!(!tty.contains('\x1b') && !tty.contains('\x07'), "{tty:?}");
}
