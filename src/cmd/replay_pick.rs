//! `ocw-tui replay` without a file: the sessions the TUI recorded (`log::default_logs`),
//! newest first with project, session title, size and time. On a terminal the person types
//! the number of the one to replay; elsewhere the list is printed and the command ends with
//! a usage error saying to pass a path.

use crate::log::default_logs::{self, LogEntry};
use crate::usage::UsageError;
use std::io::{BufRead, IsTerminal, Write};

/// At most this many logs are listed.
const SHOWN: usize = 50;

/// The log to replay, picked from the list.
pub fn pick() -> anyhow::Result<String> {
    let dir = default_logs::dir().ok_or_else(|| {
        UsageError(
            "no log given and no HOME to find recorded sessions: pass the path of a JSONL log"
                .into(),
        )
    })?;
    let logs = default_logs::list(&dir);
    if logs.is_empty() {
        return Err(UsageError(format!(
            "no log given and no recorded session in {}: pass the path of a JSONL log (or - for standard input)",
            dir.display()
        ))
        .into());
    }
    let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let text = table(&logs, crate::sys::local_utc_offset_secs());
    print!("{}", crate::safe_text::for_output(&text, tty));
    if !tty {
        return Err(UsageError(
            "no log given: pass one of the paths above (standard input is not a terminal to pick one)"
                .into(),
        )
        .into());
    }
    let shown = logs.len().min(SHOWN);
    loop {
        print!("replay which? (1-{shown}, Enter to quit): ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 || line.trim().is_empty() {
            return Err(UsageError("nothing picked".into()).into());
        }
        match line.trim().parse::<usize>() {
            Ok(n) if (1..=shown).contains(&n) => {
                return Ok(logs[n - 1].path.to_string_lossy().into_owned());
            }
            _ => println!("type a number from 1 to {shown}"),
        }
    }
}

/// The numbered list, one log a line (at most [`SHOWN`]), local time.
pub fn table(logs: &[LogEntry], utc_offset_secs: i64) -> String {
    let mut out = String::new();
    for (i, l) in logs.iter().take(SHOWN).enumerate() {
        let shift = std::time::Duration::from_secs(utc_offset_secs.unsigned_abs());
        let when = if utc_offset_secs >= 0 {
            l.modified.checked_add(shift)
        } else {
            l.modified.checked_sub(shift)
        }
        .unwrap_or(l.modified);
        let stamp = default_logs::stamp(when);
        let project = l
            .project
            .as_deref()
            .and_then(|p| std::path::Path::new(p).file_name())
            .map_or_else(|| "?".to_string(), |n| n.to_string_lossy().into_owned());
        let title = l.title.as_deref().unwrap_or("(no title)");
        out.push_str(&format!(
            "{:>3}. {} {:>8}  {}  {}\n     {}\n",
            i + 1,
            &stamp,
            size(l.size),
            project,
            title,
            l.path.display()
        ));
    }
    if logs.len() > SHOWN {
        out.push_str(&format!("... and {} older\n", logs.len() - SHOWN));
    }
    out
}

fn size(n: u64) -> String {
    match n {
        n if n < 1024 => format!("{n} B"),
        n if n < 1024 * 1024 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{:.1} MB", n as f64 / (1024.0 * 1024.0)),
    }
}
