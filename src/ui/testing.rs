//! Helpers for UI tests and benches (snapshot text of a buffer, fixtures into an app,
//! key events). Not part of the product; public so integration tests can share them.

use crate::model::Event;
use crate::ui::action::{UiInput, UiOptions};
use crate::ui::app::App;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::Terminal;

/// The buffer's text, one line per row, trailing spaces removed.
pub fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The buffer with its styles: each row's text, with `«fg bg mods»` wherever the style
/// changes (`-` for the terminal's default, mods as letters: Bold, Dim, Italic,
/// Underlined, Reversed). Snapshots of colours read this.
pub fn styled_text(buf: &Buffer) -> String {
    use ratatui::style::{Color, Modifier};
    let color = |c: Color| match c {
        Color::Reset => "-".to_string(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => format!("i{i}"),
        c => format!("{c:?}"),
    };
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut last = None;
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buf[(x, y)];
            let mods: String = [
                (Modifier::BOLD, 'B'),
                (Modifier::DIM, 'D'),
                (Modifier::ITALIC, 'I'),
                (Modifier::UNDERLINED, 'U'),
                (Modifier::REVERSED, 'R'),
            ]
            .iter()
            .filter(|(m, _)| cell.modifier.contains(*m))
            .map(|(_, c)| *c)
            .collect();
            let tag = format!("«{} {} {}»", color(cell.fg), color(cell.bg), mods);
            if last.as_ref() != Some(&tag) {
                line.push_str(&tag);
                last = Some(tag);
            }
            line.push_str(cell.symbol());
            skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Every event of a fixture log, in order.
pub fn fixture_events(path: &str) -> Vec<Event> {
    crate::log::open(path)
        .unwrap_or_else(|e| panic!("open {path}: {e}"))
        .map(|r| r.expect("readable log").event)
        .collect()
}

/// The first session id named in `events`.
pub fn first_session(events: &[Event]) -> String {
    events
        .iter()
        .find_map(|e| e.session_id().map(str::to_string))
        .expect("a session in the fixture")
}

/// An app showing the fixture's first session, with the events before the first one
/// for which `stop` is true applied (all of them when none is). Clock pinned.
pub fn app_from_events(events: &[Event], opts: UiOptions, stop: impl Fn(&Event) -> bool) -> App {
    let mut app = App::new(opts);
    app.clock_ms = Some(1_795_521_700_000);
    app.handle_input(UiInput::Connection(crate::ui::ConnectionState::Connected));
    app.handle_input(UiInput::ShowSession(first_session(events)));
    for e in events {
        if stop(e) {
            break;
        }
        app.handle_input(UiInput::Bus(e.clone()));
    }
    // The events happened in the past: a dialog they opened has long been on screen.
    app.guard.settle();
    app.dialog_seen.set(true);
    app
}

/// Draws the whole app on a `w` x `h` test terminal and returns the screen text.
pub fn draw_app(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| crate::ui::render(app, f)).expect("draw");
    buffer_text(t.backend().buffer())
}

/// Draws the whole app on a `w` x `h` test terminal and returns the buffer (with styles).
pub fn draw_app_buffer(app: &App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| crate::ui::render(app, f)).expect("draw");
    t.backend().buffer().clone()
}

pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

pub fn alt(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::ALT)
}

/// Types `text` key by key.
pub fn type_text(app: &mut App, text: &str) -> Vec<crate::ui::Action> {
    let mut out = Vec::new();
    for c in text.chars() {
        out.extend(app.handle_key(key(KeyCode::Char(c))));
    }
    out
}
