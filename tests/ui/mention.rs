//! The prompt's extras on an `App` without a terminal: the `@` file picker (asks the
//! server, drops stale answers, attaches the chosen file as a part, forgets it when its
//! text is edited away), `!` shell mode, pasted images / PDFs and long pastes, with
//! snapshots of what the user sees.

use crossterm::event::{Event as TermEvent, KeyCode};
use ocw_tui::model::attach::FileAttachment;
use ocw_tui::model::event::SessionStatus;
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{app_from_events, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

fn idle() -> App {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    app_from_events(&events, UiOptions::default(), |_| false)
}

fn results(app: &mut App, query: &str, paths: &[&str]) {
    app.handle_input(UiInput::FileResults {
        query: query.into(),
        paths: paths.iter().map(|p| p.to_string()).collect(),
    });
}

fn finds(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::FindFiles { query } => Some(query.clone()),
            _ => None,
        })
        .collect()
}

fn sent_files(actions: &[Action]) -> (String, Vec<FileAttachment>) {
    match actions {
        [Action::Prompt { text, files, .. }] => (text.clone(), files.clone()),
        other => panic!("expected one prompt with files, got {other:?}"),
    }
}

#[test]
fn typing_at_asks_the_server_for_each_query_and_never_waits() {
    let mut app = idle();
    let out = type_text(&mut app, "look at @ma");
    assert_eq!(finds(&out), ["", "m", "ma"]);
    assert!(app.mention_picker_open(), "the picker opened");
    assert!(draw_app(&app, 80, 24).contains("loading…"));
    // An e-mail address is not a mention.
    let mut app = idle();
    assert!(finds(&type_text(&mut app, "me@host")).is_empty());
    assert!(!app.mention_picker_open());
}

#[test]
fn a_stale_answer_is_dropped_and_the_current_one_shown() {
    let mut app = idle();
    type_text(&mut app, "@mai");
    results(&mut app, "ma", &["src/stale.rs"]);
    assert!(!draw_app(&app, 80, 24).contains("stale.rs"));
    results(&mut app, "mai", &["src/main.rs", "src/", "docs/main.md"]);
    let screen = draw_app(&app, 80, 24);
    assert!(screen.contains("src/main.rs"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn choosing_inserts_the_path_and_the_prompt_carries_its_file_part() {
    let mut app = idle();
    type_text(&mut app, "look at @mai");
    results(&mut app, "mai", &["src/main.rs", "docs/"]);
    assert!(app.handle_key(key(KeyCode::Tab)).is_empty());
    assert_eq!(app.input_text(), "look at @src/main.rs ");
    assert!(!app.mention_picker_open(), "the picker closed");
    type_text(&mut app, "and @do");
    results(&mut app, "do", &["docs/"]);
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.input_text(), "look at @src/main.rs and @docs/ ");
    let (text, files) = sent_files(&app.handle_key(key(KeyCode::Enter)));
    assert_eq!(text, "look at @src/main.rs and @docs/ ");
    assert_eq!(files.len(), 2);
    assert_eq!(
        (
            files[0].path.as_str(),
            files[0].start,
            files[0].end,
            files[0].dir
        ),
        ("src/main.rs", 8, 20, false)
    );
    assert_eq!(files[0].mime, "text/plain");
    assert_eq!((files[1].path.as_str(), files[1].dir), ("docs/", true));
}

#[test]
fn a_mention_edited_away_is_not_sent() {
    let mut app = idle();
    type_text(&mut app, "@mai");
    results(&mut app, "mai", &["src/main.rs"]);
    app.handle_key(key(KeyCode::Enter));
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Backspace));
    }
    assert_eq!(app.input_text(), "@src/main");
    assert!((app.attached_count() == 0), "its part went with it");
    app.handle_key(key(KeyCode::Esc));
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(&out[..], [Action::Prompt { text, files, .. }] if text == "@src/main" && files.is_empty()),
        "{out:?}"
    );
}

#[test]
fn esc_closes_the_picker_and_it_stays_closed_for_that_mention() {
    let mut app = idle();
    type_text(&mut app, "@x");
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.mention_picker_open());
    assert!(finds(&type_text(&mut app, "y")).is_empty());
    assert!(!app.mention_picker_open());
    // A new mention opens it again.
    assert_eq!(finds(&type_text(&mut app, " @z")), ["", "z"]);
}

