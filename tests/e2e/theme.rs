//! The palette in a real terminal (tmux, no opencode needed: a replay of the demo log):
//! `--theme auto` reads the background (the OSC 11 query gets no answer from a detached
//! tmux, so `COLORFGBG` decides) without leaving anything on screen, `--theme` overrides
//! it, and `NO_COLOR` draws no colour but still shows selection in reverse video.

use std::process::Command;
use std::time::{Duration, Instant};

struct Term {
    socket: String,
}

impl Term {
    /// `ocw-tui replay --instant assets/demo.jsonl ARGS` in a 100x30 tmux on its own server.
    fn start(env: &[(&str, &str)], args: &[&str]) -> Term {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let socket = format!("ocw-theme-{}-{n}", std::process::id());
        let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo.jsonl");
        let mut cmd = String::from("env -u NO_COLOR -u COLORFGBG -u COLORTERM TERM=xterm-256color");
        for (k, v) in env {
            cmd.push_str(&format!(" {k}='{v}'"));
        }
        cmd.push_str(&format!(
            " '{}' replay --instant '{demo}' {}; sleep 600",
            env!("CARGO_BIN_EXE_ocw-tui"),
            args.join(" ")
        ));
        let t = Term { socket };
        let out = t.tmux(&["new-session", "-d", "-x", "100", "-y", "30", &cmd]);
        assert!(out.status.success(), "tmux: {out:?}");
        t
    }

    fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux is needed for this test: install it (apt-get install tmux)")
    }

    /// The screen with its escape sequences (`capture-pane -e`).
    fn styled(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-e"]).stdout).into_owned()
    }

    fn wait_text(&self, text: &str) -> String {
        let deadline = Instant::now() + crate::support::patience(20);
        loop {
            let s = self.styled();
            if s.contains(text) {
                return s;
            }
            assert!(Instant::now() < deadline, "no {text:?} on screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// The status bar (the row with the token total).
fn status_row(screen: &str) -> &str {
    screen.lines().find(|l| l.contains('Σ')).unwrap_or("")
}

#[test]
fn auto_reads_a_light_background_and_theme_overrides_it() {
    let light = Term::start(&[("COLORFGBG", "0;15")], &["--theme", "auto"]);
    let s = light.wait_text("Σ");
    let bar = status_row(&s);
    assert!(bar.contains("48;5;7m"), "light grey bar: {bar:?}");
    assert!(!bar.contains("48;5;0m"), "no black bar on light: {bar:?}");
    assert!(
        !s.contains("11;rgb") && !s.contains("1;2c"),
        "no answer leaked: {s}"
    );

    let dark = Term::start(&[("COLORFGBG", "0;15")], &["--theme", "dark"]);
    let s = dark.wait_text("Σ");
    assert!(
        status_row(&s).contains("48;5;0m"),
        "black bar: {:?}",
        status_row(&s)
    );
}

/// A theme's RGB colours go out as 24-bit colour where the terminal says it has it
/// (`COLORTERM=truecolor`), else as the nearest of the 256-colour palette.
#[test]
fn a_theme_is_true_colour_only_where_the_terminal_says_so() {
    let t = Term::start(&[("COLORTERM", "truecolor")], &["--theme", "gruvbox"]);
    let s = t.wait_text("Σ");
    // gruvbox's dark panel, #3c3836.
    let bar = status_row(&s);
    assert!(bar.contains("48;2;60;56;54m"), "24-bit: {bar:?}");

    let t = Term::start(&[], &["--theme", "gruvbox"]);
    let s = t.wait_text("Σ");
    let bar = status_row(&s);
    assert!(
        bar.contains("48;5;237m"),
        "the nearest grey of 256: {bar:?}"
    );
    assert!(
        !s.contains("38;2;") && !s.contains("48;2;"),
        "no 24-bit colour: {s}"
    );
}

#[test]
fn no_color_draws_no_colour_and_keeps_reverse_video() {
    let t = Term::start(&[("NO_COLOR", "1")], &[]);
    let s = t.wait_text("Σ");
    for l in s.lines() {
        assert!(!has_colour(l), "colour in {l:?}");
    }
    let bar = status_row(&s);
    assert!(
        sgr_params(bar).contains(&7),
        "the bar in reverse video: {bar:?}"
    );
}

/// Every parameter of the SGR sequences (`ESC [ ... m`) in `line`.
fn sgr_params(line: &str) -> Vec<u32> {
    line.split("\x1b[")
        .skip(1)
        .filter_map(|seq| seq.find('m').map(|end| &seq[..end]))
        .flat_map(|p| p.split(';').filter_map(|n| n.parse().ok()))
        .collect()
}

/// Whether `line` sets a colour (SGR 30-48 and 90-107, 38/48 extended included; 39 and
/// 49 only reset to the default).
fn has_colour(line: &str) -> bool {
    sgr_params(line)
        .iter()
        .any(|&n| ((30..=48).contains(&n) && n != 39) || (90..=107).contains(&n))
}
