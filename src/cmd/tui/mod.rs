//! The interactive `ocw-tui [PROJECT]`: the UI is drawn at once, while beside it the
//! session controller starts (server spawned or attached) and the session is picked (new,
//! `--session ID`, `--continue`); prompts typed meanwhile wait, shown queued. Then a
//! [`TuiLink`] task feeds the UI events and executes the actions it emits. Streamed and
//! fetched events (history, pending requests, resync, restart) take one path: logged and
//! flushed first, then shown.

mod actions;
mod feed;
mod link;
mod panel;
mod prompt;
mod recording;
mod session_calls;
mod session_text;
mod status_command;

use self::feed::{fetch_commands, note};
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
    // A `--log` that cannot be ours is said on the plain terminal, before the UI takes it
    // (the controller checks again when it opens the log).
    if let Some(log) = &args.server.log {
        crate::log::default_logs::check_outside_project(log, &project)
            .map_err(crate::usage::UsageError)?;
    }
    // Before the UI takes the terminal: nothing typed yet can be mistaken for the
    // terminal's answer.
    // `--theme` wins over tui.json's `theme`; an unknown name there is a warning (the
    // file may be shared with opencode and name a theme we do not have), not a stop.
    let tui = crate::backend::tui_config::load(&project);
    match (args.theme.as_deref(), tui.theme.as_deref()) {
        (Some(cli), _) => {
            ui::theme::init(Some(cli), &project)
                .map_err(|e| crate::usage::UsageError(e.to_string()))?;
        }
        (None, Some(file)) => {
            if let Err(e) = ui::theme::init(Some(file), &project) {
                ui::theme::init(None, &project)
                    .map_err(|e| crate::usage::UsageError(e.to_string()))?;
                ui::theme::warn(format!("tui.json: {e}; using the terminal's own colours"));
            }
        }
        (None, None) => {
            ui::theme::init(None, &project).map_err(|e| crate::usage::UsageError(e.to_string()))?;
        }
    }
    // Also said in the UI (a note); this line stays on the terminal after quitting.
    for w in ui::theme::warnings() {
        eprintln!("ocw-tui: {w}");
    }
    let what = match &args.server.attach {
        Some(url) => format!("connecting to {url}"),
        None => {
            // A missing binary is reported before anything starts.
            crate::backend::server::resolve_binary(args.server.opencode_bin.as_deref())?;
            format!("starting opencode serve in {}", shown_dir(&project))
        }
    };
    let (in_tx, in_rx) = unbounded_channel();
    let (act_tx, act_rx) = unbounded_channel();
    let _ = in_tx.send(UiInput::Connection(ConnectionState::Starting { what }));
    // ocw-tui's own settings (the status line command).
    let (settings, settings_warning) = crate::backend::settings::load();
    if let Some(text) = settings_warning {
        let _ = in_tx.send(UiInput::Note { text, error: true });
    }
    let opts = UiOptions {
        notify: !args.no_notify,
        model_label: args.server.model.clone(),
        agent_label: args.server.agent.clone(),
        server_version: None,
        utc_offset_ms: crate::sys::local_utc_offset_secs() * 1000,
        pinned_sessions: crate::backend::session_pins::load(),
        project_label: Some(crate::backend::git_head::short_dir(
            &std::path::absolute(&project).unwrap_or_else(|_| project.clone()),
            std::env::var_os("HOME")
                .map(std::path::PathBuf::from)
                .as_deref(),
        )),
        git_branch: None,
        approvals: args.approvals.mode(),
        status_line: settings.status_command.is_some(),
        project_dir: Some(std::path::absolute(&project).unwrap_or_else(|_| project.clone())),
        tui,
        rule_file: crate::backend::rule_file::rule_file(&project)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned()),
    };
    // The UI is up at once; the server starts beside it. What is typed meanwhile goes to
    // the prompt; the actions it makes wait in `act_rx` for the link.
    let ui_run = ui::drive(opts, in_rx, act_tx);
    tokio::pin!(ui_run);
    let started = {
        // Boxed, so that dropping it really ends it (and kills a server it spawned).
        let mut startup = Box::pin(start_up(&args, &project, in_tx));
        tokio::select! {
            biased;
            r = &mut ui_run => {
                // Quit before the server was ready: the start-up is dropped (a spawned
                // server dies with it).
                drop(startup);
                crate::backend::server::kill_all_spawned();
                r?;
                return Ok(ExitCode::SUCCESS);
            }
            code = signals.next() => {
                drop(startup);
                crate::backend::server::kill_all_spawned();
                return Ok(ExitCode::from(code));
            }
            r = &mut startup => r,
        }
    };
    let (link, ctl, resumed) = match started {
        Ok(v) => v,
        // The UI is dropped first (the terminal restored), then the error is reported.
        Err(e) => return Err(e),
    };
    let link_task = tokio::spawn(link.serve(ctl, act_rx, resumed));
    let code = tokio::select! {
        r = &mut ui_run => { r?; 0 }
        code = signals.next() => code,
    };
    // The UI is gone (its sender dropped): the link stops the server and returns.
    match tokio::time::timeout(std::time::Duration::from_secs(10), link_task).await {
        Ok(Ok(last)) => {
            if let Some(id) = last {
                // The terminal is restored (the UI is gone): how to come back.
                println!("{}", come_back_hint(&id, args.project.as_deref()));
            }
        }
        _ => crate::backend::server::kill_all_spawned(),
    }
    Ok(ExitCode::from(code))
}

