//! The prompt history shared with opencode: what opencode's file held (handed over at
//! start-up) and what is sent here are walked with Up / Down, a recalled long paste is sent
//! whole, every prompt sent is handed to the front-end to append; Ctrl+R searches it
//! (reverse-i-search) and never sends; "show reasoning" moved to Ctrl+G.

use crossterm::event::KeyCode;
use ocw_tui::model::prompt_history::HistoryEntry;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::{Action, App, UiInput, UiOptions};

fn app(fixture: &str) -> App {
    let events = fixture_events(&format!("tests/fixtures/opencode-1.18.33/{fixture}.jsonl"));
    app_from_events(&events, UiOptions::default(), |_| false)
}

fn with_history(texts: &[&str]) -> App {
    let mut app = app("hello");
    let entries = texts.iter().map(|t| HistoryEntry::plain(t)).collect();
    app.handle_input(UiInput::PromptHistory(entries));
    app
}

fn sent_text(acts: &[Action]) -> Option<String> {
    acts.iter().find_map(|a| match a {
        Action::Prompt { text, .. } => Some(text.clone()),
        _ => None,
    })
}

#[test]
fn up_walks_what_opencode_remembered_then_what_was_sent_here_and_down_comes_back() {
    let mut app = with_history(&["from opencode one", "from opencode two"]);
    type_text(&mut app, "sent here");
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(sent_text(&acts).as_deref(), Some("sent here"));
    assert_eq!(
        app.history_to_save(),
        [Action::RememberPrompt(HistoryEntry::plain("sent here"))],
        "the prompt goes to the history file"
    );
    assert!(app.history_to_save().is_empty(), "once");
    type_text(&mut app, "draft");
    let mut seen = Vec::new();
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Up));
        seen.push(app.input_text());
    }
    assert_eq!(
        seen,
        [
            "sent here",
            "from opencode two",
            "from opencode one",
            "from opencode one"
        ]
    );
    app.handle_key(key(KeyCode::Down));
    assert_eq!(app.input_text(), "from opencode two");
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Down));
    assert_eq!(app.input_text(), "draft");
}

#[test]
fn a_recalled_long_paste_is_sent_whole_and_remembered_with_its_paste() {
    let mut app = app("hello");
    let entry = HistoryEntry {
        text: "look at [Pasted ~3 lines] now".into(),
        pastes: vec![("[Pasted ~3 lines]".into(), "l1\nl2\nl3".into())],
    };
    app.handle_input(UiInput::PromptHistory(vec![entry.clone()]));
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), "look at [Pasted ~3 lines] now");
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(sent_text(&acts).as_deref(), Some("look at l1\nl2\nl3 now"));
    // Sent again as it was (the last entry): not a new entry.
    assert!(app.history_to_save().is_empty());
    // A new long paste is remembered with its text (in opencode's file: the token in
    // `input` and a text part), and recalled whole.
    let long: String = (1..=25).map(|i| format!("row {i}\n")).collect();
    app.handle_event(crossterm::event::Event::Paste(long.clone()));
    let token = app.input_text();
    assert!(token.starts_with("[Pasted"), "{token}");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        app.history_to_save(),
        [Action::RememberPrompt(HistoryEntry {
            text: token.clone(),
            pastes: vec![(token.clone(), long.clone())],
        })]
    );
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), token);
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(sent_text(&acts), Some(long));
}

#[test]
fn ctrl_r_searches_older_matches_and_enter_puts_one_in_the_prompt_without_sending() {
    let mut app = with_history(&["fix the parser", "run the tests", "fix the lexer"]);
    type_text(&mut app, "my draft");
    assert!(app.handle_key(ctrl('r')).is_empty());
    type_text(&mut app, "FIX");
    assert_eq!(app.input_text(), "fix the lexer");
    let screen = draw_app(&app, 80, 24);
    assert!(screen.contains("reverse-i-search"), "{screen}");
    assert!(screen.contains("1/2"), "{screen}");
    app.handle_key(ctrl('r'));
    assert_eq!(app.input_text(), "fix the parser");
    // No older match: it stays, and says so.
    app.handle_key(ctrl('r'));
    assert_eq!(app.input_text(), "fix the parser");
    assert!(draw_app(&app, 80, 24).contains("failing reverse-i-search"));
    let acts = app.handle_key(key(KeyCode::Enter));
    assert!(sent_text(&acts).is_none(), "Enter does not send: {acts:?}");
    assert_eq!(app.input_text(), "fix the parser");
    let screen = draw_app(&app, 80, 24);
    assert!(!screen.contains("reverse-i-search"), "{screen}");
    // Then Enter sends it.
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(sent_text(&acts).as_deref(), Some("fix the parser"));
}

#[test]
fn esc_leaves_the_search_with_the_draft_back() {
    let mut app = with_history(&["fix the parser", "run the tests"]);
    type_text(&mut app, "half typed");
    app.handle_key(ctrl('r'));
    type_text(&mut app, "run");
    assert_eq!(app.input_text(), "run the tests");
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.input_text(), "half typed");
    assert!(!draw_app(&app, 80, 24).contains("reverse-i-search"));
    // Nothing matching leaves the draft in the prompt too.
    app.handle_key(ctrl('r'));
    type_text(&mut app, "zzz");
    assert_eq!(app.input_text(), "half typed");
    assert!(draw_app(&app, 80, 24).contains("no match"));
}

#[test]
fn ctrl_g_shows_and_hides_reasoning_and_ctrl_r_searches_instead() {
    let mut app = app("reasoning");
    assert!(draw_app(&app, 80, 24).contains("Let me think about it."));
    app.handle_key(ctrl('g'));
    assert!(!draw_app(&app, 80, 24).contains("Let me think about it."));
    app.handle_key(ctrl('g'));
    assert!(draw_app(&app, 80, 24).contains("Let me think about it."));
    app.handle_key(ctrl('r'));
    let screen = draw_app(&app, 80, 24);
    assert!(screen.contains("Let me think about it."), "{screen}");
    assert!(screen.contains("reverse-i-search"), "{screen}");
}

#[test]
fn the_search_box_sits_above_the_prompt_and_survives_a_tiny_screen() {
    let mut app = with_history(&["fix the parser", "run the tests", "fix the lexer"]);
    app.handle_key(ctrl('r'));
    type_text(&mut app, "fix");
    insta::assert_snapshot!("history_search_box", draw_app(&app, 60, 16));
    for (w, h) in [(30, 8), (12, 5), (4, 3)] {
        draw_app(&app, w, h);
    }
    assert_eq!(app.input_text(), "fix the lexer");
}
