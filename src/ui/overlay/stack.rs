//! The overlay stack: one trait every popup implements ([`Overlay`]: its keys, pastes,
//! drawing, hint and help lines) and one stack of the open ones. Keys go to the top;
//! drawing goes bottom to top. Dialogs sit above every popup: while one is up the popups
//! step aside (kept, not drawn, given no keys) and the approval focus rule
//! (guard.rs, dialog_keys.rs) decides whether a key goes to the dialog or the prompt.
//!
//! Prompt popups (the `/` completion, the `@` file picker: [`Overlay::prompt_popup`]) are
//! the prompt's own layer: they follow the prompt's text and sit at the bottom of the stack,
//! under every other popup. [`App::overlay_key`] never hands them a key; the prompt does
//! ([`App::prompt_popup_key`], first thing in `main_key`), so they keep working wherever
//! the prompt has the keys, also while a dialog is up and the prompt has the focus
//! (`key_with_dialog` sends such keys to the prompt). They are drawn while the prompt has
//! the focus, dialog or not.
//!
//! Adding a popup: one file with its state implementing [`Overlay`] and a [`Registration`]
//! (its help section and, when a key at the prompt opens it, that key), and one line in
//! [`REGISTRY`] (overlay/mod.rs).

// Parts used only once every popup is on the stack (the move is under way).
#![allow(dead_code)]

use crate::ui::action::Action;
use crate::ui::app::App;
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;
use std::any::Any;

/// What an overlay did with a key.
pub(crate) enum Handled {
    /// Taken; the overlay stays open.
    Done(Vec<Action>),
    /// Taken; the overlay closes.
    Close(Vec<Action>),
    /// Not its key: it goes on to what is below (the prompt and the global keys).
    Pass,
    /// The overlay closes and the key goes on to what is below (a prompt popup's Enter
    /// that chose the line the prompt then sends).
    ClosePass,
}

/// Where an overlay may draw.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Areas {
    /// The whole screen.
    pub screen: Rect,
    /// The transcript pane (popups usually sit over it).
    pub transcript: Rect,
    /// The prompt input.
    pub prompt: Rect,
}

