//! The permission dialog (`permission.asked`): the permission, who asks (this session, a
//! subagent, another session), the patterns, the command or the diff (scrollable, unified
//! or side by side), and what "always" would allow. Keys: y/1 once, a/2 always, n/3
//! reject, m reject with a message, ←/→ + Enter, Esc rejects; ↑/↓/PgUp/PgDn scroll, d
//! switches the diff layout. No key with Ctrl or Alt answers, and none before the dialog
//! arms (guard.rs; its keys are dimmed until then), nor before the whole request has been
//! on screen (dialog_view.rs: a request that does not fit says how much is hidden, and
//! the key line says "↓ read to the end to answer" until its last line was drawn; ↑ ↓ j k
//! PgUp PgDn Home End scroll and never answer). The key line wraps (short labels when
//! narrow) and always shows. In read-only mode (replay) the recorded reply is highlighted.

use crate::model::event::PermissionRequest;
use crate::model::state::{PermissionEntry, Store};
use crate::model::PermissionReply;
use crate::ui::action::Action;
use crate::ui::app::{App, Request};
use crate::ui::overlay::dialog_view::{self, DialogView, Tracking};
use crate::ui::overlay::popup::{self, DialogContext, FieldKey, TextField};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::transcript::diff::{self, DiffLayout};
use crate::ui::{theme, transcript::wrap};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;
use serde_json::Value;
use std::rc::Rc;

/// The four choices, in order.
pub const CHOICES: [(&str, &str); 4] = [
    ("y", "allow once"),
    ("a", "allow always"),
    ("n", "reject"),
    ("m", "reject + message"),
];

/// View state of one permission dialog.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PermissionDialog {
    pub request_id: String,
    pub cursor: usize,
    /// Typing the reject message (after `m`).
    pub message: Option<TextField>,
    pub scroll: u16,
    pub side_by_side: bool,
    /// What the last frame drew and the wrapped body (shared by the copies drawn).
    pub view: Rc<DialogView>,
}

/// What a key press decided.
#[derive(Debug, Clone, PartialEq)]
pub enum PermissionOutcome {
    Reply {
        reply: PermissionReply,
        message: Option<String>,
    },
    Nothing,
}

impl PermissionDialog {
    pub fn new(request_id: &str) -> Self {
        PermissionDialog {
            request_id: request_id.to_string(),
            ..Default::default()
        }
    }

    fn choose(&mut self, i: usize) -> PermissionOutcome {
        self.cursor = i;
        match i {
            0 => reply(PermissionReply::Once, None),
            1 => reply(PermissionReply::Always, None),
            2 => reply(PermissionReply::Reject, None),
            _ => {
                self.message = Some(TextField::default());
                PermissionOutcome::Nothing
            }
        }
    }

    /// One key. `armed`: the key guard let the key through and the whole request has
    /// been on screen; until then only the scroll keys do anything.
    pub fn handle_key(&mut self, key: KeyEvent, armed: bool) -> PermissionOutcome {
        if let Some(field) = &mut self.message {
            return match field.handle_key(key) {
                FieldKey::Submit => {
                    let text = field.text().trim().to_string();
                    self.message = None;
                    reply(PermissionReply::Reject, (!text.is_empty()).then_some(text))
                }
                FieldKey::Cancel => {
                    self.message = None;
                    PermissionOutcome::Nothing
                }
                _ => PermissionOutcome::Nothing,
            };
        }
        if !popup::plain(&key) {
            return PermissionOutcome::Nothing;
        }
        if let Some(scroll) = self.view.scroll_key(&key, self.scroll, true) {
            self.scroll = scroll;
            return PermissionOutcome::Nothing;
        }
        if !armed {
            return PermissionOutcome::Nothing;
        }
        match key.code {
            KeyCode::Char('y') | KeyCode::Char('1') => self.choose(0),
            KeyCode::Char('a') | KeyCode::Char('2') => self.choose(1),
            KeyCode::Char('n') | KeyCode::Char('3') => self.choose(2),
            KeyCode::Char('m') | KeyCode::Char('4') => self.choose(3),
            KeyCode::Esc => reply(PermissionReply::Reject, None),
            KeyCode::Left | KeyCode::BackTab => {
                self.cursor = self.cursor.saturating_sub(1);
                PermissionOutcome::Nothing
            }
            KeyCode::Right | KeyCode::Tab => {
                self.cursor = (self.cursor + 1).min(CHOICES.len() - 1);
                PermissionOutcome::Nothing
            }
            KeyCode::Enter => self.choose(self.cursor),
            KeyCode::Char('d') => {
                self.side_by_side = !self.side_by_side;
                PermissionOutcome::Nothing
            }
            _ => PermissionOutcome::Nothing,
        }
    }

