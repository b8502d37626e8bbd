//! Client-side "always" rules: what `a` on a permission dialog allows (one permission, its
//! patterns, the agent that asked, the session tree it asked in), which later requests such a
//! rule covers (opencode's wildcard matching), and the words that say so.
//!
//! opencode 1.18.33 keeps a server-side "always" for the whole session, every agent included
//! (after `always` on a build-agent `edit *`, the plan agent wrote files unasked), so ocw-tui
//! answers the server `once` and keeps the rule here, scoped to the agent that asked.

use crate::model::event::PermissionRequest;
use crate::model::state::Store;

/// One "always" the person chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlwaysRule {
    pub permission: String,
    /// The request's `always` patterns (`*`, `git status *`).
    pub patterns: Vec<String>,
    /// The agent that asked (`build`); only its requests are covered.
    pub agent: String,
    /// The top-level session of the tree the request came from; only requests of that
    /// session and its subagents (child sessions) are covered.
    pub root: String,
}

impl AlwaysRule {
    /// The rule for `req`, when the asking agent is known (else no rule can be scoped).
    pub fn for_request(store: &Store, req: &PermissionRequest) -> Option<AlwaysRule> {
        if req.always.is_empty() {
            return None;
        }
        Some(AlwaysRule {
            permission: req.permission.clone(),
            patterns: req.always.clone(),
            agent: asking_agent(store, req)?,
            root: root_session(store, &req.session_id),
        })
    }

    /// True when this rule answers `req`: same permission, same agent, same session tree,
    /// and every pattern of the request matched by one of the rule's patterns.
    pub fn covers(&self, store: &Store, req: &PermissionRequest) -> bool {
        req.permission == self.permission
            && !req.patterns.is_empty()
            && store.is_in_tree(&req.session_id, &self.root)
            && asking_agent(store, req).as_deref() == Some(self.agent.as_str())
            && req
                .patterns
                .iter()
                .all(|p| self.patterns.iter().any(|r| wildcard_match(p, r)))
    }

    /// "any file edit, by the build agent only, in this session and its subagents".
    pub fn describe(&self) -> String {
        format!(
            "{}, by the {} agent only, in this session and its subagents",
            scope_words(&self.permission, &self.patterns),
            self.agent
        )
    }
}

/// The rules chosen so far (they last until ocw-tui quits).
#[derive(Debug, Clone, Default)]
pub struct AlwaysRules {
    rules: Vec<AlwaysRule>,
}

impl AlwaysRules {
    pub fn add(&mut self, rule: AlwaysRule) {
        if !self.rules.contains(&rule) {
            self.rules.push(rule);
        }
    }

    /// The first rule that covers `req`.
    pub fn covering(&self, store: &Store, req: &PermissionRequest) -> Option<&AlwaysRule> {
        self.rules.iter().find(|r| r.covers(store, req))
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The agent that asked: the agent of the assistant message whose tool call asks
/// (`tool.messageID`), else of the session's last assistant message.
pub fn asking_agent(store: &Store, req: &PermissionRequest) -> Option<String> {
    let s = store.session(&req.session_id)?;
    let by_tool = req
        .tool
        .as_ref()
        .and_then(|t| s.message(&t.message_id))
        .and_then(|m| m.agent.clone());
    by_tool
        .or_else(|| {
            s.assistant_messages()
                .next_back()
                .and_then(|m| m.agent.clone())
        })
        .filter(|a| !a.is_empty())
}

/// The top-level session of `sid`'s tree (itself when it has no known parent).
pub fn root_session(store: &Store, sid: &str) -> String {
    let mut cur = sid.to_string();
    for _ in 0..64 {
        match store.session(&cur).and_then(|s| s.parent_id.clone()) {
            Some(p) => cur = p,
            None => break,
        }
    }
    cur
}

/// opencode's wildcard match (`util/wildcard.ts`): `*` is any run of characters (`/`
/// included), `?` one character, and a pattern ending in ` *` also matches without that
/// tail (`git status *` matches `git status`).
pub fn wildcard_match(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    if glob(&t, &p) {
        return true;
    }
    match pattern.strip_suffix(" *") {
        Some(head) => glob(&t, &head.chars().collect::<Vec<_>>()),
        None => false,
    }
}

/// Iterative glob with one backtrack point (linear-ish, no recursion).
fn glob(t: &[char], p: &[char]) -> bool {
    let (mut ti, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && p[pi] == t[ti])) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// What a permission with these patterns allows, in words: "any file edit", "commands
/// starting with `git status`", "reading files under src/".
pub fn scope_words(permission: &str, patterns: &[String]) -> String {
    let one = |p: &str| -> String {
        let all = p == "*";
        let prefix = p
            .strip_suffix(" *")
            .filter(|h| !h.contains(['*', '?']))
            .map(str::to_string);
        let under = p
            .strip_suffix('*')
            .filter(|h| h.ends_with('/') && !h.contains(['*', '?']))
            .map(str::to_string);
        match permission {
            "edit" if all => "any file edit".into(),
            "edit" => match under {
                Some(d) => format!("edits of files under {d}"),
                None => format!("edits of files matching `{p}`"),
            },
            "bash" if all => "any command".into(),
            "bash" => match prefix {
                Some(h) => format!("commands starting with `{h}`"),
                None => format!("commands matching `{p}`"),
            },
            "read" if all => "reading any file".into(),
            "read" => match under {
                Some(d) => format!("reading files under {d}"),
                None => format!("reading files matching `{p}`"),
            },
            "external_directory" if all => "access to any folder outside the project".into(),
            "external_directory" => match under {
                Some(d) => format!("access to files under {d} (outside the project)"),
                None => format!("access outside the project to `{p}`"),
            },
            "webfetch" if all => "fetching any web address".into(),
            _ if all => format!("any `{permission}` request"),
            _ => format!("`{permission}` requests matching `{p}`"),
        }
    };
    let parts: Vec<String> = patterns.iter().map(|p| one(p)).collect();
    match parts.as_slice() {
        [] => format!("`{permission}` requests"),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What `a` on `req` would allow, in words, for the dialog's "always" line: "any file edit,
/// by the build agent only, in this session and its subagents (until you quit)".
pub fn offer_words(store: &Store, req: &PermissionRequest) -> String {
    match AlwaysRule::for_request(store, req) {
        Some(rule) => format!("{} (until you quit)", rule.describe()),
        None => "this request only (the agent that asked is not known, so no rule is kept)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_follows_opencode() {
        assert!(wildcard_match("home/dev/p/notes.txt", "*"));
        assert!(wildcard_match("git status", "git status *"));
        assert!(wildcard_match("git status --short", "git status *"));
        assert!(!wildcard_match("git statusx", "git status *"));
        assert!(!wildcard_match("git push", "git status *"));
        assert!(wildcard_match("src/a/b.rs", "src/*"));
        assert!(!wildcard_match("tests/a.rs", "src/*"));
        assert!(wildcard_match("ab", "a?"));
        assert!(!wildcard_match("abc", "a?"));
    }

    #[test]
    fn scope_in_words() {
        let w = |perm: &str, p: &[&str]| {
            scope_words(perm, &p.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(w("edit", &["*"]), "any file edit");
        assert_eq!(
            w("bash", &["git status *"]),
            "commands starting with `git status`"
        );
        assert_eq!(w("read", &["src/*"]), "reading files under src/");
        assert_eq!(
            w("bash", &["ls *", "pwd *"]),
            "commands starting with `ls` and commands starting with `pwd`"
        );
        assert_eq!(w("todo", &["*"]), "any `todo` request");
    }
}
