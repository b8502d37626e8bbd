//! Keeps the spawned server's password out of the processes it runs: a tiny opencode plugin
//! (written 0600 into a private 0700 temp dir, removed when the server is stopped) whose
//! `shell.env` hook blanks `OPENCODE_SERVER_PASSWORD` in the environment opencode builds
//! for the `bash` tool, the `!` shell (`POST /session/{id}/shell`) and terminals (PTY). It is
//! added to the `plugin` list of the config we pass, after the user's own plugins.

use serde_json::Value;

/// The plugin's source. opencode builds a tool's environment as `{...process.env, ...hook.env}`,
/// so the hook's value wins. It is blank rather than `undefined`: the bash tool and the `!`
/// shell would drop an `undefined` variable, but a terminal would get the text "undefined".
const PLUGIN_SOURCE: &str = r#"// Written by ocw-tui for the opencode server it started; removed when that server stops.
// Keeps the server's password out of the environment of the processes the agent runs.
export const OcwTuiHidePassword = async () => ({
  "shell.env": async (_input, output) => {
    output.env.OPENCODE_SERVER_PASSWORD = "";
  },
});
"#;

/// The plugin file on disk; the directory (and the file) go when this is dropped.
pub struct HidePasswordPlugin {
    dir: tempfile::TempDir,
}

impl HidePasswordPlugin {
    /// Writes the plugin into a fresh private directory (0700, the file 0600).
    pub fn write() -> std::io::Result<HidePasswordPlugin> {
        use std::io::Write;
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let dir = tempfile::Builder::new()
            .prefix("ocw-tui-plugin-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(dir.path().join("hide-password.js"))?;
        f.write_all(PLUGIN_SOURCE.as_bytes())?;
        f.sync_all()?;
        Ok(HidePasswordPlugin { dir })
    }

    /// The `file://` URL opencode loads it from.
    pub fn url(&self) -> String {
        let path = self.dir.path().join("hide-password.js");
        url::Url::from_file_path(&path)
            .map(String::from)
            .unwrap_or_else(|()| format!("file://{}", path.display()))
    }

    /// The directory holding the plugin (for tests).
    #[cfg(test)]
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }
}

/// `config` (the `OPENCODE_CONFIG_CONTENT` we pass, if any) with `plugin_url` appended to
/// its `plugin` list; a user's own entries stay first, in their order.
pub fn with_plugin(config: Option<&str>, plugin_url: &str) -> String {
    let mut value = config
        .and_then(|c| serde_json::from_str::<Value>(c).ok())
        .filter(Value::is_object)
        .unwrap_or_else(|| Value::Object(Default::default()));
    let Some(obj) = value.as_object_mut() else {
        return value.to_string();
    };
    let entry = Value::String(plugin_url.to_string());
    match obj.get_mut("plugin") {
        Some(Value::Array(list)) => list.push(entry),
        _ => {
            obj.insert("plugin".into(), Value::Array(vec![entry]));
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_plugin_is_private_and_goes_away() {
        use std::os::unix::fs::PermissionsExt;
        let p = HidePasswordPlugin::write().unwrap();
        let dir = p.dir().to_path_buf();
        let file = dir.join("hide-password.js");
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o700
        );
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(p.url().starts_with("file:///"));
        assert!(std::fs::read_to_string(&file)
            .unwrap()
            .contains("OPENCODE_SERVER_PASSWORD = \"\""));
        drop(p);
        assert!(!dir.exists());
    }

    #[test]
    fn the_plugin_goes_after_the_users_own() {
        let merged = with_plugin(
            Some(r#"{"plugin":["my-plugin","file:///x.js"],"model":"a/b"}"#),
            "file:///tmp/p.js",
        );
        let v: Value = serde_json::from_str(&merged).unwrap();
        assert_eq!(
            v,
            json!({"plugin":["my-plugin","file:///x.js","file:///tmp/p.js"],"model":"a/b"})
        );
        let v: Value = serde_json::from_str(&with_plugin(None, "file:///p.js")).unwrap();
        assert_eq!(v, json!({"plugin":["file:///p.js"]}));
    }
}
