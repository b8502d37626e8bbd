//! The interactive terminal UI (ratatui): panes, dialogs, input and the draw loop.
//!
//! `App` (app.rs, keys.rs) holds the view state around a `Store`; `render(&App, frame)`
//! draws it and never changes the store; `run` (run.rs) owns the terminal and one
//! `select!` loop. Replay reuses the read-only pieces: `render_session_view`,
//! `transcript::render`, `status::render` and the dialog widgets.

pub mod app;
pub mod bridge;
pub mod diff;
pub mod help;
pub mod highlight;
pub mod input;
pub mod keys;
pub mod markdown;
pub mod message;
pub mod permission;
pub mod popup;
pub mod question;
pub mod run;
pub mod save_rule;
pub mod sessions;
pub mod status;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod tools;
pub mod transcript;
pub mod view;
pub mod wrap;

pub use app::App;
pub use bridge::{Action, ConnectionState, PermissionReply, UiInput, UiOptions};
pub use run::run;
pub use status::StatusContext;
pub use view::ViewState;

use crate::model::state::Store;
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

/// Lines shown after the transcript: session errors not attached to a message, and
/// prompts queued while the agent works.
fn tail_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(s) = app.session_id().and_then(|id| app.store.session(id)) else {
        return out;
    };
    let shown_errors: Vec<String> = s
        .messages
        .iter()
        .rev()
        .take(4)
        .filter_map(|m| m.error.as_ref().map(|e| e.message()))
        .collect();
    for e in &s.errors {
        if e.name == "MessageAbortedError" || shown_errors.contains(&e.message()) {
            continue;
        }
        out.push(Line::default());
        out.extend(transcript::error_lines(&e.message(), width));
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

/// Draws the active dialog (if any) over `area`, anchored at its bottom.
fn render_dialog(app: &App, frame: &mut Frame, area: Rect) {
    let max_h = (area.height as u32 * 4 / 5) as u16;
    if let Some(offer) = &app.save_offer {
        let r = popup::bottom(area, offer.wanted_height().min(max_h));
        offer.render(frame, r);
        return;
    }
    let active = app.active_requests();
    let Some(r) = active.first() else { return };
    let shown = app.session_id();
    let ctx = popup::DialogContext {
        store: &app.store,
        shown,
        position: (0, active.len()),
        read_only: app.opts.read_only,
    };
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
            let h = permission::wanted_height(&app.store, entry, shown, area.width).min(max_h);
            let rect = popup::bottom(area, h);
            permission::render(frame, rect, entry, &st, &ctx);
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
            let h = question::wanted_height(entry, &st, area.width).min(max_h);
            let rect = popup::bottom(area, h);
            question::render(frame, rect, entry, &st, &ctx);
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
        app.input.height()
    };
    let [main, note_area, input_area, bar] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(u16::from(note.is_some())),
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
    transcript::render(frame, transcript_area, &app.store, &app.view, &tail);
    render_dialog(app, frame, transcript_area);
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
            )),
            note_area,
        );
    }
    if input_h > 0 {
        let dialog_open = app.save_offer.is_some() || app.active_request().is_some();
        let title = if app.busy() {
            " working · Enter queues · Esc aborts "
        } else {
            " prompt "
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
        now_ms: app.now_ms(),
        spinner: app.spinner,
        read_only: app.opts.read_only,
    };
    status::render(frame, bar, &app.store, app.session_id(), &ctx);
    if app.show_help {
        help::render(frame, area);
    }
}