#[test]
fn a_bang_prompt_runs_in_the_shell_and_shows_shell_mode() {
    let mut app = idle();
    type_text(&mut app, "!ls -la");
    let screen = draw_app(&app, 80, 12);
    assert!(screen.contains("! shell"), "{screen}");
    insta::assert_snapshot!(screen);
    let sid = app.session_id().unwrap().to_string();
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        out,
        [Action::Shell {
            session_id: sid,
            command: "ls -la".into()
        }]
    );
    assert!(!app.mention_picker_open());
}

#[test]
fn a_shell_command_while_the_agent_works_stays_in_the_input() {
    let mut app = idle();
    let sid = app.session_id().unwrap().to_string();
    app.handle_input(UiInput::Bus(Event::Status {
        session_id: sid,
        status: SessionStatus::Busy,
    }));
    type_text(&mut app, "!make");
    assert!(app.handle_key(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.input_text(), "!make");
    assert!(draw_app(&app, 100, 12).contains("runs once it is idle"));
}

#[test]
fn a_refused_shell_command_comes_back_into_the_input() {
    let mut app = idle();
    let sid = app.session_id().unwrap().to_string();
    app.handle_input(UiInput::PromptFailed {
        session_id: sid,
        text: "!make".into(),
        error: "the session is busy".into(),
    });
    assert_eq!(app.input_text(), "!make");
}

#[test]
fn a_long_paste_shows_as_one_token_and_is_sent_whole() {
    let mut app = idle();
    let pasted: String = (1..=120).map(|i| format!("line {i}\n")).collect();
    type_text(&mut app, "explain ");
    app.handle_event(TermEvent::Paste(pasted.clone()));
    assert_eq!(app.input_text(), "explain [Pasted 120 lines]");
    let screen = draw_app(&app, 80, 12);
    insta::assert_snapshot!(screen);
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(
        matches!(&out[..], [Action::Prompt { text, files, .. }] if *text == format!("explain {pasted}") && files.is_empty()),
        "{out:?}"
    );
    // A short paste is text.
    app.handle_event(TermEvent::Paste("a\nb".into()));
    assert_eq!(app.input_text(), "a\nb");
}

#[test]
fn a_pasted_image_or_pdf_path_becomes_an_attachment() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("shot one.png");
    let pdf = dir.path().join("spec.pdf");
    std::fs::write(&png, b"\x89PNG\r\n").unwrap();
    std::fs::write(&pdf, b"%PDF-1.4").unwrap();
    let mut app = idle();
    type_text(&mut app, "compare ");
    app.handle_event(TermEvent::Paste(format!("'{}'", png.display())));
    app.handle_event(TermEvent::Paste(pdf.display().to_string()));
    assert_eq!(app.input_text(), "compare [Image 1] [PDF 1] ");
    insta::assert_snapshot!(draw_app(&app, 80, 12));
    let (_, files) = sent_files(&app.handle_key(key(KeyCode::Enter)));
    assert_eq!(files[0].mime, "image/png");
    assert_eq!(files[0].path, png.display().to_string());
    assert_eq!((files[0].start, files[0].end), (8, 17));
    assert_eq!(files[1].mime, "application/pdf");
    // A path to a missing image stays text.
    app.handle_event(TermEvent::Paste("/nonexistent/x.png".into()));
    assert_eq!(app.input_text(), "/nonexistent/x.png");
}

#[test]
fn choosing_an_image_in_the_picker_attaches_it_as_an_image() {
    let mut app = idle();
    type_text(&mut app, "@log");
    results(&mut app, "log", &["assets/logo.png"]);
    app.handle_key(key(KeyCode::Tab));
    assert_eq!(app.input_text(), "[Image 1] ");
    let (_, files) = sent_files(&app.handle_key(key(KeyCode::Enter)));
    assert_eq!(files[0].mime, "image/png");
    assert_eq!(files[0].path, "assets/logo.png");
}

#[test]
fn an_image_pasted_before_any_session_exists_is_sent_with_the_first_session() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("early.png");
    std::fs::write(&png, b"\x89PNG\r\n").unwrap();
    let mut app = App::new(UiOptions::default());
    type_text(&mut app, "see ");
    app.handle_event(TermEvent::Paste(png.display().to_string()));
    assert_eq!(app.input_text(), "see [Image 1] ");
    assert_eq!(
        app.handle_key(key(KeyCode::Enter)),
        vec![Action::NewSession]
    );
    let out = app.handle_input(UiInput::ShowSession("ses_new".into()));
    let sent: Vec<_> = out
        .into_iter()
        .filter(|a| matches!(a, Action::Prompt { .. }))
        .collect();
    let (text, files) = sent_files(&sent);
    assert_eq!(text, "see [Image 1] ");
    assert_eq!(files.len(), 1, "the image is not lost: {files:?}");
    assert_eq!(files[0].mime, "image/png");
    assert_eq!(files[0].path, png.display().to_string());
}

