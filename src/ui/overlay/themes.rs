//! The theme picker (`/themes`, Ctrl+X T as opencode's `<leader>t`): every theme
//! (`system`, opencode's built-ins, the custom ones) with a live preview: moving the
//! selection repaints the whole screen in that theme, Enter keeps it for this run, Esc
//! puts the previous one back. Nothing is written to any config file.

use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::theme::{self, Source};
use crossterm::event::KeyEvent;
use ratatui::Frame;

/// The open theme picker.
pub struct ThemePicker {
    picker: Picker,
    /// The theme in use when it opened (Esc goes back to it).
    before: String,
}

impl ThemePicker {
    /// Shows the selected theme (the preview).
    fn preview(&self) {
        if let Some(item) = self.picker.selected() {
            // Every listed name exists: it came from the list.
            let _ = theme::select(&item.id);
        }
    }
}

impl Overlay for ThemePicker {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        match self.picker.handle_key(key) {
            PickerOutcome::Chosen { id, .. } => {
                let _ = theme::select(&id);
                let id = crate::safe_text::one_line(&id);
                let note = if theme::palette() == theme::Palette::Mono {
                    format!("theme: {id} (NO_COLOR is set: no colours are drawn)")
                } else {
                    format!(
                        "theme: {id} (for this run; --theme {id} or tui.json's \"theme\" keeps it)"
                    )
                };
                app.note(note, false);
                Handled::Close(Vec::new())
            }
            PickerOutcome::Closed => {
                let _ = theme::select(&self.before);
                Handled::Close(Vec::new())
            }
            _ => {
                self.preview();
                Handled::Done(Vec::new())
            }
        }
    }
    /// Over the transcript, centred near its bottom, so most of the screen shows the
    /// preview.
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        let area = areas.transcript;
        let room = area.height.saturating_sub(2).clamp(3, 14);
        self.picker.render_near_bottom(frame, area, 60, room);
    }
    fn hint(&self) -> &'static str {
        "type to filter · ↑↓ preview · Enter keeps · Esc puts the old theme back"
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Theme",
    keys: &[(
        "Ctrl+X T, /themes",
        "choose the colour theme: moving previews it, Enter keeps it, Esc goes back",
    )],
    open_on_key: None,
};

impl App {
    /// Opens the theme picker on the theme in use.
    pub(crate) fn open_theme_picker(&mut self) -> Vec<Action> {
        let before = theme::current_name().to_string();
        let items = theme::list()
            .into_iter()
            .map(|(name, source)| {
                let desc = match source {
                    Source::System => "the terminal's own colours".to_string(),
                    Source::Builtin => "opencode's built-in".to_string(),
                    Source::Custom(path) => {
                        let path = path.display().to_string();
                        format!("custom · {}", crate::safe_text::one_line(&path))
                    }
                };
                let mut it = PickerItem::new(name.clone(), name.clone())
                    .description(desc)
                    .tag(if name == before { "● current" } else { "●" });
                if let Some(c) = theme::swatch(&name) {
                    it = it.tag_color(c);
                }
                it
            })
            .collect();
        let mut picker = Picker::new("themes", Kind::Words, QueryInput::Own);
        picker.set_items(items);
        picker.select_id(&before);
        self.overlays.close::<ThemePicker>();
        self.overlays.push(Box::new(ThemePicker { picker, before }));
        Vec::new()
    }

    /// True while the theme picker is open.
    pub fn theme_picker_open(&self) -> bool {
        self.overlays.is_open::<ThemePicker>()
    }
}
