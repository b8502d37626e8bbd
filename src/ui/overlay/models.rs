//! Model, variant and agent switching: the three pickers (`/models` or F4, `/variants`,
//! `/agents`; recent models first), one overlay on the stack ([`ModelPicker`]), Tab
//! cycling the agents and Ctrl+T the variants as in opencode, and each choice applied
//! (sent with the next prompts, remembered). The choice itself and the catalog stay on
//! `App` (`ModelState`, model_choice.rs).

use crate::model::catalog::ModelInfo;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
pub use crate::ui::prompt::model_choice::RECENT;
use crossterm::event::KeyEvent;
use ratatui::Frame;

/// Which list a picker shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKind {
    Model,
    Variant,
    Agent,
}

/// The open model / variant / agent picker.
pub struct ModelPicker {
    kind: PickerKind,
    picker: Picker,
}

impl Overlay for ModelPicker {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        match self.picker.handle_key(key) {
            PickerOutcome::Chosen { id, .. } => Handled::Close(app.choose(self.kind, &id)),
            PickerOutcome::Closed => Handled::Close(Vec::new()),
            // It takes every key while open.
            _ => Handled::Done(Vec::new()),
        }
    }
    /// Over the transcript, centred near its bottom.
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        let area = areas.transcript;
        let room = area.height.saturating_sub(2).max(3);
        self.picker.render_near_bottom(frame, area, 80, room);
    }
    fn hint(&self) -> &'static str {
        "type to filter · ↑↓ move · Enter chooses · Esc closes"
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Model and agent",
    keys: &[
        (
            "{agent_cycle}",
            "next agent, as in opencode (no tool call focused); /agents lists them",
        ),
        (
            "{model_list}, /models",
            "choose the model (recent first, type to filter)",
        ),
        (
            "{variant_cycle}, /variants",
            "next variant (reasoning effort) / choose one",
        ),
    ],
    open_on_key: None,
};

impl App {
    /// Opens one of the pickers (`/models`, `/variants`, `/agents`, F4).
    pub(crate) fn open_model_picker(&mut self, kind: PickerKind) -> Vec<Action> {
        let Some(catalog) = &self.models.catalog else {
            self.note(crate::ui::app::stale_notes::MODELS_LOADING_NOTE, false);
            return Vec::new();
        };
        let m = &self.models;
        let current = |id: &str, cur: Option<&str>| (Some(id) == cur).then_some("current");
        let items: Vec<PickerItem> = match kind {
            PickerKind::Model => {
                let recent: Vec<&ModelInfo> = m
                    .memory
                    .recent
                    .iter()
                    .filter_map(|k| catalog.model(k))
                    .collect();
                let item = |mi: &ModelInfo, group: &str| {
                    let key = mi.key();
                    let mut desc = key.clone();
                    if let Some(c) = mi.context_limit {
                        desc.push_str(&format!(" · {} context", crate::ui::status::human(c)));
                    }
                    if !mi.variants.is_empty() {
                        desc.push_str(&format!(" · {}", mi.variants.join("/")));
                    }
                    let mut it = PickerItem::new(key.clone(), mi.name.clone())
                        .description(desc)
                        .group(group);
                    if let Some(t) = current(&key, m.model.as_deref()) {
                        it = it.tag(t);
                    }
                    it
                };
                let mut items: Vec<PickerItem> = recent.iter().map(|mi| item(mi, RECENT)).collect();
                items.extend(
                    catalog
                        .models
                        .iter()
                        .filter(|mi| !m.memory.recent.contains(&mi.key()))
                        .map(|mi| item(mi, &mi.provider_name)),
                );
                items
            }
            PickerKind::Variant => {
                let Some(model) = m.current_model().filter(|mi| !mi.variants.is_empty()) else {
                    let name = m.model.as_deref().unwrap_or("this model");
                    self.note(format!("{name} has no variants"), false);
                    return Vec::new();
                };
                std::iter::once(("".to_string(), "default".to_string()))
                    .chain(model.variants.iter().map(|v| (v.clone(), v.clone())))
                    .map(|(id, label)| {
                        let cur = m.variant.clone().unwrap_or_default();
                        let mut it =
                            PickerItem::new(id.clone(), label).description(if id.is_empty() {
                                "the model's own default".to_string()
                            } else {
                                format!("reasoning effort {id}")
                            });
                        if id == cur {
                            it = it.tag("current");
                        }
                        it
                    })
                    .collect()
            }
            PickerKind::Agent => catalog
                .agents
                .iter()
                .map(|a| {
                    let mut it = PickerItem::new(a.name.clone(), a.name.clone())
                        .description(a.description.clone())
                        .tag(if Some(a.name.as_str()) == m.agent.as_deref() {
                            "● current"
                        } else {
                            "●"
                        });
                    if let Some(c) = m.agent_color(&a.name) {
                        it = it.tag_color(c);
                    }
                    it
                })
                .collect(),
        };
        let title = match kind {
            PickerKind::Model => "models · Enter chooses · Esc closes",
            PickerKind::Variant => "variant (reasoning effort)",
            PickerKind::Agent => "agents · Tab cycles them on the prompt",
        };
        let current = match kind {
            PickerKind::Model => m.model.clone(),
            PickerKind::Variant => Some(m.variant.clone().unwrap_or_default()),
            PickerKind::Agent => m.agent.clone(),
        };
        let mut p = Picker::new(title, Kind::Words, QueryInput::Own);
        p.set_items(items);
        // It opens on what is in use now (Enter keeps it).
        if let Some(c) = current {
            p.select_id(&c);
        }
        self.overlays.close::<ModelPicker>();
        self.overlays
            .push(Box::new(ModelPicker { kind, picker: p }));
        Vec::new()
    }

