//! Saving an "always" permission rule into the project's opencode config the way a person
//! would: only the new rule is inserted (comments, key order and formatting stay byte for
//! byte, via a JSONC concrete syntax tree), for one agent (`agent.<name>.permission`) or for
//! every agent (`permission`), never repeating a key, into the file opencode itself reads,
//! written atomically (a temp file in the same folder, then rename, keeping the file's mode).

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

/// Where a saved rule applies: to one agent (`agent.<name>.permission`, which opencode
/// appends after the global rules, so it wins for that agent only) or to every agent
/// (the top-level `permission`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Agent(&'a str),
    Every,
}

/// Adds `{PERMISSION: {PATTERN: "allow"}}` under `permission` (or under
/// `agent.<name>.permission` for [`Scope::Agent`]) of the project's config file and returns
/// its path. A plain action already there (`"edit": "ask"`) becomes the `"*"` entry, so it
/// still applies to everything else; no key is ever written twice.
pub fn save_always_rule(
    project: &Path,
    scope: Scope,
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
    let edited = insert_rule(&text, scope, permission, patterns).with_context(|| {
        format!(
            "{} was left unchanged; fix it by hand, or add the rule there yourself",
            path.display()
        )
    })?;
    write_atomically(&target, &edited)?;
    Ok(path)
}

/// The config text with the rule inserted; everything else is kept as it was. Each pattern
/// ends up as the last entry of its object (opencode lets the last matching rule win): an
/// entry already last is updated in place, one followed by others is moved to the end.
pub fn insert_rule(
    text: &str,
    scope: Scope,
    permission: &str,
    patterns: &[String],
) -> anyhow::Result<String> {
    let root = CstRootNode::parse(text, &ParseOptions::default())
        .map_err(|e| anyhow::anyhow!("it is not valid JSON(C): {e}"))?;
    let dups_before = duplicate_keys(&root);
    let top = match root.value() {
        None => root.object_value_or_set(),
        Some(_) => root
            .object_value()
            .context("its top level is not a JSON object")?,
    };
    let base = match scope {
        Scope::Every => top,
        Scope::Agent(name) => {
            let agents = child_object(&top, "agent", "\"agent\"")?;
            child_object(&agents, name, &format!("\"agent\".\"{name}\""))?
        }
    };
    let allow = |ps: &[String]| -> Vec<(String, CstInputValue)> {
        let mut out: Vec<(String, CstInputValue)> = Vec::new();
        for p in ps {
            if !out.iter().any(|(k, _)| k == p) {
                out.push((p.clone(), CstInputValue::String("allow".into())));
            }
        }
        out
    };
    let perms = match base.get("permission") {
        None => {
            base.append(
                "permission",
                CstInputValue::Object(vec![(
                    permission.to_string(),
                    CstInputValue::Object(allow(patterns)),
                )]),
            );
            return finish(&root, dups_before, scope, permission, patterns);
        }
        Some(prop) => match prop.value() {
            Some(v) if v.as_object().is_some() => v.as_object().context("not an object")?,
            Some(v) if v.as_string_lit().is_some() => {
                // `"permission": "ask"` applies to every tool: keep it as the `"*"` entry.
                let action = string_of(&v);
                let entries = vec![
                    ("*".to_string(), CstInputValue::String(action)),
                    (
                        permission.to_string(),
                        CstInputValue::Object(allow(patterns)),
                    ),
                ];
                prop.set_value(CstInputValue::Object(entries));
                return finish(&root, dups_before, scope, permission, patterns);
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
                put_last(&v.as_object().context("not an object")?, patterns);
            }
            Some(v) if v.as_string_lit().is_some() => {
                // `"edit": "ask"` becomes `{"*": "ask", PATTERN: "allow"}`; a pattern `*`
                // replaces that entry rather than repeating the key.
                let action = string_of(&v);
                let mut entries = vec![("*".to_string(), CstInputValue::String(action))];
                for (k, val) in allow(patterns) {
                    match entries.iter_mut().find(|(e, _)| *e == k) {
                        Some(e) => e.1 = val,
                        None => entries.push((k, val)),
                    }
                }
                prop.set_value(CstInputValue::Object(entries));
            }
            _ => bail!("its \"permission\".\"{permission}\" is neither an object nor an action"),
        },
    }
    finish(&root, dups_before, scope, permission, patterns)
}

/// The object under `key` of `obj`, created empty when missing.
fn child_object(obj: &CstObject, key: &str, what: &str) -> anyhow::Result<CstObject> {
    if obj.get(key).is_none() {
        obj.append(key, CstInputValue::Object(Vec::new()));
    }
    obj.object_value(key)
        .with_context(|| format!("its {what} is not an object"))
}

/// The decoded text of a string node (`"ask"` if it cannot be decoded).
fn string_of(v: &CstNode) -> String {
    v.as_string_lit()
        .and_then(|s| s.decoded_value().ok())
        .unwrap_or_else(|| "ask".to_string())
}

/// Makes `pattern: "allow"` the last entry of `obj` for each pattern, never leaving the key
/// twice: a single entry already last is updated in place; otherwise every entry with that
/// name is removed and one is appended.
fn put_last(obj: &CstObject, patterns: &[String]) {
    for p in patterns {
        let props = obj.properties();
        let same: Vec<_> = props
            .iter()
            .filter(|q| q.decoded_name().as_deref() == Some(p.as_str()))
            .cloned()
            .collect();
        let last_index = props.last().map(|l| l.property_index());
        if let [only] = same.as_slice() {
            if Some(only.property_index()) == last_index {
                let allows = only
                    .value()
                    .is_some_and(|v| v.as_string_lit().is_some() && string_of(&v) == "allow");
                if !allows {
                    only.set_value(CstInputValue::String("allow".into()));
                }
                continue;
            }
        }
        for q in same {
            q.remove();
        }
        obj.append(p, CstInputValue::String("allow".into()));
    }
}

/// How many object keys repeat an earlier key of the same object, in the whole document.
pub fn duplicate_keys(root: &CstRootNode) -> usize {
    fn walk(node: &CstNode) -> usize {
        let mut n = 0;
        if let Some(obj) = node.as_object() {
            let mut seen = std::collections::HashSet::new();
            for p in obj.properties() {
                if let Some(name) = p.decoded_name() {
                    if !seen.insert(name) {
                        n += 1;
                    }
                }
                if let Some(v) = p.value() {
                    n += walk(&v);
                }
            }
        } else if let Some(arr) = node.as_array() {
            for e in arr.elements() {
                n += walk(&e);
            }
        }
        n
    }
    root.value().map_or(0, |v| walk(&v))
}

/// Checks the edit reads back as intended, and repeats no key, before anything is written.
fn finish(
    root: &CstRootNode,
    dups_before: usize,
    scope: Scope,
    permission: &str,
    patterns: &[String],
) -> anyhow::Result<String> {
    let out = root.to_string();
    let v = parse_jsonc(&out).context("the edited config does not parse (nothing written)")?;
    let reread = CstRootNode::parse(&out, &ParseOptions::default())
        .map_err(|e| anyhow::anyhow!("the edited config does not parse: {e}"))?;
    if duplicate_keys(&reread) > dups_before {
        bail!("the edit would repeat a key (nothing written)");
    }
    let base = match scope {
        Scope::Every => &v,
        Scope::Agent(name) => &v["agent"][name],
    };
    for p in patterns {
        if base["permission"][permission][p.as_str()] != "allow" {
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
