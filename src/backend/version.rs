//! Which opencode we talk to: the `version` of `GET /global/health`, checked against the
//! range ocw-tui is tested with (too old: refuse at once; newer: warn once and carry on),
//! and the `--model` check against the server's provider list.

use serde_json::Value;

/// The oldest opencode release the test suite runs against (CI runs the headless scenarios
/// on it beside [`TESTED_UP_TO`]).
pub const MIN_VERSION: &str = "1.17.19";
/// The newest opencode release ocw-tui is tested with.
pub const TESTED_UP_TO: &str = "1.18.33";

/// `1.18.33` -> (1, 18, 33); a pre-release or build suffix (`1.2.3-beta.1`) is ignored.
pub fn parse(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next()?;
    let mut it = core.split('.').map(|n| n.parse::<u64>().ok());
    let v = (
        it.next()??,
        it.next().flatten().unwrap_or(0),
        it.next().flatten().unwrap_or(0),
    );
    Some(v)
}

/// How a server's version compares with the tested range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Compat {
    Tested,
    /// Refuse: the one-line reason.
    TooOld(String),
    /// Carry on after this one warning.
    Newer(String),
    /// The server did not say (or said something that is not a version): warn.
    Unknown(String),
}

/// Compares `version` (from `/global/health`) with [`MIN_VERSION`]..=[`TESTED_UP_TO`].
pub fn check(version: Option<&str>) -> Compat {
    let min = parse(MIN_VERSION).expect("valid");
    let max = parse(TESTED_UP_TO).expect("valid");
    let Some(shown) = version.filter(|v| !v.trim().is_empty()) else {
        return Compat::Unknown(format!(
            "opencode did not say its version; ocw-tui is tested with {MIN_VERSION} to {TESTED_UP_TO}"
        ));
    };
    match parse(shown) {
        None => Compat::Unknown(format!(
            "opencode says its version is {shown:?}; ocw-tui is tested with {MIN_VERSION} to {TESTED_UP_TO}"
        )),
        Some(v) if v < min => Compat::TooOld(too_old(shown)),
        Some(v) if v > max => Compat::Newer(format!(
            "opencode {shown} is newer than ocw-tui was tested with ({TESTED_UP_TO}); carrying on"
        )),
        Some(_) => Compat::Tested,
    }
}

/// The one line for a server below the minimum.
pub fn too_old(shown: &str) -> String {
    format!(
        "opencode {shown} is too old; ocw-tui needs ≥ {MIN_VERSION} (tested up to {TESTED_UP_TO})"
    )
}

