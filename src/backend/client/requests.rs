//! The requests a session raises and their answers: permission and question replies, the
//! pending ones (as the server sent them, logged unchanged), and the event stream.

use super::{server_message, Client, ClientError};
use crate::model::PermissionReply;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

impl Client {
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
}
