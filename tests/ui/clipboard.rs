//! OSC 52 copy, proven in a real tmux 3.3: the bytes of `ui::runtime::clipboard::osc52` written
//! into a pane (by `cat`, as the TUI writes them to its terminal) with `set-clipboard on`
//! land whole in a tmux buffer, `tmux show-buffer`. Each test runs its own tmux server
//! (`-L`), so the option never leaks into other tests. Fails (never skips) without tmux.

use ocw_tui::ui::runtime::clipboard::{osc52, Wrap, MAX_BYTES};
use std::process::Command;
use std::time::{Duration, Instant};

struct Server {
    socket: String,
    dir: tempfile::TempDir,
}

impl Server {
    fn start(name: &str) -> Server {
        let socket = format!("ocw-clip-{}-{name}", std::process::id());
        let s = Server {
            socket,
            dir: tempfile::tempdir().unwrap(),
        };
        s.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
        ])
        .then_some(())
        .expect("tmux new-session");
        s.tmux(&["set", "-g", "set-clipboard", "on"])
            .then_some(())
            .expect("tmux set set-clipboard on");
        s
    }

    fn tmux_out(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is needed for this test: install it (apt-get install tmux)")
    }

    fn tmux(&self, args: &[&str]) -> bool {
        self.tmux_out(args).status.success()
    }

    /// Writes `bytes` to a new pane's terminal.
    fn write_in_pane(&self, bytes: &[u8]) {
        let file = self.dir.path().join("seq.bin");
        std::fs::write(&file, bytes).unwrap();
        let cmd = format!("cat '{}'; sleep 30", file.display());
        assert!(self.tmux(&["new-window", &cmd]), "tmux new-window");
    }

    /// The newest tmux buffer once it equals `want` (waits up to 10 s), else panics.
    fn wait_buffer(&self, want: &[u8]) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let out = self.tmux_out(&["show-buffer"]);
            if out.status.success() && out.stdout == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "tmux buffer never held the copied text ({} bytes wanted); it holds {} bytes: {:?}",
                want.len(),
                out.stdout.len(),
                String::from_utf8_lossy(&out.stdout[..out.stdout.len().min(200)])
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.tmux_out(&["kill-server"]);
    }
}

#[test]
fn copied_text_reaches_the_tmux_buffer_byte_for_byte() {
    let s = Server::start("text");
    // Escape sequences in the copied text stay text: they travel as base64.
    let text = "fn main() {\n    println!(\"héllo ✓\");\n}\n\x1b[31mred\x1b[0m\ttab";
    s.write_in_pane(&osc52(text, Wrap::Plain).unwrap());
    s.wait_buffer(text.as_bytes());
}

#[test]
fn a_text_at_the_size_limit_arrives_whole() {
    let s = Server::start("big");
    let line = "0123456789abcdefghijklmnopqrstuvwxyz ✓ the quick brown fox\n";
    let mut text = line.repeat(MAX_BYTES / line.len() + 1);
    while text.len() > MAX_BYTES {
        text.pop();
    }
    s.write_in_pane(&osc52(&text, Wrap::Plain).unwrap());
    s.wait_buffer(text.as_bytes());
    // One byte more is refused, never cut.
    let over = format!("{text}{}", "x".repeat(MAX_BYTES + 1 - text.len()));
    assert!(osc52(&over, Wrap::Plain).is_err());
}
