//! Corners a new user tripped on (issue 18, "Wrong" 6, 8, 9, 10): what a subagent's
//! session shows and does with a prompt, the rename field, counts in the singular, a
//! permission type and the question tool's result in words, untitled sessions' names.

use crate::support::{bus, session_app};
use crossterm::event::KeyCode;
use ocw_tui::model::event::{SessionInfo, SessionTime};
use ocw_tui::ui::testing::{ctrl, draw_app, key, type_text};
use ocw_tui::ui::{Action, App, UiInput};
use serde_json::json;

/// 2026-12-06T20:31:16.323Z
const CREATED: u64 = 1_796_589_076_323;
const NOW: u64 = CREATED + 5 * 60_000;

fn session(app: &mut App, id: &str, parent: Option<&str>, title: &str) {
    bus(
        app,
        "session.updated",
        json!({"info": {"id": id, "parentID": parent, "title": title, "directory": "/p", "projectID": "x", "version": "1",
            "time": {"created": CREATED, "updated": CREATED}}}),
    );
}

fn user(app: &mut App, sid: &str, n: &str, agent: &str, text: &str) {
    let mid = format!("msg_{sid}_{n}");
    bus(
        app,
        "message.updated",
        json!({"info": {"id": mid, "sessionID": sid, "role": "user", "agent": agent}}),
    );
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": format!("prt_{sid}_{n}"), "messageID": mid, "sessionID": sid, "type": "text", "text": text}}),
    );
}

fn status_bar(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

/// ses_top (agent build) started ses_kid with the `explore` subagent.
fn with_subagent() -> App {
    let mut app = session_app("ses_top", NOW);
    session(&mut app, "ses_top", None, "Top session");
    session(
        &mut app,
        "ses_kid",
        Some("ses_top"),
        "look around (@explore subagent)",
    );
    user(&mut app, "ses_top", "1", "build", "look around");
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_a", "sessionID": "ses_top", "role": "assistant", "agent": "build"}}),
    );
    bus(
        &mut app,
        "message.part.updated",
        json!({"part": {"id": "prt_task", "messageID": "msg_a", "sessionID": "ses_top", "type": "tool", "tool": "task", "callID": "call_1",
            "state": {"status": "running", "input": {"description": "look around", "subagent_type": "explore", "prompt": "go"},
                "metadata": {"sessionId": "ses_kid"}}}}),
    );
    app
}

#[test]
fn a_subagents_session_shows_its_agent_and_refuses_a_prompt_with_a_note() {
    let mut app = with_subagent();
    assert!(status_bar(&draw_app(&app, 120, 12)).contains("build"));
    app.handle_input(UiInput::ShowSession("ses_kid".into()));
    let screen = draw_app(&app, 120, 12);
    let bar = status_bar(&screen);
    assert!(
        bar.contains("explore") && !bar.contains("build"),
        "the child's agent, not the parent's: {bar}"
    );
    assert!(screen.contains("subagent's session: read only"), "{screen}");
    // Typing there sends nothing; the text stays and a note says why and where to go.
    type_text(&mut app, "and also this");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), "and also this");
    let screen = draw_app(&app, 120, 12);
    assert!(screen.contains("not sent"), "{screen}");
    // Its own user message names the agent too (when the server sent it).
    user(&mut app, "ses_kid", "1", "explore", "go");
    assert!(status_bar(&draw_app(&app, 120, 12)).contains("explore"));
}

fn listed(id: &str, title: &str) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        title: Some(title.into()),
        time: Some(SessionTime {
            created: CREATED as f64,
            updated: CREATED as f64,
        }),
        ..Default::default()
    }
}

#[test]
fn rename_keeps_the_old_title_and_the_field_scrolls_with_the_caret() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Fix the parser");
    app.handle_input(UiInput::Sessions(vec![listed("ses_a", "Fix the parser")]));
    app.handle_key(ctrl('s'));
    app.handle_key(ctrl('r'));
    // Typing appends to the old title (it is not selected and replaced).
    type_text(&mut app, " and the lexer, then the long tail ZZ");
    let screen = draw_app(&app, 100, 14);
    let top = screen
        .lines()
        .find(|l| l.contains("rename:"))
        .unwrap_or_default();
    assert!(
        top.contains("tail ZZ▏"),
        "the caret's end is in view: {screen}"
    );
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::RenameSession {
            session_id: "ses_a".into(),
            title: "Fix the parser and the lexer, then the long tail ZZ".into(),
        }]
    );
}

