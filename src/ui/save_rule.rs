//! The offer shown after "allow always": opencode forgets "always" when the server
//! restarts, so offer to write the rule into the project's `opencode.json`, showing the
//! exact rule first. s/y/Enter saves (the front-end does the I/O), n/Esc skips; like every
//! dialog it takes no key with Ctrl or Alt, and none before it arms (guard.rs).

use crate::ui::{popup, theme, wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRuleOffer {
    pub permission: String,
    pub patterns: Vec<String>,
    /// The config file the rule would go into, as the user knows it (`opencode.jsonc`).
    pub file: String,
}

/// What a key decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveRuleOutcome {
    Save,
    Skip,
    Nothing,
}

impl SaveRuleOffer {
    /// The JSON fragment that would be merged into `opencode.json`.
    pub fn rule_json(&self) -> String {
        let mut rules = serde_json::Map::new();
        for p in &self.patterns {
            rules.insert(p.clone(), serde_json::Value::String("allow".into()));
        }
        let v = serde_json::json!({ "permission": { self.permission.clone(): rules } });
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    pub fn handle_key(&self, key: KeyEvent) -> SaveRuleOutcome {
        if !popup::plain(&key) {
            return SaveRuleOutcome::Nothing;
        }
        match key.code {
            KeyCode::Char('s') | KeyCode::Char('y') | KeyCode::Enter => SaveRuleOutcome::Save,
            KeyCode::Char('n') | KeyCode::Esc => SaveRuleOutcome::Skip,
            _ => SaveRuleOutcome::Nothing,
        }
    }

    /// The body: what happened, the question, and the exact rule.
    fn body(&self, width: usize) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        let question = format!(
            "Save this rule in the project's {} so it lasts?",
            crate::safe_text::one_line(&self.file)
        );
        for text in [
            question.as_str(),
            "(allowed always only until the server restarts)",
        ] {
            out.extend(wrap::wrap_words(&[Span::raw(text)], width, &[], &[]));
        }
        out.push(Line::default());
        for l in self.rule_json().lines() {
            out.push(Line::from(Span::styled(
                format!("  {}", crate::safe_text::one_line(l)),
                theme::tool_input(),
            )));
        }
        out
    }

    fn keys(armed: bool, width: usize) -> Vec<Line<'static>> {
        let (k, label) = if armed {
            (theme::key(), theme::base())
        } else {
            (theme::dim(), theme::dim())
        };
        let items = [
            vec![Span::styled("s ", k), Span::styled("save", label)],
            vec![Span::styled("n ", k), Span::styled("not now", label)],
        ];
        popup::key_lines(&items, width)
    }

    fn with_parts<T>(&self, armed: bool, f: impl FnOnce(&popup::DialogParts) -> T) -> T {
        let body = |w: usize| (self.body(w), None);
        let keys = |w: usize| Self::keys(armed, w);
        f(&popup::DialogParts {
            title: "Save rule?",
            right: "",
            body: &body,
            hint: (!armed).then(popup::arming_hint),
            keys: &keys,
            scroll: 0,
        })
    }

    /// (wanted, least) height at `width`.
    pub fn heights(&self, armed: bool, width: u16) -> (u16, u16) {
        self.with_parts(armed, |p| (p.wanted_height(width), p.min_height(width)))
    }

    /// Draws the offer into `area`; its keys dimmed until `armed`.
    pub fn render(&self, frame: &mut Frame, area: Rect, armed: bool) {
        self.with_parts(armed, |p| p.render(frame, area));
    }
}
