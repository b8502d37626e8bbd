//! The keymap: every key-bound action by opencode's keybind name (names.rs), its default
//! keys, overridden by tui.json's `keybinds` (leader, `<leader>x` sequences, comma-separated
//! alternatives, `"none"` / `false`, `leader_timeout`). The key dispatch (dispatch.rs) asks
//! it which action a key (or a sequence) is; the help, the palette and `key_table()` show
//! its keys through `{name}` placeholders ([`Keymap::expand`]).

pub mod chord;
pub(crate) mod dispatch;
pub mod names;
pub mod wheel;

use crate::model::tui_config::TuiConfig;
use chord::{parse_binding, Chord, Step};
use names::{KeyAction, LEADER, LEADER_DEFAULT, NAMES};
use serde_json::Value;
use std::collections::BTreeSet;
use std::time::Duration;

/// What a key does, given the keys of a sequence typed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// It completes a binding.
    Action(KeyAction),
    /// It starts or continues a sequence (the leader): wait for the next key.
    Pending,
    /// Nothing is bound to it (after a sequence's start: the sequence is void).
    Nothing,
}

/// The effective bindings.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    /// Each action's bindings, a binding being the chords pressed one after the other.
    bindings: Vec<(KeyAction, Vec<Vec<Chord>>)>,
    /// The leader's chords (none: `<leader>` bindings are void).
    leader: Vec<Chord>,
    pub(crate) leader_timeout: Duration,
    /// One line about what tui.json held that we do not use or cannot read (`None`: all
    /// is well); said once, when the server is first connected (app/apply.rs).
    pub warning: Option<String>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::from_config(&TuiConfig::default())
    }
}

/// The bindings a keybind value names, as written (`Err`: why not).
fn value_bindings(v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Bool(false) => Ok(Vec::new()),
        Value::String(s) if s.trim() == "none" => Ok(Vec::new()),
        Value::String(s) => Ok(s
            .split(',')
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_string)
            .collect()),
        Value::Array(items) => {
            let mut out = Vec::new();
            for i in items {
                out.extend(value_bindings(i)?);
            }
            Ok(out)
        }
        Value::Object(o) => match o.get("key") {
            Some(Value::String(k)) => Ok(vec![k.clone()]),
            Some(Value::Object(k)) => Ok(vec![key_object(k)?]),
            _ if o.contains_key("name") => Ok(vec![key_object(o)?]),
            _ => Err(format!("cannot read {v}")),
        },
        other => Err(format!("cannot read {other}")),
    }
}

/// `{name, ctrl, shift, meta, super}` as `ctrl+shift+name`.
fn key_object(o: &serde_json::Map<String, Value>) -> Result<String, String> {
    let name = o
        .get("name")
        .and_then(Value::as_str)
        .ok_or("a key object without a name")?;
    let mut s = String::new();
    for m in ["ctrl", "meta", "shift", "super"] {
        if o.get(m).and_then(Value::as_bool) == Some(true) {
            s.push_str(m);
            s.push('+');
        }
    }
    if o.get("hyper").and_then(Value::as_bool) == Some(true) {
        return Err("hyper is not supported".into());
    }
    Ok(s + name)
}

impl Keymap {
    /// The defaults with the config's keybinds over them. A key the config binds is taken
    /// from any action that has it only by default (the config wins).
    pub fn from_config(cfg: &TuiConfig) -> Keymap {
        let mut unsupported = Vec::new();
        let mut unreadable = Vec::new();
        let default = |d: &str| value_bindings(&Value::String(d.into())).unwrap_or_default();
        let mut written = |name: &str, d: &str| -> Vec<String> {
            match cfg.keybinds.get(name).map(value_bindings) {
                None => default(d),
                Some(Ok(b)) => b,
                Some(Err(e)) => {
                    unreadable.push(format!("{name}: {e}"));
                    default(d)
                }
            }
        };
        let leader_text = written(LEADER, LEADER_DEFAULT);
        let texts: Vec<Vec<String>> = NAMES.iter().map(|n| written(n.name, n.default)).collect();
        let mut leader = Vec::new();
        for b in &leader_text {
            match chord::Chord::parse(b) {
                Ok(c) => leader.push(c),
                Err(e) => unreadable.push(format!("leader: {e}")),
            }
        }
        let mut bindings = Vec::new();
        let mut configured = BTreeSet::new();
        for (n, text) in NAMES.iter().zip(texts) {
            if cfg.keybinds.contains_key(n.name) {
                configured.insert(n.action);
            }
            let mut seqs = Vec::new();
            for b in text {
                match parse_binding(&b) {
                    Ok(steps) => seqs.extend(expand(&steps, &leader)),
                    Err(e) => unreadable.push(format!("{}: {e}", n.name)),
                }
            }
            bindings.push((n.action, seqs));
        }
        // The config's keys win over a default of another action.
        let taken: Vec<Vec<Chord>> = bindings
            .iter()
            .filter(|(a, _)| configured.contains(a))
            .flat_map(|(_, s)| s.clone())
            .collect();
        for (a, seqs) in bindings.iter_mut() {
            if !configured.contains(a) {
                seqs.retain(|s| !taken.contains(s));
            }
        }
        for name in cfg.keybinds.keys() {
            if name != LEADER && names::lookup(name).is_none() {
                unsupported.push(name.clone());
            }
        }
        Keymap {
            bindings,
            leader,
            leader_timeout: Duration::from_millis(cfg.leader_timeout()),
            warning: warning(cfg, &unsupported, &unreadable),
        }
    }

