//! What `ocw-tui run` tells on stderr beyond the answer: each request its policy
//! auto-rejected (which permission or question, in which turn), and, when the last turn
//! gave no text of its own, which turn's answer was printed instead.

use crate::backend::answer::Decision;
use crate::model::reply::PermissionReply;
use crate::model::state::Role;
use crate::model::Store;

/// "turn 2 of 2 ("ask me")": a turn for the notes (0: before the first prompt was sent).
pub fn turn_label(turn: usize, of: usize, prompt: &str) -> String {
    if turn == 0 {
        return "before the first turn".to_string();
    }
    let first = prompt.lines().next().unwrap_or("");
    let short: String = first.chars().take(40).collect();
    let more = if short.len() < prompt.trim_end().len() {
        "…"
    } else {
        ""
    };
    format!("turn {turn} of {of} (\"{short}{more}\")")
}

/// The note for a decision that rejects, naming the request; `None` for an answer.
pub fn rejected(store: &Store, decision: &Decision, turn: &str) -> Option<String> {
    match decision {
        Decision::Permission { id, decision } if decision.reply == PermissionReply::Reject => {
            let req = store
                .sessions()
                .iter()
                .flat_map(|s| s.permissions.iter())
                .find(|p| &p.request.id == id)
                .map(|p| &p.request)?;
            let what = if req.patterns.is_empty() {
                req.permission.clone()
            } else {
                format!(
                    "{} ({})",
                    req.permission,
                    clip(&req.patterns.join(", "), 60)
                )
            };
            Some(format!(
                "{turn}: permission {what} was auto-rejected (--on-permission reject; `once` or `always` allow it)"
            ))
        }
        Decision::Question { id, answers: None } => {
            let req = store
                .sessions()
                .iter()
                .flat_map(|s| s.questions.iter())
                .find(|q| &q.request.id == id)
                .map(|q| &q.request)?;
            let first = req
                .questions
                .first()
                .map(|q| q.question.as_str())
                .unwrap_or("");
            let more = match req.questions.len() {
                0 | 1 => String::new(),
                n => format!(" and {} more", n - 1),
            };
            Some(format!(
                "{turn}: question \"{}\"{more} was auto-rejected (--on-question reject; `first` answers it)",
                clip(first, 60)
            ))
        }
        _ => None,
    }
}

/// When the text printed is not the last turn's own (that turn gave no text: its request
/// was rejected, or it only ran tools), which turn it comes from.
pub fn printed_from(store: &Store, root: &str, turns: usize) -> Option<String> {
    let s = store.session(root)?;
    // The user message of each turn, and the text of the answers after it.
    let mut per_turn: Vec<String> = Vec::new();
    for m in &s.messages {
        match m.role {
            Role::User => per_turn.push(String::new()),
            Role::Assistant => {
                if let Some(t) = per_turn.last_mut() {
                    let text = m.text();
                    if !text.trim().is_empty() {
                        *t = text;
                    }
                }
            }
            Role::Unknown => {}
        }
    }
    let last = per_turn.last()?;
    if !last.trim().is_empty() || s.final_text().is_empty() {
        return None;
    }
    let from = per_turn.iter().rposition(|t| !t.trim().is_empty())?;
    // Numbered within this run (a resumed session has earlier turns before it).
    let offset = per_turn.len().saturating_sub(turns);
    let n = per_turn.len();
    Some(if from >= offset {
        format!(
            "turn {} of {turns} gave no text answer; the text printed is turn {}'s",
            n - offset,
            from + 1 - offset
        )
    } else {
        format!(
            "turn {} of {turns} gave no text answer; the text printed is from before this run",
            n - offset
        )
    })
}

fn clip(s: &str, max: usize) -> String {
    let one = crate::safe_text::one_line(s);
    if one.chars().count() <= max {
        return one.to_string();
    }
    let mut out: String = one.chars().take(max - 1).collect();
    out.push('…');
    out
}
