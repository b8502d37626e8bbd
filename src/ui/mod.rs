//! The interactive terminal UI (ratatui): panes, dialogs, input and the draw loop.
//!
//! `App` (app.rs, keys.rs) holds the view state around a `Store`; `render(&App, frame)`
//! draws it and never changes the store; `terminal.rs` owns the terminal and the live
//! UI's one `select!` loop. Replay reuses the read-only pieces: `body::render` (transcript,
//! tail lines and dialog), `status::render` and the terminal runtime.

pub(crate) mod action;
pub mod app;
pub mod commands;
pub mod fuzzy;
pub mod keymap;
pub mod overlay;
pub mod prompt;
pub mod runtime;
pub mod side_panel;
pub mod status;
pub mod status_line;
pub mod tabs;
#[doc(hidden)]
pub mod testing;
pub mod theme;
pub mod transcript;
pub mod words;

pub use crate::model::PermissionReply;
pub use action::{Action, ConnectionState, UiInput, UiOptions};
pub use app::view::ViewState;
pub use app::App;
/// The one key table (help, palette, README): (section, keys, what).
pub use overlay::help::key_table;
pub use runtime::terminal::drive;
pub use status::StatusContext;

use app::Request;
use overlay::dialogs::{DialogState, Offer};
use overlay::{guard, permission, popup, question};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::time::Instant;
use transcript::{body, wrap};

/// The session errors to show under the transcript (see [`body::turn_errors`]).
pub use transcript::body::turn_errors;

/// Prompts queued while the agent works (or typed before the session existed, while the
/// server starts), shown after the transcript.
fn queued_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let queued = app
        .prompt
        .queued
        .iter()
        .filter(|q| Some(q.session_id.as_str()) == app.session_id())
        .map(|q| q.text.as_str());
    let pending = app.prompt.pending.iter().map(|out| out.text.as_str());
    for text in queued.chain(pending) {
        out.push(Line::default());
        let first = text.lines().next().unwrap_or("");
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

/// The active dialog: the offer (save a rule, build a plan), else the first pending request.
fn active_dialog(app: &App) -> Option<body::Dialog<'_>> {
    match app.dialogs.offer() {
        Some(Offer::SaveRule(offer)) => return Some(body::Dialog::SaveRule(offer)),
        Some(Offer::BuildPlan(offer)) => return Some(body::Dialog::BuildPlan(offer)),
        None => {}
    }
    match *app.active_requests().first()? {
        Request::Permission { session_id, id } => {
            let entry = app
                .store
                .session(session_id)?
                .permissions
                .iter()
                .find(|p| &p.request.id == id)?;
            let st = match app.dialogs.state(id) {
                Some(DialogState::Permission(d)) => d.clone(),
                _ => permission::PermissionDialog::new(id),
            };
            Some(body::Dialog::Permission(entry, st))
        }
        Request::Question { session_id, id } => {
            let entry = app
                .store
                .session(session_id)?
                .questions
                .iter()
                .find(|q| &q.request.id == id)?;
            let st = match app.dialogs.state(id) {
                Some(DialogState::Question(d)) => d.clone(),
                _ => question::QuestionDialog::new(&entry.request),
            };
            Some(body::Dialog::Question(entry, st))
        }
    }
}

