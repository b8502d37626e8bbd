//! A file attached to a prompt (an `@` mention, a pasted image or PDF): what the UI hands
//! the front-end, which turns it into the `file` part opencode's own client sends.

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
        json!({
            "type": "file",
            "mime": self.mime,
            "filename": filename,
            "url": format!("file://{abs}{slash}"),
            "source": {
                "type": "file",
                "path": format!("{rel}{slash}"),
                "text": {"value": self.token, "start": self.start, "end": self.end},
            },
        })
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
    fn images_and_pdfs_have_their_mime() {
        assert_eq!(media_mime("/a/B.PNG"), Some("image/png"));
        assert_eq!(media_mime("x.pdf"), Some("application/pdf"));
        assert_eq!(media_mime("x.rs"), None);
        assert_eq!(media_mime("noext"), None);
    }
}
