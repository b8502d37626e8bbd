//! The offer shown after "allow always": ocw-tui keeps the rule only until it quits, so
//! offer to write it into the project's opencode config, saying in words what it allows and
//! for which agents, and showing the exact JSON. The default (s/y/Enter) saves it for the
//! agent that asked only (`agent.<name>.permission`); `g` saves it for every agent, as an
//! explicit second choice; n/Esc skips. The front-end does the I/O. Like every dialog it takes
//! no key with Ctrl or Alt, and none before it arms (guard.rs).

use crate::model::always::scope_words;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::stack::{Areas, Handled, Overlay};
use crate::ui::{overlay::popup, theme, transcript::wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRuleOffer {
    pub permission: String,
    pub patterns: Vec<String>,
    /// The config file the rule would go into, as the user knows it (`opencode.jsonc`).
    pub file: String,
    /// The agent that asked (`build`), when known: the default scope of the saved rule.
    pub agent: Option<String>,
}

/// What a key decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveRuleOutcome {
    /// Save for this agent only (`Some(name)`), or for every agent (`None`).
    Save(Option<String>),
    Skip,
    Nothing,
}

impl SaveRuleOffer {
    /// The JSON fragment (one line) that would be merged into the config: under
    /// `agent.<name>` for one agent, at the top level for every agent.
    pub fn rule_json(&self, agent: Option<&str>) -> String {
        let mut rules = serde_json::Map::new();
        for p in &self.patterns {
            rules.insert(p.clone(), serde_json::Value::String("allow".into()));
        }
        let perm = serde_json::json!({ "permission": { self.permission.clone(): rules } });
        let v = match agent {
            Some(a) => serde_json::json!({ "agent": { a: perm } }),
            None => perm,
        };
        serde_json::to_string(&v).unwrap_or_default()
    }

    /// What the rule allows, in words ("any file edit").
    pub fn scope_words(&self) -> String {
        scope_words(&self.permission, &self.patterns)
    }

    pub fn handle_key(&self, key: KeyEvent) -> SaveRuleOutcome {
        if !popup::plain(&key) {
            return SaveRuleOutcome::Nothing;
        }
        match key.code {
            KeyCode::Char('s') | KeyCode::Char('y') | KeyCode::Enter => match &self.agent {
                Some(a) => SaveRuleOutcome::Save(Some(a.clone())),
                // No agent to scope it to: saving for everyone must be asked for with `g`.
                None => SaveRuleOutcome::Nothing,
            },
            KeyCode::Char('g') => SaveRuleOutcome::Save(None),
            KeyCode::Char('n') | KeyCode::Esc => SaveRuleOutcome::Skip,
            _ => SaveRuleOutcome::Nothing,
        }
    }
}

impl popup::OfferView for SaveRuleOffer {
    const TITLE: &'static str = "Save rule?";

    /// The body: what is allowed now, the question, and both forms of the rule.
    fn body(&self, width: usize) -> Vec<Line<'static>> {
        let clean = |s: &str| crate::safe_text::one_line(s).into_owned();
        let mut out = Vec::new();
        let words = clean(&self.scope_words());
        let now = match &self.agent {
            Some(a) => format!(
                "Allowed until you quit ocw-tui: {words}, by the {} agent only.",
                clean(a)
            ),
            None => format!("Allowed once: {words} (the asking agent is unknown)."),
        };
        let question = format!(
            "Save a rule in the project's {} so it lasts?",
            clean(&self.file)
        );
        for text in [now.as_str(), question.as_str()] {
            out.extend(wrap::wrap_words(
                &[Span::raw(text.to_string())],
                width,
                &[],
                &[],
            ));
        }
        let mut form = |key: &str, label: String, agent: Option<&str>| {
            out.push(Line::default());
            out.extend(wrap::wrap_words(
                &[
                    Span::styled(key.to_string(), theme::key()),
                    Span::raw(label),
                ],
                width,
                &[],
                &[Span::raw("   ")],
            ));
            out.extend(wrap::wrap_chars(
                &[Span::styled(
                    clean(&self.rule_json(agent)),
                    theme::tool_input(),
                )],
                width,
                &[Span::raw("    ")],
                &[Span::raw("    ")],
            ));
        };
        if let Some(a) = &self.agent {
            form(
                "s  ",
                format!("{words}, for the {} agent only:", clean(a)),
                Some(a),
            );
        }
        form(
            "g  ",
            format!("{words}, for every agent (plan included):"),
            None,
        );
        out
    }

    fn keys(&self, armed: bool, width: usize) -> Vec<Line<'static>> {
        let (k, label) = if armed {
            (theme::key(), theme::base())
        } else {
            (theme::dim(), theme::dim())
        };
        let mut items = Vec::new();
        if let Some(a) = &self.agent {
            items.push(vec![
                Span::styled("s ", k),
                Span::styled(format!("save for {}", crate::safe_text::one_line(a)), label),
            ]);
        }
        items.push(vec![
            Span::styled("g ", k),
            Span::styled("save for every agent", label),
        ]);
        items.push(vec![Span::styled("n ", k), Span::styled("not now", label)]);
        popup::key_lines(&items, width)
    }
}

/// The save-rule offer as the top layer (above every request): s/y/Enter save, g saves for
/// every agent, n/Esc skips.
impl Overlay for SaveRuleOffer {
    fn key(&mut self, key: KeyEvent, _app: &mut App) -> Handled {
        match self.handle_key(key) {
            SaveRuleOutcome::Save(agent) => Handled::Close(vec![Action::SaveAlwaysRule {
                permission: self.permission.clone(),
                patterns: self.patterns.clone(),
                agent,
            }]),
            SaveRuleOutcome::Skip => Handled::Close(Vec::new()),
            SaveRuleOutcome::Nothing => Handled::Done(Vec::new()),
        }
    }
    /// Drawn inside the transcript body (transcript/body.rs).
    fn render(&self, _app: &App, _frame: &mut Frame, _areas: &Areas) {}
    fn hint(&self) -> &'static str {
        "s save · g every agent · n skip"
    }
}
