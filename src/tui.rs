//! The interactive `ocw-tui [PROJECT]`: starts (or attaches to) the server, picks the
//! session (new, `--session ID`, `--continue`), loads its history and pending requests,
//! then runs the UI while a pump task feeds it bus events (each logged and flushed first)
//! and executes the actions it emits against the backend.

use crate::backend::client::Client;
use crate::backend::stream::StreamItem;
use crate::cli::TuiArgs;
use crate::live::Live;
use crate::model::Event;
use crate::ui::{self, Action, ConnectionState, UiInput, UiOptions};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

pub fn run(args: TuiArgs) -> anyhow::Result<ExitCode> {
    crate::sys::return_big_frees_to_the_os();
    // One thread: the stream, the pump and the UI take turns on it. Under a flood this keeps
    // every allocation in one malloc arena (two worker threads cost ~4.5 MB of arena slack
    // for 2 MB of streamed text) and costs nothing in latency (the work is sequential anyway).
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(run_async(args))
}

async fn run_async(args: TuiArgs) -> anyhow::Result<ExitCode> {
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let project = args.project.clone().unwrap_or_else(|| PathBuf::from("."));
    crate::live::check_project_dir(&project)?;
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
    let live = Live::start(&args.server, &project).await?;
    let client = live.server.client.clone();
    let session_id = match pick_session(&client, &args).await {
        Ok(id) => id,
        Err(e) => {
            live.shutdown().await;
            return Err(e);
        }
    };
    let (in_tx, in_rx) = unbounded_channel();
    let (act_tx, act_rx) = unbounded_channel();
    let _ = in_tx.send(UiInput::Connection(ConnectionState::Connected));
    let mut partial = std::collections::HashSet::new();
    if !load_history(&client, &session_id, &in_tx).await {
        partial.insert(session_id.clone());
    }
    send_pending(&client, &in_tx).await;
    refresh_sessions(&client, &in_tx).await;
    let _ = in_tx.send(UiInput::ShowSession(session_id.clone()));
    let opts = UiOptions {
        notify: !args.no_notify,
        read_only: false,
        model_label: args.server.model.clone(),
        agent_label: args.server.agent.clone(),
        server_version: live.server.version.clone(),
    };
    if let Some(w) = &live.warning {
        note(&in_tx, w.clone(), false);
    }
    let pump = Pump {
        client,
        initial: session_id,
        partial,
        ui: in_tx,
        project: project.clone(),
        model: args.server.model.clone(),
        agent: args.server.agent.clone(),
    };
    let pump_task = tokio::spawn(pump.run(live, act_rx));
    let code = tokio::select! {
        r = ui::run(opts, in_rx, act_tx) => { r?; 0 }
        _ = sigint.recv() => 130,
        _ = sigterm.recv() => 143,
        _ = sighup.recv() => 129,
    };
    // The UI is gone (its sender dropped): the pump stops the server and returns.
    match tokio::time::timeout(std::time::Duration::from_secs(10), pump_task).await {
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

/// Sends a session's info and whole history to the UI as events.
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

/// Sends a session's info and its newest messages to the UI as events. Returns true when
/// that was the whole history.
async fn load_history(client: &Client, session_id: &str, ui: &UnboundedSender<UiInput>) -> bool {
    match client.get_session(session_id).await {
        Ok(info) => {
            let _ = ui.send(UiInput::Bus(Event::SessionUpdated(info)));
        }
        Err(e) => note(ui, format!("cannot load session {session_id}: {e}"), true),
    }
    let page = first_page();
    match client.messages(session_id, Some(page)).await {
        Ok(messages) => {
            let complete = messages.len() < page;
            send_messages(messages, ui);
            complete
        }
        Err(e) => {
            note(ui, format!("cannot load the history: {e}"), true);
            true
        }
    }
}

fn send_messages(
    messages: Vec<crate::backend::client::MessageWithParts>,
    ui: &UnboundedSender<UiInput>,
) {
    for m in messages {
        for ev in m.into_events() {
            let _ = ui.send(UiInput::Bus(ev));
        }
    }
}

/// Requests already pending on the server get their dialogs at once.
async fn send_pending(client: &Client, ui: &UnboundedSender<UiInput>) {
    if let Ok(perms) = client.pending_permissions().await {
        for p in perms {
            let _ = ui.send(UiInput::Bus(Event::PermissionAsked(p)));
        }
    }
    if let Ok(qs) = client.pending_questions().await {
        for q in qs {
            let _ = ui.send(UiInput::Bus(Event::QuestionAsked(q)));
        }
    }
}

async fn refresh_sessions(client: &Client, ui: &UnboundedSender<UiInput>) {
    match client.list_sessions().await {
        Ok(list) => {
            let _ = ui.send(UiInput::Sessions(list));
        }
        Err(e) => note(ui, format!("cannot list sessions: {e}"), true),
    }
}

fn note(ui: &UnboundedSender<UiInput>, text: String, error: bool) {
    let _ = ui.send(UiInput::Note { text, error });
}

struct Pump {
    client: Client,
    /// The session shown at start (its history is loaded).
    initial: String,
    /// Sessions whose older history has not been loaded yet.
    partial: std::collections::HashSet<String>,
    ui: UnboundedSender<UiInput>,
    project: PathBuf,
    model: Option<String>,
    agent: Option<String>,
}

impl Pump {
    async fn run(mut self, mut live: Live, mut actions: UnboundedReceiver<Action>) {
        let mut loaded: std::collections::HashSet<String> = Default::default();
        loaded.insert(self.initial.clone());
        loop {
            tokio::select! {
                item = live.events.recv() => {
                    let Some(item) = item else { break };
                    match item {
                        StreamItem::Event { raw, kind, event } => {
                            // Nothing is shown before it is on disk.
                            if let Err(e) = live.log_event(&kind, &raw) {
                                note(&self.ui, format!("{e:#}"), true);
                            }
                            if let Some(w) = live.unknown_permission_event(&kind) {
                                note(&self.ui, w, true);
                            }
                            let _ = self.ui.send(UiInput::Bus(*event));
                        }
                        StreamItem::Connected { reconnect } => {
                            let _ = self.ui.send(UiInput::Connection(ConnectionState::Connected));
                            if reconnect {
                                self.resync(&mut live, &loaded).await;
                            }
                        }
                        StreamItem::Lost { attempt, error } => {
                            let state = match live.server.try_exited() {
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
                        self.restart(&mut live, &loaded).await;
                        continue;
                    }
                    self.execute(action, &mut loaded).await;
                }
            }
        }
        live.shutdown().await;
    }

    /// After a lost stream: what the server sent while we were away, as events (logged,
    /// then shown): the shown sessions' messages (upserted by id: nothing shows twice),
    /// pending requests (their dialogs open), then statuses (a turn that ended, ends).
    async fn resync(&self, live: &mut Live, loaded: &std::collections::HashSet<String>) {
        use crate::backend::resync;
        let ids: Vec<String> = loaded.iter().cloned().collect();
        let mut events = Vec::new();
        for id in &ids {
            match resync::messages(&self.client, id).await {
                Ok(evs) => events.extend(evs),
                Err(e) => note(&self.ui, format!("cannot reload session {id}: {e}"), true),
            }
        }
        match resync::pending(&self.client).await {
            Ok(evs) => events.extend(evs),
            Err(e) => note(
                &self.ui,
                format!("cannot fetch pending requests: {e}"),
                true,
            ),
        }
        match resync::statuses(&self.client, &ids).await {
            Ok(evs) => events.extend(evs),
            Err(e) => note(
                &self.ui,
                format!("cannot fetch session statuses: {e}"),
                true,
            ),
        }
        for s in events {
            if let Err(e) = live.log_event(&s.kind, &s.raw) {
                note(&self.ui, format!("{e:#}"), true);
            }
            let _ = self.ui.send(UiInput::Bus(s.event));
        }
    }

    /// Restarts a spawned server and reloads what the UI shows from it.
    async fn restart(&mut self, live: &mut Live, loaded: &std::collections::HashSet<String>) {
        let _ = self
            .ui
            .send(UiInput::Connection(ConnectionState::Connecting));
        match live.restart().await {
            Ok(()) => {
                self.client = live.server.client.clone();
                let _ = self
                    .ui
                    .send(UiInput::Connection(ConnectionState::Connected));
                for id in loaded {
                    if !load_history(&self.client, id, &self.ui).await {
                        self.partial.insert(id.clone());
                    }
                }
                send_pending(&self.client, &self.ui).await;
                // Nothing runs on a fresh server: the statuses say so (no stale "working").
                let ids: Vec<String> = loaded.iter().cloned().collect();
                if let Ok(evs) = crate::backend::resync::statuses(&self.client, &ids).await {
                    for s in evs {
                        let _ = self.ui.send(UiInput::Bus(s.event));
                    }
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

    async fn execute(&mut self, action: Action, loaded: &mut std::collections::HashSet<String>) {
        let c = &self.client;
        let result: Result<(), String> = match action {
            Action::Prompt { session_id, text } => {
                if let Err(e) = c
                    .prompt_async(
                        &session_id,
                        &text,
                        self.model.as_deref(),
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
                    loaded.insert(id.clone());
                    let _ = self.ui.send(UiInput::ShowSession(id));
                    refresh_sessions(c, &self.ui).await;
                    Ok(())
                }
                Err(e) => Err(format!("cannot create a session: {e}")),
            },
            Action::SwitchSession(id) => {
                if loaded.insert(id.clone()) && !load_history(c, &id, &self.ui).await {
                    self.partial.insert(id.clone());
                }
                let _ = self.ui.send(UiInput::ShowSession(id));
                Ok(())
            }
            Action::RefreshSessions => {
                refresh_sessions(c, &self.ui).await;
                Ok(())
            }
            Action::LoadOlder { session_id } => {
                if self.partial.remove(&session_id) {
                    match c.messages(&session_id, None).await {
                        Ok(all) => {
                            send_messages(all, &self.ui);
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
            } => match crate::backend::rule_file::save_always_rule(
                &self.project,
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
        };
        if let Err(e) = result {
            note(&self.ui, e, true);
        }
    }
}
