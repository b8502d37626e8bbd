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
