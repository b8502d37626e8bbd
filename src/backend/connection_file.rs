//! The connection file of a server spawned with `--port N`, for an editor plugin
//! (opencode.nvim, the VS Code extension) that drives the TUI through it:
//! `$XDG_RUNTIME_DIR/ocw-tui/server-N.json` (else `$XDG_STATE_HOME/ocw-tui/run/`, else
//! `~/.local/state/ocw-tui/run/`), `{"url", "username", "password", "directory", "pid"}`,
//! in a 0700 folder, mode 0600 (created new, never through a link; written whole, then
//! renamed into place), removed when the server stops. The server keeps its random
//! password and listens on loopback only: the file is how the person hands the plugin
//! what it needs.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The folder connection files go into (not created here).
pub fn folder() -> Option<PathBuf> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(run) = nonempty("XDG_RUNTIME_DIR") {
        return Some(PathBuf::from(run).join("ocw-tui"));
    }
    let state = nonempty("XDG_STATE_HOME")
        .map(PathBuf::from)
        .or_else(|| nonempty("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ocw-tui").join("run"))
}

/// The connection file of the server on `port`.
pub fn path_for(port: u16) -> Option<PathBuf> {
    Some(folder()?.join(format!("server-{port}.json")))
}

/// A connection file on disk; removed on drop.
#[derive(Debug)]
pub struct ConnectionFile {
    path: PathBuf,
    /// What was written (removed on drop only while it still holds just that).
    body: String,
}

impl ConnectionFile {
    /// Writes the file for the server at `url` (its port names the file).
    pub fn write(
        port: u16,
        url: &str,
        password: &str,
        directory: &Path,
    ) -> std::io::Result<ConnectionFile> {
        let path = path_for(port).ok_or_else(|| {
            std::io::Error::other("no folder for it (neither XDG_RUNTIME_DIR nor HOME is set)")
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        // A folder that was there before: ours only.
        let meta = std::fs::symlink_metadata(dir)?;
        if !meta.is_dir() {
            return Err(std::io::Error::other(format!(
                "{} is not a folder",
                dir.display()
            )));
        }
        if meta.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        let body = serde_json::json!({
            "url": url,
            "username": "opencode",
            "password": password,
            "directory": directory.display().to_string(),
            "pid": std::process::id(),
        });
        let tmp = dir.join(format!(".server-{port}.{}.tmp", std::process::id()));
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        let body = format!("{body}\n");
        let written = f
            .write_all(body.as_bytes())
            .and_then(|_| f.sync_all())
            .and_then(|_| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(ConnectionFile { path, body })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ConnectionFile {
    fn drop(&mut self) {
        // Only the file as written (a later server on the same port wrote its own).
        if std::fs::read_to_string(&self.path).is_ok_and(|s| s == self.body) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_private_names_the_server_and_goes_on_drop() {
        let tmp = tempfile::tempdir().unwrap();
        // The one test of this binary that sets XDG_RUNTIME_DIR.
        std::env::set_var("XDG_RUNTIME_DIR", tmp.path());
        let f = ConnectionFile::write(4123, "http://127.0.0.1:4123", "s3cret", Path::new("/p"))
            .unwrap();
        let path = f.path().to_path_buf();
        assert_eq!(path, tmp.path().join("ocw-tui/server-4123.json"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(v["url"], "http://127.0.0.1:4123");
        assert_eq!(v["password"], "s3cret");
        assert_eq!(v["username"], "opencode");
        assert_eq!(v["directory"], "/p");
        drop(f);
        assert!(!path.exists());
    }
}
