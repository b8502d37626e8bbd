//! A hostile server in front of headless `ocw-tui run --attach`: a fake opencode on
//! loopback whose event stream carries lines that are not JSON, comments, unknown event
//! types, events of sessions nobody created, a delta for a part never announced, a 1 MB
//! array and a single 10 MB event. The turn must still end normally with the whole text,
//! the log must stay one JSON object per line, and ocw-tui's peak memory stays bounded.

use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const SID: &str = "ses_hostile";
const BIG: usize = 10 * 1024 * 1024;

fn session_info() -> Value {
    json!({"id": SID, "title": "hostile", "directory": "/", "time": {"created": 1, "updated": 1}})
}

fn events() -> Vec<String> {
    let ev = |t: &str, p: Value| format!("data: {}\n\n", json!({"type": t, "properties": p}));
    let msg = |completed: bool| {
        let mut info = json!({"id": "msg_1", "sessionID": SID, "role": "assistant",
            "time": {"created": 2}});
        if completed {
            info["time"]["completed"] = json!(3);
            info["finish"] = json!("stop");
        }
        json!({"sessionID": SID, "info": info})
    };
    vec![
        "data: this is not json at all\n\n".into(),
        ": a comment line\n\n".into(),
        "data: [1, 2, 3]\n\n".into(),
        ev(
            "brand.new.event",
            json!({"sessionID": SID, "x": {"y": [null, true]}}),
        ),
        ev(
            "session.status",
            json!({"sessionID": SID, "status": {"type": "busy"}}),
        ),
        ev("message.updated", msg(false)),
        ev(
            "message.part.delta",
            json!({"sessionID": "ses_nobody_created", "messageID": "msg_z", "partID": "prt_z",
                "field": "text", "delta": "elsewhere"}),
        ),
        ev("session.updated", json!({"sessionID": SID, "info": 42})),
        format!(
            "data: {}\n\n",
            json!({"type": "garbage", "properties": vec![0u8; 1024 * 1024]})
        ),
        // A part never announced, and 10 MB in one event.
        ev(
            "message.part.delta",
            json!({"sessionID": SID, "messageID": "msg_1", "partID": "prt_never_seen",
                "field": "text", "delta": "y".repeat(BIG)}),
        ),
        ev("message.updated", msg(true)),
        ev(
            "session.status",
            json!({"sessionID": SID, "status": {"type": "idle"}}),
        ),
    ]
}

async fn read_request(s: &mut BufReader<TcpStream>) -> Option<(String, String)> {
    let mut line = String::new();
    if s.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.split('?').next()?.to_string();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        s.read_line(&mut h).await.ok()?;
        if h.trim().is_empty() {
            break;
        }
        if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length];
    s.read_exact(&mut body).await.ok()?;
    Some((method, path))
}

async fn serve(stream: TcpStream, prompted: watch::Sender<bool>) {
    let mut s = BufReader::new(stream);
    while let Some((method, path)) = read_request(&mut s).await {
        let body = match (method.as_str(), path.as_str()) {
            ("GET", "/event") => {
                let mut rx = prompted.subscribe();
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n";
                let _ = s.write_all(head.as_bytes()).await;
                let connected = json!({"type": "server.connected", "properties": {}});
                let _ = s
                    .write_all(format!("data: {connected}\n\n").as_bytes())
                    .await;
                let _ = s.flush().await;
                let _ = rx.wait_for(|p| *p).await;
                for e in events() {
                    if s.write_all(e.as_bytes()).await.is_err() {
                        return;
                    }
                }
                let _ = s.flush().await;
                tokio::time::sleep(Duration::from_secs(60)).await;
                return;
            }
            ("GET", "/global/health") => json!({"healthy": true, "version": "1.18.33"}),
            ("POST", "/session") => session_info(),
            ("GET", p) if p == format!("/session/{SID}") => session_info(),
            ("GET", "/permission" | "/question") => json!([]),
            ("GET", "/session/status") => json!({}),
            ("GET", p) if p.ends_with("/message") => json!([]),
            ("POST", p) if p.ends_with("/prompt_async") => {
                prompted.send_replace(true);
                Value::Null
            }
            ("POST", _) => json!(true),
            _ => {
                let _ = s
                    .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                    .await;
                continue;
            }
        };
        let text = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            text.len()
        );
        if s.write_all(head.as_bytes()).await.is_err()
            || s.write_all(text.as_bytes()).await.is_err()
        {
            return;
        }
    }
}

fn start_fake_server() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let l = TcpListener::from_std(l).unwrap();
            let (prompted, _) = watch::channel(false);
            loop {
                let Ok((s, _)) = l.accept().await else {
                    continue;
                };
                tokio::spawn(serve(s, prompted.clone()));
            }
        });
    });
    url
}

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[test]
fn hostile_event_stream_still_ends_the_turn_with_the_whole_text() {
    let url = start_fake_server();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("hostile.jsonl");
    // The project beside the log: a log inside the project is refused.
    let project = dir.path().join("project");
    std::fs::create_dir(&project).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ocw-tui"))
        .args([
            "run",
            "--json",
            "--timeout",
            "60",
            "--attach",
            &url,
            "--log",
        ])
        .arg(&log)
        .arg("--dir")
        .arg(&project)
        .arg("hello")
        .env_remove("OPENCODE_SERVER_PASSWORD")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let mut peak_kb = 0;
    while child.try_wait().unwrap().is_none() {
        peak_kb = peak_kb.max(vm_hwm_kb(pid).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = child.wait().unwrap();
    let err = std::io::read_to_string(child.stderr.take().unwrap()).unwrap();
    let out = reader.join().unwrap();
    assert!(status.success(), "{err}");
    assert!(
        !err.contains("event stream lost"),
        "the stream kept up: {err}"
    );
    let summary: Value = serde_json::from_str(&out).expect("summary JSON");
    let s = &summary["sessions"][0];
    assert_eq!(s["session_id"], SID);
    assert_eq!(s["final_text"].as_str().unwrap().len(), BIG);
    let text = std::fs::read_to_string(&log).unwrap();
    for line in text.lines() {
        serde_json::from_str::<Value>(line).expect("every log line is JSON");
    }
    assert!(
        !text.contains("ses_nobody_created"),
        "other sessions stay out of the log"
    );
    eprintln!("ocw-tui peak RSS with a 10 MB event: {} MB", peak_kb / 1024);
    // The 10 MB arrive as SSE bytes, a JSON string, the part's text, the log line and the
    // summary: a few copies, not an unbounded pile.
    assert!(peak_kb < 400 * 1024, "peak RSS {peak_kb} kB");
}
