//! Approval modes in the TUI (model/approval.rs says what each allows): the mode chosen
//! at start (`--auto`, `--approvals`) holds for every session this TUI shows (and its
//! subagents; a session of another client on the same server still asks); one switched with
//! `<leader>a` or `/approvals` holds for the session tree it was switched in (its
//! subagents included) and ends when another session is shown; it is never saved. A
//! request a mode covers is answered `once` through the person's own path (marked answered
//! so it is answered at most once, never one already resolved), without a dialog, and
//! leaves its line in the transcript; questions always ask.

use crate::model::always::root_session;
use crate::model::approval::{auto_allows, auto_line, auto_record, ApprovalMode};
use crate::model::event::PermissionRequest;
use crate::model::Event;
use crate::ui::action::Action;
use crate::ui::app::App;

/// The modes in force: the one of the command line (for the trees of `shown`), and the one
/// switched in the TUI for a session tree (`None` root: switched before any session was
/// shown; the first shown takes it).
#[derive(Debug, Clone, Default)]
pub struct Approvals {
    switched: Option<(ApprovalMode, Option<String>)>,
    /// The top sessions of every session shown so far.
    shown: Vec<String>,
}

impl App {
    /// The mode for requests of session `sid`.
    pub fn approval_mode_for(&self, sid: Option<&str>) -> ApprovalMode {
        match (&self.approvals.switched, sid) {
            (Some((m, None)), _) => *m,
            (Some((m, Some(root))), Some(sid)) if self.store.is_in_tree(sid, root) => *m,
            // A session the store does not know yet (shown before its info came).
            (Some((m, Some(root))), Some(sid)) if sid == root => *m,
            (_, Some(sid))
                if self
                    .approvals
                    .shown
                    .iter()
                    .any(|r| r == sid || self.store.is_in_tree(sid, r)) =>
            {
                self.opts.approvals
            }
            // Before any session is shown: what the status bar says.
            (_, None) => self.opts.approvals,
            _ => ApprovalMode::Ask,
        }
    }

    /// The mode of the shown session (the status bar shows it when it is not ask).
    pub fn approval_mode(&self) -> ApprovalMode {
        self.approval_mode_for(self.session_id())
    }

    /// The status bar's mark of the shown session's mode: `approvals: auto`; none for ask.
    pub fn approvals_label(&self) -> Option<&'static str> {
        match self.approval_mode() {
            ApprovalMode::Ask => None,
            ApprovalMode::Edits => Some("approvals: accept edits"),
            ApprovalMode::Auto => Some("approvals: auto"),
        }
    }

    /// `<leader>a`: ask → accept edits → auto → ask, for this session.
    pub(crate) fn cycle_approvals(&mut self) -> Vec<Action> {
        let next = self.approval_mode().next();
        self.switch_approvals(next)
    }

    /// `/approvals [ask|edits|auto]`: that mode, or the next one without a word.
    pub(crate) fn approvals_command(&mut self, args: &str) -> Vec<Action> {
        if args.trim().is_empty() {
            return self.cycle_approvals();
        }
        match ApprovalMode::parse(args) {
            Some(m) => self.switch_approvals(m),
            None => {
                self.note(
                    format!(
                        "unknown approval mode `{}`: ask, edits or auto",
                        crate::safe_text::one_line(args.trim())
                    ),
                    true,
                );
                Vec::new()
            }
        }
    }

    fn switch_approvals(&mut self, mode: ApprovalMode) -> Vec<Action> {
        let root = self.session_id().map(|s| root_session(&self.store, s));
        self.approvals.switched = Some((mode, root));
        self.note(
            format!(
                "approvals: {} ({}; until this session ends)",
                mode.words(),
                mode.meaning()
            ),
            false,
        );
        // What waits now and the mode covers is answered at once.
        self.apply_approvals()
    }

    /// Session `id` is shown: a mode switched in another session tree ends.
    pub(crate) fn approvals_shown(&mut self, id: &str) {
        let top = root_session(&self.store, id);
        if !self.approvals.shown.contains(&top) {
            self.approvals.shown.push(top);
        }
        let Some((mode, root)) = self.approvals.switched.clone() else {
            return;
        };
        match root {
            None => self.approvals.switched = Some((mode, Some(root_session(&self.store, id)))),
            Some(r) if r == id || self.store.is_in_tree(id, &r) => {}
            Some(_) => {
                self.approvals.switched = None;
                if mode != self.opts.approvals {
                    self.note(
                        format!(
                            "approvals: {} again (the mode switched in the other session ended with it)",
                            self.opts.approvals.words()
                        ),
                        false,
                    );
                }
            }
        }
    }

    /// After an event that may bring a request or place one in a tree.
    pub(crate) fn approvals_after_event(&mut self, ev: &Event) -> Vec<Action> {
        if self.approvals.switched.is_none() && self.opts.approvals == ApprovalMode::Ask {
            return Vec::new();
        }
        if !matches!(
            ev,
            Event::PermissionAsked(_) | Event::SessionCreated(_) | Event::SessionUpdated(_)
        ) {
            return Vec::new();
        }
        self.apply_approvals()
    }

    /// Answers every pending permission request a mode covers, each at most once.
    fn apply_approvals(&mut self) -> Vec<Action> {
        let Some(project) = self.opts.project_dir.clone() else {
            // No project known (tests, replay): only auto can decide.
            return self.apply_with(|m, _| m == ApprovalMode::Auto);
        };
        self.apply_with(|m, req| auto_allows(m, req, &project))
    }

    fn apply_with(
        &mut self,
        allows: impl Fn(ApprovalMode, &PermissionRequest) -> bool,
    ) -> Vec<Action> {
        let mut covered = Vec::new();
        for s in self.store.sessions() {
            for p in s.pending_permissions() {
                if self.dialogs.is_answered(&p.request.id) {
                    continue;
                }
                let mode = self.approval_mode_for(Some(&s.id));
                if allows(mode, &p.request) {
                    covered.push((p.request.clone(), mode));
                }
            }
        }
        let project = self.opts.project_dir.clone().unwrap_or_default();
        let mut out = Vec::new();
        for (req, mode) in covered {
            self.dialogs.answered(&req.id);
            self.withdraw_asking(&req.permission);
            let line = auto_line(&req, &project);
            self.note(crate::safe_text::one_line(&line).into_owned(), false);
            out.push(Action::AutoAllow {
                request_id: req.id.clone(),
                record: auto_record(&req, mode, &line),
            });
        }
        out
    }
}
