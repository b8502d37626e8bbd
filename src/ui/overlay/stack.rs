//! The overlay stack: one trait every popup implements ([`Overlay`]: its keys, pastes,
//! drawing, hint and help lines) and one stack of the open ones. Keys go to the top;
//! drawing goes bottom to top. The dialogs (permission, question, save-rule offer:
//! dialogs.rs) are the layer above every popup; focus.rs, the approval focus rule, decides
//! whether a key goes to that layer or to the prompt.
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
    /// Not its key: it goes on to what is below (the overlays under it, then the prompt
    /// and the global keys).
    Pass,
    /// Not its key, and the overlay closes (a search bar left by another key).
    CloseAndPass,
}

/// Room an overlay takes out of the screen before the transcript is laid out (a pane
/// beside it or a bar under it), given in [`Areas`]. Not taken while a dialog is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reserve {
    /// A column this wide on the left ([`Areas::left`]; at most half the screen).
    Left(u16),
    /// One row under the transcript ([`Areas::row`]).
    Row,
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
    /// The column reserved by [`Reserve::Left`] (empty when none).
    pub left: Rect,
    /// The row reserved by [`Reserve::Row`] (empty when none or no room).
    pub row: Rect,
}

/// Any overlay as `Any`, so the stack can find one by its type (given to every type; call
/// it on the overlay itself, `(**boxed).as_any()`, not on its `Box`, which is `Any` too).
pub(crate) trait AsAny: Any {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A popup on the stack, or a dialog of the layer above it (its state kept per request
/// in dialogs.rs, handed keys and pastes by the focus rule below).
pub(crate) trait Overlay: AsAny {
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
    /// Room it takes out of the screen before the transcript is laid out.
    fn reserve(&self) -> Option<Reserve> {
        None
    }
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
            .find_map(|o| (**o).as_any().downcast_ref::<T>())
    }
    pub fn get_mut<T: Overlay>(&mut self) -> Option<&mut T> {
        self.layers
            .iter_mut()
            .rev()
            .find_map(|o| (**o).as_any_mut().downcast_mut::<T>())
    }
    pub fn is_open<T: Overlay>(&self) -> bool {
        self.get::<T>().is_some()
    }
    /// Closes every overlay of type `T`; true if one was open.
    pub fn close<T: Overlay>(&mut self) -> bool {
        let before = self.layers.len();
        self.layers.retain(|o| !(**o).as_any().is::<T>());
        self.layers.len() != before
    }
    /// The width of the left column an open overlay reserves (the first one asking).
    pub fn reserved_left(&self) -> Option<u16> {
        self.iter().find_map(|o| match o.reserve() {
            Some(Reserve::Left(w)) => Some(w),
            _ => None,
        })
    }
    /// True when an open overlay reserves a row under the transcript.
    pub fn reserves_row(&self) -> bool {
        self.iter().any(|o| o.reserve() == Some(Reserve::Row))
    }
    /// Closes what holds nothing when a dialog comes (the help).
    pub fn close_for_dialog(&mut self) {
        self.layers.retain(|o| !o.closes_for_dialog());
    }
    /// True while a prompt popup is open.
    pub fn prompt_popup_open(&self) -> bool {
        self.layers.iter().any(|o| o.prompt_popup())
    }
    /// Takes layer `at` out to hand it the app; [`OverlayStack::put_back`] returns it to
    /// the same place (under anything it opened meanwhile).
    fn take(&mut self, at: usize) -> Option<Box<dyn Overlay>> {
        (at < self.layers.len()).then(|| self.layers.remove(at))
    }
    /// Takes the top out to hand it the app (none when the top is a prompt popup: only
    /// the prompt hands those keys).
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
    /// A key for the overlay on top; one it passes goes to the overlay under it, and so
    /// on: `None` when none is open or every one passed the key on.
    pub(crate) fn overlay_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let mut at = self.overlays.layers.len();
        while at > 0 {
            at -= 1;
            if self.overlays.layers[at].prompt_popup() {
                // The prompt's own popups sit at the bottom; the prompt hands them keys.
                break;
            }
            let Some(mut o) = self.overlays.take(at) else {
                continue;
            };
            match o.key(key, self) {
                Handled::Done(out) => {
                    self.overlays.put_back(at, o);
                    return Some(out);
                }
                Handled::Close(out) => return Some(out),
                Handled::Pass => self.overlays.put_back(at, o),
                Handled::CloseAndPass => {}
            }
            // What it closed or opened meanwhile may have moved the ones under it.
            at = at.min(self.overlays.layers.len());
        }
        None
    }

