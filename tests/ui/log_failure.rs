//! A session log that cannot be written (disk full, file gone read-only) fails on every
//! event: the person hears one bell and reads one note, then the status bar keeps a steady
//! `log ✗` (it rang the bell once per event before: 377 bells in 10 s).

use ocw_tui::ui::app::App;
use ocw_tui::ui::testing::draw_app;
use ocw_tui::ui::{Action, ConnectionState, UiInput, UiOptions};

fn app() -> App {
    let mut app = App::new(UiOptions {
        notify: true,
        ..UiOptions::default()
    });
    app.pin_clock(1_795_521_700_000);
    app.handle_input(UiInput::Connection(ConnectionState::Connected));
    app
}

#[test]
fn a_failing_log_rings_once_then_shows_a_steady_marker() {
    let mut app = app();
    let mut rung = Vec::new();
    for _ in 0..377 {
        rung.extend(
            app.handle_input(UiInput::LogFailed {
                error: "cannot write the session log: No space left on device (os error 28)".into(),
            })
            .into_iter()
            .filter(|a| matches!(a, Action::Notify(_))),
        );
    }
    assert_eq!(rung.len(), 1, "{rung:?}");
    let said: Vec<_> = app
        .notes()
        .iter()
        .filter(|n| n.text().contains("session log"))
        .collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].is_error());
    assert!(
        said[0].text().contains("No space left"),
        "{}",
        said[0].text()
    );
    // The status bar (the bottom row) says so, once, and keeps saying it after the note.
    let screen = draw_app(&app, 100, 12);
    let bar = screen.lines().last().unwrap_or_default();
    assert_eq!(bar.matches("log ✗").count(), 1, "one marker:\n{screen}");
}

#[test]
fn without_a_failure_there_is_no_marker() {
    let app = app();
    let screen = draw_app(&app, 100, 12);
    assert!(!screen.contains("log ✗"), "{screen}");
}
