//! What another client of the server asks of the TUI (`POST /tui/*`, as opencode.nvim and
//! the VS Code extension call them): the four `tui.*` bus events read into [`TuiRequest`],
//! and a command's name (dotted, `session.new`, or opencode's older keybind name,
//! `session_new`) read into [`TuiCommand`]. Pure: what the TUI does with them is the UI's.

use super::event::Event;
use serde_json::Value;

/// One `tui.*` event of the bus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TuiRequest {
    /// `tui.prompt.append {text}`: add the text to the prompt input.
    Append(String),
    /// `tui.command.execute {command}`: the name as sent (empty when the server sent none).
    Command(String),
    /// `tui.toast.show {title?, message, variant, duration}`.
    Toast(Toast),
    /// `tui.session.select {sessionID}`: show that session.
    SelectSession(String),
}

/// A toast as the server sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub title: Option<String>,
    pub message: String,
    /// `info`, `success`, `warning` or `error` (anything else counts as `info`).
    pub variant: String,
    /// How long it stays, in ms (the server's default is 5000).
    pub duration_ms: u64,
}

/// The server's default toast duration (ms).
pub const TOAST_DEFAULT_MS: u64 = 5000;
/// The longest a toast stays, whatever it asks for (ms).
pub const TOAST_MAX_MS: u64 = 60_000;

impl TuiRequest {
    /// The request a bus event carries, if it is one of the four `tui.*` events.
    pub fn from_event(ev: &Event) -> Option<TuiRequest> {
        let Event::Other {
            kind, properties, ..
        } = ev
        else {
            return None;
        };
        let text = |key: &str| properties.get(key).and_then(Value::as_str);
        match kind.as_str() {
            "tui.prompt.append" => Some(TuiRequest::Append(text("text")?.to_string())),
            "tui.command.execute" => Some(TuiRequest::Command(
                text("command").unwrap_or_default().to_string(),
            )),
            "tui.toast.show" => Some(TuiRequest::Toast(Toast {
                title: text("title").filter(|t| !t.is_empty()).map(str::to_string),
                message: text("message")?.to_string(),
                variant: text("variant").unwrap_or("info").to_string(),
                duration_ms: properties
                    .get("duration")
                    .and_then(Value::as_f64)
                    .filter(|d| d.is_finite() && *d > 0.0)
                    .map_or(TOAST_DEFAULT_MS, |d| (d as u64).min(TOAST_MAX_MS)),
            })),
            "tui.session.select" => Some(TuiRequest::SelectSession(
                text("sessionID").filter(|s| !s.is_empty())?.to_string(),
            )),
            _ => None,
        }
    }
}

/// A command another client may ask for, by what it does in ocw-tui.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TuiCommand {
    PromptSubmit,
    PromptClear,
    SessionNew,
    SessionList,
    SessionShare,
    SessionInterrupt,
    SessionCompact,
    SessionUndo,
    SessionRedo,
    SessionExport,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    LineUp,
    LineDown,
    First,
    Last,
    AgentCycle,
    AgentList,
    ModelList,
    VariantList,
    HelpShow,
    ThemeList,
    SidebarToggle,
    ThinkingToggle,
    MessagesCopy,
}

/// Every name we map: opencode's dotted command name, then its older keybind names.
const NAMES: &[(TuiCommand, &str, &[&str])] = &[
    (
        TuiCommand::PromptSubmit,
        "prompt.submit",
        &["prompt_submit", "input_submit", "input.submit"],
    ),
    (TuiCommand::PromptClear, "prompt.clear", &["input_clear"]),
    (TuiCommand::SessionNew, "session.new", &["session_new"]),
    (TuiCommand::SessionList, "session.list", &["session_list"]),
    (
        TuiCommand::SessionShare,
        "session.share",
        &["session_share"],
    ),
    (
        TuiCommand::SessionInterrupt,
        "session.interrupt",
        &["session_interrupt"],
    ),
    (
        TuiCommand::SessionCompact,
        "session.compact",
        &["session_compact"],
    ),
    (
        TuiCommand::SessionUndo,
        "session.undo",
        &["messages_undo", "session_undo"],
    ),
    (
        TuiCommand::SessionRedo,
        "session.redo",
        &["messages_redo", "session_redo"],
    ),
    (
        TuiCommand::SessionExport,
        "session.export",
        &["session_export"],
    ),
    (TuiCommand::PageUp, "session.page.up", &["messages_page_up"]),
    (
        TuiCommand::PageDown,
        "session.page.down",
        &["messages_page_down"],
    ),
    (
        TuiCommand::HalfPageUp,
        "session.half.page.up",
        &["messages_half_page_up"],
    ),
    (
        TuiCommand::HalfPageDown,
        "session.half.page.down",
        &["messages_half_page_down"],
    ),
    (TuiCommand::LineUp, "session.line.up", &["messages_line_up"]),
    (
        TuiCommand::LineDown,
        "session.line.down",
        &["messages_line_down"],
    ),
    (TuiCommand::First, "session.first", &["messages_first"]),
    (TuiCommand::Last, "session.last", &["messages_last"]),
    (TuiCommand::AgentCycle, "agent.cycle", &["agent_cycle"]),
    (TuiCommand::AgentList, "agent.list", &["agent_list"]),
    (TuiCommand::ModelList, "model.list", &["model_list"]),
    (TuiCommand::VariantList, "variant.list", &["variant_list"]),
    (TuiCommand::HelpShow, "help.show", &["help_show"]),
    (
        TuiCommand::ThemeList,
        "theme.switch",
        &["theme_list", "theme.list"],
    ),
    (
        TuiCommand::SidebarToggle,
        "session.sidebar.toggle",
        &["sidebar_toggle"],
    ),
    (
        TuiCommand::ThinkingToggle,
        "session.toggle.thinking",
        &["display_thinking"],
    ),
    (
        TuiCommand::MessagesCopy,
        "messages.copy",
        &["messages_copy"],
    ),
];

