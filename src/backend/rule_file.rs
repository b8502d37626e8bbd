//! Saving an "always" permission rule into the project's opencode config the way a person
//! would: only the new rule is inserted (comments, key order and formatting stay byte for
//! byte, via a JSONC concrete syntax tree), into the file opencode itself reads, written
//! atomically (a temp file in the same folder, then rename, keeping the file's mode).

use anyhow::{bail, Context};
use jsonc_parser::cst::{CstInputValue, CstNode, CstObject, CstRootNode};
use jsonc_parser::ParseOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The project file an "always" rule goes to. opencode reads `opencode.json`, then merges
/// `opencode.jsonc` over it (measured on 1.18.33), so a rule in the `.jsonc` wins: use it
/// when it exists, else `opencode.json` (created when neither exists).
pub fn rule_file(project: &Path) -> PathBuf {
    let jsonc = project.join("opencode.jsonc");
    if jsonc.is_file() {
        jsonc
    } else {
        project.join("opencode.json")
    }
}

/// Parses JSON with comments and trailing commas (opencode's config syntax) into a value.
pub fn parse_jsonc(text: &str) -> Result<serde_json::Value, jsonc_parser::errors::ParseError> {
    jsonc_parser::parse_to_serde_value(text, &ParseOptions::default())
}

/// Adds `"permission": {PERMISSION: {PATTERN: "allow"}}` to the project's config file and
/// returns its path. A plain action already there (`"bash": "ask"`) becomes the `"*"` entry,
/// so it still applies to everything else. Each pattern ends up last in its object, because
/// opencode lets the last matching rule win.
pub fn save_always_rule(
    project: &Path,
    permission: &str,
    patterns: &[String],
) -> anyhow::Result<PathBuf> {
    let path = rule_file(project);
    // Follow a symlinked config to the real file, so the rename replaces the file, not the link.
    let target = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    let text = match std::fs::read_to_string(&target) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            "{\n  \"$schema\": \"https://opencode.ai/config.json\"\n}\n".to_string()
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let edited = insert_rule(&text, permission, patterns).with_context(|| {
        format!(
            "{} was left unchanged; fix it by hand, or add the rule there yourself",
            path.display()
        )
    })?;
    write_atomically(&target, &edited)?;
    Ok(path)
}

/// The config text with the rule inserted; everything else is kept as it was.
pub fn insert_rule(text: &str, permission: &str, patterns: &[String]) -> anyhow::Result<String> {
    let root = CstRootNode::parse(text, &ParseOptions::default())
        .map_err(|e| anyhow::anyhow!("it is not valid JSON(C): {e}"))?;
    let top = match root.value() {
        None => root.object_value_or_set(),
        Some(_) => root
            .object_value()
            .context("its top level is not a JSON object")?,
    };
    let allow = |ps: &[String]| -> Vec<(String, CstInputValue)> {
        ps.iter()
            .map(|p| (p.clone(), CstInputValue::String("allow".into())))
            .collect()
    };
    let perms = match top.get("permission") {
        None => {
            top.append(
                "permission",
                CstInputValue::Object(vec![(
                    permission.to_string(),
                    CstInputValue::Object(allow(patterns)),
                )]),
            );
            return finish(&root, permission, patterns);
        }
        Some(prop) => match prop.value() {
            Some(v) if v.as_object().is_some() => v.as_object().expect("checked"),
            Some(v) if v.as_string_lit().is_some() => {
                // `"permission": "ask"` applies to every tool: keep it as the `"*"` entry.
                let action = string_of(&v);
                let mut entries = vec![("*".to_string(), CstInputValue::String(action))];
                entries.push((
                    permission.to_string(),
                    CstInputValue::Object(allow(patterns)),
                ));
                prop.set_value(CstInputValue::Object(entries));
                return finish(&root, permission, patterns);
            }
            _ => bail!("its \"permission\" is neither an object nor an action string"),
        },
    };
    match perms.get(permission) {
        None => {
            perms.append(permission, CstInputValue::Object(allow(patterns)));
        }
        Some(prop) => match prop.value() {
            Some(v) if v.as_object().is_some() => {
                append_last(&v.as_object().expect("checked"), patterns);
            }
            Some(v) if v.as_string_lit().is_some() => {
                let action = string_of(&v);
                let mut entries = vec![("*".to_string(), CstInputValue::String(action))];
                entries.extend(allow(patterns));
                prop.set_value(CstInputValue::Object(entries));
            }
            _ => bail!("its \"permission\".\"{permission}\" is neither an object nor an action"),
        },
    }
    finish(&root, permission, patterns)
}

/// The decoded text of a string node (`"ask"` if it cannot be decoded).
fn string_of(v: &CstNode) -> String {
    v.as_string_lit()
        .and_then(|s| s.decoded_value().ok())
        .unwrap_or_else(|| "ask".to_string())
}

/// Puts each `pattern: "allow"` last in `obj` (an existing entry for it moves to the end).
fn append_last(obj: &CstObject, patterns: &[String]) {
    for p in patterns {
        if let Some(existing) = obj.get(p) {
            let props = obj.properties();
            let is_last =
                props.last().map(|l| l.property_index()) == Some(existing.property_index());
            let allows = existing
                .value()
                .is_some_and(|v| v.as_string_lit().is_some() && string_of(&v) == "allow");
            if is_last && allows {
                continue;
            }
            existing.remove();
        }
        obj.append(p, CstInputValue::String("allow".into()));
    }
}

/// Checks the edit reads back as intended before anything is written.
fn finish(root: &CstRootNode, permission: &str, patterns: &[String]) -> anyhow::Result<String> {
    let out = root.to_string();
    let v = parse_jsonc(&out).context("the edited config does not parse (nothing written)")?;
    for p in patterns {
        if v["permission"][permission][p.as_str()] != "allow" {
            bail!("the edited config does not hold the rule (nothing written)");
        }
    }
    Ok(out)
}

/// Writes `text` to `path` through a temp file in the same folder and a rename, so a reader
/// never sees half a file; an existing file's permission bits are kept.
pub fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".opencode-config-")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temp file in {}", dir.display()))?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    let mode = match std::fs::metadata(path) {
        Ok(m) => m.permissions(),
        Err(_) => {
            use std::os::unix::fs::PermissionsExt;
            std::fs::Permissions::from_mode(0o644)
        }
    };
    std::fs::set_permissions(tmp.path(), mode)?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
