//! The `opencode serve` process: spawned on loopback with a random password (or attached
//! to a running server), readiness polled with short per-attempt timeouts, and stopped
//! whatever happens: the child runs in its own process group, which `shutdown`, `Drop`,
//! the panic hook ([`kill_all_spawned`]) and signal paths all terminate; on Linux the
//! child also gets SIGKILL if ocw-tui itself is killed (`PR_SET_PDEATHSIG`).

use super::client::{Client, ClientError};
use super::config::Isolation;
use super::procs;
use super::tool_env::{with_plugin, HidePasswordPlugin};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Process groups of servers we spawned and have not stopped yet.
static SPAWNED_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Kills every server process group we spawned (for the panic hook and signal paths).
pub fn kill_all_spawned() {
    let groups = match SPAWNED_GROUPS.lock() {
        Ok(mut g) => std::mem::take(&mut *g),
        Err(p) => std::mem::take(&mut *p.into_inner()),
    };
    for pgid in groups {
        let tree = procs::descendants(pgid);
        signal_group(pgid, libc::SIGKILL);
        procs::signal_each(&tree, libc::SIGKILL);
    }
}

fn signal_group(pgid: i32, sig: i32) {
    if pgid > 1 {
        crate::sys::kill(-pgid, sig);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("opencode not found: install it with `npm install -g opencode-ai@1.18.33`, or pass --opencode-bin PATH (or set OPENCODE_BIN)")]
    NotFound,
    #[error("{0} is not an executable file: pass the opencode binary with --opencode-bin PATH")]
    NotExecutable(PathBuf),
    #[error("opencode binary {0} does not exist: pass the opencode binary with --opencode-bin PATH (or set OPENCODE_BIN)")]
    Missing(PathBuf),
    #[error("project directory {0} does not exist: pass an existing directory")]
    NoProjectDir(PathBuf),
    #[error("could not start {bin}: {err}")]
    Spawn { bin: PathBuf, err: std::io::Error },
    #[error("opencode serve exited before it was ready ({status}): check that it is opencode 1.18.33 and that its config is valid{}", last_output(.stderr))]
    Exited { status: String, stderr: String },
    #[error("opencode serve did not become healthy within {secs:.0} s (raise --startup-timeout?){}", last_output(.stderr))]
    NotHealthy { secs: f64, stderr: String },
    #[error("opencode serve is listening but has no health route ({0}): it is not opencode, or a release older than {min} (ocw-tui needs ≥ {min}, tested up to {max})", min = crate::backend::version::MIN_VERSION, max = crate::backend::version::TESTED_UP_TO)]
    NoHealthRoute(String),
    #[error("{0}")]
    Other(String),
}

/// The server's last words for an error message, if it said anything.
fn last_output(stderr: &str) -> String {
    if stderr.trim().is_empty() {
        String::new()
    } else {
        format!("; its last output:\n{stderr}")
    }
}

/// Finds the opencode binary: the flag, else `OPENCODE_BIN`, else `opencode` on PATH.
pub fn resolve_binary(flag: Option<&Path>) -> Result<PathBuf, ServerError> {
    let candidate = flag.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("OPENCODE_BIN")
            .filter(|b| !b.is_empty())
            .map(PathBuf::from)
    });
    let found = match candidate {
        Some(p) => p,
        None => {
            let path = std::env::var_os("PATH").ok_or(ServerError::NotFound)?;
            std::env::split_paths(&path)
                .map(|d| d.join("opencode"))
                .find(|p| p.is_file())
                .ok_or(ServerError::NotFound)?
        }
    };
    if !found.exists() {
        return Err(ServerError::Missing(found));
    }
    if !is_executable(&found) {
        return Err(ServerError::NotExecutable(found));
    }
    Ok(found)
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p)
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

/// What to spawn.
#[derive(Debug, Clone)]
pub struct SpawnOptions {
    pub bin: PathBuf,
    pub project_dir: PathBuf,
    /// The merged `OPENCODE_CONFIG_CONTENT`, if any.
    pub config_content: Option<String>,
    pub isolated: bool,
    pub startup_timeout: Duration,
    /// `--port N`: listen on this port (still loopback, still with a password) and write
    /// the connection file for an editor plugin (connection_file.rs); `None`: any port.
    pub port: Option<u16>,
}

