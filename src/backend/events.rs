//! The `/event` SSE stream: each `data:` payload is handed on raw (for the log) and parsed
//! (for the reducer). A stream that drops, or stays silent longer than [`SILENCE_LIMIT`]
//! (the server sends a heartbeat about every 10 s), is reconnected with backoff; a silent
//! stream counts as lost even when its socket looks open (a stalled proxy, a stopped
//! server). After a reconnect the caller resynchronises (see [`super::fetch`]): events
//! sent while we were away are gone for good.

use super::client::{Client, ClientError};
use super::sse::SseDecoder;
use crate::model::Event;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// A stream with no event (not even a heartbeat) for this long counts as lost.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(30);

/// Hidden, for tests: overrides [`SILENCE_LIMIT`] (milliseconds).
pub const SILENCE_LIMIT_ENV: &str = "OCW_SILENCE_LIMIT_MS";

/// The silence limit in force: `$OCW_SILENCE_LIMIT_MS` if set to a number, else 30 s.
pub fn silence_limit() -> Duration {
    std::env::var(SILENCE_LIMIT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
        .unwrap_or(SILENCE_LIMIT)
}

/// What the stream task reports.
#[derive(Debug, Clone)]
pub enum StreamItem {
    /// The stream is (re)connected; `reconnect` is true after a loss.
    Connected { reconnect: bool },
    /// One event: its raw JSON object (as received) and its parsed form.
    Event {
        raw: String,
        kind: String,
        event: Box<Event>,
    },
    /// The stream was lost; it will retry after a backoff.
    Lost { attempt: u32, error: String },
    /// Gave up: the server refuses us (401), retrying cannot help.
    Fatal(String),
}

fn kind_of(raw: &str) -> String {
    #[derive(serde::Deserialize)]
    struct K<'a> {
        #[serde(rename = "type", borrow)]
        kind: std::borrow::Cow<'a, str>,
    }
    serde_json::from_str::<K>(raw)
        .map(|k| k.kind.into_owned())
        .unwrap_or_default()
}

/// Reads one connection's events into `tx` until it fails (the reason) or `tx` closes (None).
/// Silence is measured on bytes: a large event arriving slowly is not silence.
async fn read_connection(
    resp: reqwest::Response,
    silence: Duration,
    tx: &UnboundedSender<StreamItem>,
) -> Option<String> {
    let mut bytes = resp.bytes_stream();
    let mut decoder = SseDecoder::new();
    let mut datas = Vec::new();
    loop {
        let chunk = match tokio::time::timeout(silence, bytes.next()).await {
            Err(_) => {
                return Some(format!(
                    "no event or heartbeat for {:.1} s",
                    silence.as_secs_f64()
                ))
            }
            Ok(None) => return Some("the server closed the event stream".to_string()),
            Ok(Some(Err(e))) => return Some(format!("event stream error: {e}")),
            Ok(Some(Ok(chunk))) => chunk,
        };
        if let Err(e) = decoder.push(&chunk, &mut datas) {
            return Some(e.to_string());
        }
        for raw in datas.drain(..) {
            if raw.trim().is_empty() {
                continue;
            }
            // Not a JSON object with a type: nothing to show or log.
            let Ok(event) = Event::parse(&raw) else {
                tracing::warn!(
                    bytes = raw.len(),
                    "dropped an event that is not a JSON object with a type"
                );
                continue;
            };
            let kind = kind_of(&raw);
            if let Event::Other { .. } = event {
                tracing::debug!(%kind, "event of a type ocw-tui does not know");
            }
            let event = Box::new(event);
            if tx.send(StreamItem::Event { raw, kind, event }).is_err() {
                return None;
            }
        }
    }
}

/// Runs until `tx` is closed. Reconnects forever with backoff (capped at 5 s), except on 401.
pub async fn follow(client: Client, tx: UnboundedSender<StreamItem>) {
    let silence = silence_limit();
    let mut attempt: u32 = 0;
    let mut ever_connected = false;
    loop {
        // A stopped server accepts the connection (the kernel does) but never answers.
        let opened = match tokio::time::timeout(silence, client.open_events()).await {
            Ok(r) => r,
            Err(_) => Err(ClientError::Setup(format!(
                "GET /event: no answer within {:.1} s",
                silence.as_secs_f64()
            ))),
        };
        let error = match opened {
            Ok(resp) => {
                tracing::info!(reconnect = ever_connected, "event stream connected");
                let _ = tx.send(StreamItem::Connected {
                    reconnect: ever_connected,
                });
                ever_connected = true;
                attempt = 0;
                match read_connection(resp, silence, &tx).await {
                    Some(error) => error,
                    None => return,
                }
            }
            Err(ClientError::Unauthorized) => {
                let _ = tx.send(StreamItem::Fatal(ClientError::Unauthorized.to_string()));
                return;
            }
            Err(e) => e.to_string(),
        };
        attempt += 1;
        tracing::warn!(attempt, %error, "event stream lost; reconnecting");
        if tx
            .send(StreamItem::Lost {
                attempt,
                error: error.clone(),
            })
            .is_err()
        {
            return;
        }
        let backoff = Duration::from_millis((200u64 << attempt.min(5)).min(5000));
        tokio::time::sleep(backoff).await;
        if tx.is_closed() {
            return;
        }
    }
}
