//! The line-editing keys of every text field, once: readline's and opencode's (Ctrl+A / E,
//! Ctrl+U / K / W, Alt+B / F / D / Backspace, Ctrl+Left / Right, Ctrl+Y yank, Ctrl+_ undo,
//! Ctrl+Alt+_ redo).
//! [`command`] maps a key to an [`Edit`]; [`LineField`] applies it to a one-line field
//! (session rename and filter, picker and find queries, the "Other" answer, the reject
//! message); the prompt (input.rs) applies the same edits to its multi-line text, so the
//! keys mean the same everywhere. Word ranges ([`word_back`], [`word_forward`]) are shared.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The most undo steps a field keeps.
const MAX_UNDO: usize = 200;

/// One editing command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    WordLeft,
    WordRight,
    /// Ctrl+U: delete to the line start (into the kill buffer).
    KillToStart,
    /// Ctrl+K: delete to the line end.
    KillToEnd,
    /// Ctrl+W, Alt+Backspace: delete the word before the cursor.
    KillWordBack,
    /// Alt+D: delete the word after the cursor.
    KillWordForward,
    /// Ctrl+Y: insert the last killed text.
    Yank,
    /// Ctrl+_ (Ctrl+- / Ctrl+/ on most terminals): undo the last edit.
    Undo,
    /// Ctrl+Alt+_ (Emacs's undo-redo): redo the edit last undone.
    Redo,
}

impl Edit {
    /// True when the command changes the text (not only the cursor).
    pub fn modifies(self) -> bool {
        !matches!(
            self,
            Edit::Left | Edit::Right | Edit::Home | Edit::End | Edit::WordLeft | Edit::WordRight
        )
    }
}

/// The line-editing keys, as (keys, what) for the help and the README (keys.rs's table).
pub const KEYS: &[(&str, &str)] = &[
    ("Ctrl+A / Ctrl+E, Home / End", "line start / end"),
    ("Alt+B / Alt+F, Ctrl+Left / Right", "word back / forward"),
    ("Ctrl+U / Ctrl+K", "delete to the line start / end"),
    (
        "Ctrl+W, Alt+Backspace / Alt+D",
        "delete the word before / after the cursor",
    ),
    (
        "Ctrl+Y",
        "yank: insert the text last deleted with Ctrl+U / K / W",
    ),
    ("Ctrl+_ (Ctrl+- or Ctrl+/)", "undo typing"),
    ("Ctrl+Alt+_ (Ctrl+Alt+- or Ctrl+Alt+/)", "redo typing"),
];