    /// Pastes into the reject message being typed; false when none is (nothing taken).
    pub fn paste(&mut self, s: &str) -> bool {
        match &mut self.message {
            Some(f) => {
                f.paste(s);
                true
            }
            None => false,
        }
    }
}

fn reply(reply: PermissionReply, message: Option<String>) -> PermissionOutcome {
    PermissionOutcome::Reply { reply, message }
}

/// Who asks: this session, a subagent of it, or another session.
pub fn asker(store: &Store, req: &PermissionRequest, shown: Option<&str>) -> String {
    crate::ui::overlay::dialog_view::session_label(store, &req.session_id, shown)
}

/// The body lines (everything above the choices). Every text from the request is shown
/// whole and as the shell or the tool will get it: wrapped (never cut), with control and
/// bidi characters visible (`wrap` cleans every span it lays out).
fn body(
    store: &Store,
    req: &PermissionRequest,
    shown: Option<&str>,
    width: usize,
    layout: DiffLayout,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let who = asker(store, req, shown);
    out.extend(wrap::wrap_words(
        &[
            Span::styled(who, theme::bold()),
            Span::raw(" asks for "),
            Span::styled(req.permission.clone(), theme::tool_input()),
        ],
        width,
        &[],
        &[Span::raw("  ")],
    ));
    let meta = &req.metadata;
    let field = |out: &mut Vec<Line<'static>>, label: Span<'static>, text: &str| {
        out.extend(wrap::wrap_chars(
            &[Span::styled(text.to_string(), theme::tool_input())],
            width,
            &[label],
            &[Span::raw("    ")],
        ));
    };
    if let Some(cmd) = meta.get("command").and_then(Value::as_str) {
        // Split at `\n` only: a `\r` (even before a newline) shows as `␍`.
        let cmd = cmd.strip_suffix('\n').unwrap_or(cmd);
        for (i, l) in cmd.split('\n').enumerate() {
            field(&mut out, Span::raw(if i == 0 { "  $ " } else { "    " }), l);
        }
    }
    if let Some(path) = meta.get("filepath").and_then(Value::as_str) {
        field(&mut out, Span::raw("  file "), path);
    }
    if !req.patterns.is_empty() {
        field(
            &mut out,
            Span::styled("  patterns ", theme::dim()),
            &req.patterns.join("  "),
        );
    }
    if !req.always.is_empty() {
        out.extend(wrap::wrap_words(
            &[
                Span::styled("  always would allow ", theme::dim()),
                Span::styled(
                    crate::model::always::offer_words(store, req),
                    theme::warning(),
                ),
            ],
            width,
            &[],
            &[Span::raw("    ")],
        ));
    }
    if let Some(d) = meta.get("diff").and_then(Value::as_str) {
        let (a, r) = diff::stats(d);
        out.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(format!("+{a}"), theme::diff_add()),
            Span::raw(" "),
            Span::styled(format!("-{r}"), theme::diff_del()),
            Span::styled("  (d: unified / side by side, ↑↓ scroll)", theme::hint()),
        ]));
        out.extend(diff::render(d, width, "  ", layout));
    }
    out
}

/// Short labels for narrow dialogs.
const SHORT: [&str; 4] = ["once", "always", "reject", "reject+msg"];

