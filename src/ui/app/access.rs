//! What `App` shows of itself to code outside the crate (tests, benches): read access
//! named after what it gives, plus the few set-ups a test or bench needs (a pinned clock,
//! a prebuilt store, an empty input, scrolling). Its fields stay private to the crate.

use super::{App, Note, QueuedPrompt};
use crate::model::state::Store;
use crate::ui::action::UiOptions;
use crate::ui::app::view::ViewState;
use crate::ui::side_panel::SidePanel;
use crate::ui::transcript::LayoutCache;

impl App {
    /// An app around a store built elsewhere (benches build large ones directly).
    pub fn with_store(opts: UiOptions, store: Store) -> App {
        let mut app = App::new(opts);
        app.store = store;
        app
    }

    /// Draws with this clock (epoch ms) instead of the wall clock (tests and benches).
    pub fn pin_clock(&mut self, ms: u64) {
        self.clock_ms = Some(ms);
    }

    /// Every session's state as the events built it.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The scroll, focus and expansion of the transcript.
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The view, to scroll it as the wheel or a key would.
    pub fn view_mut(&mut self) -> &mut ViewState {
        &mut self.view
    }

    /// The transcript's layout cache (benches count its layouts).
    pub fn layout(&self) -> &LayoutCache {
        &self.layout
    }

    /// The text of the prompt input.
    pub fn input_text(&self) -> String {
        self.prompt.input.text()
    }

    /// Empties the prompt input (as Ctrl+C on a typed line does, without its warning).
    pub fn clear_input(&mut self) {
        self.prompt.input.clear();
    }

    /// The notes shown so far (the last one is on screen until it fades), oldest first.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// The prompts typed while a session worked, waiting for its turn to end.
    pub fn queued(&self) -> &[QueuedPrompt] {
        &self.prompt.queued
    }

    /// The "save this rule to the config?" offer is up.
    /// True while "Build this plan?" is up.
    pub fn build_offer_open(&self) -> bool {
        matches!(
            self.dialogs.offer(),
            Some(crate::ui::overlay::dialogs::Offer::BuildPlan(_))
        )
    }

    pub fn save_offer_open(&self) -> bool {
        self.dialogs.save_offer().is_some()
    }

    /// The session list's filter text while the list is open.
    pub fn session_list_filter(&self) -> Option<&str> {
        self.session_list().map(|l| l.filter.text())
    }

    /// The project folder and git branch for the status bar: `~/src/x ⎇ main`.
    pub fn place_label(&self) -> Option<String> {
        let dir = self.opts.project_label.as_deref()?;
        Some(match self.opts.git_branch.as_deref() {
            Some(b) => format!("{dir} ⎇ {b}"),
            None => dir.to_string(),
        })
    }

    /// The search bar (Ctrl+F) is open.
    pub fn find_open(&self) -> bool {
        self.find().is_some()
    }

    /// How many files (`@` mentions, pasted files) the prompt carries.
    pub fn attached_count(&self) -> usize {
        self.prompt.mention.attached.len()
    }

    /// The model (`provider/model`) the next prompt uses, when chosen.
    pub fn chosen_model(&self) -> Option<&str> {
        self.models.model.as_deref()
    }

    /// The model's variant the next prompt uses, when chosen.
    pub fn chosen_variant(&self) -> Option<&str> {
        self.models.variant.as_deref()
    }

    /// The agent the next prompt uses, when chosen.
    pub fn chosen_agent(&self) -> Option<&str> {
        self.models.agent.as_deref()
    }

    /// The side panel (F3) and what it holds.
    pub fn side_panel(&self) -> &SidePanel {
        &self.side_panel
    }
}

impl Note {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// An error (drawn in red, rung when notifications are on).
    pub fn is_error(&self) -> bool {
        self.error
    }
}

impl QueuedPrompt {
    /// The prompt as typed.
    pub fn text(&self) -> &str {
        &self.text
    }
}
