//! How the question dialog looks: the tab bar, each question with its options, the review
//! tab, and the help line that is its key line. The body scrolls (dialog_view.rs); until a
//! tab has been on screen to its end its key line says "↓ read to the end to answer".

use crate::model::event::{Question, QuestionRequest};
use crate::model::state::QuestionEntry;
use crate::ui::overlay::dialog_view::{self, Tracking};
use crate::ui::overlay::popup::{self, DialogContext};
use crate::ui::overlay::question::{Answer, QuestionDialog};
use crate::ui::{theme, transcript::wrap};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

fn tabs(
    req: &QuestionRequest,
    st: &QuestionDialog,
    recorded: Option<&[Vec<String>]>,
) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, q) in req.questions.iter().enumerate() {
        let answered = match recorded {
            Some(r) => r.get(i).is_some_and(|a| !a.is_empty()),
            None => st.collect(req).get(i).is_some_and(|a| !a.is_empty()),
        };
        let label = if q.header.is_empty() {
            format!("Q{}", i + 1)
        } else {
            q.header.clone()
        };
        let mark = if answered { "✓ " } else { "" };
        let style = if i == st.tab {
            theme::selected()
        } else {
            theme::base()
        };
        let label = crate::safe_text::one_line(&label);
        spans.push(Span::styled(format!(" {mark}{label} "), style));
        spans.push(Span::raw(" "));
    }
    let style = if st.tab == req.questions.len() {
        theme::selected()
    } else {
        theme::base()
    };
    spans.push(Span::styled(" Review ", style));
    Line::from(spans)
}

fn question_lines(
    q: &Question,
    a: &Answer,
    width: usize,
    recorded: Option<&[String]>,
) -> (Vec<Line<'static>>, Option<usize>) {
    let mut at_cursor = None;
    let mut out = wrap::wrap_words(
        &[Span::styled(q.question.clone(), theme::bold())],
        width,
        &[],
        &[],
    );
    if q.multiple {
        out.push(Line::from(Span::styled("(choose any)", theme::hint())));
    }
    let box_of = |on: bool| match (q.multiple, on) {
        (true, true) => "[x]",
        (true, false) => "[ ]",
        (false, true) => "(•)",
        (false, false) => "( )",
    };
    for (i, o) in q.options.iter().enumerate() {
        let on = match recorded {
            Some(r) => r.contains(&o.label),
            None => a.selected.get(i).copied().unwrap_or(false),
        };
        let cursor = recorded.is_none() && a.cursor == i;
        let label_style = if recorded.is_some() && on {
            theme::recorded()
        } else if cursor {
            theme::selected()
        } else {
            theme::base()
        };
        let mut spans = vec![
            Span::styled(format!("{:>2}. ", i + 1), theme::key()),
            Span::raw(format!("{} ", box_of(on))),
            Span::styled(o.label.clone(), label_style),
        ];
        if !o.description.is_empty() {
            spans.push(Span::styled(format!("  {}", o.description), theme::dim()));
        }
        if cursor {
            at_cursor = Some(out.len());
        }
        out.extend(wrap::wrap_words(
            &spans,
            width,
            &[],
            &[Span::raw("         ")],
        ));
    }
    if q.custom {
        let i = q.options.len();
        let recorded_other = recorded.and_then(|r| {
            r.iter()
                .find(|l| !q.options.iter().any(|o| &o.label == *l))
                .cloned()
        });
        let on = match recorded {
            Some(_) => recorded_other.is_some(),
            None => a.other_selected,
        };
        let cursor = recorded.is_none() && a.cursor == i;
        let style = if recorded.is_some() && on {
            theme::recorded()
        } else if cursor {
            theme::selected()
        } else {
            theme::base()
        };
        let mut spans = vec![
            Span::styled(format!("{:>2}. ", i + 1), theme::key()),
            Span::raw(format!("{} ", box_of(on))),
            Span::styled("Other: ", style),
        ];
        if cursor {
            at_cursor = Some(out.len());
        }
        let editing = a.editing && recorded.is_none();
        match recorded_other {
            Some(text) => spans.push(Span::raw(text)),
            // The answer being typed, with its cursor.
            None if editing => spans.extend(a.other.spans()),
            None => spans.push(Span::raw(a.other.text().to_string())),
        }
        if !editing && cursor && a.other.text().is_empty() {
            spans.push(Span::styled("type your answer", theme::hint()));
        }
        out.extend(wrap::wrap_words(
            &spans,
            width,
            &[],
            &[Span::raw("         ")],
        ));
    }
    (out, at_cursor)
}

