//! The session controller shared by the TUI and `run`: it owns the server (spawned or
//! attached), the event subscription, the session log, and the fetching of state over HTTP
//! (a session's history, pending requests, the resync after a lost stream). Fetched state
//! comes back as the same events the stream carries ([`Fetched`], marked `ocw_fetched` in
//! the log), so front-ends log it and apply it on the very path of streamed events: a log
//! replays to what was on screen. Every event is written to the log and flushed before
//! anything shows it: the front-ends loop over [`SessionController::next`] (the event pump,
//! `backend::pump`: reconnect, resync, a dead server) and get events already logged.

mod connect;
use connect::{check_server, say, subscribe};

use crate::backend::attach_url::{redact, AttachUrl};
use crate::backend::fetch::{self, Fetched, Why};
use crate::backend::pump::{Logged, Pump, Pumped, Scope, Step};
use crate::backend::server::{resolve_binary, Server, SpawnOptions};
use crate::backend::version;
use crate::log::{now_ms, LogWriter};
use crate::model::Event;
use crate::usage::{check_project_dir, UsageError};
use anyhow::Context;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

/// How to reach the server and where to log: what the command line says (`cli::ServerArgs`).
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub opencode_bin: Option<PathBuf>,
    pub attach: Option<String>,
    pub password: Option<String>,
    pub username: String,
    pub insecure: bool,
    pub isolated: bool,
    pub model: Option<String>,
    pub config: Option<String>,
    pub log: Option<PathBuf>,
    pub log_exclude: Vec<String>,
    pub startup_timeout: f64,
    /// `--port N` for a spawned server.
    pub port: Option<u16>,
    /// Where remarks made while starting go (a slow plugin start, the debug URL): the
    /// TUI's notes while it is drawn; `None`: stderr. With it, the version warning is
    /// left to [`SessionController::warning`] alone.
    pub say: Option<UnboundedSender<String>>,
}

pub struct SessionController {
    pub server: Server,
    /// The event stream, the resync after a loss (private: read through [`Self::next`]).
    pump: Pump,
    log: Option<LogWriter>,
    stream_task: JoinHandle<()>,
    /// Events logged so far, and the hidden test switch that panics after that many.
    logged: u64,
    panic_after: Option<u64>,
    /// Said once at start-up (on stderr): a server newer than tested, or of unknown version.
    pub warning: Option<String>,
    /// Event types already warned about.
    told: std::collections::HashSet<String>,
    /// Where remarks go ([`ConnectOptions::say`]): a restart makes them too.
    say: Option<UnboundedSender<String>>,
}

/// Hidden, for tests: print the server's URL (never its password) on stderr once it is up.
pub const PRINT_URL_ENV: &str = "OCW_DEBUG_PRINT_URL";
/// Hidden, for tests: panic after this many events were logged (proves the panic path
/// stops the server).
pub const PANIC_AFTER_ENV: &str = "OCW_TEST_PANIC_AFTER_EVENTS";