/// A random secret for `OPENCODE_SERVER_PASSWORD`.
pub fn random_password() -> String {
    let mut bytes = [0u8; 24];
    getrandom::getrandom(&mut bytes).expect("the OS random source works");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A server we talk to: spawned by us (and stopped by us) or attached.
pub struct Server {
    pub client: Client,
    child: Option<Child>,
    pgid: Option<i32>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    _isolation: Option<Isolation>,
    /// The plugin that keeps the password out of the tools' environment (removed on drop).
    _hide_password: Option<HidePasswordPlugin>,
    /// `--port N`: the connection file an editor plugin reads (removed on drop).
    connection_file: Option<crate::backend::connection_file::ConnectionFile>,
    pub spawn_options: Option<SpawnOptions>,
    /// The `version` its `/global/health` reported (set once it answered).
    pub version: Option<String>,
}

const STDERR_TAIL_LINES: usize = 40;

impl Server {
    /// Spawns `opencode serve` on 127.0.0.1 with a random password and waits until healthy.
    pub async fn spawn(opts: SpawnOptions) -> Result<Server, ServerError> {
        if !opts.project_dir.is_dir() {
            return Err(ServerError::NoProjectDir(opts.project_dir.clone()));
        }
        let password = random_password();
        let isolation = if opts.isolated {
            Some(Isolation::new().map_err(|e| ServerError::Other(format!("--isolated: {e:#}")))?)
        } else {
            None
        };
        let hide_password = HidePasswordPlugin::write().map_err(|e| {
            ServerError::Other(format!(
                "cannot write the plugin that hides the password: {e}"
            ))
        })?;
        let mut cmd = Command::new(&opts.bin);
        let port = opts.port.unwrap_or(0).to_string();
        cmd.args(["serve", "--hostname", "127.0.0.1", "--port", &port])
            .current_dir(&opts.project_dir)
            .env("OPENCODE_SERVER_PASSWORD", &password)
            .env("OPENCODE_SERVER_USERNAME", "opencode")
            .env("OPENCODE_DISABLE_AUTOUPDATE", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .process_group(0);
        cmd.env(
            "OPENCODE_CONFIG_CONTENT",
            with_plugin(opts.config_content.as_deref(), &hide_password.url()),
        );
        if let Some(iso) = &isolation {
            for (k, v) in &iso.env {
                cmd.env(k, v);
            }
            for k in &iso.remove_env {
                cmd.env_remove(k);
            }
        }
        crate::sys::die_with_parent(cmd.as_std_mut());
        let mut child = cmd.spawn().map_err(|err| ServerError::Spawn {
            bin: opts.bin.clone(),
            err,
        })?;
        let pgid = child.id().map(|p| p as i32);
        if let Some(g) = pgid {
            procs::register_own_child(g);
            if let Ok(mut groups) = SPAWNED_GROUPS.lock() {
                groups.push(g);
            }
        }
        let stderr_tail = Arc::new(Mutex::new(VecDeque::new()));
        if let Some(err) = child.stderr.take() {
            let tail = stderr_tail.clone();
            tokio::spawn(async move {
                let mut lines = BufReader::new(err).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    push_tail(&tail, line);
                }
            });
        }
        let stdout = child.stdout.take().expect("stdout is piped");
        let (url_tx, url_rx) = tokio::sync::oneshot::channel();
        let tail = stderr_tail.clone();
        tokio::spawn(async move {
            let mut url_tx = Some(url_tx);
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(pos) = line.find("listening on ") {
                    let url = line[pos + "listening on ".len()..].trim().to_string();
                    if let Some(tx) = url_tx.take() {
                        let _ = tx.send(url);
                    }
                } else {
                    push_tail(&tail, line);
                }
            }
        });
        let mut server = Server {
            client: Client::new(
                "http://127.0.0.1:1",
                Some(("opencode".into(), password.clone())),
                &opts.project_dir,
            )
            .map_err(|e| ServerError::Other(e.to_string()))?,
            child: Some(child),
            pgid,
            stderr_tail,
            _isolation: isolation,
            _hide_password: Some(hide_password),
            connection_file: None,
            spawn_options: Some(opts.clone()),
            version: None,
        };
        let deadline = tokio::time::Instant::now() + opts.startup_timeout;
        let url = tokio::select! {
            url = url_rx => url.ok(),
            _ = tokio::time::sleep_until(deadline) => None,
        };
        let Some(url) = url else {
            // Its stdout closed before it said where it listens: it is exiting. Give a loaded
            // machine time to report how, rather than calling that a timeout.
            if tokio::time::Instant::now() < deadline {
                if let Some(child) = server.child.as_mut() {
                    let _ = tokio::time::timeout(Duration::from_secs(5), child.wait()).await;
                }
            }
            return Err(server.failure(opts.startup_timeout.as_secs_f64()).await);
        };
        server.client = Client::new(
            &url,
            Some(("opencode".into(), password.clone())),
            &opts.project_dir,
        )
        .map_err(|e| ServerError::Other(e.to_string()))?;
        let mut no_health = 0;
        loop {
            if let Some(status) = server
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                return Err(ServerError::Exited {
                    status: status.to_string(),
                    stderr: server.stderr_tail(),
                });
            }
            match server.client.health(Duration::from_secs(1)).await {
                Ok(health) => {
                    server.version = crate::backend::version::version_of_health(&health);
                    if let Some(port) = opts.port {
                        let dir = server.client.directory().to_string();
                        server.connection_file = Some(
                            crate::backend::connection_file::ConnectionFile::write(
                                port,
                                &url,
                                &password,
                                Path::new(&dir),
                            )
                            .map_err(|e| {
                                ServerError::Other(format!(
                                    "--port {port}: cannot write the connection file: {e}"
                                ))
                            })?,
                        );
                    }
                    return Ok(server);
                }
                // It listens and answers, but not as a health route: an opencode too old
                // to have one (1.0.x answers 500), or not opencode. Waiting will not help;
                // a few answers in a row rule out a server still settling in.
                Err(e @ (ClientError::Status { .. } | ClientError::Decode { .. })) => {
                    no_health += 1;
                    if no_health >= 3 {
                        server.shutdown().await;
                        return Err(ServerError::NoHealthRoute(e.to_string()));
                    }
                }
                Err(_) => no_health = 0,
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(server.failure(opts.startup_timeout.as_secs_f64()).await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn failure(&mut self, secs: f64) -> ServerError {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let exited = self
            .child
            .as_mut()
            .and_then(|c| c.try_wait().ok().flatten());
        let stderr = self.stderr_tail();
        self.shutdown().await;
        match exited {
            Some(status) => ServerError::Exited {
                status: status.to_string(),
                stderr,
            },
            None => ServerError::NotHealthy { secs, stderr },
        }
    }

    /// Uses a running server at `url`.
    pub fn attach(
        url: &str,
        auth: Option<(String, String)>,
        project_dir: &Path,
    ) -> Result<Server, ServerError> {
        let client =
            Client::new(url, auth, project_dir).map_err(|e| ServerError::Other(e.to_string()))?;
        Ok(Server {
            client,
            child: None,
            pgid: None,
            stderr_tail: Default::default(),
            _isolation: None,
            _hide_password: None,
            connection_file: None,
            spawn_options: None,
            version: None,
        })
    }

    /// The connection file written for `--port N` (for an editor plugin), if any.
    pub fn connection_file(&self) -> Option<&Path> {
        self.connection_file.as_ref().map(|f| f.path())
    }

    /// True when we spawned this server.
    pub fn is_spawned(&self) -> bool {
        self.spawn_options.is_some()
    }

    /// The last lines the server wrote (for error messages).
    pub fn stderr_tail(&self) -> String {
        let tail = self
            .stderr_tail
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default();
        tail.into_iter().collect::<Vec<_>>().join("\n")
    }

    /// Returns the exit status if the spawned server has died.
    pub fn try_exited(&mut self) -> Option<String> {
        let child = self.child.as_mut()?;
        child.try_wait().ok().flatten().map(|s| s.to_string())
    }

    /// Stops a spawned server: aborts the turns still running (so opencode stops their
    /// tools itself), then SIGTERM to its process group, SIGKILL after 3 s, and SIGKILL to
    /// every process it started in another group (the agent's tools) that is still there.
    pub async fn shutdown(&mut self) {
        // Its password is of no use any more (a restart writes the file again).
        self.connection_file = None;
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = self.pgid;
        self.abort_running_turns().await;
        let tree = self.pgid.map(procs::descendants).unwrap_or_default();
        if let Some(g) = self.pgid {
            signal_group(g, libc::SIGTERM);
        }
        let waited = tokio::time::timeout(Duration::from_secs(3), child.wait()).await;
        if let Some(g) = self.pgid.take() {
            // Also reaps anything the server started (tools, LSPs) in its group.
            signal_group(g, libc::SIGKILL);
            if let Ok(mut groups) = SPAWNED_GROUPS.lock() {
                groups.retain(|x| *x != g);
            }
        }
        if waited.is_err() {
            let _ = child.kill().await;
        }
        procs::signal_each(&tree, libc::SIGKILL);
        if let Some(pid) = pid {
            procs::forget_own_child(pid);
        }
        procs::reap_adopted();
    }

    /// `POST /session/{id}/abort` for every session the server says is busy, within 2 s
    /// in all (a server that does not answer is stopped anyway).
    async fn abort_running_turns(&self) {
        let client = self.client.clone();
        let abort = async move {
            let Ok(statuses) = client.session_statuses().await else {
                return;
            };
            for (id, status) in statuses {
                if status["type"].as_str().is_some_and(|t| t != "idle") {
                    tracing::info!(session = id, "aborting the running turn before quitting");
                    let _ = client.abort(&id).await;
                }
            }
        };
        let _ = tokio::time::timeout(Duration::from_secs(2), abort).await;
    }
}

fn push_tail(tail: &Mutex<VecDeque<String>>, line: String) {
    if let Ok(mut t) = tail.lock() {
        if t.len() == STDERR_TAIL_LINES {
            t.pop_front();
        }
        t.push_back(line);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(g) = self.pgid.take() {
            let tree = procs::descendants(g);
            signal_group(g, libc::SIGKILL);
            procs::signal_each(&tree, libc::SIGKILL);
            if let Ok(mut groups) = SPAWNED_GROUPS.lock() {
                groups.retain(|x| *x != g);
            }
        }
    }
}
