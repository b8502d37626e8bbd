//! The status bar: session title, agent and model, the state (connecting, ready, busy with
//! elapsed time, retry N with the server's message and a countdown to `next`, error,
//! reconnecting, server died), the session's token totals and cost, and, where there is
//! room, the project folder and git branch.

use crate::model::event::SessionStatus;
use crate::model::state::{Role, SessionState, Store, TokenTotals};
use crate::ui::action::ConnectionState;
use crate::ui::{theme, transcript::wrap};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// What the status bar needs besides the store.
#[derive(Debug, Clone, Default)]
pub struct StatusContext<'a> {
    pub connection: Option<&'a ConnectionState>,
    pub model_label: Option<&'a str>,
    pub agent_label: Option<&'a str>,
    /// The server's opencode release.
    pub server_version: Option<&'a str>,
    /// Epoch ms now (countdowns, elapsed time).
    pub now_ms: u64,
    /// Frame counter for the busy spinner.
    pub spinner: usize,
    /// Replay: no key hints.
    pub read_only: bool,
    /// Epoch ms when the shown session started working (the app tracks it, so a queued
    /// prompt sent mid-stretch does not restart the timer); `None`: its last prompt.
    pub busy_since_ms: Option<f64>,
    /// The agent the next prompt uses and its colour (before the session's last one).
    pub chosen_agent: Option<(&'a str, Option<ratatui::style::Color>)>,
    /// The model (and variant) the next prompt uses (before the session's last one).
    pub chosen_model: Option<&'a str>,
    /// How full the model's context is (`ctx 42%`; coloured past [`CONTEXT_WARN`]).
    pub context_percent: Option<u64>,
    /// The session log cannot be written: a steady `log ✗` after the state.
    pub log_failed: bool,
    /// The project folder and git branch (`~/src/x ⎇ main`), shown when there is room.
    pub place: Option<&'a str>,
    /// The local time zone's offset (an untitled session shows its local start time).
    pub utc_offset_ms: i64,
    /// An approval mode other than ask (`accept edits`, `auto`): always shown, in the
    /// warning colour.
    pub approvals: Option<&'a str>,
}

/// The status bar's mark of a session log that cannot be written.
pub const LOG_FAILED_MARK: &str = " · log ✗";

/// The context meter changes colour past this percentage.
pub const CONTEXT_WARN: u64 = 80;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// Compact count: 950, 12.3k, 4.1M.
pub fn human(n: u64) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=999_999 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}

/// The session's totals: the server's own (they cover history not loaded) when it sent
/// them and they are not behind what the loaded messages add up to.
pub fn totals(s: &SessionState) -> (TokenTotals, f64) {
    let mine = s.tokens();
    let cost = s.cost();
    match s.server_tokens {
        Some(t) if t.total() >= mine.total => (
            TokenTotals {
                input: t.input,
                output: t.output,
                reasoning: t.reasoning,
                cache_read: t.cache.read,
                cache_write: t.cache.write,
                total: t.total(),
            },
            s.server_cost.unwrap_or(cost).max(cost),
        ),
        _ => (mine, cost),
    }
}

/// The state label and its style.
pub fn state_label(session: Option<&SessionState>, ctx: &StatusContext) -> (String, Style) {
    match ctx.connection {
        Some(ConnectionState::ServerDied { message }) => {
            return (
                format!("server died: {message} · F5 restarts it"),
                theme::status_error(),
            )
        }
        Some(ConnectionState::Reconnecting { attempt, error }) => {
            return (
                format!("reconnecting #{attempt}: {error}"),
                theme::status_busy(),
            )
        }
        Some(ConnectionState::Connecting) => return ("connecting…".into(), theme::status_busy()),
        Some(ConnectionState::Starting { what }) => {
            let spin = SPINNER[ctx.spinner % SPINNER.len()];
            return (format!("{spin} {what} …"), theme::status_busy());
        }
        _ => {}
    }
    let Some(s) = session else {
        return ("ready".into(), theme::status_idle());
    };
    if s.pending_permissions().next().is_some() || s.pending_questions().next().is_some() {
        return ("waiting for you".into(), theme::status_busy());
    }
    match &s.status {
        SessionStatus::Retry {
            attempt,
            message,
            next,
        } => {
            let wait = next
                .map(|n| ((n - ctx.now_ms as f64) / 1000.0).ceil().max(0.0) as u64)
                .map(|secs| format!(" in {secs}s"))
                .unwrap_or_default();
            (
                format!("retry #{attempt}{wait}: {message}"),
                theme::status_error(),
            )
        }
        SessionStatus::Busy => {
            let since = ctx.busy_since_ms.or_else(|| {
                s.messages
                    .iter()
                    .rev()
                    .find(|m| m.role == Role::User)
                    .and_then(|m| m.created_ms)
            });
            let elapsed = since
                .map(|c| format!(" {}s", ((ctx.now_ms as f64 - c) / 1000.0).max(0.0) as u64))
                .unwrap_or_default();
            let spin = SPINNER[ctx.spinner % SPINNER.len()];
            let hint = if ctx.read_only { "" } else { " (esc aborts)" };
            (
                format!("{spin} working{elapsed}{hint}"),
                theme::status_busy(),
            )
        }
        SessionStatus::Idle => {
            let last_error = s
                .messages
                .iter()
                .rev()
                .find(|m| m.role == Role::Assistant)
                .and_then(|m| m.error.as_ref());
            match last_error {
                Some(e) if e.name == "MessageAbortedError" => {
                    ("interrupted · ready".into(), theme::warning())
                }
                Some(_) => ("error".into(), theme::status_error()),
                None => ("ready".into(), theme::status_idle()),
            }
        }
    }
}

