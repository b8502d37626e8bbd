//! The TUI front-end's side of the side panel and `/export`: `GET /mcp` + `GET /lsp` for
//! the panel (the todos go through the fetched-event path in `tui.rs`), and the live
//! session written as Markdown with the replay exporter to a new file in the project
//! directory, named after the session (title slug + id), never overwriting one.

use crate::backend::client::Client;
use crate::backend::fetch::{self, Why};
use crate::model::Store;
use crate::ui::side_panel::ServerStatus;
use crate::ui::UiInput;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The MCP and LSP servers with their status (an unreachable list shows as empty).
pub async fn servers(client: &Client) -> UiInput {
    let mcp = client
        .mcp_status()
        .await
        .map(|m| {
            m.into_iter()
                .map(|(name, v)| ServerStatus {
                    name,
                    status: str_of(&v, "status").unwrap_or_else(|| "unknown".into()),
                    error: str_of(&v, "error"),
                })
                .collect()
        })
        .unwrap_or_default();
    let lsp = client
        .lsp_status()
        .await
        .map(|l| {
            l.iter()
                .map(|v| ServerStatus {
                    name: str_of(v, "name")
                        .or_else(|| str_of(v, "id"))
                        .unwrap_or_default(),
                    status: str_of(v, "status").unwrap_or_else(|| "unknown".into()),
                    error: None,
                })
                .collect()
        })
        .unwrap_or_default();
    UiInput::Servers { mcp, lsp }
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// A file name part from a title: lowercase ASCII letters and digits, runs of anything
/// else as one `-`, at most 40 characters.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Creates `dir/<slug>-<id>.md` (or `-2`, `-3`… when taken: never overwritten) with `text`.
pub fn write_new(dir: &Path, title: &str, id: &str, text: &str) -> std::io::Result<PathBuf> {
    let stem = match slug(title) {
        s if s.is_empty() => id.to_string(),
        s => format!("{s}-{id}"),
    };
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many exports of this session"))
}

/// The whole session (every message, not only those paged in) as Markdown in a new file
/// of `dir`; returns its path.
pub async fn export(client: &Client, session_id: &str, dir: &Path) -> Result<PathBuf, String> {
    let mut store = Store::new();
    let info = fetch::session(client, Why::Load, session_id)
        .await
        .map_err(|e| format!("cannot export: {e}"))?;
    store.apply(&info.event);
    for f in fetch::messages(client, Why::Load, session_id, None)
        .await
        .map_err(|e| format!("cannot export: {e}"))?
    {
        store.apply(&f.event);
    }
    let title = store
        .session(session_id)
        .and_then(|s| s.title.clone())
        .unwrap_or_default();
    let text = crate::replay::export::export(&store, 0);
    write_new(dir, &title, session_id, &text)
        .map_err(|e| format!("cannot write the export in {}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_and_short() {
        assert_eq!(slug("Fix the  bug: ünïcode/../x"), "fix-the-bug-n-code-x");
        assert_eq!(slug("***"), "");
        assert!(slug(&"a".repeat(100)).len() <= 40);
    }

    #[test]
    fn an_existing_export_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let a = write_new(dir.path(), "T", "ses_1", "one").unwrap();
        let b = write_new(dir.path(), "T", "ses_1", "two").unwrap();
        assert_eq!(a.file_name().unwrap(), "t-ses_1.md");
        assert_eq!(b.file_name().unwrap(), "t-ses_1-2.md");
        assert_eq!(std::fs::read_to_string(a).unwrap(), "one");
    }
}