    fn seqs(&self, action: KeyAction) -> &[Vec<Chord>] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, s)| s.as_slice())
    }

    /// What `key` does after `pending` (the chords of a sequence typed so far).
    pub fn resolve(&self, pending: &[Chord], key: Chord) -> Resolved {
        let mut typed = pending.to_vec();
        typed.push(key);
        let mut exact = None;
        let mut longer = false;
        for (a, seqs) in &self.bindings {
            for s in seqs {
                if s.len() >= typed.len() && s[..typed.len()] == typed[..] {
                    if s.len() == typed.len() {
                        exact = exact.or(Some(*a));
                    } else {
                        longer = true;
                    }
                }
            }
        }
        // The leader alone waits even when it is also bound by itself.
        let leader_alone = pending.is_empty() && self.leader.contains(&key);
        match exact {
            _ if longer || leader_alone => Resolved::Pending,
            Some(a) => Resolved::Action(a),
            None => Resolved::Nothing,
        }
    }

    /// The action bound to this one key alone, if any (no sequence).
    pub fn single(&self, key: Chord) -> Option<KeyAction> {
        self.bindings
            .iter()
            .find(|(_, seqs)| seqs.iter().any(|s| s.len() == 1 && s[0] == key))
            .map(|(a, _)| *a)
    }

    /// True when this key alone is bound to `action`.
    pub fn is(&self, action: KeyAction, key: Chord) -> bool {
        self.seqs(action)
            .iter()
            .any(|s| s.len() == 1 && s[0] == key)
    }

    /// The action's keys as the help writes them (`Ctrl+N, Ctrl+X N`); empty when unbound.
    pub fn display(&self, action: KeyAction) -> String {
        let shown: Vec<String> = self
            .seqs(action)
            .iter()
            .map(|s| s.iter().map(Chord::display).collect::<Vec<_>>().join(" "))
            .collect();
        shown.join(", ")
    }

    /// `text` with each `{name}` of an action replaced by its keys (`none` when unbound).
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let named = after
                .find('}')
                .and_then(|j| names::lookup(&after[..j]).map(|n| (j, n)));
            match named {
                Some((j, n)) => {
                    let keys = self.display(n.action);
                    out.push_str(if keys.is_empty() { "none" } else { &keys });
                    rest = &after[j + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// True when `text` names actions (`{name}`) and every one of them is unbound: the
    /// help leaves such a line out.
    pub fn all_unbound(&self, text: &str) -> bool {
        let named: Vec<KeyAction> = text
            .split('{')
            .skip(1)
            .filter_map(|t| names::lookup(t.split('}').next()?))
            .map(|n| n.action)
            .collect();
        !named.is_empty() && named.iter().all(|a| self.seqs(*a).is_empty())
    }

    /// The note shown after the leader: each `<leader>` key and what it does.
    pub fn leader_note(&self, typed: &[Chord]) -> String {
        let mut parts = Vec::new();
        for (a, seqs) in &self.bindings {
            for s in seqs {
                if s.len() == typed.len() + 1 && s[..typed.len()] == typed[..] {
                    parts.push(format!(
                        "{}: {}",
                        s[typed.len()].display(),
                        names::of(*a).label
                    ));
                }
            }
        }
        let typed: Vec<String> = typed.iter().map(Chord::display).collect();
        format!("{} … {}", typed.join(" "), parts.join(" · "))
    }
}

/// The chord sequences of a parsed binding, `<leader>` replaced by each leader chord.
fn expand(steps: &[Step], leader: &[Chord]) -> Vec<Vec<Chord>> {
    let mut out: Vec<Vec<Chord>> = vec![Vec::new()];
    for s in steps {
        out = match s {
            Step::Key(c) => out
                .into_iter()
                .map(|mut v| {
                    v.push(*c);
                    v
                })
                .collect(),
            Step::Leader => out
                .iter()
                .flat_map(|v| {
                    leader.iter().map(move |l| {
                        let mut v = v.clone();
                        v.push(*l);
                        v
                    })
                })
                .collect(),
        };
    }
    out.retain(|v| !v.is_empty());
    out
}

/// The one warning about tui.json: names and keys we do not use, bindings we cannot read,
/// files or values that were wrong.
fn warning(cfg: &TuiConfig, unsupported: &[String], unreadable: &[String]) -> Option<String> {
    let mut parts = Vec::new();
    if !unsupported.is_empty() {
        parts.push(format!(
            "keybinds ocw-tui does not have: {}",
            unsupported.join(", ")
        ));
    }
    if !cfg.unused_keys.is_empty() {
        parts.push(format!("settings not used: {}", cfg.unused_keys.join(", ")));
    }
    parts.extend(unreadable.iter().map(|u| format!("keybinds {u}")));
    parts.extend(cfg.problems.iter().cloned());
    (!parts.is_empty()).then(|| format!("tui.json: {} (ignored)", parts.join("; ")))
}

#[cfg(test)]
mod tests;
