//! The models and agents a server offers (`GET /config/providers`, `GET /agent`,
//! `GET /config`), read into plain data, and the per-project model memory (recent models,
//! the variant of each model, the agent) that the front-end persists.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// One model of a connected provider.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModelInfo {
    pub provider_id: String,
    pub provider_name: String,
    pub id: String,
    pub name: String,
    /// `limit.context`: the context meter's denominator.
    pub context_limit: Option<u64>,
    /// Variant names (reasoning effort), in the server's order; empty when none.
    pub variants: Vec<String>,
}

impl ModelInfo {
    /// `provider/model`, as `--model` takes it.
    pub fn key(&self) -> String {
        format!("{}/{}", self.provider_id, self.id)
    }
}

/// One agent a user can choose (primary or `all`, not hidden).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgentInfo {
    pub name: String,
    pub description: String,
    /// Config `color` (hex `#rrggbb` or a theme colour name).
    pub color: Option<String>,
    /// Its position among all the server's non-hidden agents (the official palette's index).
    pub palette_index: usize,
}

/// What the server offers, as the pickers and the status bar need it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalog {
    /// Connected providers' models, provider by provider in the server's order.
    pub models: Vec<ModelInfo>,
    /// Choosable agents, in the server's order.
    pub agents: Vec<AgentInfo>,
    /// Agents a prompt can hand itself to with `@name` (mode `subagent` or `all`, not
    /// hidden), in the server's order.
    pub mentionable: Vec<AgentInfo>,
    /// `GET /config` `.model` (the configured default, `provider/model`).
    pub config_model: Option<String>,
    /// `GET /config` `.default_agent`.
    pub default_agent: Option<String>,
}

