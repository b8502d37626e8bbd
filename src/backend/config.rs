//! The opencode configuration we hand a spawned server: `OPENCODE_CONFIG_CONTENT` deep-merged
//! with `--config JSON|@FILE`, and the `--isolated` environment (private data dir, the user's
//! `auth.json`, the user's global config reduced to provider settings).

use crate::backend::rule_file::parse_jsonc;
use anyhow::{bail, Context};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Keys of the user's global config kept by `--isolated` (as py-opencode-wrapper does).
pub const PRESERVED_KEYS: [&str; 4] = [
    "$schema",
    "provider",
    "disabled_providers",
    "enabled_providers",
];

/// Deep-merges `over` into `base`: objects merge key by key, anything else replaces.
pub fn deep_merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        deep_merge(existing, v)
                    }
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// Parses `--config`: inline JSON, or `@FILE` holding JSON (or JSONC).
pub fn parse_config_arg(arg: &str) -> anyhow::Result<Value> {
    let (text, origin) = match arg.strip_prefix('@') {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("--config: cannot read {path}"))?,
            path.to_string(),
        ),
        None => (arg.to_string(), "--config".to_string()),
    };
    let value: Value = parse_jsonc(&text).with_context(|| {
        format!("{origin}: not valid JSON (expected an object like '{{\"permission\":{{\"bash\":\"ask\"}}}}')")
    })?;
    if !value.is_object() {
        bail!("{origin}: the config must be a JSON object");
    }
    Ok(value)
}

/// The merged `OPENCODE_CONFIG_CONTENT`: the inherited variable, then `--config` over it.
pub fn merged_config_content(
    inherited: Option<&str>,
    arg: Option<&str>,
) -> anyhow::Result<Option<String>> {
    let mut merged = match inherited {
        Some(s) if !s.trim().is_empty() => {
            parse_jsonc(s).context("OPENCODE_CONFIG_CONTENT is not valid JSON")?
        }
        _ => Value::Object(Map::new()),
    };
    if let Some(a) = arg {
        deep_merge(&mut merged, &parse_config_arg(a)?);
    }
    if merged.as_object().is_some_and(Map::is_empty) {
        return Ok(None);
    }
    Ok(Some(merged.to_string()))
}

/// A private environment for a spawned server (`--isolated`): a 0700 directory (0700
/// folders, 0600 files inside) named `ocw-tui-iso-<pid>-*` in the temp dir, removed on drop;
/// one left behind by a process that is gone (kill -9) is removed at the next start.
pub struct Isolation {
    /// Held for its drop (removes the directory); nothing reads it.
    _dir: tempfile::TempDir,
    pub env: Vec<(String, String)>,
    pub remove_env: Vec<String>,
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// Creates `dir` and its missing parents with mode 0700.
fn private_dirs(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

/// Writes a new file with mode 0600.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?
        .write_all(text.as_bytes())
}

/// The prefix of an isolated dir's name; the pid of its owner follows.
const ISO_PREFIX: &str = "ocw-tui-iso-";

/// Removes the isolated dirs in `base` (ours, not links) whose process is gone; returns
/// how many.
pub fn remove_stale(base: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let Ok(rd) = std::fs::read_dir(base) else {
        return 0;
    };
    let mut removed = 0;
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(ISO_PREFIX)
            .and_then(|r| r.split('-').next())
            .and_then(|p| p.parse::<i32>().ok())
        else {
            continue;
        };
        let ours = std::fs::symlink_metadata(e.path())
            .is_ok_and(|m| m.is_dir() && m.uid() == crate::sys::euid());
        if ours
            && pid != std::process::id() as i32
            && !crate::sys::pid_exists(pid)
            && std::fs::remove_dir_all(e.path()).is_ok()
        {
            tracing::info!(dir = %e.path().display(), "removed a stale --isolated dir");
            removed += 1;
        }
    }
    removed
}

fn sanitize_dir(src: &Path, dst: &Path) -> anyhow::Result<()> {
    private_dirs(dst)?;
    for name in ["opencode.json", "opencode.jsonc", "config.json"] {
        let Ok(text) = std::fs::read_to_string(src.join(name)) else {
            continue;
        };
        let Ok(Value::Object(obj)) = parse_jsonc(&text) else {
            continue;
        };
        let kept: Map<String, Value> = obj
            .into_iter()
            .filter(|(k, _)| PRESERVED_KEYS.contains(&k.as_str()))
            .collect();
        write_private(&dst.join(name), &Value::Object(kept).to_string())?;
    }
    Ok(())
}

