//! The key help overlay (F1, or `?` on an empty input). Up/Down/PgUp/PgDn/Home/End scroll
//! it when it does not fit; any other key closes it. Opened by `?`, a printable key next
//! closes it and types the `?` and that key (`?why` is a prompt, not help + "hy").

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::keymap::Keymap;
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::{overlay::popup, theme, transcript::wrap};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::cell::Cell;

/// The heading of the client commands' section.
pub(crate) const COMMANDS: &str = "Slash commands";
/// The heading of the line-editing keys (the prompt and every text field).
const EDITING: &str = "Editing (the prompt and every text field)";

/// The one key table with the default keys: (section, keys, what) of every key the help
/// shows (F1), the palette lists (Ctrl+P) and the README's Keys section must name (a test
/// checks it). The help and the palette show [`key_table_with`] the effective keymap.
pub fn key_table() -> Vec<(&'static str, String, String)> {
    key_table_with(&Keymap::default())
}

/// The key table with `keymap`'s keys (tui.json's).
pub fn key_table_with(keymap: &Keymap) -> Vec<(&'static str, String, String)> {
    sections(keymap)
        .into_iter()
        .flat_map(|(title, keys)| keys.into_iter().map(move |(k, what)| (title, k, what)))
        .collect()
}

/// (keys, what they do), grouped under headings (keys empty); `{name}` is the keys of the
/// keymap's action `name` (ui/keymap).
pub const KEYS: &[(&str, &str)] = &[
    ("", "Prompt"),
    ("{input_submit}", "send (queued while the agent works)"),
    ("{input_newline}", "new line"),
    (
        "Up / Down",
        "prompt history, shared with opencode (at the first / last line)",
    ),
    ("{session_interrupt}", "abort the running turn"),
    (
        "Ctrl+C",
        "clear the input, else abort, else warn; again right after the warning quits",
    ),
    ("{app_exit}", "quit (on an empty input)"),
    (
        "{input_paste}",
        "paste the system clipboard (an image becomes [Image N]; needs wl-paste, xclip or xsel)",
    ),
    (
        "!command",
        "run it in the project's shell; the agent sees its output",
    ),
    (
        "paste",
        "an image / PDF path: [Image 1]; over 20 lines: [Pasted N lines]",
    ),
    ("", "View"),
    (
        "{messages_page_up} / {messages_page_down}, wheel",
        "scroll the transcript",
    ),
    (
        "{messages_line_up} / {messages_line_down}",
        "scroll one line",
    ),
    (
        "{messages_first} / {messages_last}",
        "top / bottom (Home / End on an empty input)",
    ),
    ("{tool_details}", "expand / collapse every tool output"),
    (
        "Shift+Tab",
        "focus a tool call on screen (Enter or o expands it; then Tab / Shift+Tab move)",
    ),
    ("click", "expand / collapse the tool call clicked"),
    ("{display_thinking}", "show / hide reasoning"),
    (
        "Enter on a task call",
        "open the subagent's session ({session_parent} back, {session_child_cycle_reverse} / {session_child_cycle} siblings; empty prompt)",
    ),
    ("{session_new}", "new session"),
    (
        "Alt+1 … Alt+9, {session_tab_next} / {session_tab_previous}",
        "switch between the open sessions (a strip of tabs above the transcript once two are open; a background one's request waits on its tab)",
    ),
    (
        "{terminal_suspend}",
        "suspend: back to the shell (the server runs on); fg brings the TUI back",
    ),
    (
        "{messages_undo} / {messages_redo}",
        "undo the last turn, files too (its prompt comes back) / redo: /undo, /redo",
    ),
    (
        "F12",
        "mouse capture on / off (off: the terminal selects text)",
    ),
    ("F5", "restart the server (after it died)"),
    (
        "{sidebar_toggle}, /details",
        "side panel: todos, files, MCP, LSP, cost",
    ),
    (
        "{messages_copy}, /copy",
        "copy the last answer (scrolled up: the top one; or focused tool output)",
    ),
    // The dialogs' keys come from their registrations (permission.rs, question.rs).
    // Filled from the command table (commands.rs).
    ("", COMMANDS),
    ("", "Permission dialog"),
    ("", "Question dialog"),
    ("", "Commands and editor"),
    (
        "{editor_open}, /editor",
        "edit the prompt in $VISUAL / $EDITOR",
    ),
    ("", "Model and agent"),
];

/// The help's sections: the general keys above, each registered popup's keys merged into
/// the section of its title (or a section of its own), and the client commands (their
/// table, commands.rs).
pub(crate) fn sections(keymap: &Keymap) -> Vec<(&'static str, Vec<(String, String)>)> {
    let mut out: Vec<(&str, Vec<(String, String)>)> = Vec::new();
    // An action's line with its keys; none for an action left unbound.
    let owned = |keys: &[(&str, &str)]| -> Vec<(String, String)> {
        keys.iter()
            .filter(|(k, _)| !keymap.all_unbound(k))
            .map(|(k, what)| (keymap.expand(k), keymap.expand(what)))
            .collect()
    };
    for (k, what) in KEYS {
        if k.is_empty() {
            out.push((what, Vec::new()));
        } else if let Some(last) = out.last_mut() {
            last.1.extend(owned(&[(k, what)]));
        }
    }
    // The line-editing keys of every text field (line_edit.rs).
    out.insert(1, (EDITING, owned(crate::ui::prompt::line_edit::KEYS)));
    for r in crate::ui::overlay::REGISTRY {
        match out.iter_mut().find(|(t, _)| *t == r.title) {
            Some((_, keys)) => keys.extend(owned(r.keys)),
            None => out.push((r.title, owned(r.keys))),
        }
    }
    if let Some((_, keys)) = out.iter_mut().find(|(t, _)| *t == COMMANDS) {
        keys.extend(crate::ui::commands::help_lines(keymap));
    }
    out
}