/// The app with the server's agents: `general` and `explore` can be mentioned.
fn with_agents() -> App {
    use ocw_tui::model::catalog::{Catalog, ModelMemory};
    let mut app = idle();
    let agents = serde_json::json!([
        {"name":"build","mode":"primary"},
        {"name":"explore","mode":"subagent","description":"Fast codebase search"},
        {"name":"general","mode":"subagent","description":"General-purpose agent"},
        {"name":"title","mode":"primary","hidden":true}
    ]);
    let catalog = Catalog::from_json(&serde_json::json!({}), &agents, &serde_json::json!({}));
    app.handle_input(UiInput::Catalog {
        catalog,
        memory: ModelMemory::default(),
    });
    app
}

fn sent_agents(actions: &[Action]) -> Vec<(String, usize, usize)> {
    match actions {
        [Action::Prompt { agents, .. }] => agents
            .iter()
            .map(|a| (a.name.clone(), a.start, a.end))
            .collect(),
        other => panic!("expected one prompt, got {other:?}"),
    }
}

#[test]
fn at_offers_the_subagents_first_and_tab_hands_the_prompt_to_one() {
    let mut app = with_agents();
    type_text(&mut app, "ask @gen");
    results(&mut app, "gen", &["src/generate.rs"]);
    let screen = draw_app(&app, 80, 24);
    assert!(screen.contains("agents and files"), "{screen}");
    let general = screen.find("general").expect("general listed");
    let file = screen.find("src/generate.rs").expect("the file listed too");
    assert!(general < file, "the agent comes first: {screen}");
    app.handle_key(key(KeyCode::Tab));
    assert_eq!(app.input_text(), "ask @general ");
    type_text(&mut app, "to look around");
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(sent_agents(&out), [("general".to_string(), 4, 12)]);
    let (text, files) = sent_files(&out);
    assert_eq!(text, "ask @general to look around");
    assert!(files.is_empty(), "{files:?}");
}

#[test]
fn a_subagent_typed_in_full_counts_and_an_edited_one_does_not() {
    let mut app = with_agents();
    type_text(&mut app, "@explore");
    app.handle_key(key(KeyCode::Esc));
    type_text(&mut app, " the tests, mail me@general.org");
    let out = app.handle_key(key(KeyCode::Enter));
    assert_eq!(sent_agents(&out), [("explore".to_string(), 0, 8)]);
    // Picked, then edited into another word: no agent part.
    let mut app = with_agents();
    type_text(&mut app, "@gen");
    app.handle_key(key(KeyCode::Tab));
    app.handle_key(key(KeyCode::Backspace));
    type_text(&mut app, "ist please");
    let out = app.handle_key(key(KeyCode::Enter));
    assert!(sent_agents(&out).is_empty(), "{out:?}");
}

/// `@` typed before the server's agents are known: once they are, the picker's next answer
/// lists them and its title says "agents and files".
#[test]
fn agents_that_come_after_the_picker_opened_are_offered_and_named() {
    use ocw_tui::model::catalog::{Catalog, ModelMemory};
    let mut app = idle();
    type_text(&mut app, "ask @gen");
    results(&mut app, "gen", &["src/generate.rs"]);
    assert!(!draw_app(&app, 80, 24).contains("agents and files"));
    let agents = serde_json::json!([
        {"name":"build","mode":"primary"},
        {"name":"general","mode":"subagent","description":"General-purpose agent"}
    ]);
    app.handle_input(UiInput::Catalog {
        catalog: Catalog::from_json(&serde_json::json!({}), &agents, &serde_json::json!({})),
        memory: ModelMemory::default(),
    });
    type_text(&mut app, "e");
    results(&mut app, "gene", &["src/generate.rs"]);
    let screen = draw_app(&app, 80, 24);
    assert!(screen.contains("agents and files"), "{screen}");
    assert!(screen.contains("general"), "{screen}");
}
