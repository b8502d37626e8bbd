//! End to end, in tmux against the real opencode 1.18.33 and the scripted model: an `@`
//! mention of a file and of a directory reaches the model with the file's content / the
//! directory's listing, a `!` command runs in the shell and the model sees its output next
//! turn, a long paste shown as `[Pasted N lines]` reaches the model whole, and a pasted
//! path to an image / a PDF becomes `[Image 1]` / `[PDF 1]` and a `file` part with its mime.

use crate::support;

use serde_json::Value;
use support::{quit, MockModel, Tmux, Workspace};

fn start(ws: &Workspace) -> Tmux {
    let t = Tmux::start(ws, &[]);
    t.wait_text("ready", 60);
    t
}

/// Every chat request the model received, as text (titles left out).
fn model_requests(mock: &MockModel) -> Vec<String> {
    mock.requests()
        .into_iter()
        .filter(|r| r.get("tools").is_some())
        .map(|r| r["messages"].to_string())
        .collect()
}

fn last_request(mock: &MockModel) -> Value {
    mock.requests()
        .into_iter()
        .rev()
        .find(|r| r.get("tools").is_some())
        .expect("a model request")
}

#[test]
fn a_mentioned_file_and_directory_reach_the_model() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let src = ws.project_dir().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("main.rs"), "fn main() { let marker = 4242; }\n").unwrap();
    std::fs::write(src.join("helper_zq.rs"), "// helper\n").unwrap();
    let t = start(&ws);
    t.type_text("look at @src/mai");
    t.wait_text("› src/main.rs", 30);
    t.send_keys(&["Tab"]);
    t.wait_text("look at @src/main.rs", 10);
    t.type_text("and @sr");
    let screen = t.wait_for("the directory in the picker", 30, |s| s.contains("src/ "));
    assert!(screen.contains("files"), "{screen}");
    // Move to the directory entry and take it.
    for _ in 0..10 {
        if t.screen().contains("› src/ ") {
            break;
        }
        t.send_keys(&["Down"]);
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    t.send_keys(&["Enter"]);
    t.wait_text("and @src/", 10);
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: look at @src/main.rs and @src/", 60);
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains("let marker = 4242;"),
        "the file's content: {req}"
    );
    assert!(
        req.contains("<type>directory</type>") && req.contains("helper_zq.rs"),
        "the directory's listing: {req}"
    );
    quit(&t, &ws);
}

/// `@gen` offers the server's `general` subagent; Tab takes it and the prompt goes out
/// with an `agent` part (the server records it and tells the model to hand the work to
/// that subagent). A fully typed `@notes.txt` of an existing file, picker dismissed, is
/// attached all the same: the model reads its content.
#[test]
fn at_hands_the_prompt_to_a_subagent_and_a_typed_path_is_attached() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    std::fs::write(
        ws.project_dir().join("notes.txt"),
        "remember the 7781 rule\n",
    )
    .unwrap();
    let log = ws.root().join("tui.jsonl");
    let t = support::start(&ws, &log);
    t.type_text("ask @gen");
    // The agents show at once; the title names the files too once their search answered.
    t.wait_for("the agents and the files offered", 30, |s| {
        s.contains("› general") && s.contains("agents and files")
    });
    t.send_keys(&["Tab"]);
    t.wait_text("ask @general", 10);
    t.type_text("to look around");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: ask @general to look around", 60);
    let agent_part = support::log_events(&log).into_iter().find(|e| {
        e["type"] == "message.part.updated" && e["properties"]["part"]["type"] == "agent"
    });
    let part = &agent_part.expect("the server recorded an agent part")["properties"]["part"];
    assert_eq!(part["name"], "general");
    assert_eq!(part["source"]["value"], "@general");
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains("general"),
        "the model is told of the subagent: {req}"
    );

    t.type_text("read @notes.txt");
    t.wait_text("notes.txt", 30);
    t.send_keys(&["Escape"]);
    // The picker gone before typing on: an ESC followed at once by a space reads as Alt+Space.
    t.wait_for("the picker to close", 10, |s| !s.contains("Tab/Enter"));
    t.type_text(" please");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: read @notes.txt please", 60);
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains("remember the 7781 rule"),
        "the file's content: {req}"
    );
    quit(&t, &ws);
}

#[test]
fn a_bang_command_runs_in_the_shell_and_the_model_sees_its_output() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = start(&ws);
    t.type_text("!echo shell-out-$((40+37))");
    t.wait_text("! shell", 10);
    t.send_keys(&["Enter"]);
    // The tool cell with the command's output, from the bus.
    let screen = t.wait_text("shell-out-77", 60);
    assert!(screen.contains("bash"), "a tool cell: {screen}");
    assert!(
        model_requests(&mock).is_empty(),
        "the model is not called by a shell command"
    );
    t.prompt("what did it print");
    t.wait_text("Hello! You said: what did it print", 60);
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains("shell-out-77"),
        "the next turn carries the output: {req}"
    );
    quit(&t, &ws);
}

#[test]
fn a_long_paste_shows_as_a_token_and_reaches_the_model_whole() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let t = start(&ws);
    let text: String = (1..=120).map(|i| format!("pasted row {i}\n")).collect();
    t.type_text("summarise ");
    // The typed word is in the prompt before the paste goes (state, not timing).
    t.wait_text("│ summarise", 10);
    t.command(&["set-buffer", "-b", "ocwpaste", &text]);
    t.command(&["paste-buffer", "-p", "-b", "ocwpaste", "-t", &t.name()]);
    t.wait_text("summarise [Pasted 120 lines]", 10);
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: summarise pasted row 1.", 60);
    let req = last_request(&mock)["messages"].to_string();
    for i in [1, 60, 120] {
        assert!(
            req.contains(&format!("pasted row {i}\\n")),
            "row {i}: {req}"
        );
    }
    quit(&t, &ws);
}

