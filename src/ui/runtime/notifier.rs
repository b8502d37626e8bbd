//! How the terminal is told about what needs the user (a dialog opened, a turn ended, an
//! error): a bell, OSC 9 or OSC 777, picked from the environment; the message can never
//! end the sequence early.

/// How the terminal is told to notify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notifier {
    Bell,
    Osc9,
    Osc777,
}

impl Notifier {
    /// Picks from the environment: OSC 9 for iTerm2, WezTerm, ghostty, kitty; OSC 777 for
    /// foot, urxvt and VTE terminals; a bell elsewhere (and inside tmux / screen).
    pub fn detect() -> Notifier {
        let var = |k| std::env::var(k).unwrap_or_default();
        if !var("TMUX").is_empty() || var("TERM").starts_with("screen") {
            return Notifier::Bell;
        }
        let prog = var("TERM_PROGRAM");
        let term = var("TERM");
        if ["iTerm.app", "WezTerm", "ghostty"].contains(&prog.as_str()) || term.contains("kitty") {
            Notifier::Osc9
        } else if term.starts_with("foot")
            || term.contains("rxvt")
            || !var("VTE_VERSION").is_empty()
        {
            Notifier::Osc777
        } else {
            Notifier::Bell
        }
    }

    /// The escape sequence for `msg` (control characters removed).
    pub fn sequence(self, msg: &str) -> String {
        // No control character (ESC, BEL, C1 ST…) can end the sequence early.
        let clean = crate::safe_text::for_notification(msg, 200);
        match self {
            Notifier::Bell => "\x07".into(),
            Notifier::Osc9 => format!("\x1b]9;{clean}\x07"),
            Notifier::Osc777 => format!("\x1b]777;notify;ocw-tui;{clean}\x07"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifier_sequences() {
        assert_eq!(Notifier::Bell.sequence("x"), "\x07");
        assert_eq!(Notifier::Osc9.sequence("a\nb"), "\x1b]9;ab\x07");
        // ESC \, BEL, the 8-bit ST and OSC cannot end the payload early.
        assert_eq!(
            Notifier::Osc777.sequence("x\x1b\\\x07\u{9c}\u{9d}y"),
            "\x1b]777;notify;ocw-tui;x\\y\x07"
        );
        assert!(Notifier::Osc777
            .sequence("hi")
            .contains("notify;ocw-tui;hi"));
    }
}
