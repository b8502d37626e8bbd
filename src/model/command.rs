//! A server slash command as `GET /command` lists it: opencode's built-ins, the project's
//! and user's `.opencode/command/*.md`, config `command` entries, MCP prompts and skills.

use serde::{Deserialize, Serialize};

/// One entry of `GET /command` (the template is not kept: the server expands it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ServerCommand {
    pub name: String,
    pub description: String,
    /// `command`, `mcp` or `skill`.
    pub source: String,
    /// The placeholders of the template (`$1`, `$ARGUMENTS`): what the command takes.
    pub hints: Vec<String>,
}
