//! The per-project model memory on disk: `$XDG_STATE_HOME/ocw-tui/models.json` (else
//! `~/.local/state/ocw-tui/models.json`), `{"projects":{"<canonical dir>":{recent,variant,agent}}}`,
//! read at start-up and written atomically (a temp file in the same folder, then rename). A
//! file that is not valid JSON is renamed `models.json.broken-<time>` (said once), never
//! overwritten.

use crate::model::catalog::ModelMemory;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The memory file.
pub fn file() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ocw-tui").join("models.json"))
}

fn project_key(project: &Path) -> String {
    project
        .canonicalize()
        .unwrap_or_else(|_| project.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// What the memory file holds.
enum OnDisk {
    Missing,
    Good(Value),
    /// It exists but is not a JSON object (a syntax error, a truncated write): set aside.
    Broken(String),
}

fn read_all(path: &Path) -> std::io::Result<OnDisk> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(OnDisk::Missing),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
            return Ok(OnDisk::Broken("not UTF-8".into()))
        }
        Err(e) => return Err(e),
    };
    Ok(match serde_json::from_str::<Value>(&text) {
        Ok(v) if v.is_object() => OnDisk::Good(v),
        Ok(_) => OnDisk::Broken("not a JSON object".into()),
        Err(e) => OnDisk::Broken(e.to_string()),
    })
}

/// Renames a memory file that could not be read to `models.json.broken-<time>` (kept for
/// the person to repair), and says so.
fn set_aside(path: &Path, why: &str) -> std::io::Result<String> {
    let stamp = crate::log::default_logs::stamp(std::time::SystemTime::now());
    let name = format!(
        "{}.broken-{stamp}",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    // Never onto an earlier one: `-2`, `-3`… when that second already has one.
    let aside = (1..100)
        .map(|n| match n {
            1 => path.with_file_name(&name),
            n => path.with_file_name(format!("{name}-{n}")),
        })
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .ok_or_else(|| std::io::Error::other("too many broken copies"))?;
    std::fs::rename(path, &aside)?;
    tracing::warn!(path = %path.display(), aside = %aside.display(), why, "model memory set aside");
    Ok(format!(
        "{} could not be read ({why}): set aside as {}; the model choices start afresh",
        path.display(),
        aside.display()
    ))
}

/// What is remembered for `project` in `path` (empty when nothing is), and the note to show
/// once when the file could not be read and was set aside (never overwritten).
pub fn load_from(path: &Path, project: &Path) -> (ModelMemory, Option<String>) {
    match read_all(path) {
        Ok(OnDisk::Good(all)) => (
            all.get("projects")
                .and_then(|p| p.get(project_key(project)))
                .cloned()
                .and_then(|v| serde_json::from_value(v).ok())
                .unwrap_or_default(),
            None,
        ),
        Ok(OnDisk::Missing) => (ModelMemory::default(), None),
        Ok(OnDisk::Broken(why)) => (
            ModelMemory::default(),
            Some(set_aside(path, &why).unwrap_or_else(|e| {
                format!(
                    "{} could not be read ({why}) nor set aside ({e}): model choices are not remembered",
                    path.display()
                )
            })),
        ),
        Err(e) => (
            ModelMemory::default(),
            Some(format!("cannot read {}: {e}", path.display())),
        ),
    }
}

/// Stores `memory` for `project` in `path`, keeping the other projects. A file that cannot
/// be read as JSON is set aside first (the note says so), never overwritten; one that
/// cannot be read at all is left alone (an error).
pub fn save_to(
    path: &Path,
    project: &Path,
    memory: &ModelMemory,
) -> std::io::Result<Option<String>> {
    let (mut all, said) = match read_all(path)? {
        OnDisk::Good(v) => (v, None),
        OnDisk::Missing => (serde_json::json!({}), None),
        OnDisk::Broken(why) => (serde_json::json!({}), Some(set_aside(path, &why)?)),
    };
    if !all.get("projects").is_some_and(Value::is_object) {
        all["projects"] = serde_json::json!({});
    }
    all["projects"][project_key(project)] = serde_json::to_value(memory)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, serde_json::to_string_pretty(&all)?.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(said)
}

/// [`load_from`] the default [`file`].
pub fn load(project: &Path) -> (ModelMemory, Option<String>) {
    file().map_or_else(
        || (ModelMemory::default(), None),
        |f| load_from(&f, project),
    )
}

/// [`save_to`] the default [`file`].
pub fn save(project: &Path, memory: &ModelMemory) -> std::io::Result<Option<String>> {
    match file() {
        Some(f) => save_to(&f, project, memory),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_project_keeps_its_own_memory_across_writes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state/ocw-tui/models.json");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        assert_eq!(load_from(&file, &a).0, ModelMemory::default());
        let mut ma = ModelMemory::default();
        ma.used("mock/mock-think");
        ma.variant.insert("mock/mock-think".into(), "high".into());
        ma.agent = Some("plan".into());
        save_to(&file, &a, &ma).unwrap();
        let mut mb = ModelMemory::default();
        mb.used("mock/mock-model");
        save_to(&file, &b, &mb).unwrap();
        assert_eq!(load_from(&file, &a).0, ma);
        assert_eq!(load_from(&file, &b).0, mb);
    }

    #[test]
    fn a_broken_file_is_set_aside_once_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("models.json");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let mut ma = ModelMemory::default();
        ma.used("mock/mock-think");
        save_to(&file, &a, &ma).unwrap();
        // One syntax error (a trailing comma) in a file holding project a.
        let text = std::fs::read_to_string(&file).unwrap();
        let broken = text.replacen('}', "},", 1);
        std::fs::write(&file, &broken).unwrap();
        // Saving b's choice does not wipe a's: the broken file is kept aside.
        let mut mb = ModelMemory::default();
        mb.used("mock/mock-model");
        let said = save_to(&file, &b, &mb).unwrap().expect("said");
        assert!(said.contains("set aside as"), "{said}");
        let aside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("models.json.broken-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join(&aside[0])).unwrap(),
            broken
        );
        assert_eq!(
            load_from(&file, &b),
            (mb, None),
            "said once: the new file is good"
        );
        // Loading a broken file sets it aside too, and says so once.
        std::fs::write(&file, "{nope").unwrap();
        let (m, said) = load_from(&file, &a);
        assert_eq!(m, ModelMemory::default());
        assert!(said.is_some());
        assert!(!file.exists());
        assert_eq!(load_from(&file, &a), (ModelMemory::default(), None));
    }
}
