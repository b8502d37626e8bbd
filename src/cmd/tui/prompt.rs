//! The TUI's prompt extras that talk to the server in their own tasks, so neither the
//! event stream nor typing waits for them: the `@` picker's file search (debounced) and
//! `!` shell commands (the server holds the request until the command ends).

use crate::backend::client::Client;
use crate::ui::prompt::mention::FIND_LIMIT;
use crate::ui::UiInput;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// Keystrokes closer together than this ask the server once (for the last query).
pub const FIND_DEBOUNCE: Duration = Duration::from_millis(80);

/// Searches the project's files for `query` after [`FIND_DEBOUNCE`], unless a newer
/// search was asked meanwhile; the answer comes back tagged with its query.
pub fn spawn_find(
    client: &Client,
    ui: &UnboundedSender<UiInput>,
    latest: &Arc<AtomicU64>,
    query: String,
) {
    let me = latest.fetch_add(1, Ordering::SeqCst) + 1;
    let (client, ui, latest) = (client.clone(), ui.clone(), latest.clone());
    tokio::spawn(async move {
        tokio::time::sleep(FIND_DEBOUNCE).await;
        if latest.load(Ordering::SeqCst) != me {
            return;
        }
        match client.find_files(&query, FIND_LIMIT).await {
            Ok(paths) => {
                let _ = ui.send(UiInput::FileResults { query, paths });
            }
            Err(e) => {
                let _ = ui.send(UiInput::Note {
                    text: format!("cannot search files: {e}"),
                    error: true,
                });
            }
        }
    });
}

/// Runs a `!` command in the session's shell. The output arrives on the event stream; a
/// refusal (409: the session works) gives the command back to the input.
pub fn spawn_shell(
    client: &Client,
    ui: &UnboundedSender<UiInput>,
    agent: Option<&str>,
    session_id: String,
    command: String,
) {
    let (client, ui) = (client.clone(), ui.clone());
    let agent = agent.unwrap_or("build").to_string();
    tokio::spawn(async move {
        if let Err(e) = client.shell(&session_id, &agent, &command).await {
            let error = match &e {
                crate::backend::ClientError::Status { status: 409, .. } => {
                    "the session is busy: a shell command is not queued, run it once the turn ends"
                        .to_string()
                }
                e => e.to_string(),
            };
            let _ = ui.send(UiInput::PromptFailed {
                session_id,
                text: format!("!{command}"),
                error,
            });
        }
    });
}
