//! Words the UI shows instead of the server's raw ones: counts with their plural ("1 line",
//! "2 lines"), permission types in plain words ("access outside the project: PATH"), and
//! an untitled session's name (its first prompt's words, or a local time, until the server
//! titles it).

use crate::model::state::{PartKind, Role, SessionState};

/// `n` and `noun`, plural when `n` is not 1: "1 line", "3 lines".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `noun`, plural when `n` is not 1: "more line", "more lines".
pub fn noun(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}

/// The permission dialog's title for a request of type `permission` on `patterns`: the
/// tools everyone knows by name keep it (`Permission: bash`); the others are said in
/// words (`access outside the project: /home/dev/other`).
pub fn permission_title(permission: &str, patterns: &[String]) -> String {
    let what = patterns
        .iter()
        .map(|p| p.strip_suffix("/*").unwrap_or(p))
        .collect::<Vec<_>>()
        .join(", ");
    let words = match permission {
        "external_directory" => "access outside the project",
        "doom_loop" => "the same tool call again (a loop?)",
        "webfetch" => "fetch a web page",
        "websearch" => "search the web",
        "codesearch" => "search code on the web",
        "task" => "start a subagent",
        "skill" => "use a skill",
        "todowrite" | "todoread" => "use the todo list",
        "lsp" => "ask the language server",
        other => return format!("Permission: {other}"),
    };
    format!("{words}{}", sep_what(&what))
}

fn sep_what(what: &str) -> String {
    if what.is_empty() || what == "*" {
        String::new()
    } else {
        format!(": {what}")
    }
}

/// The name to show for a session titled `title`: the server's own title, unless it is
/// opencode's placeholder (`New session - 2026-12-06T20:31:16.323Z`), which becomes the
/// first words of the session's first prompt (when known) or the local time it names.
pub fn session_title(
    title: &str,
    session: Option<&SessionState>,
    now_ms: u64,
    utc_offset_ms: i64,
) -> String {
    let Some((kind, stamp)) = placeholder(title) else {
        return title.to_string();
    };
    if let Some(words) = session.and_then(first_prompt_words) {
        return words;
    }
    match iso_ms(stamp) {
        Some(ms) => format!("{kind} · {}", local_time(ms, now_ms, utc_offset_ms)),
        None => title.to_string(),
    }
}

/// opencode's placeholder title: ("New session", its ISO time stamp).
fn placeholder(title: &str) -> Option<(&str, &str)> {
    ["New session - ", "Child session - "]
        .iter()
        .find_map(|p| title.strip_prefix(p).map(|s| (&p[..p.len() - 3], s)))
        .filter(|(_, s)| s.len() >= 16 && s.as_bytes().get(10) == Some(&b'T'))
}

/// Up to 6 words (40 characters) of the first prompt's text.
fn first_prompt_words(s: &SessionState) -> Option<String> {
    let m = s.messages.iter().find(|m| m.role == Role::User)?;
    let text = m.parts.iter().find_map(|p| match &p.kind {
        PartKind::Text { text, synthetic } if !synthetic && !text.trim().is_empty() => {
            Some(text.as_str())
        }
        _ => None,
    })?;
    let words: Vec<&str> = text.split_whitespace().take(6).collect();
    let mut out = words.join(" ");
    let more = text.split_whitespace().count() > words.len();
    if out.chars().count() > 40 {
        out = out.chars().take(39).collect();
        out.push('…');
    } else if more {
        out.push('…');
    }
    Some(crate::safe_text::one_line(&out).into_owned())
}

/// Epoch ms of `2026-12-06T20:31:16.323Z` (UTC; seconds and fraction optional).
fn iso_ms(s: &str) -> Option<u64> {
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi) = (num(11..13)?, num(14..16)?);
    let sec = num(17..19).unwrap_or(0);
    let days = days_from_civil(y, mo, d);
    let ms = ((days * 24 + h) * 60 + mi) * 60_000 + sec * 1000;
    u64::try_from(ms).ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of day number `z` (days since 1970-01-01).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// `21:31` when `ms` is on today's local date, else `2026-12-06 21:31`.
pub(crate) fn local_time(ms: u64, now_ms: u64, utc_offset_ms: i64) -> String {
    let local = ms as i64 + utc_offset_ms;
    let day = local.div_euclid(86_400_000);
    let mins = local.rem_euclid(86_400_000) / 60_000;
    let hm = format!("{:02}:{:02}", mins / 60, mins % 60);
    if day == (now_ms as i64 + utc_offset_ms).div_euclid(86_400_000) {
        return hm;
    }
    let (y, m, d) = civil_from_days(day);
    format!("{y}-{m:02}-{d:02} {hm}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_titles_become_a_local_time() {
        let t = "New session - 2026-12-06T20:31:16.323Z";
        let at = iso_ms("2026-12-06T20:31:16.323Z").unwrap_or(0);
        assert_eq!(
            session_title(t, None, at + 60_000, 0),
            "New session · 20:31"
        );
        assert_eq!(
            session_title(t, None, at + 60_000, 3_600_000),
            "New session · 21:31"
        );
        assert_eq!(
            session_title(t, None, at + 3 * 86_400_000, 0),
            "New session · 2026-12-06 20:31"
        );
        assert_eq!(session_title("Fix the bug", None, at, 0), "Fix the bug");
        assert_eq!(count(1, "line"), "1 line");
        assert_eq!(count(2, "line"), "2 lines");
    }
}
