//! Command output with its colours: SGR sequences (`ESC [ … m`, and the 8-bit CSI form)
//! become ratatui styles; every other escape sequence (cursor moves, screen clears, OSC
//! titles and clipboard writes, DCS, APC, PM, SOS, charset selections) is dropped, and any
//! other control character shows visibly as in [`super::for_display`].
//!
//! The whole text is parsed each time (a streamed tool output is re-parsed as it grows):
//! a sequence cut at the end of the text is dropped, and shows as soon as it is complete.
//! A string sequence (OSC…) also ends at a newline, so an unterminated one can hide at
//! most the rest of its line. Styles are explicit on every span and never outlive the
//! text: colours stay inside the tool cell that shows them.

use super::{needs_care, visible, TAB_WIDTH};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;
use unicode_width::UnicodeWidthChar;

/// Parser state between two characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After ESC.
    Esc,
    /// After ESC and intermediates (0x20-0x2F), waiting for the final byte.
    EscInter,
    /// Inside a CSI: parameters collected, `true` once an intermediate byte was seen.
    Csi(bool),
    /// Inside OSC / DCS / SOS / PM / APC, until BEL or ST.
    Str,
    /// ESC inside a string sequence (ESC `\` is ST).
    StrEsc,
}

struct Builder {
    base: Style,
    sgr: Style,
    lines: Vec<Vec<Span<'static>>>,
    line: Vec<Span<'static>>,
    buf: String,
    buf_style: Style,
    col: usize,
}

impl Builder {
    fn flush(&mut self) {
        if !self.buf.is_empty() {
            let text = std::mem::take(&mut self.buf);
            self.line
                .push(Span::styled(text, self.base.patch(self.buf_style)));
        }
    }

    fn text(&mut self, s: &str, width: usize) {
        if self.buf_style != self.sgr {
            self.flush();
            self.buf_style = self.sgr;
        }
        self.buf.push_str(s);
        self.col += width;
    }

    fn newline(&mut self) {
        self.flush();
        self.lines.push(std::mem::take(&mut self.line));
        self.col = 0;
    }
}

/// Parses `text` into lines of styled spans, each span's style `base` patched with the
/// SGR state at that point. Returns one entry per `\n`-separated line (`\r\n` counts as
/// one break).
pub fn lines(text: &str, base: Style) -> Vec<Vec<Span<'static>>> {
    if !text.bytes().any(|b| b == 0x1b || b == 0xc2) {
        return super::for_display(text)
            .split('\n')
            .map(|l| vec![Span::styled(l.to_string(), base)])
            .collect();
    }
    let mut b = Builder {
        base,
        sgr: Style::default(),
        lines: Vec::new(),
        line: Vec::new(),
        buf: String::new(),
        buf_style: Style::default(),
        col: 0,
    };
    let mut state = State::Text;
    let mut params = String::new();
    let mut chars = text.chars().peekable();
    let mut again: Option<char> = None;
    while let Some(c) = again.take().or_else(|| chars.next()) {
        let code = c as u32;
        state = match state {
            State::Text => match c {
                '\x1b' => State::Esc,
                '\u{9b}' => {
                    params.clear();
                    State::Csi(false)
                }
                '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => State::Str,
                '\u{80}'..='\u{9f}' => State::Text,
                '\n' => {
                    b.newline();
                    State::Text
                }
                '\r' if chars.peek() == Some(&'\n') => State::Text,
                '\t' => {
                    let n = TAB_WIDTH - b.col % TAB_WIDTH;
                    b.text(&" ".repeat(n), n);
                    State::Text
                }
                c if needs_care(c) => {
                    let mut s = String::new();
                    visible(c, &mut s);
                    let w = unicode_width::UnicodeWidthStr::width(s.as_str());
                    b.text(&s, w);
                    State::Text
                }
                c => {
                    let mut tmp = [0u8; 4];
                    b.text(c.encode_utf8(&mut tmp), c.width().unwrap_or(0));
                    State::Text
                }
            },
            State::Esc => match c {
                '[' => {
                    params.clear();
                    State::Csi(false)
                }
                ']' | 'P' | 'X' | '^' | '_' => State::Str,
                ' '..='/' => State::EscInter,
                '0'..='~' => State::Text,
                _ => {
                    again = Some(c);
                    State::Text
                }
            },
            State::EscInter => match c {
                ' '..='/' => State::EscInter,
                '0'..='~' => State::Text,
                _ => {
                    again = Some(c);
                    State::Text
                }
            },
            State::Csi(inter) => match code {
                0x30..=0x3f => {
                    params.push(c);
                    State::Csi(inter)
                }
                0x20..=0x2f => State::Csi(true),
                0x40..=0x7e => {
                    if c == 'm' && !inter {
                        apply(&params, &mut b.sgr);
                    }
                    State::Text
                }
                _ => {
                    again = Some(c);
                    State::Text
                }
            },
            State::Str => match c {
                '\x07' | '\u{9c}' => State::Text,
                '\x1b' => State::StrEsc,
                '\n' => {
                    again = Some(c);
                    State::Text
                }
                _ => State::Str,
            },
            State::StrEsc => match c {
                '\\' => State::Text,
                _ => {
                    again = Some(c);
                    State::Esc
                }
            },
        };
    }
    b.newline();
    b.lines
}

