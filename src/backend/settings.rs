//! ocw-tui's own settings, kept apart from opencode's files (opencode rejects keys it does
//! not know in opencode.json, and tui.json is opencode's too): one JSONC file,
//! `$XDG_CONFIG_HOME/ocw-tui/settings.json` (else `~/.config/ocw-tui/settings.json`).
//! Read only, and only from the person's own config directory: a cloned project can never
//! make ocw-tui run a command. Today it holds the status line command, in Claude Code's
//! shape: `{"statusLine": {"type": "command", "command": "~/bin/status.sh"}}`.

use std::path::{Path, PathBuf};

/// What the settings file says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// The status line command (`statusLine.command`).
    pub status_command: Option<String>,
}

/// The settings file's path, from `XDG_CONFIG_HOME` or `HOME`.
pub fn path(xdg_config_home: Option<&Path>, home: Option<&Path>) -> Option<PathBuf> {
    let base = match xdg_config_home.filter(|p| p.is_absolute()) {
        Some(x) => x.to_path_buf(),
        None => home?.join(".config"),
    };
    Some(base.join("ocw-tui").join("settings.json"))
}

/// Reads the settings; a missing file is the defaults. `Err`: a file that cannot be read
/// or understood, said in words (what to fix), with the defaults to go on with.
pub fn load() -> (Settings, Option<String>) {
    let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
    let Some(file) = path(env("XDG_CONFIG_HOME").as_deref(), env("HOME").as_deref()) else {
        return (Settings::default(), None);
    };
    match std::fs::read_to_string(&file) {
        Ok(text) => match parse(&text) {
            Ok(s) => (s, None),
            Err(e) => (
                Settings::default(),
                Some(format!(
                    "{}: {e}; its settings are not used",
                    file.display()
                )),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
        Err(e) => (
            Settings::default(),
            Some(format!("cannot read {}: {e}", file.display())),
        ),
    }
}

/// The settings in `text` (JSONC).
pub fn parse(text: &str) -> Result<Settings, String> {
    let v = crate::backend::rule_file::parse_jsonc(text).map_err(|e| e.to_string())?;
    let mut s = Settings::default();
    if let Some(line) = v.get("statusLine") {
        let kind = line
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("command");
        if kind != "command" {
            return Err(format!(
                "statusLine.type is {kind:?}; only \"command\" is known"
            ));
        }
        match line.get("command").and_then(|c| c.as_str()) {
            Some(c) if !c.trim().is_empty() => s.status_command = Some(expand_home(c)),
            _ => return Err("statusLine needs a \"command\" (a shell command line)".into()),
        }
    }
    Ok(s)
}

/// `~/x` is the home directory's `x`, as Claude Code's settings allow.
fn expand_home(command: &str) -> String {
    match (command.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) if !home.is_empty() => format!("{home}/{rest}"),
        _ => command.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_in_claude_codes_shape_with_comments() {
        let s = parse(
            r#"{
  // my status line
  "statusLine": {"type": "command", "command": "echo hi", "padding": 0},
}"#,
        )
        .unwrap();
        assert_eq!(s.status_command.as_deref(), Some("echo hi"));
        assert_eq!(parse("{}").unwrap(), Settings::default());
        assert!(parse(r#"{"statusLine": {"type": "static"}}"#)
            .unwrap_err()
            .contains("only \"command\""));
        assert!(parse(r#"{"statusLine": {}}"#)
            .unwrap_err()
            .contains("needs a"));
        assert!(parse("{nope").is_err());
    }

    #[test]
    fn the_file_is_in_the_persons_config_directory() {
        assert_eq!(
            path(Some(Path::new("/x")), Some(Path::new("/h"))),
            Some(PathBuf::from("/x/ocw-tui/settings.json"))
        );
        assert_eq!(
            path(Some(Path::new("rel")), Some(Path::new("/h"))),
            Some(PathBuf::from("/h/.config/ocw-tui/settings.json"))
        );
        assert_eq!(path(None, None), None);
    }
}
