//! opencode's themes in a real terminal against the real server (issue 19 §2): a built-in
//! theme and a custom one (`.opencode/themes/*.json` in the project) draw their exact RGB
//! colours (read with `tmux capture-pane -e`), the picker (Ctrl+X T) switches live, a
//! broken custom file is skipped with one warning, and an unknown `--theme` is refused
//! with the list of themes; tui.json's `theme` is used without `--theme` (an unknown one warned about).

use crate::support;

use support::{ocw, quit, MockModel, Tmux, Workspace};

/// The SGR sequence of a 24-bit foreground (`38`) or background (`48`) colour.
fn rgb(layer: u8, hex: u32) -> String {
    format!(
        "{layer};2;{};{};{}m",
        hex >> 16,
        (hex >> 8) & 0xff,
        hex & 0xff
    )
}

/// The row of the status bar (it holds the token total).
fn status_row(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains('Σ'))
        .unwrap_or("")
        .to_string()
}

/// The row showing the user's prompt in the transcript.
fn user_row(screen: &str, text: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains('▌') && l.contains(text))
        .unwrap_or("")
        .to_string()
}

fn start_themed(ws: &Workspace, theme: &str) -> Tmux {
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start_with_env(
        ws,
        &[("COLORTERM", "truecolor")],
        &["--theme", theme, "--log", log.to_str().unwrap()],
    );
    t.wait_text("ready", 60);
    t
}

#[test]
fn a_builtin_theme_draws_its_colours_and_the_picker_switches_live() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = start_themed(&ws, "gruvbox");
    t.prompt("hello");
    t.wait_text("Hello! You said: hello.", 60);
    // gruvbox dark (no background answer from a detached tmux: dark): backgroundPanel
    // #3c3836 under the status bar, primary #83a598 on the user's bar, text #ebdbb2.
    let s = t.screen_with_escapes();
    let bar = status_row(&s);
    assert!(bar.contains(&rgb(48, 0x3c3836)), "status bar: {bar:?}");
    let user = user_row(&s, "hello");
    assert!(user.contains(&rgb(38, 0x83a598)), "user's bar: {user:?}");
    assert!(
        s.contains(&rgb(38, 0xebdbb2)),
        "gruvbox's text colour:\n{s}"
    );

    // Ctrl+X T, filter to nord, Enter: the whole screen is nord's (dark: background
    // #2e3440, panel #3b4252, primary #88c0d0).
    t.send_keys(&["C-x", "t"]);
    t.wait_text("themes", 20);
    t.type_text("nord");
    t.send_keys(&["Enter"]);
    t.wait_text("theme: nord", 20);
    let s = t.screen_with_escapes();
    assert!(!s.contains(&rgb(48, 0x3c3836)), "no gruvbox left:\n{s}");
    assert!(s.contains(&rgb(48, 0x2e3440)), "nord's background:\n{s}");
    assert!(
        status_row(&s).contains(&rgb(48, 0x3b4252)),
        "{:?}",
        status_row(&s)
    );
    let user = user_row(&s, "hello");
    assert!(user.contains(&rgb(38, 0x88c0d0)), "user's bar: {user:?}");
    quit(&t, &ws);
}

#[test]
fn a_custom_theme_draws_its_colours_and_a_broken_one_is_skipped() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let dir = ws.project_dir().join(".opencode").join("themes");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("mine.json"),
        r##"{
  "$schema": "https://opencode.ai/theme.json",
  "defs": {"ink": "#c0ffee", "sea": "#123456"},
  "theme": {
    "primary": {"dark": "sea", "light": "#654321"},
    "text": "ink",
    "textMuted": 244,
    "backgroundPanel": "#202122",
    "background": "none"
  }
}"##,
    )
    .unwrap();
    std::fs::write(
        dir.join("broken.json"),
        r#"{"theme": {"primary": "nowhere"}}"#,
    )
    .unwrap();
    let t = start_themed(&ws, "mine");
    t.prompt("hello");
    t.wait_text("Hello! You said: hello.", 60);
    let s = t.screen_with_escapes();
    let bar = status_row(&s);
    assert!(bar.contains(&rgb(48, 0x202122)), "status bar: {bar:?}");
    let user = user_row(&s, "hello");
    assert!(user.contains(&rgb(38, 0x123456)), "user's bar: {user:?}");
    assert!(s.contains(&rgb(38, 0xc0ffee)), "the theme's text:\n{s}");
    // An ANSI index stays the terminal's palette entry.
    assert!(s.contains("38;5;244m"), "textMuted as index 244:\n{s}");
    quit(&t, &ws);
    // The warning stays on the terminal after quitting (also a note in the UI).
    let s = t.screen();
    assert!(
        s.contains("theme file") && s.contains("broken.json") && s.contains("nowhere"),
        "{s}"
    );
}

#[test]
fn an_unknown_theme_is_refused_with_the_list() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let out = ocw(&ws)
        .args(["--theme", "no-such-theme"])
        .arg(ws.project_dir())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("unknown theme \"no-such-theme\""), "{err}");
    for name in ["opencode", "gruvbox", "tokyonight", "catppuccin", "system"] {
        assert!(err.contains(name), "{name} listed: {err}");
    }
}

/// opencode's tui.json `theme` picks the theme when `--theme` is not given; one we do not
/// have is a warning (kept on the terminal after quitting) and the terminal's own colours.
#[test]
fn tui_json_theme_is_used_and_an_unknown_one_only_warned_about() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let dir = ws.project_dir().join(".opencode");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tui.json"), r#"{"theme": "nord"}"#).unwrap();
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start_with_env(
        &ws,
        &[("COLORTERM", "truecolor")],
        &["--log", log.to_str().unwrap()],
    );
    t.wait_text("ready", 60);
    t.prompt("hello");
    t.wait_text("Hello! You said: hello.", 60);
    let s = t.screen_with_escapes();
    assert!(
        status_row(&s).contains(&rgb(48, 0x3b4252)),
        "nord's panel under the status bar:\n{s}"
    );
    quit(&t, &ws);

    std::fs::write(dir.join("tui.json"), r#"{"theme": "no-such-theme"}"#).unwrap();
    let t = Tmux::start_with_env(
        &ws,
        &[("COLORTERM", "truecolor")],
        &["--log", log.to_str().unwrap()],
    );
    t.wait_text("ready", 60);
    let s = t.screen_with_escapes();
    assert!(!s.contains(&rgb(48, 0x3b4252)), "no nord left:\n{s}");
    quit(&t, &ws);
    let s = t.screen();
    assert!(
        s.contains("tui.json") && s.contains("no-such-theme"),
        "the warning stays:\n{s}"
    );
}
