//! End-to-end tests of issue 18's "wrong 5" against the real opencode 1.18.33: ocw-tui
//! attached (`--attach`) to a server we run on a fixed port keeps a partial answer, marked
//! `■ interrupted`, when that server is killed mid-answer and started again on the same
//! port (the event stream reconnects and the resync says the turn is over); and Esc during
//! a provider retry (the scripted model answers HTTP 429, opencode retries) leaves the same
//! marker instead of a turn that silently vanished.

use crate::support;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::{opencode_bin, MockModel, Tmux, Workspace};

const PASSWORD: &str = "interrupted-test-password";

/// `opencode serve` on a fixed port of loopback with a password; its process group is
/// killed with SIGKILL by [`FixedServer::kill`] and on drop.
struct FixedServer {
    child: Child,
}

impl FixedServer {
    /// Starts it and waits until `GET /global/health` says healthy.
    fn start(ws: &Workspace, port: u16) -> FixedServer {
        use std::os::unix::process::CommandExt;
        let child = ws
            .command(opencode_bin())
            .args([
                "serve",
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .env("OPENCODE_SERVER_PASSWORD", PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("spawn opencode serve");
        let mut server = FixedServer { child };
        let client = reqwest::blocking::Client::new();
        let deadline = Instant::now() + support::patience(60);
        loop {
            let healthy = client
                .get(format!("http://127.0.0.1:{port}/global/health"))
                .basic_auth("opencode", Some(PASSWORD))
                .timeout(Duration::from_secs(2))
                .send()
                .ok()
                .and_then(|r| r.json::<serde_json::Value>().ok())
                .is_some_and(|v| v["healthy"] == true);
            if healthy {
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("opencode serve on port {port} exited with {status}");
            }
            assert!(
                Instant::now() < deadline,
                "opencode serve on port {port} not healthy"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// SIGKILL to its whole process group (no chance to finish anything), then reaped.
    fn kill(&mut self) {
        if let Ok(pgid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) on a process group; no memory is involved.
            unsafe {
                libc::kill(-pgid, libc::SIGKILL);
            }
        }
        let _ = self.child.wait();
    }
}

impl Drop for FixedServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A port of loopback free right now.
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local_addr").port()
}

fn attach(ws: &Workspace, port: u16) -> Tmux {
    let url = format!("http://127.0.0.1:{port}");
    let t = Tmux::start(ws, &["--no-log", "--attach", &url, "--password", PASSWORD]);
    t.wait_text("ready", 60);
    t
}

#[test]
fn a_partial_answer_is_marked_interrupted_after_the_attached_server_restarts() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let port = free_port();
    let mut server = FixedServer::start(&ws, port);
    let t = attach(&ws, port);
    t.prompt("slowly\nslow: 700\nwords: 300");
    t.wait_for("the answer to stream", 60, |s| s.contains("word4"));
    server.kill();
    t.wait_for("the lost connection", 30, |s| s.contains("reconnecting"));
    let _server = FixedServer::start(&ws, port);
    let screen = t.wait_for("the cut answer marked", 60, |s| {
        s.contains("■ interrupted") && s.contains("word4") && !s.contains("reconnecting")
    });
    assert!(!screen.contains("word300"), "{screen}");
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
}

#[test]
fn esc_during_a_provider_retry_leaves_the_interrupted_marker() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let port = free_port();
    let _server = FixedServer::start(&ws, port);
    let t = attach(&ws, port);
    t.prompt("overloaded\nstatus: 429");
    t.wait_for("opencode to retry the model", 60, |s| s.contains("retry #"));
    assert!(
        mock.requests()
            .iter()
            .filter(|r| r.get("tools").is_some_and(|t| !t.is_null()))
            .count()
            >= 1
    );
    t.send_keys(&["Escape"]);
    let screen = t.wait_for("the stopped turn marked", 30, |s| {
        s.contains("■ interrupted") && !s.contains("retry #")
    });
    assert!(screen.contains("overloaded"), "{screen}");
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
}
