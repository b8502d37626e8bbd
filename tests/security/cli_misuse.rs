//! Every way of calling ocw-tui wrongly gives ONE clear line on stderr (what failed, what
//! to do) and exit status 2 for a usage mistake or 1 for a runtime failure; never a
//! panic, a backtrace or a page of usage text. No opencode is needed: servers that refuse
//! the password or are not opencode at all are faked here on loopback.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

fn ocw(args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(args)
        .current_dir(dir.path())
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .env_remove("OPENCODE_SERVER_PASSWORD")
        .env("OPENCODE_BIN", "/nonexistent/opencode")
        .env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.stdout.is_empty(), "nothing on stdout for {args:?}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Exit `code`, one line starting `ocw-tui: ` and containing `needle`.
fn expect(args: &[&str], code: i32, needle: &str) {
    let (got, err) = ocw(args);
    assert_eq!(got, code, "exit status of {args:?}: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line for {args:?}: {err}"
    );
    assert!(err.starts_with("ocw-tui: "), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
}

#[test]
fn bad_flags_and_values_are_one_line_usage_errors() {
    expect(&["--bogus"], 2, "unexpected argument '--bogus'");
    expect(
        &["run", "--bogus", "hi"],
        2,
        "unexpected argument '--bogus'",
    );
    expect(&["run"], 2, "<MESSAGE>");
    expect(
        &["run", "--timeout", "abc", "hi"],
        2,
        "'abc' for '--timeout",
    );
    expect(
        &["run", "--on-permission", "maybe", "hi"],
        2,
        "possible values",
    );
    // No file and no recorded session: say how to name one.
    expect(&["replay"], 2, "pass the path of a JSONL log");
    expect(&["frobnicate", "--x"], 2, "see ocw-tui --help");
}

#[test]
fn help_and_version_still_print_normally() {
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ocw-tui "));
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(["run", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--on-permission"));
}

#[test]
fn missing_files_and_directories_are_usage_errors() {
    expect(
        &["replay", "/nonexistent/x.jsonl"],
        2,
        "/nonexistent/x.jsonl does not exist",
    );
    expect(
        &["replay", "--summary", "/nonexistent/x.jsonl"],
        2,
        "does not exist",
    );
    expect(&["replay", "--summary", "/"], 2, "is not a file");
    expect(
        &["run", "--dir", "/nonexistent/dir", "hi"],
        2,
        "/nonexistent/dir does not exist",
    );
    expect(&["/nonexistent/project"], 2, "does not exist");
    expect(
        &["run", "hi"],
        2,
        "opencode binary /nonexistent/opencode does not exist",
    );
    expect(&["run", "--config", "{bad", "hi"], 2, "");
}

#[test]
fn an_opencode_that_is_not_executable_or_not_opencode() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("opencode");
    std::fs::write(&plain, "not a program").unwrap();
    std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    let plain = plain.to_str().unwrap();
    expect(
        &["run", "--opencode-bin", plain, "hi"],
        2,
        "is not an executable file",
    );
    // Executable, but dies at once: a runtime failure that says what to check.
    let fake = dir.path().join("fake-opencode");
    std::fs::write(&fake, "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    expect(
        &["run", "--opencode-bin", fake.to_str().unwrap(), "hi"],
        1,
        "opencode serve exited before it was ready (exit status: 3)",
    );
}

#[test]
fn bad_attach_urls() {
    expect(
        &["run", "--attach", "ftp://x", "hi"],
        2,
        "invalid server URL ftp://x",
    );
    // A closed port on loopback.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    expect(&["run", "--attach", &url, "hi"], 1, "Connection refused");
}

/// A loopback server that answers every request with `response`, `n` times.
fn fake_server(response: &'static str, n: usize) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in l.incoming().take(n) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(response.as_bytes());
        }
    });
    url
}

#[test]
fn wrong_password_is_a_one_line_runtime_error_without_the_password() {
    let url = fake_server(
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        4,
    );
    let secret = "wrong-password-never-echoed";
    let (code, err) = ocw(&["run", "--attach", &url, "--password", secret, "hi"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("the password is wrong or missing"), "{err}");
    assert!(!err.contains(secret), "{err}");
}

#[test]
fn a_port_held_by_something_that_is_not_opencode() {
    let url = fake_server("SSH-2.0-OpenSSH_9.6\r\n", 4);
    let (code, err) = ocw(&["run", "--attach", &url, "hi"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains(&url), "{err}");
}