    /// True while a model / variant / agent picker is open.
    pub fn model_picker_open(&self) -> bool {
        self.overlays.is_open::<ModelPicker>()
    }

    /// The next (or previous) agent, as opencode's Tab (`agent_cycle`); `None` while a tool
    /// call has the focus or there are fewer than two agents (Tab then focuses tool calls).
    pub(crate) fn cycle_agent(&mut self, forward: bool) -> Option<Vec<Action>> {
        let agents = self.models.agents();
        if self.view.focused_tool().is_some() || agents.len() < 2 {
            return None;
        }
        let n = agents.len();
        let i = self
            .models
            .agent
            .as_deref()
            .and_then(|a| agents.iter().position(|x| x.name == a))
            .map_or(0, |i| {
                if forward {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                }
            });
        let name = agents[i].name.clone();
        Some(self.choose(PickerKind::Agent, &name))
    }

    /// The next variant (`variant_cycle`, Ctrl+T): default → each variant → default.
    pub(crate) fn cycle_variant(&mut self) -> Vec<Action> {
        let Some(variants) = self.models.current_model().map(|m| m.variants.clone()) else {
            return Vec::new();
        };
        if variants.is_empty() {
            let name = self.models.model.clone().unwrap_or_default();
            self.note(format!("{name} has no variants"), false);
            return Vec::new();
        }
        let next = match &self.models.variant {
            None => variants.first().cloned(),
            Some(v) => variants
                .iter()
                .position(|x| x == v)
                .and_then(|i| variants.get(i + 1).cloned()),
        };
        self.choose(PickerKind::Variant, next.as_deref().unwrap_or(""))
    }

    /// Applies a choice: the next prompts use it, the status bar shows it, the project
    /// remembers it.
    pub(crate) fn choose(&mut self, kind: PickerKind, id: &str) -> Vec<Action> {
        let m = &mut self.models;
        let note = match kind {
            PickerKind::Model => {
                if m.model.as_deref() != Some(id) {
                    m.variant = m
                        .memory
                        .variant
                        .get(id)
                        .filter(|v| {
                            m.catalog
                                .as_ref()
                                .and_then(|c| c.model(id))
                                .is_some_and(|mi| mi.variants.contains(v))
                        })
                        .cloned();
                }
                m.model = Some(id.to_string());
                m.memory.used(id);
                format!("model: {}", m.model_label().unwrap_or_default())
            }
            PickerKind::Variant => {
                m.variant = (!id.is_empty()).then(|| id.to_string());
                if let Some(k) = m.model.clone() {
                    match &m.variant {
                        Some(v) => m.memory.variant.insert(k, v.clone()),
                        None => m.memory.variant.remove(&k),
                    };
                }
                format!("variant: {}", m.variant.as_deref().unwrap_or("default"))
            }
            PickerKind::Agent => {
                m.agent = Some(id.to_string());
                m.memory.agent = Some(id.to_string());
                format!("agent: {id}")
            }
        };
        let out = vec![
            m.prompt_options(),
            Action::SaveModelMemory(m.memory.clone()),
        ];
        self.note(note, false);
        out
    }
}