/// The choice lines at `width`: the cursor (live) or the recorded reply (read-only)
/// highlighted, dimmed while the keys are not armed. Short labels when the long ones
/// would take more than two lines.
fn choices(
    state: &PermissionDialog,
    recorded: Option<&str>,
    armed: bool,
    width: usize,
) -> Vec<Line<'static>> {
    let items = |short: bool| -> Vec<Vec<Span<'static>>> {
        CHOICES
            .iter()
            .enumerate()
            .map(|(i, (k, label))| {
                let is_recorded = match recorded {
                    Some("once") => i == 0,
                    Some("always") => i == 1,
                    Some("reject") => i == 2,
                    _ => false,
                };
                let style = if !armed {
                    theme::dim()
                } else if is_recorded {
                    theme::recorded()
                } else if recorded.is_none() && i == state.cursor {
                    theme::selected()
                } else {
                    theme::base()
                };
                let key_style = if armed { theme::key() } else { theme::dim() };
                let label = if short { SHORT[i] } else { label };
                vec![
                    Span::styled(format!("{k} "), key_style),
                    Span::styled(label.to_string(), style),
                ]
            })
            .collect()
    };
    let long = popup::key_lines(&items(false), width);
    if long.len() <= 2 {
        return long;
    }
    popup::key_lines(&items(true), width)
}

/// The hint line above the choices.
fn hint(entry: &PermissionEntry, state: &PermissionDialog, ctx: &DialogContext) -> Line<'static> {
    let text = if ctx.read_only {
        let what = entry.reply.as_deref().unwrap_or("(no reply recorded)");
        format!("recorded reply: {what}")
    } else if !ctx.armed {
        return popup::disarmed_hint(ctx);
    } else if state.message.is_some() {
        "enter sends the rejection with this message · esc goes back".into()
    } else {
        "←/→ + enter also choose · esc rejects".into()
    };
    Line::from(Span::styled(text, theme::hint()))
}

/// The key lines: the choices, or the reject message being typed.
fn key_lines(
    entry: &PermissionEntry,
    state: &PermissionDialog,
    ctx: &DialogContext,
    width: usize,
) -> Vec<Line<'static>> {
    match &state.message {
        Some(field) if !ctx.read_only => {
            let line = field.line("tell the agent what to do instead: ");
            wrap::wrap_chars(&line.spans, width, &[], &[])
        }
        _ => {
            let recorded = if ctx.read_only {
                entry.reply.as_deref().or(Some(""))
            } else {
                None
            };
            choices(state, recorded, ctx.armed || ctx.read_only, width)
        }
    }
}

/// The body at width `w`, wrapped once per width and layout (cached in the view).
fn cached_body(
    entry: &PermissionEntry,
    state: &PermissionDialog,
    ctx: &DialogContext,
    w: usize,
    layout: DiffLayout,
) -> Vec<Line<'static>> {
    let req = &entry.request;
    let who = asker(ctx.store, req, ctx.shown);
    let key = format!("{w} {layout:?} {who}");
    let lines = state
        .view
        .body(key, || body(ctx.store, req, ctx.shown, w, layout));
    lines.as_ref().clone()
}

/// The key lines until the whole request has been on screen.
fn unseen_keys(
    entry: &PermissionEntry,
    state: &PermissionDialog,
    ctx: &DialogContext,
    width: usize,
) -> Vec<Line<'static>> {
    if ctx.focused {
        dialog_view::read_to_end(width)
    } else {
        key_lines(entry, state, ctx, width)
    }
}

/// The hint until the whole request has been on screen.
fn unseen_hint(
    entry: &PermissionEntry,
    state: &PermissionDialog,
    ctx: &DialogContext,
) -> Line<'static> {
    if ctx.focused {
        Line::from(Span::styled(
            "keys arm at the end of the request · Tab returns to your prompt",
            theme::hint(),
        ))
    } else {
        hint(entry, state, ctx)
    }
}

