//! opencode's `tui.json` settings as ocw-tui uses them: the layers read from disk (by
//! backend/tui_config.rs) merged in opencode 1.18.33's order, later wins per key, the
//! keybinds merged per name; values checked against opencode's schema; what we do not
//! use collected for one warning. Pure: no I/O.

use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// opencode's default leader timeout (ms).
pub const LEADER_TIMEOUT_MS: u64 = 2000;

/// `diff_style`: `auto` adapts to the width, `stacked` is never side by side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiffStyle {
    #[default]
    Auto,
    Stacked,
}

/// The merged settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TuiConfig {
    /// The theme's name (the themes feature chooses it).
    pub theme: Option<String>,
    /// Keybind name -> its value as written (a string, `false`, `"none"`, an object with
    /// `key`, or an array of those); the keymap (ui/keymap) reads it.
    pub keybinds: BTreeMap<String, Value>,
    pub leader_timeout_ms: Option<u64>,
    /// Lines per wheel notch (opencode: 3).
    pub scroll_speed: Option<f64>,
    pub scroll_acceleration: bool,
    pub diff_style: DiffStyle,
    /// The files read, in the order applied.
    pub sources: Vec<String>,
    /// Problems: a file that is no JSON object, a value of the wrong kind (ignored).
    pub problems: Vec<String>,
    /// Top-level keys read but not used by ocw-tui (`plugin`, `mouse`, ...).
    pub unused_keys: Vec<String>,
}

