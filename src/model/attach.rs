//! What a prompt carries besides its text: a file (an `@` mention, a pasted image or PDF)
//! or an `@agent` mention, as the UI hands them to the front-end, which turns them into the
//! `file` / `agent` parts opencode's own client sends; and the typed `@path`s of a prompt
//! that name existing files without having been picked.

use serde_json::{json, Value};

/// One file part of a prompt. `path` is as typed (relative to the project) or absolute;
/// `token` is the text that stands for it in the prompt (`@src/main.rs`, `[Image 1]`) and
/// `start..end` its character offsets in the text sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAttachment {
    pub path: String,
    pub mime: String,
    /// A directory (its URL ends with `/`; the server lists it).
    pub dir: bool,
    pub token: String,
    pub start: usize,
    pub end: usize,
    /// Only these lines, first to last (1-based, inclusive): a typed `@path#L10-20`, as an
    /// editor plugin sends a selection. The server reads just them.
    pub lines: Option<(u32, u32)>,
}

impl FileAttachment {
    /// The `file` part as opencode's client builds it, with `project` the absolute project
    /// directory that relative paths are under.
    pub fn to_part(&self, project: &str) -> Value {
        let rel = self.path.trim_end_matches('/');
        let abs = if std::path::Path::new(rel).is_absolute() {
            rel.to_string()
        } else {
            format!("{}/{}", project.trim_end_matches('/'), rel)
        };
        let slash = if self.dir { "/" } else { "" };
        let filename = if self.mime == "text/plain" {
            format!("{rel}{slash}")
        } else {
            std::path::Path::new(rel)
                .file_name()
                .map_or(rel.to_string(), |n| n.to_string_lossy().into_owned())
        };
        // opencode's own clients ask for a range with `?start=&end=` on the URL.
        let range = match self.lines {
            Some((a, b)) if !self.dir => format!("?start={a}&end={b}"),
            _ => String::new(),
        };
        json!({
            "type": "file",
            "mime": self.mime,
            "filename": filename,
            "url": format!("file://{abs}{slash}{range}"),
            "source": {
                "type": "file",
                "path": format!("{rel}{slash}"),
                "text": {"value": self.token, "start": self.start, "end": self.end},
            },
        })
    }
}

/// An `@agent` mention (`@general`): opencode hands the prompt to that subagent (its
/// `AgentPartInput`). `start..end` are the character offsets of `@name` in the text sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentMention {
    pub name: String,
    pub start: usize,
    pub end: usize,
}

impl AgentMention {
    /// The `agent` part as opencode's own client builds it.
    pub fn to_part(&self) -> Value {
        json!({
            "type": "agent",
            "name": self.name,
            "source": {"value": format!("@{}", self.name), "start": self.start, "end": self.end},
        })
    }
}

/// The `@path` words of `text` (at its start or after whitespace) that are not already
/// attached (`known` tokens) and that `kind` says exist: `Some(true)` a directory,
/// `Some(false)` a file, `None` nothing there. Each becomes an attachment, as if picked:
/// a trailing `.`, `,`, `:`, `;`, `!`, `?` or `)` ends the sentence, not the path. Only
/// paths inside the project count (not absolute, no `..`).
pub fn typed_paths(
    text: &str,
    known: &[FileAttachment],
    kind: impl Fn(&str) -> Option<bool>,
) -> Vec<FileAttachment> {
    let mut out: Vec<FileAttachment> = Vec::new();
    let mut prev_space = true;
    for (chars, (i, c)) in text.char_indices().enumerate() {
        if c == '@' && prev_space {
            let rest = &text[i + 1..];
            let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = rest[..word_len].trim_end_matches(|c| ",.;:!?)]".contains(c));
            let token = format!("@{word}");
            let (path, lines) = split_lines(word);
            let taken = known.iter().chain(out.iter()).any(|f| f.token == token);
            // Only the project's own files, as the picker offers them.
            let outside = path.starts_with('/')
                || path.starts_with('~')
                || path.split('/').any(|part| part == "..");
            if !path.is_empty() && !taken && !outside {
                if let Some(dir) = kind(path).filter(|dir| !(*dir && lines.is_some())) {
                    let path = match dir {
                        true if !path.ends_with('/') => format!("{path}/"),
                        _ => path.to_string(),
                    };
                    let start = chars;
                    out.push(FileAttachment {
                        mime: media_mime(&path)
                            .filter(|_| !dir)
                            .unwrap_or("text/plain")
                            .to_string(),
                        dir,
                        end: start + token.chars().count(),
                        start,
                        path,
                        token,
                        lines,
                    });
                }
            }
        }
        prev_space = c.is_whitespace();
    }
    out
}

