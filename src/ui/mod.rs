//! The interactive terminal UI (ratatui): panes, dialogs, input and the draw loop.
//!
//! `App` (app.rs, keys.rs) holds the view state around a `Store`; `render(&App, frame)`
//! draws it and never changes the store; `run` (run.rs) owns the terminal and one
//! `select!` loop. Replay reuses the read-only pieces: `render_session_view`,
//! `transcript::render`, `status::render` and the dialog widgets.

pub mod action;
pub mod app;
pub mod background;
pub mod diff;
pub mod guard;
pub mod help;
pub mod highlight;
pub mod input;
pub mod keys;
pub mod markdown;
pub mod message;
pub mod permission;
pub mod popup;
pub mod question;
pub mod save_rule;
pub mod sessions;
pub mod status;
pub mod terminal;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod tools;
pub mod transcript;
pub mod view;
pub mod wrap;

pub use crate::model::PermissionReply;
pub use action::{Action, ConnectionState, UiInput, UiOptions};
pub use app::App;
pub use status::StatusContext;
pub use terminal::drive;
pub use view::ViewState;

use crate::model::state::{Role, SessionState, Store};
use app::Request;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::time::Instant;

/// Width of the session list pane.
const SESSION_LIST_WIDTH: u16 = 34;

/// Draws one session: the transcript over a status bar. What replay shows.
pub fn render_session_view(frame: &mut Frame, area: Rect, store: &Store, view: &ViewState) {
    let [body, bar] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    transcript::render(frame, body, store, view, &[]);
    let ctx = StatusContext {
        now_ms: view.now_ms.unwrap_or_else(crate::log::now_ms),
        read_only: true,
        ..StatusContext::default()
    };
    status::render(frame, bar, store, view.session_id.as_deref(), &ctx);
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

/// Lines shown after the transcript: session errors of the latest turn not attached to a
/// message, and prompts queued while the agent works.
fn tail_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(s) = app.session_id().and_then(|id| app.store.session(id)) else {
        return out;
    };
    for e in turn_errors(s) {
        out.push(Line::default());
        out.extend(transcript::error_lines(&e, width));
    }
    for q in app
        .queued
        .iter()
        .filter(|q| Some(q.session_id.as_str()) == app.session_id())
    {
        out.push(Line::default());
        let first = q.text.lines().next().unwrap_or("");
        out.push(Line::from(vec![
            Span::styled("▌ ", theme::dim()),
            Span::styled(
                wrap::truncate(first, width.saturating_sub(12)),
                theme::queued(),
            ),
            Span::styled("  (queued)", theme::hint()),
        ]));
    }
    out
}

/// The active dialog, measured: (wanted, least) height at `width`.
fn dialog_heights(app: &App, ctx: &popup::DialogContext, width: u16) -> Option<(u16, u16)> {
    if let Some(offer) = &app.save_offer {
        return Some(offer.heights(ctx.armed, width));
    }
    match *app.active_requests().first()? {
        Request::Permission { session_id, id } => {
            let entry = app
                .store
                .session(session_id)?
                .permissions
                .iter()
                .find(|p| &p.request.id == id)?;
            let st = app
                .permission_ui
                .get(id)
                .cloned()
                .unwrap_or_else(|| permission::PermissionDialog::new(id));
            Some(permission::heights(entry, &st, ctx, width))
        }
        Request::Question { session_id, id } => {
            let entry = app
                .store
                .session(session_id)?
                .questions
                .iter()
                .find(|q| &q.request.id == id)?;
            let st = app
                .question_ui
                .get(id)
                .cloned()
                .unwrap_or_else(|| question::QuestionDialog::new(&entry.request));
            Some(question::heights(entry, &st, ctx, width))
        }
    }
}

