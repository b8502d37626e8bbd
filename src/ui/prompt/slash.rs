//! The `/` completion popup and how a typed `/word args` line is sent. Typing `/` at the
//! start of an empty prompt opens a fuzzy-filtered list (`picker.rs`) of our client
//! commands (`commands.rs`) and the server's (`GET /command`, fed as
//! `UiInput::ServerCommands`), each with its description, argument hints and source.
//!
//! Keys while it is open: Up/Down (Ctrl+P/N, PgUp/PgDn) move, Tab completes `/name ` (type
//! the arguments after it), Enter runs the chosen command at once when it takes no
//! arguments, and completes like Tab when it does (`/rename`, a server command whose
//! template has `$ARGUMENTS` / `$1`), so a second Enter runs it; Esc closes the list (it
//! stays closed for this line). The list closes by itself once the line holds a space.
//!
//! On Enter, a line `/word rest...` runs the client command `word`, else the server command
//! `word` with the rest of the line (and the following lines) as its arguments; a word
//! holding `/` or `.` is a path (`/etc/hosts ...`) and is sent as text at once; any other
//! unknown word is never sent silently: the first Enter says so, a second Enter on the same
//! text sends it as a prompt.

use crate::model::command::ServerCommand;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::commands::{self, CommandInfo, CLIENT_COMMANDS};
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{ChooseKey, Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::prompt::SlashState;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

/// Said on the first Enter of an unknown `/word` (after the word).
pub const UNKNOWN_NOTE: &str = "unknown command; Enter again sends it as text";
/// Longest description shown (skills have paragraphs).
const MAX_DESCRIPTION: usize = 160;
/// Rows of the popup at most (borders included).
const POPUP_ROWS: u16 = 12;

fn client_item(c: &CommandInfo) -> PickerItem {
    let mut item =
        PickerItem::new(format!("c:{}", c.name), format!("/{}", c.name)).description(c.description);
    if !c.aliases.is_empty() {
        let aliases: Vec<String> = c.aliases.iter().map(|a| format!("/{a}")).collect();
        item = item.tag(aliases.join(" "));
    }
    item
}

fn server_item(c: &ServerCommand) -> PickerItem {
    let mut description: String = c.description.chars().take(MAX_DESCRIPTION).collect();
    if !c.hints.is_empty() {
        description = format!("{} · {description}", c.hints.join(" "));
    }
    let tag = match c.source.as_str() {
        "mcp" => "mcp",
        "skill" => "skill",
        _ => "server",
    };
    PickerItem::new(format!("s:{}", c.name), format!("/{}", c.name))
        .description(description)
        .tag(tag)
}

fn items(state: &SlashState) -> Vec<PickerItem> {
    CLIENT_COMMANDS
        .iter()
        .map(client_item)
        .chain(state.commands.iter().map(server_item))
        .collect()
}

/// Whether the chosen item (`c:name` / `s:name`) takes arguments.
fn takes_arguments(state: &SlashState, id: &str) -> bool {
    match id.split_once(':') {
        Some(("c", name)) => name == "rename",
        Some(("s", name)) => state
            .commands
            .iter()
            .any(|c| c.name == name && !c.hints.is_empty()),
        _ => false,
    }
}

/// True for a line that is one `/word` (no space, one line): the popup's query.
fn completing(text: &str) -> bool {
    text.starts_with('/') && !text.chars().any(char::is_whitespace)
}

impl App {
    /// The server's list arrived (or changed): an open popup shows it.
    pub(crate) fn server_commands_arrived(&mut self, commands: Vec<ServerCommand>) {
        self.slash.commands = commands;
        self.slash.loaded = true;
        let items = items(&self.slash);
        if let Some(p) = &mut self.slash.popup {
            p.set_items(items);
            p.set_loading(false);
        }
    }

    /// Opens, filters or closes the popup after the input changed.
    pub(crate) fn sync_slash(&mut self) {
        let text = self.input.text();
        if !completing(&text) {
            self.slash.popup = None;
            self.slash.dismissed = false;
            return;
        }
        if self.slash.dismissed {
            return;
        }
        if self.slash.popup.is_none() {
            let mut p = Picker::new("commands", Kind::Words, QueryInput::External);
            p.set_items(items(&self.slash));
            p.set_loading(!self.slash.loaded);
            self.slash.popup = Some(p);
        }
        if let Some(p) = &mut self.slash.popup {
            // A lone `/` lists everything in table order (client commands first).
            p.set_query(if text == "/" { "" } else { &text });
        }
    }

    /// A key while the popup is open; `None` lets it go on to the prompt (typing, or an
    /// Enter that runs the completed command).
    pub(crate) fn slash_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let popup = self.slash.popup.as_mut()?;
        match popup.handle_key(key) {
            PickerOutcome::Ignored | PickerOutcome::QueryChanged => None,
            PickerOutcome::Handled => Some(Vec::new()),
            PickerOutcome::Closed => {
                self.slash.popup = None;
                self.slash.dismissed = true;
                Some(Vec::new())
            }
            PickerOutcome::Chosen { id, by } => {
                self.slash.popup = None;
                let name = id.split_once(':').map_or(id.as_str(), |(_, n)| n);
                if by == ChooseKey::Tab || takes_arguments(&self.slash, &id) {
                    self.input.set_text(&format!("/{name} "));
                    Some(Vec::new())
                } else {
                    // The Enter goes on and runs it.
                    self.input.set_text(&format!("/{name}"));
                    self.slash.dismissed = true;
                    None
                }
            }
        }
    }

    /// Enter on a `/` line: `Some` when the line was a command (run, or held back as
    /// unknown), `None` when it is to be sent as a prompt.
    pub(crate) fn slash_submit(&mut self) -> Option<Vec<Action>> {
        let text = self.input.text();
        let rest = text.trim_start().strip_prefix('/')?;
        let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let args = args.trim().to_string();
        if word.is_empty() {
            return None;
        }
        if let Some(command) = commands::lookup(word) {
            self.input.take();
            self.slash.popup = None;
            return Some(self.run_client_command(command, &args));
        }
        if self.slash.commands.iter().any(|c| c.name == word) {
            let Some(sid) = self.session_id().map(str::to_string) else {
                self.note("no session yet: wait a moment and press Enter again", true);
                return Some(Vec::new());
            };
            let command = word.to_string();
            let text = self.input.take();
            self.view.scroll_to_bottom();
            let action = Action::RunCommand {
                session_id: sid.clone(),
                command,
                arguments: args,
                text: text.clone(),
            };
            if self.busy() {
                // Queued here like a prompt, sent when the turn ends (prompt_queue.rs).
                return Some(self.queue_prompt(sid, text, action));
            }
            return Some(vec![action]);
        }
        if word.contains(['/', '.']) {
            // A path such as `/etc/hosts ...`: a prompt.
            return None;
        }
        if self.slash.unknown_warned.as_deref() == Some(text.as_str()) {
            self.slash.unknown_warned = None;
            return None;
        }
        let word = word.to_string();
        self.slash.unknown_warned = Some(text.clone());
        let loading = if self.slash.loaded {
            ""
        } else {
            " (the server's commands are still loading)"
        };
        self.note(format!("/{word}: {UNKNOWN_NOTE}{loading}"), false);
        Some(Vec::new())
    }
}

/// Draws the open popup at the bottom of `area` (just above the prompt).
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(p) = &app.slash.popup else { return };
    let h = p.height(POPUP_ROWS.min(area.height));
    if h < 3 {
        return;
    }
    let popup = Rect {
        x: area.x,
        y: area.y + area.height - h,
        width: area.width,
        height: h,
    };
    p.render(frame, popup);
}
