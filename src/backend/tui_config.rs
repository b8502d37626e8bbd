//! Finds and reads opencode's `tui.json` / `tui.jsonc` files (JSONC) in opencode 1.18.33's
//! order, and the same settings in older `opencode.json[c]` files; merged by
//! model/tui_config.rs. Read only: these files are never written (opencode itself moves
//! the old keys into a new tui.json; we read them where they are, at the place the moved
//! file would take).
//!
//! The order, first the lowest: the global config dir (`$XDG_CONFIG_HOME/opencode`, else
//! `~/.config/opencode`), `$OPENCODE_TUI_CONFIG`, every directory from the filesystem root
//! down to the project, then the `.opencode` directories found from the project up (the
//! nearest first, as opencode does), `~/.opencode` and `$OPENCODE_CONFIG_DIR`. In each
//! directory: the old keys of its `opencode.json` (else `opencode.jsonc`) when it has no
//! `tui.json`, then `tui.json`, then `tui.jsonc`. `OPENCODE_DISABLE_PROJECT_CONFIG` leaves
//! the project's files out.

use crate::backend::rule_file::parse_jsonc;
use crate::model::tui_config::{legacy_layer, TuiConfig};
use std::path::{Path, PathBuf};

/// The environment the search depends on.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub xdg_config_home: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// `$OPENCODE_TUI_CONFIG`: one more file.
    pub tui_config: Option<PathBuf>,
    /// `$OPENCODE_CONFIG_DIR`: one more directory.
    pub config_dir: Option<PathBuf>,
    /// `$OPENCODE_DISABLE_PROJECT_CONFIG`.
    pub disable_project: bool,
}

impl Env {
    pub fn from_process() -> Env {
        let path = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Env {
            xdg_config_home: path("XDG_CONFIG_HOME"),
            home: path("HOME"),
            tui_config: path("OPENCODE_TUI_CONFIG"),
            config_dir: path("OPENCODE_CONFIG_DIR"),
            disable_project: std::env::var("OPENCODE_DISABLE_PROJECT_CONFIG")
                .is_ok_and(|v| !v.is_empty() && v != "0" && v != "false"),
        }
    }

    /// opencode's global config dir.
    fn global_dir(&self) -> Option<PathBuf> {
        let base = match &self.xdg_config_home {
            Some(x) => x.clone(),
            None => self.home.as_ref()?.join(".config"),
        };
        Some(base.join("opencode"))
    }
}

/// The settings for a TUI on `project`, from the process's environment.
pub fn load(project: &Path) -> TuiConfig {
    load_with(&Env::from_process(), project)
}

/// The settings for `project` under `env`.
pub fn load_with(env: &Env, project: &Path) -> TuiConfig {
    let mut layers = Vec::new();
    let mut problems = Vec::new();
    for file in files(env, project) {
        let path = file.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let shown = path.display().to_string();
        let value = match parse_jsonc(&text) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{shown}: not valid JSONC ({e}); skipped"));
                continue;
            }
        };
        match file {
            File::Tui(_) => layers.push((shown, value)),
            File::Legacy(_) => {
                if let Some(l) = legacy_layer(&value) {
                    layers.push((shown, l));
                }
            }
        }
    }
    let mut cfg = TuiConfig::from_layers(&layers);
    problems.append(&mut cfg.problems);
    cfg.problems = problems;
    cfg
}

/// A file to read: a tui.json, or an opencode.json for its old keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    Tui(PathBuf),
    Legacy(PathBuf),
}

impl File {
    pub fn path(&self) -> &Path {
        match self {
            File::Tui(p) | File::Legacy(p) => p,
        }
    }
}

/// The candidate files in the order they apply (those missing are skipped when read).
pub fn files(env: &Env, project: &Path) -> Vec<File> {
    let project = std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf());
    let mut out = Vec::new();
    if let Some(g) = env.global_dir() {
        in_dir(&g, &mut out);
    }
    if let Some(f) = &env.tui_config {
        out.push(File::Tui(f.clone()));
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    if !env.disable_project {
        let ancestors: Vec<&Path> = project.ancestors().collect();
        // The project's own files, the root's first.
        for d in ancestors.iter().rev() {
            in_dir(d, &mut out);
        }
        // `.opencode` directories, the nearest first.
        dirs.extend(
            ancestors
                .iter()
                .map(|d| d.join(".opencode"))
                .filter(|d| d.is_dir()),
        );
    }
    if let Some(h) = &env.home {
        let d = h.join(".opencode");
        if d.is_dir() {
            dirs.push(d);
        }
    }
    if let Some(d) = &env.config_dir {
        dirs.push(d.clone());
    }
    let mut seen = std::collections::HashSet::new();
    for d in dirs {
        if seen.insert(d.clone()) {
            in_dir(&d, &mut out);
        }
    }
    out
}