    /// A key at the prompt for its popup (`/` completion, `@` picker): `None` when none
    /// is open or it passed the key on to the prompt.
    pub(crate) fn prompt_popup_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let (at, mut o) = self.overlays.take_prompt_popup()?;
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
            Handled::CloseAndPass => None,
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
    /// dialogs (the help it opened). The dialog itself is drawn by the transcript body
    /// (transcript/body.rs, shared with replay), under everything drawn here. Prompt popups
    /// are drawn while the prompt has the focus.
    pub(crate) fn render_overlays(&self, frame: &mut Frame, areas: &Areas, prompt_focus: bool) {
        let dialog_up = self.dialog_up();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::action::UiOptions;
    use crossterm::event::{KeyCode, KeyModifiers};

    /// Takes `x` (closing on `q`), passes every other key.
    struct Takes(char, Vec<char>);
    /// Passes every key; closes itself on the way when `closing`.
    struct Passes {
        closing: bool,
    }

    impl Overlay for Takes {
        fn key(&mut self, key: KeyEvent, _app: &mut App) -> Handled {
            match key.code {
                KeyCode::Char('q') => Handled::Close(Vec::new()),
                KeyCode::Char(c) if c == self.0 => {
                    self.1.push(c);
                    Handled::Done(Vec::new())
                }
                _ => Handled::Pass,
            }
        }
        fn render(&self, _: &App, _: &mut Frame, _: &Areas) {}
        fn hint(&self) -> &'static str {
            ""
        }
        fn reserve(&self) -> Option<Reserve> {
            Some(Reserve::Left(20))
        }
    }

    impl Overlay for Passes {
        fn key(&mut self, _: KeyEvent, _app: &mut App) -> Handled {
            if self.closing {
                Handled::CloseAndPass
            } else {
                Handled::Pass
            }
        }
        fn render(&self, _: &App, _: &mut Frame, _: &Areas) {}
        fn hint(&self) -> &'static str {
            ""
        }
        fn reserve(&self) -> Option<Reserve> {
            Some(Reserve::Row)
        }
    }

    fn press(app: &mut App, c: char) -> Option<Vec<Action>> {
        app.overlay_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
    }

    #[test]
    fn a_key_the_top_passes_goes_to_the_overlay_under_it_then_on() {
        let mut app = App::new(UiOptions::default());
        app.overlays.push(Box::new(Takes('x', Vec::new())));
        app.overlays.push(Box::new(Passes { closing: false }));
        assert!(press(&mut app, 'x').is_some(), "the one under took it");
        assert_eq!(
            app.overlays.get::<Takes>().map(|t| t.1.clone()),
            Some(vec!['x'])
        );
        assert!(
            press(&mut app, 'y').is_none(),
            "nobody's key: on to the prompt"
        );
        assert!(app.overlays.is_open::<Passes>() && app.overlays.is_open::<Takes>());
        assert_eq!(app.overlays.reserved_left(), Some(20));
        assert!(app.overlays.reserves_row());
        // Closing the one under keeps the one on top, in its place.
        assert!(press(&mut app, 'q').is_some());
        assert!(!app.overlays.is_open::<Takes>() && app.overlays.is_open::<Passes>());
        assert_eq!(app.overlays.reserved_left(), None);
    }

    #[test]
    fn an_overlay_that_closes_and_passes_hands_the_key_on() {
        let mut app = App::new(UiOptions::default());
        app.overlays.push(Box::new(Takes('x', Vec::new())));
        app.overlays.push(Box::new(Passes { closing: true }));
        assert!(press(&mut app, 'x').is_some());
        assert!(!app.overlays.is_open::<Passes>(), "it closed");
        assert_eq!(app.overlays.get::<Takes>().map(|t| t.1.len()), Some(1));
        assert!(!app.overlays.reserves_row());
    }
}