/// What to type to come back to session `id`: `ocw-tui --session ID [DIR]  (or --continue)`,
/// the project directory named when the TUI was started for another one.
fn come_back_hint(id: &str, project: Option<&std::path::Path>) -> String {
    let dir = project
        .filter(|p| {
            let here = std::env::current_dir()
                .ok()
                .and_then(|d| d.canonicalize().ok());
            p.canonicalize().ok() != here
        })
        .map(|p| format!(" {}", shell_word(&p.to_string_lossy())))
        .unwrap_or_default();
    let id = crate::safe_text::one_line(id);
    format!("to come back: ocw-tui --session {id}{dir}  (or: ocw-tui --continue{dir})")
}

/// `s` as one shell word: quoted when it holds anything but plain path characters.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c));
    let s = crate::safe_text::one_line(s).into_owned();
    if plain {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// opencode's prompt history, read and handed to the UI (Up recalls what was typed in
/// either client); the file prompts are appended to, none with `--no-log` (which leaves no
/// record of what was typed: the history is read, never written).
fn prompt_history(args: &TuiArgs, ui: &UnboundedSender<UiInput>) -> Option<PathBuf> {
    match crate::backend::prompt_history::load() {
        Ok(entries) => {
            let _ = ui.send(UiInput::PromptHistory(entries));
        }
        Err(e) => note(ui, format!("prompt history: {e}"), true),
    }
    if args.no_log {
        return None;
    }
    crate::backend::prompt_history::file()
}

/// `dir` as the start-up line shows it: absolute, under `~` when in the home directory.
fn shown_dir(dir: &std::path::Path) -> String {
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let home = std::env::var_os("HOME").map(PathBuf::from);
    crate::backend::git_head::home_relative(&abs, home.as_deref())
}

/// Starts the session controller (server spawned or attached) and picks the session,
/// while the UI already runs; then loads it and tells the UI (session shown, then
/// connected: prompts typed meanwhile go out). Errors end the TUI (the caller reports
/// them once the terminal is restored).
async fn start_up(
    args: &TuiArgs,
    project: &std::path::Path,
    ui_tx: UnboundedSender<UiInput>,
) -> anyhow::Result<(TuiLink, SessionController, Option<String>)> {
    // Remarks made while starting are the UI's notes (stderr is under the TUI).
    let (say_tx, mut say_rx) = unbounded_channel::<String>();
    let ui = ui_tx.clone();
    tokio::spawn(async move {
        while let Some(text) = say_rx.recv().await {
            note(&ui, text, false);
        }
    });
    let mut opts: crate::backend::controller::ConnectOptions = (&args.server).into();
    opts.say = Some(say_tx);
    let mut ctl = SessionController::start(&opts, project).await?;
    let mut project = project.to_path_buf();
    let mut moved = None;
    let session_id = match pick_session(&ctl.server.client, args).await {
        Ok(Picked::Here(id)) => id,
        Ok(Picked::Elsewhere { id, dir }) => {
            // Another project's session: prompts must go to its own directory's instance
            // (the one whose events we follow), so the server is started (or the attached
            // one addressed) there instead.
            ctl.shutdown().await;
            if !dir.is_dir() {
                return Err(crate::usage::UsageError(format!(
                    "session {id} belongs to {}, which no longer exists: it cannot be opened",
                    dir.display()
                ))
                .into());
            }
            ctl = SessionController::start(&opts, &dir).await?;
            moved = Some(format!(
                "session {id} belongs to {}: opened there, not in {}",
                dir.display(),
                project.display()
            ));
            project = dir;
            id
        }
        Err(e) => {
            ctl.shutdown().await;
            return Err(e);
        }
    };
    let project = project.as_path();
    let client = ctl.server.client.clone();
    let log_note = recording::default_log(&mut ctl, args, project, &session_id);
    let mut link = TuiLink {
        client,
        partial: Default::default(),
        loaded: [session_id.clone()].into(),
        ui: ui_tx,
        project: project.to_path_buf(),
        model: args.server.model.clone(),
        agent: args.server.agent.clone(),
        find_gen: Default::default(),
        variant: None,
        history_file: None,
        status: None,
        texts: Default::default(),
    };
    link.status = crate::backend::settings::load()
        .0
        .status_command
        .map(|c| status_command::StatusRunner::start(c, project.to_path_buf(), link.ui.clone()));
    link.history_file = prompt_history(args, &link.ui);
    let _ = link
        .ui
        .send(UiInput::ServerVersion(ctl.server.version.clone()));
    tokio::spawn(fetch_catalog(
        link.client.clone(),
        link.ui.clone(),
        project.to_path_buf(),
    ));
    link.load_session(&mut ctl, &session_id).await;
    link.load_pending(&mut ctl).await;
    fetch_commands(&link.client, &link.ui);
    feed::watch_git_branch(project.to_path_buf(), link.ui.clone());
    link.refresh_sessions(&mut ctl).await;
    if moved.is_some() {
        let dir = std::path::absolute(project).unwrap_or_else(|_| project.to_path_buf());
        let _ = link.ui.send(UiInput::ProjectDir(dir));
    }
    let _ = link.ui.send(UiInput::ShowSession(session_id.clone()));
    let _ = link
        .ui
        .send(UiInput::Connection(ConnectionState::Connected));
    if let Some(w) = &ctl.warning {
        note(&link.ui, w.clone(), false);
    }
    if let Some(text) = moved {
        note(&link.ui, text, false);
    }
    if let Some((text, error)) = log_note {
        note(&link.ui, text, error);
    }
    let resumed = (args.session.is_some() || args.continue_latest).then(|| session_id.clone());
    Ok((link, ctl, resumed))
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

#[cfg(test)]
mod tests {
    use super::come_back_hint;

    #[test]
    fn the_way_back_names_the_session_and_another_project_dir() {
        assert_eq!(
            come_back_hint("ses_1", None),
            "to come back: ocw-tui --session ses_1  (or: ocw-tui --continue)"
        );
        let here = std::env::current_dir().unwrap();
        assert_eq!(
            come_back_hint("ses_1", Some(&here)),
            come_back_hint("ses_1", None)
        );
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("my project");
        std::fs::create_dir(&other).unwrap();
        let quoted = format!("'{}'", other.display());
        assert_eq!(
            come_back_hint("ses_1", Some(&other)),
            format!(
                "to come back: ocw-tui --session ses_1 {quoted}  (or: ocw-tui --continue {quoted})"
            )
        );
    }
}
