//! opencode's theme file format, read and resolved: a JSON object with `defs` (named
//! colours) and `theme` (about 50 colour keys such as `primary`, `text`, `diffAdded`,
//! `syntaxKeyword`). Each value is a hex colour (`#rgb`, `#rrggbb`, `#rrggbbaa`), an ANSI
//! index (0 to 255: drawn as that index of the terminal's palette), the name of a def or of
//! another theme key, `{ "dark": …, "light": … }` (one per background), or `"none"` /
//! `"transparent"` (no colour: the terminal's own). A file that breaks a rule (unknown
//! reference, a cycle, a bad value) is rejected whole, with the reason.

use ratatui::style::Color;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// How many references one value may go through (a file from a cloned project could
/// chain thousands to exhaust the stack).
const MAX_DEPTH: usize = 32;

/// The background a theme is drawn for: each `{dark, light}` value picks by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    Dark,
    Light,
}

impl Variant {
    fn key(self) -> &'static str {
        match self {
            Variant::Dark => "dark",
            Variant::Light => "light",
        }
    }
}

/// A theme file as read: its defs and its colour keys, not yet resolved.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    defs: Map<String, Value>,
    theme: Map<String, Value>,
}

/// The colour keys of a theme for one variant: `Some(None)` is `"none"` (no colour).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resolved {
    colors: HashMap<String, Option<Color>>,
}

impl Resolved {
    /// The key's colour: `None` when the theme does not have the key, `Some(None)` when
    /// it says `"none"`.
    pub fn get(&self, key: &str) -> Option<Option<Color>> {
        self.colors.get(key).copied()
    }

    /// The first of `keys` the theme has (its fallbacks in order).
    pub fn first(&self, keys: &[&str]) -> Option<Color> {
        keys.iter().find_map(|k| self.get(k)).flatten()
    }
}

/// Reads a theme file; the `theme` object is required, `defs` optional.
pub fn parse(text: &str) -> Result<ThemeFile, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let Value::Object(mut root) = v else {
        return Err("not a JSON object".into());
    };
    let theme = match root.remove("theme") {
        Some(Value::Object(t)) => t,
        Some(_) => return Err("\"theme\" is not an object".into()),
        None => return Err("no \"theme\" object".into()),
    };
    let defs = match root.remove("defs") {
        Some(Value::Object(d)) => d,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err("\"defs\" is not an object".into()),
    };
    Ok(ThemeFile { defs, theme })
}

/// `#rgb`, `#rrggbb` or `#rrggbbaa` (alpha 0 is no colour; other alphas are opaque).
pub fn hex(s: &str) -> Option<Option<Color>> {
    let h = s.strip_prefix('#')?;
    if !h.is_ascii() {
        return None;
    }
    let v = |i: usize, n: usize| u8::from_str_radix(h.get(i..i + n)?, 16).ok();
    let (r, g, b, a) = match h.len() {
        3 => (v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17, 255),
        6 => (v(0, 2)?, v(2, 2)?, v(4, 2)?, 255),
        8 => (v(0, 2)?, v(2, 2)?, v(4, 2)?, v(6, 2)?),
        _ => return None,
    };
    Some((a != 0).then_some(Color::Rgb(r, g, b)))
}

impl ThemeFile {
    /// Every colour key resolved for `variant`. Keys that are not colours in opencode's
    /// format (`thinkingOpacity`) are left out.
    pub fn resolve(&self, variant: Variant) -> Result<Resolved, String> {
        let mut colors = HashMap::new();
        for (key, value) in &self.theme {
            if key == "thinkingOpacity" {
                continue;
            }
            let c = self
                .value(value, variant, &mut Vec::new())
                .map_err(|e| format!("{key}: {e}"))?;
            colors.insert(key.clone(), c);
        }
        Ok(Resolved { colors })
    }