#[test]
fn untitled_sessions_show_a_local_time_then_their_first_words() {
    let title = "New session - 2026-12-06T20:31:16.323Z";
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, title);
    app.handle_input(UiInput::Sessions(vec![listed("ses_a", title)]));
    app.handle_key(ctrl('s'));
    let screen = draw_app(&app, 100, 12);
    assert!(!screen.contains("2026-12-06T20"), "{screen}");
    assert!(
        status_bar(&screen).contains("New session · 20:31"),
        "{screen}"
    );
    // A new session not in the listing yet: its first prompt's words.
    session(&mut app, "ses_new", None, title);
    user(
        &mut app,
        "ses_new",
        "1",
        "build",
        "refactor the greeter module please and add tests",
    );
    app.handle_input(UiInput::ShowSession("ses_new".into()));
    let screen = draw_app(&app, 100, 12);
    assert!(
        status_bar(&screen).contains("refactor the greeter module please and"),
        "{screen}"
    );
    assert!(!screen.contains("2026-12-06T20"), "{screen}");
}

#[test]
fn a_permission_outside_the_project_is_said_in_words() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    bus(
        &mut app,
        "permission.asked",
        json!({"id": "per_1", "sessionID": "ses_a", "permission": "external_directory",
            "patterns": ["/home/dev/other/*"], "metadata": {"filepath": "/home/dev/other/a.txt", "parentDir": "/home/dev/other"},
            "always": ["/home/dev/other/*"]}),
    );
    let screen = draw_app(&app, 100, 24);
    assert!(
        screen.contains("access outside the project: /home/dev/other"),
        "{screen}"
    );
    assert!(
        !screen.contains("Permission: external_directory"),
        "{screen}"
    );
}

#[test]
fn one_line_is_said_in_the_singular() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    user(&mut app, "ses_a", "1", "build", "think");
    bus(
        &mut app,
        "message.updated",
        json!({"info": {"id": "msg_a", "sessionID": "ses_a", "role": "assistant", "agent": "build"}}),
    );
    bus(
        &mut app,
        "message.part.updated",
        json!({"part": {"id": "prt_r", "messageID": "msg_a", "sessionID": "ses_a", "type": "reasoning", "text": "one thought"}}),
    );
    let mut screen = draw_app(&app, 80, 12);
    if !screen.contains("▸ thinking") {
        app.view_mut().toggle_reasoning();
        screen = draw_app(&app, 80, 12);
    }
    assert!(screen.contains("thinking · 1 line "), "{screen}");
    assert!(!screen.contains("1 lines"), "{screen}");
}

/// A `TestBackend` that remembers whether the terminal's cursor is shown.
struct CursorBackend {
    inner: ratatui::backend::TestBackend,
    shown: bool,
}

impl ratatui::backend::Backend for CursorBackend {
    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.shown = false;
        Ok(())
    }
    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.shown = true;
        Ok(())
    }
    fn get_cursor_position(&mut self) -> std::io::Result<ratatui::layout::Position> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        p: P,
    ) -> std::io::Result<()> {
        self.inner.set_cursor_position(p)
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }
    fn size(&self) -> std::io::Result<ratatui::layout::Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> std::io::Result<ratatui::backend::WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Draws `app` at `w`x`h`: the screen's text and where the terminal's cursor is (`None`:
/// hidden).
fn draw_with_cursor(app: &App, w: u16, h: u16) -> (String, Option<(u16, u16)>) {
    use ratatui::backend::Backend;
    let backend = CursorBackend {
        inner: ratatui::backend::TestBackend::new(w, h),
        shown: false,
    };
    let mut term = ratatui::Terminal::new(backend).unwrap();
    let frame = term.draw(|f| ocw_tui::ui::render(app, f)).unwrap();
    let text = ocw_tui::ui::testing::buffer_text(frame.buffer);
    let b = term.backend_mut();
    let at = b.get_cursor_position().unwrap();
    (text, b.shown.then_some((at.x, at.y)))
}

#[test]
fn the_prompt_has_padding_and_the_terminal_cursor_sits_at_its_caret() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    type_text(&mut app, "hello");
    let (screen, cursor) = draw_with_cursor(&app, 60, 10);
    let row = screen
        .lines()
        .position(|l| l.contains("hello"))
        .unwrap_or_else(|| panic!("{screen}"));
    let line = screen.lines().nth(row).unwrap_or_default();
    assert!(
        line.starts_with("│ hello"),
        "one cell from the border: {line:?}"
    );
    // The caret: after "hello" (border, padding, 5 letters).
    assert_eq!(cursor, Some((7, row as u16)), "{screen}");
    // A popup with the keys (the session list) hides it.
    app.handle_key(ctrl('s'));
    let (screen, cursor) = draw_with_cursor(&app, 60, 10);
    assert_eq!(cursor, None, "{screen}");
}

