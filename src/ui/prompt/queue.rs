//! Prompts typed while their session works. One rule: a queued prompt is delivered
//! exactly once, or it is back in the input (said in a note), never both and never
//! neither. So the client keeps the queue itself (opencode 1.18.33 would queue a prompt
//! POSTed while busy server-side, and then an abort or a rejected permission keeps or drops
//! it out of our sight): Enter while busy only queues ([`App::queue_prompt`], shown as
//! "(queued)"), and when the session stops working ([`App::after_turn`]):
//! - the turn ended normally: the first queued prompt of that session is sent (the next
//!   one waits for the end of that turn);
//! - the turn was aborted, a permission of its tree was rejected, it failed, or the server
//!   died: every queued prompt of that session is put back into the input, and a note says
//!   why. A restart (F5) sends nothing by itself.
//!
//! Switching to another session leaves a queued prompt queued for its own session (a note
//! says so); it is sent when that session's turn ends, as above. `/undo` needs an idle
//! session, so it never meets a queued prompt.

use crate::model::state::Role;
use crate::ui::action::{Action, ConnectionState};
use crate::ui::app::{App, QueuedPrompt};

/// Why a turn ended without the next queued prompt being sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    Dead,
    Aborted,
    Rejected,
    Failed,
}

impl App {
    /// Enter while `session_id` works: `action` (the prompt or command) waits here.
    pub(crate) fn queue_prompt(
        &mut self,
        session_id: String,
        text: String,
        action: Action,
    ) -> Vec<Action> {
        self.prompt.queued.push(QueuedPrompt {
            session_id,
            text,
            action,
        });
        Vec::new()
    }

    /// A permission was answered: a reject stops the turn of its whole session tree.
    pub(crate) fn permission_replied(&mut self, session_id: &str, reply: &str) {
        if reply != "reject" {
            return;
        }
        let mut cur = Some(session_id.to_string());
        for _ in 0..64 {
            let Some(id) = cur else { break };
            cur = self.store.session(&id).and_then(|s| s.parent_id.clone());
            self.prompt.queue_rejected.insert(id);
        }
    }

    /// The shown session changes from `from`: its queued prompts stay queued, said once.
    pub(crate) fn left_session(&mut self, from: Option<&str>, to: &str) {
        let Some(from) = from.filter(|f| *f != to) else {
            return;
        };
        let n = self
            .prompt
            .queued
            .iter()
            .filter(|q| q.session_id == from)
            .count();
        if n > 0 {
            let what = if n == 1 {
                "your queued prompt stays queued"
            } else {
                "your queued prompts stay queued"
            };
            self.note(
                format!("{what} for the session you left: sent when its turn ends"),
                false,
            );
        }
    }

    /// Session `sid` stopped working. `taken` are prompts the server took but will never
    /// answer (after an abort or a dead server). Sends the next queued prompt, or puts
    /// every queued prompt of `sid` back into the input with a note.
    pub(crate) fn after_turn(&mut self, sid: &str, aborted: bool, taken: Vec<String>) {
        let rejected = self.prompt.queue_rejected.remove(sid);
        let failed = self.store.session(sid).is_some_and(|s| {
            s.messages
                .iter()
                .rev()
                .find(|m| m.role == Role::Assistant)
                .and_then(|m| m.error.as_ref())
                .is_some()
        });
        let stop = if matches!(self.connection, ConnectionState::ServerDied { .. }) {
            Some(Stop::Dead)
        } else if aborted {
            Some(Stop::Aborted)
        } else if rejected {
            Some(Stop::Rejected)
        } else if failed {
            Some(Stop::Failed)
        } else {
            None
        };
        let mut texts = taken;
        match stop {
            None => {
                if let Some(i) = self.prompt.queued.iter().position(|q| q.session_id == sid) {
                    let q = self.prompt.queued.remove(i);
                    self.outbox.push(q.action);
                }
            }
            Some(_) => {
                let (back, keep): (Vec<QueuedPrompt>, Vec<QueuedPrompt>) =
                    std::mem::take(&mut self.prompt.queued)
                        .into_iter()
                        .partition(|q| q.session_id == sid);
                self.prompt.queued = keep;
                texts.extend(back.into_iter().map(|q| q.text));
            }
        }
        if texts.is_empty() {
            return;
        }
        self.give_back(&texts.join("\n"));
        let why = match stop {
            Some(Stop::Dead) => "the server died before your queued prompt was answered: it is back in the input (F5 restarts the server, then Enter sends it)",
            Some(Stop::Aborted) => "the abort stopped the turn before your queued prompt was sent: it is back in the input (Enter sends it)",
            Some(Stop::Rejected) => "the turn stopped at the rejected permission before your queued prompt was sent: it is back in the input (Enter sends it)",
            Some(Stop::Failed) => "the turn failed before your queued prompt was sent: it is back in the input (Enter sends it)",
            None => "your earlier prompt was not answered: it is back in the input (Enter sends it)",
        };
        self.note(why, false);
    }
}
