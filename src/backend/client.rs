//! The HTTP client of `opencode serve`: every request the product makes, with basic auth
//! and the project directory on each. Errors carry the status and the server's message.

mod session_ops;

use crate::model::event::SessionInfo;
pub use crate::model::PermissionReply;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the server refused our credentials (401): the password is wrong or missing; pass --password or set OPENCODE_SERVER_PASSWORD")]
    Unauthorized,
    #[error("{method} {path} failed with HTTP {status}: {message}")]
    Status {
        method: String,
        path: String,
        status: u16,
        message: String,
    },
    #[error(
        "cannot reach the opencode server at {url}: {reason}; is it running, and is the URL right?"
    )]
    Transport { url: String, reason: String },
    #[error("unexpected answer from {path}: {message}")]
    Decode { path: String, message: String },
    #[error("invalid server URL {0}: expected http://host:port or https://host:port")]
    BadUrl(String),
    #[error("{0}")]
    Setup(String),
}

impl ClientError {
    /// A transport failure, said once: reqwest nests the same words several levels deep,
    /// so only the innermost cause is kept (e.g. "Connection refused (os error 111)").
    pub fn transport(url: &str, err: &reqwest::Error) -> ClientError {
        let reason = if err.is_timeout() {
            "no answer in time".to_string()
        } else {
            let mut cause: &dyn std::error::Error = err;
            while let Some(next) = cause.source() {
                cause = next;
            }
            let inner = cause.to_string();
            if err.is_connect() && !inner.contains("onnect") {
                format!("cannot connect ({inner})")
            } else {
                inner
            }
        };
        ClientError::Transport {
            url: url.to_string(),
            reason,
        }
    }

    /// True for a 404: the request or session is gone (e.g. a permission already resolved).
    pub fn is_not_found(&self) -> bool {
        matches!(self, ClientError::Status { status: 404, .. })
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    auth: Option<(String, String)>,
    directory: String,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password.
        f.debug_struct("Client").field("base", &self.base).finish()
    }
}

