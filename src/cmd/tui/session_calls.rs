//! The TUI link's side of the session actions (issue 11): undo / redo, compact,
//! rename, delete, fork. Each runs the HTTP call and tells the UI the outcome in a note;
//! what changed on the server comes back over the event stream (logged, then shown).
//! `/compact` waits for the model's summary, so it runs in its own task: the link keeps
//! forwarding the compaction's events meanwhile.

use super::feed::note;
use super::link::TuiLink;
use crate::backend::client::ClientError;
use crate::backend::controller::SessionController;
use crate::ui::{Action, UiInput};

/// Said for a 409: revert and unrevert refuse a session that is working.
fn busy_or(e: &ClientError, what: &str) -> String {
    match e {
        ClientError::Status { status: 409, .. } => {
            format!("cannot {what}: the session is working (wait for the turn to end, or Esc aborts it)")
        }
        e => format!("cannot {what}: {e}"),
    }
}

impl TuiLink {
    /// Runs one session action; `Err` is the note to show.
    pub(super) async fn session_action(
        &mut self,
        action: Action,
        ctl: &mut SessionController,
    ) -> Result<(), String> {
        let c = self.client.clone();
        match action {
            Action::Revert {
                session_id,
                message_id,
            } => match c.revert(&session_id, &message_id).await {
                Ok(_) => {
                    note(
                        &self.ui,
                        "undone: the turn's changes are reverted and its prompt is back in the input (/redo brings them back)".into(),
                        false,
                    );
                    Ok(())
                }
                Err(e) => Err(busy_or(&e, "undo")),
            },
            Action::Unrevert { session_id } => match c.unrevert(&session_id).await {
                Ok(_) => {
                    note(&self.ui, "redone: the undone turns are back".into(), false);
                    Ok(())
                }
                Err(e) => Err(busy_or(&e, "redo")),
            },
            Action::Compact { session_id, model } => {
                let model = match self.model.clone().or(model) {
                    Some(m) => Some(m),
                    None => c.default_model().await.ok().flatten(),
                };
                let Some((provider, model)) = model
                    .as_deref()
                    .and_then(|m| m.split_once('/'))
                    .map(|(p, m)| (p.to_string(), m.to_string()))
                else {
                    return Err(
                        "cannot compact: no model known for this session (pass --model)".into(),
                    );
                };
                let ui = self.ui.clone();
                note(&ui, "compacting the session…".into(), false);
                tokio::spawn(async move {
                    match c.summarize(&session_id, &provider, &model).await {
                        Ok(()) => note(
                            &ui,
                            "compacted: the model now sees the summary".into(),
                            false,
                        ),
                        Err(e) => note(&ui, format!("cannot compact: {e}"), true),
                    }
                });
                Ok(())
            }
            Action::RenameSession { session_id, title } => {
                match c.rename_session(&session_id, &title).await {
                    Ok(_) => {
                        self.refresh_sessions(ctl).await;
                        Ok(())
                    }
                    Err(e) => Err(format!("cannot rename: {e}")),
                }
            }
            Action::DeleteSession { session_id, busy } => {
                // A busy session keeps running after DELETE: stop it first.
                if busy {
                    if let Err(e) = c.abort(&session_id).await {
                        return Err(format!("cannot stop the session before deleting it: {e}"));
                    }
                }
                let r = c.delete_session(&session_id).await;
                self.loaded.remove(&session_id);
                self.partial.remove(&session_id);
                self.refresh_sessions(ctl).await;
                match r {
                    Ok(()) => {
                        note(&self.ui, "session deleted".into(), false);
                        Ok(())
                    }
                    Err(e) => Err(format!("cannot delete: {e}")),
                }
            }
            Action::Fork {
                session_id,
                message_id,
            } => match c.fork_session(&session_id, message_id.as_deref()).await {
                Ok(info) => {
                    let id = info.id.clone();
                    self.loaded.insert(id.clone());
                    self.load_session(ctl, &id).await;
                    let _ = self.ui.send(UiInput::ShowSession(id));
                    self.refresh_sessions(ctl).await;
                    note(
                        &self.ui,
                        format!(
                            "forked into \"{}\"",
                            info.title.as_deref().unwrap_or("a new session")
                        ),
                        false,
                    );
                    Ok(())
                }
                Err(e) => Err(format!("cannot fork: {e}")),
            },
            _ => Ok(()),
        }
    }
}
