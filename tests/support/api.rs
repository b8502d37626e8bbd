//! A small driver of `opencode serve`'s HTTP API for tests that talk to opencode
//! directly (the mock's self-test, attach tests): sessions, prompts, replies, and the
//! recorded `/event` stream with waits that fail after 30 s (times the patience factor) with the events seen.

use super::opencode::{spawn_opencode_serve, RunningServer, Workspace};
use futures_util::StreamExt;
use serde_json::{json, Value};

/// A real `opencode serve` driven over its HTTP API, with its event stream recorded.
pub struct Api {
    pub server: RunningServer,
    pub client: reqwest::Client,
    pub dir: String,
    events: tokio::sync::mpsc::UnboundedReceiver<Value>,
    pub seen: Vec<Value>,
    /// Index in `seen` after the last event matched by `wait_for`.
    cursor: usize,
}

impl Api {
    /// Spawns `opencode serve` for `ws` and subscribes to its event stream.
    pub async fn start(ws: &Workspace, password: Option<&str>) -> Api {
        use eventsource_stream::Eventsource;
        let server = spawn_opencode_serve(ws, password).await;
        let client = reqwest::Client::new();
        let dir = ws.project_dir().to_string_lossy().into_owned();
        let response = server
            .request(&client, reqwest::Method::GET, "/event")
            .query(&[("directory", &dir)])
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("GET /event");
        let (tx, events) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut stream = response.bytes_stream().eventsource();
            while let Some(Ok(event)) = stream.next().await {
                if let Ok(value) = serde_json::from_str::<Value>(&event.data) {
                    if tx.send(value).is_err() {
                        break;
                    }
                }
            }
        });
        let mut api = Api {
            server,
            client,
            dir,
            events,
            seen: Vec::new(),
            cursor: 0,
        };
        api.wait_for("server.connected", |e| e["type"] == "server.connected")
            .await;
        api
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .server
            .request(&self.client, reqwest::Method::POST, path)
            .query(&[("directory", &self.dir)])
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn new_session(&self) -> String {
        let info = self.post("/session", json!({})).await;
        info["id"].as_str().expect("session id").to_string()
    }

    pub async fn prompt(&self, session: &str, text: &str) {
        let body = json!({"parts": [{"type": "text", "text": text}]});
        self.post(&format!("/session/{session}/prompt_async"), body)
            .await;
    }

    /// The first event after the previous match that satisfies `pred` (30 s at most).
    pub async fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + super::patience(30);
        loop {
            if let Some(i) = self.seen[self.cursor..].iter().position(&pred) {
                self.cursor += i + 1;
                return self.seen[self.cursor - 1].clone();
            }
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(event)) => self.seen.push(event),
                _ => {
                    let types: Vec<&str> = self
                        .seen
                        .iter()
                        .filter_map(|e| e["type"].as_str())
                        .collect();
                    panic!(
                        "no {what} event within 30 s; events: {types:?}\n--- server output ---\n{}",
                        self.server.output()
                    );
                }
            }
        }
    }

    pub async fn wait_idle(&mut self, session: &str) {
        self.wait_for("session idle", |e| {
            e["type"] == "session.status"
                && e["properties"]["sessionID"] == session
                && e["properties"]["status"]["type"] == "idle"
        })
        .await;
    }

    /// The final snapshot of a text part whose text is `text`.
    pub async fn wait_text(&mut self, text: &str) -> Value {
        self.wait_for(text, |e| {
            e["type"] == "message.part.updated"
                && e["properties"]["part"]["type"] == "text"
                && e["properties"]["part"]["text"] == text
        })
        .await["properties"]["part"]
            .clone()
    }

    /// Token totals of the session's assistant messages (last snapshot of each, summed).
    pub fn tokens(&self, session: &str) -> (u64, u64) {
        let mut last = std::collections::BTreeMap::new();
        for e in &self.seen {
            let info = &e["properties"]["info"];
            if e["type"] == "message.updated"
                && info["role"] == "assistant"
                && info["sessionID"] == session
            {
                last.insert(info["id"].to_string(), info["tokens"].clone());
            }
        }
        last.values().fold((0, 0), |(i, o), t| {
            (
                i + t["input"].as_u64().unwrap_or(0),
                o + t["output"].as_u64().unwrap_or(0),
            )
        })
    }
}
