//! Scenarios of the mock model: natural user prompts mapped to scripts of the mock's grammar
//! (see `mock_model.rs`), with the natural text the model says around them (a preamble per
//! step, the final answer, the session title). Only consulted when a scenario is given
//! (`OCW_MOCK_SCENARIO=FILE` for `serve_mock_forever`, or [`MockModel::start_with_scenario`]);
//! without one, and for a prompt no turn matches, the grammar reads the prompt itself.
//!
//! # Format (JSON)
//! ```json
//! {"title": "Tidy up the greeting and add notes",
//!  "turns": [
//!    {"when": "run the tests",
//!     "script": ["tool: bash {\"command\":\"ls\",\"description\":\"List files\"}"],
//!     "steps": ["Let me look first."],
//!     "answer": "The listing starts with `{result}`."}]}
//! ```
//! - `title`: the answer to the title request (default `Mock title`).
//! - `chunk`: words per streamed chunk of the text of the scenario's turns (default 2; more
//!   makes a shorter log).
//! - `turns`: the first turn whose `when` is in the last user message (case-insensitive
//!   substring; the message text as the grammar sees it, so a slash command's expanded
//!   template or an `@file` mention's text parts count too) and whose `model`, if given,
//!   equals the request's `model`, is played.
//! - `script`: the lines of the grammar to run instead of the prompt (steps, `reason:`,
//!   `error:`, `slow:`...).
//! - `steps`: the text streamed before step k's tool calls (k-th item; the last item is
//!   reused for further steps; default `Running it.`).
//! - `answer`: the final answer, after `deltas`/`words`/`markdown`/`say` in precedence, before
//!   `Done:`. `{result}` is the first non-empty line of the last tool result, `{output}` the
//!   whole result (trimmed), `{answer}` the labels chosen in the last question (`a, b`).
//!   `answer` and each item of `steps` may be a string or a list of lines (joined by `\n`).

use serde::Deserialize;
use serde_json::Value;
use std::path::Path;

/// A parsed scenario file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub turns: Vec<Turn>,
    /// Words per streamed chunk of a turn's text, answer and reasoning (default 2).
    #[serde(default)]
    pub chunk: Option<usize>,
}

/// One prompt of the scenario and how the model answers it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Turn {
    pub when: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub script: Vec<String>,
    #[serde(default)]
    pub steps: Vec<Text>,
    #[serde(default)]
    pub answer: Option<Text>,
}

/// A text given as one string or as a list of lines.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Text {
    One(String),
    Lines(Vec<String>),
}

impl Text {
    pub fn text(&self) -> String {
        match self {
            Text::One(s) => s.clone(),
            Text::Lines(lines) => lines.join("\n"),
        }
    }
}

impl Scenario {
    /// Reads a scenario file; the error says which file and what is wrong.
    pub fn load(path: &Path) -> Result<Scenario, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("mock scenario {}: cannot read it: {e}", path.display()))?;
        Scenario::parse(&text).map_err(|e| format!("mock scenario {}: {e}", path.display()))
    }

    /// Parses a scenario; a turn with an empty `when` is refused (it would match everything).
    pub fn parse(text: &str) -> Result<Scenario, String> {
        let scenario: Scenario = serde_json::from_str(text).map_err(|e| {
            format!("not a scenario ({e}); expected {{\"title\"?, \"turns\": [{{\"when\", \"script\"?, \"steps\"?, \"answer\"?, \"model\"?}}]}}")
        })?;
        if let Some(i) = scenario.turns.iter().position(|t| t.when.trim().is_empty()) {
            return Err(format!(
                "turn {} has an empty \"when\": give a text of the user's prompt",
                i + 1
            ));
        }
        Ok(scenario)
    }

    /// The turn that answers `prompt` (sent to `model`), if any.
    pub fn turn_for(&self, prompt: &str, model: &str) -> Option<&Turn> {
        let prompt = prompt.to_lowercase();
        self.turns.iter().find(|t| {
            prompt.contains(&t.when.to_lowercase()) && t.model.as_deref().is_none_or(|m| m == model)
        })
    }
}

impl Turn {
    /// The script lines as one prompt for the grammar.
    pub fn script_text(&self) -> String {
        self.script.join("\n")
    }

    /// The text streamed before step `k`, if the turn says one.
    pub fn step_text(&self, k: usize) -> Option<String> {
        self.steps.get(k).or(self.steps.last()).map(Text::text)
    }

    /// The final answer with its placeholders filled from the last tool result (if any).
    pub fn render_answer(&self, last_tool: Option<&str>) -> Option<String> {
        let template = self.answer.as_ref()?.text();
        let output = last_tool.unwrap_or("").trim();
        let result = output
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        Some(
            template
                .replace("{result}", result)
                .replace("{output}", output)
                .replace("{answer}", &question_answers(output)),
        )
    }
}

/// The labels chosen in a question tool's result
/// (`User has answered your questions: "Q?"="a, b". ...`), joined by `, `.
fn question_answers(output: &str) -> String {
    output
        .split("\"=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(label, _)| label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `model` of a request (`""` if absent).
pub fn request_model(request: &Value) -> &str {
    request["model"].as_str().unwrap_or("")
}
