//! What a client does *to* a session (issue 11): revert / unrevert (`/undo`, `/redo`),
//! summarize (`/compact`), rename, fork. Each is one HTTP call; see
//! tests/support/opencode-endpoints.md §9-§14 for the server's real behaviour (409 when
//! busy for revert / unrevert, a fork copies the messages before `messageID`).

use super::{Client, ClientError};
use crate::model::event::SessionInfo;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;

impl Client {
    /// `POST /session/{id}/revert {messageID}`: undoes that message and every later one
    /// (files restored in a git project). The session as it is now.
    pub async fn revert(&self, id: &str, message_id: &str) -> Result<SessionInfo, ClientError> {
        let v = self
            .post(
                &format!("/session/{id}/revert"),
                json!({"messageID": message_id}),
            )
            .await?;
        decode(&format!("/session/{id}/revert"), v)
    }

    /// `POST /session/{id}/unrevert`: brings back everything the revert undid.
    pub async fn unrevert(&self, id: &str) -> Result<SessionInfo, ClientError> {
        let v = self
            .post(&format!("/session/{id}/unrevert"), json!({}))
            .await?;
        decode(&format!("/session/{id}/unrevert"), v)
    }

    /// `POST /session/{id}/summarize {providerID, modelID}`: answers once the compaction
    /// is done (the model writes the summary), so the timeout is a turn's, not a call's.
    pub async fn summarize(
        &self,
        id: &str,
        provider_id: &str,
        model_id: &str,
    ) -> Result<(), ClientError> {
        self.send(
            Method::POST,
            &format!("/session/{id}/summarize"),
            Some(json!({"providerID": provider_id, "modelID": model_id})),
            Some(Duration::from_secs(600)),
        )
        .await
        .map(|_| ())
    }

    /// `PATCH /session/{id} {title}`.
    pub async fn rename_session(&self, id: &str, title: &str) -> Result<SessionInfo, ClientError> {
        let path = format!("/session/{id}");
        let v = self
            .send(
                Method::PATCH,
                &path,
                Some(json!({"title": title})),
                Some(Duration::from_secs(30)),
            )
            .await?;
        decode(&path, v)
    }

    /// `POST /session/{id}/fork {messageID?}`: a new session with the messages before
    /// `message_id` (all of them without it).
    pub async fn fork_session(
        &self,
        id: &str,
        message_id: Option<&str>,
    ) -> Result<SessionInfo, ClientError> {
        let body = match message_id {
            Some(m) => json!({"messageID": m}),
            None => json!({}),
        };
        let path = format!("/session/{id}/fork");
        let v = self.post(&path, body).await?;
        decode(&path, v)
    }

    /// `GET /config` `.model` (`provider/model`): the configured default model.
    pub async fn default_model(&self) -> Result<Option<String>, ClientError> {
        let v: Value = self.get("/config").await?;
        Ok(v.get("model").and_then(Value::as_str).map(str::to_string))
    }
}

fn decode(path: &str, v: Value) -> Result<SessionInfo, ClientError> {
    serde_json::from_value(v).map_err(|e| ClientError::Decode {
        path: path.to_string(),
        message: e.to_string(),
    })
}
