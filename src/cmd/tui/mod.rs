//! The interactive `ocw-tui [PROJECT]`: starts the session controller (server spawned or
//! attached), picks the session (new, `--session ID`, `--continue`), then runs the UI while
//! a [`TuiLink`] task feeds it events and executes the actions it emits. Streamed and
//! fetched events (history, pending requests, resync, restart) take one path: logged and
//! flushed first, then shown.

mod actions;
mod feed;
mod link;
mod panel;
mod prompt;
mod recording;
mod session_calls;

use self::feed::{fetch_commands, note, refresh_sessions};
use self::link::TuiLink;
use crate::backend::client::Client;
use crate::backend::controller::SessionController;
use crate::cli::TuiArgs;
use crate::ui::{self, ConnectionState, UiInput, UiOptions};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};

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
    let connect = (&args.server).into();
    let mut ctl = SessionController::start(&connect, &project).await?;
    let mut project = project;
    let mut moved = None;
    let session_id = match pick_session(&ctl.server.client, &args).await {
        Ok(Picked::Here(id)) => id,
        Ok(Picked::Elsewhere { id, dir }) => {
            // Another project's session: prompts must go to its own directory's instance
            // (the one whose events we follow), so the server is started (or the attached
            // one addressed) there instead.
            ctl.shutdown().await;
            let from = project.display().to_string();
            if !dir.is_dir() {
                return Err(crate::usage::UsageError(format!(
                    "session {id} belongs to {}, which no longer exists: it cannot be opened",
                    dir.display()
                ))
                .into());
            }
            eprintln!(
                "ocw-tui: session {id} belongs to {}: opening it there ...",
                dir.display()
            );
            ctl = SessionController::start(&connect, &dir).await?;
            moved = Some(format!(
                "session {id} belongs to {}: opened there, not in {from}",
                dir.display()
            ));
            project = dir;
            id
        }
        Err(e) => {
            ctl.shutdown().await;
            return Err(e);
        }
    };
    let client = ctl.server.client.clone();
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
    if let Some(text) = moved {
        note(&link.ui, text, false);
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

/// The session picked, and whether it belongs to this directory.
enum Picked {
    Here(String),
    /// `--session ID` of a session recorded in another directory (another project).
    Elsewhere {
        id: String,
        dir: PathBuf,
    },
}

/// The session to show: `--session ID`, `--continue` (latest top-level session), or new.
async fn pick_session(client: &Client, args: &TuiArgs) -> anyhow::Result<Picked> {
    if let Some(id) = &args.session {
        let info = client
            .get_session(id)
            .await
            .with_context(|| format!("cannot open session {id}"))?;
        if let Some(dir) = info.directory.as_deref().filter(|d| !d.is_empty()) {
            let theirs = std::fs::canonicalize(dir).unwrap_or_else(|_| PathBuf::from(dir));
            if theirs.as_os_str() != std::ffi::OsStr::new(client.directory()) {
                return Ok(Picked::Elsewhere {
                    id: info.id,
                    dir: theirs,
                });
            }
        }
        return Ok(Picked::Here(info.id));
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
            return Ok(Picked::Here(latest.id));
        }
    }
    Ok(Picked::Here(client.create_session().await?.id))
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
