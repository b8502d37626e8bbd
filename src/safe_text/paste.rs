//! Text made safe to paste: what `/copy` puts on the clipboard. Only printable text, tabs
//! and newlines survive; a terminal escape sequence (CSI such as the bracketed-paste end
//! `ESC [ 201 ~`, OSC, DCS, SOS, PM, APC, two-character ESC sequences, and their 8-bit C1
//! forms) is removed whole, and every other C0 / C1 control, DEL and bidirectional control
//! is removed. A `\r` right before `\n` is a line ending and is dropped silently.
//!
//! Invariant: no output character is a [`super::needs_care`] character other than `\t`
//! and `\n`; a text without such characters comes back unchanged (borrowed).

use super::needs_care;
use std::borrow::Cow;

/// What was removed: `removed` counts escape sequences (one each) and lone controls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasteable<'a> {
    /// The text to copy.
    pub text: Cow<'a, str>,
    /// How many control characters or sequences were removed.
    pub removed: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After ESC.
    Esc,
    /// After ESC and intermediates (0x20-0x2F), waiting for the final byte.
    EscInter,
    /// Inside a CSI, until its final byte (0x40-0x7E).
    Csi,
    /// Inside OSC / DCS / SOS / PM / APC, until BEL, ST or a newline.
    Str,
    /// ESC inside a string sequence (ESC `\` is ST).
    StrEsc,
}

fn kept(c: char) -> bool {
    c == '\t' || c == '\n' || !needs_care(c)
}

/// `s` with every escape sequence and control character removed but `\t` and `\n`.
pub fn for_clipboard(s: &str) -> Pasteable<'_> {
    if s.chars().all(kept) {
        return Pasteable {
            text: Cow::Borrowed(s),
            removed: 0,
        };
    }
    let mut out = String::with_capacity(s.len());
    let mut removed = 0usize;
    let mut state = State::Text;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let mut c = Some(c);
        // A character that ends a sequence abnormally is read again as text.
        while let Some(ch) = c.take() {
            state = match state {
                State::Text => match ch {
                    '\x1b' => {
                        removed += 1;
                        State::Esc
                    }
                    '\u{9b}' => {
                        removed += 1;
                        State::Csi
                    }
                    '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => {
                        removed += 1;
                        State::Str
                    }
                    '\r' if chars.peek() == Some(&'\n') => State::Text,
                    ch if kept(ch) => {
                        out.push(ch);
                        State::Text
                    }
                    _ => {
                        removed += 1;
                        State::Text
                    }
                },
                State::Esc => match ch {
                    '[' => State::Csi,
                    ']' | 'P' | 'X' | '^' | '_' => State::Str,
                    '\x20'..='\x2f' => State::EscInter,
                    '\x30'..='\x7e' => State::Text,
                    _ => {
                        c = Some(ch);
                        State::Text
                    }
                },
                State::EscInter => match ch {
                    '\x20'..='\x2f' => State::EscInter,
                    '\x30'..='\x7e' => State::Text,
                    _ => {
                        c = Some(ch);
                        State::Text
                    }
                },
                State::Csi => match ch {
                    '\x20'..='\x3f' => State::Csi,
                    '\x40'..='\x7e' => State::Text,
                    _ => {
                        c = Some(ch);
                        State::Text
                    }
                },
                State::Str => match ch {
                    '\x07' | '\u{9c}' => State::Text,
                    '\x1b' => State::StrEsc,
                    '\n' => {
                        out.push('\n');
                        State::Text
                    }
                    _ => State::Str,
                },
                State::StrEsc => match ch {
                    '\\' => State::Text,
                    _ => {
                        c = Some(ch);
                        State::Str
                    }
                },
            };
        }
    }
    Pasteable {
        text: Cow::Owned(out),
        removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn clip(s: &str) -> (String, usize) {
        let p = for_clipboard(s);
        (p.text.into_owned(), p.removed)
    }

    #[test]
    fn the_bracketed_paste_end_is_removed_whole() {
        assert_eq!(
            clip("echo hi\x1b[201~rm -rf ~\n"),
            ("echo hirm -rf ~\n".into(), 1)
        );
        assert_eq!(clip("a\u{9b}201~b"), ("ab".into(), 1));
    }

    #[test]
    fn string_sequences_and_lone_controls_go() {
        assert_eq!(clip("t\x1b]52;c;ZXZpbA==\x07x"), ("tx".into(), 1));
        assert_eq!(clip("t\x1b]0;title\x1b\\x"), ("tx".into(), 1));
        assert_eq!(clip("a\x1bPq#0\x1b\\b\x1b(Bc\x1b7d"), ("abcd".into(), 3));
        assert_eq!(
            clip("a\x08b\x7fc\x00d\u{202e}e\u{85}f"),
            ("abcdef".into(), 5)
        );
        // An unterminated OSC hides the rest of its line only.
        assert_eq!(clip("a\x1b]0;x\nnext"), ("a\nnext".into(), 1));
        // ESC before a control: both removed, the text after kept.
        assert_eq!(clip("a\x1b\x07b"), ("ab".into(), 2));
    }

    #[test]
    fn tabs_newlines_and_crlf() {
        assert!(matches!(
            for_clipboard("a\tb\nc é ✓").text,
            Cow::Borrowed(_)
        ));
        assert_eq!(clip("a\r\nb\rc"), ("a\nbc".into(), 1));
    }

    fn any_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            "[ -~]{0,6}",
            "[\\x00-\\x1f\\x7f]",
            "[\u{80}-\u{9f}]",
            "[\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200e}\u{200f}\u{61c}]",
            Just("\x1b[201~".to_string()),
            Just("\x1b]52;c;".to_string()),
            Just("\x1b\\".to_string()),
            "[é✓日\t\n]",
        ];
        proptest::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn no_control_survives(s in any_text()) {
            let p = for_clipboard(&s);
            prop_assert!(p.text.chars().all(kept), "{:?} -> {:?}", s, p.text);
            prop_assert_eq!(p.removed == 0, p.text == s.replace("\r\n", "\n"));
        }

        #[test]
        fn printable_text_passes_unchanged(s in "[^\\p{Cc}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200e}\u{200f}\u{61c}]{0,40}|[ -~\t\n]{0,40}") {
            let p = for_clipboard(&s);
            prop_assert_eq!(p.text.as_ref(), s.as_str());
            prop_assert_eq!(p.removed, 0);
        }
    }
}
