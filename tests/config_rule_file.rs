//! Saving an "always" rule edits the project's opencode config the way a person would: only
//! the new rule is inserted (comments, key order, indentation and trailing commas kept), into
//! `opencode.jsonc` when the project uses it (no second `opencode.json` appears), atomically
//! and keeping the file's mode; and the real opencode then honours the rule.

mod support;

use ocw_tui::backend::rule_file::save_always_rule;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::{assert_no_opencode_left, ocw_tui_bin, MockModel, Workspace};

fn save(dir: &Path, permission: &str, pattern: &str) -> String {
    let path = save_always_rule(dir, permission, &[pattern.to_string()]).unwrap();
    std::fs::read_to_string(path).unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

const HAND_WRITTEN: &str = r#"// Our project's opencode settings.
{
    "$schema": "https://opencode.ai/config.json",
    // the model we pay for
    "model": "a/b",
    "permission": {
        "edit": "deny", // never
        "bash": {
            "*": "ask",
            "rm *": "deny"
        }
    },
    "zeta": 1 /* last */
}
"#;

#[test]
fn a_commented_hand_formatted_file_gets_only_the_new_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("opencode.json");
    std::fs::write(&path, HAND_WRITTEN).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let text = save(dir.path(), "bash", "git status*");
    let expected = HAND_WRITTEN.replace(
        "            \"rm *\": \"deny\"\n",
        "            \"rm *\": \"deny\",\n            \"git status*\": \"allow\"\n",
    );
    assert_eq!(text, expected, "comments, order and indentation are kept");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600,
        "the file keeps its mode"
    );
    assert_eq!(files_in(dir.path()), ["opencode.json"], "no temp file left");
}

#[test]
fn a_jsonc_project_is_edited_in_place_and_gets_no_second_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = "{\n  // bash asks\n  \"permission\": {\n    \"bash\": \"ask\",\n  },\n}\n";
    std::fs::write(dir.path().join("opencode.jsonc"), original).unwrap();
    let text = save(dir.path(), "bash", "echo *");
    assert_eq!(
        text,
        "{\n  // bash asks\n  \"permission\": {\n    \"bash\": {\n      \"*\": \"ask\",\n      \"echo *\": \"allow\"\n    },\n  },\n}\n"
    );
    assert_eq!(files_in(dir.path()), ["opencode.jsonc"]);
}

#[test]
fn a_string_permission_becomes_the_catch_all_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opencode.json"),
        "{\n  \"model\": \"a/b\",\n  \"permission\": \"ask\"\n}\n",
    )
    .unwrap();
    let text = save(dir.path(), "bash", "ls*");
    assert_eq!(
        text,
        "{\n  \"model\": \"a/b\",\n  \"permission\": {\n    \"*\": \"ask\",\n    \"bash\": {\n      \"ls*\": \"allow\"\n    }\n  }\n}\n"
    );
}

#[test]
fn no_permission_key_appends_one_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opencode.json"),
        "{\n\t\"model\": \"a/b\"\n}\n",
    )
    .unwrap();
    let text = save(dir.path(), "edit", "src/*");
    assert_eq!(
        text,
        "{\n\t\"model\": \"a/b\",\n\t\"permission\": {\n\t\t\"edit\": {\n\t\t\t\"src/*\": \"allow\"\n\t\t}\n\t}\n}\n"
    );
}

#[test]
fn no_config_at_all_creates_opencode_json() {
    let dir = tempfile::tempdir().unwrap();
    let text = save(dir.path(), "edit", "src/*");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["$schema"], "https://opencode.ai/config.json");
    assert_eq!(v["permission"]["edit"]["src/*"], "allow");
    assert_eq!(files_in(dir.path()), ["opencode.json"]);
}

#[test]
fn an_existing_rule_for_the_pattern_moves_last_because_the_last_match_wins() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opencode.json"),
        "{\n  \"permission\": {\n    \"bash\": {\n      \"git *\": \"deny\",\n      \"*\": \"ask\"\n    }\n  }\n}\n",
    )
    .unwrap();
    let text = save(dir.path(), "bash", "git *");
    assert_eq!(
        text,
        "{\n  \"permission\": {\n    \"bash\": {\n      \"*\": \"ask\",\n      \"git *\": \"allow\"\n    }\n  }\n}\n"
    );
    // Saving it again changes nothing.
    assert_eq!(save(dir.path(), "bash", "git *"), text);
}

#[test]
fn a_broken_config_is_left_alone_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("opencode.json");
    std::fs::write(&path, "{\"model\": \"a/b\",,, oops").unwrap();
    let err = save_always_rule(dir.path(), "bash", &["ls".into()]).unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("left unchanged"), "{msg}");
    assert!(msg.contains("opencode.json"), "{msg}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "{\"model\": \"a/b\",,, oops"
    );
    std::fs::write(&path, "[1, 2]").unwrap();
    let msg = format!(
        "{:#}",
        save_always_rule(dir.path(), "bash", &["ls".into()]).unwrap_err()
    );
    assert!(msg.contains("not a JSON object"), "{msg}");
}

/// The real opencode reads the saved rule from `opencode.jsonc`: the same command runs with
/// no permission asked, while another command still asks.
#[test]
fn opencode_honours_the_saved_rule() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    // The permissions come from the project file only (the workspace's default config puts
    // bash on "ask" in OPENCODE_CONFIG_CONTENT, which would override the file).
    let mut config = mock.opencode_config();
    config.as_object_mut().unwrap().remove("permission");
    std::fs::write(
        ws.project_dir().join("opencode.jsonc"),
        "{\n  // ask before every command\n  \"permission\": {\"bash\": \"ask\"},\n}\n",
    )
    .unwrap();
    save_always_rule(ws.project_dir(), "bash", &["echo *".to_string()]).unwrap();
    assert!(!ws.project_dir().join("opencode.json").exists());
    let run = |prompt: &str| -> Value {
        let out = ws
            .command(ocw_tui_bin())
            .env("OPENCODE_CONFIG_CONTENT", config.to_string())
            .env("OPENCODE_BIN", support::opencode_bin())
            .args(["run", "--json", "--timeout", "60", "--dir"])
            .arg(ws.project_dir())
            .arg(prompt)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let allowed = run("bash: echo saved");
    let s = &allowed["sessions"][0];
    assert_eq!(
        s["permissions"],
        serde_json::json!([]),
        "no permission asked"
    );
    assert_eq!(s["tool_calls"][0]["status"], "completed");
    assert_eq!(s["final_text"], "Done: saved");
    let other = run("bash: ls");
    let s = &other["sessions"][0];
    assert_eq!(s["permissions"][0]["reply"], "reject", "ls still asks");
    assert_no_opencode_left(&ws, 3);
}
