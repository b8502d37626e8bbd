//! Flood and soak figures against the real opencode 1.18.33 and the scripted model
//! (harness = false; prints, never asserts):
//! - headless flood: `ocw-tui run "deltas: N"` (N words, one per chunk): wall time and
//!   peak RSS against the size of the text it holds;
//! - TUI flood under tmux: the same prompt typed into the TUI; peak RSS, RSS growth over
//!   the idle baseline, frames per second while the deltas pour in (`OCW_DEBUG_FRAMES`),
//!   and key latency while they do (a key typed with
//!   `tmux send-keys` until `tmux capture-pane` shows it: includes tmux's own delay);
//! - soak: `ocw-tui run` with TURNS messages on one session: RSS, open file descriptors and
//!   processes sampled at each turn's end, and what is left after exit.
//!
//! Run: `cargo bench --bench flood_soak` (needs opencode and tmux, about 3 minutes).
//! `FLOOD_DELTAS` (default 200000) and `SOAK_TURNS` (default 100) change the sizes;
//! `FLOOD_ONLY=headless|tui|soak` runs one part.

// The e2e test binary uses every helper of the harness (unused ones are errors there);
// this bench uses a few.
#[path = "../tests/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{ocw_tui_bin, opencode_processes_in, MockModel, Workspace};

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

/// Length of "word1 word2 ... wordN".
fn flood_text_len(n: usize) -> usize {
    (1..=n).map(|i| 4 + i.to_string().len()).sum::<usize>() + n.saturating_sub(1)
}

