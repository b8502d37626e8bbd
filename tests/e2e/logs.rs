//! End-to-end tests of the session logs against the real opencode 1.18.33 and the scripted
//! model: the TUI records every session under `$XDG_STATE_HOME/ocw-tui/logs/` (a 0700
//! directory, 0600 files) that `ocw-tui replay` lists and replays; a `--log` inside the
//! project (which opencode's snapshots would copy into every message) is refused; `--log`
//! never follows a link nor writes to a device. `--isolated`'s private directory is 0700 and
//! one left behind by a killed ocw-tui is removed at the next start.

use crate::support;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use support::{assert_no_opencode_left, ocw, ocw_tui_bin, MockModel, Tmux, Workspace};

fn mode(p: &std::path::Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_log_inside_the_project_is_refused_by_run_and_the_tui() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let inside = ws.project_dir().join("session.jsonl");
    let run = ocw(&ws)
        .args(["run", "--dir"])
        .arg(ws.project_dir())
        .arg("--log")
        .arg(&inside)
        .arg("hello")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("inside the project"), "{err}");
    assert!(err.contains("outside the project"), "{err}");
    assert!(!inside.exists());
    // The TUI, given a relative path from the project dir.
    let tui = ocw(&ws)
        .args(["--theme", "dark", "--log", "logs/../s.jsonl"])
        .arg(ws.project_dir())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&tui.stderr);
    assert_eq!(tui.status.code(), Some(2), "{err}");
    assert!(err.contains("inside the project"), "{err}");
    assert!(!ws.project_dir().join("s.jsonl").exists());
    assert_no_opencode_left(&ws, 3);
}

#[test]
fn log_to_a_device_or_through_a_link_is_refused_untouched() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let target = ws.root().join("precious.txt");
    std::fs::write(&target, "precious").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    let link = ws.root().join("link.jsonl");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let dev_null_mode = mode(std::path::Path::new("/dev/null"));
    for (log, what) in [
        (link.as_path(), "symbolic link"),
        (std::path::Path::new("/dev/null"), "a device"),
    ] {
        let run = ocw(&ws)
            .args(["run", "--dir"])
            .arg(ws.project_dir())
            .arg("--log")
            .arg(log)
            .arg("hello")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{err}");
        assert!(err.contains(what), "{err}");
        assert!(err.contains("pass a new path"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert_eq!(mode(&target), 0o644);
    assert_eq!(mode(std::path::Path::new("/dev/null")), dev_null_mode);
    // --debug-log too.
    let run = ocw(&ws)
        .args(["run", "--dir"])
        .arg(ws.project_dir())
        .arg("--debug-log")
        .arg(&link)
        .arg("hello")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
    assert_no_opencode_left(&ws, 3);
}

#[test]
fn the_tui_records_every_session_privately_and_replay_lists_it() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &[]);
    t.wait_text("ready", 60);
    t.prompt("hello");
    t.wait_text("Hello! You said: hello. This is turn 1.", 60);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    assert_no_opencode_left(&ws, 5);

    let dir = ws.root().join("xdg/state/ocw-tui/logs");
    assert_eq!(mode(&dir), 0o700);
    let logs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    let log = &logs[0];
    assert_eq!(mode(log), 0o600);
    let name = log.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("project-") && name.ends_with(".jsonl"),
        "{name}"
    );
    assert!(name.contains("-ses_"), "named by the session: {name}");

    // Replayable: the summary holds the answer.
    let out = ocw(&ws)
        .args(["replay", "--summary", "--json"])
        .arg(log)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("This is turn 1."), "{text}");

    // `replay` without a file lists it (project, path); without a terminal to pick on, it
    // says to pass a path.
    let out = ocw(&ws).arg("replay").output().unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{listed}\n{err}");
    assert!(listed.contains("  1. "), "{listed}");
    assert!(listed.contains(&log.display().to_string()), "{listed}");
    assert!(listed.contains("project"), "{listed}");
    assert!(err.contains("pass one of the paths above"), "{err}");

    // On a terminal (a pty from `script`), typing its number replays it.
    let shell = format!("'{}' replay --summary", ocw_tui_bin().display());
    let mut picker = ws
        .command("script")
        .args(["-qec", &shell, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs a command on a pty");
    std::io::Write::write_all(picker.stdin.as_mut().unwrap(), b"1\n").unwrap();
    let out = picker.wait_with_output().unwrap();
    let tty = String::from_utf8_lossy(&out.stdout);
    assert!(tty.contains("replay which? (1-1"), "{tty}");
    assert!(
        tty.contains("This is turn 1."),
        "the picked log is summarised: {tty}"
    );
}

#[test]
fn no_log_records_nothing() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = Tmux::start(&ws, &["--no-log"]);
    t.wait_text("ready", 60);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    let dir = ws.root().join("xdg/state/ocw-tui/logs");
    let n = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert_eq!(n, 0);
}

fn iso_dirs(tmp: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("ocw-tui-iso-"))
        })
        .collect()
}

#[test]
fn isolated_dir_is_private_and_a_killed_runs_dir_is_removed_next_time() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let tmp = ws.root().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let log = ws.root().join("iso.jsonl");
    let mut child = ocw(&ws)
        .env("TMPDIR", &tmp)
        .args(["run", "--isolated", "--dir"])
        .arg(ws.project_dir())
        .arg("--log")
        .arg(&log)
        .arg("slowly\nslow: 300\nwords: 200")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + crate::support::patience(180);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("message.part.delta")
    {
        assert!(std::time::Instant::now() < deadline, "never streamed");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let dirs = iso_dirs(&tmp);
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let dir = &dirs[0];
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with(&format!("ocw-tui-iso-{}-", child.id())),
        "named with the pid: {name}"
    );
    assert_eq!(mode(dir), 0o700);
    for sub in ["data", "xdg", "home"] {
        assert_eq!(mode(&dir.join(sub)), 0o700, "{sub}");
    }
    // kill -9: nothing of ours runs to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    assert_no_opencode_left(&ws, 5);
    assert!(dir.exists(), "left behind by kill -9");
    // The next start removes it (its process is gone), and its own on exit.
    let out = ocw(&ws)
        .env("TMPDIR", &tmp)
        .args(["run", "--isolated", "--dir"])
        .arg(ws.project_dir())
        .arg("hello")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dir.exists(), "the stale dir is removed");
    assert_eq!(iso_dirs(&tmp), Vec::<std::path::PathBuf>::new());
    assert_no_opencode_left(&ws, 3);
}

#[test]
fn a_log_deleted_under_the_tui_is_reopened_and_said_once() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap()]);
    t.wait_text("ready", 60);
    t.prompt("hello");
    t.wait_text("This is turn 1.", 60);
    std::fs::remove_file(&log).unwrap();
    // More than the check interval later, the next events reopen the path.
    std::thread::sleep(std::time::Duration::from_millis(1200));
    t.prompt("again");
    let screen = t.wait_text("was replaced or deleted", 60);
    assert!(screen.contains("reopened"), "{screen}");
    t.wait_text("This is turn 2.", 60);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    let text = std::fs::read_to_string(&log).expect("the log is back");
    assert!(
        text.contains("This is turn 2."),
        "later events are recorded"
    );
    assert!(!text.contains("This is turn 1."), "only what came after");
    assert_eq!(mode(&log), 0o600);
}
