//! What the TUI's link tells the UI besides events: notes, the server's slash commands, the
//! git branch.

use crate::backend::client::Client;
use crate::ui::UiInput;
use tokio::sync::mpsc::UnboundedSender;

/// The server's slash commands (`GET /command`), fetched in a task (never blocks the UI).
pub(super) fn fetch_commands(client: &Client, ui: &UnboundedSender<UiInput>) {
    let (client, ui) = (client.clone(), ui.clone());
    tokio::spawn(async move {
        match client.commands().await {
            Ok(list) => {
                let _ = ui.send(UiInput::ServerCommands(list));
            }
            Err(e) => note(&ui, format!("cannot list the server's commands: {e}"), true),
        }
    });
}

/// Watches the project's git branch (`.git/HEAD`, one `stat` every 2 s) for the status
/// bar: sends it at once and whenever it changes.
pub(super) fn watch_git_branch(project: std::path::PathBuf, ui: UnboundedSender<UiInput>) {
    tokio::spawn(async move {
        let mut head = crate::backend::git_head::Head::new(&project);
        while head.watched() {
            if let Some(branch) = head.changed() {
                if ui.send(UiInput::GitBranch(branch)).is_err() {
                    return;
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
    });
}

pub(super) fn note(ui: &UnboundedSender<UiInput>, text: String, error: bool) {
    let _ = ui.send(UiInput::Note { text, error });
}