impl SessionController {
    /// Spawns or attaches, opens the log, and waits for the event stream to connect
    /// (events are subscribed before any prompt is sent).
    pub async fn start(args: &ConnectOptions, project: &Path) -> anyhow::Result<SessionController> {
        check_project_dir(project)?;
        // A log that cannot be ours is refused before any server starts.
        let mut log = match &args.log {
            Some(path) => {
                crate::log::default_logs::check_outside_project(path, project)
                    .map_err(UsageError)?;
                Some(
                    create_log(path, &args.log_exclude)
                        .map_err(|e| UsageError(format!("--log: {e}")))?,
                )
            }
            None => None,
        };
        let server = match &args.attach {
            Some(raw) => {
                let parsed = AttachUrl::parse(raw).map_err(UsageError)?;
                let url = redact(raw);
                let auth = match (&args.password, parsed.credentials) {
                    (Some(p), _) => Some((args.username.clone(), p.clone())),
                    (None, creds) => creds,
                };
                if auth.is_some() && !parsed.https && !parsed.loopback && !args.insecure {
                    return Err(UsageError(format!(
                        "refusing to send the password over plain http to {url} (not this machine): use https, or pass --insecure"
                    ))
                    .into());
                }
                let server = Server::attach(&parsed.base, auth, project)
                    .map_err(|e| UsageError(e.to_string()))?;
                let mut server = server;
                match server.client.health(Duration::from_secs(5)).await {
                    Ok(health) => server.version = version::version_of_health(&health),
                    // Already names the URL and what to check.
                    Err(e @ crate::backend::ClientError::Transport { .. }) => return Err(e.into()),
                    Err(
                        e @ (crate::backend::ClientError::Status { .. }
                        | crate::backend::ClientError::Decode { .. }),
                    ) => {
                        return Err(crate::backend::ServerError::NoHealthRoute(format!(
                            "{url}: {e}"
                        ))
                        .into())
                    }
                    Err(e) => {
                        return Err(anyhow::Error::new(e).context(format!("cannot attach to {url}")))
                    }
                }
                server
            }
            None => {
                let bin = resolve_binary(args.opencode_bin.as_deref())?;
                let inherited = std::env::var("OPENCODE_CONFIG_CONTENT").ok();
                let config_content = crate::backend::config::merged_config_content(
                    inherited.as_deref(),
                    args.config.as_deref(),
                )
                .map_err(|e| UsageError(format!("{e:#}")))?;
                Server::spawn(SpawnOptions {
                    bin,
                    project_dir: project.to_path_buf(),
                    config_content,
                    isolated: args.isolated,
                    startup_timeout: Duration::from_secs_f64(args.startup_timeout.max(0.1)),
                    port: args.port,
                })
                .await?
            }
        };
        let mut server = server;
        if let Some(path) = server.connection_file() {
            say(
                args.say.as_ref(),
                format!(
                    "editor plugins: the server listens on {} and its password is in {} (mode 0600, removed on exit)",
                    server.client.base_url(),
                    path.display()
                ),
            );
        }
        tracing::info!(
            url = server.client.base_url(),
            version = server.version.as_deref().unwrap_or("unknown"),
            spawned = server.spawn_options.is_some(),
            "server healthy"
        );
        let warning = match check_server(&server, args.model.as_deref()).await {
            Ok(warning) => warning,
            Err(e) => {
                server.shutdown().await;
                return Err(e.into());
            }
        };
        if let Some(w) = &warning {
            tracing::warn!("{w}");
            if args.say.is_none() {
                // The version is the server's word: cleaned on a terminal like any server text.
                let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
                eprintln!("ocw-tui: warning: {}", crate::safe_text::for_output(w, tty));
            }
        }
        if let Some(log) = &mut log {
            log.set_meta(meta(project, server.version.as_deref()));
        }
        let (events, stream_task) = match subscribe(&server, args.say.as_ref()).await {
            Ok(x) => x,
            Err(e) => {
                let mut server = server;
                server.shutdown().await;
                return Err(e);
            }
        };
        if std::env::var_os(PRINT_URL_ENV).is_some_and(|v| v == "1") {
            let to = args.say.as_ref();
            say(
                to,
                format!("opencode server at {}", server.client.base_url()),
            );
            let tty = to.is_some() || std::io::IsTerminal::is_terminal(&std::io::stderr());
            say(
                to,
                format!(
                    "opencode version {}",
                    crate::safe_text::for_output(
                        server.version.as_deref().unwrap_or("unknown"),
                        tty
                    )
                ),
            );
        }
        let panic_after = std::env::var(PANIC_AFTER_ENV)
            .ok()
            .and_then(|v| v.trim().parse().ok());
        Ok(SessionController {
            server,
            pump: Pump::new(events),
            log,
            stream_task,
            logged: 0,
            panic_after,
            warning,
            told: Default::default(),
            say: args.say.clone(),
        })
    }

    /// Starts logging to `path` (a default log, opened once the session is known).
    pub fn open_log(
        &mut self,
        path: &Path,
        exclude: &[String],
        project: &Path,
    ) -> std::io::Result<()> {
        let mut log = create_log(path, exclude)?;
        log.set_meta(meta(project, self.server.version.as_deref()));
        self.log = Some(log);
        Ok(())
    }

    /// The next event (logged and flushed first, unless `scope` says otherwise) or change
    /// of the connection; after a reconnect, the resync's fetched events (`fetched`) come
    /// before any newer streamed one. `None` when the stream task ended. Cancel-safe: it
    /// can wait in a `select!`.
    pub async fn next<S: Scope + ?Sized>(&mut self, scope: &mut S) -> Option<Pumped> {
        let step = self.pump.next(&mut self.server, scope).await?;
        Some(self.finish(step))
    }

    /// What already arrived (queued or received), logged, without waiting.
    pub fn drain<S: Scope + ?Sized>(&mut self, scope: &mut S) -> Vec<Pumped> {
        let steps = self.pump.drain(&mut self.server, scope);
        steps.into_iter().map(|s| self.finish(s)).collect()
    }

