//! Knowing which opencode we talk to, against fake servers on loopback: a release older
//! than supported is refused at once in one line, a newer one is warned about once, a
//! server without a health route is named at once (not after 30 s), a database error shows
//! its first line and suggests --isolated, a `--model` the server does not offer is refused
//! with close matches, and a `permission.*` event we cannot answer is reported.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SID: &str = "ses_fake";

enum Reply {
    Json(u16, Value),
    /// An event stream: these events after `server.connected`, then held open.
    Events(Vec<Value>),
}

/// A fake opencode on loopback answering every request with `route(method, path)`.
fn fake_server(route: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let route = Arc::new(route);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let route = route.clone();
            std::thread::spawn(move || serve(stream, &*route));
        }
    });
    url
}

fn serve(stream: TcpStream, route: &dyn Fn(&str, &str) -> Reply) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts
            .next()
            .unwrap_or("")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let mut length = 0;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap_or(0);
            if h.trim().is_empty() {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        match route(&method, &path) {
            Reply::Json(status, v) => {
                let text = v.to_string();
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                    text.len()
                );
                if out.write_all((head + &text).as_bytes()).is_err() {
                    return;
                }
            }
            Reply::Events(events) => {
                let mut text =
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n".to_string();
                for e in std::iter::once(json!({"type":"server.connected","properties":{}}))
                    .chain(events)
                {
                    text.push_str(&format!("data: {e}\n\n"));
                }
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
                std::thread::sleep(Duration::from_secs(30));
                return;
            }
        }
    }
}

/// A server that behaves, reporting `version`; `overrides` answers some paths differently.
fn opencode_like(
    version: &'static str,
    overrides: impl Fn(&str, &str) -> Option<Reply> + Send + Sync + 'static,
) -> String {
    fake_server(move |method, path| {
        if let Some(r) = overrides(method, path) {
            return r;
        }
        let session = json!({"id": SID, "title": "fake", "directory": "/", "time": {"created": 1, "updated": 1}});
        match (method, path) {
            ("GET", "/global/health") => {
                Reply::Json(200, json!({"healthy": true, "version": version}))
            }
            ("GET", "/event") => Reply::Events(vec![]),
            ("GET", "/config/providers") => Reply::Json(
                200,
                json!({"providers": [{"id": "mock", "models": {"mock-model": {}, "mock-large": {}}}],
                       "default": {"mock": "mock-model"}}),
            ),
            ("POST", "/session") => Reply::Json(200, session),
            ("GET", p) if p == format!("/session/{SID}") => Reply::Json(200, session),
            ("GET", "/permission" | "/question") => Reply::Json(200, json!([])),
            _ => Reply::Json(200, json!({})),
        }
    })
}

fn ocw(args: &[&str]) -> (Output, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("OPENCODE_SERVER_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (out, start.elapsed())
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_release_older_than_supported_is_refused_in_one_line() {
    let url = opencode_like("1.3.2", |_, _| None);
    let (out, _) = ocw(&["run", "--attach", &url, "hi"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "ocw-tui: opencode 1.3.2 is too old; ocw-tui needs ≥ 1.17.19 (tested up to 1.18.33)\n"
    );
}

#[test]
fn a_newer_release_is_warned_about_once_and_used() {
    // The turn then fails on purpose (the prompt is refused): the warning came first, once.
    let url = opencode_like("1.99.0", |method, path| {
        (method == "POST" && path.ends_with("/prompt_async"))
            .then(|| Reply::Json(400, json!({"data": {"message": "no thanks"}})))
    });
    let (out, _) = ocw(&["run", "--attach", &url, "hi"]);
    let err = stderr(&out);
    let warning = "ocw-tui: warning: opencode 1.99.0 is newer than ocw-tui was tested with (1.18.33); carrying on";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    assert!(
        err.contains("no thanks"),
        "it carried on to the prompt: {err}"
    );
}

#[test]
fn the_version_is_in_the_log_s_first_line() {
    let url = opencode_like("1.18.33", |method, path| {
        (method == "POST" && path.ends_with("/prompt_async"))
            .then(|| Reply::Json(400, json!({"data": {"message": "no thanks"}})))
    });
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.jsonl");
    let (out, _) = ocw(&[
        "run",
        "--attach",
        &url,
        "--log",
        log.to_str().unwrap(),
        "hi",
    ]);
    let text = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "server.connected");
    assert_eq!(first["ocw_meta"]["opencode"], "1.18.33");
    assert_eq!(first["ocw_meta"]["ocw_tui"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn a_spawned_server_without_a_health_route_is_named_at_once() {
    // opencode 1.0.x: it says "listening on", then answers /global/health with a 500.
    let url = fake_server(|_, _| Reply::Json(500, json!({"name": "UnknownError"})));
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("opencode");
    std::fs::write(
        &bin,
        format!("#!/bin/sh\necho \"opencode server listening on {url}\"\nexec sleep 60\n"),
    )
    .unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (out, took) = ocw(&["run", "--opencode-bin", bin.to_str().unwrap(), "hi"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("has no health route"), "{err}");
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(err.contains("ocw-tui needs ≥ 1.17.19"), "{err}");
    assert!(
        took < Duration::from_secs(10),
        "said at once, not after 30 s: {took:?}"
    );
}

#[test]
fn a_database_error_shows_its_first_line_and_suggests_isolated() {
    let stack: String = (0..25)
        .map(|i| format!("\n    at frame{i} (/$bunfs/root/src/index.js:{i}:1)"))
        .collect();
    let message = format!("Error: Failed to run the migration 20260101_sessions{stack}");
    let url = opencode_like("1.18.33", move |_, path| {
        (path == "/event").then(|| {
            Reply::Json(
                500,
                json!({"name": "UnknownError", "data": {"message": message.clone()}}),
            )
        })
    });
    let (out, took) = ocw(&["run", "--attach", &url, "hi"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("Failed to run the migration 20260101_sessions"),
        "{err}"
    );
    assert!(err.contains("try --isolated"), "{err}");
    assert!(!err.contains("frame0"), "no stack: {err}");
    assert!(
        took < Duration::from_secs(8),
        "no 10 s of retries: {took:?}"
    );
}

#[test]
fn a_model_the_server_does_not_offer_is_refused_with_close_matches() {
    let url = opencode_like("1.18.33", |_, _| None);
    let (out, _) = ocw(&["run", "--attach", &url, "--model", "mock/mock-modle", "hi"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "ocw-tui: unknown model mock/mock-modle: the server has no such provider/model; close matches: mock/mock-model, mock/mock-large\n"
    );
    let (out, _) = ocw(&["run", "--attach", &url, "--model", "nope/nothing", "hi"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("its providers: mock"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_permission_event_we_cannot_answer_is_reported() {
    // opencode 1.0.x asks with `permission.updated`: say so instead of waiting in silence.
    let url = opencode_like("1.18.33", |_, path| {
        (path == "/event").then(|| {
            Reply::Events(vec![
                json!({"type": "session.status", "properties": {"sessionID": SID, "status": {"type": "busy"}}}),
                json!({"type": "permission.updated", "properties": {"id": "per_1", "sessionID": SID,
                    "type": "bash", "pattern": ["ls"], "title": "ls", "metadata": {}}}),
            ])
        })
    });
    let (out, _) = ocw(&["run", "--attach", &url, "--timeout", "2", "hi"]);
    let err = stderr(&out);
    assert_eq!(
        err.matches("opencode sent permission.updated, which ocw-tui does not understand")
            .count(),
        1,
        "{err}"
    );
}
