//! What the command line tells a user who gets it wrong or asks for help: the right cause
//! (a file is "not a directory"), the help of the subcommand at fault, clap's "similar
//! argument" tip, no message about starting a server that cannot start, a help page with
//! examples and exit statuses, and shell completions. No opencode is needed.

use std::process::{Command, Output, Stdio};

fn ocw(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("OPENCODE_SERVER_PASSWORD")
        .env_remove("OPENCODE_SERVER_USERNAME")
        .env("OPENCODE_BIN", "/nonexistent/opencode")
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Exit 2 and exactly one line on stderr, containing every needle.
fn one_line_usage_error(args: &[&str], needles: &[&str]) {
    let out = ocw(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?}");
    for n in needles {
        assert!(err.contains(n), "{args:?}: {err:?} lacks {n:?}");
    }
}

#[test]
fn a_file_given_as_the_project_is_not_a_directory() {
    one_line_usage_error(
        &["/etc/passwd"],
        &["project directory /etc/passwd is not a directory"],
    );
    one_line_usage_error(
        &["run", "--dir", "/etc/passwd", "hi"],
        &["/etc/passwd is not a directory"],
    );
    one_line_usage_error(&["/nonexistent/project"], &["does not exist"]);
}

#[test]
fn a_subcommand_error_points_to_that_subcommands_help() {
    one_line_usage_error(&["run"], &["<MESSAGE>", "(see ocw-tui run --help)"]);
    one_line_usage_error(
        &["replay", "--speed", "fast", "x.jsonl"],
        &["'fast'", "(see ocw-tui replay --help)"],
    );
    one_line_usage_error(&["--bogus"], &["(see ocw-tui --help)"]);
}

#[test]
fn a_mistyped_flag_keeps_clap_s_tip() {
    one_line_usage_error(
        &["--modle", "a/b"],
        &[
            "unexpected argument '--modle'",
            "tip: a similar argument exists: '--model'",
        ],
    );
    one_line_usage_error(
        &["run", "--on-permision", "once", "hi"],
        &["a similar argument exists: '--on-permission'"],
    );
}

#[test]
fn a_missing_opencode_is_reported_before_anything_starts() {
    // One line: no "starting opencode serve" before the error.
    one_line_usage_error(
        &["."],
        &["opencode binary /nonexistent/opencode does not exist"],
    );
}

/// A `--model` that is not PROVIDER/MODEL is refused before any server starts (here no
/// opencode exists: the error is about the model, not the binary).
#[test]
fn a_model_without_a_provider_is_refused_before_the_server_starts() {
    for args in [
        &["--model", "nosuchthing", "."][..],
        &["run", "--model", "nosuchthing", "hi"],
        &["--model", "anthropic/", "."],
        &["run", "--model", "/claude", "hi"],
    ] {
        one_line_usage_error(args, &["PROVIDER/MODEL", "opencode models"]);
        let err = String::from_utf8_lossy(&ocw(args).stderr).to_string();
        assert!(!err.contains("/nonexistent/opencode"), "{args:?}: {err}");
    }
}

#[test]
fn help_shows_examples_and_exit_statuses_and_no_empty_env_value() {
    let out = ocw(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(!help.contains("OPENCODE_SERVER_USERNAME=]"), "{help}");
    assert!(help.contains("[env: OPENCODE_SERVER_USERNAME]"), "{help}");
    assert!(help.contains("Examples:"), "{help}");
    assert!(help.contains("ocw-tui run --json"), "{help}");
    assert!(help.contains("Exit status:"), "{help}");
    assert!(help.contains("2 a usage error"), "{help}");
    assert!(help.contains("completions"), "{help}");
}

#[test]
fn completions_print_a_script_for_the_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _ocw__tui"),
        ("zsh", "#compdef ocw-tui"),
        ("fish", "complete -c ocw-tui"),
    ] {
        let out = ocw(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        assert!(script.contains("on-permission"), "{shell}: flags of run");
    }
    one_line_usage_error(
        &["completions", "tcsh"],
        &["possible values: bash", "(see ocw-tui completions --help)"],
    );
}

/// `run --help` says which answer is printed and what happens to a rejected request.
#[test]
fn run_help_says_which_answer_is_printed_and_what_a_rejection_does() {
    let out = ocw(&["run", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("the last answer that has text"), "{help}");
    assert!(help.contains("which turn it comes from"), "{help}");
    assert!(help.contains("auto-rejected"), "{help}");
    assert!(help.contains("the exit status stays 0"), "{help}");
}