/// `src/a.rs#L10-20` -> (`src/a.rs`, lines 10 to 20); `#L7` is line 7 alone, `#L10-L20`
/// is read too. Anything else after a `#` is part of the path.
fn split_lines(word: &str) -> (&str, Option<(u32, u32)>) {
    let Some((path, range)) = word.rsplit_once("#L") else {
        return (word, None);
    };
    let (a, b) = range.split_once('-').unwrap_or((range, range));
    let b = b.strip_prefix('L').unwrap_or(b);
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(a), Ok(b)) if a >= 1 && b >= a && !path.is_empty() => (path, Some((a, b))),
        _ => (word, None),
    }
}

/// The mime type opencode gets for an attachable file by its extension: images and PDF;
/// `None` for anything else (mentioned as text).
pub fn media_mime(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_is_the_official_clients_file_part() {
        let a = FileAttachment {
            path: "src/main.rs".into(),
            mime: "text/plain".into(),
            dir: false,
            token: "@src/main.rs".into(),
            start: 8,
            end: 20,
            lines: None,
        };
        assert_eq!(
            a.to_part("/p/"),
            json!({"type":"file","mime":"text/plain","filename":"src/main.rs",
                   "url":"file:///p/src/main.rs",
                   "source":{"type":"file","path":"src/main.rs",
                             "text":{"value":"@src/main.rs","start":8,"end":20}}})
        );
        let d = FileAttachment {
            path: "src/".into(),
            dir: true,
            token: "@src/".into(),
            ..a
        };
        assert_eq!(d.to_part("/p")["url"], "file:///p/src/");
        assert_eq!(d.to_part("/p")["filename"], "src/");
    }

    #[test]
    fn an_agent_mention_is_the_official_clients_agent_part() {
        let a = AgentMention {
            name: "general".into(),
            start: 4,
            end: 12,
        };
        assert_eq!(
            a.to_part(),
            json!({"type":"agent","name":"general",
                   "source":{"value":"@general","start":4,"end":12}})
        );
    }

    #[test]
    fn typed_paths_that_exist_are_attached_once_with_their_range() {
        let exists = |p: &str| match p {
            "src/main.rs" | "é.md" | "logo.png" => Some(false),
            "src" => Some(true),
            _ => None,
        };
        let picked = FileAttachment {
            path: "é.md".into(),
            mime: "text/plain".into(),
            dir: false,
            token: "@é.md".into(),
            start: 0,
            end: 5,
            lines: None,
        };
        let exists = |p: &str| exists(p).or(p.contains("etc").then_some(false));
        let text = "@é.md see @src/main.rs, @nope and a@src @src @logo.png. @src/main.rs \
                    @/etc/hosts @../etc/x";
        let found = typed_paths(text, std::slice::from_ref(&picked), exists);
        let got: Vec<(&str, &str, bool, usize, usize)> = found
            .iter()
            .map(|f| (f.path.as_str(), f.mime.as_str(), f.dir, f.start, f.end))
            .collect();
        assert_eq!(
            got,
            [
                ("src/main.rs", "text/plain", false, 10, 22),
                ("src/", "text/plain", true, 40, 44),
                ("logo.png", "image/png", false, 45, 54),
            ]
        );
        assert_eq!(found[0].token, "@src/main.rs");
        assert_eq!(found[1].token, "@src");
    }

    #[test]
    fn a_typed_line_range_becomes_a_file_part_of_those_lines() {
        let exists = |p: &str| match p {
            "src/a.rs" => Some(false),
            "src" => Some(true),
            _ => None,
        };
        let text = "see @src/a.rs#L10-20, @src/a.rs#L7 @src/a.rs#L3-L4 @src#L1 @src/a.rs#L9-2";
        let found = typed_paths(text, &[], exists);
        type Row<'a> = (&'a str, &'a str, Option<(u32, u32)>, usize, usize);
        let got: Vec<Row> = found
            .iter()
            .map(|f| (f.path.as_str(), f.token.as_str(), f.lines, f.start, f.end))
            .collect();
        assert_eq!(
            got,
            [
                ("src/a.rs", "@src/a.rs#L10-20", Some((10, 20)), 4, 20),
                ("src/a.rs", "@src/a.rs#L7", Some((7, 7)), 22, 34),
                ("src/a.rs", "@src/a.rs#L3-L4", Some((3, 4)), 35, 50),
            ]
        );
        let part = found[0].to_part("/p");
        assert_eq!(part["url"], "file:///p/src/a.rs?start=10&end=20");
        assert_eq!(part["source"]["path"], "src/a.rs");
        assert_eq!(part["source"]["text"]["value"], "@src/a.rs#L10-20");
    }

    #[test]
    fn images_and_pdfs_have_their_mime() {
        assert_eq!(media_mime("/a/B.PNG"), Some("image/png"));
        assert_eq!(media_mime("x.pdf"), Some("application/pdf"));
        assert_eq!(media_mime("x.rs"), None);
        assert_eq!(media_mime("noext"), None);
    }
}
