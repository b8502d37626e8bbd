//! The offer shown after "allow always": opencode forgets "always" when the server
//! restarts, so offer to write the rule into the project's `opencode.json`, showing the
//! exact rule first. s/y/Enter saves (the glue does the I/O), n/Esc skips.

use crate::ui::{popup, theme};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRuleOffer {
    pub permission: String,
    pub patterns: Vec<String>,
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
        match key.code {
            KeyCode::Char('s') | KeyCode::Char('y') | KeyCode::Enter => SaveRuleOutcome::Save,
            KeyCode::Char('n') | KeyCode::Esc => SaveRuleOutcome::Skip,
            _ => SaveRuleOutcome::Nothing,
        }
    }

    pub fn lines(&self) -> Vec<Line<'static>> {
        let mut out = vec![
            Line::from("Allowed always until the server restarts."),
            Line::from("Save this rule in the project's opencode.json so it lasts?"),
            Line::default(),
        ];
        for l in self.rule_json().lines() {
            out.push(Line::from(Span::styled(
                format!("  {}", crate::safe_text::one_line(l)),
                theme::tool_input(),
            )));
        }
        out.push(Line::default());
        out.push(Line::from(vec![
            Span::styled(" s ", theme::key()),
            Span::raw("save   "),
            Span::styled(" n ", theme::key()),
            Span::raw("not now"),
        ]));
        out
    }

    pub fn wanted_height(&self) -> u16 {
        self.lines().len() as u16 + 2
    }

    pub fn render(&self, frame: &mut Frame, area: Rect) {
        let inner = popup::frame(frame, area, "Save rule?", "");
        frame.render_widget(Paragraph::new(self.lines()), inner);
    }
}
