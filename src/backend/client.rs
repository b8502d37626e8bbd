//! The HTTP client of `opencode serve`: every request the product makes, with basic auth
//! and the project directory on each. Errors carry the status and the server's message.
//! This file holds the transport; the requests are grouped by what they are about:
//! [`sessions`] (a session, its history, its turns), [`session_changes`] (undo, compact,
//! rename, fork), [`requests`] (permission and question replies, the event stream),
//! [`catalog`] (models, agents, commands, MCP / LSP servers, files).

mod catalog;
mod requests;
mod session_changes;
mod sessions;

pub use sessions::PromptRequest;

use reqwest::{Method, StatusCode};
use serde_json::Value;
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
