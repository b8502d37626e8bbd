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
pub use steps::{git_init, log_events, ocw, ocw_run, quit, start};
pub use tmux::Tmux;

use std::path::PathBuf;

/// The `ocw-tui` binary cargo built for this integration test.
pub fn ocw_tui_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ocw-tui"))
}
