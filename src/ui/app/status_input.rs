//! What the status line command is given on stdin: the shown session as JSON, with Claude
//! Code's field names (`model.display_name`, `workspace.current_dir`,
//! `cost.total_cost_usd`, `context_window`, …) so that existing statusLine scripts work.
//! Emitted as [`Action::StatusInput`] whenever it changes (the command task runs it at
//! most every 300 ms); nothing in it changes with the clock alone.

use crate::ui::action::Action;
use crate::ui::app::App;
use serde_json::json;

impl App {
    /// The JSON for the status line command, `None` when no command is configured.
    pub fn status_input(&self) -> Option<String> {
        if !self.opts.status_line {
            return None;
        }
        let session = self.session_id().and_then(|id| self.store.session(id));
        let (tokens, cost) = session.map(crate::ui::status::totals).unwrap_or_default();
        let model = self.models.current_model();
        let model_id = self
            .models
            .model
            .clone()
            .or_else(|| session.and_then(|s| s.model.clone()))
            .or_else(|| self.opts.model_label.clone());
        let display = model.map(|m| m.name.clone()).or_else(|| model_id.clone());
        let dir = self
            .opts
            .project_dir
            .as_ref()
            .map(|p| p.display().to_string());
        let (added, removed) = session.map_or((0, 0), |s| {
            s.messages
                .iter()
                .filter(|m| !s.reverted(m))
                .flat_map(|m| &m.diffs)
                .fold((0, 0), |(a, r), d| (a + d.additions, r + d.deletions))
        });
        let size = model.and_then(|m| m.context_limit);
        let percent = session.and_then(|s| self.models.context_percent(s));
        let agent = self
            .models
            .agent
            .clone()
            .or_else(|| session.and_then(|s| s.agent.clone()))
            .or_else(|| self.opts.agent_label.clone());
        let v = json!({
            "hook_event_name": "Status",
            "session_id": self.session_id(),
            "session_title": session.and_then(|s| s.title.clone()),
            "cwd": dir,
            "model": {"id": model_id, "display_name": display},
            "agent": {"name": agent},
            "workspace": {"current_dir": dir, "project_dir": dir},
            "version": env!("CARGO_PKG_VERSION"),
            "opencode_version": self.opts.server_version,
            "output_style": {"name": "default"},
            "cost": {
                "total_cost_usd": cost,
                "total_lines_added": added,
                "total_lines_removed": removed,
            },
            "context_window": {
                "total_input_tokens": tokens.input + tokens.cache_read + tokens.cache_write,
                "total_output_tokens": tokens.output + tokens.reasoning,
                "context_window_size": size,
                "used_percentage": percent,
            },
            "exceeds_200k_tokens": tokens.total > 200_000,
            "busy": self.busy(),
        });
        Some(v.to_string())
    }

    /// Queues the status command's input when it changed since it was last given.
    pub(crate) fn sync_status_input(&mut self) {
        let Some(json) = self.status_input() else {
            return;
        };
        if self.status_line.sent.as_deref() != Some(json.as_str()) {
            self.status_line.sent = Some(json.clone());
            self.outbox.push(Action::StatusInput(json));
        }
    }
}

/// The status line command's state in the app: the last input given, its last output.
#[derive(Debug, Default)]
pub struct StatusLineState {
    pub(crate) sent: Option<String>,
    pub(crate) shown: Option<String>,
}