/// A valid 1x1 PNG (one white pixel).
const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
    0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8, 0xff, 0xff, 0x3f,
    0x00, 0x05, 0xfe, 0x02, 0xfe, 0xdc, 0xcc, 0x59, 0xe7, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A minimal one-page PDF.
const TINY_PDF: &str = "%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n\
trailer<</Root 1 0 R>>\n%%EOF\n";

/// Bracketed-pastes `text` into the prompt, as a terminal does for a dropped file.
fn paste(t: &Tmux, text: &str) {
    t.command(&["set-buffer", "-b", "ocwpaste", text]);
    t.command(&["paste-buffer", "-p", "-b", "ocwpaste", "-t", &t.name()]);
}

#[test]
fn a_pasted_image_and_pdf_become_file_parts_with_their_mime() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let png = ws.project_dir().join("shot.png");
    let pdf = ws.project_dir().join("spec.pdf");
    std::fs::write(&png, TINY_PNG).unwrap();
    std::fs::write(&pdf, TINY_PDF).unwrap();
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap()]);
    t.wait_text("ready", 60);
    t.type_text("see ");
    paste(&t, png.to_str().unwrap());
    t.wait_text("see [Image 1]", 10);
    t.type_text("and ");
    paste(&t, pdf.to_str().unwrap());
    t.wait_text("see [Image 1] and [PDF 1]", 10);
    t.type_text("please");
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: see [Image 1] and [PDF 1] please", 60);
    quit(&t, &ws);
    // The user message's file parts, as the server echoed them into the log.
    let files: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("log lines are JSON"))
        .filter(|e| e["type"] == "message.part.updated")
        .map(|e| e["properties"]["part"].clone())
        .filter(|p| p["type"] == "file")
        .collect();
    let part = |mime: &str| {
        files
            .iter()
            .find(|p| p["mime"] == mime)
            .unwrap_or_else(|| panic!("a {mime} file part in the log: {files:?}"))
            .clone()
    };
    let image = part("image/png");
    assert_eq!(image["filename"], "shot.png");
    assert_eq!(image["source"]["text"]["value"], "[Image 1]");
    // The server read the file:// URL we sent and inlined it as a data: URL.
    assert!(
        image["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("data:image/png;base64,iVBORw0KGgo")),
        "{image}"
    );
    let doc = part("application/pdf");
    assert_eq!(doc["filename"], "spec.pdf");
    assert_eq!(doc["source"]["text"]["value"], "[PDF 1]");
    assert!(
        doc["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("data:application/pdf;base64,JVBERi0")),
        "{doc}"
    );
    // The scripted model takes no images or PDFs: the server tells it so, and the turn ran.
    let req = last_request(&mock)["messages"].to_string();
    assert!(
        req.contains(r#"Cannot read \"shot.png\" (this model does not support image input)"#),
        "{req}"
    );
    assert!(
        req.contains(r#"Cannot read \"spec.pdf\" (this model does not support pdf input)"#),
        "{req}"
    );
}

/// A fake `xclip` in `dir` that offers `targets` and prints `text`, or the PNG at `png`
/// when asked for `image/png` (as `xclip -o -t image/png` does).
fn fake_xclip(dir: &std::path::Path, targets: &str, text: &str, png: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let script = format!(
        "#!/bin/sh\ncase \"$*\" in\n  *TARGETS*) printf '{targets}' ;;\n  *image/png*) exec /bin/cat '{}' ;;\n  *) printf '{text}' ;;\nesac\n",
        png.display()
    );
    let p = dir.join("xclip");
    std::fs::write(&p, script).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn ctrl_v_pastes_the_system_clipboard_text_and_an_image_becomes_an_attachment() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let bin = ws.root().join("clipbin");
    std::fs::create_dir_all(&bin).unwrap();
    let png = ws.root().join("clip.png");
    std::fs::write(&png, TINY_PNG).unwrap();
    fake_xclip(
        &bin,
        "TARGETS\\nUTF8_STRING\\n",
        "text from the clipboard",
        &png,
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let log = ws.root().join("tui.jsonl");
    let t = Tmux::start_with_env(
        &ws,
        &[("PATH", &path), ("DISPLAY", ":0"), ("WAYLAND_DISPLAY", "")],
        &["--log", log.to_str().unwrap()],
    );
    t.wait_text("ready", 60);
    t.type_text("look: ");
    t.send_keys(&["C-v"]);
    t.wait_text("look: text from the clipboard", 20);
    t.send_keys(&["Enter"]);
    t.wait_text(
        "Hello! You said: look: text from the clipboard. This is turn 1.",
        60,
    );
    // Now the clipboard holds an image.
    fake_xclip(&bin, "TARGETS\\nimage/png\\n", "", &png);
    t.type_text("and this ");
    t.send_keys(&["C-v"]);
    t.wait_text("and this [Image 1]", 20);
    t.send_keys(&["Enter"]);
    t.wait_text("Hello! You said: and this [Image 1]", 60);
    quit(&t, &ws);
    let image = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("log lines are JSON"))
        .filter(|e| e["type"] == "message.part.updated")
        .map(|e| e["properties"]["part"].clone())
        .find(|p| p["type"] == "file" && p["mime"] == "image/png")
        .expect("an image/png file part in the log");
    // The clipboard's bytes reached the server (inlined as a data: URL).
    assert!(
        image["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("data:image/png;base64,iVBORw0KGgo")),
        "{image}"
    );
}
