//! `--attach` against fake servers: the password goes over plain http only to this machine
//! by address (a user part such as `http://127.0.0.1:80@HOST` or a name that merely resolves
//! locally does not count: nothing is sent, not even a connection); credentials inside the URL
//! never show in an error or the debug log; and a hostile server's version string reaches a
//! terminal cleaned (no OSC title, no OSC 52 clipboard write).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

/// A fake opencode: answers `/global/health` with `version`, `/event` with a held stream,
/// and everything else with `{}`, recording every request's head.
struct Fake {
    port: u16,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Fake {
    fn start(bind: &str, version: &'static str, health_status: u16) -> Fake {
        let listener = TcpListener::bind((bind, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let h = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let h = h.clone();
                std::thread::spawn(move || serve(stream, &h, version, health_status));
            }
        });
        Fake { port, heads }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, heads: &Mutex<Vec<String>>, version: &str, health_status: u16) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut out = stream;
    loop {
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line.trim().is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        heads.lock().unwrap().push(head.clone());
        let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
        if path.starts_with("/event") {
            let text = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\ndata: {\"type\":\"server.connected\",\"properties\":{}}\n\n";
            let _ = out.write_all(text.as_bytes());
            std::thread::sleep(std::time::Duration::from_secs(30));
            return;
        }
        let (status, text) = if path.starts_with("/global/health") {
            (
                health_status,
                serde_json::json!({"healthy": true, "version": version}).to_string(),
            )
        } else if path.contains("/prompt_async") {
            (400, r#"{"data":{"message":"no thanks"}}"#.to_string())
        } else if path.starts_with("/session") && head.starts_with("POST /session?") {
            (
                200,
                r#"{"id":"ses_fake","title":"t","directory":"/","time":{"created":1,"updated":1}}"#
                    .to_string(),
            )
        } else if path.starts_with("/permission") || path.starts_with("/question") {
            (200, "[]".to_string())
        } else {
            (200, "{}".to_string())
        };
        let reply = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        );
        if out.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn ocw(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args(args)
        .current_dir(dir.path())
        .env_remove("OPENCODE_SERVER_PASSWORD")
        .env_remove("OCW_LOG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// This machine's host name: it resolves to a local address, but it is not `localhost`.
fn host_name() -> String {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string();
    use std::net::ToSocketAddrs;
    assert!(
        (name.as_str(), 80).to_socket_addrs().is_ok(),
        "the host name {name} must resolve for this test"
    );
    name
}

fn authorized(heads: &[String]) -> bool {
    heads
        .iter()
        .any(|h| h.to_ascii_lowercase().contains("\nauthorization:"))
}

#[test]
fn a_user_part_or_a_look_alike_name_is_not_loopback() {
    let host = host_name();
    let fake = Fake::start(&host, "1.18.33", 200);
    let port = fake.port;
    for url in [
        format!("http://127.0.0.1:80@{host}:{port}"),
        format!("http://127.0.0.1@{host}:{port}/"),
        format!("http://{host}:{port}"),
    ] {
        let out = ocw(&["run", "--attach", &url, "--password", "pw-must-stay", "hi"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(
            err.contains("refusing to send the password over plain http")
                && err.contains("use https, or pass --insecure"),
            "{url}: {err}"
        );
        assert!(
            fake.heads().is_empty(),
            "{url}: the server was contacted: {:?}",
            fake.heads()
        );
    }
    // A name that only looks like loopback is refused before any lookup.
    let out = ocw(&[
        "run",
        "--attach",
        "http://127.evil.example:4096",
        "--password",
        "pw",
        "hi",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("refusing to send the password"));
    // The listener works: with --insecure the password does reach it.
    let url = format!("http://{host}:{port}");
    ocw(&[
        "run",
        "--attach",
        &url,
        "--password",
        "pw",
        "--insecure",
        "hi",
    ]);
    assert!(authorized(&fake.heads()), "{:?}", fake.heads());
}

#[test]
fn credentials_in_the_url_are_sent_only_to_loopback_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let debug = dir.path().join("debug.log");
    let debug_s = debug.to_str().unwrap();
    // Nothing listens on port 1: the error names the URL.
    let out = ocw(&[
        "run",
        "--attach",
        "http://me:hunter2secret@127.0.0.1:1",
        "--debug-log",
        debug_s,
        "hi",
    ]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("127.0.0.1:1"), "{err}");
    // A server that answers its health route with an error.
    let broken = Fake::start("127.0.0.1", "1.18.33", 500);
    let url = format!("http://me:hunter2secret@127.0.0.1:{}", broken.port);
    let out = ocw(&["run", "--attach", &url, "--debug-log", debug_s, "hi"]);
    let err2 = stderr(&out);
    assert!(err2.contains("127.0.0.1"), "{err2}");
    // Credentials in the URL count as a password: refused over plain http to a host that
    // is not this machine by address.
    let host = host_name();
    let out = ocw(&[
        "run",
        "--attach",
        &format!("http://me:hunter2secret@{host}:1"),
        "--debug-log",
        debug_s,
        "hi",
    ]);
    let err3 = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err3}");
    assert!(err3.contains("refusing to send the password"), "{err3}");
    let log = std::fs::read_to_string(&debug).unwrap();
    assert!(
        log.contains("127.0.0.1"),
        "the debug log names the server: {log}"
    );
    for text in [&err, &err2, &err3, &log] {
        assert!(!text.contains("hunter2secret"), "credentials shown: {text}");
    }
    // They are still used, as basic auth, for a loopback server.
    assert!(authorized(&broken.heads()), "{:?}", broken.heads());
}

#[test]
fn a_hostile_version_string_reaches_a_terminal_cleaned() {
    let fake = Fake::start(
        "127.0.0.1",
        "9.0.0\x1b]0;pwned-title\x07\x1b]52;c;cHduZWQ=\x07",
        200,
    );
    let url = format!("http://127.0.0.1:{}", fake.port);
    // With OCW_LOG the diagnostic log goes to stderr too: cleaned as well.
    for log_level in ["", "info"] {
        let shell = format!(
            "OCW_LOG={log_level} '{}' run --attach '{url}' hi",
            env!("CARGO_BIN_EXE_ocw-tui")
        );
        let out = Command::new("script")
            .args(["-qec", &shell, "/dev/null"])
            .env_remove("OPENCODE_SERVER_PASSWORD")
            .stdin(Stdio::null())
            .output()
            .expect("script (util-linux) runs a command on a pty");
        let tty = String::from_utf8_lossy(&out.stdout);
        assert!(
            tty.contains("opencode 9.0.0␛]0;pwned-title␇␛]52;c;cHduZWQ=␇ is newer"),
            "the warning is shown, cleaned: {tty:?}"
        );
        assert!(!tty.contains('\x1b') && !tty.contains('\x07'), "{tty:?}");
    }
}