    /// One value; `seen`: the references followed to get here (a cycle is an error).
    fn value(
        &self,
        v: &Value,
        variant: Variant,
        seen: &mut Vec<String>,
    ) -> Result<Option<Color>, String> {
        match v {
            Value::String(s) if s == "none" || s == "transparent" => Ok(None),
            Value::String(s) if s.starts_with('#') => {
                hex(s).ok_or_else(|| format!("{s:?} is not a hex colour"))
            }
            Value::String(name) => {
                if seen.len() >= MAX_DEPTH {
                    return Err(format!("references nested deeper than {MAX_DEPTH}"));
                }
                if seen.contains(name) {
                    seen.push(name.clone());
                    return Err(format!("circular reference {}", seen.join(" -> ")));
                }
                let target = self
                    .defs
                    .get(name)
                    .or_else(|| self.theme.get(name))
                    .ok_or_else(|| format!("{name:?} is neither a def nor a theme key"))?;
                seen.push(name.clone());
                let c = self.value(target, variant, seen);
                seen.pop();
                c
            }
            Value::Number(n) => match n.as_u64() {
                Some(i) if i < 256 => Ok(Some(Color::Indexed(i as u8))),
                _ => Err(format!("{n} is not an ANSI index (0 to 255)")),
            },
            Value::Object(o) => {
                let side = o
                    .get(variant.key())
                    .ok_or_else(|| format!("no \"{}\" value", variant.key()))?;
                self.value(side, variant, seen)
            }
            other => Err(format!("{other} is not a colour")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolve(v: Value, variant: Variant) -> Result<Resolved, String> {
        parse(&v.to_string())?.resolve(variant)
    }

    #[test]
    fn hex_forms() {
        assert_eq!(hex("#fab283"), Some(Some(Color::Rgb(0xfa, 0xb2, 0x83))));
        assert_eq!(hex("#abc"), Some(Some(Color::Rgb(0xaa, 0xbb, 0xcc))));
        assert_eq!(hex("#01020300"), Some(None), "alpha 0 is no colour");
        assert_eq!(hex("#010203ff"), Some(Some(Color::Rgb(1, 2, 3))));
        assert_eq!(hex("#12345"), None);
        assert_eq!(hex("#gggggg"), None);
        assert_eq!(hex("#ééé"), None);
    }

    #[test]
    fn def_references_dark_light_ansi_and_none() {
        let t = json!({
            "defs": {"orange": "#fab283", "blueish": {"dark": "#5c9cf5", "light": 4}},
            "theme": {
                "primary": "orange",
                "secondary": "blueish",
                "accent": {"dark": "primary", "light": "#000000"},
                "text": 15,
                "background": "none",
                "backgroundPanel": "transparent",
            }
        });
        let dark = resolve(t.clone(), Variant::Dark).unwrap();
        let light = resolve(t, Variant::Light).unwrap();
        let orange = Color::Rgb(0xfa, 0xb2, 0x83);
        assert_eq!(dark.get("primary"), Some(Some(orange)));
        assert_eq!(
            dark.get("secondary"),
            Some(Some(Color::Rgb(0x5c, 0x9c, 0xf5)))
        );
        assert_eq!(light.get("secondary"), Some(Some(Color::Indexed(4))));
        // A theme key may name another theme key.
        assert_eq!(dark.get("accent"), Some(Some(orange)));
        assert_eq!(light.get("accent"), Some(Some(Color::Rgb(0, 0, 0))));
        assert_eq!(dark.get("text"), Some(Some(Color::Indexed(15))));
        assert_eq!(dark.get("background"), Some(None));
        assert_eq!(dark.get("backgroundPanel"), Some(None));
        assert_eq!(dark.get("diffAdded"), None, "absent key");
        assert_eq!(dark.first(&["diffAdded", "primary"]), Some(orange));
    }

    #[test]
    fn a_def_wins_over_a_theme_key_of_the_same_name() {
        let t =
            json!({"defs": {"text": "#111111"}, "theme": {"text": "#222222", "primary": "text"}});
        let r = resolve(t, Variant::Dark).unwrap();
        assert_eq!(r.get("primary"), Some(Some(Color::Rgb(0x11, 0x11, 0x11))));
    }

    #[test]
    fn broken_files_say_why() {
        let err = |v: Value| resolve(v, Variant::Dark).unwrap_err();
        assert!(err(json!({"theme": {"primary": "nope"}})).contains("\"nope\""));
        let e = err(json!({"theme": {"primary": "secondary", "secondary": "primary"}}));
        assert!(e.contains("circular"), "{e}");
        assert!(err(json!({"theme": {"primary": 300}})).contains("ANSI index"));
        assert!(err(json!({"theme": {"primary": "#12"}})).contains("hex"));
        assert!(err(json!({"theme": {"primary": {"light": "#123456"}}})).contains("\"dark\""));
        assert!(err(json!({"theme": {"primary": true}})).contains("not a colour"));
        assert!(err(json!({"defs": {}})).contains("no \"theme\""));
        assert!(parse("{").unwrap_err().contains("not JSON"));
        assert!(parse("[]").unwrap_err().contains("object"));
    }

    #[test]
    fn a_deep_chain_of_references_is_an_error_not_a_crash() {
        let mut defs = serde_json::Map::new();
        for i in 0..100_000 {
            defs.insert(format!("d{i}"), json!(format!("d{}", i + 1)));
        }
        defs.insert("d100000".into(), json!("#ffffff"));
        let t = json!({"defs": defs, "theme": {"primary": "d0"}});
        let e = resolve(t, Variant::Dark).unwrap_err();
        assert!(e.contains("deeper than"), "{e}");
        // A short chain is fine.
        let t = json!({"defs": {"a": "b", "b": "c", "c": "#010203"}, "theme": {"primary": "a"}});
        let r = resolve(t, Variant::Dark).unwrap();
        assert_eq!(r.get("primary"), Some(Some(Color::Rgb(1, 2, 3))));
    }

    #[test]
    fn thinking_opacity_is_not_a_colour() {
        let t = json!({"theme": {"text": "#ffffff", "thinkingOpacity": 0.5}});
        let r = resolve(t, Variant::Dark).unwrap();
        assert_eq!(r.get("thinkingOpacity"), None);
    }
}
