//! The dialogs' state: per session, the queue of pending permission / question requests
//! (arrival order) with each one's dialog state; the requests we answered (never answered
//! twice); the offer above them (save a rule, build a plan); and in replay the request just resolved, shown with its
//! recorded answer until the next event. App code asks it, never the maps inside.

use crate::model::state::Store;
use crate::ui::app::Request;
use crate::ui::overlay::build_plan::BuildPlanOffer;
use crate::ui::overlay::permission::PermissionDialog;
use crate::ui::overlay::question::QuestionDialog;
use crate::ui::overlay::save_rule::SaveRuleOffer;
use crate::ui::overlay::stack::Overlay;
use std::collections::{HashMap, HashSet};

/// An offer that sits above every request (one at a time): save an "always" rule, or
/// build the plan the plan agent just made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Offer {
    SaveRule(SaveRuleOffer),
    BuildPlan(BuildPlanOffer),
}

impl Offer {
    /// The offer as a layer of the stack (its keys).
    pub(crate) fn overlay_mut(&mut self) -> &mut dyn Overlay {
        match self {
            Offer::SaveRule(o) => o,
            Offer::BuildPlan(o) => o,
        }
    }
}

/// The view state of one request's dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum DialogState {
    Permission(PermissionDialog),
    Question(QuestionDialog),
}

impl DialogState {
    /// What its last frame drew (its scroll room).
    pub(crate) fn view(&self) -> &super::dialog_view::DialogView {
        match self {
            DialogState::Permission(d) => &d.view,
            DialogState::Question(d) => &d.view,
        }
    }

    /// The dialog as a layer of the stack (its keys and pastes).
    pub(crate) fn overlay_mut(&mut self) -> &mut dyn Overlay {
        match self {
            DialogState::Permission(d) => d,
            DialogState::Question(d) => d,
        }
    }

    /// True while its own text field (reject message, "Other" answer) has the keys.
    pub fn typing(&self) -> bool {
        match self {
            DialogState::Permission(d) => d.message.is_some(),
            DialogState::Question(d) => d.answers.get(d.tab).is_some_and(|a| a.editing),
        }
    }
}

/// A request waiting for its answer; `state` is `None` once answered (or while its dialog
/// has the keys: taken out to hand it the app).
#[derive(Debug)]
struct Pending {
    /// Arrival number (orders requests across sessions).
    seq: u64,
    request: Request,
    state: Option<DialogState>,
}

/// Every pending request of every session, and what was answered.
#[derive(Debug, Default)]
pub struct Dialogs {
    /// Per session, its pending requests in arrival order (answered ones stay until the
    /// server says they are resolved, hidden by `answered`).
    queues: HashMap<String, Vec<Pending>>,
    next_seq: u64,
    /// Requests we replied to (never answered twice).
    answered: HashSet<String>,
    offer: Option<Offer>,
    /// The shown session's top-level session: only requests of its tree are shown (a
    /// background session's wait on their tab); `None`: every request.
    scope: Option<String>,
    /// The focus rule's verdict for the key being handled: the dialog's answer keys work
    /// (set by stack.rs right before it hands the dialog a key).
    armed: bool,
}

impl Dialogs {
    /// A request came: queued (after every earlier one) with a fresh dialog, unless it is
    /// already queued. True when it is new.
    pub fn arrived(&mut self, request: Request, state: DialogState) -> bool {
        let queue = self
            .queues
            .entry(request.session_id().to_string())
            .or_default();
        if queue.iter().any(|p| p.request == request) {
            return false;
        }
        queue.push(Pending {
            seq: self.next_seq,
            request,
            state: Some(state),
        });
        self.next_seq += 1;
        true
    }

    /// The server says the request is resolved (by us or elsewhere): it leaves its queue.
    pub fn resolved(&mut self, id: &str) {
        for (sid, queue) in self.queues.iter_mut() {
            if let Some(i) = queue.iter().position(|p| p.request.id() == id) {
                queue.remove(i);
                if queue.is_empty() {
                    let sid = sid.clone();
                    self.queues.remove(&sid);
                }
                return;
            }
        }
    }

    /// We replied to `id`: it is never answered again and its dialog closes.
    pub fn answered(&mut self, id: &str) {
        self.answered.insert(id.to_string());
        if let Some(p) = self.pending_mut(id) {
            p.state = None;
        }
    }

    /// True once we replied to `id`.
    pub fn is_answered(&self, id: &str) -> bool {
        self.answered.contains(id)
    }

    fn still_pending(&self, r: &Request, store: &Store) -> bool {
        if self.answered.contains(r.id()) {
            return false;
        }
        let Some(s) = store.session(r.session_id()) else {
            return false;
        };
        if let Some(root) = &self.scope {
            if !store.is_in_tree(r.session_id(), root) {
                return false;
            }
        }
        match r {
            Request::Permission { id, .. } => s.pending_permissions().any(|p| &p.request.id == id),
            Request::Question { id, .. } => s.pending_questions().any(|q| &q.request.id == id),
        }
    }

