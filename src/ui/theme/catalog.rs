//! Which themes exist: `system` (the terminal's palette), opencode's built-in themes
//! (its JSON files, shipped in `assets/themes/` and embedded in the binary) and custom
//! themes, as opencode finds them: `$XDG_CONFIG_HOME/opencode/themes/*.json` (else
//! `~/.config/opencode/themes/`), then `.opencode/themes/*.json` in the project and each
//! directory above it, the nearer one winning; a custom theme of a built-in's name
//! replaces it. A custom file that cannot be read or resolved is skipped with one
//! warning naming the file and the reason.

use super::format::{parse, ThemeFile, Variant};
use std::path::{Path, PathBuf};

/// opencode 1.18.33's built-in themes (names as opencode spells them), in its JSON format.
pub const BUILTIN: &[(&str, &str)] = &[
    ("aura", include_str!("../../../assets/themes/aura.json")),
    ("ayu", include_str!("../../../assets/themes/ayu.json")),
    (
        "carbonfox",
        include_str!("../../../assets/themes/carbonfox.json"),
    ),
    (
        "catppuccin",
        include_str!("../../../assets/themes/catppuccin.json"),
    ),
    (
        "catppuccin-frappe",
        include_str!("../../../assets/themes/catppuccin-frappe.json"),
    ),
    (
        "catppuccin-macchiato",
        include_str!("../../../assets/themes/catppuccin-macchiato.json"),
    ),
    (
        "cobalt2",
        include_str!("../../../assets/themes/cobalt2.json"),
    ),
    ("cursor", include_str!("../../../assets/themes/cursor.json")),
    (
        "dracula",
        include_str!("../../../assets/themes/dracula.json"),
    ),
    (
        "everforest",
        include_str!("../../../assets/themes/everforest.json"),
    ),
    (
        "flexoki",
        include_str!("../../../assets/themes/flexoki.json"),
    ),
    ("github", include_str!("../../../assets/themes/github.json")),
    (
        "gruvbox",
        include_str!("../../../assets/themes/gruvbox.json"),
    ),
    (
        "kanagawa",
        include_str!("../../../assets/themes/kanagawa.json"),
    ),
    (
        "lucent-orng",
        include_str!("../../../assets/themes/lucent-orng.json"),
    ),
    (
        "material",
        include_str!("../../../assets/themes/material.json"),
    ),
    ("matrix", include_str!("../../../assets/themes/matrix.json")),
    (
        "mercury",
        include_str!("../../../assets/themes/mercury.json"),
    ),
    (
        "monokai",
        include_str!("../../../assets/themes/monokai.json"),
    ),
    (
        "nightowl",
        include_str!("../../../assets/themes/nightowl.json"),
    ),
    ("nord", include_str!("../../../assets/themes/nord.json")),
    (
        "one-dark",
        include_str!("../../../assets/themes/one-dark.json"),
    ),
    (
        "opencode",
        include_str!("../../../assets/themes/opencode.json"),
    ),
    ("orng", include_str!("../../../assets/themes/orng.json")),
    (
        "osaka-jade",
        include_str!("../../../assets/themes/osaka-jade.json"),
    ),
    (
        "palenight",
        include_str!("../../../assets/themes/palenight.json"),
    ),
    (
        "rosepine",
        include_str!("../../../assets/themes/rosepine.json"),
    ),
    (
        "solarized",
        include_str!("../../../assets/themes/solarized.json"),
    ),
    (
        "synthwave84",
        include_str!("../../../assets/themes/synthwave84.json"),
    ),
    (
        "tokyonight",
        include_str!("../../../assets/themes/tokyonight.json"),
    ),
    ("vercel", include_str!("../../../assets/themes/vercel.json")),
    ("vesper", include_str!("../../../assets/themes/vesper.json")),
    (
        "zenburn",
        include_str!("../../../assets/themes/zenburn.json"),
    ),
];

/// A theme file larger than this is skipped (opencode's are under 10 kB).
const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The theme built from the terminal's own palette.
pub const SYSTEM: &str = "system";

/// Where a theme comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    System,
    Builtin,
    Custom(PathBuf),
}

/// One theme that can be chosen.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub source: Source,
    /// The file (none for `system`).
    pub file: Option<ThemeFile>,
}

/// Every theme, sorted by name, and the warnings of the custom files skipped.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub entries: Vec<Entry>,
    pub warnings: Vec<String>,
}

/// A file read and checked (both variants resolve), or why not.
fn check(text: &str) -> Result<ThemeFile, String> {
    let f = parse(text)?;
    f.resolve(Variant::Dark)?;
    f.resolve(Variant::Light)?;
    Ok(f)
}

/// The `.json` files of `dir`, by name (a missing directory has none).
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    v.sort();
    v
}

/// The directories custom themes are read from, the weakest first: the global one,
/// then `.opencode/themes` from the outermost directory above `project` down to it.
pub fn custom_dirs(project: &Path, config_home: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(c) = config_home {
        dirs.push(c.join("opencode").join("themes"));
    }
    let project = std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf());
    let mut up: Vec<PathBuf> = project
        .ancestors()
        .map(|a| a.join(".opencode").join("themes"))
        .collect();
    up.reverse();
    dirs.extend(up);
    dirs
}

