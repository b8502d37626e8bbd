//! The `/` completion list (prompt/slash.rs says what it does): a prompt popup on the
//! overlay stack (stack.rs). It follows the prompt's text ([`App::sync_slash`] after each
//! key and paste) and gets its keys from the prompt, so with a dialog up it works while
//! the prompt has the focus.

use crate::model::command::ServerCommand;
use crate::ui::app::App;
use crate::ui::commands::{self, CommandInfo, CLIENT_COMMANDS};
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{ChooseKey, Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::prompt::SlashState;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

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
        Some(("c", name)) => commands::lookup(name).is_some_and(|c| c.takes_args),
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

/// The open `/` completion list.
pub struct SlashPopup {
    picker: Picker,
}

impl SlashPopup {
    /// What it lists now, best first.
    pub fn results(&self) -> impl Iterator<Item = &PickerItem> {
        self.picker.results()
    }
    /// The highlighted item.
    pub fn selected(&self) -> Option<&PickerItem> {
        self.picker.selected()
    }
}

impl Overlay for SlashPopup {
    /// A key while the popup is open; `Pass` lets it go on to the prompt (typing, or an
    /// Enter that runs the completed command).
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        match self.picker.handle_key(key) {
            PickerOutcome::Ignored | PickerOutcome::QueryChanged => Handled::Pass,
            PickerOutcome::Handled => Handled::Done(Vec::new()),
            PickerOutcome::Closed => {
                app.prompt.slash.dismissed = true;
                Handled::Close(Vec::new())
            }
            PickerOutcome::Chosen { id, by } => {
                let name = id.split_once(':').map_or(id.as_str(), |(_, n)| n);
                if by == ChooseKey::Tab || takes_arguments(&app.prompt.slash, &id) {
                    app.prompt.input.set_text(&format!("/{name} "));
                    Handled::Close(Vec::new())
                } else {
                    // The Enter goes on and runs it.
                    app.prompt.input.set_text(&format!("/{name}"));
                    app.prompt.slash.dismissed = true;
                    Handled::CloseAndPass
                }
            }
        }
    }
    /// At the bottom of the transcript (just above the prompt).
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        let area = areas.transcript;
        let p = &self.picker;
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
    fn hint(&self) -> &'static str {
        "↑↓ move · Tab completes · Enter runs · Esc closes"
    }
    fn prompt_popup(&self) -> bool {
        true
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Commands and editor",
    keys: &[
        (
            "/ (start of the prompt)",
            "commands: type to filter, Tab completes, Enter runs, Esc closes",
        ),
        (
            "/word (unknown)",
            "held back once; Enter again sends it as text (/etc/hosts is sent at once)",
        ),
    ],
    open_on_key: None,
};

impl App {
    /// The server's list arrived (or changed): an open popup shows it.
    pub(crate) fn server_commands_arrived(&mut self, commands: Vec<ServerCommand>) {
        self.prompt.slash.commands = commands;
        self.prompt.slash.loaded = true;
        let items = items(&self.prompt.slash);
        if let Some(p) = self.overlays.get_mut::<SlashPopup>() {
            p.picker.set_items(items);
            p.picker.set_loading(false);
        }
    }

    /// The open `/` completion list, if any.
    pub fn slash_popup(&self) -> Option<&SlashPopup> {
        self.overlays.get::<SlashPopup>()
    }

    /// Opens, filters or closes the popup after the input changed.
    pub(crate) fn sync_slash(&mut self) {
        let text = self.prompt.input.text();
        if !completing(&text) {
            self.overlays.close::<SlashPopup>();
            self.prompt.slash.dismissed = false;
            return;
        }
        if self.prompt.slash.dismissed {
            return;
        }
        if !self.overlays.is_open::<SlashPopup>() {
            let mut picker = Picker::new("commands", Kind::Words, QueryInput::External);
            picker.set_items(items(&self.prompt.slash));
            picker.set_loading(!self.prompt.slash.loaded);
            self.overlays.push(Box::new(SlashPopup { picker }));
        }
        if let Some(p) = self.overlays.get_mut::<SlashPopup>() {
            // A lone `/` lists everything in table order (client commands first).
            p.picker.set_query(if text == "/" { "" } else { &text });
        }
    }
}
