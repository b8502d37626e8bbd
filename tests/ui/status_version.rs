//! The status bar names the opencode release the server reported.

use ocw_tui::model::state::Store;
use ocw_tui::ui::status::{render, StatusContext};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

#[test]
fn the_status_bar_shows_the_opencode_version() {
    let mut term = Terminal::new(TestBackend::new(100, 1)).unwrap();
    let store = Store::default();
    let ctx = StatusContext {
        model_label: Some("mock/mock-model"),
        server_version: Some("1.18.33"),
        ..StatusContext::default()
    };
    term.draw(|f| render(f, f.area(), &store, None, &ctx))
        .unwrap();
    let line: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        line.contains("mock/mock-model · opencode 1.18.33"),
        "{line}"
    );
}

/// Issue 18: the status bar shows the project folder (shortened) and its git branch, kept
/// current as the branch changes; a branch name cannot put a control sequence on screen;
/// on a narrow screen it gives way to the rest.
#[test]
fn the_status_bar_shows_the_project_folder_and_the_current_git_branch() {
    use ocw_tui::ui::testing::draw_app;
    use ocw_tui::ui::{App, UiInput, UiOptions};
    let mut app = App::new(UiOptions {
        project_label: Some("~/src/greeter".into()),
        ..UiOptions::default()
    });
    app.handle_input(UiInput::GitBranch(Some("main".into())));
    let screen = draw_app(&app, 100, 10);
    let bar = screen.lines().last().unwrap_or_default();
    assert!(bar.contains("~/src/greeter ⎇ main"), "{bar}");
    app.handle_input(UiInput::GitBranch(Some("topic\u{1b}[2J".into())));
    let screen = draw_app(&app, 100, 10);
    let bar = screen.lines().last().unwrap_or_default();
    assert!(bar.contains("~/src/greeter ⎇ topic"), "{bar}");
    assert!(!bar.contains('\u{1b}'), "{bar:?}");
    app.handle_input(UiInput::GitBranch(None));
    let screen = draw_app(&app, 100, 10);
    let bar = screen.lines().last().unwrap_or_default();
    assert!(bar.contains("~/src/greeter") && !bar.contains('⎇'), "{bar}");
    let screen = draw_app(&app, 30, 10);
    let bar = screen.lines().last().unwrap_or_default();
    assert!(
        bar.contains("connecting") && !bar.contains("greeter"),
        "{bar}"
    );
}