/// `$XDG_CONFIG_HOME` (an absolute one), else `~/.config`.
pub fn config_home() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
}

impl Catalog {
    /// `system` and the built-ins.
    pub fn builtin() -> Catalog {
        let mut c = Catalog::default();
        c.put(Entry {
            name: SYSTEM.into(),
            source: Source::System,
            file: None,
        });
        for (name, text) in BUILTIN {
            match check(text) {
                Ok(f) => c.put(Entry {
                    name: (*name).into(),
                    source: Source::Builtin,
                    file: Some(f),
                }),
                Err(e) => c.warnings.push(format!("built-in theme {name}: {e}")),
            }
        }
        c
    }

    /// The built-ins plus the custom themes of `dirs` (weakest first).
    pub fn load(dirs: &[PathBuf]) -> Catalog {
        let mut c = Catalog::builtin();
        for dir in dirs {
            for path in json_files(dir) {
                let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                let read = match std::fs::metadata(&path) {
                    Ok(m) if m.len() > MAX_FILE_BYTES => {
                        Err(format!("larger than {} kB", MAX_FILE_BYTES / 1024))
                    }
                    _ => std::fs::read_to_string(&path).map_err(|e| e.to_string()),
                };
                match read.and_then(|t| check(&t)) {
                    Ok(f) => c.put(Entry {
                        name: name.to_string(),
                        source: Source::Custom(path.clone()),
                        file: Some(f),
                    }),
                    Err(e) => {
                        let w = format!("theme file {} skipped: {e}", path.display());
                        c.warnings.push(crate::safe_text::one_line(&w).into_owned());
                    }
                }
            }
        }
        c
    }

    /// Adds `e`, replacing a theme of the same name; keeps the list sorted.
    fn put(&mut self, e: Entry) {
        match self
            .entries
            .binary_search_by(|x| x.name.as_str().cmp(&e.name))
        {
            Ok(i) => self.entries[i] = e,
            Err(i) => self.entries.insert(i, e),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    pub fn names(&self) -> Vec<String> {
        self.entries.iter().map(|e| e.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_resolves_in_both_variants() {
        let c = Catalog::builtin();
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
        assert_eq!(c.entries.len(), BUILTIN.len() + 1);
        for want in [
            "opencode",
            "tokyonight",
            "gruvbox",
            "catppuccin",
            "nord",
            "system",
        ] {
            assert!(c.get(want).is_some(), "{want}");
        }
        // A fact from opencode's gruvbox: its dark background.
        let g = c.get("gruvbox").unwrap().file.as_ref().unwrap();
        let bg = g.resolve(Variant::Dark).unwrap().get("background");
        assert_eq!(bg, Some(Some(ratatui::style::Color::Rgb(0x28, 0x28, 0x28))));
    }

    #[test]
    fn custom_themes_nearer_wins_and_bad_files_warn() {
        let tmp = tempfile::tempdir().unwrap();
        let global = tmp.path().join("config");
        let project = tmp.path().join("work").join("proj");
        let gdir = global.join("opencode").join("themes");
        let pdir = project.join(".opencode").join("themes");
        let updir = tmp.path().join("work").join(".opencode").join("themes");
        for d in [&gdir, &pdir, &updir] {
            std::fs::create_dir_all(d).unwrap();
        }
        let theme = |c: &str| format!(r#"{{"theme": {{"primary": "{c}", "text": "{c}"}}}}"#);
        std::fs::write(gdir.join("mine.json"), theme("#111111")).unwrap();
        std::fs::write(updir.join("mine.json"), theme("#222222")).unwrap();
        std::fs::write(pdir.join("mine.json"), theme("#333333")).unwrap();
        std::fs::write(gdir.join("nord.json"), theme("#444444")).unwrap();
        std::fs::write(
            pdir.join("broken.json"),
            "{\"theme\": {\"primary\": \"nope\"}}",
        )
        .unwrap();
        std::fs::write(pdir.join("notes.txt"), "not a theme").unwrap();
        let c = Catalog::load(&custom_dirs(&project, Some(&global)));
        let primary = |n: &str| {
            let f = c.get(n).unwrap().file.as_ref().unwrap();
            f.resolve(Variant::Dark).unwrap().get("primary").flatten()
        };
        use ratatui::style::Color;
        assert_eq!(primary("mine"), Some(Color::Rgb(0x33, 0x33, 0x33)));
        assert_eq!(primary("nord"), Some(Color::Rgb(0x44, 0x44, 0x44)));
        assert!(matches!(c.get("nord").unwrap().source, Source::Custom(_)));
        assert!(c.get("broken").is_none());
        assert_eq!(c.warnings.len(), 1, "{:?}", c.warnings);
        assert!(c.warnings[0].contains("broken.json") && c.warnings[0].contains("nope"));
    }
}