/// A popup on the stack.
pub(crate) trait Overlay: Any {
    /// A key while this overlay is on top (no dialog is up, or it opened over one).
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled;
    /// A bracketed paste while this overlay is on top: `true` when it took it (else it goes
    /// to the prompt).
    fn paste(&mut self, _text: &str, _app: &mut App) -> bool {
        false
    }
    /// Draws it (bottom to top, after the panes).
    fn render(&self, app: &App, frame: &mut Frame, areas: &Areas);
    /// Its keys in one line, for its frame.
    fn hint(&self) -> &'static str;
    /// True for an overlay that holds nothing and may close for a new dialog (help).
    fn closes_for_dialog(&self) -> bool {
        false
    }
    /// True when it may stay on top of a dialog (the help opened from the dialog).
    fn over_dialogs(&self) -> bool {
        false
    }
    /// True for a popup of the prompt (see the module doc): keys come from the prompt,
    /// it is drawn while the prompt has the focus, and it is no popup for the focus rule.
    fn prompt_popup(&self) -> bool {
        false
    }
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// Opens a popup when a key at the prompt asks for it: `Some(actions)` when it did.
pub(crate) type OpenOnKey = fn(&mut App, &KeyEvent) -> Option<Vec<Action>>;

/// How a popup is known to the rest of the UI: its section of the help (F1) and of the
/// command palette, and the key that opens it from the prompt, if any.
pub(crate) struct Registration {
    /// The heading of its section in the help.
    pub title: &'static str,
    /// (keys, what they do).
    pub keys: &'static [(&'static str, &'static str)],
    /// Opens it on a key at the prompt, if a key does.
    pub open_on_key: Option<OpenOnKey>,
}

/// The open overlays, bottom first.
#[derive(Default)]
pub(crate) struct OverlayStack {
    layers: Vec<Box<dyn Overlay>>,
}

impl OverlayStack {
    /// Puts it on top; a prompt popup goes to the bottom (the prompt's layer).
    pub fn push(&mut self, o: Box<dyn Overlay>) {
        if o.prompt_popup() {
            self.layers.insert(0, o);
        } else {
            self.layers.push(o);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }
    /// Bottom to top.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Overlay> {
        self.layers.iter().map(|b| b.as_ref())
    }
    pub fn top(&self) -> Option<&dyn Overlay> {
        self.layers.last().map(|b| b.as_ref())
    }
    /// The open overlay of type `T` (the topmost one).
    pub fn get<T: Overlay>(&self) -> Option<&T> {
        self.layers
            .iter()
            .rev()
            .find_map(|o| o.as_any().downcast_ref::<T>())
    }
    pub fn get_mut<T: Overlay>(&mut self) -> Option<&mut T> {
        self.layers
            .iter_mut()
            .rev()
            .find_map(|o| o.as_any_mut().downcast_mut::<T>())
    }
    pub fn is_open<T: Overlay>(&self) -> bool {
        self.get::<T>().is_some()
    }
    /// Closes every overlay of type `T`; true if one was open.
    pub fn close<T: Overlay>(&mut self) -> bool {
        let before = self.layers.len();
        self.layers.retain(|o| !o.as_any().is::<T>());
        self.layers.len() != before
    }
    /// Closes what holds nothing when a dialog comes (the help).
    pub fn close_for_dialog(&mut self) {
        self.layers.retain(|o| !o.closes_for_dialog());
    }
    /// True while a prompt popup is open.
    pub fn prompt_popup_open(&self) -> bool {
        self.layers.iter().any(|o| o.prompt_popup())
    }
    /// Takes the top out to hand it the app (none when the top is a prompt popup: only
    /// the prompt hands those keys); [`OverlayStack::put_back`] returns it to the same
    /// place (under anything it opened meanwhile).
    fn take_top(&mut self) -> Option<(usize, Box<dyn Overlay>)> {
        if self.layers.last()?.prompt_popup() {
            return None;
        }
        let o = self.layers.pop()?;
        Some((self.layers.len(), o))
    }
    /// Takes the topmost prompt popup out, like [`OverlayStack::take_top`].
    fn take_prompt_popup(&mut self) -> Option<(usize, Box<dyn Overlay>)> {
        let at = self.layers.iter().rposition(|o| o.prompt_popup())?;
        Some((at, self.layers.remove(at)))
    }
    fn put_back(&mut self, at: usize, o: Box<dyn Overlay>) {
        self.layers.insert(at.min(self.layers.len()), o);
    }
}

impl App {
    /// A key for the overlay on top: `None` when none is open or it passed the key on.
    pub(crate) fn overlay_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let (at, top) = self.overlays.take_top()?;
        self.overlay_key_at(at, top, key)
    }

    /// A key at the prompt for its popup (`/` completion, `@` picker): `None` when none
    /// is open or it passed the key on to the prompt.
    pub(crate) fn prompt_popup_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let (at, popup) = self.overlays.take_prompt_popup()?;
        self.overlay_key_at(at, popup, key)
    }

    fn overlay_key_at(
        &mut self,
        at: usize,
        mut o: Box<dyn Overlay>,
        key: KeyEvent,
    ) -> Option<Vec<Action>> {
        match o.key(key, self) {
            Handled::Done(out) => {
                self.overlays.put_back(at, o);
                Some(out)
            }
            Handled::Close(out) => Some(out),
            Handled::Pass => {
                self.overlays.put_back(at, o);
                None
            }
            Handled::ClosePass => None,
        }
    }

    /// A paste for the overlay on top: true when it took it.
    pub(crate) fn overlay_paste(&mut self, text: &str) -> bool {
        let Some((at, mut top)) = self.overlays.take_top() else {
            return false;
        };
        let taken = top.paste(text, self);
        self.overlays.put_back(at, top);
        taken
    }

    /// A key at the prompt that opens a registered popup.
    pub(crate) fn open_overlay_on_key(&mut self, key: &KeyEvent) -> Option<Vec<Action>> {
        super::REGISTRY
            .iter()
            .filter_map(|r| r.open_on_key)
            .find_map(|open| open(self, key))
    }

    /// Draws the open overlays bottom to top; while a dialog is up only those allowed over
    /// dialogs (the help it opened). Prompt popups are drawn while the prompt has the focus.
    pub(crate) fn render_overlays(
        &self,
        frame: &mut Frame,
        areas: &Areas,
        dialog_up: bool,
        prompt_focus: bool,
    ) {
        for o in self.overlays.iter() {
            let shown = if o.prompt_popup() {
                prompt_focus
            } else {
                !dialog_up || o.over_dialogs()
            };
            if shown {
                o.render(self, frame, areas);
            }
        }
    }
}