/// Draws the whole UI. Reads `app` only (the transcript cache sits in cells).
pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let note = app.current_note(Instant::now());
    let input_h = app.prompt.input.height(area.width);
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
    // The tab strip, while several sessions are open.
    let tabs = if app.sessions.open.len() > 1 {
        app.tabs()
    } else {
        Vec::new()
    };
    let [tab_row, main] = Layout::vertical([
        Constraint::Length(tabs::height(tabs.len())),
        Constraint::Min(1),
    ])
    .areas(main);
    tabs::render(frame, tab_row, &tabs, app.spinner);
    // The approval focus rule (guard.rs): while a dialog is up, popups step aside (kept,
    // not drawn, given no keys) and the dialog is drawn on top of everything but the help
    // it opened itself.
    let dialog_focus = app.dialog_focus(tokio::time::Instant::now());
    let dialog_up = app.dialog_up();
    // Room the open overlays take (the search bar's row, the session list's column).
    let (main, row) = match app.overlays.reserves_row() {
        true if main.height > 2 && !dialog_up => {
            let [m, r] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(main);
            (m, r)
        }
        _ => (main, Rect::default()),
    };
    // A popup browsed over the dialog (the session list) keeps its column beside it.
    let browsing = dialog_up && app.browsing_over_dialog();
    let (left, transcript_area) = match app.overlays.reserved_left() {
        Some(w) if !dialog_up || browsing => {
            let w = w.min(main.width / 2);
            let [l, r] =
                Layout::horizontal([Constraint::Length(w), Constraint::Min(1)]).areas(main);
            (l, r)
        }
        _ => (Rect::default(), main),
    };
    let transcript_area = if side_panel::shown(&app.side_panel, area.width) {
        let [left, right] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(side_panel::WIDTH)])
                .areas(transcript_area);
        let session = app.session_id().and_then(|id| app.store.session(id));
        let context = session.and_then(|s| app.models.context_percent(s));
        side_panel::render(
            frame,
            right,
            (&app.side_panel, app.file_focus()),
            session,
            context,
        );
        left
    } else {
        transcript_area
    };
    let queued = queued_lines(app, transcript_area.width as usize);
    let ctx = popup::DialogContext {
        store: &app.store,
        shown: app.session_id(),
        position: (0, app.active_requests().len()),
        read_only: false,
        armed: !app.dialog_held(),
        focused: !app.dialog_waits_for_tab(),
        seen: &app.dialog_seen,
    };
    let dialog = active_dialog(app).map(|d| (d, &ctx));
    // Never the word "ready" before the start-up is over: that is the status bar's word
    // for a prompt that goes out at once.
    if let (ConnectionState::Starting { what }, None) = (&app.connection, app.session_id()) {
        starting_body(frame, transcript_area, what, app.spinner, queued);
    } else {
        body::render(
            frame,
            transcript_area,
            &app.store,
            &app.view,
            &app.layout,
            queued,
            dialog,
        );
    }
    let prompt_focus = match dialog_focus {
        _ if browsing => false,
        Some(f) => f == guard::Focus::Prompt,
        None => app.session_list().is_none() && !app.find().is_some_and(|f| f.editing),
    };
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
        let title = match &app.connection {
            _ if browsing => " browsing · the dialog waits · Esc comes back to it ",
            _ if matches!(dialog_focus, Some(guard::Focus::Dialog { .. })) => {
                " the dialog above has the keys · Tab returns here "
            }
            _ if app.dialog_waits_for_tab() => {
                " your prompt has the keys · Tab answers the dialog "
            }
            ConnectionState::ServerDied { .. } => {
                " server down · F5 restarts it · your text stays here "
            }
            ConnectionState::Reconnecting { .. } => " reconnecting to the server… ",
            ConnectionState::Starting { .. } => " prompt · Enter queues it until the server is up ",
            _ if app.shows_subagent() => app::subagent::SUBAGENT_PROMPT_TITLE,
            _ if app.shell_mode() => {
                " ! shell · Enter runs it in the project · the agent sees its output "
            }
            _ if app.busy() => " working · Enter queues · Esc aborts ",
            _ => " prompt ",
        };
        app.prompt
            .input
            .render(frame, input_area, title, prompt_focus);
        // The terminal's own cursor sits at the caret (an input method's pre-edit text
        // lands there); hidden while a popup or dialog has the keys.
        if let Some(at) = app.prompt.input.caret().filter(|_| !app.popup_open()) {
            frame.set_cursor_position(at);
        }
    }
    let chosen_model = app.models.model_label();
    let context_percent = app
        .session_id()
        .and_then(|id| app.store.session(id))
        .and_then(|s| app.models.context_percent(s));
    let place = app.place_label();
    let ctx = StatusContext {
        place: place.as_deref(),
        connection: Some(&app.connection),
        model_label: app.opts.model_label.as_deref(),
        agent_label: app.opts.agent_label.as_deref(),
        server_version: app.opts.server_version.as_deref(),
        now_ms: app.now_ms(),
        spinner: app.spinner,
        read_only: false,
        log_failed: app.log_failed.is_some(),
        utc_offset_ms: app.opts.utc_offset_ms,
        busy_since_ms: app
            .session_id()
            .and_then(|id| app.sessions.busy_since.get(id).copied()),
        chosen_agent: app
            .models
            .agent
            .as_deref()
            .map(|a| (a, app.models.agent_color(a))),
        chosen_model: chosen_model.as_deref(),
        context_percent,
        approvals: app.approvals_label(),
    };
    let bar = status_line::render(frame, bar, app.status_line.shown.as_deref());
    status::render(frame, bar, &app.store, app.session_id(), &ctx);
    let areas = overlay::Areas {
        screen: area,
        transcript: transcript_area,
        prompt: input_area,
        left,
        row,
    };
    app.render_overlays(frame, &areas, prompt_focus);
    // Another client's toast: over the popups, never over a dialog.
    if let Some(t) = app.toast.as_ref().filter(|_| !dialog_up) {
        t.render(frame, transcript_area, Instant::now());
    }
    theme::paint(frame.buffer_mut());
}

/// The transcript's place while the server starts: what is under way, and the prompts
/// already typed (queued until the session is there).
fn starting_body(
    frame: &mut Frame,
    area: Rect,
    what: &str,
    spinner: usize,
    queued: Vec<Line<'static>>,
) {
    const SPIN: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "{} {} …",
                SPIN[spinner % SPIN.len()],
                crate::safe_text::one_line(what)
            ),
            theme::note_info(),
        )),
        Line::from(Span::styled(
            "Type your prompt: Enter queues it, and it is sent as soon as the server is up (F1 for keys).",
            theme::hint(),
        )),
    ];
    lines.extend(queued);
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        area,
    );
}
