//! The command palette (Ctrl+P, as in opencode): every client command with its key,
//! every other key of the key table (help.rs: registrations, global and editing keys; Enter
//! on one says what it does) and every server command, fuzzy-filtered by a query typed in the palette. Enter runs a
//! client command at once (one that takes arguments, and every server command, is put
//! into the prompt as `/name ` to finish there). Built from the command table
//! (commands.rs) and the server's list, like the `/` completion.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::commands::{self, CLIENT_COMMANDS};
use crate::ui::fuzzy::Kind;
use crate::ui::keymap::Keymap;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

/// Longest description shown of a server command (skills have paragraphs).
const MAX_DESCRIPTION: usize = 120;

/// The open palette.
pub struct Palette {
    picker: Picker,
    /// The server's list had arrived when the items were made (else they are made again
    /// once it has).
    loaded: bool,
}

impl Palette {
    fn new(app: &App) -> Palette {
        let mut p = Palette {
            picker: Picker::new("Commands", Kind::Words, QueryInput::Own),
            loaded: false,
        };
        p.fill(app);
        p
    }

    /// The items: every client command, then the server's as last fetched.
    fn fill(&mut self, app: &App) {
        let client = CLIENT_COMMANDS.iter().map(|c| {
            let item = PickerItem::new(format!("c:{}", c.name), format!("/{}", c.name))
                .description(c.description)
                .group("ocw-tui");
            match commands::key_of(c, &app.keymap) {
                Some(k) => item.tag(k),
                None => item,
            }
        });
        let server = app.prompt.slash.commands.iter().map(|c| {
            let d: String = c.description.chars().take(MAX_DESCRIPTION).collect();
            PickerItem::new(format!("s:{}", c.name), format!("/{}", c.name))
                .description(d)
                .group("opencode")
        });
        // Every other key of the key table (help.rs): registrations and global keys.
        let keys =
            key_entries(&app.keymap)
                .into_iter()
                .enumerate()
                .map(|(i, (section, k, what))| {
                    // Found by its key's name ("ctrl+u"), its description beside it.
                    PickerItem::new(format!("k:{i}"), k)
                        .description(what)
                        .group(section)
                });
        self.picker
            .set_items(client.chain(server).chain(keys).collect());
        self.loaded = app.prompt.slash.loaded;
        self.picker.set_loading(!self.loaded);
    }
}

/// The key table's entries that are not a command's own key (those are listed with
/// their command): (section, keys, what).
fn key_entries(keymap: &Keymap) -> Vec<(&'static str, String, String)> {
    let command_key = |k: &str| {
        CLIENT_COMMANDS.iter().any(|c| {
            commands::key_of(c, keymap).is_some_and(|ck| k.starts_with(&ck) || ck.starts_with(k))
        })
    };
    crate::ui::overlay::help::key_table_with(keymap)
        .into_iter()
        .filter(|(section, k, _)| {
            *section != crate::ui::overlay::help::COMMANDS && !k.starts_with('/') && !command_key(k)
        })
        .collect()
}

/// Runs the chosen entry: a client command without arguments at once; anything else
/// goes into the prompt as `/name ` (the person finishes and sends it).
fn run(app: &mut App, id: &str) -> Vec<Action> {
    match id.split_once(':') {
        Some(("c", name)) => match commands::lookup(name) {
            Some(c) if !c.takes_args => (c.run)(app, ""),
            _ => {
                app.prompt.input.set_text(&format!("/{name} "));
                Vec::new()
            }
        },
        Some(("k", i)) => {
            // A key: say it (the palette closes; the key does it).
            if let Some((_, k, what)) =
                key_entries(&app.keymap).get(i.parse().unwrap_or(usize::MAX))
            {
                app.note(format!("{k}: {what}"), false);
            }
            Vec::new()
        }
        Some(("s", name)) => {
            app.prompt.input.set_text(&format!("/{name} "));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

impl Overlay for Palette {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        if !self.loaded && app.prompt.slash.loaded {
            // The server's commands came after it opened.
            self.fill(app);
        }
        match self.picker.handle_key(key) {
            PickerOutcome::Chosen { id, .. } => Handled::Close(run(app, &id)),
            PickerOutcome::Closed => Handled::Close(Vec::new()),
            // It takes every key while open.
            _ => Handled::Done(Vec::new()),
        }
    }
    /// Centred near the top of the transcript.
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        let area = areas.transcript;
        let w = area.width.saturating_sub(4).min(90);
        let h = self.picker.height(area.height.saturating_sub(2).max(3));
        let r = Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + 1.min(area.height.saturating_sub(h)),
            width: w,
            height: h.min(area.height),
        };
        self.picker.render(frame, r);
    }
    fn hint(&self) -> &'static str {
        "type to filter · ↑↓ move · Enter runs · Esc closes"
    }
}

impl App {
    /// Opens the palette (`command_list`, Ctrl+P).
    pub(crate) fn open_palette(&mut self) -> Vec<Action> {
        let palette = Palette::new(self);
        self.overlays.push(Box::new(palette));
        Vec::new()
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Commands and editor",
    keys: &[(
        "{command_list}",
        "command palette: every command with its key, type to filter, Enter runs",
    )],
    open_on_key: None,
};