/// (wanted, least) height of the dialog at `width`: the least shows the request and keys.
pub fn heights(
    entry: &PermissionEntry,
    state: &PermissionDialog,
    ctx: &DialogContext,
    width: u16,
) -> (u16, u16) {
    let body = |w: usize| (cached_body(entry, state, ctx, w, DiffLayout::Unified), None);
    let keys = |w: usize| key_lines(entry, state, ctx, w);
    let unseen = |w: usize| unseen_keys(entry, state, ctx, w);
    let parts = popup::DialogParts {
        title: "",
        right: "",
        body: &body,
        hint: Some(hint(entry, state, ctx)),
        keys: &keys,
        scroll: 0,
    };
    if ctx.read_only || ctx.seen.get() {
        return (parts.wanted_height(width), parts.min_height(width));
    }
    (
        parts.wanted_height_tracked(width, &unseen, Some(&unseen_hint(entry, state, ctx))),
        parts.min_height_tracked(width, &unseen),
    )
}

/// Draws the dialog for `entry` into `area`; sets `ctx.seen` in the frame that draws the
/// request's last line.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    entry: &PermissionEntry,
    state: &PermissionDialog,
    ctx: &DialogContext,
) {
    let title =
        crate::ui::words::permission_title(&entry.request.permission, &entry.request.patterns);
    let right = ctx.position_label();
    let body = |w: usize| {
        let layout = if state.side_by_side && w >= 60 {
            DiffLayout::SideBySide
        } else {
            DiffLayout::Unified
        };
        (cached_body(entry, state, ctx, w, layout), None)
    };
    let keys = |w: usize| key_lines(entry, state, ctx, w);
    let unseen = |w: usize| unseen_keys(entry, state, ctx, w);
    let parts = popup::DialogParts {
        title: &title,
        right: &right,
        body: &body,
        hint: Some(hint(entry, state, ctx)),
        keys: &keys,
        scroll: state.scroll,
    };
    if ctx.read_only {
        return parts.render(frame, area);
    }
    parts.render_tracked(
        frame,
        area,
        &Tracking {
            seen: ctx.seen,
            view: &state.view,
            part: 0,
            seen_before: ctx.seen.get(),
            unseen_keys: &unseen,
            unseen_hint: Some(unseen_hint(entry, state, ctx)),
        },
    );
}

/// The permission dialog as the top layer: the focus rule (stack.rs) hands it a key only
/// while it has the focus; its answer keys work only when the rule says it is armed.
impl Overlay for PermissionDialog {
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        let Some(Request::Permission { session_id, id }) = app.active_request().cloned() else {
            return Handled::Done(Vec::new());
        };
        let Some(req) = app
            .store
            .session(&session_id)
            .and_then(|s| s.permissions.iter().find(|p| p.request.id == id))
            .map(|p| p.request.clone())
        else {
            return Handled::Done(Vec::new());
        };
        let PermissionOutcome::Reply { reply, message } = self.handle_key(key, app.dialogs.armed())
        else {
            return Handled::Done(Vec::new());
        };
        app.dialogs.answered(&id);
        if reply == PermissionReply::Always {
            return Handled::Close(app.chose_always(&req, message));
        }
        Handled::Close(vec![Action::ReplyPermission {
            request_id: id,
            reply,
            message,
        }])
    }
    fn paste(&mut self, text: &str, _app: &mut App) -> bool {
        PermissionDialog::paste(self, text)
    }
    /// Drawn inside the transcript body (transcript/body.rs, shared with replay).
    fn render(&self, _app: &App, _frame: &mut Frame, _areas: &Areas) {}
    fn hint(&self) -> &'static str {
        "y once · a always · n reject · m message"
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Permission dialog",
    keys: &[
        ("y / 1", "allow once"),
        ("a / 2", "allow always (then offer to save the rule)"),
        ("n / 3, Esc", "reject"),
        ("m", "reject with a message to the agent"),
        ("d, Up/Down", "diff layout, scroll"),
    ],
    open_on_key: None,
};
