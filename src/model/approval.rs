//! Approval modes: ask (the default), accept edits, auto. What each answers by itself (a
//! permission request, never a question), the transcript line an automatic answer leaves
//! ("auto-allowed: edit src/x.rs"), and the client record (`ocw.auto_allowed`) that keeps
//! that line in the session log next to the server's own `permission.replied`.
//!
//! A mode only ever answers `once`, and only what the server asks: a `deny` rule of the
//! config never reaches a client (opencode refuses the tool itself), so no mode overrides
//! one. Accept edits allows a file edit (opencode 1.18.33 asks `edit` for the edit, write
//! and apply_patch tools) when every file it touches resolves (links followed) inside the
//! project, and none is the project's opencode config, `.opencode/` or `.git/` (an edit
//! there could allow itself more); anything else asks.

use super::event::PermissionRequest;
use serde_json::Value;
use std::path::{Component, Path, PathBuf};

/// How permission requests are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ApprovalMode {
    /// Every request opens a dialog.
    #[default]
    Ask,
    /// File edits inside the project are allowed once automatically; anything else asks.
    Edits,
    /// Every request the config does not deny is allowed once automatically.
    Auto,
}

/// The type of the client record an automatic answer leaves in the session log.
pub const AUTO_ALLOWED_EVENT: &str = "ocw.auto_allowed";

/// The permission names of file edits (1.18.33 uses `edit` for edit, write and
/// apply_patch; the others are older tools' names).
const EDIT_PERMISSIONS: &[&str] = &["edit", "write", "patch", "multiedit"];

impl ApprovalMode {
    /// The flag's word: `ask`, `edits`, `auto`.
    pub fn name(self) -> &'static str {
        match self {
            ApprovalMode::Ask => "ask",
            ApprovalMode::Edits => "edits",
            ApprovalMode::Auto => "auto",
        }
    }

    /// The words the status bar and the notes use.
    pub fn words(self) -> &'static str {
        match self {
            ApprovalMode::Ask => "ask",
            ApprovalMode::Edits => "accept edits",
            ApprovalMode::Auto => "auto",
        }
    }

    /// What the mode does, in a sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            ApprovalMode::Ask => "every permission request asks you",
            ApprovalMode::Edits => {
                "file edits inside the project are allowed without asking; anything else asks"
            }
            ApprovalMode::Auto => {
                "every permission request the config does not deny is allowed without asking"
            }
        }
    }

    /// ask → accept edits → auto → ask.
    pub fn next(self) -> ApprovalMode {
        match self {
            ApprovalMode::Ask => ApprovalMode::Edits,
            ApprovalMode::Edits => ApprovalMode::Auto,
            ApprovalMode::Auto => ApprovalMode::Ask,
        }
    }

    /// `ask`, `edits` (or `accept-edits`), `auto`.
    pub fn parse(word: &str) -> Option<ApprovalMode> {
        match word.trim().to_ascii_lowercase().as_str() {
            "ask" => Some(ApprovalMode::Ask),
            "edits" | "accept-edits" | "accept edits" | "edit" => Some(ApprovalMode::Edits),
            "auto" => Some(ApprovalMode::Auto),
            _ => None,
        }
    }
}

/// True when `mode` answers `req` by itself (`once`). `project` is the project directory.
pub fn auto_allows(mode: ApprovalMode, req: &PermissionRequest, project: &Path) -> bool {
    match mode {
        ApprovalMode::Ask => false,
        ApprovalMode::Auto => true,
        ApprovalMode::Edits => is_project_edit(req, project),
    }
}

/// True for a file edit whose every file resolves inside `project` and is not one of the
/// files that steer the agent's own permissions (opencode config, `.opencode/`, `.git/`).
pub fn is_project_edit(req: &PermissionRequest, project: &Path) -> bool {
    if !EDIT_PERMISSIONS.contains(&req.permission.as_str()) {
        return false;
    }
    let Some(paths) = edit_paths(req) else {
        return false;
    };
    let root = resolve(project);
    !paths.is_empty()
        && paths.iter().all(|p| {
            let p = resolve(p);
            p.strip_prefix(&root)
                .is_ok_and(|rel| !rel.as_os_str().is_empty() && !steers_agent(rel))
        })
}