fn review_lines(req: &QuestionRequest, st: &QuestionDialog, width: usize) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled(
        "Review your answers",
        theme::bold(),
    ))];
    for (q, a) in req.questions.iter().zip(st.collect(req)) {
        let ans = if a.is_empty() {
            Span::styled("(no answer)", theme::warning())
        } else {
            Span::styled(a.join(", "), theme::ok())
        };
        out.extend(wrap::wrap_words(
            &[Span::raw(format!("{}: ", q.question)), ans],
            width,
            &[Span::raw("  ")],
            &[Span::raw("    ")],
        ));
    }
    out
}

/// Lines of the dialog body for the current tab.
fn body(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    width: usize,
    read_only: bool,
) -> (Vec<Line<'static>>, Option<usize>) {
    let req = &entry.request;
    let mut out = Vec::new();
    let mut at_cursor = None;
    let recorded = if read_only {
        entry.answers.as_deref()
    } else {
        None
    };
    if req.questions.len() > 1 {
        out.push(tabs(req, st, recorded));
        // A blank row under the tabs, where the screen can spare it.
        if width >= 40 {
            out.push(Line::default());
        }
    } else if let Some(header) = req.questions.first().map(|q| &q.header) {
        // One question: no tab bar names it, so its header stands above it.
        if !header.is_empty() {
            out.push(Line::from(Span::styled(
                crate::safe_text::one_line(header).into_owned(),
                theme::dialog_title(),
            )));
        }
    }
    if st.tab >= req.questions.len() && req.questions.len() > 1 {
        out.extend(review_lines(req, st, width));
    } else if let Some(q) = req.questions.get(st.tab) {
        let default = Answer::default();
        let a = st.answers.get(st.tab).unwrap_or(&default);
        let rec = recorded.map(|r| r.get(st.tab).map(Vec::as_slice).unwrap_or(&[]));
        let (lines, cursor) = question_lines(q, a, width, rec);
        at_cursor = cursor.map(|c| c + out.len());
        out.extend(lines);
    }
    (out, at_cursor)
}

fn help_line(entry: &QuestionEntry, st: &QuestionDialog, ctx: &DialogContext) -> Line<'static> {
    let read_only = ctx.read_only;
    if !read_only && !ctx.armed {
        return popup::disarmed_hint(ctx);
    }
    if read_only {
        let what = if entry.rejected {
            "recorded: rejected".to_string()
        } else if entry.answers.is_some() {
            "recorded answer highlighted".to_string()
        } else {
            "(no answer recorded)".to_string()
        };
        return Line::from(Span::styled(what, theme::hint()));
    }
    if st.warn {
        return Line::from(Span::styled(
            "choose an answer for this question (esc rejects the whole request)",
            theme::warning(),
        ));
    }
    let req = &entry.request;
    let editing = st.answers.get(st.tab).is_some_and(|a| a.editing);
    let text = if editing {
        "type your answer · enter keeps it · esc stops typing"
    } else if st.tab >= req.questions.len() {
        "enter submits all · ←/→ back to a question · esc rejects"
    } else if req.questions.get(st.tab).is_some_and(|q| q.multiple) {
        "digits/space toggle · enter next · ←/→ questions · esc rejects"
    } else {
        "digit or ↑/↓ + enter picks · ←/→ questions · esc rejects"
    };
    Line::from(Span::styled(text, theme::hint()))
}