/// Token and cost summary, e.g. `in 1.2k · out 340 · reason 0 · cache 0/0 · Σ 1.5k · $0.0123`.
pub fn tokens_label(t: &TokenTotals, cost: f64) -> String {
    format!(
        "in {} · out {} · reason {} · cache {}/{} · Σ {} · ${:.4}",
        human(t.input),
        human(t.output),
        human(t.reasoning),
        human(t.cache_read),
        human(t.cache_write),
        human(t.total),
        cost
    )
}

/// True when a permission or question of a subagent of `id` (a descendant session) waits.
pub fn subagent_waiting(store: &Store, id: &str) -> bool {
    store.sessions().iter().any(|s| {
        s.id != id
            && (s.pending_permissions().next().is_some() || s.pending_questions().next().is_some())
            && store.is_in_tree(&s.id, id)
    })
}

/// Draws the one-line status bar for `session_id`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    store: &Store,
    session_id: Option<&str>,
    ctx: &StatusContext,
) {
    let session = session_id.and_then(|id| store.session(id));
    let title = session
        .and_then(|s| s.title.as_deref())
        .map(|t| crate::ui::words::session_title(t, session, ctx.now_ms, ctx.utc_offset_ms))
        .unwrap_or_else(|| "ocw-tui".into());
    // A subagent's session: where it sits (parent › child).
    let crumb = session_id.and_then(|id| breadcrumb(store, id));
    let max_title = if crumb.is_some() { 72 } else { 40 };
    let title = crumb.unwrap_or(title);
    // A subagent's session shows its own agent and model (what ran there), not the ones
    // the next prompt of the top session would use.
    let child = session.is_some_and(|s| s.parent_id.is_some());
    let chosen_agent = ctx.chosen_agent.filter(|_| !child);
    let chosen_model = ctx.chosen_model.filter(|_| !child);
    let ctx = &StatusContext {
        chosen_agent,
        chosen_model,
        ..ctx.clone()
    };
    let child_agent = session
        .filter(|_| child)
        .and_then(|s| s.agent.clone().or_else(|| subagent_type(store, s)));
    let agent = ctx
        .chosen_agent
        .map(|(a, _)| a.to_string())
        .or(child_agent)
        .or_else(|| {
            session
                .and_then(|s| s.agent.clone())
                .or(ctx.agent_label.map(str::to_string))
        });
    let agent_style = match ctx.chosen_agent.and_then(|(_, c)| c) {
        Some(c) => theme::status_bar()
            .fg(c)
            .add_modifier(ratatui::style::Modifier::BOLD),
        None => theme::status_bar(),
    };
    let agent_clean = agent
        .as_deref()
        .map(|a| crate::safe_text::one_line(a).into_owned());
    let model = ctx.chosen_model.map(str::to_string).or_else(|| {
        session
            .and_then(|s| s.model.clone())
            .or(ctx.model_label.map(str::to_string))
    });
    let version = ctx.server_version.map(|v| format!("opencode {v}"));
    let who: Vec<String> = [agent, model, version].into_iter().flatten().collect();
    let meter = ctx.context_percent.map(|p| {
        let style = if p > CONTEXT_WARN {
            theme::status_error()
        } else {
            theme::status_bar()
        };
        (format!("ctx {p}%"), style)
    });
    let (state, state_style) = match session_id {
        // A subagent's request (a child session, at any depth) waits for the person too.
        Some(id)
            if matches!(ctx.connection, None | Some(ConnectionState::Connected))
                && subagent_waiting(store, id) =>
        {
            ("waiting for you".into(), theme::status_busy())
        }
        _ => state_label(session, ctx),
    };
    // Titles, agent and model names and error messages come from the server: cleaned
    // before they are measured.
    let title = crate::safe_text::one_line(&title).into_owned();
    let state = crate::safe_text::one_line(&state).into_owned();
    let width = area.width as usize;
    let sep = Span::styled(" │ ", theme::status_bar());
    let who_s = crate::safe_text::one_line(&who.join(" · ")).into_owned();
    // Most important first: state, title, tokens (long, then short), agent and model.
    let log_mark = ctx.log_failed.then_some(LOG_FAILED_MARK);
    let approvals = ctx.approvals.map(|m| format!(" · ⚠ {m}"));
    let mut room = width.saturating_sub(
        wrap::width(&state)
            + 5
            + log_mark.map_or(0, wrap::width)
            + approvals.as_deref().map_or(0, wrap::width),
    );
    let title_w = wrap::width(&title)
        .min(room.saturating_sub(0))
        .min(max_title);
    room = room.saturating_sub(title_w);
    if let Some((m, _)) = &meter {
        room = room.saturating_sub(wrap::width(m) + 3);
    }
    // A chosen agent and model (what the next prompt uses), and in a replay the recorded
    // ones (a model switch must show), go before the long totals.
    let who_need = if (ctx.chosen_agent.is_some() || ctx.read_only) && !who_s.is_empty() {
        wrap::width(&who_s) + 3
    } else {
        0
    };
    // The project folder and branch: before the long token totals, when the short ones
    // still fit beside it.
    let place = ctx
        .place
        .map(|p| crate::safe_text::one_line(p).into_owned())
        .filter(|p| !p.is_empty() && wrap::width(p) + 3 + 16 <= room.saturating_sub(who_need));
    if let Some(p) = &place {
        room = room.saturating_sub(wrap::width(p) + 3);
    }
    let right = match session {
        Some(s) => {
            let (t, c) = totals(s);
            let long = tokens_label(&t, c);
            let short = format!("Σ {} · ${:.4}", human(t.total), c);
            [room.saturating_sub(who_need), room]
                .into_iter()
                .flat_map(|r| [(long.clone(), r), (short.clone(), r)])
                .find(|(l, r)| wrap::width(l) < *r)
                .map(|(l, _)| l)
                .unwrap_or_default()
        }
        None => String::new(),
    };
    room = room.saturating_sub(wrap::width(&right) + 1);
    let show_who = !who_s.is_empty() && wrap::width(&who_s) + 3 <= room;
    let mut spans = vec![
        Span::styled(" ", theme::status_bar()),
        Span::styled(
            wrap::truncate(&title, title_w.max(1)),
            theme::status_title(),
        ),
    ];
    if show_who {
        spans.push(sep.clone());
        let chosen = ctx.chosen_agent.and(agent_clean.as_deref());
        if let Some(rest) = chosen.and_then(|a| who_s.strip_prefix(a)) {
            // The agent in its colour.
            spans.push(Span::styled(chosen.unwrap_or("").to_string(), agent_style));
            spans.push(Span::styled(rest.to_string(), theme::status_bar()));
        } else {
            spans.push(Span::styled(who_s, theme::status_bar()));
        }
    }
    spans.push(sep);
    spans.push(Span::styled(state, state_style));
    if let Some(a) = approvals {
        spans.push(Span::styled(
            a,
            theme::status_busy().add_modifier(ratatui::style::Modifier::BOLD),
        ));
    }
    if let Some(m) = log_mark {
        spans.push(Span::styled(m, theme::status_error()));
    }
    if let Some(p) = place {
        spans.push(Span::styled(" │ ", theme::status_bar()));
        spans.push(Span::styled(p, theme::status_bar()));
    }
    if !right.is_empty() || meter.is_some() {
        let meter_w = meter.as_ref().map_or(0, |(m, _)| {
            wrap::width(m) + if right.is_empty() { 0 } else { 3 }
        });
        let used = wrap::spans_width(&spans) + meter_w + wrap::width(&right) + 1;
        let pad = width.saturating_sub(used).max(1);
        spans.push(Span::styled(" ".repeat(pad), theme::status_bar()));
        if let Some((m, style)) = meter {
            spans.push(Span::styled(m, style));
            if !right.is_empty() {
                spans.push(Span::styled(" │ ", theme::status_bar()));
            }
        }
        spans.push(Span::styled(right, theme::status_bar()));
        spans.push(Span::styled(" ", theme::status_bar()));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(theme::status_bar()),
        area,
    );
}

