//! Answering permission and question requests through handlers (async callbacks, like
//! py-opencode-wrapper's `on_permission` / `on_question`): the TUI answers with dialogs,
//! headless mode with a policy. The [`Responder`] asks the handler once per request raised
//! anywhere in our session tree (subagents at any depth included), and sends the answer only
//! if the request is still pending: one resolved elsewhere (its `permission.replied` came
//! first) is not answered again, and a refusal because it is gone is a note, not an error.

use super::client::{Client, PermissionReply};
use crate::cli::{PermissionPolicy, QuestionPolicy};
use crate::model::event::{PermissionRequest, QuestionRequest};
use crate::model::Store;
use futures_util::future::BoxFuture;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedSender;

/// A permission request, with the subagent session that raised it (None for the root).
#[derive(Debug, Clone)]
pub struct PermissionAsk {
    pub request: PermissionRequest,
    pub subagent: Option<String>,
}

/// A question request, with the subagent session that raised it (None for the root).
#[derive(Debug, Clone)]
pub struct QuestionAsk {
    pub request: QuestionRequest,
    pub subagent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PermissionDecision {
    pub reply: PermissionReply,
    /// With `Reject`: what the agent should do instead.
    pub message: Option<String>,
}

/// Decides permission requests.
pub trait PermissionHandler: Send + Sync + 'static {
    fn decide(&self, ask: PermissionAsk) -> BoxFuture<'static, PermissionDecision>;
}

/// Answers questions: one list of chosen labels per question, or `None` to reject.
pub trait QuestionHandler: Send + Sync + 'static {
    fn answer(&self, ask: QuestionAsk) -> BoxFuture<'static, Option<Vec<Vec<String>>>>;
}

impl PermissionHandler for PermissionPolicy {
    fn decide(&self, _ask: PermissionAsk) -> BoxFuture<'static, PermissionDecision> {
        let reply = match self {
            PermissionPolicy::Once => PermissionReply::Once,
            PermissionPolicy::Always => PermissionReply::Always,
            PermissionPolicy::Reject => PermissionReply::Reject,
        };
        Box::pin(async move {
            PermissionDecision {
                reply,
                message: None,
            }
        })
    }
}

impl QuestionHandler for QuestionPolicy {
    fn answer(&self, ask: QuestionAsk) -> BoxFuture<'static, Option<Vec<Vec<String>>>> {
        let answers = match self {
            QuestionPolicy::Reject => None,
            QuestionPolicy::First => Some(
                ask.request
                    .questions
                    .iter()
                    .map(|q| q.options.iter().take(1).map(|o| o.label.clone()).collect())
                    .collect(),
            ),
        };
        Box::pin(async move { answers })
    }
}

/// A decision coming back from a handler, to be delivered by [`Responder::deliver`].
#[derive(Debug, Clone)]
pub enum Decision {
    Permission {
        id: String,
        decision: PermissionDecision,
    },
    Question {
        id: String,
        answers: Option<Vec<Vec<String>>>,
    },
}

/// What happened to one delivery.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Sent,
    /// Already resolved (by the server, another client, or a sibling "always"/"reject").
    AlreadyResolved,
    /// The server refused the reply; the turn goes on.
    Refused(String),
}

pub struct Responder {
    root: String,
    permissions: Arc<dyn PermissionHandler>,
    questions: Arc<dyn QuestionHandler>,
    asked: HashSet<String>,
    tx: UnboundedSender<Decision>,
}

impl Responder {
    pub fn new(
        root: &str,
        permissions: Arc<dyn PermissionHandler>,
        questions: Arc<dyn QuestionHandler>,
        tx: UnboundedSender<Decision>,
    ) -> Responder {
        Responder {
            root: root.to_string(),
            permissions,
            questions,
            asked: HashSet::new(),
            tx,
        }
    }

    /// Sessions that raised a request but whose place in the tree we do not know yet
    /// (no `session.created` seen): the caller fetches them, applies them, and scans again.
    pub fn unknown_sessions(&self, store: &Store) -> Vec<String> {
        let mut out = Vec::new();
        for s in store.sessions() {
            let has_pending =
                s.pending_permissions().next().is_some() || s.pending_questions().next().is_some();
            if has_pending && s.id != self.root && s.parent_id.is_none() && !out.contains(&s.id) {
                out.push(s.id.clone());
            }
        }
        out
    }

    /// Hands every pending request of our tree that no handler has seen yet to its handler.
    pub fn scan(&mut self, store: &Store) {
        for s in store.sessions() {
            if !store.is_in_tree(&s.id, &self.root) {
                continue;
            }
            let subagent = (s.id != self.root).then(|| {
                s.title
                    .clone()
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| s.id.clone())
            });
            for p in s.pending_permissions() {
                if self.asked.insert(p.request.id.clone()) {
                    let ask = PermissionAsk {
                        request: p.request.clone(),
                        subagent: subagent.clone(),
                    };
                    let handler = self.permissions.clone();
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let id = ask.request.id.clone();
                        let decision = handler.decide(ask).await;
                        let _ = tx.send(Decision::Permission { id, decision });
                    });
                }
            }
            for q in s.pending_questions() {
                if self.asked.insert(q.request.id.clone()) {
                    let ask = QuestionAsk {
                        request: q.request.clone(),
                        subagent: subagent.clone(),
                    };
                    let handler = self.questions.clone();
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let id = ask.request.id.clone();
                        let answers = handler.answer(ask).await;
                        let _ = tx.send(Decision::Question { id, answers });
                    });
                }
            }
        }
    }

    /// Sends a decision unless the store shows the request already resolved.
    pub async fn deliver(client: &Client, store: &Store, decision: &Decision) -> Delivery {
        let result = match decision {
            Decision::Permission { id, decision } => {
                if !permission_pending(store, id) {
                    return Delivery::AlreadyResolved;
                }
                client
                    .reply_permission(id, decision.reply, decision.message.as_deref())
                    .await
            }
            Decision::Question { id, answers } => {
                if !question_pending(store, id) {
                    return Delivery::AlreadyResolved;
                }
                match answers {
                    Some(a) => client.reply_question(id, a).await,
                    None => client.reject_question(id).await,
                }
            }
        };
        match result {
            Ok(()) => Delivery::Sent,
            Err(e) if e.is_not_found() => Delivery::AlreadyResolved,
            Err(e) => Delivery::Refused(e.to_string()),
        }
    }
}

/// True while the permission request is known and unanswered.
pub fn permission_pending(store: &Store, id: &str) -> bool {
    store
        .sessions()
        .iter()
        .flat_map(|s| s.permissions.iter())
        .any(|p| p.request.id == id && p.reply.is_none())
}

/// True while the question request is known and unanswered.
pub fn question_pending(store: &Store, id: &str) -> bool {
    store
        .sessions()
        .iter()
        .flat_map(|s| s.questions.iter())
        .any(|q| q.request.id == id && q.is_pending())
}
