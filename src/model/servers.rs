//! The MCP and LSP servers of a project and their status, as the side panel shows them,
//! read from the server's `GET /mcp` and `GET /lsp` answers.

use serde_json::Value;

/// One MCP or LSP server and its status, as the server reported it (side panel).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerStatus {
    pub name: String,
    /// `connected`, `failed`, `disabled`, `needs_auth`, `error`…
    pub status: String,
    pub error: Option<String>,
}

/// `GET /mcp`: `{name: {status, error?}}`.
pub fn of_mcp(map: serde_json::Map<String, Value>) -> Vec<ServerStatus> {
    map.into_iter()
        .map(|(name, v)| ServerStatus {
            name,
            status: str_of(&v, "status").unwrap_or_else(|| "unknown".into()),
            error: str_of(&v, "error"),
        })
        .collect()
}

/// `GET /lsp`: `[{id, name, root, status}]` (named by `name`, else `id`).
pub fn of_lsp(list: &[Value]) -> Vec<ServerStatus> {
    list.iter()
        .map(|v| ServerStatus {
            name: str_of(v, "name")
                .or_else(|| str_of(v, "id"))
                .unwrap_or_default(),
            status: str_of(v, "status").unwrap_or_else(|| "unknown".into()),
            error: None,
        })
        .collect()
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn servers_are_read_with_their_status() {
        let mcp = json!({"fs": {"status": "failed", "error": "boom"}, "x": {}});
        let mcp = of_mcp(mcp.as_object().cloned().unwrap_or_default());
        assert_eq!(mcp[0].name, "fs");
        assert_eq!(mcp[0].error.as_deref(), Some("boom"));
        assert_eq!(mcp[1].status, "unknown");
        let lsp = of_lsp(&[json!({"id": "rust", "status": "connected"})]);
        assert_eq!(lsp[0].name, "rust");
        assert_eq!(lsp[0].status, "connected");
    }
}