fn headless_flood(n: usize) {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let started = Instant::now();
    let mut child = ws
        .command(ocw_tui_bin())
        .env("OPENCODE_BIN", support::opencode_bin())
        .args(["run", "--timeout", "600", "--dir"])
        .arg(ws.project_dir())
        .arg(format!("flood\ndeltas: {n}"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(out).unwrap());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(status_kb(pid, "VmHWM:").unwrap_or(0));
        std::thread::sleep(Duration::from_millis(20));
    }
    let text = reader.join().unwrap();
    let text_mb = flood_text_len(n) as f64 / 1048576.0;
    println!(
        "headless flood: {n} deltas in {:.1} s (incl. server start), final text {:.2} MB (expected {:.2} MB), peak RSS {:.1} MB",
        started.elapsed().as_secs_f64(),
        text.trim().len() as f64 / 1048576.0,
        text_mb,
        mb(peak)
    );
}

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn tui_flood(n: usize) {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let name = format!("ocw-flood-{}", std::process::id());
    let log = ws.root().join("tui.jsonl");
    let frames = ws.root().join("frames.txt");
    let mut cmd = String::from("exec env");
    for (k, v) in ws.env() {
        cmd.push_str(&format!(" {k}={}", shell_quote(&v)));
    }
    cmd.push_str(&format!(
        " OCW_DEBUG_FRAMES={} OPENCODE_BIN={} {} --no-notify --log {} {}",
        shell_quote(&frames.to_string_lossy()),
        shell_quote(&support::opencode_bin().to_string_lossy()),
        shell_quote(&ocw_tui_bin().to_string_lossy()),
        shell_quote(&log.to_string_lossy()),
        shell_quote(&ws.project_dir().to_string_lossy())
    ));
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &name,
        "-x",
        "120",
        "-y",
        "40",
        &cmd,
    ]);
    let pid: u32 = tmux(&["list-panes", "-t", &name, "-F", "#{pane_pid}"])
        .trim()
        .parse()
        .expect("pane pid");
    // Ready when the log has the server's first event.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("server.connected")
    {
        assert!(Instant::now() < deadline, "the TUI did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(1));
    let baseline = status_kb(pid, "VmRSS:").unwrap_or(0);
    tmux(&["send-keys", "-t", &name, "-l", &format!("deltas: {n}")]);
    tmux(&["send-keys", "-t", &name, "Enter"]);
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut peak = 0;
    let last_word = format!("word{n}");
    let mut done = false;
    // (ms since the epoch) when the model got the request, when the turn was seen idle.
    let mut stream_from = None;
    while started.elapsed() < Duration::from_secs(600) {
        peak = peak.max(status_kb(pid, "VmHWM:").unwrap_or(0));
        let streaming = !mock.requests().is_empty();
        if streaming && stream_from.is_none() {
            stream_from = Some(ocw_tui::log::now_ms());
        }
        if streaming && latencies.len() < 10 {
            // A key while the deltas pour in: how long until the screen shows it?
            let marker = ['Q', 'X', 'J', 'K', 'V'][latencies.len() % 5];
            let sent = Instant::now();
            tmux(&["send-keys", "-t", &name, "-l", &marker.to_string()]);
            loop {
                let screen = tmux(&["capture-pane", "-p", "-t", &name]);
                if screen.lines().rev().take(6).any(|l| l.contains(marker)) {
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    break;
                }
                if sent.elapsed() > Duration::from_secs(5) {
                    latencies.push(f64::INFINITY);
                    break;
                }
            }
            tmux(&["send-keys", "-t", &name, "BSpace"]);
        }
        let log_text = std::fs::read_to_string(&log).unwrap_or_default();
        if log_text.contains(&last_word) && log_text.trim_end().ends_with('}') {
            let tail = log_text
                .lines()
                .rev()
                .take(5)
                .collect::<Vec<_>>()
                .join("\n");
            if tail.contains("session.idle") || tail.contains("\"idle\"") {
                done = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let elapsed = started.elapsed().as_secs_f64();
    let stream_to = ocw_tui::log::now_ms();
    std::thread::sleep(Duration::from_secs(1));
    let after = status_kb(pid, "VmRSS:").unwrap_or(0);
    peak = peak.max(status_kb(pid, "VmHWM:").unwrap_or(0));
    tmux(&["send-keys", "-t", &name, "C-d"]);
    std::thread::sleep(Duration::from_secs(3));
    tmux(&["kill-session", "-t", &name]);
    let text_mb = flood_text_len(n) as f64 / 1048576.0;
    latencies.sort_by(f64::total_cmp);
    let median = latencies
        .get(latencies.len() / 2)
        .copied()
        .unwrap_or(f64::NAN);
    let max = latencies.last().copied().unwrap_or(f64::NAN);
    println!(
        "tui flood: {n} deltas, turn {} in {elapsed:.1} s; text held {text_mb:.2} MB; RSS idle {:.1} MB, after {:.1} MB (growth {:.1} MB = {:.1}x the text), peak {:.1} MB",
        if done { "done" } else { "NOT done" },
        mb(baseline),
        mb(after),
        mb(after.saturating_sub(baseline)),
        mb(after.saturating_sub(baseline)) / text_mb,
        mb(peak)
    );
    println!(
        "tui flood: key latency during the flood over {} keys (tmux send-keys to capture-pane): median {median:.0} ms, max {max:.0} ms",
        latencies.len()
    );
    let stamps: Vec<u64> = std::fs::read_to_string(&frames)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.parse().ok())
        .collect();
    let from = stream_from.unwrap_or(stream_to);
    let during: Vec<u64> = stamps
        .iter()
        .copied()
        .filter(|t| (from..=stream_to).contains(t))
        .collect();
    let secs = (stream_to - from) as f64 / 1000.0;
    let max_1s = during
        .iter()
        .enumerate()
        .map(|(i, &t)| during[i..].partition_point(|&u| u < t + 1000))
        .max()
        .unwrap_or(0);
    println!(
        "tui flood: {} frames in {secs:.1} s of streaming = {:.1} fps (busiest second {max_1s}; goal at most 60); {} frames in the whole run",
        during.len(),
        during.len() as f64 / secs.max(0.001),
        stamps.len()
    );
    leftover(&ws, "tui flood");
}

fn leftover(ws: &Workspace, what: &str) {
    std::thread::sleep(Duration::from_secs(2));
    let left = opencode_processes_in(ws.root());
    println!("{what}: processes left after exit: {}", left.len());
}

fn idle_count(log: &Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .matches("\"type\":\"session.idle\"")
        .count()
}

fn soak(turns: usize) {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("soak.jsonl");
    let messages: Vec<String> = (1..=turns)
        .map(|i| {
            if i % 10 == 0 {
                format!("turn {i}\nbash: echo soak {i}")
            } else {
                format!("turn {i}\nwords: 50")
            }
        })
        .collect();
    let started = Instant::now();
    let mut child = ws
        .command(ocw_tui_bin())
        .env("OPENCODE_BIN", support::opencode_bin())
        .args([
            "run",
            "--timeout",
            "120",
            "--on-permission",
            "once",
            "--log",
        ])
        .arg(&log)
        .arg("--dir")
        .arg(ws.project_dir())
        .args(&messages)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut samples: Vec<(usize, u64, usize, usize)> = Vec::new();
    let mut last_turn = 0;
    while child.try_wait().unwrap().is_none() {
        let done = idle_count(&log);
        if done > last_turn {
            last_turn = done;
            let rss = status_kb(pid, "VmRSS:").unwrap_or(0);
            let procs = opencode_processes_in(ws.root()).len();
            samples.push((done, rss, fds(pid), procs));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = child.wait().unwrap();
    let at = |turn: usize| samples.iter().find(|s| s.0 >= turn).copied();
    println!(
        "soak: {turns} turns in {:.1} s, exit {status}, {} turn ends sampled",
        started.elapsed().as_secs_f64(),
        samples.len()
    );
    for t in [1, 10, 25, 50, 75, turns] {
        if let Some((n, rss, fd, procs)) = at(t) {
            println!(
                "soak: after turn {n:>3}: RSS {:.1} MB, open fds {fd}, processes in the workspace {procs}",
                mb(rss)
            );
        }
    }
    if let (Some(a), Some(b)) = (at(10), samples.last().copied()) {
        let per_turn = (b.1 as f64 - a.1 as f64) / (b.0 - a.0).max(1) as f64;
        println!(
            "soak: RSS growth from turn {} to {}: {per_turn:.1} kB per turn; fds {} -> {}",
            a.0, b.0, a.2, b.2
        );
    }
    leftover(&ws, "soak");
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let only = std::env::var("FLOOD_ONLY").unwrap_or_default();
    let n = env_num("FLOOD_DELTAS", 200_000);
    if only.is_empty() || only == "headless" {
        headless_flood(n);
    }
    if only.is_empty() || only == "tui" {
        tui_flood(n);
    }
    if only.is_empty() || only == "soak" {
        soak(env_num("SOAK_TURNS", 100));
    }
}
