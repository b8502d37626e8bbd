//! Ctrl+V pastes the system clipboard (issue 18): the key asks for it, a clipboard tool on
//! PATH (fake `xclip` / `wl-paste` scripts here) is read, text is pasted as a terminal
//! paste would be and a PNG becomes an `[Image 1]` attachment; without a tool a note says
//! what to install.

use crossterm::event::KeyCode;
use ocw_tui::ui::runtime::clipboard_paste::{apply, read, Clip, ClipEnv};
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key};
use ocw_tui::ui::{Action, App, UiOptions};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn idle() -> App {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    app_from_events(&events, UiOptions::default(), |_| false)
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake image";

/// A fake clipboard tool `name` in `dir`: lists `types`, prints `text`, or the PNG.
fn fake_tool(dir: &Path, name: &str, types: &str, text: &str) {
    std::fs::write(dir.join("clip.png"), PNG).unwrap();
    let script = format!(
        "#!/bin/sh\ncase \"$*\" in\n  *TARGETS*|*--list-types*) printf '{types}' ;;\n  *image/png*) exec /bin/cat '{}' ;;\n  *) printf '{text}' ;;\nesac\n",
        dir.join("clip.png").display()
    );
    let p = dir.join(name);
    std::fs::write(&p, script).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn env(dir: &Path, wayland: bool) -> ClipEnv {
    ClipEnv {
        path: dir.as_os_str().to_owned(),
        wayland,
    }
}

#[test]
fn ctrl_v_asks_for_the_clipboard_and_xclip_text_lands_in_the_prompt() {
    let mut app = idle();
    assert_eq!(app.handle_key(ctrl('v')), vec![Action::PasteClipboard]);
    let dir = tempfile::tempdir().unwrap();
    fake_tool(
        dir.path(),
        "xclip",
        "TARGETS\\nUTF8_STRING\\n",
        "from the clipboard",
    );
    let clip = read(&env(dir.path(), false));
    assert_eq!(clip, Ok(Clip::Text("from the clipboard".into())));
    apply(&mut app, clip);
    assert_eq!(app.input_text(), "from the clipboard");
    match &app.handle_key(key(KeyCode::Enter))[..] {
        [Action::Prompt { text, .. }] => assert_eq!(text, "from the clipboard"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_png_on_the_wayland_clipboard_becomes_an_image_attachment() {
    let mut app = idle();
    let dir = tempfile::tempdir().unwrap();
    fake_tool(
        dir.path(),
        "wl-paste",
        "image/png\\ntext/plain\\n",
        "unused",
    );
    let clip = read(&env(dir.path(), true));
    assert_eq!(clip, Ok(Clip::Png(PNG.to_vec())));
    apply(&mut app, clip);
    assert_eq!(app.input_text(), "[Image 1] ");
    assert_eq!(app.attached_count(), 1);
    match &app.handle_key(key(KeyCode::Enter))[..] {
        [Action::Prompt { files, .. }] => {
            assert_eq!(files[0].mime, "image/png");
            assert_eq!(std::fs::read(&files[0].path).unwrap(), PNG);
            let _ = std::fs::remove_file(&files[0].path);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn without_a_clipboard_tool_a_note_says_what_to_install() {
    let mut app = idle();
    let dir = tempfile::tempdir().unwrap();
    let clip = read(&env(dir.path(), false));
    apply(&mut app, clip);
    assert!(app.input_text().is_empty());
    let screen = draw_app(&app, 120, 30);
    assert!(screen.contains("install wl-clipboard"), "{screen}");
}