/// Draws the active dialog (if any) into `rect`.
fn render_dialog(app: &App, frame: &mut Frame, rect: Rect, ctx: &popup::DialogContext) {
    if let Some(offer) = &app.save_offer {
        offer.render(frame, rect, ctx.armed);
        return;
    }
    let active = app.active_requests();
    let Some(r) = active.first() else { return };
    match r {
        Request::Permission { session_id, id } => {
            let Some(entry) = app
                .store
                .session(session_id)
                .and_then(|s| s.permissions.iter().find(|p| &p.request.id == id))
            else {
                return;
            };
            let st = app
                .permission_ui
                .get(id)
                .cloned()
                .unwrap_or_else(|| permission::PermissionDialog::new(id));
            permission::render(frame, rect, entry, &st, ctx);
        }
        Request::Question { session_id, id } => {
            let Some(entry) = app
                .store
                .session(session_id)
                .and_then(|s| s.questions.iter().find(|q| &q.request.id == id))
            else {
                return;
            };
            let st = app
                .question_ui
                .get(id)
                .cloned()
                .unwrap_or_else(|| question::QuestionDialog::new(&entry.request));
            question::render(frame, rect, entry, &st, ctx);
        }
    }
}

/// Draws the whole UI. Reads `app` only (the transcript cache sits in cells).
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let note = app.current_note(Instant::now());
    let input_h = if app.opts.read_only {
        0
    } else {
        app.input.height(area.width)
    };
    // A long note wraps (up to 3 rows) instead of being cut at the screen's edge.
    let note_h = note.map_or(0, |n| {
        (wrap::width(&n.text).div_ceil(area.width.max(1) as usize)).clamp(1, 3) as u16
    });
    let [main, note_area, input_area, bar] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(note_h),
        Constraint::Length(input_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let transcript_area = if let Some(list) = &app.session_list {
        let w = SESSION_LIST_WIDTH.min(main.width / 2);
        let [left, right] =
            Layout::horizontal([Constraint::Length(w), Constraint::Min(1)]).areas(main);
        let rows = app.session_rows();
        sessions::render(frame, left, &rows, app.session_id(), list.cursor, true);
        right
    } else {
        main
    };
    let tail = tail_lines(app, transcript_area.width as usize);
    // A dialog sits below the transcript, never over it: the end of the transcript (the
    // tool call the dialog is about) stays in view above it.
    let ctx = popup::DialogContext {
        store: &app.store,
        shown: app.session_id(),
        position: (0, app.active_requests().len()),
        read_only: app.opts.read_only,
        armed: !app.dialog_held(),
    };
    let dialog_h = dialog_heights(app, &ctx, transcript_area.width).map_or(0, |(wanted, min)| {
        popup::dialog_height(transcript_area, wanted, min)
    });
    let mut above = transcript_area;
    above.height -= dialog_h;
    transcript::render(frame, above, &app.store, &app.view, &tail);
    if dialog_h > 0 {
        render_dialog(app, frame, popup::bottom(transcript_area, dialog_h), &ctx);
    }
    if let Some(n) = note {
        let style = if n.error {
            theme::error()
        } else {
            theme::note_info()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                crate::safe_text::one_line(&n.text).into_owned(),
                style,
            ))
            .wrap(ratatui::widgets::Wrap { trim: false }),
            note_area,
        );
    }
    if input_h > 0 {
        let dialog_open =
            (app.save_offer.is_some() || app.active_request().is_some()) && !app.dialog_held();
        let title = match &app.connection {
            ConnectionState::ServerDied { .. } => {
                " server down · F5 restarts it · your text stays here "
            }
            ConnectionState::Reconnecting { .. } => " reconnecting to the server… ",
            _ if app.busy() => " working · Enter queues · Esc aborts ",
            _ => " prompt ",
        };
        app.input.render(
            frame,
            input_area,
            title,
            !dialog_open && app.session_list.is_none(),
        );
    }
    let ctx = StatusContext {
        connection: Some(&app.connection),
        model_label: app.opts.model_label.as_deref(),
        agent_label: app.opts.agent_label.as_deref(),
        server_version: app.opts.server_version.as_deref(),
        now_ms: app.now_ms(),
        spinner: app.spinner,
        read_only: app.opts.read_only,
        busy_since_ms: app
            .session_id()
            .and_then(|id| app.busy_since.get(id).copied()),
    };
    status::render(frame, bar, &app.store, app.session_id(), &ctx);
    if app.show_help {
        help::render(frame, area, &app.help);
    }
}
