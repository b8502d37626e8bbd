//! opencode's prompt history file, shared with opencode's own TUI:
//! `$XDG_STATE_HOME/opencode/prompt-history.jsonl` (else `~/.local/state/opencode/`), the
//! state directory opencode 1.18 uses. Read once at start-up (the last 50 entries, lines
//! that do not parse skipped); each prompt sent is appended as one line with one `write`
//! on a file opened `O_APPEND`, so a line from opencode running beside us is never cut
//! into. The file is never rewritten here: opencode trims it to 50 entries when it starts.
//! Created mode 0600 (its folder 0700); an existing file keeps its mode. Only a regular
//! file is read or written (a FIFO or device in its place is refused).

use crate::model::prompt_history::{self, HistoryEntry};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The history file: opencode's state directory, as opencode finds it.
pub fn file() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("opencode").join("prompt-history.jsonl"))
}

/// The entries in `path`, oldest first (none when there is no file), or why it could not
/// be read.
pub fn load_from(path: &Path) -> Result<Vec<HistoryEntry>, String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        Ok(m) if !m.is_file() => {
            return Err(format!("{} is not a regular file", path.display()));
        }
        Ok(_) => {}
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(prompt_history::parse(&String::from_utf8_lossy(&bytes)))
}

/// Appends `entry` to `path` as one line (one write, `O_APPEND`), creating the file (0600)
/// and its folder (0700) when missing.
pub fn append_to(path: &Path, entry: &HistoryEntry) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
    if let Some(dir) = path.parent() {
        if !dir.is_dir() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        // A FIFO in its place would block the open.
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::other(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    let line = prompt_history::to_line(entry);
    let n = f.write(line.as_bytes())?;
    if n != line.len() {
        return Err(std::io::Error::other("the line was written in part"));
    }
    Ok(())
}

/// [`load_from`] the default [`file`].
pub fn load() -> Result<Vec<HistoryEntry>, String> {
    file().map_or(Ok(Vec::new()), |f| load_from(&f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn appends_lines_keeping_the_file_and_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/opencode/prompt-history.jsonl");
        append_to(&path, &HistoryEntry::plain("one")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        append_to(&path, &HistoryEntry::plain("two")).unwrap();
        assert_eq!(mode(&path), 0o640);
        let texts: Vec<String> = load_from(&path)
            .unwrap()
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(texts, ["one", "two"]);
        assert_eq!(load_from(&dir.path().join("none")).unwrap(), Vec::new());
    }
}
