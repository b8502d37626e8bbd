//! The real opencode in tests: finding the binary, a hermetic workspace wired to a
//! [`MockModel`], a supervised `opencode serve` (killed with its process group on drop),
//! and a check for processes left running in a directory.
//!
//! Uses real time (reqwest and tokio timers): not for `start_paused` tests.

use super::mock_model::MockModel;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The opencode version the tests are written against.
pub const OPENCODE_VERSION: &str = "1.18.33";
const NOT_FOUND: &str =
    "opencode 1.18.33 not found: run scripts/install-opencode.sh or set OCW_OPENCODE_BIN";

/// The opencode binary: `$OCW_OPENCODE_BIN`, else the one `scripts/install-opencode.sh`
/// installs under `${OCW_CACHE_DIR:-$HOME/.cache/ocw-tui}`, else `opencode` on `PATH`.
/// Panics when none exists: tests fail, never skip, without opencode.
pub fn opencode_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("OCW_OPENCODE_BIN").filter(|b| !b.is_empty()) {
        let bin = PathBuf::from(bin);
        assert!(
            bin.is_file(),
            "{NOT_FOUND} (OCW_OPENCODE_BIN={} does not exist)",
            bin.display()
        );
        return bin;
    }
    let cache = std::env::var_os("OCW_CACHE_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache/ocw-tui")));
    if let Some(cache) = cache {
        let bin = cache.join("opencode/node_modules/opencode-linux-x64/bin/opencode");
        if bin.is_file() {
            return bin;
        }
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("opencode"))
        .find(|bin| bin.is_file())
        .unwrap_or_else(|| panic!("{NOT_FOUND}"))
}

/// A temporary, hermetic home for one opencode: `project/` (the project directory) and
/// private XDG data/config/cache/state directories and `HOME`. Deleted on drop.
pub struct Workspace {
    dir: tempfile::TempDir,
    project: PathBuf,
    env: Vec<(String, String)>,
}

impl Workspace {
    pub fn new(model: &MockModel) -> Workspace {
        let dir = tempfile::Builder::new()
            .prefix("ocw-e2e-")
            .tempdir()
            .expect("create workspace tempdir");
        // Canonical, so paths compare equal to what opencode and /proc report.
        let root = dir.path().canonicalize().expect("canonicalize workspace");
        let sub = |name: &str| {
            let path = root.join(name);
            std::fs::create_dir_all(&path).expect("create workspace dir");
            path.to_string_lossy().into_owned()
        };
        let project = PathBuf::from(sub("project"));
        seed_plugin_deps(&PathBuf::from(sub("xdg/config/opencode")));
        let env = vec![
            ("HOME".to_string(), sub("home")),
            ("XDG_DATA_HOME".to_string(), sub("xdg/data")),
            ("XDG_CONFIG_HOME".to_string(), sub("xdg/config")),
            ("XDG_CACHE_HOME".to_string(), sub("xdg/cache")),
            ("XDG_STATE_HOME".to_string(), sub("xdg/state")),
            ("OPENCODE_DISABLE_MODELS_FETCH".to_string(), "1".to_string()),
            ("OPENCODE_DISABLE_AUTOUPDATE".to_string(), "1".to_string()),
            (
                "OPENCODE_CONFIG_CONTENT".to_string(),
                model.opencode_config().to_string(),
            ),
            (
                "OCW_OPENCODE_BIN".to_string(),
                opencode_bin().to_string_lossy().into_owned(),
            ),
        ];
        Workspace { dir, project, env }
    }

    /// The workspace root (holds `project/`, `home/` and `xdg/`).
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The opencode project directory (`<root>/project`).
    pub fn project_dir(&self) -> &Path {
        &self.project
    }

    /// Environment for a process of this workspace: `HOME`, the four `XDG_*_HOME`,
    /// `OPENCODE_DISABLE_MODELS_FETCH=1`, `OPENCODE_DISABLE_AUTOUPDATE=1`,
    /// `OPENCODE_CONFIG_CONTENT` (the mock provider, model `mock/mock-model`, bash and edit
    /// on `ask`) and `OCW_OPENCODE_BIN`.
    pub fn env(&self) -> Vec<(String, String)> {
        self.env.clone()
    }

    /// A command running in the project directory with [`Workspace::env`] set and any
    /// inherited `OPENCODE_SERVER_PASSWORD`/`OPENCODE_SERVER_USERNAME` removed.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .current_dir(&self.project)
            .envs(self.env())
            .env_remove("OPENCODE_SERVER_PASSWORD")
            .env_remove("OPENCODE_SERVER_USERNAME");
        command
    }
}