/// One directory's files: the old keys of its opencode.json (when it has no tui.json),
/// tui.json, tui.jsonc.
fn in_dir(dir: &Path, out: &mut Vec<File>) {
    if !dir.join("tui.json").exists() {
        // The first of the two that holds any of the keys (as opencode moves only one).
        let legacy = ["opencode.json", "opencode.jsonc"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| {
                std::fs::read_to_string(p)
                    .ok()
                    .and_then(|t| parse_jsonc(&t).ok())
                    .as_ref()
                    .and_then(legacy_layer)
                    .is_some()
            });
        if let Some(p) = legacy {
            out.push(File::Legacy(p));
        }
    }
    out.push(File::Tui(dir.join("tui.json")));
    out.push(File::Tui(dir.join("tui.jsonc")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tui_config::DiffStyle;
    use serde_json::json;

    fn write(p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    /// A home with a global config dir and a project two levels under a root with its
    /// own tui.json.
    fn setup() -> (tempfile::TempDir, Env, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let home = t.path().join("home");
        let project = t.path().join("work/proj");
        std::fs::create_dir_all(&project).unwrap();
        let env = Env {
            xdg_config_home: Some(home.join("xdg")),
            home: Some(home),
            ..Env::default()
        };
        (t, env, project)
    }

    #[test]
    fn the_order_is_global_env_project_then_dot_opencode() {
        let (t, mut env, project) = setup();
        let g = env.xdg_config_home.clone().unwrap().join("opencode");
        write(
            &g.join("tui.jsonc"),
            "{ // mine\n \"theme\": \"g\", \"keybinds\": {\"a\": \"x\", \"b\": \"x\", \"c\": \"x\", \"d\": \"x\",},\n}",
        );
        let custom = t.path().join("custom.json");
        write(
            &custom,
            r#"{"theme": "env", "keybinds": {"b": "env", "c": "env", "d": "env"}}"#,
        );
        env.tui_config = Some(custom);
        write(
            &t.path().join("work/tui.json"),
            r#"{"keybinds": {"c": "up", "d": "up"}, "scroll_speed": 2}"#,
        );
        write(
            &project.join(".opencode/tui.json"),
            r#"{"keybinds": {"d": "dot"}, "diff_style": "stacked"}"#,
        );
        let c = load_with(&env, &project);
        assert_eq!(c.theme.as_deref(), Some("env"));
        let k = |n: &str| c.keybinds[n].as_str().unwrap().to_string();
        assert_eq!(
            [k("a"), k("b"), k("c"), k("d")],
            ["x", "env", "up", "dot"].map(String::from)
        );
        assert_eq!(c.scroll_speed, Some(2.0));
        assert_eq!(c.diff_style, DiffStyle::Stacked);
        assert_eq!(c.sources.len(), 4, "{:?}", c.sources);
        // Disabled project config: only the global file and the env file.
        env.disable_project = true;
        let c = load_with(&env, &project);
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.keybinds["d"], json!("env"));
    }

    #[test]
    fn old_keys_in_opencode_json_apply_below_tui_json_and_only_without_one() {
        let (_t, env, project) = setup();
        let g = env.xdg_config_home.clone().unwrap().join("opencode");
        // Global: opencode.jsonc with old keys, no tui.json: they count.
        write(
            &g.join("opencode.jsonc"),
            "{\n // comment\n \"theme\": \"old\", \"tui\": {\"scroll_speed\": 6},\n}",
        );
        // Project: opencode.json beside a tui.json: ignored (opencode would not move it).
        write(
            &project.join("opencode.json"),
            r#"{"keybinds": {"session_new": "f7"}}"#,
        );
        write(&project.join("tui.json"), r#"{"keybinds": {"x": "y"}}"#);
        // .opencode: opencode.json alone: counts, above the project's tui.json.
        write(
            &project.join(".opencode/opencode.json"),
            r#"{"keybinds": {"x": "z"}}"#,
        );
        let before = std::fs::read_to_string(g.join("opencode.jsonc")).unwrap();
        let c = load_with(&env, &project);
        assert_eq!(c.theme.as_deref(), Some("old"));
        assert_eq!(c.scroll_speed, Some(6.0));
        assert!(!c.keybinds.contains_key("session_new"));
        assert_eq!(c.keybinds["x"], json!("z"));
        // Never written, nothing created.
        assert_eq!(
            std::fs::read_to_string(g.join("opencode.jsonc")).unwrap(),
            before
        );
        assert!(!g.join("tui.json").exists());
        assert!(!project.join(".opencode/tui.json").exists());
    }

    #[test]
    fn a_broken_file_is_skipped_with_a_problem() {
        let (_t, env, project) = setup();
        write(&project.join("tui.json"), "{ \"theme\": ");
        write(&project.join("tui.jsonc"), r#"{"theme": "ok"}"#);
        let c = load_with(&env, &project);
        assert_eq!(c.theme.as_deref(), Some("ok"));
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
        assert!(c.problems[0].contains("tui.json"));
    }
}
