//! Driving the real ocw-tui binary in tmux as a person would: start it in a detached
//! session with a workspace's environment, type (`send_keys`, `type_text`), read the
//! screen (`screen`, `wait_for`), and learn its exit status. The session is killed on drop.

use super::opencode::Workspace;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    name: String,
    status_file: PathBuf,
}

fn tmux(args: &[&str]) -> std::process::Output {
    Command::new("tmux")
        .args(args)
        .output()
        .expect("tmux is needed for the TUI tests: install it (apt-get install tmux)")
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Tmux {
    /// Starts `ocw-tui ARGS` in the workspace's project directory, in a 140x40 terminal.
    pub fn start(ws: &Workspace, args: &[&str]) -> Tmux {
        Tmux::start_with_env(ws, &[], args)
    }

    /// Like [`Tmux::start`], with extra environment variables for ocw-tui.
    pub fn start_with_env(ws: &Workspace, env: &[(&str, &str)], args: &[&str]) -> Tmux {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("ocw-e2e-{}-{n}", std::process::id());
        let status_file = ws.root().join(format!("exit-{n}"));
        let script = ws.root().join(format!("run-{n}.sh"));
        let mut text = String::from("#!/bin/bash\n");
        for (k, v) in ws.env() {
            text.push_str(&format!("export {k}={}\n", quote(&v)));
        }
        for (k, v) in env {
            text.push_str(&format!("export {k}={}\n", quote(v)));
        }
        text.push_str(&format!(
            "export OPENCODE_BIN={}\nunset OPENCODE_SERVER_PASSWORD OPENCODE_SERVER_USERNAME\n",
            quote(&super::opencode_bin().to_string_lossy())
        ));
        text.push_str(&format!(
            "cd {}\n",
            quote(&ws.project_dir().to_string_lossy())
        ));
        let mut cmd = quote(&super::ocw_tui_bin().to_string_lossy());
        for a in args {
            cmd.push(' ');
            cmd.push_str(&quote(a));
        }
        text.push_str(&format!(
            "{cmd}\necho $? > {}\ncd / && exec sleep 600\n",
            quote(&status_file.to_string_lossy())
        ));
        std::fs::write(&script, text).unwrap();
        let out = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "140",
            "-y",
            "40",
            &format!("bash {}", quote(&script.to_string_lossy())),
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmux { name, status_file }
    }

    /// Named keys (`Enter`, `Escape`, `C-c`, `M-Enter`, `F5`, ...) or plain characters.
    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    /// Types text literally (no key names, `;` is safe).
    pub fn type_text(&self, text: &str) {
        tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    /// Types a multi-line prompt (Alt+Enter between lines) and sends it with Enter.
    pub fn prompt(&self, text: &str) {
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                self.send_keys(&["M-Enter"]);
            }
            self.type_text(line);
        }
        std::thread::sleep(Duration::from_millis(150));
        self.send_keys(&["Enter"]);
    }

    /// Waits until the dialog on top has the keys and they answer: the prompt says "the
    /// dialog above has the keys", and neither "keys arm in a moment" nor "read to the end"
    /// shows. State on screen, never a fixed pause: a loaded machine draws late.
    pub fn wait_dialog_keys(&self) -> String {
        let ready = |s: &str| {
            s.contains("the dialog above has the keys")
                && !s.contains("keys arm in a moment")
                && !s.contains("read to the end")
        };
        self.wait_for("the dialog to have the keys, armed", 20, ready);
        // Twice, a moment apart: a capture taken while one dialog replaces another (an
        // "always" followed by the save offer) can show the old one for a frame.
        std::thread::sleep(Duration::from_millis(300));
        self.wait_for("the dialog to have the keys, armed", 20, ready)
    }

    /// What the terminal shows now.
    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", &self.name]).stdout)
            .into_owned()
    }

    /// Waits until the screen satisfies `pred`; panics with the screen after `secs` (times
    /// the patience factor, [`super::patience`]).
    pub fn wait_for(&self, what: &str, secs: u64, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + super::patience(secs);
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_text(&self, text: &str, secs: u64) -> String {
        self.wait_for(&format!("{text:?}"), secs, |s| s.contains(text))
    }

    /// Waits until the status bar no longer says the session is working (the turn ended).
    pub fn wait_idle(&self) -> String {
        self.wait_for("the turn to end", 60, |s| !s.contains("working ·"))
    }

    /// The exit status of ocw-tui once it has ended (waits up to `secs`).
    pub fn exit_status(&self, secs: u64) -> i32 {
        let deadline = Instant::now() + super::patience(secs);
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.status_file) {
                if let Ok(code) = s.trim().parse() {
                    return code;
                }
            }
            assert!(
                Instant::now() < deadline,
                "ocw-tui did not exit; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Tmux {
    /// What the terminal shows now, with its colours and attributes as SGR sequences.
    pub fn screen_with_escapes(&self) -> String {
        String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-e", "-t", &self.name]).stdout)
            .into_owned()
    }

    /// The pane's title (what an OSC 0 / OSC 2 from the program would change).
    pub fn pane_title(&self) -> String {
        let out = tmux(&["display-message", "-p", "-t", &self.name, "#{pane_title}"]);
        String::from_utf8_lossy(&out.stdout).trim_end().to_string()
    }

    /// The tmux session's name (a target for `command`).
    pub fn name(&self) -> String {
        self.name.clone()
    }

    /// Runs a tmux command on this session's server (e.g. `set -s set-clipboard on`).
    pub fn command(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&tmux(args).stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.name]);
    }
}

impl Tmux {
    /// Starts an interactive bash (job control on: Ctrl+Z, `fg`) with the workspace's
    /// environment, in `/` (so only what it starts counts as left in the workspace), at a
    /// `$ ` prompt; the test types the command (`ocw-tui PROJECT ...`).
    pub fn start_shell(ws: &Workspace) -> Tmux {
        static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("ocw-e2e-sh-{}-{n}", std::process::id());
        let rc = ws.root().join(format!("shell-{n}.rc"));
        let mut text = String::from("PS1='$ '\nunset PROMPT_COMMAND\n");
        for (k, v) in ws.env() {
            text.push_str(&format!("export {k}={}\n", quote(&v)));
        }
        text.push_str(&format!(
            "export OPENCODE_BIN={}\nunset OPENCODE_SERVER_PASSWORD OPENCODE_SERVER_USERNAME\ncd /\n",
            quote(&super::opencode_bin().to_string_lossy())
        ));
        std::fs::write(&rc, text).unwrap();
        let cmd = format!(
            "bash --noprofile --rcfile {} -i",
            quote(&rc.to_string_lossy())
        );
        let out = tmux(&[
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "140",
            "-y",
            "40",
            &cmd,
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let t = Tmux {
            name,
            status_file: ws.root().join(format!("shell-exit-{n}")),
        };
        t.wait_for("the shell's prompt", 20, |s| s.trim_end().ends_with('$'));
        t
    }
}
