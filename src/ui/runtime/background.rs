//! Detecting the terminal's background (dark or light) before the UI starts: an OSC 11
//! query on the controlling terminal, answered within a short timeout, then `COLORFGBG`.
//! The query is followed by a primary device attributes request (DA1), which every
//! terminal answers: a DA1 reply without an OSC 11 reply before it means "no answer
//! coming", so a terminal that ignores OSC 11 costs no wait.

use std::time::{Duration, Instant};

/// How long to wait for the terminal's answer.
pub const QUERY_TIMEOUT: Duration = Duration::from_millis(150);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Background {
    Dark,
    Light,
}

/// The background by relative luminance of an (r, g, b) colour in 0..=1.
pub fn from_rgb(r: f64, g: f64, b: f64) -> Background {
    if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 {
        Background::Light
    } else {
        Background::Dark
    }
}

/// What the terminal answered so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// An OSC 11 colour.
    Color(Background),
    /// The DA1 answer came first: this terminal does not answer OSC 11.
    Unsupported,
    /// Nothing complete yet: read more.
    Incomplete,
}

/// Parses what the terminal sent after the query: `ESC ] 11 ; rgb:R/G/B` ended by BEL or
/// ST (`ESC \`), each component 1 to 4 hex digits; other bytes around it are skipped.
pub fn parse_reply(bytes: &[u8]) -> Reply {
    let text = String::from_utf8_lossy(bytes);
    if let Some(start) = text.find("\x1b]11;") {
        let rest = &text[start + 5..];
        let end = rest
            .find('\x07')
            .or_else(|| rest.find("\x1b\\"))
            .map(|e| &rest[..e]);
        return match end {
            Some(body) => parse_color(body).map_or(Reply::Unsupported, Reply::Color),
            None => Reply::Incomplete,
        };
    }
    // A DA1 answer: ESC [ ? ... c
    if let Some(i) = text.find("\x1b[?") {
        if text[i + 3..].find('c').is_some_and(|e| {
            text[i + 3..i + 3 + e]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b';')
        }) {
            return Reply::Unsupported;
        }
    }
    Reply::Incomplete
}

/// `rgb:RRRR/GGGG/BBBB` (or `rgba:`, alpha ignored) as a background.
fn parse_color(body: &str) -> Option<Background> {
    let (_, spec) = body.split_once(':')?;
    let mut comps = spec.split('/').map(|c| {
        if c.is_empty() || c.len() > 4 {
            return None;
        }
        let v = u32::from_str_radix(c, 16).ok()?;
        Some(v as f64 / ((1u32 << (4 * c.len())) - 1) as f64)
    });
    let (r, g, b) = (comps.next()??, comps.next()??, comps.next()??);
    Some(from_rgb(r, g, b))
}

/// `COLORFGBG` (`fg;bg` or `fg;default;bg`, set by rxvt, Konsole and others): the
/// background colour number 0-6 or 8 is dark, 7 and 9-15 light (as Vim reads it).
pub fn from_colorfgbg(value: &str) -> Option<Background> {
    let bg: u8 = value.rsplit(';').next()?.trim().parse().ok()?;
    match bg {
        0..=6 | 8 => Some(Background::Dark),
        7 | 9..=15 => Some(Background::Light),
        _ => None,
    }
}

/// The terminal's background: the OSC 11 answer, else `COLORFGBG`, else `None` (unknown).
/// Never waits longer than `QUERY_TIMEOUT`; asks only when standard output is a terminal.
pub fn detect() -> Option<Background> {
    use std::io::IsTerminal;
    let term = std::env::var("TERM").unwrap_or_default();
    // Only a terminal the UI draws on is asked (never one we merely inherited).
    let queried = if term == "dumb" || term.is_empty() || !std::io::stdout().is_terminal() {
        None
    } else {
        query_tty(QUERY_TIMEOUT)
    };
    queried.or_else(|| from_colorfgbg(&std::env::var("COLORFGBG").ok()?))
}

/// Collects the answer: `read(left)` waits at most `left` for more bytes (`None`: nothing
/// came, or the terminal is gone). Stops at a complete answer, a DA1 reply, or `timeout`.
pub fn await_reply(
    timeout: Duration,
    now: impl Fn() -> Instant,
    mut read: impl FnMut(Duration) -> Option<Vec<u8>>,
) -> Option<Background> {
    let deadline = now() + timeout;
    let mut got = Vec::new();
    while let Some(left) = deadline
        .checked_duration_since(now())
        .filter(|l| !l.is_zero())
    {
        got.extend(read(left)?);
        match parse_reply(&got) {
            Reply::Color(b) => return Some(b),
            Reply::Unsupported => return None,
            Reply::Incomplete => {}
        }
    }
    None
}