/// The absolute paths an edit request touches: `metadata.files[].filePath` / `movePath`
/// (apply_patch), else `metadata.filepath` (edit, write). `None` when one is missing or
/// not absolute (patterns are relative to the git worktree, which we do not know).
pub fn edit_paths(req: &PermissionRequest) -> Option<Vec<PathBuf>> {
    let abs = |v: &Value| -> Option<PathBuf> {
        let s = v.as_str()?;
        let p = PathBuf::from(s);
        p.is_absolute().then_some(p)
    };
    if let Some(files) = req.metadata.get("files").and_then(Value::as_array) {
        let mut out = Vec::new();
        for f in files {
            out.push(abs(f.get("filePath")?)?);
            if let Some(m) = f.get("movePath").filter(|m| !m.is_null()) {
                out.push(abs(m)?);
            }
        }
        return Some(out);
    }
    Some(vec![abs(req.metadata.get("filepath")?)?])
}

/// A path under the project that steers the agent: its opencode config, `.opencode/`,
/// `.git/`.
fn steers_agent(rel: &Path) -> bool {
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next().unwrap_or_default();
    let single = rel.components().count() == 1;
    first == ".git"
        || first == ".opencode"
        || (single && matches!(first.as_ref(), "opencode.json" | "opencode.jsonc"))
}

/// `p` made absolute-lexical (`.` and `..` folded), with the links of its longest existing
/// ancestor followed, so a link inside the project that points outside counts as outside.
fn resolve(p: &Path) -> PathBuf {
    let mut lexical = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other.as_os_str()),
        }
    }
    let mut head = lexical.clone();
    let mut tail = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&head) {
            let mut out = real;
            for t in tail.iter().rev() {
                out.push(t);
            }
            return out;
        }
        match (head.file_name().map(|n| n.to_os_string()), head.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name);
                head = parent.to_path_buf();
            }
            _ => return lexical,
        }
    }
}

