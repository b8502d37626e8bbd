//! What the server offers: its providers and models, agents, configuration, slash
//! commands, MCP and LSP servers, and the project's files (`@` search).

use super::{percent_encode, Client, ClientError};
use crate::model::servers::{self, ServerStatus};
use reqwest::Method;
use serde_json::Value;
use std::time::Duration;

impl Client {
    /// `GET /config/providers`: the providers and models the server offers.
    pub async fn config_providers(&self) -> Result<Value, ClientError> {
        self.get("/config/providers").await
    }

    /// `GET /command`: the server's slash commands.
    pub async fn commands(&self) -> Result<Vec<crate::model::command::ServerCommand>, ClientError> {
        self.get("/command").await
    }

    /// `GET /agent`: every agent (primary, subagent, hidden) as the server sent it.
    pub async fn agents_raw(&self) -> Result<Value, ClientError> {
        self.get("/agent").await
    }

    /// `GET /config`: the resolved configuration (`model`, `default_agent`, ...).
    pub async fn config_raw(&self) -> Result<Value, ClientError> {
        self.get("/config").await
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

    /// `GET /mcp` (`{name: {status, error?}}`): the MCP servers and their status.
    pub async fn mcp_servers(&self) -> Result<Vec<ServerStatus>, ClientError> {
        let v: serde_json::Map<String, Value> = self.get("/mcp").await?;
        Ok(servers::of_mcp(v))
    }

    /// `GET /lsp` (`[{id, name, root, status}]`): the LSP servers and their status.
    pub async fn lsp_servers(&self) -> Result<Vec<ServerStatus>, ClientError> {
        let v: Vec<Value> = self.get("/lsp").await?;
        Ok(servers::of_lsp(&v))
    }
}
