//! Client slash commands (ours, as opposed to the server's `GET /command` list): one table
//! that says, for each command, its name and aliases, what it does (`run`), the key that
//! does the same at the prompt and its help line. The `/` completion lists it, Enter on a
//! typed `/name args` line runs it and the help (F1) shows it (help::sections). Adding a
//! command is one entry here, its implementation with its feature, and the README.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::models::PickerKind;

/// One of our own slash commands.
pub struct CommandInfo {
    /// Its name, without the `/`.
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    /// One line for the completion and the help.
    pub description: &'static str,
    /// The key that does the same at the prompt, for the help: `{name}`, the keymap's
    /// action `name` (ui/keymap), shown with its keys.
    pub key: Option<&'static str>,
    /// True when it waits for arguments (the completion stops after `/name `).
    pub takes_args: bool,
    /// Runs it with the rest of its line.
    pub run: fn(&mut App, &str) -> Vec<Action>,
}

/// A command without arguments and without a key.
const fn cmd(
    name: &'static str,
    aliases: &'static [&'static str],
    description: &'static str,
    run: fn(&mut App, &str) -> Vec<Action>,
) -> CommandInfo {
    CommandInfo {
        name,
        aliases,
        description,
        key: None,
        takes_args: false,
        run,
    }
}

impl CommandInfo {
    /// The same, done by `key` at the prompt too.
    const fn key(mut self, key: &'static str) -> CommandInfo {
        self.key = Some(key);
        self
    }
    /// The same, waiting for arguments.
    const fn takes_args(mut self) -> CommandInfo {
        self.takes_args = true;
        self
    }
}

/// Every client command, in the order the completion and the help list them.
pub const CLIENT_COMMANDS: &[CommandInfo] = &[
    cmd("new", &["clear"], "start a new session", |_, _| {
        vec![Action::NewSession]
    })
    .key("{session_new}"),
    cmd(
        "sessions",
        &["resume"],
        "list, switch, search, rename, delete sessions",
        |app, _| app.toggle_session_list(),
    )
    .key("{session_list}"),
    cmd(
        "undo",
        &[],
        "revert the last turn (its prompt comes back into the input)",
        |app, _| app.undo(),
    )
    .key("{messages_undo}"),
    cmd("redo", &[], "undo the last undo", |app, _| app.redo()).key("{messages_redo}"),
    cmd(
        "compact",
        &["summarize"],
        "summarise the session to free context",
        |app, _| app.compact(),
    )
    .key("{session_compact}"),
    cmd(
        "fork",
        &[],
        "copy this session up to a message into a new one",
        |app, _| app.open_fork_picker(),
    )
    .key("{session_fork}"),
    cmd(
        "timeline",
        &[],
        "the session's prompts with their time and changed files: jump, revert, fork, copy",
        |app, _| app.open_timeline(),
    )
    .key("{session_timeline}"),
    cmd(
        "rename",
        &[],
        "rename this session: /rename NEW TITLE",
        |app, args| app.rename(args),
    )
    .takes_args(),
    cmd(
        "models",
        &["model"],
        "choose the model for the next prompts",
        |app, _| app.open_model_picker(PickerKind::Model),
    )
    .key("{model_list}"),
    cmd(
        "variants",
        &["variant"],
        "choose the model's variant (reasoning effort)",
        |app, _| app.open_model_picker(PickerKind::Variant),
    )
    .key("{variant_list}"),
    cmd(
        "agents",
        &["agent"],
        "choose the agent for the next prompts",
        |app, _| app.open_model_picker(PickerKind::Agent),
    )
    .key("{agent_list}"),
    cmd(
        "themes",
        &["theme"],
        "choose the colour theme (live preview; Esc goes back)",
        |app, _| app.open_theme_picker(),
    )
    .key("Ctrl+X T"),
    cmd(
        "editor",
        &[],
        "compose the prompt in $VISUAL / $EDITOR",
        |app, args| {
            // `/editor TEXT` starts the editor on TEXT.
            if !args.is_empty() {
                app.prompt.input.set_text(args);
            }
            vec![Action::OpenEditor]
        },
    )
    .key("{editor_open}"),
    cmd(
        "export",
        &[],
        "write this session as Markdown to a new file; /export PATH: to PATH (never overwritten)",
        |app, args| match app.session_id() {
            Some(id) => vec![Action::Export {
                session_id: id.to_string(),
                path: Some(args.trim())
                    .filter(|a| !a.is_empty())
                    .map(str::to_string),
            }],
            None => {
                app.note("no session to export yet", false);
                Vec::new()
            }
        },
    ),
    cmd(
        "copy",
        &[],
        "copy the last answer to the clipboard (OSC 52); /copy code: its last code block",
        |app, args| {
            app.copy(match args {
                "code" => crate::ui::app::copy::CopyWhat::Code,
                _ => crate::ui::app::copy::CopyWhat::Answer,
            })
        },
    )
    .key("{messages_copy}"),
    cmd(
        "details",
        &[],
        "show or hide the side panel (todos, files, MCP, LSP)",
        |app, _| app.toggle_side_panel(),
    )
    .key("{sidebar_toggle}"),
    cmd("thinking", &[], "show or hide reasoning", |app, _| {
        app.view.toggle_reasoning();
        Vec::new()
    })
    .key("{display_thinking}"),
    cmd(
        "approvals",
        &[],
        "approval mode for this session: /approvals ask|edits|auto (none: the next one)",
        |app, args| app.approvals_command(args),
    )
    .key("{approval_mode_cycle}"),
    cmd("help", &[], "the keys and commands", |app, _| {
        app.open_help(false);
        Vec::new()
    })
    .key("{help_show}"),
    cmd("quit", &["exit", "q"], "quit ocw-tui", |_, _| {
        vec![Action::Quit]
    })
    .key("{app_exit}"),
];

/// The client command a typed word names (its name or an alias), if any.
pub fn lookup(word: &str) -> Option<&'static CommandInfo> {
    CLIENT_COMMANDS
        .iter()
        .find(|c| c.name == word || c.aliases.contains(&word))
}

/// The keys of a command as `keymap` binds them (`None`: it has none).
pub fn key_of(c: &CommandInfo, keymap: &crate::ui::keymap::Keymap) -> Option<String> {
    Some(keymap.expand(c.key?)).filter(|k| k != "none")
}

/// The help's section of the client commands: `/name · key` and the description with
/// the aliases.
pub(crate) fn help_lines(keymap: &crate::ui::keymap::Keymap) -> Vec<(String, String)> {
    CLIENT_COMMANDS
        .iter()
        .map(|c| {
            let keys = match key_of(c, keymap) {
                Some(k) => format!("/{} · {k}", c.name),
                None => format!("/{}", c.name),
            };
            let mut what = c.description.to_string();
            if !c.aliases.is_empty() {
                let aliases: Vec<String> = c.aliases.iter().map(|a| format!("/{a}")).collect();
                what.push_str(&format!(" (also {})", aliases.join(" ")));
            }
            (keys, what)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases_find_their_command_and_nothing_else() {
        let name = |w: &str| lookup(w).map(|c| c.name);
        assert_eq!(name("undo"), Some("undo"));
        assert_eq!(name("exit"), Some("quit"));
        assert_eq!(name("summarize"), Some("compact"));
        assert_eq!(name("etc"), None);
        assert_eq!(name(""), None);
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
