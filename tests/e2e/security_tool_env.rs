//! The password of the server ocw-tui spawns never reaches the processes that server runs:
//! the real opencode 1.18.33, started by `ocw-tui run`, runs `env` through the agent's `bash`
//! tool, the `!` shell (`POST /session/{id}/shell`) and a terminal (`POST /pty`), and none of
//! the three sees `OPENCODE_SERVER_PASSWORD`; a user's own plugin still runs beside ours.

use crate::support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::{assert_no_opencode_left, ocw_tui_bin, opencode_processes_in, MockModel, Workspace};

/// Waits for `path` to exist and hold a line ending the dump, then returns its text.
fn wait_file(path: &Path, secs: u64) -> String {
    let deadline = Instant::now() + crate::support::patience(secs);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if text.contains("END_OF_DUMP") {
                return text;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{} was not written",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The `opencode serve` process under `dir` and its environment.
fn server_env(dir: &Path) -> Vec<(String, String)> {
    for pid in opencode_processes_in(dir) {
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        if !String::from_utf8_lossy(&cmdline).contains("serve") {
            continue;
        }
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        return environ
            .split(|b| *b == 0)
            .filter_map(|kv| {
                let kv = String::from_utf8_lossy(kv);
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
    }
    panic!("no opencode serve process found under {}", dir.display());
}

fn stop(mut child: Child, ws: &Workspace) {
    // SAFETY: kill(2) on our own child; no memory is involved.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let _ = child.wait();
    assert_no_opencode_left(ws, 10);
}

#[test]
fn no_tool_shell_or_terminal_sees_the_server_password() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let project = ws.project_dir().to_path_buf();
    // A user's own plugin, passed the usual way: it must still run (ours is added after it).
    let user_plugin = ws.root().join("user-plugin.js");
    std::fs::write(
        &user_plugin,
        "export const UserPlugin = async () => ({\n  \"shell.env\": async (_i, out) => { out.env.OCW_USER_PLUGIN = \"ran\"; },\n});\n",
    )
    .unwrap();
    let config = serde_json::json!({
        "permission": {"bash": "allow"},
        "plugin": [format!("file://{}", user_plugin.display())],
    })
    .to_string();
    let dump = |name: &str| format!("env > {name}; echo END_OF_DUMP >> {name}");
    // The turn dumps the tool's environment, then keeps the server busy while the test
    // tries the other two paths; SIGINT ends it.
    let prompt = format!("bash: {}\nbash: sleep 120", dump("tool-env.txt"));
    let tmp = ws.root().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let mut child = ws
        .command(ocw_tui_bin())
        .env("OPENCODE_BIN", support::opencode_bin())
        .env("OCW_DEBUG_PRINT_URL", "1")
        .env("TMPDIR", &tmp)
        .args(["run", "--config", &config, &prompt])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // stderr is read to the end in a thread: the URL line first, everything for a failure.
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let stderr_text = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let err_pipe = child.stderr.take().unwrap();
    let text = stderr_text.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err_pipe).lines() {
            let Ok(line) = line else { break };
            if let Some(u) = line.strip_prefix("ocw-tui: opencode server at ") {
                let _ = url_tx.send(u.trim().to_string());
            }
            let mut t = text.lock().unwrap();
            t.push_str(&line);
            t.push('\n');
        }
    });
    let said = || stderr_text.lock().unwrap().clone();
    let Ok(url) = url_rx.recv_timeout(Duration::from_secs(180)) else {
        panic!("ocw-tui did not start the server:\n{}", said());
    };
    let wait_file = |path: &Path, secs: u64| -> String {
        std::panic::catch_unwind(|| wait_file(path, secs))
            .unwrap_or_else(|_| panic!("ocw-tui said:\n{}", said()))
    };

    let tool = wait_file(&project.join("tool-env.txt"), 60);
    let env = server_env(ws.root());
    let password = env
        .iter()
        .find(|(k, _)| k == "OPENCODE_SERVER_PASSWORD")
        .map(|(_, v)| v.clone())
        .expect("the server has its password");
    assert!(password.len() >= 32, "a random password: {password}");

    let http = reqwest::blocking::Client::new();
    let post = |path: &str, body: serde_json::Value| -> serde_json::Value {
        let resp = http
            .post(format!("{url}{path}"))
            .basic_auth("opencode", Some(&password))
            .json(&body)
            .send()
            .unwrap();
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().unwrap()
    };
    // The `!` shell, on a session of its own (the first one is busy).
    let session = post("/session", serde_json::json!({}));
    let sid = session["id"].as_str().unwrap();
    post(
        &format!("/session/{sid}/shell"),
        serde_json::json!({"agent": "build", "command": dump("shell-env.txt")}),
    );
    let shell = wait_file(&project.join("shell-env.txt"), 30);
    // A terminal.
    post(
        "/pty",
        serde_json::json!({"command": "sh", "args": ["-c", dump("pty-env.txt")]}),
    );
    let pty = wait_file(&project.join("pty-env.txt"), 30);
    stop(child, &ws);

    for (what, text) in [
        ("bash tool", &tool),
        ("! shell", &shell),
        ("terminal", &pty),
    ] {
        assert!(
            !text.contains(&password),
            "the {what} saw the server password:\n{text}"
        );
        let values: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("OPENCODE_SERVER_PASSWORD="))
            .collect();
        assert!(
            values.iter().all(|v| v.is_empty()),
            "the {what} has a value for the variable: {values:?}"
        );
    }
    // The user's plugin ran for the tool and the shell (its hook is the same for the PTY).
    assert!(tool.contains("OCW_USER_PLUGIN=ran"), "{tool}");
    assert!(shell.contains("OCW_USER_PLUGIN=ran"), "{shell}");
    // Our plugin's private directory is gone with the server.
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("ocw-tui-plugin-"))
        .collect();
    assert!(left.is_empty(), "plugin directories left behind: {left:?}");
}