    /// Requests whose dialog is to be shown, in arrival order.
    pub fn active_requests<'a>(&'a self, store: &Store) -> Vec<&'a Request> {
        let mut pending: Vec<&Pending> = self
            .queues
            .values()
            .flatten()
            .filter(|p| self.still_pending(&p.request, store))
            .collect();
        pending.sort_by_key(|p| p.seq);
        pending.into_iter().map(|p| &p.request).collect()
    }

    /// The request whose dialog receives keys, if any.
    pub fn active<'a>(&'a self, store: &Store) -> Option<&'a Request> {
        self.active_requests(store).into_iter().next()
    }

    fn pending(&self, id: &str) -> Option<&Pending> {
        self.queues
            .values()
            .flatten()
            .find(|p| p.request.id() == id)
    }

    fn pending_mut(&mut self, id: &str) -> Option<&mut Pending> {
        self.queues
            .values_mut()
            .flatten()
            .find(|p| p.request.id() == id)
    }

    /// The dialog state of request `id` (`None` once answered).
    pub fn state(&self, id: &str) -> Option<&DialogState> {
        self.pending(id)?.state.as_ref()
    }

    /// Takes the dialog state of `r` out (to hand its overlay the app), a fresh one when it
    /// has none; `put_back` returns it.
    pub(crate) fn take_state(&mut self, r: &Request, store: &Store) -> Option<DialogState> {
        if let Some(st) = self.pending_mut(r.id()).and_then(|p| p.state.take()) {
            return Some(st);
        }
        match r {
            Request::Permission { id, .. } => {
                Some(DialogState::Permission(PermissionDialog::new(id)))
            }
            Request::Question { session_id, id } => store
                .session(session_id)?
                .questions
                .iter()
                .find(|q| &q.request.id == id)
                .map(|q| DialogState::Question(QuestionDialog::new(&q.request))),
        }
    }

    /// Returns a state taken out, unless the request was answered meanwhile.
    pub(crate) fn put_back(&mut self, id: &str, state: DialogState) {
        if self.answered.contains(id) {
            return;
        }
        if let Some(p) = self.pending_mut(id) {
            p.state = Some(state);
        }
    }

    /// True while the dialog on top has its text field focused.
    pub fn typing(&self, store: &Store) -> bool {
        self.active(store)
            .and_then(|r| self.state(r.id()))
            .is_some_and(DialogState::typing)
    }

    /// Shows only the requests of `root`'s session tree (`None`: all of them).
    pub(crate) fn set_scope(&mut self, root: Option<String>) {
        self.scope = root;
    }

    /// The offer up, if any (it sits above every request).
    pub fn offer(&self) -> Option<&Offer> {
        self.offer.as_ref()
    }

    /// The offer to save an "always" rule, when that is the one up.
    pub fn save_offer(&self) -> Option<&SaveRuleOffer> {
        match &self.offer {
            Some(Offer::SaveRule(o)) => Some(o),
            _ => None,
        }
    }

    pub fn offer_save(&mut self, offer: SaveRuleOffer) {
        self.offer = Some(Offer::SaveRule(offer));
    }

    /// Offers to build a plan, unless another offer is up (it waits for its answer).
    pub fn offer_build(&mut self, offer: BuildPlanOffer) {
        if self.offer.is_none() {
            self.offer = Some(Offer::BuildPlan(offer));
        }
    }

    /// Drops the build offer of `sid` (`None`: of any session).
    pub(crate) fn drop_build_offer(&mut self, sid: Option<&str>) {
        if let Some(Offer::BuildPlan(o)) = &self.offer {
            if sid.is_none_or(|s| s == o.session_id) {
                self.offer = None;
            }
        }
    }

    pub(crate) fn take_offer(&mut self) -> Option<Offer> {
        self.offer.take()
    }

    pub(crate) fn put_offer(&mut self, offer: Offer) {
        self.offer = Some(offer);
    }

    pub(crate) fn set_armed(&mut self, armed: bool) {
        self.armed = armed;
    }

    /// The focus rule's verdict for the key being handled: answer keys work.
    pub(crate) fn armed(&self) -> bool {
        self.armed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::event::PermissionRequest;
    use crate::model::Event;

    fn ask(store: &mut Store, d: &mut Dialogs, sid: &str, id: &str) -> bool {
        store.apply(&Event::PermissionAsked(PermissionRequest {
            id: id.into(),
            session_id: sid.into(),
            permission: "bash".into(),
            ..Default::default()
        }));
        let r = Request::Permission {
            session_id: sid.into(),
            id: id.into(),
        };
        d.arrived(r, DialogState::Permission(PermissionDialog::new(id)))
    }

    fn ids(d: &Dialogs, store: &Store) -> Vec<String> {
        d.active_requests(store)
            .iter()
            .map(|r| r.id().to_string())
            .collect()
    }

    #[test]
    fn requests_of_several_sessions_come_in_arrival_order_each_once() {
        let (mut store, mut d) = (Store::new(), Dialogs::default());
        assert!(ask(&mut store, &mut d, "ses_a", "per_a1"));
        assert!(ask(&mut store, &mut d, "ses_b", "per_b1"));
        assert!(ask(&mut store, &mut d, "ses_a", "per_a2"));
        // A reconnect replays a pending request: it is not queued twice.
        assert!(!ask(&mut store, &mut d, "ses_a", "per_a1"));
        assert_eq!(ids(&d, &store), ["per_a1", "per_b1", "per_a2"]);
        assert_eq!(d.active(&store).map(|r| r.id()), Some("per_a1"));
    }

    #[test]
    fn an_answered_request_is_never_shown_or_given_its_dialog_back() {
        let (mut store, mut d) = (Store::new(), Dialogs::default());
        ask(&mut store, &mut d, "ses_a", "per_a1");
        ask(&mut store, &mut d, "ses_b", "per_b1");
        let r = d.active(&store).cloned().unwrap();
        let st = d.take_state(&r, &store).unwrap();
        d.answered("per_a1");
        d.put_back("per_a1", st);
        assert!(d.is_answered("per_a1"));
        assert!(d.state("per_a1").is_none());
        assert_eq!(ids(&d, &store), ["per_b1"]);
        // Seen again before the server says it is resolved: still answered.
        ask(&mut store, &mut d, "ses_a", "per_a1");
        assert_eq!(ids(&d, &store), ["per_b1"]);
        d.resolved("per_b1");
        assert!(d.active(&store).is_none());
    }
}