impl Isolation {
    pub fn new() -> anyhow::Result<Isolation> {
        Isolation::new_in(&std::env::temp_dir())
    }

    /// [`Isolation::new`] in `base` (tests).
    pub fn new_in(base: &Path) -> anyhow::Result<Isolation> {
        use std::os::unix::fs::PermissionsExt;
        remove_stale(base);
        let dir = tempfile::Builder::new()
            .prefix(&format!("{ISO_PREFIX}{}-", std::process::id()))
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir_in(base)?;
        let real_data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home().join(".local/share"));
        let real_config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home().join(".config"));
        let data = dir.path().join("data");
        private_dirs(&data.join("opencode"))?;
        let auth = real_data.join("opencode/auth.json");
        if auth.is_file() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(&auth, data.join("opencode/auth.json"))?;
        }
        let xdg = dir.path().join("xdg");
        sanitize_dir(&real_config.join("opencode"), &xdg.join("opencode"))?;
        let test_home = dir.path().join("home");
        sanitize_dir(&home().join(".opencode"), &test_home.join(".opencode"))?;
        let env = vec![
            ("XDG_DATA_HOME".to_string(), data.display().to_string()),
            ("XDG_CONFIG_HOME".to_string(), xdg.display().to_string()),
            (
                "OPENCODE_TEST_HOME".to_string(),
                test_home.display().to_string(),
            ),
        ];
        Ok(Isolation {
            _dir: dir,
            env,
            remove_env: vec!["OPENCODE_CONFIG".into(), "OPENCODE_CONFIG_DIR".into()],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn config_arg_deep_merges_over_inherited() {
        let merged = merged_config_content(
            Some(r#"{"permission":{"bash":"ask"},"model":"a/b"}"#),
            Some(r#"{"permission":{"edit":"deny"}}"#),
        )
        .unwrap()
        .unwrap();
        let v: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(
            v,
            json!({"permission":{"bash":"ask","edit":"deny"},"model":"a/b"})
        );
    }

    #[test]
    fn jsonc_comments_and_trailing_commas_are_stripped() {
        let v: Value = parse_jsonc("{\n // c\n \"a\": \"//x\", /* b */ \"b\": [1,2,],\n}").unwrap();
        assert_eq!(v, json!({"a":"//x","b":[1,2]}));
    }

    #[test]
    fn bad_config_says_what_is_wrong() {
        let e = parse_config_arg("{nope").unwrap_err();
        assert!(format!("{e:#}").contains("not valid JSON"));
        assert!(parse_config_arg("@/does/not/exist.json").is_err());
    }

    #[test]
    fn an_isolated_dir_is_private_and_stale_ones_are_removed() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        // One left by a process that is gone, one by a live process (us), one not ours.
        let mut gone = std::process::Command::new("true").spawn().unwrap();
        let dead = gone.id();
        gone.wait().unwrap();
        let stale = base.path().join(format!("{ISO_PREFIX}{dead}-abc"));
        std::fs::create_dir_all(stale.join("data")).unwrap();
        let live = base.path().join(format!("{ISO_PREFIX}1-abc"));
        std::fs::create_dir_all(&live).unwrap();
        let other = base.path().join("ocw-tui-other");
        std::fs::create_dir_all(&other).unwrap();
        let iso = Isolation::new_in(base.path()).unwrap();
        assert!(!stale.exists(), "the dead process's dir is removed");
        assert!(live.exists() && other.exists());
        let root = iso._dir.path();
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!("{ISO_PREFIX}{}-", std::process::id())),
            "{name}"
        );
        let mode = |p: &Path| std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(root), 0o700);
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let m = std::fs::symlink_metadata(&p).unwrap();
                if m.is_dir() {
                    assert_eq!(mode(&p), 0o700, "{}", p.display());
                    stack.push(p);
                } else if m.is_file() {
                    assert_eq!(mode(&p), 0o600, "{}", p.display());
                }
            }
        }
        let path = root.to_path_buf();
        drop(iso);
        assert!(!path.exists(), "removed on drop");
    }
}
