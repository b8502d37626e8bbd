//! The pinned sessions on disk: `$XDG_STATE_HOME/ocw-tui/pins.json` (else
//! `~/.local/state/ocw-tui/pins.json`), `{"pinned":["ses_…", …]}` (session ids are unique
//! across projects, so one list serves them all; a project shows only its own). Mode 0600,
//! written atomically (a temp file in the same folder, then rename), read-modify-write so
//! two TUIs pinning at once keep each other's pins. A file that cannot be read as JSON is
//! never overwritten: pinning then fails with a message naming it.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// The pins file.
pub fn file() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ocw-tui").join("pins.json"))
}

/// The pinned ids in `path` (none when it is missing); an error when it cannot be read
/// or is not ours.
pub fn load_from(path: &Path) -> std::io::Result<Vec<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    let ids = v.get("pinned").and_then(Value::as_array).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "no \"pinned\" list")
    })?;
    Ok(ids
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect())
}

/// Pins (`pinned`) or unpins session `id` in `path`, keeping every other pin.
pub fn set_in(path: &Path, id: &str, pinned: bool) -> std::io::Result<()> {
    let mut ids = load_from(path)?;
    ids.retain(|p| p != id);
    if pinned {
        ids.push(id.to_string());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // A temp file is created 0600; the rename keeps that mode.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    set_private(tmp.path())?;
    let text = serde_json::to_string_pretty(&serde_json::json!({ "pinned": ids }))?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_private(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// [`load_from`] the default [`file`]; nothing pinned when it cannot be read (the first
/// pin then says why).
pub fn load() -> Vec<String> {
    match file().map(|f| load_from(&f)) {
        Some(Ok(ids)) => ids,
        Some(Err(e)) => {
            tracing::warn!(error = %e, "pins not read");
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// [`set_in`] the default [`file`].
pub fn set(id: &str, pinned: bool) -> Result<(), String> {
    let Some(f) = file() else {
        return Err("no state folder (neither XDG_STATE_HOME nor HOME is set)".into());
    };
    set_in(&f, id, pinned).map_err(|e| format!("{}: {e}", f.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_survive_a_reload_keep_each_other_and_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state/ocw-tui/pins.json");
        assert!(load_from(&file).unwrap().is_empty());
        set_in(&file, "ses_a", true).unwrap();
        set_in(&file, "ses_b", true).unwrap();
        set_in(&file, "ses_a", true).unwrap();
        assert_eq!(load_from(&file).unwrap(), vec!["ses_b", "ses_a"]);
        set_in(&file, "ses_b", false).unwrap();
        assert_eq!(load_from(&file).unwrap(), vec!["ses_a"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_file_that_is_not_ours_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pins.json");
        std::fs::write(&file, "{ not json").unwrap();
        assert!(set_in(&file, "ses_a", true).is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "{ not json");
    }
}
