//! Compose the prompt in `$VISUAL` / `$EDITOR` (else `vi`): `/editor` or Ctrl+X E (the
//! leader key of opencode and readline's edit-and-execute; `editor_open` in the keymap,
//! ui/keymap). The key only asks
//! ([`Action::OpenEditor`](crate::ui::Action::OpenEditor)); the live loop (`terminal.rs`) then suspends the TUI (raw mode
//! off, main screen, mouse and paste off, its key reader stopped), runs the editor on a
//! temp file holding the input, restores the screen and puts the edited text in the input.
//! If the editor cannot start or fails, the screen is restored all the same, the input is
//! kept and a note says why. The editor string goes through `sh -c` (like git), so
//! `code --wait` works.

use crate::ui::app::App;

/// A terminal that can be given to another program and taken back (the live UI's
/// `Screen`).
pub trait Suspend {
    fn suspend(&mut self);
    fn resume(&mut self, mouse: bool) -> anyhow::Result<()>;
}

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs the editor on the input (the loop calls it for `Action::OpenEditor`); `mouse`:
/// whether the mouse is captured (given back as it was). Errors are only those of putting
/// the TUI back.
pub(crate) async fn compose(
    screen: &mut impl Suspend,
    app: &mut App,
    mouse: bool,
) -> anyhow::Result<()> {
    let editor = editor_command();
    let text = app.prompt.input.text();
    let file = match tempfile::Builder::new()
        .prefix("ocw-tui-prompt-")
        .suffix(".md")
        .tempfile()
        // A text file ends with a newline (what editors expect and write back).
        .and_then(|f| std::fs::write(f.path(), format!("{text}\n")).map(|()| f))
    {
        Ok(f) => f,
        Err(e) => {
            app.note(
                format!("cannot write a temp file for the editor: {e}"),
                true,
            );
            return Ok(());
        }
    };
    screen.suspend();
    let status = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .await;
    screen.resume(mouse)?;
    let shown = crate::safe_text::one_line(&editor).into_owned();
    match status {
        Err(e) => app.note(
            format!("cannot start the editor `{shown}`: {e}; the prompt is unchanged"),
            true,
        ),
        Ok(s) if !s.success() => {
            let code = s.code().map_or("a signal".to_string(), |c| c.to_string());
            let why = if s.code() == Some(127) {
                " (not found?)"
            } else {
                ""
            };
            app.note(
                format!("the editor `{shown}` failed (exit {code}{why}); the prompt is unchanged"),
                true,
            );
        }
        Ok(_) => match std::fs::read_to_string(file.path()) {
            Ok(mut edited) => {
                // Editors end the file with a newline; the prompt does not.
                while edited.ends_with('\n') || edited.ends_with('\r') {
                    edited.pop();
                }
                app.prompt.input.set_text(&edited);
                app.note("prompt edited in the editor: Enter sends it", false);
            }
            Err(e) => app.note(
                format!("cannot read the edited prompt: {e}; the prompt is unchanged"),
                true,
            ),
        },
    }
    Ok(())
}