/// Asks the controlling terminal (`/dev/tty`, so it works when stdin holds a log) for its
/// background, with its own raw mode for the duration. `None` without a terminal, or
/// when it does not answer in time.
fn query_tty(timeout: Duration) -> Option<Background> {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let fd = tty.as_raw_fd();
    let saved = crate::sys::tty_raw(fd)?;
    let mut answer = None;
    if tty.write_all(b"\x1b]11;?\x1b\\\x1b[c").is_ok() && tty.flush().is_ok() {
        answer = await_reply(timeout, Instant::now, |left| {
            let ms = left.as_millis().clamp(1, 1000) as i32;
            let mut buf = [0u8; 256];
            match crate::sys::poll_readable(fd, ms).then(|| tty.read(&mut buf)) {
                Some(Ok(k)) if k > 0 => Some(buf[..k].to_vec()),
                _ => None,
            }
        });
    }
    crate::sys::tty_restore(fd, &saved);
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_with_st_is_light_and_black_with_bel_is_dark() {
        let white = b"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?1;2c";
        assert_eq!(parse_reply(white), Reply::Color(Background::Light));
        let black = b"\x1b]11;rgb:00/00/00\x07";
        assert_eq!(parse_reply(black), Reply::Color(Background::Dark));
    }

    #[test]
    fn short_and_long_components_scale_alike() {
        for reply in ["rgb:f/f/e", "rgb:fdf6/e3e3/c8c8", "rgba:fd/f6/e3/ff"] {
            let r = format!("\x1b]11;{reply}\x07");
            assert_eq!(
                parse_reply(r.as_bytes()),
                Reply::Color(Background::Light),
                "{reply}"
            );
        }
        // Solarized dark's base03.
        let r = b"\x1b]11;rgb:0000/2b2b/3636\x1b\\";
        assert_eq!(parse_reply(r), Reply::Color(Background::Dark));
    }

    #[test]
    fn a_cut_reply_waits_and_da1_alone_means_no_answer() {
        assert_eq!(parse_reply(b""), Reply::Incomplete);
        assert_eq!(parse_reply(b"\x1b]11;rgb:ff"), Reply::Incomplete);
        assert_eq!(parse_reply(b"\x1b[?62;22c"), Reply::Unsupported);
        assert_eq!(parse_reply(b"typed\x1b[?1;2c"), Reply::Unsupported);
        assert_eq!(parse_reply(b"\x1b]11;garbage\x07"), Reply::Unsupported);
    }

    #[test]
    fn colorfgbg_names_the_background_last() {
        assert_eq!(from_colorfgbg("15;0"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("0;15"), Some(Background::Light));
        assert_eq!(from_colorfgbg("0;default;7"), Some(Background::Light));
        assert_eq!(from_colorfgbg("12;8"), Some(Background::Dark));
        assert_eq!(from_colorfgbg("default"), None);
        assert_eq!(from_colorfgbg(""), None);
    }

    /// A fake clock: each read takes the time it is given, or `step`.
    fn fake(chunks: Vec<&'static [u8]>, step: Duration) -> (Option<Background>, Vec<Duration>) {
        let t0 = Instant::now();
        let clock = std::cell::Cell::new(t0);
        let mut waits = Vec::new();
        let mut chunks = chunks.into_iter();
        let got = await_reply(
            QUERY_TIMEOUT,
            || clock.get(),
            |left| {
                waits.push(left);
                match chunks.next() {
                    Some(c) => {
                        clock.set(clock.get() + step);
                        Some(c.to_vec())
                    }
                    None => {
                        clock.set(clock.get() + left);
                        None
                    }
                }
            },
        );
        (got, waits)
    }

    #[test]
    fn no_reply_gives_up_after_the_timeout() {
        let (got, waits) = fake(vec![], Duration::ZERO);
        assert_eq!(got, None);
        assert_eq!(waits, vec![QUERY_TIMEOUT], "one wait of the whole timeout");
    }

    #[test]
    fn a_reply_in_pieces_is_put_together() {
        let ms = Duration::from_millis(10);
        let (got, waits) = fake(vec![b"\x1b]11;rgb:ff", b"ff/ffff/ff", b"ff\x1b\\"], ms);
        assert_eq!(got, Some(Background::Light));
        assert_eq!(
            waits,
            vec![QUERY_TIMEOUT, QUERY_TIMEOUT - ms, QUERY_TIMEOUT - 2 * ms]
        );
    }

    #[test]
    fn a_slow_trickle_stops_at_the_timeout() {
        let step = QUERY_TIMEOUT / 2;
        let (got, waits) = fake(vec![b"\x1b]11;", b"rgb:", b"ff/ff/ff\x07"], step);
        assert_eq!(got, None, "the end came after the timeout");
        assert_eq!(waits.len(), 2);
    }
}
