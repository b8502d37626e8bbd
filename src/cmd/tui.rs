//! The interactive `ocw-tui [PROJECT]`: starts the session controller (server spawned or
//! attached), picks the session (new, `--session ID`, `--continue`), then runs the UI while
//! a [`TuiLink`] task feeds it events and executes the actions it emits. Streamed and
//! fetched events (history, pending requests, resync, restart) take one path: logged and
//! flushed first, then shown.

mod recording;
mod session_ops;

use crate::backend::client::Client;
use crate::backend::controller::SessionController;
use crate::backend::events::StreamItem;
use crate::backend::fetch::{Fetched, Why};
use crate::cli::TuiArgs;
use crate::model::Event;
use crate::ui::{self, Action, ConnectionState, UiInput, UiOptions};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

pub fn interactive(args: TuiArgs) -> anyhow::Result<ExitCode> {
    crate::sys::return_big_frees_to_the_os();
    // One thread: the stream, the link to the UI and the UI take turns on it. Under a flood this keeps
    // every allocation in one malloc arena (two worker threads cost ~4.5 MB of arena slack
    // for 2 MB of streamed text) and costs nothing in latency (the work is sequential anyway).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(run_async(args))
}

async fn run_async(args: TuiArgs) -> anyhow::Result<ExitCode> {
    let mut signals = super::Signals::listen()?;
    // A backstop on its own thread: a long UI step cannot starve the signals.
    super::signal_watch::start()?;
    let project = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
    crate::usage::check_project_dir(&project)?;
    // Before the server starts: nothing typed yet can be mistaken for the terminal's answer.
    ui::theme::init(args.theme);
    if args.server.attach.is_none() {
        // A missing binary is reported before anything says it is starting.
        crate::backend::server::resolve_binary(args.server.opencode_bin.as_deref())?;
        eprintln!(
            "ocw-tui: starting opencode serve in {} ...",
            project.display()
        );
    }
    let mut ctl = SessionController::start(&(&args.server).into(), &project).await?;
    let client = ctl.server.client.clone();
    let session_id = match pick_session(&client, &args).await {
        Ok(id) => id,
        Err(e) => {
            ctl.shutdown().await;
            return Err(e);
        }
    };
    let log_note = recording::default_log(&mut ctl, &args, &project, &session_id);
    let (in_tx, in_rx) = unbounded_channel();
    let (act_tx, act_rx) = unbounded_channel();
    let _ = in_tx.send(UiInput::Connection(ConnectionState::Connected));
    let mut link = TuiLink {
        client,
        partial: Default::default(),
        loaded: [session_id.clone()].into(),
        ui: in_tx,
        project: project.clone(),
        model: args.server.model.clone(),
        agent: args.server.agent.clone(),
        find_gen: Default::default(),
        variant: None,
    };
    tokio::spawn(fetch_catalog(
        link.client.clone(),
        link.ui.clone(),
        project.clone(),
    ));
    link.load_session(&mut ctl, &session_id).await;
    link.load_pending(&mut ctl).await;
    fetch_commands(&link.client, &link.ui);
    refresh_sessions(&link.client, &link.ui).await;
    let _ = link.ui.send(UiInput::ShowSession(session_id.clone()));
    let opts = UiOptions {
        notify: !args.no_notify,
        model_label: args.server.model.clone(),
        agent_label: args.server.agent.clone(),
        server_version: ctl.server.version.clone(),
        utc_offset_ms: crate::sys::local_utc_offset_secs() * 1000,
        rule_file: crate::backend::rule_file::rule_file(&project)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
    };
    if let Some(w) = &ctl.warning {
        note(&link.ui, w.clone(), false);
    }
    if let Some((text, error)) = log_note {
        note(&link.ui, text, error);
    }
    let link_task = tokio::spawn(link.serve(ctl, act_rx));
    let code = tokio::select! {
        r = ui::drive(opts, in_rx, act_tx) => { r?; 0 }
        code = signals.next() => code,
    };
    // The UI is gone (its sender dropped): the link stops the server and returns.
    match tokio::time::timeout(std::time::Duration::from_secs(10), link_task).await {
        Ok(Ok(())) => {}
        _ => crate::backend::server::kill_all_spawned(),
    }
    Ok(ExitCode::from(code))
}

