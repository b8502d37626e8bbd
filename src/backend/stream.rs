//! The `/event` SSE stream: each `data:` payload is handed on raw (for the log) and parsed
//! (for the reducer). A stream that drops, or stays silent longer than [`SILENCE_LIMIT`]
//! (the server sends a heartbeat about every 10 s), is reconnected with backoff.

use super::client::{Client, ClientError};
use crate::model::Event;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// A stream with no event (not even a heartbeat) for this long counts as lost.
pub const SILENCE_LIMIT: Duration = Duration::from_secs(30);

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

/// Runs until `tx` is closed. Reconnects forever with backoff (capped at 5 s), except on 401.
pub async fn run(client: Client, tx: UnboundedSender<StreamItem>) {
    let mut attempt: u32 = 0;
    let mut ever_connected = false;
    loop {
        let error = match client.open_events().await {
            Ok(resp) => {
                let _ = tx.send(StreamItem::Connected {
                    reconnect: ever_connected,
                });
                ever_connected = true;
                attempt = 0;
                let mut events = resp.bytes_stream().eventsource();
                loop {
                    match tokio::time::timeout(SILENCE_LIMIT, events.next()).await {
                        Err(_) => break "no event or heartbeat for 30 s".to_string(),
                        Ok(None) => break "the server closed the event stream".to_string(),
                        Ok(Some(Err(e))) => break format!("event stream error: {e}"),
                        Ok(Some(Ok(ev))) => {
                            let raw = ev.data;
                            if raw.trim().is_empty() {
                                continue;
                            }
                            let Ok(event) = Event::parse(&raw) else {
                                continue;
                            };
                            let kind = kind_of(&raw);
                            let event = Box::new(event);
                            if tx.send(StreamItem::Event { raw, kind, event }).is_err() {
                                return;
                            }
                        }
                    }
                }
            }
            Err(ClientError::Unauthorized) => {
                let _ = tx.send(StreamItem::Fatal(ClientError::Unauthorized.to_string()));
                return;
            }
            Err(e) => e.to_string(),
        };
        attempt += 1;
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
