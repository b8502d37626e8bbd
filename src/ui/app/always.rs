//! "Allow always" as ocw-tui answers it: the server gets `once` (its own "always" would reach
//! every agent of the session), the rule is kept here for the agent that asked and its
//! session tree (model/always.rs), and later requests it covers are answered `once` by the
//! client, each at most once, with a note saying which rule allowed what.

use crate::model::always::{asking_agent, AlwaysRule};
use crate::model::event::PermissionRequest;
use crate::model::{Event, PermissionReply};
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::SaveRuleOffer;

/// The note shown when a rule answered a request for the person.
pub fn allowed_note(rule: &AlwaysRule, req: &PermissionRequest) -> String {
    let what = req
        .metadata
        .get("command")
        .or_else(|| req.metadata.get("filepath"))
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| req.patterns.join(" "));
    let text = format!(
        "allowed by your 'always' rule ({}, {} agent): {} {}",
        crate::model::always::scope_words(&rule.permission, &rule.patterns),
        rule.agent,
        req.permission,
        what
    );
    crate::safe_text::one_line(&text).into_owned()
}

impl App {
    /// `a` on `req`: answers it `once`, keeps the rule (when the asking agent is known),
    /// offers to save it, and answers the other pending requests the rule covers.
    pub(crate) fn chose_always(
        &mut self,
        req: &PermissionRequest,
        message: Option<String>,
    ) -> Vec<Action> {
        let rule = AlwaysRule::for_request(&self.store, req);
        if !req.always.is_empty() {
            self.dialogs.offer_save(SaveRuleOffer {
                permission: req.permission.clone(),
                patterns: req.always.clone(),
                file: self
                    .opts
                    .rule_file
                    .clone()
                    .unwrap_or_else(|| "opencode.json".into()),
                agent: asking_agent(&self.store, req),
            });
        }
        let mut out = vec![Action::ReplyPermission {
            request_id: req.id.clone(),
            reply: PermissionReply::Once,
            message,
        }];
        match rule {
            Some(rule) => {
                // The save offer that opens now says what was allowed, for whom.
                self.always_rules.add(rule);
                out.extend(self.apply_always_rules());
            }
            None if !req.always.is_empty() => self.note(
                "allowed once: the agent that asked is not known, so no 'always' rule is kept",
                false,
            ),
            None => {}
        }
        out
    }

    /// After an event that may bring a request (or the agent of one): answers the pending
    /// requests a rule covers; never twice for one request.
    pub(crate) fn always_after_event(&mut self, ev: &Event) -> Vec<Action> {
        if self.always_rules.is_empty()
            || !matches!(ev, Event::PermissionAsked(_) | Event::MessageUpdated(_))
        {
            return Vec::new();
        }
        self.apply_always_rules()
    }

    fn apply_always_rules(&mut self) -> Vec<Action> {
        let mut covered = Vec::new();
        for s in self.store.sessions() {
            for p in s.pending_permissions() {
                if self.dialogs.is_answered(&p.request.id) {
                    continue;
                }
                if let Some(rule) = self.always_rules.covering(&self.store, &p.request) {
                    covered.push((p.request.clone(), allowed_note(rule, &p.request)));
                }
            }
        }
        let mut out = Vec::new();
        for (req, note) in covered {
            self.dialogs.answered(&req.id);
            self.withdraw_asking(&req.permission);
            self.note(note, false);
            out.push(Action::ReplyPermission {
                request_id: req.id,
                reply: PermissionReply::Once,
                message: None,
            });
        }
        out
    }
}
