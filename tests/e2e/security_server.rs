//! Security of the server ocw-tui spawns or attaches to, against the real opencode
//! 1.18.33: the spawned server listens on loopback only and refuses a client without the
//! password (tested from another client); the password shows up nowhere (log, stdout,
//! stderr, --help, error messages); the log is 0600 even when the file existed as 0644;
//! a password is never sent over plain http to a host that is not loopback without
//! `--insecure`; https attach works through a TLS proxy whose CA we trust.

use crate::support;
use crate::support::tls_proxy;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::{
    assert_no_opencode_left, ocw, ocw_tui_bin, opencode_processes_in, spawn_opencode_serve,
    MockModel, Workspace,
};

/// Listening sockets on `port` from /proc/net/tcp and tcp6: their local addresses (hex).
fn listeners_on(port: u16) -> Vec<String> {
    let mut out = Vec::new();
    for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state)) = (cols.get(1), cols.get(3)) else {
                continue;
            };
            let Some((addr, p)) = local.rsplit_once(':') else {
                continue;
            };
            if *state == "0A" && u16::from_str_radix(p, 16) == Ok(port) {
                out.push(addr.to_string());
            }
        }
    }
    out
}

fn password_of(pid: u32) -> Option<String> {
    let env = std::fs::read(format!("/proc/{pid}/environ")).ok()?;
    env.split(|b| *b == 0)
        .filter_map(|kv| std::str::from_utf8(kv).ok())
        .find_map(|kv| kv.strip_prefix("OPENCODE_SERVER_PASSWORD="))
        .map(str::to_string)
}

fn get_status(url: &str, auth: Option<(&str, &str)>) -> u16 {
    let client = reqwest::blocking::Client::new();
    let mut rb = client
        .get(format!("{url}/global/health"))
        .timeout(Duration::from_secs(5));
    if let Some((u, p)) = auth {
        rb = rb.basic_auth(u, Some(p));
    }
    rb.send().unwrap().status().as_u16()
}

#[test]
fn spawned_server_is_private_and_its_password_is_never_shown() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("private.jsonl");
    // A log that existed with mode 0644 and old content.
    std::fs::write(&log, "old content\n").unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut child = ocw(&ws)
        .args(["run", "--json", "--log"])
        .arg(&log)
        .arg("--dir")
        .arg(ws.project_dir())
        .arg("hello\nslow: 400\nwords: 30")
        .env("OCW_DEBUG_PRINT_URL", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let stdout = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut err_text = String::new();
    let url = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no server URL on stderr: {err_text}"
        );
        err_text.push_str(&line);
        if let Some(u) = line.trim().strip_prefix("ocw-tui: opencode server at ") {
            break u.to_string();
        }
    };
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(
        !url.contains('@'),
        "no credentials in the printed URL: {url}"
    );
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();

    // Loopback only: 127.0.0.1 (0100007F), nothing on 0.0.0.0 or ::.
    let listeners = listeners_on(port);
    assert!(!listeners.is_empty(), "nothing listens on {port}");
    assert!(
        listeners.iter().all(|a| a == "0100007F"),
        "listening beyond loopback: {listeners:?}"
    );

    // Another client: refused without the password, and with a wrong one.
    let pid = opencode_processes_in(ws.root())
        .into_iter()
        .find(|p| password_of(*p).is_some())
        .expect("the opencode process has a password");
    let password = password_of(pid).unwrap();
    assert!(password.len() >= 32, "a strong random password");
    assert_eq!(get_status(&url, None), 401);
    assert_eq!(get_status(&url, Some(("opencode", "wrong"))), 401);
    assert_eq!(get_status(&url, Some(("opencode", &password))), 200);

    let rest = std::io::read_to_string(stderr).unwrap();
    err_text.push_str(&rest);
    let status = child.wait().unwrap();
    let out = stdout.join().unwrap();
    assert!(status.success(), "{err_text}");
    assert!(out.contains("word30"), "{out}");
    let log_text = std::fs::read_to_string(&log).unwrap();
    for (what, text) in [("log", &log_text), ("stdout", &out), ("stderr", &err_text)] {
        assert!(!text.contains(&password), "the password is in the {what}");
    }
    assert!(!log_text.contains("old content"), "the log was truncated");
    let mode = std::fs::metadata(&log).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the log is private even if it existed as 0644");
    assert_no_opencode_left(&ws, 5);
}

#[test]
fn password_from_the_environment_is_not_shown_by_help() {
    let secret = "env-secret-never-shown-4711";
    for args in [&["--help"][..], &["run", "--help"][..]] {
        let out = Command::new(ocw_tui_bin())
            .args(args)
            .env("OPENCODE_SERVER_PASSWORD", secret)
            .output()
            .unwrap();
        assert!(out.status.success());
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("--password"), "{all}");
        assert!(!all.contains(secret), "--help shows the password: {all}");
    }
}

#[test]
fn password_over_plain_http_to_a_remote_host_is_refused_without_insecure() {
    // `.invalid` never resolves: should the check regress, nothing leaves this machine.
    let dir = tempfile::tempdir().unwrap();
    let secret = "plain-http-secret-0815";
    let out = Command::new(ocw_tui_bin())
        .args(["run", "--attach", "http://ocw-test.invalid:4096"])
        .args(["--password", secret, "--dir"])
        .arg(dir.path())
        .arg("hello")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("refusing to send the password over plain http"),
        "{err}"
    );
    assert!(err.contains("--insecure"), "it says what to do: {err}");
    assert!(!err.contains(secret), "{err}");
}

#[test]
fn https_attach_works_with_a_trusted_ca_and_fails_cleanly_without() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let password = "https-attach-password";
    let server = rt.block_on(spawn_opencode_serve(&ws, Some(password)));
    let upstream = server.url().trim_start_matches("http://").parse().unwrap();
    let proxy = tls_proxy::TlsProxy::start(upstream);
    let ca = ws.root().join("ca.pem");
    std::fs::write(&ca, &proxy.ca_pem).unwrap();

    let run = |trust: bool| {
        let mut c = ocw(&ws);
        c.args(["run", "--timeout", "60", "--attach", &proxy.url()])
            .args(["--password", password, "--dir"])
            .arg(ws.project_dir())
            .arg("over tls");
        if trust {
            c.env("OCW_EXTRA_CA_PEM", &ca);
        }
        c.output().unwrap()
    };
    let out = run(true);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "Hello! You said: over tls. This is turn 1."
    );

    // An unknown CA: a runtime failure, said in one line, without the password.
    let out = run(false);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(
        err.contains("cannot reach the opencode server at https://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("certificate"), "{err}");
    assert!(!err.contains(password), "{err}");
}
