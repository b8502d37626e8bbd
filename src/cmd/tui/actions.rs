//! What the TUI's link does for each action the UI emits: prompts, replies to requests,
//! sessions (new, switch, older history), rules, the side panel, `/export`, `!` and `@`,
//! server commands, the prompt's options. `Err` is the note to show.

use super::feed::{fetch_commands, note};
use super::link::TuiLink;
use crate::backend::client::PromptRequest;
use crate::backend::controller::SessionController;
use crate::backend::fetch::Why;
use crate::model::attach::typed_paths;
use crate::model::Event;
use crate::ui::{Action, UiInput};

impl TuiLink {
    /// Answers a permission request (a person's choice or an approval mode's): `Ok(true)`
    /// when sent, `Ok(false)` when it was already resolved (nothing sent).
    async fn reply_permission(
        &self,
        request_id: &str,
        reply: crate::model::PermissionReply,
        message: Option<&str>,
    ) -> Result<bool, String> {
        match self
            .client
            .reply_permission(request_id, reply, message)
            .await
        {
            Err(e) if e.is_not_found() => {
                note(
                    &self.ui,
                    "that request was already resolved; nothing sent".into(),
                    false,
                );
                Ok(false)
            }
            r => r.map(|()| true).map_err(|e| format!("reply refused: {e}")),
        }
    }

