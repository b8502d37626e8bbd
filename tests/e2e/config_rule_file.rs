//! Saving an "always" rule edits the project's opencode config the way a person would: only
//! the new rule is inserted (comments, key order, indentation and trailing commas kept), into
//! `opencode.jsonc` when the project uses it (no second `opencode.json` appears), atomically
//! and keeping the file's mode; and the real opencode then honours the rule.

use crate::support;

use ocw_tui::backend::rule_file::{insert_rule, save_always_rule, Scope};
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use support::{assert_no_opencode_left, ocw_tui_bin, MockModel, Workspace};

fn save(dir: &Path, permission: &str, pattern: &str) -> String {
    let path = save_always_rule(dir, Scope::Every, permission, &[pattern.to_string()]).unwrap();
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
    let err = save_always_rule(dir.path(), Scope::Every, "bash", &["ls".into()]).unwrap_err();
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
        save_always_rule(dir.path(), Scope::Every, "bash", &["ls".into()]).unwrap_err()
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
    save_always_rule(
        ws.project_dir(),
        Scope::Every,
        "bash",
        &["echo *".to_string()],
    )
    .unwrap();
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

fn rule(text: &str, scope: Scope, permission: &str, pattern: &str) -> String {
    insert_rule(text, scope, permission, &[pattern.to_string()]).unwrap()
}

/// The keys of the object at `pointer`, in file order, repeats included.
fn keys_of(text: &str, pointer: &str) -> Vec<String> {
    let root = jsonc_parser::cst::CstRootNode::parse(text, &Default::default()).unwrap();
    let mut o = root.object_value().unwrap();
    for k in pointer.trim_start_matches('/').split('/') {
        o = o.object_value(k).unwrap();
    }
    o.properties()
        .iter()
        .filter_map(|p| p.decoded_name())
        .collect()
}

#[test]
fn an_edit_ask_string_keeps_ask_as_the_catch_all_and_never_repeats_a_key() {
    let text = "{\n  // ask first\n  \"permission\": { \"edit\": \"ask\" }\n}\n";
    // The reported bug: `"edit": {"*": "ask", "*": "allow"}`.
    let out = rule(text, Scope::Every, "edit", "*");
    assert!(!out.contains("\"*\": \"ask\""), "{out}");
    assert_eq!(out.matches("\"*\"").count(), 1, "one `*` key: {out}");
    assert!(out.contains("// ask first"));
    let out = rule(text, Scope::Every, "edit", "src/*");
    assert_eq!(
        out,
        "{\n  // ask first\n  \"permission\": { \"edit\": {\n      \"*\": \"ask\",\n      \"src/*\": \"allow\"\n    } }\n}\n"
    );
    assert_eq!(keys_of(&out, "/permission/edit"), ["*", "src/*"]);
}

#[test]
fn an_agent_rule_goes_under_agent_name_permission_and_leaves_the_global_rule() {
    let text = "{\n  \"permission\": { \"edit\": \"ask\" }, // everyone asks\n  \"agent\": {\n    \"build\": { \"model\": \"a/b\" }\n  }\n}\n";
    let out = rule(text, Scope::Agent("build"), "edit", "*");
    assert_eq!(
        out,
        "{\n  \"permission\": { \"edit\": \"ask\" }, // everyone asks\n  \"agent\": {\n    \"build\": {\n      \"model\": \"a/b\",\n      \"permission\": {\n        \"edit\": {\n          \"*\": \"allow\"\n        }\n      }\n    }\n  }\n}\n"
    );
    // No `agent` key yet: one is added at the end.
    let out = rule(
        "{\n  \"permission\": { \"edit\": \"ask\" }\n}\n",
        Scope::Agent("build"),
        "edit",
        "*",
    );
    let v: Value = ocw_tui::backend::rule_file::parse_jsonc(&out).unwrap();
    assert_eq!(v["permission"]["edit"], "ask", "{out}");
    assert_eq!(
        v["agent"]["build"]["permission"]["edit"]["*"], "allow",
        "{out}"
    );
    // Saving it twice changes nothing.
    assert_eq!(rule(&out, Scope::Agent("build"), "edit", "*"), out);
}

#[test]
fn an_existing_last_entry_is_updated_in_place_and_a_repeated_key_is_collapsed() {
    let text =
        "{\"permission\": {\"bash\": {\"*\": \"ask\", \"git status *\": \"deny\" /* was */}}}";
    let out = rule(text, Scope::Every, "bash", "git status *");
    assert_eq!(
        out,
        "{\"permission\": {\"bash\": {\"*\": \"ask\", \"git status *\": \"allow\" /* was */}}}"
    );
    // A file that already repeats the key: one entry is left, last, allowing.
    let text =
        "{\"permission\": {\"bash\": {\"ls *\": \"deny\", \"*\": \"ask\", \"ls *\": \"deny\"}}}";
    let out = rule(text, Scope::Every, "bash", "ls *");
    assert_eq!(out.matches("\"ls *\"").count(), 1, "{out}");
    assert_eq!(keys_of(&out, "/permission/bash"), ["*", "ls *"]);
}

mod generated {
    use super::*;
    use proptest::prelude::*;

    fn action() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["ask", "allow", "deny"])
    }

    fn key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["*", "src/*", "git status *", "rm *"])
    }

    /// A permission value: absent, an action string, or an object (keys may repeat).
    fn perm_value() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            action().prop_map(|a| Some(format!("\"{a}\""))),
            prop::collection::vec((key(), action()), 0..5).prop_map(|kv| {
                let body: Vec<String> = kv
                    .iter()
                    .map(|(k, a)| format!("\"{k}\": \"{a}\" // {k}\n"))
                    .collect();
                Some(format!("{{ {} }}", body.join(", ")))
            }),
        ]
    }

    fn config() -> impl Strategy<Value = String> {
        (perm_value(), perm_value(), any::<bool>()).prop_map(|(top, agent, has_agent)| {
            let mut parts = vec!["\"model\": \"a/b\"".to_string()];
            if let Some(t) = top {
                parts.push(format!("\"permission\": {{ \"edit\": {t} }}"));
            }
            if has_agent {
                let inner = agent
                    .map(|a| format!("\"permission\": {{ \"edit\": {a} }}"))
                    .unwrap_or_default();
                parts.push(format!("\"agent\": {{ \"build\": {{ {inner} }} }}"));
            }
            format!("{{\n  // mine\n  {}\n}}\n", parts.join(",\n  "))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn the_rule_holds_is_last_repeats_no_key_and_keeps_the_rest(
            text in config(),
            pattern in key(),
            for_build in any::<bool>(),
        ) {
            let scope = if for_build { Scope::Agent("build") } else { Scope::Every };
            let before = ocw_tui::backend::rule_file::parse_jsonc(&text).unwrap();
            let out = insert_rule(&text, scope, "edit", &[pattern.to_string()]).unwrap();
            prop_assert!(out.contains("// mine"));
            let after = ocw_tui::backend::rule_file::parse_jsonc(&out).unwrap();
            let ptr = if for_build { "/agent/build/permission/edit" } else { "/permission/edit" };
            let obj = after.pointer(ptr).and_then(Value::as_object).unwrap();
            let names = keys_of(&out, ptr);
            prop_assert_eq!(names.last().map(String::as_str), Some(pattern));
            prop_assert_eq!(&obj[pattern], "allow");
            // No key repeated in the edited object (the text holds it once).
            let root = jsonc_parser::cst::CstRootNode::parse(&out, &Default::default()).unwrap();
            let root_before = jsonc_parser::cst::CstRootNode::parse(&text, &Default::default()).unwrap();
            prop_assert!(
                ocw_tui::backend::rule_file::duplicate_keys(&root)
                    <= ocw_tui::backend::rule_file::duplicate_keys(&root_before)
            );
            prop_assert_eq!(names.iter().filter(|n| *n == pattern).count(), 1, "{}", out);
            // A plain action stays the catch-all for everything else.
            let old = before.pointer(ptr);
            if let Some(Value::String(a)) = old {
                if pattern != "*" {
                    prop_assert_eq!(&obj["*"], a.as_str());
                }
            }
            // Everything outside the edited object is unchanged.
            let mut b = before.clone();
            let mut a = after.clone();
            for v in [&mut a, &mut b] {
                if let Some(p) = v.pointer_mut(ptr.rsplit_once('/').unwrap().0) {
                    p.as_object_mut().unwrap().remove("edit");
                }
            }
            let strip = |v: &mut Value| {
                // Containers the edit may have created empty.
                if let Some(build) = v.pointer_mut("/agent/build") {
                    if build.get("permission").and_then(Value::as_object).is_some_and(|o| o.is_empty()) {
                        build.as_object_mut().unwrap().remove("permission");
                    }
                }
                if v.pointer("/agent/build").and_then(Value::as_object).is_some_and(|o| o.is_empty()) {
                    v["agent"].as_object_mut().unwrap().remove("build");
                }
                if v.get("agent").and_then(Value::as_object).is_some_and(|o| o.is_empty()) {
                    v.as_object_mut().unwrap().remove("agent");
                }
                if v.get("permission").and_then(Value::as_object).is_some_and(|o| o.is_empty()) {
                    v.as_object_mut().unwrap().remove("permission");
                }
            };
            strip(&mut a);
            strip(&mut b);
            prop_assert_eq!(a, b, "{}", out);
        }
    }
}

/// The real opencode honours an agent-scoped rule: with `"edit": "ask"` in opencode.jsonc and
/// the rule saved for `build`, the build agent writes without asking while the plan agent
/// still asks (and, refused, writes nothing).
#[test]
fn opencode_honours_an_agent_scoped_rule_and_plan_still_asks() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let mut config = mock.opencode_config();
    config.as_object_mut().unwrap().remove("permission");
    std::fs::write(
        ws.project_dir().join("opencode.jsonc"),
        "{\n  // ask before every edit\n  \"permission\": {\"edit\": \"ask\"},\n}\n",
    )
    .unwrap();
    save_always_rule(
        ws.project_dir(),
        Scope::Agent("build"),
        "edit",
        &["*".to_string()],
    )
    .unwrap();
    let run = |agent: &str, prompt: &str| -> Value {
        let out = ws
            .command(ocw_tui_bin())
            .env("OPENCODE_CONFIG_CONTENT", config.to_string())
            .env("OPENCODE_BIN", support::opencode_bin())
            .args([
                "run",
                "--json",
                "--timeout",
                "60",
                "--agent",
                agent,
                "--dir",
            ])
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
    let build = run("build", "write: by_build.txt :: hi");
    let s = &build["sessions"][0];
    assert_eq!(
        s["permissions"],
        serde_json::json!([]),
        "build: no permission asked"
    );
    assert!(ws.project_dir().join("by_build.txt").exists());
    let plan = run("plan", "write: by_plan.txt :: hi");
    let s = &plan["sessions"][0];
    assert_eq!(s["permissions"][0]["permission"], "edit", "plan asks: {s}");
    assert_eq!(s["permissions"][0]["reply"], "reject");
    assert!(!ws.project_dir().join("by_plan.txt").exists());
    assert_no_opencode_left(&ws, 3);
}