/// The agent a subagent's session runs (`subagent_type` of its parent's `task` call).
fn subagent_type(store: &Store, child: &SessionState) -> Option<String> {
    use crate::model::state::PartKind;
    let parent = store.session(child.parent_id.as_deref()?)?;
    parent
        .messages
        .iter()
        .flat_map(|m| &m.parts)
        .find_map(|p| match &p.kind {
            PartKind::Tool(c)
                if c.tool == "task"
                    && c.metadata.get("sessionId").and_then(|v| v.as_str())
                        == Some(child.id.as_str()) =>
            {
                c.input
                    .get("subagent_type")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            }
            _ => None,
        })
}

/// The titles from the top-level session down to `id`, joined with ` › `.
pub fn breadcrumb(store: &Store, id: &str) -> Option<String> {
    let mut chain = Vec::new();
    let mut cur = Some(id.to_string());
    while let Some(c) = cur {
        if chain.len() > 16 {
            break;
        }
        let s = store.session(&c)?;
        chain.push(s.title.clone().unwrap_or_else(|| c.clone()));
        cur = s.parent_id.clone();
    }
    if chain.len() < 2 {
        return None;
    }
    chain.reverse();
    let last = chain.len() - 1;
    for t in &mut chain[..last] {
        *t = crate::ui::transcript::wrap::truncate(&crate::safe_text::one_line(t), 16);
    }
    Some(chain.join(" › "))
}