/// The key line in a few words, for a screen too narrow for [`help_line`] in one row. Every
/// state has one, so the key line keeps one row whether the keys are armed or not (the
/// question's rows do not jump when they arm); F1 lists every key.
fn short_help(entry: &QuestionEntry, st: &QuestionDialog, ctx: &DialogContext) -> Line<'static> {
    let req = &entry.request;
    let typing = st.answers.get(st.tab).is_some_and(|a| a.editing);
    let (text, style) = if ctx.read_only {
        return help_line(entry, st, ctx);
    } else if !ctx.armed && ctx.focused {
        ("keys arm soon · Tab: prompt", theme::warning())
    } else if !ctx.armed {
        ("waiting · Tab answers this", theme::warning())
    } else if st.warn {
        ("choose one · esc rejects all", theme::warning())
    } else if typing {
        ("enter keeps · esc stops", theme::hint())
    } else if st.tab >= req.questions.len() {
        ("enter submits · esc rejects", theme::hint())
    } else if req.questions.get(st.tab).is_some_and(|q| q.multiple) {
        ("space toggles · esc rejects", theme::hint())
    } else {
        ("enter picks · esc rejects", theme::hint())
    };
    Line::from(Span::styled(text, style))
}

/// `full` as lines of `width`, or `short` in one row where `full` would take more.
fn one_row_if_narrow(
    full: &Line<'static>,
    short: &Line<'static>,
    width: usize,
) -> Vec<Line<'static>> {
    let rows = wrap::wrap_words(&full.spans, width, &[], &[]);
    if rows.len() > 1 && short.width() <= width {
        vec![short.clone()]
    } else {
        rows
    }
}

/// The dialog's title: who asks, and how many questions.
fn title(entry: &QuestionEntry, ctx: &DialogContext) -> String {
    let asker = crate::ui::overlay::dialog_view::session_label(
        ctx.store,
        &entry.request.session_id,
        ctx.shown,
    );
    let n = entry.request.questions.len();
    if n > 1 {
        format!("Questions ({n}) from {asker}")
    } else {
        format!("Question from {asker}")
    }
}

/// The key line until the shown tab has been seen to its end.
fn unseen_keys(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
    width: usize,
) -> Vec<Line<'static>> {
    if ctx.focused {
        dialog_view::read_to_end(width)
    } else {
        one_row_if_narrow(
            &help_line(entry, st, ctx),
            &short_help(entry, st, ctx),
            width,
        )
    }
}

/// Draws (or measures) the dialog: the body scrolls (to keep the cursor in view once the
/// tab has been seen); the help line is the key line and always shows.
fn with_parts<T>(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
    f: impl FnOnce(&popup::DialogParts, &dyn Fn(usize) -> Vec<Line<'static>>) -> T,
) -> T {
    let title = title(entry, ctx);
    let right = ctx.position_label();
    let body = |w: usize| {
        let (lines, cursor) = body(entry, st, w, ctx.read_only);
        (lines, cursor.filter(|_| st.follow_cursor || ctx.read_only))
    };
    let help = help_line(entry, st, ctx);
    let short = short_help(entry, st, ctx);
    let keys = |w: usize| one_row_if_narrow(&help, &short, w);
    let unseen = |w: usize| unseen_keys(entry, st, ctx, w);
    f(
        &popup::DialogParts {
            title: &title,
            right: &right,
            body: &body,
            hint: None,
            keys: &keys,
            scroll: st.scroll,
        },
        &unseen,
    )
}

/// (wanted, least) height at `width`; the least shows the question and the keys.
pub fn heights(
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
    width: u16,
) -> (u16, u16) {
    with_parts(entry, st, ctx, |p, unseen| {
        if ctx.read_only || st.tab_seen(ctx.seen.get()) {
            (p.wanted_height(width), p.min_height(width))
        } else {
            (
                p.wanted_height_tracked(width, unseen, None),
                p.min_height_tracked(width, unseen),
            )
        }
    })
}

/// Draws the dialog for `entry` into `area`; sets `ctx.seen` in the frame that draws the
/// first tab's last line.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    entry: &QuestionEntry,
    st: &QuestionDialog,
    ctx: &DialogContext,
) {
    with_parts(entry, st, ctx, |p, unseen| {
        if ctx.read_only {
            return p.render(frame, area);
        }
        p.render_tracked(
            frame,
            area,
            &Tracking {
                seen: ctx.seen,
                view: &st.view,
                part: st.tab,
                seen_before: st.tab_seen(ctx.seen.get()),
                unseen_keys: unseen,
                unseen_hint: None,
            },
        );
    });
}