    pub(super) async fn execute(&mut self, action: Action, ctl: &mut SessionController) {
        let c = &self.client.clone();
        let result: Result<(), String> = match action {
            Action::Prompt {
                session_id,
                text,
                mut files,
                agents,
            } => {
                // A typed `@path` of a file in the project counts as picked.
                let project = std::path::Path::new(c.directory());
                let typed = typed_paths(&text, &files, |p| {
                    std::fs::metadata(project.join(p)).ok().map(|m| m.is_dir())
                });
                files.extend(typed);
                let request = PromptRequest {
                    text: &text,
                    files: &files,
                    agents: &agents,
                    model: self.model.as_deref(),
                    variant: self.variant.as_deref(),
                    agent: self.agent.as_deref(),
                };
                if let Err(e) = c.prompt(&session_id, &request).await {
                    // Never lost: the UI puts the text back into the input.
                    let _ = self.ui.send(UiInput::PromptFailed {
                        session_id,
                        text,
                        error: e.to_string(),
                    });
                }
                Ok(())
            }
            Action::Abort { session_id } => c
                .abort(&session_id)
                .await
                .map_err(|e| format!("cannot abort: {e}")),
            Action::ReplyPermission {
                request_id,
                reply,
                message,
            } => self
                .reply_permission(&request_id, reply, message.as_deref())
                .await
                .map(|_| ()),
            // A mode's answer takes the person's path; its line is logged once it was sent.
            Action::AutoAllow { request_id, record } => {
                let sent = self
                    .reply_permission(&request_id, crate::model::PermissionReply::Once, None)
                    .await;
                if let Ok(true) = sent {
                    if let Some(logged) = ctl.log_client_record(&record) {
                        self.show(logged);
                    }
                }
                sent.map(|_| ())
            }
            Action::ReplyQuestion {
                request_id,
                answers,
            } => match c.reply_question(&request_id, &answers).await {
                Err(e) if e.is_not_found() => {
                    note(
                        &self.ui,
                        "that question was already resolved; nothing sent".into(),
                        false,
                    );
                    Ok(())
                }
                r => r.map_err(|e| format!("answer refused: {e}")),
            },
            Action::RejectQuestion { request_id } => match c.reject_question(&request_id).await {
                Err(e) if e.is_not_found() => Ok(()),
                r => r.map_err(|e| format!("reject refused: {e}")),
            },
            Action::NewSession => match c.create_session().await {
                Ok(info) => {
                    let id = info.id.clone();
                    let _ = self.ui.send(UiInput::Bus(Event::SessionUpdated(info)));
                    self.loaded.insert(id.clone());
                    let _ = self.ui.send(UiInput::ShowSession(id));
                    fetch_commands(c, &self.ui);
                    self.refresh_sessions(ctl).await;
                    Ok(())
                }
                Err(e) => Err(format!("cannot create a session: {e}")),
            },
            Action::SwitchSession(id) => {
                if self.loaded.insert(id.clone()) {
                    self.load_session(ctl, &id).await;
                }
                let _ = self.ui.send(UiInput::ShowSession(id));
                fetch_commands(c, &self.ui);
                Ok(())
            }
            Action::RefreshSessions => {
                self.refresh_sessions(ctl).await;
                Ok(())
            }
            Action::FetchSessionText => {
                self.texts.start(c, &self.ui);
                Ok(())
            }
            Action::LoadOlder { session_id } => {
                if self.partial.remove(&session_id) {
                    match crate::backend::fetch::messages(c, Why::Load, &session_id, None).await {
                        Ok(all) => {
                            self.show_fetched(ctl, all);
                            Ok(())
                        }
                        Err(e) => {
                            self.partial.insert(session_id);
                            Err(format!("cannot load older messages: {e}"))
                        }
                    }
                } else {
                    Ok(())
                }
            }
            Action::SaveAlwaysRule {
                permission,
                patterns,
                agent,
            } => match crate::backend::rule_file::save_always_rule(
                &self.project,
                match &agent {
                    Some(a) => crate::backend::rule_file::Scope::Agent(a),
                    None => crate::backend::rule_file::Scope::Every,
                },
                &permission,
                &patterns,
            ) {
                Ok(path) => {
                    note(&self.ui, format!("saved to {}", path.display()), false);
                    Ok(())
                }
                Err(e) => Err(format!("cannot save the rule: {e:#}")),
            },
            Action::RestartServer => Ok(()),
            Action::StatusInput(json) => {
                if let Some(r) = &self.status {
                    r.input(json);
                }
                Ok(())
            }
            Action::Quit => Ok(()),
            // The terminal's own effects: carried out by the UI's loop, never sent here.
            Action::Notify(_)
            | Action::Copy(_)
            | Action::MouseCapture(_)
            | Action::OpenEditor
            | Action::Suspend => Ok(()),
            Action::PasteClipboard => Ok(()),
            Action::FetchDetails { session_id } => {
                match crate::backend::fetch::todos(c, Why::Load, &session_id).await {
                    Ok(f) => self.show_fetched(ctl, vec![f]),
                    Err(e) => note(&self.ui, format!("cannot fetch the todo list: {e}"), true),
                }
                let _ = self.ui.send(super::panel::servers(c).await);
                Ok(())
            }
            Action::Export { session_id, path } => {
                match super::panel::export(c, &session_id, &self.project, path.as_deref()).await {
                    Ok(done) => {
                        note(&self.ui, done, false);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Action::Shell {
                session_id,
                command,
            } => {
                super::prompt::spawn_shell(c, &self.ui, self.agent.as_deref(), session_id, command);
                Ok(())
            }
            Action::FindFiles { query } => {
                super::prompt::spawn_find(c, &self.ui, &self.find_gen, query);
                Ok(())
            }
            Action::RunCommand {
                session_id,
                command,
                arguments,
                text,
            } => {
                // The endpoint answers when the turn ends: a task, so nothing waits on it.
                let (c, ui) = (c.clone(), self.ui.clone());
                let (model, variant, agent) =
                    (self.model.clone(), self.variant.clone(), self.agent.clone());
                tokio::spawn(async move {
                    let r = c
                        .run_command(
                            &session_id,
                            &command,
                            &arguments,
                            model.as_deref(),
                            variant.as_deref(),
                            agent.as_deref(),
                        )
                        .await;
                    match r {
                        // The server reports a failed command as a session error too.
                        Err(
                            e @ crate::backend::client::ClientError::Status { status: 500, .. },
                        ) => note(&ui, format!("/{command} failed: {e}"), true),
                        Err(e) => {
                            let _ = ui.send(UiInput::PromptFailed {
                                session_id,
                                text,
                                error: e.to_string(),
                            });
                        }
                        Ok(()) => {}
                    }
                });
                Ok(())
            }
            Action::PromptOptions {
                model,
                variant,
                agent,
            } => {
                tracing::info!(?model, ?variant, ?agent, "prompt options");
                self.model = model.or(self.model.take());
                self.variant = variant;
                self.agent = agent.or(self.agent.take());
                Ok(())
            }
            Action::PinSession { session_id, pinned } => {
                crate::backend::session_pins::set(&session_id, pinned)
                    .map_err(|e| format!("cannot remember the pin: {e}"))
            }
            Action::SaveModelMemory(memory) => {
                match crate::backend::model_memory::save(&self.project, &memory) {
                    Ok(said) => {
                        if let Some(said) = said {
                            note(&self.ui, said, true);
                        }
                        Ok(())
                    }
                    Err(e) => Err(format!("cannot remember the model choice: {e}")),
                }
            }
            Action::RememberPrompt(entry) => match &self.history_file {
                Some(path) => crate::backend::prompt_history::append_to(path, &entry)
                    .map_err(|e| format!("cannot add the prompt to {}: {e}", path.display())),
                None => Ok(()),
            },
            a @ (Action::Revert { .. }
            | Action::Unrevert { .. }
            | Action::Compact { .. }
            | Action::RenameSession { .. }
            | Action::DeleteSession { .. }
            | Action::Fork { .. }) => self.session_action(a, ctl).await,
        };
        if let Err(e) = result {
            note(&self.ui, e, true);
        }
    }
}
