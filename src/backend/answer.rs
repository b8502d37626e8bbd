//! Answering permission and question requests by policy (headless `run`; the TUI answers
//! with dialogs instead). The policies are plain functions. The [`Responder`] decides once
//! per request raised anywhere in our session tree (subagents at any depth included), and
//! sends the answer only if the request is still pending: one resolved elsewhere (its
//! `permission.replied` came first) is not answered again, and a refusal because it is gone
//! is a note, not an error. An approval mode (`--auto`, `--approvals`) comes before the
//! permission policy: what it allows is answered `once` with its transcript line.

use super::client::Client;
use crate::model::approval::{auto_allows, auto_line, auto_record, ApprovalMode};
use crate::model::event::QuestionRequest;
use crate::model::PermissionReply;
use crate::model::Store;
use std::collections::HashSet;

/// How `run` answers permission requests (`--on-permission`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PermissionPolicy {
    Once,
    Always,
    Reject,
}

/// How `run` answers questions (`--on-question`): the first option of each, or reject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuestionPolicy {
    First,
    Reject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PermissionDecision {
    pub reply: PermissionReply,
    /// With `Reject`: what the agent should do instead.
    pub message: Option<String>,
    /// Given by an approval mode: its line ("auto-allowed: bash ls") and its log record.
    pub auto: Option<(String, String)>,
}

/// The answer `policy` gives to any permission request.
pub fn permission_answer(policy: PermissionPolicy) -> PermissionDecision {
    let reply = match policy {
        PermissionPolicy::Once => PermissionReply::Once,
        PermissionPolicy::Always => PermissionReply::Always,
        PermissionPolicy::Reject => PermissionReply::Reject,
    };
    PermissionDecision {
        reply,
        message: None,
        auto: None,
    }
}

/// The answer to `request`: `once` when `mode` allows it, else what `policy` says.
pub fn permission_answer_in(
    mode: ApprovalMode,
    project: &std::path::Path,
    policy: PermissionPolicy,
    request: &crate::model::event::PermissionRequest,
) -> PermissionDecision {
    if auto_allows(mode, request, project) {
        let line = auto_line(request, project);
        let record = auto_record(request, mode, &line);
        return PermissionDecision {
            reply: PermissionReply::Once,
            message: None,
            auto: Some((line, record)),
        };
    }
    permission_answer(policy)
}

/// The answer `policy` gives to `request`: one list of labels per question, or `None` to
/// reject.
pub fn question_answer(
    policy: QuestionPolicy,
    request: &QuestionRequest,
) -> Option<Vec<Vec<String>>> {
    match policy {
        QuestionPolicy::Reject => None,
        QuestionPolicy::First => Some(
            request
                .questions
                .iter()
                .map(|q| q.options.iter().take(1).map(|o| o.label.clone()).collect())
                .collect(),
        ),
    }
}

/// A decision of a policy, to be delivered by [`Responder::deliver`].
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

impl Decision {
    /// An approval mode's answer: its line and its log record.
    pub fn auto(&self) -> Option<&(String, String)> {
        match self {
            Decision::Permission { decision, .. } => decision.auto.as_ref(),
            Decision::Question { .. } => None,
        }
    }
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
    approvals: ApprovalMode,
    project: std::path::PathBuf,
    permissions: PermissionPolicy,
    questions: QuestionPolicy,
    asked: HashSet<String>,
}

impl Responder {
    pub fn new(root: &str, permissions: PermissionPolicy, questions: QuestionPolicy) -> Responder {
        Responder {
            root: root.to_string(),
            approvals: ApprovalMode::Ask,
            project: std::path::PathBuf::new(),
            permissions,
            questions,
            asked: HashSet::new(),
        }
    }

    /// Answers first by `mode` (edits judged against `project`), then by the policies.
    pub fn with_approvals(mut self, mode: ApprovalMode, project: &std::path::Path) -> Responder {
        self.approvals = mode;
        self.project = project.to_path_buf();
        self
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

    /// The decisions for every pending request of our tree not decided before.
    pub fn scan(&mut self, store: &Store) -> Vec<Decision> {
        let mut out = Vec::new();
        for s in store.sessions() {
            if !store.is_in_tree(&s.id, &self.root) {
                continue;
            }
            for p in s.pending_permissions() {
                if self.asked.insert(p.request.id.clone()) {
                    out.push(Decision::Permission {
                        id: p.request.id.clone(),
                        decision: permission_answer_in(
                            self.approvals,
                            &self.project,
                            self.permissions,
                            &p.request,
                        ),
                    });
                }
            }
            for q in s.pending_questions() {
                if self.asked.insert(q.request.id.clone()) {
                    out.push(Decision::Question {
                        id: q.request.id.clone(),
                        answers: question_answer(self.questions, &q.request),
                    });
                }
            }
        }
        out
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
