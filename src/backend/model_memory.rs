//! The per-project model memory on disk: `$XDG_STATE_HOME/ocw-tui/models.json` (else
//! `~/.local/state/ocw-tui/models.json`), `{"projects":{"<canonical dir>":{recent,variant,agent}}}`,
//! read at start-up and written atomically (a temp file in the same folder, then rename).

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

fn read_all(path: &Path) -> Value {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}))
}

/// What is remembered for `project` in `path` (empty when nothing is, or the file is bad).
pub fn load_from(path: &Path, project: &Path) -> ModelMemory {
    read_all(path)
        .get("projects")
        .and_then(|p| p.get(project_key(project)))
        .cloned()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Stores `memory` for `project` in `path`, keeping the other projects.
pub fn save_to(path: &Path, project: &Path, memory: &ModelMemory) -> std::io::Result<()> {
    let mut all = read_all(path);
    if !all.get("projects").is_some_and(Value::is_object) {
        all["projects"] = serde_json::json!({});
    }
    all["projects"][project_key(project)] = serde_json::to_value(memory)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, serde_json::to_string_pretty(&all)?.as_bytes())?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// [`load_from`] the default [`file`].
pub fn load(project: &Path) -> ModelMemory {
    file().map_or_else(ModelMemory::default, |f| load_from(&f, project))
}

/// [`save_to`] the default [`file`].
pub fn save(project: &Path, memory: &ModelMemory) -> std::io::Result<()> {
    match file() {
        Some(f) => save_to(&f, project, memory),
        None => Ok(()),
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
        assert_eq!(load_from(&file, &a), ModelMemory::default());
        let mut ma = ModelMemory::default();
        ma.used("mock/mock-think");
        ma.variant.insert("mock/mock-think".into(), "high".into());
        ma.agent = Some("plan".into());
        save_to(&file, &a, &ma).unwrap();
        let mut mb = ModelMemory::default();
        mb.used("mock/mock-model");
        save_to(&file, &b, &mb).unwrap();
        assert_eq!(load_from(&file, &a), ma);
        assert_eq!(load_from(&file, &b), mb);
        std::fs::write(&file, "not json").unwrap();
        assert_eq!(load_from(&file, &a), ModelMemory::default());
    }
}
