//! Untrusted text made safe for a terminal: every string that comes from the model, a
//! tool, the server or a log passes through here before it becomes cells or bytes on a
//! terminal. C0 / C1 control characters (ESC, CSI, OSC, BEL, backspace, a carriage return
//! inside a line, DEL) and bidirectional controls never reach the terminal: they are shown
//! as visible glyphs (`␛`, `␇`, `⟨U+202E⟩`). Tabs become spaces; newlines stay.
//!
//! Invariant: no output of this module (other than [`sgr`]'s styles) holds a character for
//! which [`needs_care`] is true, except `\n` from [`for_display`]. Clean input is returned
//! borrowed (no allocation): this runs on every streamed delta and every frame.
//!
//! Colours of command output are kept by [`sgr::lines`]; [`scrub_buffer`] is the last
//! safety net over a drawn frame; [`for_notification`] cleans OSC 9 / 777 payloads;
//! [`slug::slug`] makes a file name part of any text (a title, a server id).
//! [`paste::for_clipboard`] strips what `/copy` puts on the clipboard.

pub mod paste;
pub mod sgr;
pub mod slug;

use ratatui::buffer::Buffer;
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// Tab stops every this many columns.
pub const TAB_WIDTH: usize = 4;

/// True for a character that must not reach a terminal as it is: C0 controls (tab and
/// newline included: callers lay them out), DEL, C1 controls, bidirectional controls.
pub fn needs_care(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Bidirectional formatting characters: embeddings and overrides (U+202A-U+202E),
/// isolates (U+2066-U+2069), the marks U+200E / U+200F and the Arabic letter mark U+061C.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// True when `s` holds nothing to clean (newlines count as clean when `keep_newlines`).
fn is_clean(s: &str, keep_newlines: bool) -> bool {
    let bytes = s.as_bytes();
    // Lead bytes of every character that may need care beyond ASCII: C1 (C2 80-9F),
    // U+061C (D8 9C), U+200E.. (E2 80 / E2 81).
    let suspicious = bytes.iter().any(|&b| {
        (b < 0x20 && !(keep_newlines && b == b'\n'))
            || b == 0x7f
            || b == 0xc2
            || b == 0xd8
            || b == 0xe2
    });
    if !suspicious {
        return true;
    }
    !s.chars()
        .any(|c| needs_care(c) && !(keep_newlines && c == '\n'))
}

/// The visible stand-in of a character that needs care (never `\n` or `\t`, which
/// callers lay out): the control picture `␛` for C0 and DEL, `⟨U+009B⟩` for C1 and bidi.
pub fn visible(c: char, out: &mut String) {
    match c as u32 {
        n @ 0..=0x1f => out.push(char::from_u32(0x2400 + n).unwrap_or('�')),
        0x7f => out.push('␡'),
        n => {
            use std::fmt::Write;
            let _ = write!(out, "⟨U+{n:04X}⟩");
        }
    }
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if is_clean(s, keep_newlines) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut col = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => {
                out.push('\n');
                col = 0;
                continue;
            }
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => continue,
            '\t' => {
                let n = TAB_WIDTH - col % TAB_WIDTH;
                out.extend(std::iter::repeat_n(' ', n));
                col += n;
                continue;
            }
            c if needs_care(c) => {
                let before = out.len();
                visible(c, &mut out);
                col += unicode_width::UnicodeWidthStr::width(&out[before..]);
                continue;
            }
            c => {
                out.push(c);
                col += c.width().unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

/// Text for display over several lines: newlines kept (`\r\n` counts as one), tabs
/// expanded, every other control or bidi character shown visibly.
pub fn for_display(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// Text for display on one line: as [`for_display`], and a newline shows as `␊`.
pub fn one_line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// A notification payload (OSC 9 / OSC 777 body): every control and bidi character
/// removed, so the text can never end the sequence early or start another one.
pub fn for_notification(s: &str, max_chars: usize) -> String {
    s.chars()
        .filter(|c| !needs_care(*c))
        .take(max_chars)
        .collect()
}

/// The last safety net, run over every drawn frame: a cell whose symbol still holds a
/// control or bidi character (a renderer forgot to clean) shows a visible glyph instead
/// (`␛` and its kin for C0, `�` for C1 and bidi), so nothing reaches the terminal.
pub fn scrub_buffer(buf: &mut Buffer) {
    for cell in buf.content.iter_mut() {
        let sym = cell.symbol();
        if sym.is_ascii() && sym.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            continue;
        }
        if let Some(bad) = sym.chars().find(|&c| needs_care(c)) {
            let glyph = match bad as u32 {
                n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('�'),
                0x7f => '␡',
                _ => '�',
            };
            cell.set_char(glyph);
        }
    }
}

/// `text` for a human on stdout or stderr: cleaned when that stream is a terminal, byte
/// for byte when it is a pipe or a file (what a script reads is what the model wrote).
pub fn for_output(text: &str, is_terminal: bool) -> Cow<'_, str> {
    if is_terminal {
        for_display(text)
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;

    #[test]
    fn clean_text_is_borrowed() {
        for s in ["plain", "naïve — “quoted” …", "two\nlines", ""] {
            assert!(matches!(for_display(s), Cow::Borrowed(_)), "{s:?}");
        }
        assert!(matches!(one_line("a\nb"), Cow::Owned(_)));
    }

    #[test]
    fn controls_show_as_pictures() {
        assert_eq!(
            for_display("\x1b]0;pwned\x07\x1b[2J\x08\x7f"),
            "␛]0;pwned␇␛[2J␈␡"
        );
        assert_eq!(for_display("a\r\nb\rc"), "a\nb␍c");
        assert_eq!(one_line("a\nb"), "a␊b");
        assert_eq!(for_display("\u{9b}31m\u{9d}x"), "⟨U+009B⟩31m⟨U+009D⟩x");
    }

    #[test]
    fn bidi_controls_are_visible() {
        assert_eq!(
            one_line("ls \u{202E}txt.exe\u{2066}"),
            "ls ⟨U+202E⟩txt.exe⟨U+2066⟩"
        );
        assert_eq!(one_line("\u{200F}\u{061C}"), "⟨U+200F⟩⟨U+061C⟩");
    }

    #[test]
    fn tabs_expand_to_tab_stops() {
        assert_eq!(for_display("a\tb\n\tc"), "a   b\n    c");
        assert_eq!(for_display("abcd\te"), "abcd    e");
    }

    #[test]
    fn notification_payload_cannot_end_early() {
        let s = for_notification("t\x1b\\i\x07t\u{9c}l\u{9d}e\u{202E}\nx", 200);
        assert_eq!(s, "t\\itlex");
        assert_eq!(for_notification("abcdef", 3), "abc");
    }

    #[test]
    fn scrub_replaces_controls_left_in_cells() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 1));
        buf[(0, 0)].set_symbol("a\x1b");
        buf[(1, 0)].set_symbol("\x07");
        buf[(2, 0)].set_symbol("\u{202E}");
        buf[(3, 0)].set_symbol("é");
        scrub_buffer(&mut buf);
        let syms: Vec<&str> = buf.content.iter().map(|c| c.symbol()).collect();
        assert_eq!(syms, vec!["␛", "␇", "�", "é"]);
    }

    #[test]
    fn stdout_is_cleaned_only_on_a_terminal() {
        let s = "x\x1b]52;c;aGk=\x07";
        assert_eq!(for_output(s, false), s);
        assert_eq!(for_output(s, true), "x␛]52;c;aGk=␇");
    }
}