/// The transcript line of an automatic answer: "auto-allowed: edit src/x.rs",
/// "auto-allowed: bash cargo test" (paths relative to the project when inside it).
pub fn auto_line(req: &PermissionRequest, project: &Path) -> String {
    let root = resolve(project);
    let what = match edit_paths(req).filter(|_| EDIT_PERMISSIONS.contains(&req.permission.as_str()))
    {
        Some(paths) if !paths.is_empty() => paths
            .iter()
            .map(|p| {
                let r = resolve(p);
                match r.strip_prefix(&root) {
                    Ok(rel) => rel.display().to_string(),
                    Err(_) => p.display().to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        _ => req
            .metadata
            .get("command")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| req.patterns.join(" ")),
    };
    let mut line = format!("auto-allowed: {} {}", req.permission, what.trim());
    if line.chars().count() > 200 {
        line = line.chars().take(199).collect::<String>() + "…";
    }
    line
}

/// The raw JSON of the client record for an automatic answer (one log line).
pub fn auto_record(req: &PermissionRequest, mode: ApprovalMode, line: &str) -> String {
    serde_json::json!({
        "type": AUTO_ALLOWED_EVENT,
        "properties": {
            "sessionID": req.session_id,
            "requestID": req.id,
            "mode": mode.name(),
            "text": line,
        }
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(permission: &str, metadata: Value) -> PermissionRequest {
        PermissionRequest {
            id: "per_1".into(),
            session_id: "ses_1".into(),
            permission: permission.into(),
            patterns: vec!["x".into()],
            metadata,
            ..Default::default()
        }
    }

    #[test]
    fn edits_inside_the_project_are_allowed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("proj");
        std::fs::create_dir_all(p.join("src")).unwrap();
        let edit = |f: &Path| req("edit", json!({ "filepath": f.to_str().unwrap() }));
        let m = ApprovalMode::Edits;
        assert!(auto_allows(m, &edit(&p.join("src/x.rs")), &p));
        assert!(
            auto_allows(m, &edit(&p.join("new/dir/y.rs")), &p),
            "a new file"
        );
        assert!(!auto_allows(m, &edit(&dir.path().join("other.rs")), &p));
        assert!(!auto_allows(m, &edit(&p.join("../proj2/x.rs")), &p));
        assert!(!auto_allows(m, &edit(&p.join("src/../../x.rs")), &p));
        assert!(!auto_allows(m, &edit(&p.join("opencode.json")), &p));
        assert!(!auto_allows(m, &edit(&p.join(".opencode/agent/a.md")), &p));
        assert!(!auto_allows(m, &edit(&p.join(".git/config")), &p));
        assert!(auto_allows(m, &edit(&p.join("docs/opencode.json")), &p));
        // A relative path (or none) is not known to be inside: ask.
        assert!(!auto_allows(
            m,
            &req("edit", json!({ "filepath": "src/x.rs" })),
            &p
        ));
        assert!(!auto_allows(m, &req("edit", json!({})), &p));
        // Not an edit: ask.
        let bash = req("bash", json!({ "command": "ls" }));
        assert!(!auto_allows(m, &bash, &p));
        let ext = req(
            "external_directory",
            json!({ "filepath": p.join("x").to_str() }),
        );
        assert!(!auto_allows(m, &ext, &p));
        // Ask answers nothing; auto everything asked.
        assert!(!auto_allows(
            ApprovalMode::Ask,
            &edit(&p.join("src/x.rs")),
            &p
        ));
        assert!(auto_allows(ApprovalMode::Auto, &bash, &p));
        assert!(auto_allows(ApprovalMode::Auto, &ext, &p));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_project_is_outside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("proj");
        let out = dir.path().join("elsewhere");
        std::fs::create_dir_all(&p).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink(&out, p.join("link")).unwrap();
        let r = req("edit", json!({ "filepath": p.join("link/x.rs").to_str() }));
        assert!(!auto_allows(ApprovalMode::Edits, &r, &p));
    }

    #[test]
    fn apply_patch_needs_every_file_inside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let files = |a: &Path, b: &Path| {
            req(
                "edit",
                json!({ "filepath": "a, b", "files": [
                    { "filePath": a.to_str(), "type": "update" },
                    { "filePath": b.to_str(), "type": "add" } ] }),
            )
        };
        let m = ApprovalMode::Edits;
        assert!(auto_allows(m, &files(&p.join("a"), &p.join("b")), p));
        assert!(!auto_allows(
            m,
            &files(&p.join("a"), Path::new("/etc/b")),
            p
        ));
        let moved = req(
            "edit",
            json!({ "files": [ { "filePath": p.join("a").to_str(), "movePath": "/tmp/zz" } ] }),
        );
        assert!(!auto_allows(m, &moved, p));
    }

    #[test]
    fn the_line_names_what_was_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let e = req("edit", json!({ "filepath": p.join("src/x.rs").to_str() }));
        assert_eq!(auto_line(&e, p), "auto-allowed: edit src/x.rs");
        let b = req("bash", json!({ "command": "cargo test" }));
        assert_eq!(auto_line(&b, p), "auto-allowed: bash cargo test");
        let w = req("webfetch", json!({}));
        assert_eq!(auto_line(&w, p), "auto-allowed: webfetch x");
        let rec: Value = serde_json::from_str(&auto_record(&b, ApprovalMode::Auto, "l")).unwrap();
        assert_eq!(rec["type"], AUTO_ALLOWED_EVENT);
        assert_eq!(rec["properties"]["requestID"], "per_1");
        assert_eq!(rec["properties"]["mode"], "auto");
    }

    #[test]
    fn modes_cycle_and_parse() {
        let m = ApprovalMode::Ask;
        assert_eq!(m.next(), ApprovalMode::Edits);
        assert_eq!(m.next().next(), ApprovalMode::Auto);
        assert_eq!(m.next().next().next(), ApprovalMode::Ask);
        assert_eq!(ApprovalMode::parse("EDITS"), Some(ApprovalMode::Edits));
        assert_eq!(ApprovalMode::parse("nope"), None);
    }
}