/// The key list, its descriptions wrapped to `width` columns under their column.
pub fn lines(width: usize, keymap: &Keymap) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (title, keys) in sections(keymap) {
        out.push(Line::from(Span::styled(title, theme::dialog_title())));
        for (k, what) in keys {
            let rest = [Span::raw(" ".repeat(26))];
            // Keys too long for their column (tui.json's can be) get a line of their own.
            let first = if wrap::width(&k) >= 24 {
                out.push(Line::from(Span::styled(format!("  {k}"), theme::key())));
                rest.clone()
            } else {
                [Span::styled(format!("  {k:<24}"), theme::key())]
            };
            out.extend(wrap::wrap_words(&[Span::raw(what)], width, &first, &rest));
        }
    }
    out
}

/// The help overlay and its scroll state.
#[derive(Debug, Default)]
pub struct Help {
    /// First line shown.
    pub scroll: u16,
    /// Opened by `?` on an empty prompt.
    pub from_question: bool,
    /// Lines the last frame could show (a page) and the largest useful scroll.
    page: Cell<u16>,
    max_scroll: Cell<u16>,
}

/// What a key does while the overlay is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpOutcome {
    Scrolled,
    Close,
    /// Close, and type `?` then this character into the prompt.
    CloseAndType(char),
}

impl Help {
    pub fn key(&mut self, key: KeyEvent) -> HelpOutcome {
        let page = self.page.get().saturating_sub(1).max(1);
        let max = self.max_scroll.get();
        let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
        self.scroll = match key.code {
            KeyCode::Up if max > 0 => self.scroll.saturating_sub(1),
            KeyCode::Down if max > 0 => (self.scroll + 1).min(max),
            KeyCode::PageUp => self.scroll.saturating_sub(page),
            KeyCode::PageDown => (self.scroll + page).min(max),
            KeyCode::Home => 0,
            KeyCode::End => max,
            KeyCode::Char(c) if plain && self.from_question => return HelpOutcome::CloseAndType(c),
            _ => return HelpOutcome::Close,
        };
        HelpOutcome::Scrolled
    }
}

impl Overlay for Help {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        match Help::key(self, key) {
            HelpOutcome::Scrolled => Handled::Done(Vec::new()),
            HelpOutcome::Close => Handled::Close(Vec::new()),
            HelpOutcome::CloseAndType(c) => {
                app.prompt.input.paste(&format!("?{c}"));
                Handled::Close(Vec::new())
            }
        }
    }
    fn render(&self, app: &App, frame: &mut Frame, areas: &Areas) {
        render(frame, areas.screen, self, &app.keymap);
    }
    fn hint(&self) -> &'static str {
        "↑↓ PgUp/PgDn scroll · any other key closes"
    }
    fn closes_for_dialog(&self) -> bool {
        true
    }
    fn over_dialogs(&self) -> bool {
        true
    }
}

/// `?` on an empty prompt (F1, `help_show`, is the keymap's).
fn open_on_key(app: &mut App, key: &KeyEvent) -> Option<Vec<Action>> {
    let question = key.code == KeyCode::Char('?')
        && app.prompt.input.is_empty()
        && key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
    if !question {
        return None;
    }
    app.open_help(true);
    Some(Vec::new())
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Prompt",
    keys: &[(
        "{help_show}, ? (empty prompt)",
        "these keys (Up/Down, PgUp/PgDn scroll them)",
    )],
    open_on_key: Some(open_on_key),
};

impl App {
    /// Opens the help (F1, `?`, `/help`), over a dialog too.
    pub(crate) fn open_help(&mut self, from_question: bool) {
        self.overlays.close::<Help>();
        self.overlays.push(Box::new(Help {
            from_question,
            ..Default::default()
        }));
    }

    /// True while the help is open.
    pub fn help_open(&self) -> bool {
        self.overlays.is_open::<Help>()
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &Help, keymap: &Keymap) {
    // The popup's width less its frame and padding.
    let lines = lines(area.width.min(76).saturating_sub(4) as usize, keymap);
    let r = popup::centered(area, 76, lines.len() as u16 + 2);
    let fits = r.height >= lines.len() as u16 + 2;
    let hint = if fits {
        "any key closes"
    } else {
        "↑↓ PgUp/PgDn scroll · Esc closes"
    };
    let inner = popup::frame(frame, r, "Keys", hint);
    let max = (lines.len() as u16).saturating_sub(inner.height);
    state.page.set(inner.height);
    state.max_scroll.set(max);
    let top = state.scroll.min(max);
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)), inner);
    if max > 0 && r.height > 1 {
        // Where we are, on the bottom border.
        let more = if top < max {
            format!(" ↓ {} more ", max - top)
        } else {
            " end · Home: top ".to_string()
        };
        let w = wrap::width(&more) as u16;
        if r.width > w + 2 {
            let at = Rect::new(r.right() - 2 - w, r.bottom() - 1, w, 1);
            frame.render_widget(
                Paragraph::new(Span::styled(more, theme::dialog_title())),
                at,
            );
        }
    }
}