/// The session to show: `--session ID`, `--continue` (latest top-level session), or new.
async fn pick_session(client: &Client, args: &TuiArgs) -> anyhow::Result<String> {
    if let Some(id) = &args.session {
        let info = client
            .get_session(id)
            .await
            .with_context(|| format!("cannot open session {id}"))?;
        return Ok(info.id);
    }
    if args.continue_latest {
        let sessions = client.list_sessions().await?;
        if let Some(latest) = sessions
            .into_iter()
            .filter(|s| s.parent_id.is_none())
            .max_by(|a, b| {
                let t = |s: &crate::model::event::SessionInfo| s.time.map_or(0.0, |t| t.updated);
                t(a).total_cmp(&t(b))
            })
        {
            return Ok(latest.id);
        }
    }
    Ok(client.create_session().await?.id)
}

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

async fn refresh_sessions(client: &Client, ui: &UnboundedSender<UiInput>) {
    match client.list_sessions().await {
        Ok(list) => {
            let _ = ui.send(UiInput::Sessions(list));
        }
        Err(e) => note(ui, format!("cannot list sessions: {e}"), true),
    }
}

/// The server's slash commands (`GET /command`), fetched in a task (never blocks the UI).
fn fetch_commands(client: &Client, ui: &UnboundedSender<UiInput>) {
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

fn note(ui: &UnboundedSender<UiInput>, text: String, error: bool) {
    let _ = ui.send(UiInput::Note { text, error });
}

/// The TUI's side of the session controller: forwards its events to the UI (logged
/// first) and executes the actions the UI emits.
struct TuiLink {
    client: Client,
    /// Sessions whose history was loaded (resynchronised after a lost stream).
    loaded: std::collections::HashSet<String>,
    /// Sessions whose older history has not been loaded yet.
    partial: std::collections::HashSet<String>,
    ui: UnboundedSender<UiInput>,
    project: PathBuf,
    model: Option<String>,
    agent: Option<String>,
    /// The latest `@` file search asked for (older ones, still debouncing, give up).
    find_gen: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The model's variant (reasoning effort) the prompts carry.
    variant: Option<String>,
}

impl TuiLink {
    async fn serve(mut self, mut ctl: SessionController, mut actions: UnboundedReceiver<Action>) {
        loop {
            tokio::select! {
                item = ctl.events.recv() => {
                    let Some(item) = item else { break };
                    match item {
                        StreamItem::Event { raw, kind, event } => {
                            self.show(&mut ctl, &kind, &raw, *event);
                        }
                        StreamItem::Connected { reconnect } => {
                            let _ = self.ui.send(UiInput::Connection(ConnectionState::Connected));
                            if reconnect {
                                self.fetch_state(&mut ctl, Why::Resync).await;
                            }
                        }
                        StreamItem::Lost { attempt, error } => {
                            let state = match ctl.server.try_exited() {
                                Some(status) => ConnectionState::ServerDied {
                                    message: format!("opencode serve exited ({status})"),
                                },
                                None => ConnectionState::Reconnecting { attempt, error },
                            };
                            let _ = self.ui.send(UiInput::Connection(state));
                        }
                        StreamItem::Fatal(e) => {
                            let _ = self.ui.send(UiInput::Connection(ConnectionState::ServerDied { message: e }));
                        }
                    }
                }
                action = actions.recv() => {
                    let Some(action) = action else { break };
                    if action == Action::Quit {
                        break;
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
    }

    /// The one path of every event, streamed or fetched: logged (nothing is shown before it
    /// is on disk), then shown.
    fn show(&self, ctl: &mut SessionController, kind: &str, raw: &str, event: Event) {
        if let Err(e) = ctl.record(kind, raw) {
            // The UI says it once and keeps a marker (not a bell per event).
            let _ = self.ui.send(UiInput::LogFailed {
                error: format!("{e:#}"),
            });
        }
        if let Some(n) = ctl.take_log_notice() {
            note(&self.ui, n, true);
        }
        if let Some(w) = ctl.unknown_permission_event(kind) {
            note(&self.ui, w, true);
        }
        let _ = self.ui.send(UiInput::Bus(event));
    }

    fn show_fetched(&self, ctl: &mut SessionController, fetched: Vec<Fetched>) {
        for f in fetched {
            self.show(ctl, &f.kind, &f.raw, f.event);
        }
    }

    /// A session's info and newest messages.
    async fn load_session(&mut self, ctl: &mut SessionController, id: &str) {
        let (fetched, complete, errors) = ctl.load_session(id, Some(first_page())).await;
        self.show_fetched(ctl, fetched);
        for e in errors {
            note(&self.ui, e, true);
        }
        if !complete {
            self.partial.insert(id.to_string());
        }
    }

    /// Requests already pending on the server get their dialogs at once.
    async fn load_pending(&self, ctl: &mut SessionController) {
        if let Ok(fetched) = ctl.load_pending().await {
            self.show_fetched(ctl, fetched);
        }
    }

    /// What the server holds now for the shown sessions: messages (upserted by id: nothing
    /// shows twice), pending requests (their dialogs open), then statuses (a turn that
    /// ended, ends).
    async fn fetch_state(&self, ctl: &mut SessionController, why: Why) {
        let ids: Vec<String> = self.loaded.iter().cloned().collect();
        let (fetched, errors) = ctl.fetch_state(why, &ids).await;
        for e in errors {
            note(&self.ui, e, true);
        }
        self.show_fetched(ctl, fetched);
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
                refresh_sessions(&self.client, &self.ui).await;
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

    async fn execute(&mut self, action: Action, ctl: &mut SessionController) {
        let c = &self.client.clone();
        let result: Result<(), String> = match action {
            Action::Prompt { session_id, text } => {
                if let Err(e) = c
                    .prompt_async_variant(
                        &session_id,
                        &text,
                        self.model.as_deref(),
                        self.variant.as_deref(),
                        self.agent.as_deref(),
                    )
                    .await
                {
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
            } => {
                match c
                    .reply_permission(&request_id, reply, message.as_deref())
                    .await
                {
                    Err(e) if e.is_not_found() => {
                        note(
                            &self.ui,
                            "that request was already resolved; nothing sent".into(),
                            false,
                        );
                        Ok(())
                    }
                    r => r.map_err(|e| format!("reply refused: {e}")),
                }
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
                    refresh_sessions(c, &self.ui).await;
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
                refresh_sessions(c, &self.ui).await;
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
            Action::Quit => Ok(()),
            // The terminal's own effects: carried out by the UI's loop, never sent here.
            Action::Notify(_) | Action::Copy(_) | Action::MouseCapture(_) | Action::OpenEditor => {
                Ok(())
            }
            Action::FetchDetails { session_id } => {
                match crate::backend::fetch::todos(c, Why::Load, &session_id).await {
                    Ok(f) => self.show_fetched(ctl, vec![f]),
                    Err(e) => note(&self.ui, format!("cannot fetch the todo list: {e}"), true),
                }
                let _ = self.ui.send(super::tui_panel::servers(c).await);
                Ok(())
            }
            Action::Export { session_id, path } => {
                match super::tui_panel::export(c, &session_id, &self.project, path.as_deref()).await
                {
                    Ok(done) => {
                        note(&self.ui, done, false);
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
            Action::PromptWithFiles {
                session_id,
                text,
                files,
            } => {
                let sent = c
                    .prompt_with_files(
                        &session_id,
                        &text,
                        &files,
                        self.model.as_deref(),
                        self.variant.as_deref(),
                        self.agent.as_deref(),
                    )
                    .await;
                if let Err(e) = sent {
                    let _ = self.ui.send(UiInput::PromptFailed {
                        session_id,
                        text,
                        error: e.to_string(),
                    });
                }
                Ok(())
            }
            Action::Shell {
                session_id,
                command,
            } => {
                super::tui_prompt::spawn_shell(
                    c,
                    &self.ui,
                    self.agent.as_deref(),
                    session_id,
                    command,
                );
                Ok(())
            }
            Action::FindFiles { query } => {
                super::tui_prompt::spawn_find(c, &self.ui, &self.find_gen, query);
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

/// The server's models and agents (`GET /config/providers`, `GET /agent`, `GET /config`,
/// fetched together in the background: nothing waits for them) and the project's model
/// memory, for the pickers, the status bar and the context meter.
async fn fetch_catalog(client: Client, ui: UnboundedSender<UiInput>, project: PathBuf) {
    let (providers, agents, config) = tokio::join!(
        client.config_providers(),
        client.agents_raw(),
        client.config_raw()
    );
    let providers = match providers {
        Ok(v) => v,
        Err(e) => {
            note(&ui, format!("cannot list the models: {e}"), true);
            return;
        }
    };
    let agents = agents.unwrap_or_else(|e| {
        note(&ui, format!("cannot list the agents: {e}"), true);
        serde_json::Value::Null
    });
    let config = config.unwrap_or_default();
    let catalog = crate::model::catalog::Catalog::from_json(&providers, &agents, &config);
    let (memory, said) = crate::backend::model_memory::load(&project);
    if let Some(said) = said {
        note(&ui, said, true);
    }
    let _ = ui.send(UiInput::Catalog { catalog, memory });
}