/// The old place of these settings: `theme`, `keybinds` and `tui: {scroll_speed, ...}` in
/// `opencode.json`, as a tui.json layer (opencode moves them into a tui.json next to it;
/// we read them where they are). `None` when it has none of them.
pub fn legacy_layer(config: &Value) -> Option<Value> {
    let obj = config.as_object()?;
    let mut out = Map::new();
    for k in ["theme", "keybinds"] {
        if let Some(v) = obj.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    if let Some(tui) = obj.get("tui").and_then(Value::as_object) {
        for k in ["scroll_speed", "scroll_acceleration", "diff_style"] {
            if let Some(v) = tui.get(k) {
                out.insert(k.to_string(), v.clone());
            }
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

impl TuiConfig {
    /// Merges layers (path, parsed JSON), first the lowest.
    pub fn from_layers(layers: &[(String, Value)]) -> TuiConfig {
        let mut merged = Map::new();
        let mut cfg = TuiConfig::default();
        for (path, value) in layers {
            let Some(obj) = value.as_object() else {
                cfg.problems
                    .push(format!("{path}: not a JSON object (skipped)"));
                continue;
            };
            cfg.sources.push(path.clone());
            for (k, v) in flatten_tui(obj) {
                if k == "keybinds" {
                    let Some(binds) = v.as_object() else {
                        cfg.problems
                            .push(format!("{path}: keybinds is not an object (ignored)"));
                        continue;
                    };
                    let slot = merged
                        .entry("keybinds")
                        .or_insert_with(|| Value::Object(Map::new()));
                    if let Some(m) = slot.as_object_mut() {
                        for (name, b) in binds {
                            m.insert(name.clone(), b.clone());
                        }
                    }
                } else if let Some(problem) = check(&k, &v) {
                    cfg.problems.push(format!("{path}: {problem} (ignored)"));
                } else {
                    merged.insert(k, v);
                }
            }
        }
        for (k, v) in merged {
            match k.as_str() {
                "theme" => cfg.theme = v.as_str().map(str::to_string),
                "keybinds" => {
                    if let Value::Object(m) = v {
                        cfg.keybinds = m.into_iter().collect();
                    }
                }
                "leader_timeout" => cfg.leader_timeout_ms = v.as_u64(),
                "scroll_speed" => cfg.scroll_speed = v.as_f64(),
                "scroll_acceleration" => {
                    cfg.scroll_acceleration = v["enabled"].as_bool().unwrap_or(false)
                }
                "diff_style" => {
                    cfg.diff_style = if v == "stacked" {
                        DiffStyle::Stacked
                    } else {
                        DiffStyle::Auto
                    }
                }
                "$schema" => {}
                _ => cfg.unused_keys.push(k),
            }
        }
        cfg
    }

    /// The leader timeout in ms (opencode's default 2000).
    pub fn leader_timeout(&self) -> u64 {
        self.leader_timeout_ms.unwrap_or(LEADER_TIMEOUT_MS)
    }
}

/// `{tui: {...}, rest}` -> `{...tui, ...rest}` (opencode accepts the settings under `tui`
/// too; the top level wins).
fn flatten_tui(obj: &Map<String, Value>) -> Vec<(String, Value)> {
    let mut out: Map<String, Value> = Map::new();
    if let Some(tui) = obj.get("tui").and_then(Value::as_object) {
        out.extend(tui.clone());
    }
    for (k, v) in obj {
        if k != "tui" {
            out.insert(k.clone(), v.clone());
        }
    }
    out.into_iter().collect()
}

/// What is wrong with a used key's value, by opencode's schema; `None` when it is fine (or
/// not one we use).
fn check(key: &str, v: &Value) -> Option<String> {
    let ok = match key {
        "theme" => v.is_string(),
        "leader_timeout" => v.as_u64().is_some_and(|n| n > 0),
        "scroll_speed" => v.as_f64().is_some_and(|n| n >= 0.001),
        "scroll_acceleration" => v.get("enabled").is_some_and(Value::is_boolean),
        "diff_style" => v == "auto" || v == "stacked",
        _ => return None,
    };
    (!ok).then(|| format!("{key}: {v} is not valid"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn layers(v: &[Value]) -> TuiConfig {
        let l: Vec<(String, Value)> = v
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("layer{i}"), v.clone()))
            .collect();
        TuiConfig::from_layers(&l)
    }

    #[test]
    fn later_layers_win_per_key_and_keybinds_merge_per_name() {
        let c = layers(&[
            json!({"theme": "gruvbox", "keybinds": {"session_new": "ctrl+g", "leader": "ctrl+a"}, "scroll_speed": 5}),
            json!({"keybinds": {"session_new": "<leader>z"}, "diff_style": "stacked"}),
            json!({"theme": "nord"}),
        ]);
        assert_eq!(c.theme.as_deref(), Some("nord"));
        assert_eq!(c.keybinds["session_new"], json!("<leader>z"));
        assert_eq!(c.keybinds["leader"], json!("ctrl+a"), "kept from layer 0");
        assert_eq!(c.scroll_speed, Some(5.0));
        assert_eq!(c.diff_style, DiffStyle::Stacked);
        assert_eq!(c.sources, vec!["layer0", "layer1", "layer2"]);
    }

    #[test]
    fn settings_under_tui_count_and_the_top_level_wins() {
        let c = layers(&[json!({
            "tui": {"scroll_speed": 2, "diff_style": "stacked", "scroll_acceleration": {"enabled": true}},
            "scroll_speed": 7
        })]);
        assert_eq!(c.scroll_speed, Some(7.0));
        assert_eq!(c.diff_style, DiffStyle::Stacked);
        assert!(c.scroll_acceleration);
    }

    #[test]
    fn invalid_values_are_ignored_with_a_problem_and_unused_keys_are_listed() {
        let c = layers(&[
            json!({"scroll_speed": 9, "leader_timeout": 500}),
            json!({"scroll_speed": 0, "diff_style": "split", "leader_timeout": -1, "mouse": false, "$schema": "x"}),
            json!([1, 2]),
        ]);
        assert_eq!(
            c.scroll_speed,
            Some(9.0),
            "the bad value did not replace it"
        );
        assert_eq!(c.leader_timeout(), 500);
        assert_eq!(c.diff_style, DiffStyle::Auto);
        assert_eq!(c.problems.len(), 4, "{:?}", c.problems);
        assert_eq!(c.unused_keys, vec!["mouse"]);
        assert_eq!(TuiConfig::default().leader_timeout(), 2000);
    }

    #[test]
    fn the_legacy_keys_of_opencode_json_make_a_layer() {
        let cfg = json!({"model": "a/b", "theme": "ayu", "keybinds": {"session_new": "f9"},
            "tui": {"scroll_speed": 4, "other": 1}});
        assert_eq!(
            legacy_layer(&cfg),
            Some(json!({"theme": "ayu", "keybinds": {"session_new": "f9"}, "scroll_speed": 4}))
        );
        assert_eq!(legacy_layer(&json!({"model": "a/b"})), None);
    }
}