impl TuiCommand {
    /// The command a name means (dotted or underscore), if we have it.
    pub fn from_name(name: &str) -> Option<TuiCommand> {
        let name = name.trim();
        NAMES
            .iter()
            .find(|(_, dotted, older)| *dotted == name || older.contains(&name))
            .map(|(c, _, _)| *c)
    }

    /// Its dotted name.
    pub fn name(self) -> &'static str {
        NAMES
            .iter()
            .find(|(c, _, _)| *c == self)
            .map_or("", |(_, dotted, _)| dotted)
    }

    /// Every dotted name we map, in table order.
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMES.iter().map(|(_, dotted, _)| *dotted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(json: &str) -> Option<TuiRequest> {
        TuiRequest::from_event(&Event::parse(json).unwrap())
    }

    #[test]
    fn the_four_events_are_read_as_the_server_sends_them() {
        assert_eq!(
            req(r#"{"type":"tui.prompt.append","properties":{"text":"@a.rs#L1-2 "}}"#),
            Some(TuiRequest::Append("@a.rs#L1-2 ".into()))
        );
        assert_eq!(
            req(r#"{"type":"tui.command.execute","properties":{"command":"session.new"}}"#),
            Some(TuiRequest::Command("session.new".into()))
        );
        // `/tui/execute-command` with a dotted name publishes empty properties.
        assert_eq!(
            req(r#"{"type":"tui.command.execute","properties":{}}"#),
            Some(TuiRequest::Command(String::new()))
        );
        assert_eq!(
            req(
                r#"{"type":"tui.toast.show","properties":{"message":"hi","variant":"warning","duration":1500}}"#
            ),
            Some(TuiRequest::Toast(Toast {
                title: None,
                message: "hi".into(),
                variant: "warning".into(),
                duration_ms: 1500
            }))
        );
        assert_eq!(
            req(r#"{"type":"tui.session.select","properties":{"sessionID":"ses_1"}}"#),
            Some(TuiRequest::SelectSession("ses_1".into()))
        );
        assert_eq!(
            req(r#"{"type":"tui.session.select","properties":{}}"#),
            None
        );
        assert_eq!(
            req(r#"{"type":"session.idle","properties":{"sessionID":"s"}}"#),
            None
        );
    }

    #[test]
    fn a_toast_without_duration_takes_the_default_and_a_huge_one_is_capped() {
        let t = |d: &str| match req(&format!(
            r#"{{"type":"tui.toast.show","properties":{{"title":"T","message":"m","variant":"info"{d}}}}}"#
        )) {
            Some(TuiRequest::Toast(t)) => t.duration_ms,
            other => panic!("{other:?}"),
        };
        assert_eq!(t(""), TOAST_DEFAULT_MS);
        assert_eq!(t(r#","duration":1e12"#), TOAST_MAX_MS);
        assert_eq!(t(r#","duration":-5"#), TOAST_DEFAULT_MS);
    }

    #[test]
    fn dotted_and_older_names_map_to_the_same_command() {
        assert_eq!(
            TuiCommand::from_name("session_new"),
            Some(TuiCommand::SessionNew)
        );
        assert_eq!(
            TuiCommand::from_name("session.new"),
            Some(TuiCommand::SessionNew)
        );
        assert_eq!(
            TuiCommand::from_name("messages_half_page_up"),
            Some(TuiCommand::HalfPageUp)
        );
        assert_eq!(TuiCommand::from_name("app.exit"), None);
        assert_eq!(TuiCommand::from_name(""), None);
        for name in TuiCommand::names() {
            assert_eq!(
                TuiCommand::from_name(name).map(TuiCommand::name),
                Some(name)
            );
        }
    }
}
