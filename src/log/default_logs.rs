//! The logs the TUI keeps of every session (unless `--no-log`): one file per run under
//! `$XDG_STATE_HOME/ocw-tui/logs/` (else `~/.local/state/ocw-tui/logs/`), a 0700 directory,
//! named `<project>-<YYYYMMDD-HHMMSS>-<session>.jsonl` (slugs, UTC time), mode 0600. At each
//! start the oldest are deleted beyond the limit: none older than [`KEEP_DAYS`] days, at most
//! [`KEEP_BYTES`] in all. [`list`] describes them for `ocw-tui replay` without a file.
//! A `--log` path inside the project is refused ([`check_outside_project`]): opencode's
//! snapshots would copy it into every message's `summary.diffs`, and `/undo` replace it.

use crate::safe_text::slug::slug;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Logs older than this many days are deleted at start.
pub const KEEP_DAYS: u64 = 30;
/// The newest logs are kept up to this many bytes in all (500 MB); older ones are deleted.
pub const KEEP_BYTES: u64 = 500 * 1000 * 1000;

/// The directory of the default logs.
pub fn dir() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ocw-tui").join("logs"))
}

/// `YYYYMMDD-HHMMSS` (UTC) of `t`.
pub fn stamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The file name of a new log of `session_id` in `project`, started at `at`.
pub fn file_name(project: &Path, session_id: &str, at: SystemTime) -> String {
    let name = project
        .canonicalize()
        .unwrap_or_else(|_| project.to_path_buf())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!(
        "{}-{}-{}.jsonl",
        slug(&name, "project"),
        stamp(at),
        slug(session_id, "session")
    )
}

/// Refuses a log path inside `project` (see the module doc), with what to do instead.
pub fn check_outside_project(log: &Path, project: &Path) -> Result<(), String> {
    let project = resolve(project);
    let full = resolve(log);
    if full.starts_with(&project) {
        return Err(format!(
            "the log {} is inside the project {}: opencode's snapshots would copy it into every message (it grows with each prompt) and /undo would replace it; pass a path outside the project, or leave --log out (the TUI records every session under {})",
            log.display(),
            project.display(),
            dir().map_or_else(|| "~/.local/state/ocw-tui/logs".into(), |d| d.display().to_string())
        ));
    }
    Ok(())
}

/// `p` made absolute with its links resolved: the longest part that exists is
/// canonicalised, the rest (which cannot hold a link) applied by name (`..` drops one).
fn resolve(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let parts: Vec<Component> = abs.components().collect();
    let mut n = parts.len();
    let base = loop {
        let prefix: PathBuf = parts[..n].iter().collect();
        if let Ok(c) = prefix.canonicalize() {
            break c;
        }
        if n == 0 {
            break PathBuf::from("/");
        }
        n -= 1;
    };
    let mut out = base;
    for c in &parts[n..] {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// One log of the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    pub path: PathBuf,
    pub size: u64,
    pub modified: SystemTime,
    /// The project directory the log was written for (from its first line).
    pub project: Option<String>,
    /// The title of its first session (the latest one near its end, else near its start).
    pub title: Option<String>,
}

fn logs_in(dir: &Path) -> Vec<(PathBuf, std::fs::Metadata)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".jsonl"))
        .filter_map(|e| {
            let m = std::fs::symlink_metadata(e.path()).ok()?;
            m.is_file().then(|| (e.path(), m))
        })
        .collect();
    // Newest first.
    out.sort_by_key(|(p, m)| {
        (
            std::cmp::Reverse(m.modified().unwrap_or(SystemTime::UNIX_EPOCH)),
            p.clone(),
        )
    });
    out
}

/// Deletes the logs of `dir` older than `max_age`, then the oldest until the rest hold at
/// most `max_bytes`; returns what was deleted.
pub fn prune(dir: &Path, max_bytes: u64, max_age: Duration, now: SystemTime) -> Vec<PathBuf> {
    let mut total = 0u64;
    let mut deleted = Vec::new();
    for (path, m) in logs_in(dir) {
        let age = m
            .modified()
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .unwrap_or_default();
        total = total.saturating_add(m.len());
        if (age > max_age || total > max_bytes) && std::fs::remove_file(&path).is_ok() {
            deleted.push(path);
        }
    }
    deleted
}

/// [`prune`] with the documented limits.
pub fn prune_default(dir: &Path) -> Vec<PathBuf> {
    prune(
        dir,
        KEEP_BYTES,
        Duration::from_secs(KEEP_DAYS * 86_400),
        SystemTime::now(),
    )
}

/// The logs of `dir`, newest first.
pub fn list(dir: &Path) -> Vec<LogEntry> {
    logs_in(dir)
        .into_iter()
        .map(|(path, m)| {
            let (project, title) = describe(&path);
            LogEntry {
                size: m.len(),
                modified: m.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                path,
                project,
                title,
            }
        })
        .collect()
}

/// Bytes read at each end of a log to describe it.
const PEEK: u64 = 256 * 1024;

/// The project (from `ocw_meta`) and the first session's title, read from at most
/// [`PEEK`] bytes at each end of the file.
fn describe(path: &Path) -> (Option<String>, Option<String>) {
    let Ok(mut f) = std::fs::File::open(path) else {
        return (None, None);
    };
    let mut head = Vec::new();
    let _ = f.by_ref().take(PEEK).read_to_end(&mut head);
    let lines = |buf: &[u8]| -> Vec<serde_json::Value> {
        buf.split(|&b| b == b'\n')
            .filter_map(|l| serde_json::from_slice(l).ok())
            .collect()
    };
    let head = lines(&head);
    let project = head.iter().find_map(|v| {
        v.get(super::META_KEY)?
            .get("project")?
            .as_str()
            .map(str::to_string)
    });
    let titles = |vals: &[serde_json::Value], root: Option<&str>| -> Vec<(String, String)> {
        vals.iter()
            .filter(|v| v["type"] == "session.updated" || v["type"] == "session.created")
            .filter_map(|v| {
                let info = &v["properties"]["info"];
                if !info["parentID"].is_null() {
                    return None;
                }
                let id = info["id"].as_str()?;
                if root.is_some_and(|r| r != id) {
                    return None;
                }
                Some((id.to_string(), info["title"].as_str()?.to_string()))
            })
            .collect()
    };
    let first = titles(&head, None).into_iter().next();
    let Some((root, title)) = first else {
        return (project, None);
    };
    let mut tail = Vec::new();
    let len = f.metadata().map_or(0, |m| m.len());
    if len > PEEK && f.seek(SeekFrom::Start(len - PEEK)).is_ok() {
        let _ = f.take(PEEK).read_to_end(&mut tail);
    }
    let mut all = head;
    all.extend(lines(&tail));
    let title = titles(&all, Some(&root)).pop().map_or(title, |(_, t)| t);
    (project, Some(title))
}

#[cfg(test)]
mod tests;
