//! The end-to-end tests: the real `ocw-tui` binary (in tmux, or headless `run`) against the
//! real opencode 1.18.33 and the scripted model of `tests/support/` (the harness, compiled
//! once here), one module per feature. The tests that need the harness all live here.

mod support;

#[path = "e2e/always.rs"]
mod always;
#[path = "e2e/approval.rs"]
mod approval;
#[path = "e2e/approvals.rs"]
mod approvals;
#[path = "e2e/build_plan.rs"]
mod build_plan;
#[path = "e2e/compat_python.rs"]
mod compat_python;
#[path = "e2e/config_rule_file.rs"]
mod config_rule_file;
#[path = "e2e/editor.rs"]
mod editor;
#[path = "e2e/find_subagent.rs"]
mod find_subagent;
#[path = "e2e/interrupted.rs"]
mod interrupted;
#[path = "e2e/keybinds.rs"]
mod keybinds;
#[path = "e2e/list_marks.rs"]
mod list_marks;
#[path = "e2e/logs.rs"]
mod logs;
#[path = "e2e/long_request.rs"]
mod long_request;
#[path = "e2e/mock_model_selftest.rs"]
mod mock_model_selftest;
#[path = "e2e/mock_scenario_selftest.rs"]
mod mock_scenario_selftest;
#[path = "e2e/models.rs"]
mod models;
#[path = "e2e/old_opencode.rs"]
mod old_opencode;
#[path = "e2e/panel.rs"]
mod panel;
#[path = "e2e/prompt_extras.rs"]
mod prompt_extras;
#[path = "e2e/prompt_history.rs"]
mod prompt_history;
#[path = "e2e/queue.rs"]
mod queue;
#[path = "e2e/resilience.rs"]
mod resilience;
#[path = "e2e/run.rs"]
mod run;
#[path = "e2e/run_rejected.rs"]
mod run_rejected;
#[path = "e2e/security_server.rs"]
mod security_server;
#[path = "e2e/security_tool_env.rs"]
mod security_tool_env;
#[path = "e2e/session.rs"]
mod session;
#[path = "e2e/session_elsewhere.rs"]
mod session_elsewhere;
#[path = "e2e/session_search.rs"]
mod session_search;
#[path = "e2e/slash.rs"]
mod slash;
#[path = "e2e/startup.rs"]
mod startup;
#[path = "e2e/status_line.rs"]
mod status_line;
#[path = "e2e/tabs.rs"]
mod tabs;
#[path = "e2e/theme.rs"]
mod theme;
#[path = "e2e/themes.rs"]
mod themes;
#[path = "e2e/timeline.rs"]
mod timeline;
#[path = "e2e/tool_processes.rs"]
mod tool_processes;
#[path = "e2e/tui.rs"]
mod tui;
#[path = "e2e/untrusted_text.rs"]
mod untrusted_text;
