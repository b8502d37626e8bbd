//! "Build this plan?": offered when a turn of the plan agent ends normally in the shown
//! session while the plan agent is chosen. `b` / `y` / Enter switch to the build agent and
//! send one message asking it to carry out the plan above (the plan stays in the session,
//! so it is the build agent's context); `n` / `k` / Esc keep planning. A dialog like the
//! others: through the approval focus rule (it arms after a moment, keys typed in flight
//! never answer it, Tab returns to the prompt), and it goes away when the session works
//! again or another session is shown.

use crate::model::state::Role;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::overlay::models::PickerKind;
use crate::ui::overlay::popup;
use crate::ui::overlay::stack::{Areas, Handled, Overlay};
use crate::ui::{theme, transcript::wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// The agent that plans and the one that builds, by opencode's names.
pub const PLAN_AGENT: &str = "plan";
pub const BUILD_AGENT: &str = "build";

/// The message sent to the build agent when the offer is taken.
pub const BUILD_MESSAGE: &str =
    "Build the plan above: carry it out step by step, editing the files it names.";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildPlanOffer {
    /// The session whose plan it is.
    pub session_id: String,
    /// The plan's first line, to say which plan (cleaned, one line).
    pub headline: String,
}

impl popup::OfferView for BuildPlanOffer {
    const TITLE: &'static str = "Build this plan?";

    fn body(&self, width: usize) -> Vec<Line<'static>> {
        let mut out = Vec::new();
        let texts = [
            format!("The plan agent has finished: {}", self.headline),
            "Build it? The build agent gets the plan above as its context and may edit files \
             (each edit still asks, as your approval mode says)."
                .to_string(),
        ];
        for text in texts {
            out.extend(wrap::wrap_words(&[Span::raw(text)], width, &[], &[]));
        }
        out
    }

    fn keys(&self, armed: bool, width: usize) -> Vec<Line<'static>> {
        let (k, label) = if armed {
            (theme::key(), theme::base())
        } else {
            (theme::dim(), theme::dim())
        };
        let items = vec![
            vec![
                Span::styled("b ", k),
                Span::styled("build this plan", label),
            ],
            vec![Span::styled("n ", k), Span::styled("keep planning", label)],
        ];
        popup::key_lines(&items, width)
    }
}

/// The offer as the top layer: b / y / Enter build, n / k / Esc keep planning.
impl Overlay for BuildPlanOffer {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        if !popup::plain(&key) {
            return Handled::Done(Vec::new());
        }
        match key.code {
            KeyCode::Char('b' | 'y') | KeyCode::Enter => {
                Handled::Close(app.build_the_plan(&self.session_id))
            }
            KeyCode::Char('n' | 'k') | KeyCode::Esc => {
                app.note("keeping the plan agent", false);
                Handled::Close(Vec::new())
            }
            _ => Handled::Done(Vec::new()),
        }
    }
    /// Drawn inside the transcript body (transcript/body.rs).
    fn render(&self, _app: &App, _frame: &mut Frame, _areas: &Areas) {}
    fn hint(&self) -> &'static str {
        "b build this plan · n keep planning"
    }
}

impl App {
    /// A turn of `sid` ended: offer to build its plan when it was the plan agent's, ended
    /// normally (no error, not aborted), no queued prompt goes next, the plan agent is still the chosen one and there
    /// is a build agent to hand it to.
    pub(crate) fn offer_build_after_plan(&mut self, sid: &str) {
        if self.models.agent.as_deref() != Some(PLAN_AGENT)
            || !self.models.agents().iter().any(|a| a.name == BUILD_AGENT)
            || self.prompt.queued.iter().any(|q| q.session_id == sid)
            || self
                .outbox
                .iter()
                .any(|a| matches!(a, Action::Prompt { session_id, .. } if session_id == sid))
        {
            return;
        }
        let Some(s) = self.store.session(sid) else {
            return;
        };
        if s.parent_id.is_some() {
            return;
        }
        let Some(last) = s.messages.iter().rev().find(|m| m.role == Role::Assistant) else {
            return;
        };
        let text = last.text();
        // An aborted answer carries its error (MessageAbortedError) or was cut.
        if last.agent.as_deref() != Some(PLAN_AGENT)
            || last.error.is_some()
            || self.sessions.interrupted.contains(&last.id)
            || text.trim().is_empty()
        {
            return;
        }
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let first = crate::safe_text::one_line(first.trim().trim_start_matches('#').trim());
        let headline: String = if first.chars().count() > 80 {
            first.chars().take(79).chain(['…']).collect()
        } else {
            first.into_owned()
        };
        self.dialogs.offer_build(BuildPlanOffer {
            session_id: sid.to_string(),
            headline,
        });
        self.notify("the plan is ready: build it?");
    }

    /// Taken: the build agent from now on, and the message that starts the build.
    pub(crate) fn build_the_plan(&mut self, sid: &str) -> Vec<Action> {
        let mut out = self.choose(PickerKind::Agent, BUILD_AGENT);
        self.view.scroll_to_bottom();
        out.push(Action::Prompt {
            session_id: sid.to_string(),
            text: BUILD_MESSAGE.to_string(),
            files: Vec::new(),
            agents: Vec::new(),
        });
        out
    }

    /// The offer of `sid` (or of any session, `None`) goes: it works again, or another
    /// session is shown.
    pub(crate) fn drop_build_offer(&mut self, sid: Option<&str>) {
        self.dialogs.drop_build_offer(sid);
    }
}