/// The version in a `/global/health` answer (`{"healthy":true,"version":"1.18.33"}`).
pub fn version_of_health(health: &Value) -> Option<String> {
    health
        .get("version")
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// The warning for a `permission.*` event type ocw-tui does not read (None for the ones it
/// answers): the request it carries cannot be answered here, so the tool would wait forever.
pub fn unknown_permission_event(kind: &str) -> Option<String> {
    let known = ["permission.asked", "permission.replied"];
    (kind.starts_with("permission.") && !known.contains(&kind)).then(|| {
        format!(
            "opencode sent {kind}, which ocw-tui does not understand: a tool may be waiting for a \
             permission ocw-tui cannot answer; answer it in opencode itself, or use opencode \
             {MIN_VERSION} to {TESTED_UP_TO}"
        )
    })
}

/// Every `provider/model` the server offers, from `GET /config/providers`
/// (`{"providers":[{"id","models":{ID:{...}}}],"default":{...}}`).
pub fn model_ids(providers: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for p in providers["providers"].as_array().into_iter().flatten() {
        let Some(pid) = p["id"].as_str() else {
            continue;
        };
        for mid in p["models"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            ids.push(format!("{pid}/{mid}"));
        }
    }
    ids
}

/// None when `model` is one of `known`; else the one-line error, with close matches.
pub fn unknown_model(model: &str, known: &[String]) -> Option<String> {
    if known.iter().any(|k| k == model) {
        return None;
    }
    if !model.contains('/') {
        return Some(format!(
            "--model {model}: expected PROVIDER/MODEL{}",
            matches_hint(model, known)
        ));
    }
    Some(format!(
        "unknown model {model}: the server has no such provider/model{}",
        matches_hint(model, known)
    ))
}

fn matches_hint(model: &str, known: &[String]) -> String {
    let close = close_matches(model, known, 5);
    if !close.is_empty() {
        return format!("; close matches: {}", close.join(", "));
    }
    let mut providers: Vec<&str> = known
        .iter()
        .filter_map(|k| k.split_once('/').map(|(p, _)| p))
        .collect();
    providers.dedup();
    if providers.is_empty() {
        "; the server offers no model (configure a provider the usual opencode way)".to_string()
    } else {
        format!(
            "; its providers: {} (run `opencode models` to list every model)",
            providers.join(", ")
        )
    }
}

/// Up to `n` of `known` closest to `want` (edit distance, or one containing the other).
pub fn close_matches(want: &str, known: &[String], n: usize) -> Vec<String> {
    let w = want.to_lowercase();
    let w_model = w.split_once('/').map_or(w.as_str(), |(_, m)| m);
    let mut scored: Vec<(usize, &String)> = known
        .iter()
        .filter_map(|k| {
            let kl = k.to_lowercase();
            let k_model = kl.split_once('/').map_or(kl.as_str(), |(_, m)| m);
            let d = levenshtein(&w, &kl).min(levenshtein(w_model, k_model));
            let limit = (w.chars().count() / 3).max(2);
            let contains = !w_model.is_empty() && (kl.contains(w_model) || w.contains(k_model));
            (d <= limit || contains).then_some((d, k))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, k)| k.clone()).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn versions_compare_with_the_tested_range() {
        assert_eq!(check(Some("1.18.33")), Compat::Tested);
        assert_eq!(check(Some(MIN_VERSION)), Compat::Tested);
        assert_eq!(
            check(Some("1.3.2")),
            Compat::TooOld(
                "opencode 1.3.2 is too old; ocw-tui needs ≥ 1.17.19 (tested up to 1.18.33)".into()
            )
        );
        assert!(matches!(check(Some("1.18.34")), Compat::Newer(_)));
        assert!(matches!(check(Some("2.0.0-beta.1")), Compat::Newer(_)));
        assert!(matches!(check(None), Compat::Unknown(_)));
        assert!(matches!(check(Some("local")), Compat::Unknown(_)));
    }

    #[test]
    fn only_unknown_permission_events_are_reported() {
        assert_eq!(unknown_permission_event("permission.asked"), None);
        assert_eq!(unknown_permission_event("permission.replied"), None);
        assert_eq!(unknown_permission_event("message.updated"), None);
        let w = unknown_permission_event("permission.updated").unwrap();
        assert!(
            w.starts_with("opencode sent permission.updated, which ocw-tui does not understand"),
            "{w}"
        );
    }

    #[test]
    fn a_bad_model_lists_close_matches() {
        let providers = json!({"providers":[
            {"id":"mock","models":{"mock-model":{},"mock-large":{}}},
            {"id":"anthropic","models":{"claude-sonnet-4":{}}}]});
        let known = model_ids(&providers);
        assert_eq!(unknown_model("mock/mock-model", &known), None);
        let e = unknown_model("mock/mock-modle", &known).unwrap();
        assert!(e.starts_with("unknown model mock/mock-modle"), "{e}");
        assert!(e.contains("close matches: mock/mock-model"), "{e}");
        let e = unknown_model("nope/nothing", &known).unwrap();
        assert!(e.contains("its providers: mock, anthropic"), "{e}");
        let e = unknown_model("claude-sonnet-4", &known).unwrap();
        assert!(e.contains("expected PROVIDER/MODEL"), "{e}");
        assert!(e.contains("anthropic/claude-sonnet-4"), "{e}");
    }
}