impl Client {
    pub fn new(
        base: &str,
        auth: Option<(String, String)>,
        directory: &Path,
    ) -> Result<Client, ClientError> {
        let base = base.trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ClientError::BadUrl(base));
        }
        let mut builder = reqwest::Client::builder().connect_timeout(Duration::from_secs(5));
        for cert in extra_ca()? {
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| ClientError::transport(&base, &e))?;
        let directory = std::fs::canonicalize(directory)
            .unwrap_or_else(|_| directory.to_path_buf())
            .display()
            .to_string();
        Ok(Client {
            http,
            base,
            auth,
            directory,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn directory(&self) -> &str {
        &self.directory
    }

    fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut rb = self
            .http
            .request(method, format!("{}{}", self.base, path))
            .query(&[("directory", &self.directory)]);
        if let Some((u, p)) = &self.auth {
            rb = rb.basic_auth(u, Some(p));
        }
        rb
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        timeout: Option<Duration>,
    ) -> Result<Value, ClientError> {
        let mut rb = self.request(method.clone(), path);
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        if let Some(t) = timeout {
            rb = rb.timeout(t);
        }
        let resp = rb.send().await.map_err(|e| {
            tracing::warn!(%method, path, error = %e, "HTTP request failed");
            ClientError::transport(&self.base, &e)
        })?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if status == StatusCode::UNAUTHORIZED {
            return Err(ClientError::Unauthorized);
        }
        if !status.is_success() {
            tracing::warn!(%method, path, status = status.as_u16(), "HTTP error");
            return Err(ClientError::Status {
                method: method.to_string(),
                path: path.to_string(),
                status: status.as_u16(),
                message: server_message(&text),
            });
        }
        if text.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| ClientError::Decode {
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let v = self
            .send(Method::GET, path, None, Some(Duration::from_secs(30)))
            .await?;
        serde_json::from_value(v).map_err(|e| ClientError::Decode {
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    async fn post(&self, path: &str, body: Value) -> Result<Value, ClientError> {
        self.send(
            Method::POST,
            path,
            Some(body),
            Some(Duration::from_secs(30)),
        )
        .await
    }

    /// `GET /global/health` with a short timeout (readiness probe).
    pub async fn health(&self, timeout: Duration) -> Result<Value, ClientError> {
        self.send(Method::GET, "/global/health", None, Some(timeout))
            .await
    }

    /// `GET /config/providers`: the providers and models the server offers.
    pub async fn config_providers(&self) -> Result<Value, ClientError> {
        self.get("/config/providers").await
    }

    pub async fn create_session(&self) -> Result<SessionInfo, ClientError> {
        let v = self.post("/session", json!({})).await?;
        decode("/session", v)
    }

    pub async fn list_sessions(&self) -> Result<Vec<SessionInfo>, ClientError> {
        self.get("/session").await
    }

    pub async fn get_session(&self, id: &str) -> Result<SessionInfo, ClientError> {
        self.get(&format!("/session/{id}")).await
    }

    pub async fn delete_session(&self, id: &str) -> Result<(), ClientError> {
        self.send(
            Method::DELETE,
            &format!("/session/{id}"),
            None,
            Some(Duration::from_secs(30)),
        )
        .await
        .map(|_| ())
    }

    /// The session's history as the server sent it (`[{info, parts}]`), for resynchronising
    /// and logging it unchanged.
    pub async fn messages_raw(
        &self,
        id: &str,
        limit: Option<usize>,
    ) -> Result<Vec<Value>, ClientError> {
        match limit {
            Some(n) => self.get(&format!("/session/{id}/message?limit={n}")).await,
            None => self.get(&format!("/session/{id}/message")).await,
        }
    }

    /// `GET /session/{id}` as the server sent it (logged unchanged).
    pub async fn session_raw(&self, id: &str) -> Result<Value, ClientError> {
        self.get(&format!("/session/{id}")).await
    }

    /// `GET /session/status`: the status of every session that is not idle (busy, retry),
    /// keyed by session id; a session absent from the map is idle.
    pub async fn session_statuses(&self) -> Result<serde_json::Map<String, Value>, ClientError> {
        self.get("/session/status").await
    }

    /// Sends a prompt; returns at once (everything else arrives on the event stream).
    pub async fn prompt_async(
        &self,
        id: &str,
        text: &str,
        model: Option<&str>,
        agent: Option<&str>,
    ) -> Result<(), ClientError> {
        self.prompt_with_files(id, text, &[], model, None, agent)
            .await
    }

    /// `GET /command`: the server's slash commands.
    pub async fn commands(&self) -> Result<Vec<crate::model::command::ServerCommand>, ClientError> {
        self.get("/command").await
    }

    /// `POST /session/{id}/command`: runs a server slash command with `arguments` (the
    /// rest of the typed line). The server answers only when the turn ends (it queues the
    /// command behind a running turn), so there is no timeout: run it in a task; the turn
    /// streams in on the event bus as usual.
    pub async fn run_command(
        &self,
        id: &str,
        command: &str,
        arguments: &str,
        model: Option<&str>,
        variant: Option<&str>,
        agent: Option<&str>,
    ) -> Result<(), ClientError> {
        tracing::info!(session = id, command, "running a server command");
        let mut body = json!({"command": command, "arguments": arguments});
        if let Some(m) = model {
            body["model"] = json!(m);
        }
        if let Some(v) = variant {
            body["variant"] = json!(v);
        }
        if let Some(a) = agent {
            body["agent"] = json!(a);
        }
        self.send(
            Method::POST,
            &format!("/session/{id}/command"),
            Some(body),
            None,
        )
        .await
        .map(|_| ())
    }

    pub async fn abort(&self, id: &str) -> Result<(), ClientError> {
        self.post(&format!("/session/{id}/abort"), json!({}))
            .await
            .map(|_| ())
    }

    pub async fn reply_permission(
        &self,
        request_id: &str,
        reply: PermissionReply,
        message: Option<&str>,
    ) -> Result<(), ClientError> {
        let mut body = json!({"reply": reply.as_str()});
        if let Some(m) = message.filter(|m| !m.trim().is_empty()) {
            body["message"] = json!(m);
        }
        self.post(&format!("/permission/{request_id}/reply"), body)
            .await
            .map(|_| ())
    }

    pub async fn reply_question(
        &self,
        request_id: &str,
        answers: &[Vec<String>],
    ) -> Result<(), ClientError> {
        self.post(
            &format!("/question/{request_id}/reply"),
            json!({"answers": answers}),
        )
        .await
        .map(|_| ())
    }

    pub async fn reject_question(&self, request_id: &str) -> Result<(), ClientError> {
        self.post(&format!("/question/{request_id}/reject"), json!({}))
            .await
            .map(|_| ())
    }

    /// `GET /permission` as the server sent it (for logging it unchanged).
    pub async fn pending_permissions_raw(&self) -> Result<Vec<Value>, ClientError> {
        self.get("/permission").await
    }

    /// `GET /question` as the server sent it.
    pub async fn pending_questions_raw(&self) -> Result<Vec<Value>, ClientError> {
        self.get("/question").await
    }

    /// Opens `GET /event` (SSE). No overall timeout: the stream lives as long as we do.
    pub async fn open_events(&self) -> Result<reqwest::Response, ClientError> {
        let resp = self
            .request(Method::GET, "/event")
            .header("accept", "text/event-stream")
            .send()
            .await
            .map_err(|e| ClientError::transport(&self.base, &e))?;
        match resp.status() {
            StatusCode::UNAUTHORIZED => Err(ClientError::Unauthorized),
            s if !s.is_success() => Err(ClientError::Status {
                method: "GET".into(),
                path: "/event".into(),
                status: s.as_u16(),
                message: server_message(&resp.text().await.unwrap_or_default()),
            }),
            _ => Ok(resp),
        }
    }

    /// `GET /session/{id}/todo` as the server sent it (`[{content, status, priority}]`).
    pub async fn todos_raw(&self, id: &str) -> Result<Value, ClientError> {
        self.get(&format!("/session/{id}/todo")).await
    }

    /// `GET /mcp`: `{name: {status, error?}}`.
    pub async fn mcp_status(&self) -> Result<serde_json::Map<String, Value>, ClientError> {
        self.get("/mcp").await
    }

    /// `GET /lsp`: `[{id, name, root, status}]`.
    pub async fn lsp_status(&self) -> Result<Vec<Value>, ClientError> {
        self.get("/lsp").await
    }
}

impl Client {
    /// A prompt with files attached (`@` mentions, pasted images): the text part, then one
    /// `file` part per attachment as opencode's own client builds them.
    pub async fn prompt_with_files(
        &self,
        id: &str,
        text: &str,
        files: &[crate::model::attach::FileAttachment],
        model: Option<&str>,
        variant: Option<&str>,
        agent: Option<&str>,
    ) -> Result<(), ClientError> {
        tracing::info!(
            session = id,
            chars = text.chars().count(),
            files = files.len(),
            model,
            variant,
            agent,
            "sending a prompt"
        );
        tracing::debug!(session = id, text, "prompt text");
        let mut parts = vec![json!({"type": "text", "text": text})];
        parts.extend(files.iter().map(|f| f.to_part(&self.directory)));
        let mut body = json!({ "parts": parts });
        if let Some(m) = model {
            let (provider, model) = m.split_once('/').unwrap_or(("", m));
            body["model"] = json!({"providerID": provider, "modelID": model});
        }
        if let Some(v) = variant {
            body["variant"] = json!(v);
        }
        if let Some(a) = agent {
            body["agent"] = json!(a);
        }
        self.post(&format!("/session/{id}/prompt_async"), body)
            .await
            .map(|_| ())
    }

    /// `GET /agent`: every agent (primary, subagent, hidden) as the server sent it.
    pub async fn agents_raw(&self) -> Result<Value, ClientError> {
        self.get("/agent").await
    }

    /// `GET /config`: the resolved configuration (`model`, `default_agent`, ...).
    pub async fn config_raw(&self) -> Result<Value, ClientError> {
        self.get("/config").await
    }

    /// A plain prompt with the model's variant (reasoning effort) as well: the server
    /// forgets the variant of a prompt sent without one.
    pub async fn prompt_async_variant(
        &self,
        id: &str,
        text: &str,
        model: Option<&str>,
        variant: Option<&str>,
        agent: Option<&str>,
    ) -> Result<(), ClientError> {
        self.prompt_with_files(id, text, &[], model, variant, agent)
            .await
    }

    /// `POST /session/{id}/shell`: runs `command` in the project (waits for it to end;
    /// the output arrives on the event stream as a tool part). 409 while the session works.
    pub async fn shell(&self, id: &str, agent: &str, command: &str) -> Result<(), ClientError> {
        tracing::info!(session = id, "running a shell command");
        self.send(
            Method::POST,
            &format!("/session/{id}/shell"),
            Some(json!({"agent": agent, "command": command})),
            Some(Duration::from_secs(3600)),
        )
        .await
        .map(|_| ())
    }

    /// `GET /find/file?query=`: project paths matching `query` (directories end with `/`).
    pub async fn find_files(&self, query: &str, limit: usize) -> Result<Vec<String>, ClientError> {
        let path = format!("/find/file?query={}&limit={limit}", percent_encode(query));
        self.send(Method::GET, &path, None, Some(Duration::from_secs(10)))
            .await
            .and_then(|v| {
                serde_json::from_value(v).map_err(|e| ClientError::Decode {
                    path: "/find/file".into(),
                    message: e.to_string(),
                })
            })
    }
}

/// `s` as a URL query value: every byte but the unreserved ones as `%XX`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Hidden, for tests and private CAs: a PEM file of extra certificates to trust for https.
pub const EXTRA_CA_ENV: &str = "OCW_EXTRA_CA_PEM";

fn extra_ca() -> Result<Vec<reqwest::Certificate>, ClientError> {
    let Some(path) = std::env::var_os(EXTRA_CA_ENV).filter(|p| !p.is_empty()) else {
        return Ok(Vec::new());
    };
    let shown = std::path::PathBuf::from(&path).display().to_string();
    let pem = std::fs::read(&path).map_err(|e| {
        ClientError::Setup(format!("cannot read {shown} ({e}): fix {EXTRA_CA_ENV}"))
    })?;
    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        ClientError::Setup(format!(
            "{shown} is not a PEM certificate bundle ({e}): fix {EXTRA_CA_ENV}"
        ))
    })
}

fn decode<T: serde::de::DeserializeOwned>(path: &str, v: Value) -> Result<T, ClientError> {
    serde_json::from_value(v).map_err(|e| ClientError::Decode {
        path: path.to_string(),
        message: e.to_string(),
    })
}

/// The server's own words from an error body (`message`, `data.message`, `_tag`), else the
/// body: its first line only (a JavaScript stack stays out of the message). A database or
/// migration error suggests `--isolated` (a data dir written by another opencode release).
pub fn server_message(body: &str) -> String {
    let mut text = None;
    if let Ok(v) = serde_json::from_str::<Value>(body) {
        for ptr in [
            "/message",
            "/data/message",
            "/error/message",
            "/_tag",
            "/name",
        ] {
            if let Some(s) = v.pointer(ptr).and_then(Value::as_str) {
                text = Some(s.to_string());
                break;
            }
        }
    }
    let text = text.unwrap_or_else(|| body.to_string());
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("(no message)");
    let mut out: String = first.chars().take(300).collect();
    if is_database_error(body) {
        out.push_str(
            " (its data dir may have been written by another opencode release: try --isolated)",
        );
    }
    out
}

/// A database or migration failure of the server (SQLite, drizzle migrations...).
pub fn is_database_error(text: &str) -> bool {
    let t = text.to_lowercase();
    [
        "migration",
        "sqlite",
        "database",
        "no such table",
        "no such column",
    ]
    .iter()
    .any(|w| t.contains(w))
}

#[cfg(test)]
mod tests {
    use super::server_message;

    #[test]
    fn a_query_value_is_percent_encoded() {
        assert_eq!(
            super::percent_encode("src/ma in&x=é"),
            "src%2Fma%20in%26x%3D%C3%A9"
        );
        assert_eq!(super::percent_encode("a-b_c.d~"), "a-b_c.d~");
    }

    #[test]
    fn an_error_body_shows_its_first_line() {
        let body = r#"{"name":"UnknownError","data":{"message":"Error: boom\n    at a (x.js:1)\n    at b (y.js:2)"}}"#;
        assert_eq!(server_message(body), "Error: boom");
        assert_eq!(server_message("\n  plain text\nmore"), "plain text");
        assert_eq!(server_message(""), "(no message)");
        let m = server_message(
            r#"{"data":{"message":"Failed to run the query\nSqliteError: no such column: x"}}"#,
        );
        assert!(m.starts_with("Failed to run the query ("), "{m}");
        assert!(m.contains("try --isolated"), "{m}");
    }
}