impl Catalog {
    /// Reads the three bodies (`/config/providers`, `/agent`, `/config`).
    pub fn from_json(providers: &Value, agents: &Value, config: &Value) -> Catalog {
        Catalog {
            models: parse_providers(providers),
            agents: parse_agents(agents),
            mentionable: parse_mentionable_agents(agents),
            config_model: config
                .get("model")
                .and_then(Value::as_str)
                .map(str::to_string),
            default_agent: config
                .get("default_agent")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    /// The model named `provider/model`.
    pub fn model(&self, key: &str) -> Option<&ModelInfo> {
        self.models.iter().find(|m| m.key() == key)
    }

    pub fn agent(&self, name: &str) -> Option<&AgentInfo> {
        self.agents.iter().find(|a| a.name == name)
    }
}

/// `GET /config/providers` `{providers:[{id,name,models:{id:{name,limit,variants}}}]}`.
pub fn parse_providers(v: &Value) -> Vec<ModelInfo> {
    let mut out = Vec::new();
    let providers = v
        .get("providers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in &providers {
        let Some(pid) = p.get("id").and_then(Value::as_str) else {
            continue;
        };
        let pname = p.get("name").and_then(Value::as_str).unwrap_or(pid);
        let Some(models) = p.get("models").and_then(Value::as_object) else {
            continue;
        };
        for (mid, m) in models {
            let variants = m
                .get("variants")
                .and_then(Value::as_object)
                .map(|o| o.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default();
            out.push(ModelInfo {
                provider_id: pid.to_string(),
                provider_name: pname.to_string(),
                id: m
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or(mid)
                    .to_string(),
                name: m
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(mid)
                    .to_string(),
                context_limit: m
                    .pointer("/limit/context")
                    .and_then(Value::as_u64)
                    .filter(|&n| n > 0),
                variants: order_variants(variants),
            });
        }
    }
    out
}

/// Known efforts from low to high, the rest after them in their order.
fn order_variants(mut v: Vec<String>) -> Vec<String> {
    const ORDER: [&str; 6] = ["none", "minimal", "low", "medium", "high", "max"];
    v.sort_by_key(|n| ORDER.iter().position(|o| o == n).unwrap_or(ORDER.len()));
    v
}

/// `GET /agent`: the agents shown in the picker (`mode != subagent`, not hidden), each
/// with its index among all non-hidden agents (the official TUI colours by it).
pub fn parse_agents(v: &Value) -> Vec<AgentInfo> {
    let mut out = Vec::new();
    let all = v.as_array().cloned().unwrap_or_default();
    let visible = all
        .iter()
        .filter(|a| !a.get("hidden").and_then(Value::as_bool).unwrap_or(false));
    for (i, a) in visible.enumerate() {
        let Some(name) = a.get("name").and_then(Value::as_str) else {
            continue;
        };
        if a.get("mode").and_then(Value::as_str) == Some("subagent") {
            continue;
        }
        out.push(AgentInfo {
            name: name.to_string(),
            description: a
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            color: a.get("color").and_then(Value::as_str).map(str::to_string),
            palette_index: i,
        });
    }
    out
}

/// `GET /agent`: the agents `@` offers, as opencode's own prompt does (`mode` not
/// `primary`, not hidden).
pub fn parse_mentionable_agents(v: &Value) -> Vec<AgentInfo> {
    let all = v.as_array().map_or(&[][..], Vec::as_slice);
    let visible = all
        .iter()
        .filter(|a| !a.get("hidden").and_then(Value::as_bool).unwrap_or(false));
    visible
        .enumerate()
        .filter(|(_, a)| a.get("mode").and_then(Value::as_str) != Some("primary"))
        .filter_map(|(i, a)| {
            Some(AgentInfo {
                name: a.get("name")?.as_str()?.to_string(),
                description: a
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                color: a.get("color").and_then(Value::as_str).map(str::to_string),
                palette_index: i,
            })
        })
        .collect()
}

/// What is remembered for one project: recent models (newest first, at most
/// [`RECENT_MAX`]), the variant chosen for each model, and the agent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ModelMemory {
    #[serde(default)]
    pub recent: Vec<String>,
    #[serde(default)]
    pub variant: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
}

/// Recent models kept per project.
pub const RECENT_MAX: usize = 10;

impl ModelMemory {
    /// `model` was chosen: it moves to the front of the recent list.
    pub fn used(&mut self, model: &str) {
        self.recent.retain(|m| m != model);
        self.recent.insert(0, model.to_string());
        self.recent.truncate(RECENT_MAX);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn providers_give_models_with_limits_and_ordered_variants() {
        let v = json!({"providers":[{"id":"mock","name":"Mock","models":{
            "mock-model":{"id":"mock-model","name":"Mock Model","limit":{"context":1000,"output":100},"variants":{}},
            "mock-think":{"id":"mock-think","name":"Mock Thinker","limit":{"context":200000},
                          "variants":{"high":{},"low":{},"medium":{}}}}}],
            "default":{"mock":"mock-think"}});
        let m = parse_providers(&v);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].key(), "mock/mock-model");
        assert_eq!(m[0].context_limit, Some(1000));
        assert!(m[0].variants.is_empty());
        assert_eq!(m[1].variants, ["low", "medium", "high"]);
        assert_eq!(m[1].provider_name, "Mock");
    }

    #[test]
    fn agents_are_the_visible_primary_ones_with_their_palette_index() {
        let v = json!([
            {"name":"build","mode":"primary","description":"The default agent."},
            {"name":"compaction","mode":"primary","hidden":true},
            {"name":"explore","mode":"subagent"},
            {"name":"general","mode":"subagent"},
            {"name":"plan","mode":"primary"},
            {"name":"reviewer","mode":"all","color":"#ff8800"},
            {"name":"title","mode":"primary","hidden":true}
        ]);
        let a = parse_agents(&v);
        let names: Vec<_> = a
            .iter()
            .map(|a| (a.name.as_str(), a.palette_index))
            .collect();
        assert_eq!(names, [("build", 0), ("plan", 3), ("reviewer", 4)]);
        assert_eq!(a[2].color.as_deref(), Some("#ff8800"));
        let m: Vec<_> = parse_mentionable_agents(&v)
            .into_iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(m, ["explore", "general", "reviewer"]);
    }

    #[test]
    fn a_used_model_goes_first_once_and_the_list_is_capped() {
        let mut m = ModelMemory::default();
        for i in 0..12 {
            m.used(&format!("p/m{i}"));
        }
        m.used("p/m5");
        assert_eq!(m.recent.len(), RECENT_MAX);
        assert_eq!(m.recent[0], "p/m5");
        assert_eq!(m.recent.iter().filter(|r| *r == "p/m5").count(), 1);
    }
}