/// opencode installs `@opencode-ai/plugin` into each config directory and, when any plugin
/// is configured (ocw-tui always passes one, which keeps the password out of the tools),
/// waits for that install before it serves a project: 15 to 70 s for a fresh directory. A
/// workspace's config directory gets the dependency from one install shared by all tests
/// (made once with npm under `${OCW_CACHE_DIR:-$HOME/.cache/ocw-tui}`), linked, not copied.
fn seed_plugin_deps(config_dir: &Path) {
    let cache = std::env::var_os("OCW_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/ocw-tui")))
        .unwrap_or_else(|| std::env::temp_dir().join("ocw-tui-cache"))
        .join(format!("opencode-config-deps-{OPENCODE_VERSION}"));
    if !cache.join("node_modules/@opencode-ai/plugin").is_dir() {
        let tmp = cache.with_extension(format!("tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).expect("create the plugin dependency cache");
        std::fs::write(
            tmp.join("package.json"),
            format!(r#"{{"dependencies":{{"@opencode-ai/plugin":"{OPENCODE_VERSION}"}}}}"#),
        )
        .unwrap();
        let ok = Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&tmp)
            .stdin(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        // Another test may have won the race: either copy will do.
        if !ok || std::fs::rename(&tmp, &cache).is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
    if !cache.join("node_modules/@opencode-ai/plugin").is_dir() {
        return; // No npm or no network: opencode installs it itself, slowly.
    }
    for f in ["package.json", "package-lock.json"] {
        let _ = std::fs::copy(cache.join(f), config_dir.join(f));
    }
    let _ = std::os::unix::fs::symlink(cache.join("node_modules"), config_dir.join("node_modules"));
}

/// An `opencode serve` child process; its whole process group is killed on drop.
pub struct RunningServer {
    child: Child,
    url: String,
    password: Option<String>,
    output: Arc<Mutex<String>>,
}

/// Spawns `opencode serve --port 0 --hostname 127.0.0.1` in the workspace's project dir
/// (with `OPENCODE_SERVER_PASSWORD` when `password` is given) and waits until
/// `GET /global/health` says healthy (1 s per attempt, 30 s in all). Panics with the
/// server's output when it does not come up.
pub async fn spawn_opencode_serve(ws: &Workspace, password: Option<&str>) -> RunningServer {
    use std::os::unix::process::CommandExt;
    let mut command = ws.command(opencode_bin());
    command
        .args(["serve", "--port", "0", "--hostname", "127.0.0.1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if let Some(password) = password {
        command.env("OPENCODE_SERVER_PASSWORD", password);
    }
    let mut child = command.spawn().expect("spawn opencode serve");
    let output = Arc::new(Mutex::new(String::new()));
    let (url_tx, url_rx) = tokio::sync::oneshot::channel::<String>();
    drain(
        child.stdout.take().expect("stdout"),
        output.clone(),
        Some(url_tx),
    );
    drain(child.stderr.take().expect("stderr"), output.clone(), None);
    let mut server = RunningServer {
        child,
        url: String::new(),
        password: password.map(str::to_string),
        output,
    };
    let deadline = Instant::now() + super::patience(30);
    match tokio::time::timeout(super::patience(30), url_rx).await {
        Ok(Ok(url)) => server.url = url,
        _ => server.fail("no `listening on http://...` line"),
    }
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .expect("reqwest client");
    loop {
        let response = server
            .request(&client, reqwest::Method::GET, "/global/health")
            .send()
            .await;
        if let Ok(response) = response {
            if let Ok(body) = response.json::<serde_json::Value>().await {
                if body["healthy"] == true {
                    return server;
                }
            }
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            server.fail(&format!("exited with {status} before it was healthy"));
        }
        if Instant::now() > deadline {
            server.fail("not healthy after 30 s");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Copies a child's output into `sink` on a thread (so the pipe never fills), sending
/// the URL of the first `listening on http://...` line to `url_tx`.
fn drain(
    stream: impl Read + Send + 'static,
    sink: Arc<Mutex<String>>,
    mut url_tx: Option<tokio::sync::oneshot::Sender<String>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Some(at) = line.find("listening on http://") {
                if let Some(tx) = url_tx.take() {
                    let url = line[at + "listening on ".len()..].trim();
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
            let mut sink = sink.lock().unwrap();
            sink.push_str(&line);
            sink.push('\n');
        }
    });
}

impl RunningServer {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// Everything the server printed so far (stdout and stderr).
    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// A request to `url() + path`, with basic auth (user `opencode`) when the server has
    /// a password.
    pub fn request(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let request = client.request(method, format!("{}{path}", self.url));
        match &self.password {
            Some(password) => request.basic_auth("opencode", Some(password)),
            None => request,
        }
    }

    fn fail(&mut self, what: &str) -> ! {
        self.kill();
        std::thread::sleep(Duration::from_millis(100));
        panic!(
            "opencode serve: {what}\n--- its output ---\n{}",
            self.output()
        );
    }

    /// SIGTERM to the process group, SIGKILL after 3 s; waits for the child.
    fn kill(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            // The leader is gone; still sweep what it may have left in its group.
            signal_group(self.child.id(), libc::SIGKILL);
            return;
        }
        signal_group(self.child.id(), libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        signal_group(self.child.id(), libc::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        self.kill();
    }
}

fn signal_group(pgid: u32, signal: libc::c_int) {
    let Ok(pgid) = libc::pid_t::try_from(pgid) else {
        return;
    };
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
    unsafe {
        libc::kill(-pgid, signal);
    }
}

/// Pids of live (non-zombie) processes, other than this one, whose working directory is
/// `dir` or under it: after ocw-tui exits, none of its opencode (or their tools) may be left.
pub fn opencode_processes_in(dir: &Path) -> Vec<u32> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let mut pids: Vec<u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| {
            let Ok(cwd) = std::fs::read_link(format!("/proc/{pid}/cwd")) else {
                return false;
            };
            cwd.starts_with(&dir) && !is_zombie(*pid)
        })
        .collect();
    pids.sort_unstable();
    pids
}

fn is_zombie(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    // The state follows the parenthesised command name, which may itself hold spaces.
    stat.rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .is_some_and(|state| state == "Z" || state == "X")
}

/// Fails the test unless every process in the workspace is gone within `secs` (ocw-tui
/// stops its server before it exits; the kernel may take a moment to reap).
pub fn assert_no_opencode_left(ws: &Workspace, secs: u64) {
    let deadline = Instant::now() + super::patience(secs);
    loop {
        let left = opencode_processes_in(ws.root());
        if left.is_empty() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "opencode processes outlived ocw-tui: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
