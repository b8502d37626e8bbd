//! The actions a key can be bound to, by opencode's keybind name, with our default keys
//! (opencode's notation) and a short label for the leader's note. Our defaults are the keys
//! ocw-tui always had plus opencode's free `<leader>` keys; tui.json changes them.

/// An action of the keymap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyAction {
    AppExit,
    CommandList,
    HelpShow,
    EditorOpen,
    /// opencode's `theme_list` (the theme picker).
    ThemeList,
    /// Ours, `approval_mode_cycle`: switches the approval mode (ask / edits / auto).
    ApprovalModeCycle,
    SidebarToggle,
    SessionExport,
    SessionNew,
    SessionList,
    SessionFork,
    SessionTimeline,
    /// Ours: the next / previous tab (app/tabs.rs).
    SessionTabNext,
    SessionTabPrevious,
    SessionInterrupt,
    SessionCompact,
    SessionParent,
    SessionChildCycle,
    SessionChildCycleReverse,
    ModelList,
    AgentList,
    AgentCycle,
    AgentCycleReverse,
    VariantCycle,
    VariantList,
    MessagesPageUp,
    MessagesPageDown,
    MessagesLineUp,
    MessagesLineDown,
    MessagesFirst,
    MessagesLast,
    MessagesCopy,
    MessagesUndo,
    MessagesRedo,
    ToolDetails,
    DisplayThinking,
    InputSubmit,
    InputNewline,
    InputPaste,
    TerminalSuspend,
}

/// One entry: opencode's name, the action, our default (opencode's notation, `none` for
/// unbound), the label in the leader's note.
pub struct Name {
    pub name: &'static str,
    pub action: KeyAction,
    pub default: &'static str,
    pub label: &'static str,
}

const fn n(
    name: &'static str,
    action: KeyAction,
    default: &'static str,
    label: &'static str,
) -> Name {
    Name {
        name,
        action,
        default,
        label,
    }
}

use KeyAction as A;

/// The leader's name and default.
pub const LEADER: &str = "leader";
pub const LEADER_DEFAULT: &str = "ctrl+x";

/// Every action we map, by opencode's name.
pub const NAMES: &[Name] = &[
    n("app_exit", A::AppExit, "ctrl+d,<leader>q", "quit"),
    n("command_list", A::CommandList, "ctrl+p", "commands"),
    n("help_show", A::HelpShow, "f1", "keys"),
    n(
        "editor_open",
        A::EditorOpen,
        "<leader>e,<leader>ctrl+e",
        "edit the prompt in $EDITOR",
    ),
    n("theme_list", A::ThemeList, "<leader>t", "themes"),
    n(
        "approval_mode_cycle",
        A::ApprovalModeCycle,
        "<leader>a",
        "approval mode",
    ),
    n("sidebar_toggle", A::SidebarToggle, "f3,<leader>b", "panel"),
    n("session_export", A::SessionExport, "<leader>x", "export"),
    n(
        "session_new",
        A::SessionNew,
        "ctrl+n,<leader>n",
        "new session",
    ),
    n(
        "session_list",
        A::SessionList,
        "ctrl+s,f2,<leader>l",
        "sessions",
    ),
    n("session_fork", A::SessionFork, "none", "fork"),
    n(
        "session_timeline",
        A::SessionTimeline,
        "<leader>g",
        "timeline",
    ),
    n(
        "session_tab_next",
        A::SessionTabNext,
        "<leader>right",
        "next tab",
    ),
    n(
        "session_tab_previous",
        A::SessionTabPrevious,
        "<leader>left",
        "previous tab",
    ),
    n("session_interrupt", A::SessionInterrupt, "escape", "abort"),
    n("session_compact", A::SessionCompact, "<leader>c", "compact"),
    n(
        "session_parent",
        A::SessionParent,
        "backspace",
        "parent session",
    ),
    n(
        "session_child_cycle",
        A::SessionChildCycle,
        "right",
        "next subagent",
    ),
    n(
        "session_child_cycle_reverse",
        A::SessionChildCycleReverse,
        "left",
        "previous subagent",
    ),
    n("model_list", A::ModelList, "f4,<leader>m", "models"),
    n("agent_list", A::AgentList, "none", "agents"),
    n("agent_cycle", A::AgentCycle, "tab", "next agent"),
    n(
        "agent_cycle_reverse",
        A::AgentCycleReverse,
        "none",
        "previous agent",
    ),
    n("variant_cycle", A::VariantCycle, "ctrl+t", "next variant"),
    n("variant_list", A::VariantList, "none", "variants"),
    n("messages_page_up", A::MessagesPageUp, "pageup", "page up"),
    n(
        "messages_page_down",
        A::MessagesPageDown,
        "pagedown",
        "page down",
    ),
    n("messages_line_up", A::MessagesLineUp, "none", "line up"),
    n(
        "messages_line_down",
        A::MessagesLineDown,
        "none",
        "line down",
    ),
    n("messages_first", A::MessagesFirst, "home,ctrl+home", "top"),
    n("messages_last", A::MessagesLast, "end,ctrl+end", "bottom"),
    n("messages_copy", A::MessagesCopy, "<leader>y", "copy"),
    n("messages_undo", A::MessagesUndo, "<leader>u", "undo"),
    n("messages_redo", A::MessagesRedo, "<leader>r", "redo"),
    n("tool_details", A::ToolDetails, "ctrl+o", "tool output"),
    n(
        "display_thinking",
        A::DisplayThinking,
        "ctrl+g",
        "reasoning",
    ),
    n("input_submit", A::InputSubmit, "return", "send"),
    n(
        "input_newline",
        A::InputNewline,
        "alt+return,shift+return,ctrl+j",
        "new line",
    ),
    n("input_paste", A::InputPaste, "ctrl+v", "paste"),
    n("terminal_suspend", A::TerminalSuspend, "ctrl+z", "suspend"),
];

/// The entry of an action.
pub fn of(action: KeyAction) -> &'static Name {
    NAMES
        .iter()
        .find(|n| n.action == action)
        .unwrap_or(&NAMES[0])
}

/// The entry of a name.
pub fn lookup(name: &str) -> Option<&'static Name> {
    NAMES.iter().find(|n| n.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_one_name_and_its_default_parses() {
        let mut names: Vec<&str> = NAMES.iter().map(|n| n.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len());
        for n in NAMES {
            assert_eq!(of(n.action).name, n.name);
            if n.default != "none" {
                for b in n.default.split(',') {
                    super::super::chord::parse_binding(b)
                        .unwrap_or_else(|e| panic!("{}: {e}", n.name));
                }
            }
        }
    }
}
