//! The TUI's link to the session controller: a task that loops over the controller's
//! events (already logged) and hands them to the UI, loads sessions and their history,
//! restarts a dead server (F5), and executes the actions the UI emits (`actions.rs`).

use super::feed::note;
use crate::backend::client::Client;
use crate::backend::controller::SessionController;
use crate::backend::fetch::{Fetched, Why};
use crate::backend::pump::{Connection, Logged, Pumped};
use crate::ui::{Action, ConnectionState, UiInput};
use std::path::PathBuf;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// Messages loaded when a session is opened (the newest); older ones follow when the user
/// scrolls to the top of the transcript (`Action::LoadOlder`). `OCW_HISTORY_PAGE` changes it
/// (for tests).
fn first_page() -> usize {
    std::env::var("OCW_HISTORY_PAGE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(100)
}

/// The TUI's side of the session controller: forwards its events to the UI (logged
/// first) and executes the actions the UI emits.
pub(super) struct TuiLink {
    pub(super) client: Client,
    /// Sessions whose history was loaded (resynchronised after a lost stream).
    pub(super) loaded: std::collections::HashSet<String>,
    /// Sessions whose older history has not been loaded yet.
    pub(super) partial: std::collections::HashSet<String>,
    pub(super) ui: UnboundedSender<UiInput>,
    pub(super) project: PathBuf,
    pub(super) model: Option<String>,
    pub(super) agent: Option<String>,
    /// The latest `@` file search asked for (older ones, still debouncing, give up).
    pub(super) find_gen: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The model's variant (reasoning effort) the prompts carry.
    pub(super) variant: Option<String>,
    /// The status line command's task (settings.json `statusLine`), if one is set.
    pub(super) status: Option<super::status_command::StatusRunner>,
    /// The prompt history file prompts are appended to (none with `--no-log`).
    pub(super) history_file: Option<PathBuf>,
    /// The sessions' text fetched for the search across sessions (session_text.rs).
    pub(super) texts: super::session_text::TextFetch,
}

impl TuiLink {
    /// Runs until the UI is gone; returns the session last prompted in or switched to
    /// (`resumed`: the one the TUI opened with `--session` / `--continue`), for the exit hint.
    pub(super) async fn serve(
        mut self,
        mut ctl: SessionController,
        mut actions: UnboundedReceiver<Action>,
        resumed: Option<String>,
    ) -> Option<String> {
        let mut last = resumed;
        loop {
            tokio::select! {
                pumped = ctl.next(&mut self.loaded) => {
                    let Some(pumped) = pumped else { break };
                    self.on_pumped(pumped);
                }
                action = actions.recv() => {
                    let Some(action) = action else { break };
                    if action == Action::Quit {
                        break;
                    }
                    match &action {
                        Action::Prompt { session_id, .. }
                        | Action::Shell { session_id, .. }
                        | Action::RunCommand { session_id, .. } => last = Some(session_id.clone()),
                        Action::SwitchSession(id) => last = Some(id.clone()),
                        _ => {}
                    }
                    if action == Action::RestartServer {
                        self.restart(&mut ctl).await;
                        continue;
                    }
                    self.execute(action, &mut ctl).await;
                }
            }
        }
        ctl.shutdown().await;
        last
    }

    /// What the pump hands out: an event (already logged: nothing is shown before it is
    /// on disk), the state of the connection, a failed fetch of the resync.
    fn on_pumped(&self, pumped: Pumped) {
        let state = match pumped {
            Pumped::Event(e) => return self.show(e),
            Pumped::FetchFailed(e) => return note(&self.ui, e, true),
            Pumped::Connection(c) => match c {
                Connection::Connected { .. } => ConnectionState::Connected,
                Connection::Reconnecting { attempt, error, .. } => {
                    ConnectionState::Reconnecting { attempt, error }
                }
                Connection::ServerExited { status, .. } => ConnectionState::ServerDied {
                    message: format!("opencode serve exited ({status})"),
                },
                Connection::StreamFailed { error } => {
                    ConnectionState::ServerDied { message: error }
                }
            },
        };
        let _ = self.ui.send(UiInput::Connection(state));
    }

    /// One logged event to the UI, after what to say about it.
    pub(super) fn show(&self, e: Logged) {
        if let Some(error) = e.log_error {
            // The UI says it once and keeps a marker (not a bell per event).
            let _ = self.ui.send(UiInput::LogFailed { error });
        }
        for n in e.notices {
            note(&self.ui, n, true);
        }
        let _ = self.ui.send(UiInput::Bus(e.event));
    }

    /// Fetched state on the path of streamed events: logged, then shown.
    pub(super) fn show_fetched(&mut self, ctl: &mut SessionController, fetched: Vec<Fetched>) {
        for e in ctl.log_fetched(fetched, &mut self.loaded) {
            self.show(e);
        }
    }

    /// A session's info and newest messages.
    pub(super) async fn load_session(&mut self, ctl: &mut SessionController, id: &str) {
        let (fetched, complete, errors) = ctl.load_session(id, Some(first_page())).await;
        self.show_fetched(ctl, fetched);
        for e in errors {
            note(&self.ui, e, true);
        }
        if !complete {
            self.partial.insert(id.to_string());
        }
    }

    /// The project's sessions for the list, and the marks of those already working or
    /// waiting (also ones busy in another client before we started): fetched, logged and
    /// shown as events (`fetch::list_marks`), so a replay shows the same marks.
    pub(super) async fn refresh_sessions(&mut self, ctl: &mut SessionController) {
        let client = self.client.clone();
        match client.list_sessions().await {
            Ok(list) => {
                let marks = crate::backend::fetch::list_marks(&client, Why::Load, &list).await;
                let _ = self.ui.send(UiInput::Sessions(list));
                match marks {
                    Ok(fetched) => self.show_fetched(ctl, fetched),
                    Err(e) => tracing::warn!(error = %e, "cannot fetch the sessions' statuses"),
                }
            }
            Err(e) => note(&self.ui, format!("cannot list sessions: {e}"), true),
        }
    }

    /// Requests already pending on the server get their dialogs at once.
    pub(super) async fn load_pending(&mut self, ctl: &mut SessionController) {
        if let Ok(fetched) = ctl.load_pending().await {
            self.show_fetched(ctl, fetched);
        }
    }

    /// Restarts a spawned server and reloads what the UI shows from it.
    async fn restart(&mut self, ctl: &mut SessionController) {
        let _ = self
            .ui
            .send(UiInput::Connection(ConnectionState::Connecting));
        match ctl.restart().await {
            Ok(()) => {
                self.client = ctl.server.client.clone();
                let _ = self
                    .ui
                    .send(UiInput::Connection(ConnectionState::Connected));
                for id in self.loaded.clone() {
                    self.load_session(ctl, &id).await;
                }
                // Nothing runs on a fresh server: the statuses say so (no stale "working").
                self.load_pending(ctl).await;
                let ids: Vec<String> = self.loaded.iter().cloned().collect();
                if let Ok(fetched) =
                    crate::backend::fetch::statuses(&self.client, Why::Load, &ids).await
                {
                    self.show_fetched(ctl, fetched);
                }
                self.refresh_sessions(ctl).await;
                note(&self.ui, "the server was restarted".into(), false);
            }
            Err(e) => {
                let _ = self
                    .ui
                    .send(UiInput::Connection(ConnectionState::ServerDied {
                        message: format!("restart failed: {e:#}"),
                    }));
            }
        }
    }
}