#[test]
fn f4_opens_on_the_model_in_use() {
    use ocw_tui::model::catalog::{Catalog, ModelMemory};
    use ocw_tui::ui::UiOptions;
    let providers = json!({"providers":[
        {"id":"opencode","name":"OpenCode Zen","models":{
            "big-pickle":{"id":"big-pickle","name":"Big Pickle","limit":{"context":200000,"output":32000},"variants":{}}}},
        {"id":"mock","name":"Mock","models":{
            "mock-model":{"id":"mock-model","name":"Mock Model","limit":{"context":150,"output":100},"variants":{}},
            "mock-think":{"id":"mock-think","name":"Mock Thinker","limit":{"context":200000,"output":8000},"variants":{}}}}],
        "default":{"mock":"mock-model"}});
    let agents = json!([{"name":"build","mode":"primary"}]);
    let catalog = Catalog::from_json(&providers, &agents, &json!({"model":"mock/mock-model"}));
    // `--model mock/mock-think`, while the project's recent models start with another.
    let mut app = App::new(UiOptions {
        model_label: Some("mock/mock-think".into()),
        ..UiOptions::default()
    });
    app.pin_clock(NOW);
    app.handle_input(UiInput::Connection(ocw_tui::ui::ConnectionState::Connected));
    app.handle_input(UiInput::ShowSession("ses_a".into()));
    app.handle_input(UiInput::Catalog {
        catalog,
        memory: ModelMemory {
            recent: vec!["opencode/big-pickle".into(), "mock/mock-model".into()],
            ..ModelMemory::default()
        },
    });
    assert_eq!(app.chosen_model(), Some("mock/mock-think"));
    app.handle_key(key(KeyCode::F(4)));
    // Enter at once keeps the model in use.
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(out.first(), Some(Action::PromptOptions { model: Some(m), .. }) if m == "mock/mock-think"),
        "{out:?}"
    );
}

/// A `!ls` as opencode records it: a user message whose only text is synthetic, then the
/// assistant message with the bash call.
fn shell_turn(app: &mut App, sid: &str) {
    bus(
        app,
        "message.updated",
        json!({"info": {"id": "msg_sh_u", "sessionID": sid, "role": "user", "agent": "build"}}),
    );
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": "prt_sh_u", "messageID": "msg_sh_u", "sessionID": sid, "type": "text",
            "text": "The following tool was executed by the user", "synthetic": true}}),
    );
    bus(
        app,
        "message.updated",
        json!({"info": {"id": "msg_sh_a", "sessionID": sid, "role": "assistant", "agent": "build"}}),
    );
    bus(
        app,
        "message.part.updated",
        json!({"part": {"id": "prt_sh_a", "messageID": "msg_sh_a", "sessionID": sid, "type": "tool", "tool": "bash", "callID": "c1",
            "state": {"status": "completed", "input": {"command": "ls"}, "output": "README.md\n", "title": "ls", "metadata": {}}}}),
    );
}

#[test]
fn a_shell_command_leaves_no_empty_prompt_row_and_no_empty_fork_entry() {
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    user(&mut app, "ses_a", "1", "build", "first prompt");
    shell_turn(&mut app, "ses_a");
    let screen = draw_app(&app, 80, 16);
    assert!(screen.contains("README.md"), "{screen}");
    assert!(
        !screen.lines().any(|l| l.trim_end() == "▌"),
        "no empty ▌ row: {screen}"
    );
    type_text(&mut app, "/fork");
    app.handle_key(key(KeyCode::Enter));
    let screen = draw_app(&app, 80, 16);
    assert!(screen.contains("first prompt"), "{screen}");
    let entries = screen
        .lines()
        .filter(|l| l.contains("fork before this prompt"))
        .count();
    assert_eq!(entries, 1, "one prompt, no empty entry: {screen}");
}

#[test]
fn notes_about_a_passing_state_go_when_it_ends() {
    use ocw_tui::ui::ConnectionState;
    let mut app = session_app("ses_a", NOW);
    session(&mut app, "ses_a", None, "Top");
    app.handle_input(UiInput::Connection(ConnectionState::ServerDied {
        message: "exited with 1".into(),
    }));
    type_text(&mut app, "hello");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        app.handle_key(key(KeyCode::F(5))),
        vec![Action::RestartServer]
    );
    assert!(draw_app(&app, 100, 12).contains("restarting the opencode server"));
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    let screen = draw_app(&app, 100, 12);
    assert!(
        !screen.contains("restarting the opencode server"),
        "{screen}"
    );
    assert!(!screen.contains("server is down"), "{screen}");
    // The models picker before the catalog came: the note goes when it comes.
    app.handle_key(key(KeyCode::F(4)));
    assert!(draw_app(&app, 100, 12).contains("still loading"));
    app.handle_input(UiInput::Catalog {
        catalog: ocw_tui::model::catalog::Catalog::from_json(
            &json!({"providers": [], "default": {}}),
            &json!([]),
            &json!({}),
        ),
        memory: Default::default(),
    });
    assert!(!draw_app(&app, 100, 12).contains("still loading"));
}