/// The 16 basic colours: 30-37 / 40-47 (`bright` false) and 90-97 / 100-107.
fn basic(n: u16, bright: bool) -> Color {
    const NORMAL: [Color; 8] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
    ];
    const BRIGHT: [Color; 8] = [
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    let i = (n % 10) as usize;
    if bright {
        BRIGHT[i]
    } else {
        NORMAL[i]
    }
}

/// An extended colour from its parameters after 38 / 48: `5;N` or `2;R;G;B`. Returns the
/// colour and how many parameters it used.
fn extended(p: &[u16]) -> (Option<Color>, usize) {
    match p {
        [5, n, ..] => (Some(Color::Indexed((*n).min(255) as u8)), 2),
        [2, r, g, b, ..] => (
            Some(Color::Rgb(
                (*r).min(255) as u8,
                (*g).min(255) as u8,
                (*b).min(255) as u8,
            )),
            4,
        ),
        [5] | [2, ..] => (None, p.len()),
        _ => (None, 1.min(p.len())),
    }
}

/// Applies one SGR parameter string (`1;31`, `38;5;208`, `38:2::1:2:3`) to `st`.
fn apply(params: &str, st: &mut Style) {
    if params
        .bytes()
        .any(|b| !matches!(b, b'0'..=b'9' | b';' | b':'))
    {
        return; // private (`?`, `<`, `=`, `>`): not SGR
    }
    let groups: Vec<&str> = params.split(';').collect();
    let num = |g: &str| g.parse::<u16>().unwrap_or(0);
    let mut i = 0;
    while i < groups.len() {
        let g = groups[i];
        i += 1;
        if g.contains(':') {
            // ITU form: 38:2::R:G:B (colour space id), 38:2:R:G:B, 38:5:N, 4:3.
            let sub: Vec<&str> = g.split(':').collect();
            let mut nums: Vec<u16> = sub.iter().skip(1).map(|s| num(s)).collect();
            if sub.get(1) == Some(&"2") && sub.len() == 6 {
                nums.remove(1);
            }
            match num(sub[0]) {
                38 => st.fg = extended(&nums).0.or(st.fg),
                48 => st.bg = extended(&nums).0.or(st.bg),
                4 if nums.first() == Some(&0) => *st = st.remove_modifier(Modifier::UNDERLINED),
                4 => *st = st.add_modifier(Modifier::UNDERLINED),
                _ => {}
            }
            continue;
        }
        let n = num(g);
        match n {
            0 => *st = Style::default(),
            1 => *st = st.add_modifier(Modifier::BOLD),
            2 => *st = st.add_modifier(Modifier::DIM),
            3 => *st = st.add_modifier(Modifier::ITALIC),
            4 | 21 => *st = st.add_modifier(Modifier::UNDERLINED),
            5 => *st = st.add_modifier(Modifier::SLOW_BLINK),
            6 => *st = st.add_modifier(Modifier::RAPID_BLINK),
            7 => *st = st.add_modifier(Modifier::REVERSED),
            // 8 (conceal) is ignored: output is never hidden from the person reading it.
            9 => *st = st.add_modifier(Modifier::CROSSED_OUT),
            22 => *st = st.remove_modifier(Modifier::BOLD | Modifier::DIM),
            23 => *st = st.remove_modifier(Modifier::ITALIC),
            24 => *st = st.remove_modifier(Modifier::UNDERLINED),
            25 => *st = st.remove_modifier(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK),
            27 => *st = st.remove_modifier(Modifier::REVERSED),
            29 => *st = st.remove_modifier(Modifier::CROSSED_OUT),
            30..=37 => st.fg = Some(basic(n, false)),
            90..=97 => st.fg = Some(basic(n, true)),
            40..=47 => st.bg = Some(basic(n, false)),
            100..=107 => st.bg = Some(basic(n, true)),
            39 => st.fg = None,
            49 => st.bg = None,
            38 | 48 => {
                let rest: Vec<u16> = groups[i..].iter().map(|g| num(g)).collect();
                let (c, used) = extended(&rest);
                i += used;
                if n == 38 {
                    st.fg = c.or(st.fg);
                } else {
                    st.bg = c.or(st.bg);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, style) runs of each line.
    fn runs(text: &str) -> Vec<Vec<(String, Style)>> {
        lines(text, Style::default())
            .into_iter()
            .map(|l| {
                l.into_iter()
                    .map(|s| (s.content.into_owned(), s.style))
                    .collect()
            })
            .collect()
    }

    fn plain(text: &str) -> Vec<String> {
        lines(text, Style::default())
            .into_iter()
            .map(|l| l.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    fn fg(c: Color) -> Style {
        Style::default().fg(c)
    }

    #[test]
    fn basic_colours_and_reset_are_kept() {
        assert_eq!(
            runs("\x1b[31mred\x1b[0m plain \x1b[1;42mbold\x1b[m"),
            vec![vec![
                ("red".into(), fg(Color::Red)),
                (" plain ".into(), Style::default()),
                (
                    "bold".into(),
                    Style::default()
                        .bg(Color::Green)
                        .add_modifier(Modifier::BOLD)
                ),
            ]]
        );
        assert_eq!(
            runs("\x1b[91mx\x1b[39my"),
            vec![vec![
                ("x".into(), fg(Color::LightRed)),
                ("y".into(), Style::default())
            ]]
        );
    }

    #[test]
    fn indexed_and_truecolor_are_kept() {
        assert_eq!(
            runs("\x1b[38;5;208ma\x1b[48;2;1;2;3mb\x1b[38:2::9:8:7mc"),
            vec![vec![
                ("a".into(), fg(Color::Indexed(208))),
                ("b".into(), fg(Color::Indexed(208)).bg(Color::Rgb(1, 2, 3))),
                ("c".into(), fg(Color::Rgb(9, 8, 7)).bg(Color::Rgb(1, 2, 3))),
            ]]
        );
    }

    #[test]
    fn style_carries_over_lines_and_patches_the_base() {
        let base = Style::default()
            .fg(Color::Gray)
            .add_modifier(Modifier::ITALIC);
        let l = lines("\x1b[32mone\ntwo\x1b[0m\nthree", base);
        assert_eq!(l[0][0].style, base.fg(Color::Green));
        assert_eq!(l[1][0].style, base.fg(Color::Green));
        assert_eq!(l[2][0].style, base);
    }

    #[test]
    fn other_sequences_are_dropped() {
        let s = "a\x1b]0;pwned\x07b\x1b]52;c;aGk=\x1b\\c\x1b[2J\x1b[Hd\x1bPq#0\x1b\\e\x1b(Bf\x1b[?25lg\x1b7h";
        assert_eq!(plain(s), vec!["abcdefgh"]);
        // 8-bit forms: CSI, OSC ended by ST.
        assert_eq!(plain("x\u{9b}2Jy\u{9d}0;t\u{9c}z\u{85}"), vec!["xyz"]);
        // A private-mode `m` is not SGR.
        assert_eq!(runs("\x1b[>4;1mq")[0], vec![("q".into(), Style::default())]);
    }

    #[test]
    fn other_controls_show_visibly_and_tabs_expand() {
        assert_eq!(plain("a\x07b\rc\x08\td\r\ne"), vec!["a␇b␍c␈  d", "e"]);
        assert_eq!(plain("\u{202E}x"), vec!["⟨U+202E⟩x"]);
    }

    #[test]
    fn split_sequences_show_nothing_until_complete() {
        let full = "ok \x1b[31mred\x1b[0m\n";
        for cut in 0..full.len() {
            let shown = plain(&full[..cut]).join("\n");
            assert!(!shown.contains(['\x1b', '[', '␛']), "{cut}: {shown:?}");
            assert!(full.starts_with(&shown[..shown.len().min(3)]));
        }
        // An OSC cut before its terminator hides nothing past its own line.
        assert_eq!(plain("a\x1b]0;tit"), vec!["a"]);
        assert_eq!(plain("a\x1b]0;tit\nnext"), vec!["a", "next"]);
    }

    #[test]
    fn clean_text_takes_the_fast_path() {
        assert_eq!(plain("a\nb\tc"), vec!["a", "b   c"]);
        assert_eq!(runs("x")[0], vec![("x".into(), Style::default())]);
    }

    #[test]
    fn conceal_does_not_hide_output() {
        assert_eq!(
            runs("\x1b[8msecret")[0],
            vec![("secret".into(), Style::default())]
        );
    }
}
