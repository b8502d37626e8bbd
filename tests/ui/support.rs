//! What the UI tests share: an `App` connected and showing one session at a fixed clock,
//! and feeding it a server event by type and properties.

use ocw_tui::model::Event;
use ocw_tui::ui::{Action, App, ConnectionState, UiInput, UiOptions};

/// An `App` connected to the server, showing session `sid`, its clock stopped at `now_ms`.
pub fn session_app(sid: &str, now_ms: u64) -> App {
    session_app_with(sid, now_ms, UiOptions::default())
}

/// [`session_app`] with options of its own.
pub fn session_app_with(sid: &str, now_ms: u64, opts: UiOptions) -> App {
    let mut app = App::new(opts);
    app.pin_clock(now_ms);
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    app.handle_input(UiInput::ShowSession(sid.into()));
    app
}

/// The server event `kind` with properties `props`, as the event stream would carry it.
pub fn ev(kind: &str, props: serde_json::Value) -> Event {
    Event::from_parts(kind, &props.to_string())
}

/// Feeds `app` the server event `kind` with `props`; returns what it asks for.
pub fn bus(app: &mut App, kind: &str, props: serde_json::Value) -> Vec<Action> {
    app.handle_input(UiInput::Bus(ev(kind, props)))
}

/// Types `text` into the prompt and presses Enter: what the press asks for.
pub fn enter(app: &mut App, text: &str) -> Vec<Action> {
    ocw_tui::ui::testing::type_text(app, text);
    app.handle_key(ocw_tui::ui::testing::key(crossterm::event::KeyCode::Enter))
}
