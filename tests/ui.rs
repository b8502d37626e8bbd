//! The TUI without a terminal: `App` fed recorded and hand-made events and key presses,
//! drawn on a ratatui `TestBackend` (insta snapshots in `tests/ui/snapshots/`), one module
//! per feature.

#[path = "ui/support.rs"]
mod support;

#[path = "ui/always.rs"]
mod always;
#[path = "ui/approvals.rs"]
mod approvals;
#[path = "ui/browse.rs"]
mod browse;
#[path = "ui/build_plan.rs"]
mod build_plan;
#[path = "ui/clipboard.rs"]
mod clipboard;
#[path = "ui/clipboard_paste.rs"]
mod clipboard_paste;
#[path = "ui/copy_message.rs"]
mod copy_message;
#[path = "ui/corners.rs"]
mod corners;
#[path = "ui/guard.rs"]
mod guard;
#[path = "ui/history.rs"]
mod history;
#[path = "ui/honest.rs"]
mod honest;
#[path = "ui/input.rs"]
mod input;
#[path = "ui/key_table.rs"]
mod key_table;
#[path = "ui/keybinds.rs"]
mod keybinds;
#[path = "ui/keys.rs"]
mod keys;
#[path = "ui/lazy.rs"]
mod lazy;
#[path = "ui/line_edit.rs"]
mod line_edit;
#[path = "ui/list_marks.rs"]
mod list_marks;
#[path = "ui/log_failure.rs"]
mod log_failure;
#[path = "ui/long_request.rs"]
mod long_request;
#[path = "ui/mention.rs"]
mod mention;
#[path = "ui/models.rs"]
mod models;
#[path = "ui/queue.rs"]
mod queue;
#[path = "ui/reconnect_cut.rs"]
mod reconnect_cut;
#[path = "ui/remote.rs"]
mod remote;
#[path = "ui/search.rs"]
mod search;
#[path = "ui/session_ops.rs"]
mod session_ops;
#[path = "ui/session_search.rs"]
mod session_search;
#[path = "ui/side_panel.rs"]
mod side_panel;
#[path = "ui/slash.rs"]
mod slash;
#[path = "ui/snapshots.rs"]
mod snapshots;
#[path = "ui/startup.rs"]
mod startup;
#[path = "ui/status_line.rs"]
mod status_line;
#[path = "ui/status_version.rs"]
mod status_version;
#[path = "ui/subagent.rs"]
mod subagent;
#[path = "ui/tabs.rs"]
mod tabs;
#[path = "ui/theme.rs"]
mod theme;
#[path = "ui/themes.rs"]
mod themes;
#[path = "ui/timeline.rs"]
mod timeline;
#[path = "ui/tool_focus.rs"]
mod tool_focus;
#[path = "ui/transcript.rs"]
mod transcript;
