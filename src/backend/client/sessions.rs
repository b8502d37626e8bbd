//! A session and its turns: create, list, fetch, delete; its history, statuses and todos
//! as the server sent them (logged unchanged); the prompt, server commands, `!` shell
//! commands, abort.

use super::{decode, Client, ClientError};
use crate::model::attach::{AgentMention, FileAttachment};
use crate::model::event::SessionInfo;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

/// One prompt: its text, the files attached to it (often none), and the model, variant
/// (reasoning effort) and agent it asks for (the server's defaults when `None`; the server
/// forgets the variant of a prompt sent without one).
#[derive(Debug, Clone, Copy, Default)]
pub struct PromptRequest<'a> {
    pub text: &'a str,
    pub files: &'a [FileAttachment],
    /// `@agent` mentions (opencode hands the prompt to that subagent).
    pub agents: &'a [AgentMention],
    pub model: Option<&'a str>,
    pub variant: Option<&'a str>,
    pub agent: Option<&'a str>,
}

impl Client {
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

    /// `GET /session/{id}/todo` as the server sent it (`[{content, status, priority}]`).
    pub async fn todos_raw(&self, id: &str) -> Result<Value, ClientError> {
        self.get(&format!("/session/{id}/todo")).await
    }

    /// `POST /session/{id}/prompt_async`: sends a prompt and returns at once (everything
    /// else arrives on the event stream): the text part, then one `file` part per
    /// attachment and one `agent` part per `@agent`, as opencode's own client builds them.
    pub async fn prompt(&self, id: &str, p: &PromptRequest<'_>) -> Result<(), ClientError> {
        let PromptRequest {
            text,
            files,
            agents,
            model,
            variant,
            agent,
        } = *p;
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
        parts.extend(agents.iter().map(AgentMention::to_part));
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
}
