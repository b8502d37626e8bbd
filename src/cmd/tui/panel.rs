//! The TUI front-end's side of the side panel and `/export`: `GET /mcp` + `GET /lsp` for
//! the panel (the todos go through the fetched-event path of the link), and the live
//! session written as Markdown with the replay exporter to a new file in the project
//! directory, named after the session (title slug + id slug, never a raw server id), never
//! overwriting one; `/export PATH` chooses the file; a read-only project falls back to
//! `$XDG_STATE_HOME/ocw-tui/exports/`, and the note says where.

use crate::backend::client::Client;
use crate::backend::fetch::{self, Why};
use crate::model::Store;
use crate::safe_text::slug::slug;
use crate::ui::UiInput;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The MCP and LSP servers with their status (an unreachable list shows as empty).
pub(super) async fn servers(client: &Client) -> UiInput {
    let (mcp, lsp) = tokio::join!(client.mcp_servers(), client.lsp_servers());
    UiInput::Servers {
        mcp: mcp.unwrap_or_default(),
        lsp: lsp.unwrap_or_default(),
    }
}

/// `dir/<title slug>-<id slug>.md` (`-2`, `-3`… when taken): both parts are slugs
/// (`safe_text::slug`), so a server-given id holding `/` or `..` cannot leave `dir`.
pub fn write_new(dir: &Path, title: &str, id: &str, text: &str) -> std::io::Result<PathBuf> {
    let id = slug(id, "session");
    let stem = match slug(title, "") {
        s if s == "x" => id,
        s => format!("{s}-{id}"),
    };
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        match create_new(&dir.join(name), text) {
            Ok(path) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many exports of this session"))
}

/// Writes `text` to `path`, which must not exist yet (never through a link either).
fn create_new(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    Ok(path.to_path_buf())
}

/// A free name beside `path` (`name-2.md`, `name-3.md`…), for the "exists" message.
fn free_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..1000)
        .map(|n| path.with_file_name(format!("{stem}-{n}{ext}")))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Where exports go when the project directory cannot be written to.
fn fallback_dir() -> Option<PathBuf> {
    crate::log::default_logs::dir().and_then(|d| Some(d.parent()?.join("exports")))
}

/// Writes the export: to `chosen` (relative to `project`; refused when it exists, naming a
/// free alternative), else to a new file of `project`, else (a read-only project) of the
/// state dir. Returns the note to show.
pub fn write_export(
    project: &Path,
    chosen: Option<&str>,
    title: &str,
    id: &str,
    text: &str,
) -> Result<String, String> {
    write_export_or(project, chosen, title, id, text, fallback_dir())
}

/// [`write_export`] with the directory used when the project is read-only.
fn write_export_or(
    project: &Path,
    chosen: Option<&str>,
    title: &str,
    id: &str,
    text: &str,
    fallback: Option<PathBuf>,
) -> Result<String, String> {
    let shown = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p).display().to_string();
    if let Some(chosen) = chosen {
        let path = match chosen.strip_prefix("~/") {
            Some(rest) => std::env::var_os("HOME")
                .map_or_else(|| PathBuf::from(chosen), |h| PathBuf::from(h).join(rest)),
            None => project.join(chosen),
        };
        return match create_new(&path, text) {
            Ok(p) => Ok(format!("exported to {}", shown(p))),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(format!(
                "{} exists: not overwritten; /export {} writes a new file",
                path.display(),
                free_name(&path).display()
            )),
            Err(e) => Err(format!(
                "cannot write the export to {}: {e}",
                path.display()
            )),
        };
    }
    let e = match write_new(project, title, id, text) {
        Ok(p) => return Ok(format!("exported to {}", shown(p))),
        Err(e) => e,
    };
    let read_only = matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    );
    let fallback = fallback.filter(|_| read_only);
    let Some(dir) = fallback else {
        return Err(format!(
            "cannot write the export in {}: {e}",
            project.display()
        ));
    };
    crate::log::private::private_dir(&dir)
        .and_then(|()| write_new(&dir, title, id, text))
        .map(|p| {
            format!(
                "the project directory is read-only: exported to {}",
                shown(p)
            )
        })
        .map_err(|e2| {
            format!(
                "cannot write the export in {} ({e}) nor in {} ({e2})",
                project.display(),
                dir.display()
            )
        })
}

/// The whole session (every message, not only those paged in) as Markdown in a new file
/// (see [`write_export`]); returns the note to show.
pub async fn export(
    client: &Client,
    session_id: &str,
    project: &Path,
    chosen: Option<&str>,
) -> Result<String, String> {
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
    write_export(project, chosen, &title, session_id, &text)
}

#[cfg(test)]
mod tests;
