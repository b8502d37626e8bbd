//! Copying text to the system clipboard with OSC 52: the terminal (or tmux) sets its
//! clipboard from an escape sequence, so it works over ssh and needs no xclip.
//!
//! [`osc52`] returns the exact bytes to write to the terminal, so callers and tests see
//! what goes out: `ESC ] 52 ; c ; <base64 of the text> BEL`. The text is base64 (never
//! sanitised, never cut); nothing else of the caller's reaches the sequence.
//!
//! tmux: with `set -g set-clipboard on` tmux takes the plain sequence itself (the text
//! lands in a tmux buffer, `tmux show-buffer`) and forwards it to the outer terminal.
//! tmux 3.3's default `external` ignores it from applications; there the passthrough
//! wrapping ([`Wrap::TmuxPassthrough`]) reaches the outer terminal only with
//! `set -g allow-passthrough on`. Plain is the default: it is what tmux documents.
//!
//! Size: texts over [`MAX_BYTES`] (100,000 bytes, 133,336 bytes of base64) are refused
//! with [`TooLarge`] (say so and offer `/export`), never cut. tmux 3.3 takes a 100 kB
//! text whole; some terminals cap lower (xterm and others are configurable).

use base64::Engine;

/// The largest text copied, in bytes of UTF-8.
pub const MAX_BYTES: usize = 100_000;

/// How the sequence is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wrap {
    /// The plain OSC 52 sequence: terminals, and tmux with `set-clipboard on`.
    #[default]
    Plain,
    /// Inside tmux's passthrough envelope (`ESC P tmux; ... ESC \`, every ESC doubled):
    /// goes to the outer terminal when tmux has `allow-passthrough on`.
    TmuxPassthrough,
}

/// A text too big to copy whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "not copied: the text is {} kB, over the {} kB clipboard limit (OSC 52); use /export to save it to a file",
    .len.div_ceil(1000),
    MAX_BYTES / 1000
)]
pub struct TooLarge {
    /// The text's size in bytes.
    pub len: usize,
}

/// The bytes that copy `text` to the clipboard, or [`TooLarge`]. (An empty text gives an
/// empty payload, which some terminals read as "clear the clipboard": don't copy nothing.)
pub fn osc52(text: &str, wrap: Wrap) -> Result<Vec<u8>, TooLarge> {
    if text.len() > MAX_BYTES {
        return Err(TooLarge { len: text.len() });
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let mut out = Vec::with_capacity(b64.len() + 24);
    match wrap {
        Wrap::Plain => {
            out.extend_from_slice(b"\x1b]52;c;");
            out.extend_from_slice(b64.as_bytes());
            out.push(0x07);
        }
        Wrap::TmuxPassthrough => {
            // Inside the DCS every ESC is doubled; BEL ends the inner OSC.
            out.extend_from_slice(b"\x1bPtmux;\x1b\x1b]52;c;");
            out.extend_from_slice(b64.as_bytes());
            out.extend_from_slice(b"\x07\x1b\\");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_sequence_is_osc52_with_base64_and_bel() {
        let b = osc52("hello", Wrap::Plain).unwrap();
        assert_eq!(b, b"\x1b]52;c;aGVsbG8=\x07");
    }

    #[test]
    fn hostile_text_never_leaves_the_base64() {
        let text = "a\x1b]52;c;evil\x07\x1b\\\u{9b}2J\u{202e}é\nend";
        for wrap in [Wrap::Plain, Wrap::TmuxPassthrough] {
            let b = osc52(text, wrap).unwrap();
            let s = std::str::from_utf8(&b).unwrap();
            let (head, tail) = match wrap {
                Wrap::Plain => ("\x1b]52;c;", "\x07"),
                Wrap::TmuxPassthrough => ("\x1bPtmux;\x1b\x1b]52;c;", "\x07\x1b\\"),
            };
            let body = s.strip_prefix(head).unwrap().strip_suffix(tail).unwrap();
            assert!(body
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"+/=".contains(&c)));
            let back = base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap();
            assert_eq!(back, text.as_bytes());
        }
    }

    #[test]
    fn passthrough_doubles_the_inner_escape() {
        let b = osc52("x", Wrap::TmuxPassthrough).unwrap();
        assert_eq!(b, b"\x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\");
    }

    #[test]
    fn the_limit_is_inclusive_and_over_it_nothing_is_sent() {
        let at = "x".repeat(MAX_BYTES);
        assert_eq!(osc52(&at, Wrap::Plain).unwrap().len(), 8 + 133_336);
        let over = "x".repeat(MAX_BYTES + 1);
        let err = osc52(&over, Wrap::Plain).unwrap_err();
        assert_eq!(err.len, MAX_BYTES + 1);
        assert_eq!(
            err.to_string(),
            "not copied: the text is 101 kB, over the 100 kB clipboard limit (OSC 52); \
             use /export to save it to a file"
        );
    }

    #[test]
    fn empty_text_is_a_valid_sequence() {
        assert_eq!(osc52("", Wrap::Plain).unwrap(), b"\x1b]52;c;\x07");
    }
}
