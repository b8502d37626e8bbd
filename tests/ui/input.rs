//! The prompt box and the help overlay: long lines soft-wrap by display columns (CJK is two
//! columns wide) and the box grows up to a limit, then follows the cursor; Up/Down move
//! between wrapped rows before walking the history; `?` opens help only on an empty prompt
//! and gives itself back when typing goes on; help scrolls on a small screen.

use crossterm::event::KeyCode;
use ocw_tui::ui::prompt::input::MAX_ROWS;
use ocw_tui::ui::testing::{
    app_from_events, draw_app, draw_app_buffer, fixture_events, key, type_text,
};
use ocw_tui::ui::{App, UiOptions};
use ratatui::buffer::Buffer;
use ratatui::style::Modifier;

fn idle() -> App {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    app_from_events(&events, UiOptions::default(), |_| false)
}

/// The prompt box's text rows (inside the frame), and its first screen row.
fn box_rows(screen: &str) -> (usize, Vec<String>) {
    let lines: Vec<&str> = screen.lines().collect();
    let top = lines
        .iter()
        .rposition(|l| l.starts_with("╭ prompt"))
        .expect("the prompt box");
    let rows = lines[top + 1..]
        .iter()
        .take_while(|l| !l.starts_with('╰'))
        .map(|l| {
            let inner = l.trim_start_matches('│');
            let inner = inner.trim_end().trim_end_matches('│');
            inner.trim_end().to_string()
        })
        .collect();
    (top, rows)
}

/// Where the cursor (the reverse-video cell) is drawn.
fn cursor_at(buf: &Buffer) -> (u16, u16) {
    let mut found = Vec::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            if buf[(x, y)].modifier.contains(Modifier::REVERSED) {
                found.push((x, y));
            }
        }
    }
    assert_eq!(found.len(), 1, "one cursor cell: {found:?}");
    found[0]
}

#[test]
fn a_long_line_wraps_inside_the_box_and_the_box_grows() {
    let mut app = idle();
    let text = "the quick brown fox jumps over the lazy dog and keeps running far away";
    type_text(&mut app, text);
    let screen = draw_app(&app, 40, 20);
    let (_, rows) = box_rows(&screen);
    assert_eq!(rows.len(), 2, "{screen}");
    let shown: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
    let typed: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(shown, typed, "every word shown, none cut: {screen}");
    assert_eq!(app.input_text(), text);
}

#[test]
fn cjk_wraps_by_columns_and_the_cursor_stays_in_the_box() {
    let mut app = idle();
    type_text(
        &mut app,
        "日本語のテキストを入力します。長い行は折り返されます",
    );
    // 28 text columns (the frame and a cell of padding each side): 14 + 12 characters.
    let (w, h) = (32, 14);
    let screen = draw_app(&app, w, h);
    insta::assert_snapshot!(screen);
    let (top, rows) = box_rows(&screen);
    assert_eq!(rows.len(), 2, "{screen}");
    assert!(
        rows[1].ends_with('す'),
        "the end of the line is in view: {screen}"
    );
    let (x, y) = cursor_at(&draw_app_buffer(&app, w, h));
    assert!(x > 0 && x < w - 1, "cursor column {x} inside the frame");
    assert_eq!(y as usize, top + 2, "cursor on the second row");
}

#[test]
fn the_box_stops_growing_and_keeps_the_cursor_in_view() {
    let mut app = idle();
    let text: String = (0..60).map(|i| format!("w{i:02} ")).collect::<String>() + "END";
    type_text(&mut app, &text);
    let screen = draw_app(&app, 30, 30);
    let (top, rows) = box_rows(&screen);
    assert_eq!(rows.len(), MAX_ROWS as usize, "{screen}");
    assert!(rows.last().unwrap().ends_with("END"), "{screen}");
    // Back up a few rows: the view follows the cursor, and typing lands there.
    for _ in 0..(MAX_ROWS + 2) {
        app.handle_key(key(KeyCode::Up));
    }
    app.handle_key(key(KeyCode::Char('X')));
    let screen = draw_app(&app, 30, 30);
    let (_, rows) = box_rows(&screen);
    assert!(rows.iter().any(|r| r.contains('X')), "{screen}");
    assert!(
        !rows.iter().any(|r| r.contains("END")),
        "scrolled up: {screen}"
    );
    let (_, y) = cursor_at(&draw_app_buffer(&app, 30, 30));
    assert!((y as usize) > top && (y as usize) <= top + MAX_ROWS as usize);
    assert_ne!(app.input_text(), text + "X", "not typed at the end");
}

#[test]
fn up_and_down_move_between_wrapped_rows_before_the_history() {
    let mut app = idle();
    type_text(&mut app, "earlier prompt");
    app.handle_key(key(KeyCode::Enter));
    let draft = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk";
    type_text(&mut app, draft);
    draw_app(&app, 24, 20); // 22 columns: three rows
    app.handle_key(key(KeyCode::Up));
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), draft, "Up moved inside the text");
    app.handle_key(key(KeyCode::Char('_')));
    assert!(
        app.input_text().starts_with("aaaa bbbb cccc_ dddd"),
        "typed on the first row, under the column it left: {}",
        app.input_text()
    );
    app.handle_key(key(KeyCode::Backspace));
    app.handle_key(key(KeyCode::Up));
    assert_eq!(app.input_text(), "earlier prompt", "the first row: history");
    app.handle_key(key(KeyCode::Down));
    assert_eq!(app.input_text(), draft, "back to the draft");
}

#[test]
fn question_mark_then_typing_keeps_every_character() {
    let mut app = idle();
    type_text(&mut app, "?why is this");
    assert!(!app.help_open());
    assert_eq!(app.input_text(), "?why is this");
}

#[test]
fn question_mark_alone_opens_help_and_f1_opens_it_over_text() {
    let mut app = idle();
    app.handle_key(key(KeyCode::Char('?')));
    assert!(app.help_open());
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.help_open());
    assert!(app.input_text().is_empty());
    type_text(&mut app, "draft?");
    assert!(!app.help_open(), "? in the middle of text types");
    app.handle_key(key(KeyCode::F(1)));
    assert!(app.help_open());
    app.handle_key(key(KeyCode::Char('x')));
    assert!(!app.help_open());
    assert_eq!(app.input_text(), "draft?", "F1's closing key is not typed");
}

#[test]
fn help_scrolls_on_a_small_screen_and_says_so() {
    let mut app = idle();
    app.handle_key(key(KeyCode::F(1)));
    let first = draw_app(&app, 60, 20);
    assert!(first.contains("PgUp/PgDn scroll"), "{first}");
    assert!(!first.contains("reject the question"), "{first}");
    app.handle_key(key(KeyCode::PageDown));
    app.handle_key(key(KeyCode::PageDown));
    // The list grows with each feature: End reaches its end whatever its length.
    app.handle_key(key(KeyCode::End));
    assert!(app.help_open(), "scrolling keeps it open");
    let end = draw_app(&app, 60, 20);
    insta::assert_snapshot!(end);
    assert!(
        end.contains("end · Home: top"),
        "the end of the list: {end}"
    );
    app.handle_key(key(KeyCode::Up));
    app.handle_key(key(KeyCode::Home));
    assert_eq!(draw_app(&app, 60, 20), first, "Home: back to the top");
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.help_open());
}