    /// State the front-end fetched (a session's history, pending requests, statuses) on
    /// the path of streamed events: logged, then handed back.
    pub fn log_fetched<S: Scope + ?Sized>(
        &mut self,
        fetched: Vec<Fetched>,
        scope: &mut S,
    ) -> Vec<Logged> {
        let mut out = Vec::new();
        for f in fetched {
            if let Some(step) = self.pump.fetched(f, scope) {
                if let Pumped::Event(e) = self.finish(step) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// A record of our own (an approval mode's answer, `ocw.auto_allowed`): logged on the
    /// path of events, handed back to be shown, so a replay shows it too.
    pub fn log_client_record(&mut self, raw: &str) -> Option<Logged> {
        let event = Event::parse(raw).ok()?;
        let Event::Other { kind, .. } = &event else {
            return None;
        };
        let kind = kind.clone();
        Some(self.logged(kind, raw.to_string(), event, false, true))
    }

    fn finish(&mut self, step: Step) -> Pumped {
        match step {
            Step::Other(p) => p,
            Step::Event {
                kind,
                raw,
                event,
                fetched,
                log,
            } => Pumped::Event(self.logged(kind, raw, event, fetched, log)),
        }
    }

    /// Writes the event to the log (when `log`) and collects what to say about it.
    fn logged(
        &mut self,
        kind: String,
        raw: String,
        event: Event,
        fetched: bool,
        log: bool,
    ) -> Logged {
        let mut log_error = None;
        let mut notices = Vec::new();
        if log {
            if let Err(e) = self.record(&kind, &raw) {
                log_error = Some(format!("{e:#}"));
            }
            notices.extend(self.take_log_notice());
        }
        notices.extend(self.unknown_permission_event(&kind));
        Logged {
            event,
            fetched,
            log_error,
            notices,
        }
    }

    /// Said once: the log file was replaced or deleted under us and reopened.
    fn take_log_notice(&mut self) -> Option<String> {
        self.log.as_mut().and_then(LogWriter::take_notice)
    }

    /// Once per event type: the warning for a `permission.*` event ocw-tui cannot answer
    /// (1.0.x asks with `permission.updated`), so a waiting tool is not a silent spinner.
    fn unknown_permission_event(&mut self, kind: &str) -> Option<String> {
        let line = version::unknown_permission_event(kind)?;
        self.told.insert(kind.to_string()).then_some(line)
    }

    /// Writes one raw event (streamed or fetched) to the log (if any) and flushes it.
    fn record(&mut self, kind: &str, raw: &str) -> anyhow::Result<()> {
        if kind == "session.error" {
            log_session_error(raw);
        }
        if let Some(log) = &mut self.log {
            log.write_raw(kind, raw, now_ms())
                .context("cannot write the session log")?;
        }
        self.logged += 1;
        if self.panic_after.is_some_and(|n| self.logged >= n) {
            panic!(
                "{PANIC_AFTER_ENV}: forced panic after {} events",
                self.logged
            );
        }
        Ok(())
    }

    /// Starts a spawned server again (after it died) with the same options and data, and
    /// resubscribes. Sessions live in the server's data dir, so they can be resumed.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        let Some(opts) = self.server.spawn_options.clone() else {
            anyhow::bail!("this server was attached, not spawned: restart it where it runs");
        };
        tracing::info!("restarting the server");
        self.stream_task.abort();
        self.server.shutdown().await;
        let server = Server::spawn(opts).await?;
        tracing::info!(url = server.client.base_url(), "server restarted");
        let (events, stream_task) = subscribe(&server, self.say.as_ref()).await?;
        self.server = server;
        self.pump.reset(events);
        self.stream_task = stream_task;
        Ok(())
    }

    /// A session's info and its newest `page` messages (all with `None`), as events, with
    /// the errors to show; true when that was the whole history.
    pub async fn load_session(
        &self,
        session_id: &str,
        page: Option<usize>,
    ) -> (Vec<Fetched>, bool, Vec<String>) {
        let client = &self.server.client;
        let (mut out, mut errors) = (Vec::new(), Vec::new());
        match fetch::session(client, Why::Load, session_id).await {
            Ok(f) => out.push(f),
            Err(e) => errors.push(format!("cannot load session {session_id}: {e}")),
        }
        let complete = match fetch::messages(client, Why::Load, session_id, page).await {
            Ok(evs) => {
                let messages = evs.iter().filter(|f| f.kind == "message.updated").count();
                out.extend(evs);
                page.is_none_or(|p| messages < p)
            }
            Err(e) => {
                errors.push(format!("cannot load the history: {e}"));
                true
            }
        };
        (out, complete, errors)
    }

    /// Requests already pending on the server (of any session), as events.
    pub async fn load_pending(&self) -> Result<Vec<Fetched>, crate::backend::ClientError> {
        fetch::pending(&self.server.client, Why::Load).await
    }

    /// Stops the stream and a spawned server.
    pub async fn shutdown(mut self) {
        self.stream_task.abort();
        self.server.shutdown().await;
    }
}

/// A session log (0600, never through a link, see `log::private`).
fn create_log(path: &Path, exclude: &[String]) -> std::io::Result<LogWriter> {
    LogWriter::create(path, exclude.iter().cloned()).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot create log {}: {e}", path.display()),
        )
    })
}

/// What a log's first line says of who wrote it: ocw-tui's and opencode's releases and the
/// project.
fn meta(project: &Path, version: Option<&str>) -> serde_json::Value {
    let project = project
        .canonicalize()
        .unwrap_or_else(|_| project.to_path_buf());
    serde_json::json!({
        "ocw_tui": env!("CARGO_PKG_VERSION"),
        "opencode": version,
        "project": project.to_string_lossy(),
    })
}

/// The screen shows a session error's first line; the diagnostic log keeps its name and
/// whole message (often a JavaScript stack) at warn, and the raw event at debug.
fn log_session_error(raw: &str) {
    let v: serde_json::Value = serde_json::from_str(raw).unwrap_or_default();
    let error = &v["properties"]["error"];
    let name = error["name"].as_str().unwrap_or("error");
    let message = error["data"]["message"].as_str().unwrap_or("");
    tracing::warn!(name, message, "session error");
    tracing::debug!(event = raw, "session error event");
}
