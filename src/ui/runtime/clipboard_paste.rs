//! Ctrl+V: pasting from the system clipboard (opencode's `input_paste`), the read side of
//! clipboard.rs. The key only asks ([`Action::PasteClipboard`]); the terminal loop runs
//! [`read`] off the UI thread with a [`TIMEOUT`] and hands the result to [`apply`], which
//! pastes it like a terminal paste (the same focus rule: into the focused field only).
//! Tools tried in order: `wl-paste` (Wayland), `xclip`, `xsel` (X11), `pbpaste` (macOS).
//! An image on the clipboard (`image/png`, from wl-paste or xclip) is written to a private
//! temp file (0600) and pasted as its path, which becomes an `[Image N]` attachment as a
//! pasted image path does. Without a tool a note says what to install.
//!
//! [`Action::PasteClipboard`]: crate::ui::Action::PasteClipboard

use crate::ui::app::App;
use std::ffi::OsString;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The longest a clipboard tool may take.
pub const TIMEOUT: Duration = Duration::from_secs(2);

/// The largest clipboard content read (bytes).
const MAX_BYTES: usize = 50 * 1024 * 1024;

/// What the clipboard held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clip {
    Text(String),
    /// PNG bytes.
    Png(Vec<u8>),
}

/// Why nothing was pasted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClipError {
    #[error(
        "Ctrl+V: no clipboard tool found: install wl-clipboard (Wayland), xclip or xsel (X11); \
         your terminal's own paste (often Ctrl+Shift+V) works too"
    )]
    NoTool,
    #[error("Ctrl+V: the clipboard is empty")]
    Empty,
    #[error("Ctrl+V: {0}")]
    Failed(String),
}

/// Where to look for the tools: `PATH` and whether a Wayland display is set.
#[derive(Debug, Clone)]
pub struct ClipEnv {
    pub path: OsString,
    pub wayland: bool,
}

impl ClipEnv {
    /// This process's environment.
    pub fn current() -> ClipEnv {
        ClipEnv {
            path: std::env::var_os("PATH").unwrap_or_default(),
            wayland: std::env::var_os("WAYLAND_DISPLAY").is_some_and(|v| !v.is_empty()),
        }
    }
}

/// Runs one tool: `Ok(None)` when it is not installed.
fn run(env: &ClipEnv, program: &str, args: &[&str]) -> Result<Option<Vec<u8>>, ClipError> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", &env.path)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ClipError::Failed(format!("{program}: {e}"))),
        Ok(o) if o.status.success() => {
            let mut b = o.stdout;
            b.truncate(MAX_BYTES);
            Ok(Some(b))
        }
        Ok(o) => {
            let err = String::from_utf8_lossy(&o.stderr);
            let err = crate::safe_text::one_line(err.trim()).into_owned();
            Err(ClipError::Failed(format!("{program} failed: {err}")))
        }
    }
}

/// The tools, each as (program, args listing the types, args for a PNG, args for text).
type Tool = (
    &'static str,
    Option<&'static [&'static str]>,
    &'static [&'static str],
    &'static [&'static str],
);

const WL: Tool = (
    "wl-paste",
    Some(&["--list-types"]),
    &["--no-newline", "--type", "image/png"],
    &["--no-newline"],
);
const XCLIP: Tool = (
    "xclip",
    Some(&["-selection", "clipboard", "-o", "-t", "TARGETS"]),
    &["-selection", "clipboard", "-o", "-t", "image/png"],
    &["-selection", "clipboard", "-o"],
);
const XSEL: Tool = ("xsel", None, &[], &["--clipboard", "--output"]);
const PBPASTE: Tool = ("pbpaste", None, &[], &[]);

/// Reads the clipboard with the first tool that is installed (blocking: call it off the
/// UI thread).
pub fn read(env: &ClipEnv) -> Result<Clip, ClipError> {
    let tools: &[Tool] = if env.wayland {
        &[WL, XCLIP, XSEL, PBPASTE]
    } else {
        &[XCLIP, XSEL, WL, PBPASTE]
    };
    for (program, types, png, text) in tools {
        if let Some(types) = types {
            let Some(listed) = run(env, program, types)? else {
                continue;
            };
            if String::from_utf8_lossy(&listed)
                .lines()
                .any(|l| l.trim() == "image/png")
            {
                if let Some(b) = run(env, program, png)? {
                    if !b.is_empty() {
                        return Ok(Clip::Png(b));
                    }
                }
            }
        }
        let Some(b) = run(env, program, text)? else {
            continue;
        };
        if b.is_empty() {
            return Err(ClipError::Empty);
        }
        return Ok(Clip::Text(String::from_utf8_lossy(&b).into_owned()));
    }
    Err(ClipError::NoTool)
}

/// [`read`] off the UI thread, given up after [`TIMEOUT`].
pub async fn read_async() -> Result<Clip, ClipError> {
    let env = ClipEnv::current();
    match tokio::time::timeout(TIMEOUT, tokio::task::spawn_blocking(move || read(&env))).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(ClipError::Failed(e.to_string())),
        Err(_) => Err(ClipError::Failed(format!(
            "the clipboard tool did not answer within {} s",
            TIMEOUT.as_secs()
        ))),
    }
}

/// Writes a pasted image to a private temp file (kept: the prompt sends it later).
fn save_png(bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    let mut f = tempfile::Builder::new()
        .prefix("ocw-tui-clipboard-")
        .suffix(".png")
        .tempfile()?;
    f.write_all(bytes)?;
    let (_, path) = f.keep().map_err(|e| e.error)?;
    Ok(path)
}

/// Pastes what the clipboard held as a terminal paste would be (the focus rule decides
/// where it goes); an image becomes an attachment, an error a note.
pub fn apply(app: &mut App, clip: Result<Clip, ClipError>) {
    let text = match clip {
        Ok(Clip::Text(t)) => t,
        Ok(Clip::Png(b)) => match save_png(&b) {
            Ok(p) => p.display().to_string(),
            Err(e) => {
                app.note(format!("Ctrl+V: cannot save the image: {e}"), true);
                return;
            }
        },
        Err(e) => {
            app.note(e.to_string(), !matches!(e, ClipError::Empty));
            return;
        }
    };
    app.handle_event(crossterm::event::Event::Paste(text));
}
