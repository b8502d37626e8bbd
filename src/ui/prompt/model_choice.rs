//! What the next prompts use (model, variant, agent), what the server offers and what
//! the project remembers; the agent's colour and the context meter. The pickers and keys
//! that change it are in overlay/models.rs.

use crate::model::catalog::{Catalog, ModelInfo, ModelMemory};
use crate::model::state::{Role, SessionState};
use crate::ui::action::Action;
use crate::ui::theme::{self, Palette};
use ratatui::style::Color;

/// The choice the next prompts carry, what the server offers and what is remembered.
#[derive(Debug, Default)]
pub struct ModelState {
    /// `None` until the front-end fetched it.
    pub catalog: Option<Catalog>,
    pub memory: ModelMemory,
    /// `provider/model`.
    pub model: Option<String>,
    pub variant: Option<String>,
    pub agent: Option<String>,
}

/// The group of recently used models in the model picker.
pub const RECENT: &str = "Recent";

/// The official TUI's agent palette (by position among the non-hidden agents):
/// secondary, accent, success, warning, primary, error, info: the theme's colours.
fn palette_color(name: &str) -> Option<Color> {
    theme::agent_color(name)
}

const PALETTE_ORDER: [&str; 7] = [
    "secondary",
    "accent",
    "success",
    "warning",
    "primary",
    "error",
    "info",
];

/// `#rrggbb` (or `#rgb`) as a colour.
fn hex(s: &str) -> Option<Color> {
    let h = s.strip_prefix('#')?;
    let v = |i: usize, n: usize| u8::from_str_radix(h.get(i..i + n)?, 16).ok();
    match h.len() {
        6 => Some(Color::Rgb(v(0, 2)?, v(2, 2)?, v(4, 2)?)),
        3 => Some(Color::Rgb(v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17)),
        _ => None,
    }
}

impl ModelState {
    /// The agent's colour: its config `color`, else the palette by its position; none
    /// without colour (`NO_COLOR`).
    pub fn agent_color(&self, name: &str) -> Option<Color> {
        if theme::palette() == Palette::Mono {
            return None;
        }
        let a = self.catalog.as_ref()?.agent(name)?;
        if let Some(c) = a.color.as_deref() {
            if let Some(c) = hex(c).or_else(|| palette_color(c)) {
                return Some(c);
            }
        }
        palette_color(PALETTE_ORDER[a.palette_index % PALETTE_ORDER.len()])
    }

    pub(crate) fn agents(&self) -> &[crate::model::catalog::AgentInfo] {
        self.catalog.as_ref().map_or(&[], |c| &c.agents)
    }

    pub(crate) fn current_model(&self) -> Option<&ModelInfo> {
        self.catalog.as_ref()?.model(self.model.as_deref()?)
    }

    /// The model label for the status bar: `provider/model`, with ` · variant`.
    pub fn model_label(&self) -> Option<String> {
        let m = self.model.as_ref()?;
        Some(match &self.variant {
            Some(v) => format!("{m} · {v}"),
            None => m.clone(),
        })
    }

    /// How full the context is, in percent: the last assistant message with output, its
    /// input + output + reasoning + cache read + cache write tokens over `limit.context`
    /// of its model (else the chosen one).
    pub fn context_percent(&self, session: &SessionState) -> Option<u64> {
        let catalog = self.catalog.as_ref()?;
        let m = session
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::Assistant && m.tokens.output > 0)?;
        let limit = m
            .model
            .as_deref()
            .and_then(|k| catalog.model(k))
            .or_else(|| self.current_model())?
            .context_limit?;
        let t = &m.tokens;
        let used = t.input + t.output + t.reasoning + t.cache.read + t.cache.write;
        Some(((used * 100 + limit / 2) / limit.max(1)).min(999))
    }

    pub(crate) fn prompt_options(&self) -> Action {
        Action::PromptOptions {
            model: self.model.clone(),
            variant: self.variant.clone(),
            agent: self.agent.clone(),
        }
    }
}

impl ModelState {
    /// The catalog arrived: the first choice is `--model` / `--agent` (`model_flag`,
    /// `agent_flag`), else what the project remembers, else the server's configured model
    /// and default agent. Returns the options every prompt is sent with from now on.
    pub fn arrived(
        &mut self,
        catalog: Catalog,
        memory: ModelMemory,
        model_flag: Option<&str>,
        agent_flag: Option<&str>,
    ) -> Action {
        let valid = |k: &str| catalog.model(k).is_some();
        self.model = model_flag
            .map(str::to_string)
            .or_else(|| memory.recent.iter().find(|k| valid(k)).cloned())
            .or_else(|| catalog.config_model.clone().filter(|k| valid(k)))
            .or_else(|| catalog.models.first().map(ModelInfo::key));
        self.variant = self.model.as_ref().and_then(|k| {
            let v = memory.variant.get(k)?;
            catalog.model(k)?.variants.contains(v).then(|| v.clone())
        });
        let agent_ok = |a: &String| catalog.agent(a).is_some();
        self.agent = agent_flag
            .map(str::to_string)
            .or_else(|| memory.agent.clone().filter(agent_ok))
            .or_else(|| catalog.default_agent.clone().filter(agent_ok))
            .or_else(|| catalog.agents.first().map(|a| a.name.clone()));
        self.memory = memory;
        self.catalog = Some(catalog);
        self.prompt_options()
    }
}
