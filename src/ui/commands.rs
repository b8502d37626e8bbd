//! Client slash commands (ours, as opposed to the server's `GET /command` list): the table
//! the `/` completion shows and the dispatch from a typed `/name args` line to what the app
//! does. Each command's action lives with its feature; this file only routes.

use crate::ui::action::Action;
use crate::ui::app::App;

/// One of our own slash commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientCommand {
    New,
    Sessions,
    Undo,
    Redo,
    Compact,
    Fork,
    Rename,
    Models,
    Variants,
    Agents,
    Editor,
    Export,
    Copy,
    Details,
    Thinking,
    Help,
    Quit,
}

/// Name (without the `/`), aliases, one-line description.
pub struct CommandInfo {
    pub command: ClientCommand,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub description: &'static str,
}

/// Every client command, in the order the completion lists them.
pub const CLIENT_COMMANDS: &[CommandInfo] = &[
    info(ClientCommand::New, "new", &["clear"], "start a new session"),
    info(
        ClientCommand::Sessions,
        "sessions",
        &["resume"],
        "list, switch, search, rename, delete sessions",
    ),
    info(
        ClientCommand::Undo,
        "undo",
        &[],
        "revert the last turn (its prompt comes back into the input)",
    ),
    info(ClientCommand::Redo, "redo", &[], "undo the last undo"),
    info(
        ClientCommand::Compact,
        "compact",
        &["summarize"],
        "summarise the session to free context",
    ),
    info(
        ClientCommand::Fork,
        "fork",
        &[],
        "copy this session up to a message into a new one",
    ),
    info(
        ClientCommand::Rename,
        "rename",
        &[],
        "rename this session: /rename NEW TITLE",
    ),
    info(
        ClientCommand::Models,
        "models",
        &["model"],
        "choose the model for the next prompts",
    ),
    info(
        ClientCommand::Variants,
        "variants",
        &["variant"],
        "choose the model's variant (reasoning effort)",
    ),
    info(
        ClientCommand::Agents,
        "agents",
        &["agent"],
        "choose the agent for the next prompts",
    ),
    info(
        ClientCommand::Editor,
        "editor",
        &[],
        "compose the prompt in $VISUAL / $EDITOR",
    ),
    info(
        ClientCommand::Export,
        "export",
        &[],
        "write this session as Markdown to a new file; /export PATH: to PATH (never overwritten)",
    ),
    info(
        ClientCommand::Copy,
        "copy",
        &[],
        "copy the last answer to the clipboard (OSC 52); /copy code: its last code block",
    ),
    info(
        ClientCommand::Details,
        "details",
        &[],
        "show or hide the side panel (todos, files, MCP, LSP)",
    ),
    info(
        ClientCommand::Thinking,
        "thinking",
        &[],
        "show or hide reasoning",
    ),
    info(ClientCommand::Help, "help", &[], "the keys and commands"),
    info(ClientCommand::Quit, "quit", &["exit", "q"], "quit ocw-tui"),
];

const fn info(
    command: ClientCommand,
    name: &'static str,
    aliases: &'static [&'static str],
    description: &'static str,
) -> CommandInfo {
    CommandInfo {
        command,
        name,
        aliases,
        description,
    }
}

/// The client command a typed word names (its name or an alias), if any.
pub fn lookup(word: &str) -> Option<ClientCommand> {
    CLIENT_COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word))
        .map(|c| c.command)
}

impl App {
    /// Runs one client command with the rest of its line as `args`.
    pub(crate) fn run_client_command(&mut self, command: ClientCommand, args: &str) -> Vec<Action> {
        match command {
            ClientCommand::Quit => vec![Action::Quit],
            ClientCommand::New => vec![Action::NewSession],
            ClientCommand::Sessions => self.toggle_session_list(),
            ClientCommand::Help => {
                self.show_help = true;
                Vec::new()
            }
            ClientCommand::Thinking => {
                self.view.toggle_reasoning();
                Vec::new()
            }
            ClientCommand::Undo => self.undo(),
            ClientCommand::Redo => self.redo(),
            ClientCommand::Compact => self.compact(),
            ClientCommand::Fork => self.open_fork_picker(),
            ClientCommand::Rename => self.rename(args),
            ClientCommand::Models => {
                self.open_model_picker(crate::ui::overlay::models::PickerKind::Model)
            }
            ClientCommand::Variants => {
                self.open_model_picker(crate::ui::overlay::models::PickerKind::Variant)
            }
            ClientCommand::Agents => {
                self.open_model_picker(crate::ui::overlay::models::PickerKind::Agent)
            }
            ClientCommand::Editor => {
                // `/editor TEXT` starts the editor on TEXT.
                if !args.is_empty() {
                    self.input.set_text(args);
                }
                vec![Action::OpenEditor]
            }
            ClientCommand::Export => match self.session_id() {
                Some(id) => vec![Action::Export {
                    session_id: id.to_string(),
                    path: Some(args.trim())
                        .filter(|a| !a.is_empty())
                        .map(str::to_string),
                }],
                None => {
                    self.note("no session to export yet", false);
                    Vec::new()
                }
            },
            ClientCommand::Copy => self.copy(match args {
                "code" => crate::ui::app::copy::CopyWhat::Code,
                _ => crate::ui::app::copy::CopyWhat::Answer,
            }),
            ClientCommand::Details => self.toggle_side_panel(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_find_their_command_and_nothing_else() {
        assert_eq!(lookup("undo"), Some(ClientCommand::Undo));
        assert_eq!(lookup("exit"), Some(ClientCommand::Quit));
        assert_eq!(lookup("summarize"), Some(ClientCommand::Compact));
        assert_eq!(lookup("etc"), None);
        assert_eq!(lookup(""), None);
    }

    #[test]
    fn every_command_is_listed_once() {
        let mut names: Vec<&str> = CLIENT_COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
            .collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "a name or alias is used twice");
    }
}
