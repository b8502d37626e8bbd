//! Shared harness of the end-to-end tests (compiled once, by `tests/e2e.rs`):
//! a scripted model ([`MockModel`]), a hermetic [`Workspace`], a supervised
//! `opencode serve` ([`spawn_opencode_serve`]), a small driver of its HTTP API ([`Api`]),
//! the ocw-tui binary under test and the steps every test takes around it ([`steps`]).

pub mod api;
pub mod mock_model;
pub mod mock_scenario;
pub mod mock_script;
pub mod opencode;
pub mod proxy;
pub mod steps;
pub mod tls_proxy;
pub mod tmux;

pub use api::Api;
pub use mock_model::MockModel;
pub use opencode::{
    assert_no_opencode_left, opencode_bin, opencode_processes_in, spawn_opencode_serve,
    RunningServer, Workspace,
};
pub use steps::{git_init, in_session_list, log_events, ocw, ocw_run, quit, start};
pub use tmux::Tmux;

use std::path::PathBuf;
use std::time::Duration;

/// How long a wait may take: `secs` times the patience factor, `OCW_TEST_PATIENCE` (default
/// 2). Waits end as soon as their state shows, so patience costs time only on a failure; a
/// loaded machine (`yes > /dev/null` beside the suite) needs it, a fast one never notices.
pub fn patience(secs: u64) -> Duration {
    let factor = std::env::var("OCW_TEST_PATIENCE")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|f| *f >= 1.0)
        .unwrap_or(2.0);
    Duration::from_secs_f64(secs as f64 * factor)
}

/// The `ocw-tui` binary cargo built for this integration test.
pub fn ocw_tui_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ocw-tui"))
}
