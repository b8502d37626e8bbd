//! Tests of the event pump against a loopback HTTP stub: the resync after a reconnect
//! comes out before any newer streamed event, even when the wait for it is cancelled (the
//! TUI waits in a `select!` with its actions), its failed fetches are said first, and the
//! scope decides what is logged, passed or dropped.

use super::*;
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc::unbounded_channel, watch};

/// Answers every request once `gate` is open: `/session/status` says `ses_1` is busy,
/// `/permission` fails with a 500 when `fail_pending`, every other path answers `[]`.
async fn stub(gate: watch::Receiver<bool>, fail_pending: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let mut gate = gate.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let _ = gate.wait_for(|open| *open).await;
                let head = String::from_utf8_lossy(&buf);
                let path = head.split(' ').nth(1).unwrap_or("").to_string();
                let (status, body) = if path.starts_with("/session/status") {
                    ("200 OK", r#"{"ses_1":{"type":"busy"}}"#)
                } else if path.starts_with("/permission") && fail_pending {
                    ("500 Internal Server Error", r#"{"message":"boom"}"#)
                } else {
                    ("200 OK", "[]")
                };
                let reply = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
            });
        }
    });
    url
}

fn idle(session: &str) -> StreamItem {
    StreamItem::Event {
        raw: format!(r#"{{"type":"session.idle","properties":{{"sessionID":"{session}"}}}}"#),
        kind: "session.idle".into(),
        event: Box::new(Event::Idle {
            session_id: session.into(),
        }),
    }
}

/// What a step is, in a word: `connected`, `fetched <kind>`, `streamed <kind>`, ...
fn word(step: Option<Step>) -> String {
    match step {
        Some(Step::Event {
            kind, fetched, log, ..
        }) => format!(
            "{} {kind}{}",
            if fetched { "fetched" } else { "streamed" },
            if log { "" } else { " (not logged)" }
        ),
        Some(Step::Other(Pumped::Connection(c))) => format!("{c:?}"),
        Some(Step::Other(Pumped::FetchFailed(e))) => format!("failed: {e}"),
        Some(Step::Other(Pumped::Event(_))) => "logged".into(),
        None => "end".into(),
    }
}

#[tokio::test]
async fn a_resync_comes_before_newer_events_even_when_its_wait_is_cancelled() {
    let (open, gate) = watch::channel(false);
    let url = stub(gate, true).await;
    let mut server = Server::attach(&url, None, Path::new(".")).unwrap();
    let (tx, rx) = unbounded_channel();
    let mut pump = Pump::new(rx);
    let mut scope: HashSet<String> = ["ses_1".to_string()].into();
    tx.send(StreamItem::Connected { reconnect: true }).unwrap();
    tx.send(idle("ses_1")).unwrap();
    assert_eq!(
        word(pump.next(&mut server, &mut scope).await),
        "Connected { reconnect: true }"
    );
    // The server has not answered yet: the wait gives up (as a `select!` would when an
    // action comes), and the newer streamed event must not jump ahead of the resync.
    let waited = tokio::time::timeout(
        Duration::from_millis(50),
        pump.next(&mut server, &mut scope),
    )
    .await;
    assert!(
        waited.is_err(),
        "nothing before the resync: {:?}",
        waited.map(word)
    );
    open.send(true).unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(word(pump.next(&mut server, &mut scope).await));
    }
    assert!(
        seen[0].starts_with("failed: cannot fetch pending requests"),
        "{seen:?}"
    );
    assert!(seen[0].contains("boom"), "{seen:?}");
    assert_eq!(
        seen[1..],
        ["fetched session.status", "streamed session.idle"]
    );
}

/// `run`'s kind of scope: drops one session's events, passes another's unlogged.
struct Picky;

impl Scope for Picky {
    fn sessions(&self) -> Vec<String> {
        Vec::new()
    }

    fn admit(&mut self, event: &Event, _fetched: bool) -> Admit {
        match event.session_id() {
            Some("ses_old") => Admit::Drop,
            Some("ses_other") => Admit::Pass,
            _ => Admit::Log,
        }
    }
}

#[tokio::test]
async fn the_scope_decides_and_a_lost_stream_says_how_long() {
    let mut server = Server::attach("http://127.0.0.1:9", None, Path::new(".")).unwrap();
    let (tx, rx) = unbounded_channel();
    let mut pump = Pump::new(rx);
    for item in [
        idle("ses_old"),
        idle("ses_other"),
        idle("ses_1"),
        StreamItem::Lost {
            attempt: 1,
            error: "reset".into(),
        },
        StreamItem::Fatal("401".into()),
    ] {
        tx.send(item).unwrap();
    }
    drop(tx);
    let mut seen = Vec::new();
    loop {
        let w = word(pump.next(&mut server, &mut Picky).await);
        let end = w == "end";
        seen.push(w);
        if end {
            break;
        }
    }
    assert_eq!(seen[0], "streamed session.idle (not logged)");
    assert_eq!(seen[1], "streamed session.idle");
    assert!(
        seen[2].starts_with("Reconnecting { attempt: 1, error: \"reset\""),
        "{seen:?}"
    );
    assert_eq!(seen[3..], ["StreamFailed { error: \"401\" }", "end"]);
}
