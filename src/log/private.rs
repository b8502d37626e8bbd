//! Opening the files ocw-tui writes private data to (session logs, the diagnostic log):
//! never through a symbolic link (`O_NOFOLLOW`), never anything but a regular file (a
//! device, fifo, socket or directory is refused before a byte is written or a mode is
//! changed), created with mode 0600. An existing regular file is tightened to 0600 only
//! when it is ours (same owner as this process) and has no other hard link; else refused.
//! The mode is changed on the open descriptor, so what is checked is what is changed.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// How an existing file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Emptied first (a session log).
    Truncate,
    /// Appended to (the diagnostic log, a reopened session log).
    Append,
}

/// What a path holds, in words, for an error.
fn kind_of(m: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = m.file_type();
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_fifo() {
        "a fifo"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

fn refuse(path: &Path, why: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} {why}: ocw-tui writes logs only to a regular file of yours (mode 0600); pass a new path",
            path.display()
        ),
    )
}

/// Opens `path` for writing as described in the module doc; `created` tells whether the
/// file is new.
pub fn open(path: &Path, mode: Mode) -> io::Result<(File, bool)> {
    // A symbolic link is refused as such (not followed, not replaced).
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.file_type().is_symlink() {
            return Err(refuse(path, "is a symbolic link".into()));
        }
        if !m.is_file() {
            return Err(refuse(path, format!("is {}", kind_of(&m))));
        }
    }
    let flags = libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;
    let mut new = OpenOptions::new();
    new.write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(flags);
    let (file, created) = match new.open(path) {
        Ok(f) => (f, true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let mut old = OpenOptions::new();
            old.write(true).custom_flags(flags);
            if mode == Mode::Append {
                old.append(true);
            }
            let f = old.open(path).map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => refuse(path, "is a symbolic link".into()),
                Some(libc::EISDIR) => refuse(path, "is a directory".into()),
                Some(libc::ENXIO) => refuse(path, "is a fifo".into()),
                _ => e,
            })?;
            (f, false)
        }
        Err(e) => return Err(e),
    };
    // What was opened is checked on the descriptor (the path may have changed meanwhile).
    let m = file.metadata()?;
    if !m.is_file() {
        return Err(refuse(path, format!("is {}", kind_of(&m))));
    }
    if !created {
        if m.uid() != crate::sys::euid() {
            return Err(refuse(path, "belongs to another user".into()));
        }
        if m.nlink() > 1 {
            return Err(refuse(path, "has other hard links".into()));
        }
        if m.permissions().mode() & 0o777 != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        if mode == Mode::Truncate {
            file.set_len(0)?;
        }
    }
    // Writes block as usual from here (O_NONBLOCK only kept a fifo from hanging the open).
    set_blocking(&file);
    Ok((file, created))
}

fn set_blocking(file: &File) {
    use std::os::fd::AsRawFd;
    crate::sys::clear_nonblock(file.as_raw_fd());
}

/// Creates `dir` (and its parents) and makes `dir` itself mode 0700 when it is new or
/// ours; refuses a link or a directory of another user.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
    {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let m = std::fs::symlink_metadata(dir)?;
    if !m.is_dir() {
        return Err(refuse(dir, format!("is {}", kind_of(&m))));
    }
    if m.uid() != crate::sys::euid() {
        return Err(refuse(dir, "belongs to another user".into()));
    }
    if m.permissions().mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_0600_and_an_old_one_of_ours_is_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.jsonl");
        let (_, created) = open(&p, Mode::Truncate).unwrap();
        assert!(created);
        assert_eq!(mode_of(&p), 0o600);
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (_, created) = open(&p, Mode::Truncate).unwrap();
        assert!(!created);
        assert_eq!(mode_of(&p), 0o600);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "");
        // Appending (the debug log) keeps the content and tightens the mode too.
        std::fs::write(&p, "kept\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (mut f, _) = open(&p, Mode::Append).unwrap();
        std::io::Write::write_all(&mut f, b"more\n").unwrap();
        assert_eq!(mode_of(&p), 0o600);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "kept\nmore\n");
    }

    #[test]
    fn a_symlink_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "precious").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for mode in [Mode::Truncate, Mode::Append] {
            let e = open(&link, mode).unwrap_err().to_string();
            assert!(e.contains("symbolic link"), "{e}");
            assert!(e.contains("pass a new path"), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        assert_eq!(mode_of(&target), 0o644);
        // A dangling link is not followed to create its target either.
        let dangling = dir.path().join("dangling.jsonl");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(open(&dangling, Mode::Truncate).is_err());
        assert!(!dir.path().join("nowhere").exists());
    }

    #[test]
    fn devices_fifos_and_directories_are_refused_unchanged() {
        let dev_null = Path::new("/dev/null");
        let before = mode_of(dev_null);
        let e = open(dev_null, Mode::Truncate).unwrap_err().to_string();
        assert!(e.contains("is a device"), "{e}");
        assert_eq!(mode_of(dev_null), before);

        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let before = mode_of(&fifo);
        // Refused at once (no reader: a plain open would hang here).
        let e = open(&fifo, Mode::Append).unwrap_err().to_string();
        assert!(e.contains("is a fifo"), "{e}");
        assert_eq!(mode_of(&fifo), before);

        let e = open(dir.path(), Mode::Truncate).unwrap_err().to_string();
        assert!(e.contains("is a directory"), "{e}");
    }

    #[test]
    fn a_hard_linked_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, "x").unwrap();
        std::fs::hard_link(&a, dir.path().join("b")).unwrap();
        let e = open(&a, Mode::Append).unwrap_err().to_string();
        assert!(e.contains("hard links"), "{e}");
    }

    #[test]
    fn another_users_file_is_refused_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("theirs.log");
        std::fs::write(&p, "theirs").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        // Only root can give a file away; others are never root's owner either.
        if crate::sys::euid() == 0 {
            std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
        } else {
            return;
        }
        let e = open(&p, Mode::Append).unwrap_err().to_string();
        assert!(e.contains("belongs to another user"), "{e}");
        assert_eq!(mode_of(&p), 0o644);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "theirs");
    }

    #[test]
    fn private_dirs_are_0700() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("state/ocw-tui/logs");
        private_dir(&d).unwrap();
        assert_eq!(mode_of(&d), 0o700);
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&d).unwrap();
        assert_eq!(mode_of(&d), 0o700);
    }
}
