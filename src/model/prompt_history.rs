//! The prompt history in opencode's own format (`prompt-history.jsonl`, one JSON object a
//! line: `{"input","mode","parts"}`, as opencode 1.18's TUI writes it): parsing the lines
//! into entries and an entry into a line. Pure: the file itself is the backend's
//! (backend/prompt_history.rs).
//!
//! opencode keeps the last [`MAX_ENTRIES`] entries, one list for all projects. A shell
//! command is stored without its `!` and `"mode":"shell"`; a long paste is stored as its
//! placeholder in `input` and a text part whose `source.text.value` is that placeholder
//! (the text sent in the part's `text`).

use serde_json::{json, Value};

/// Entries opencode keeps (and so do we, when reading).
pub const MAX_ENTRIES: usize = 50;

/// One remembered prompt.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryEntry {
    /// The prompt as the input shows it: `!` first for a shell command, long pastes as
    /// their tokens.
    pub text: String,
    /// Long pastes: (the token standing in `text`, the pasted text).
    pub pastes: Vec<(String, String)>,
}

impl HistoryEntry {
    pub fn plain(text: &str) -> HistoryEntry {
        HistoryEntry {
            text: text.to_string(),
            pastes: Vec::new(),
        }
    }
}

/// One line of the file as an entry; `None` for a line that is not an opencode entry.
pub fn parse_line(line: &str) -> Option<HistoryEntry> {
    let v: Value = serde_json::from_str(line).ok()?;
    let input = v.get("input")?.as_str()?;
    let shell = v.get("mode").and_then(Value::as_str) == Some("shell");
    let pastes = v
        .get("parts")
        .and_then(Value::as_array)
        .map(|parts| {
            parts
                .iter()
                .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
                .filter_map(|p| {
                    let token = p.pointer("/source/text/value")?.as_str()?;
                    let text = p.get("text")?.as_str()?;
                    (!token.is_empty() && input.contains(token))
                        .then(|| (token.to_string(), text.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(HistoryEntry {
        text: if shell {
            format!("!{input}")
        } else {
            input.to_string()
        },
        pastes,
    })
}

/// The file's text as entries, oldest first: the last [`MAX_ENTRIES`] lines that parse
/// (others are skipped, as opencode does).
pub fn parse(text: &str) -> Vec<HistoryEntry> {
    let mut all: Vec<HistoryEntry> = text
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .filter_map(parse_line)
        .collect();
    let drop = all.len().saturating_sub(MAX_ENTRIES);
    all.drain(..drop);
    all
}

/// The entry as one line of the file, newline included.
pub fn to_line(entry: &HistoryEntry) -> String {
    let (input, mode) = match entry.text.strip_prefix('!') {
        Some(cmd) => (cmd, "shell"),
        None => (entry.text.as_str(), "normal"),
    };
    let parts: Vec<Value> = entry
        .pastes
        .iter()
        .filter_map(|(token, text)| {
            let at = input.find(token.as_str())?;
            // opencode counts in UTF-16 code units (JavaScript strings).
            let start = input[..at].encode_utf16().count();
            let end = start + token.encode_utf16().count();
            Some(json!({
                "type": "text",
                "text": text,
                "source": {"text": {"start": start, "end": end, "value": token}, "kind": "paste"},
            }))
        })
        .collect();
    let mut line = json!({"input": input, "mode": mode, "parts": parts}).to_string();
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opencode_lines_round_trip() {
        let e = HistoryEntry {
            text: "see [Pasted ~3 lines] please".into(),
            pastes: vec![("[Pasted ~3 lines]".into(), "a\nb\nc".into())],
        };
        let line = to_line(&e);
        assert!(line.ends_with('\n') && !line.trim_end().contains('\n'));
        assert_eq!(parse_line(&line), Some(e));
        let shell = HistoryEntry::plain("!ls -la");
        assert!(to_line(&shell).contains(r#""mode":"shell""#));
        assert_eq!(parse_line(&to_line(&shell)), Some(shell));
    }

    #[test]
    fn bad_lines_are_skipped_and_the_last_fifty_kept() {
        let mut text = String::from("not json\n{\"other\":1}\n\n");
        for i in 0..60 {
            text.push_str(&to_line(&HistoryEntry::plain(&format!("p{i}"))));
        }
        let all = parse(&text);
        assert_eq!(all.len(), MAX_ENTRIES);
        assert_eq!(all[0].text, "p10");
        assert_eq!(all[49].text, "p59");
    }
}