/// The edit a key means in a text field, or `None` when it is not an editing key.
/// Ctrl+Z is none of them (it suspends).
pub fn command(key: &KeyEvent) -> Option<Edit> {
    let m = key.modifiers.difference(KeyModifiers::SHIFT);
    let ctrl = m == KeyModifiers::CONTROL;
    let alt = m == KeyModifiers::ALT;
    let none = m.is_empty();
    Some(match key.code {
        KeyCode::Char(c) if none => Edit::Insert(c),
        KeyCode::Backspace if none => Edit::Backspace,
        KeyCode::Char('h') if ctrl => Edit::Backspace,
        KeyCode::Backspace if alt || ctrl => Edit::KillWordBack,
        KeyCode::Delete if none => Edit::Delete,
        KeyCode::Delete if alt || ctrl => Edit::KillWordForward,
        KeyCode::Left if none => Edit::Left,
        KeyCode::Right if none => Edit::Right,
        KeyCode::Left if ctrl || alt => Edit::WordLeft,
        KeyCode::Right if ctrl || alt => Edit::WordRight,
        KeyCode::Home if none => Edit::Home,
        KeyCode::End if none => Edit::End,
        KeyCode::Char('a') if ctrl => Edit::Home,
        KeyCode::Char('e') if ctrl => Edit::End,
        KeyCode::Char('b') if alt => Edit::WordLeft,
        KeyCode::Char('f') if alt => Edit::WordRight,
        KeyCode::Char('d') if alt => Edit::KillWordForward,
        KeyCode::Char('u') if ctrl => Edit::KillToStart,
        KeyCode::Char('k') if ctrl => Edit::KillToEnd,
        KeyCode::Char('w') if ctrl => Edit::KillWordBack,
        KeyCode::Char('y') if ctrl => Edit::Yank,
        // Ctrl+_ is byte 0x1F, which crossterm reads as Ctrl+7; the kitty protocol
        // reports Ctrl+- and Ctrl+/ as themselves.
        KeyCode::Char('_' | '-' | '7' | '/') if ctrl => Edit::Undo,
        KeyCode::Char('_' | '-' | '7' | '/') if m == KeyModifiers::CONTROL | KeyModifiers::ALT => {
            Edit::Redo
        }
        _ => return None,
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Where the word before `at` starts (readline's Alt+B: skip non-word characters, then
/// the word).
pub fn word_back(chars: &[char], at: usize) -> usize {
    let mut i = at.min(chars.len());
    while i > 0 && !is_word(chars[i - 1]) {
        i -= 1;
    }
    while i > 0 && is_word(chars[i - 1]) {
        i -= 1;
    }
    i
}

/// Where the word after `at` ends (readline's Alt+F).
pub fn word_forward(chars: &[char], at: usize) -> usize {
    let mut i = at.min(chars.len());
    while i < chars.len() && !is_word(chars[i]) {
        i += 1;
    }
    while i < chars.len() && is_word(chars[i]) {
        i += 1;
    }
    i
}

/// Where Ctrl+W's deletion starts: the whitespace-separated word before `at`
/// (readline's unix-word-rubout).
pub fn rubout_start(chars: &[char], at: usize) -> usize {
    let mut i = at.min(chars.len());
    while i > 0 && chars[i - 1].is_whitespace() {
        i -= 1;
    }
    while i > 0 && !chars[i - 1].is_whitespace() {
        i -= 1;
    }
    i
}

/// The character range an edit deletes on a line with the cursor at `at`, or `None`
/// when it deletes nothing there. `ctrl_w`: the key was Ctrl+W (whitespace words).
pub fn deletion(e: Edit, chars: &[char], at: usize, ctrl_w: bool) -> Option<(usize, usize)> {
    let at = at.min(chars.len());
    let r = match e {
        Edit::Backspace => (at.checked_sub(1)?, at),
        Edit::Delete if at < chars.len() => (at, at + 1),
        Edit::KillToStart => (0, at),
        Edit::KillToEnd => (at, chars.len()),
        Edit::KillWordBack if ctrl_w => (rubout_start(chars, at), at),
        Edit::KillWordBack => (word_back(chars, at), at),
        Edit::KillWordForward => (at, word_forward(chars, at)),
        _ => return None,
    };
    (r.0 < r.1).then_some(r)
}

/// A one-line text field with a cursor, a kill buffer and undo.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineField {
    text: String,
    /// Character index (kept at most the length).
    cursor: usize,
    kill: String,
    undo: Vec<(String, usize)>,
    /// What undo took back, for redo (emptied by any new edit).
    redo: Vec<(String, usize)>,
    /// The last edit typed a character (typing coalesces into one undo step per word).
    typing: bool,
}

impl LineField {
    /// A field holding `text`, the cursor at its end.
    pub fn new(text: &str) -> LineField {
        LineField {
            text: text.to_string(),
            cursor: text.chars().count(),
            ..Default::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The cursor as a character index.
    pub fn cursor(&self) -> usize {
        self.cursor.min(self.text.chars().count())
    }

    /// Replaces the text (the cursor goes to its end; undo goes back to the old text).
    pub fn set(&mut self, text: &str) {
        if text != self.text {
            self.save();
            self.text = text.to_string();
        }
        self.cursor = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.set("");
    }

    /// Inserts `s` at the cursor (line breaks become spaces: one line).
    pub fn insert(&mut self, s: &str) {
        let s = s.replace("\r\n", " ").replace(['\r', '\n'], " ");
        if s.is_empty() {
            return;
        }
        self.save();
        let at = self.byte(self.cursor());
        self.text.insert_str(at, &s);
        self.cursor = self.cursor() + s.chars().count();
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn save(&mut self) {
        if self.undo.len() >= MAX_UNDO {
            self.undo.remove(0);
        }
        self.undo.push((self.text.clone(), self.cursor()));
        self.redo.clear();
    }

    /// Applies a key: `Some(changed)` when it is an editing key (changed: the text
    /// changed), `None` when it is not (the caller's key).
    pub fn key(&mut self, key: &KeyEvent) -> Option<bool> {
        let e = command(key)?;
        let ctrl_w = key.code == KeyCode::Char('w');
        Some(self.apply(e, ctrl_w))
    }

    /// Applies an edit; true when the text changed.
    pub fn apply(&mut self, e: Edit, ctrl_w: bool) -> bool {
        let chars: Vec<char> = self.text.chars().collect();
        let at = self.cursor();
        let typing = std::mem::replace(&mut self.typing, matches!(e, Edit::Insert(_)));
        if let Some((a, b)) = deletion(e, &chars, at, ctrl_w) {
            self.save();
            let removed: String = chars[a..b].iter().collect();
            if !matches!(e, Edit::Backspace | Edit::Delete) {
                self.kill = removed;
            }
            let (ba, bb) = (self.byte(a), self.byte(b));
            self.text.replace_range(ba..bb, "");
            self.cursor = a;
            return true;
        }
        let to = match e {
            Edit::Insert(c) => {
                // Typed characters coalesce into one undo step per word.
                if c == ' ' || !typing {
                    self.save();
                }
                let b = self.byte(at);
                self.text.insert(b, c);
                self.cursor = at + 1;
                return true;
            }
            Edit::Yank => {
                let k = self.kill.clone();
                self.insert(&k);
                return !k.is_empty();
            }
            Edit::Undo | Edit::Redo => {
                let (from, to) = match e {
                    Edit::Undo => (&mut self.undo, &mut self.redo),
                    _ => (&mut self.redo, &mut self.undo),
                };
                let Some((t, c)) = from.pop() else {
                    return false;
                };
                to.push((std::mem::replace(&mut self.text, t), self.cursor));
                self.cursor = c;
                return true;
            }
            Edit::Left => at.saturating_sub(1),
            Edit::Right => (at + 1).min(chars.len()),
            Edit::Home => 0,
            Edit::End => chars.len(),
            Edit::WordLeft => word_back(&chars, at),
            Edit::WordRight => word_forward(&chars, at),
            _ => at,
        };
        self.cursor = to;
        false
    }

    /// The text with `mark` at the cursor (for a field drawn as one string).
    pub fn with_cursor(&self, mark: &str) -> String {
        let b = self.byte(self.cursor());
        format!("{}{mark}{}", &self.text[..b], &self.text[b..])
    }

    /// (before the cursor, after it).
    pub fn split(&self) -> (&str, &str) {
        self.text.split_at(self.byte(self.cursor()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    fn run(f: &mut LineField, keys: &[KeyEvent]) {
        for key in keys {
            f.key(key);
        }
    }

    #[test]
    fn readline_keys_move_and_delete() {
        let c = KeyModifiers::CONTROL;
        let a = KeyModifiers::ALT;
        let mut f = LineField::new("git commit --amend now");
        run(&mut f, &[k(KeyCode::Char('w'), c)]);
        assert_eq!(f.text(), "git commit --amend ");
        run(&mut f, &[k(KeyCode::Backspace, a)]);
        assert_eq!(f.text(), "git commit --");
        run(
            &mut f,
            &[k(KeyCode::Char('a'), c), k(KeyCode::Char('f'), a)],
        );
        assert_eq!(f.cursor(), 3);
        run(&mut f, &[k(KeyCode::Char('k'), c)]);
        assert_eq!(f.text(), "git");
        run(&mut f, &[k(KeyCode::Char('y'), c)]);
        assert_eq!(f.text(), "git commit --");
        run(&mut f, &[k(KeyCode::Left, c), k(KeyCode::Char('u'), c)]);
        assert_eq!(f.text(), "commit --");
        run(
            &mut f,
            &[k(KeyCode::Char('e'), c), k(KeyCode::Char('_'), c)],
        );
        assert_eq!(f.text(), "git commit --");
        run(
            &mut f,
            &[
                k(KeyCode::Home, KeyModifiers::NONE),
                k(KeyCode::Char('d'), a),
            ],
        );
        assert_eq!(f.text(), " commit --");
        assert_eq!(command(&k(KeyCode::Char('z'), c)), None);
    }

    #[test]
    fn typing_undoes_a_word_at_a_time() {
        let mut f = LineField::default();
        for ch in "hello world".chars() {
            f.key(&k(KeyCode::Char(ch), KeyModifiers::NONE));
        }
        f.key(&k(KeyCode::Char('7'), KeyModifiers::CONTROL));
        assert_eq!(f.text(), "hello");
        f.key(&k(KeyCode::Char('7'), KeyModifiers::CONTROL));
        assert_eq!(f.text(), "");
        let redo = k(
            KeyCode::Char('_'),
            KeyModifiers::CONTROL | KeyModifiers::ALT,
        );
        f.key(&redo);
        assert_eq!(f.text(), "hello");
        f.key(&redo);
        assert_eq!(f.text(), "hello world");
        f.key(&k(KeyCode::Char('7'), KeyModifiers::CONTROL));
        f.key(&k(KeyCode::Char('!'), KeyModifiers::NONE));
        f.key(&redo);
        assert_eq!(f.text(), "hello!", "a new edit ends the redo");
    }

    #[test]
    fn wide_and_accented_text_is_cut_on_characters() {
        let mut f = LineField::new("é日本 x");
        f.key(&k(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(f.text(), "é日本 ");
        f.key(&k(KeyCode::Char('a'), KeyModifiers::CONTROL));
        f.key(&k(KeyCode::Delete, KeyModifiers::NONE));
        assert_eq!(f.with_cursor("|"), "|日本 ");
    }
}
