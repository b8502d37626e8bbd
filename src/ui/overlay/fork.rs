//! The fork picker (`/fork`) on the overlay stack: the shown session's prompts, newest
//! first, under "the whole session". Forking before a prompt puts that prompt into the
//! input (as opencode does), to edit and send in the new session.

use crate::ui::action::Action;
use crate::ui::app::session_commands::prompts;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay};
use crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

/// The fork picker's id for "the whole session".
const WHOLE: &str = "";

/// The open fork picker.
pub struct ForkPicker(Picker);

impl App {
    /// `/fork`: a picker of the session's prompts, newest first, under "the whole session".
    pub(crate) fn open_fork_picker(&mut self) -> Vec<Action> {
        let Some(s) = self.session_id().and_then(|id| self.store.session(id)) else {
            return Vec::new();
        };
        let mut items = vec![PickerItem::new(WHOLE, "the whole session (up to now)")];
        // Prompts with words to show (a `!` command's message has none: no empty entry).
        items.extend(prompts(s).iter().rev().filter_map(|m| {
            let text = m.text();
            let first = text.lines().find(|l| !l.trim().is_empty())?;
            Some(PickerItem::new(m.id.clone(), first.trim()).description("fork before this prompt"))
        }));
        let mut p = Picker::new("fork from", Kind::Words, QueryInput::Own);
        p.set_items(items);
        self.overlays.close::<ForkPicker>();
        self.overlays.push(Box::new(ForkPicker(p)));
        Vec::new()
    }

    /// True while the fork picker is open.
    pub fn fork_picker_open(&self) -> bool {
        self.overlays.is_open::<ForkPicker>()
    }
}

impl Overlay for ForkPicker {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let id = match self.0.handle_key(key) {
            PickerOutcome::Closed => return Handled::Close(Vec::new()),
            PickerOutcome::Chosen { id, .. } => id,
            _ => return Handled::Done(Vec::new()),
        };
        let Some(sid) = app.session_id().map(str::to_string) else {
            return Handled::Close(Vec::new());
        };
        if id == WHOLE {
            return Handled::Close(vec![Action::Fork {
                session_id: sid,
                message_id: None,
            }]);
        }
        app.prompt_back_into_empty_input(&sid, &id);
        Handled::Close(vec![Action::Fork {
            session_id: sid,
            message_id: Some(id),
        }])
    }
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        render(frame, areas.transcript, &self.0);
    }
    fn hint(&self) -> &'static str {
        "↑↓ choose · Enter forks · Esc closes"
    }
}

/// Draws the fork picker centred over `area`.
pub fn render(frame: &mut Frame, area: Rect, p: &Picker) {
    let w = area.width.saturating_sub(4).min(70);
    let h = p.height(area.height.saturating_sub(2));
    let x = area.x + (area.width.saturating_sub(w)) / 2;
    let y = area.y + (area.height.saturating_sub(h)) / 2;
    p.render(frame, Rect::new(x, y, w, h));
}
