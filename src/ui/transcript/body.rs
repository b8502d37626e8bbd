//! The session body, one renderer for the live UI and replay: the transcript, the lines
//! under it (the latest turn's errors, then the caller's own lines) and the active dialog
//! below it, never over it (the end of the transcript, the tool call the dialog is about,
//! stays in view above it).

use crate::model::state::{PermissionEntry, QuestionEntry, Role, SessionState, Store};
use crate::ui::app::view::ViewState;
use crate::ui::overlay::build_plan::BuildPlanOffer;
use crate::ui::overlay::permission::{self, PermissionDialog};
use crate::ui::overlay::popup::{self, DialogContext, OfferView};
use crate::ui::overlay::question::QuestionDialog;
use crate::ui::overlay::question_view;
use crate::ui::overlay::save_rule::SaveRuleOffer;
use crate::ui::transcript::{self, LayoutCache};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::Frame;

/// A dialog to draw under the transcript, with its own state.
pub enum Dialog<'a> {
    Permission(&'a PermissionEntry, PermissionDialog),
    Question(&'a QuestionEntry, QuestionDialog),
    SaveRule(&'a SaveRuleOffer),
    BuildPlan(&'a BuildPlanOffer),
}

impl Dialog<'_> {
    /// (wanted, least) height at `width`.
    fn heights(&self, ctx: &DialogContext, width: u16) -> (u16, u16) {
        match self {
            Dialog::Permission(entry, st) => permission::heights(entry, st, ctx, width),
            Dialog::Question(entry, st) => question_view::heights(entry, st, ctx, width),
            Dialog::SaveRule(offer) => offer.offer_heights(ctx.armed, width),
            Dialog::BuildPlan(offer) => offer.offer_heights(ctx.armed, width),
        }
    }

    fn render(&self, frame: &mut Frame, rect: Rect, ctx: &DialogContext) {
        match self {
            Dialog::Permission(entry, st) => permission::render(frame, rect, entry, st, ctx),
            Dialog::Question(entry, st) => question_view::render(frame, rect, entry, st, ctx),
            Dialog::SaveRule(offer) => {
                offer.draw_offer(frame, rect, ctx.armed);
                ctx.seen.set(true);
            }
            Dialog::BuildPlan(offer) => {
                offer.draw_offer(frame, rect, ctx.armed);
                ctx.seen.set(true);
            }
        }
    }
}

/// The session errors to show under the transcript. An error belongs to its turn: only
/// those of the latest turn show (an old one never comes back under later turns), minus
/// aborts (the message says "■ interrupted") and errors a message of the turn already shows.
pub fn turn_errors(s: &SessionState) -> Vec<String> {
    let last_user = s.messages.iter().rposition(|m| m.role == Role::User);
    let turn = last_user.map(|i| s.messages[i].id.as_str());
    let shown: Vec<String> = s.messages[last_user.unwrap_or(0)..]
        .iter()
        .filter_map(|m| m.error.as_ref().map(|e| e.message()))
        .collect();
    let mut out: Vec<String> = Vec::new();
    for (i, e) in s.errors.iter().enumerate() {
        let msg = e.message();
        if s.error_turns.get(i).and_then(|t| t.as_deref()) != turn
            || e.name == "MessageAbortedError"
            || shown.contains(&msg)
            || out.contains(&msg)
        {
            continue;
        }
        out.push(msg);
    }
    out
}

/// Draws the shown session into `area`: the transcript, the latest turn's errors and then
/// `extra` under it, and `dialog` below it.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    view: &ViewState,
    cache: &LayoutCache,
    extra: Vec<Line<'static>>,
    dialog: Option<(Dialog, &DialogContext)>,
) {
    let width = area.width as usize;
    let mut tail = Vec::new();
    if let Some(s) = view.session_id.as_deref().and_then(|id| store.session(id)) {
        for e in turn_errors(s) {
            tail.push(Line::default());
            tail.extend(transcript::error_lines(&e, width));
        }
    }
    tail.extend(extra);
    let dialog_h = dialog.as_ref().map_or(0, |(d, ctx)| {
        let (wanted, least) = d.heights(ctx, area.width);
        popup::dialog_height(area, wanted, least)
    });
    let mut above = area;
    above.height -= dialog_h;
    transcript::render(frame, above, store, view, cache, &tail);
    if let Some((d, ctx)) = dialog.filter(|_| dialog_h > 0) {
        d.render(frame, popup::bottom(area, dialog_h), ctx);
    }
}
