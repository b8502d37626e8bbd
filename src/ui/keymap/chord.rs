//! One key with its modifiers (a chord) in opencode's notation (`ctrl+x`, `shift+return`,
//! `pageup`, `E` = Shift+E, `<leader>n`): parsed from tui.json, matched against
//! crossterm's key events, shown as the help writes keys (`Ctrl+X N`).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key and its modifiers (Ctrl, Alt, Shift, Super only), normalised: a letter is
/// lower case (Shift says it was upper case), Shift+Tab is Tab with Shift, and a
/// character that is no letter carries no Shift (the terminal already shifted it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// One step of a binding as written: the leader, or a chord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Leader,
    Key(Chord),
}

const MODS: KeyModifiers = KeyModifiers::CONTROL
    .union(KeyModifiers::ALT)
    .union(KeyModifiers::SHIFT)
    .union(KeyModifiers::SUPER);

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mut mods = mods & MODS;
        let code = match code {
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            KeyCode::Char(c) if c.is_ascii_uppercase() => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::Char(c) if !c.is_alphabetic() && c != ' ' => {
                mods -= KeyModifiers::SHIFT;
                KeyCode::Char(c)
            }
            c => c,
        };
        Chord { code, mods }
    }

    /// The chord a key press is.
    pub fn of(key: &KeyEvent) -> Chord {
        Chord::new(key.code, key.modifiers)
    }

    /// Parses one chord: `ctrl+alt+b`, `shift+return`, `f2`, `E`, `ctrl++`.
    pub fn parse(text: &str) -> Result<Chord, String> {
        let bad = || format!("cannot read the key \"{text}\"");
        let (mods_part, key) = if text == "+" {
            ("", "+")
        } else if let Some(m) = text.strip_suffix("++") {
            (m, "+")
        } else {
            match text.rsplit_once('+') {
                Some((m, k)) => (m, k),
                None => ("", text),
            }
        };
        let mut mods = KeyModifiers::NONE;
        for m in mods_part.split('+').filter(|m| !m.is_empty()) {
            mods |= match m.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" | "option" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                "super" | "cmd" | "command" => KeyModifiers::SUPER,
                _ => return Err(bad()),
            };
        }
        let code = key_code(key).ok_or_else(bad)?;
        Ok(Chord::new(code, mods))
    }

    /// As the help writes it: `Ctrl+X`, `Shift+Enter`, `PgUp`, `F4`.
    pub fn display(&self) -> String {
        let mut out = String::new();
        for (m, name) in [
            (KeyModifiers::CONTROL, "Ctrl+"),
            (KeyModifiers::ALT, "Alt+"),
            (KeyModifiers::SHIFT, "Shift+"),
            (KeyModifiers::SUPER, "Super+"),
        ] {
            if self.mods.contains(m) {
                out.push_str(name);
            }
        }
        let key = match self.code {
            KeyCode::Enter => "Enter".to_string(),
            KeyCode::Esc => "Esc".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::Backspace => "Backspace".to_string(),
            KeyCode::Delete => "Del".to_string(),
            KeyCode::Insert => "Ins".to_string(),
            KeyCode::Home => "Home".to_string(),
            KeyCode::End => "End".to_string(),
            KeyCode::PageUp => "PgUp".to_string(),
            KeyCode::PageDown => "PgDn".to_string(),
            KeyCode::Up => "Up".to_string(),
            KeyCode::Down => "Down".to_string(),
            KeyCode::Left => "Left".to_string(),
            KeyCode::Right => "Right".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_uppercase().to_string(),
            other => format!("{other:?}"),
        };
        out.push_str(&key);
        out
    }
}

/// A key's name in opencode's notation (and the usual aliases).
fn key_code(name: &str) -> Option<KeyCode> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.clone().next()) {
        return Some(KeyCode::Char(c));
    }
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "return" | "enter" => KeyCode::Enter,
        "escape" | "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdown" | "pgdn" => KeyCode::PageDown,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "minus" => KeyCode::Char('-'),
        "plus" => KeyCode::Char('+'),
        f if f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
        }
        _ => return None,
    })
}

/// Parses one binding: `<leader>n`, `ctrl+x e` (chords after each other), `<leader>ctrl+e`.
pub fn parse_binding(text: &str) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("<leader>") {
            steps.push(Step::Leader);
            rest = r.trim_start();
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '<')
            .filter(|&i| i > 0)
            .unwrap_or(rest.len());
        steps.push(Step::Key(Chord::parse(&rest[..end])?));
        rest = rest[end..].trim_start();
    }
    if steps.is_empty() || steps.last() == Some(&Step::Leader) {
        return Err(format!("cannot read the binding \"{text}\""));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(code: KeyCode, mods: KeyModifiers) -> Chord {
        Chord::new(code, mods)
    }
    const CTRL: KeyModifiers = KeyModifiers::CONTROL;
    const NONE: KeyModifiers = KeyModifiers::NONE;

    #[test]
    fn opencode_notation_parses() {
        let p = |s: &str| Chord::parse(s).unwrap();
        assert_eq!(p("ctrl+x"), c(KeyCode::Char('x'), CTRL));
        assert_eq!(
            p("ctrl+alt+b"),
            c(KeyCode::Char('b'), CTRL | KeyModifiers::ALT)
        );
        assert_eq!(p("shift+return"), c(KeyCode::Enter, KeyModifiers::SHIFT));
        assert_eq!(p("escape"), c(KeyCode::Esc, NONE));
        assert_eq!(p("pgup"), p("pageup"));
        assert_eq!(p("f2"), c(KeyCode::F(2), NONE));
        assert_eq!(p("E"), c(KeyCode::Char('e'), KeyModifiers::SHIFT));
        assert_eq!(p("ctrl+-"), c(KeyCode::Char('-'), CTRL));
        assert_eq!(p("ctrl++"), c(KeyCode::Char('+'), CTRL));
        assert_eq!(p("meta+f"), c(KeyCode::Char('f'), KeyModifiers::ALT));
        assert_eq!(p("space"), c(KeyCode::Char(' '), NONE));
        assert!(Chord::parse("hyper+q").is_err());
        assert!(Chord::parse("ctrl+nosuchkey").is_err());
        assert!(Chord::parse("f99").is_err());
    }

    #[test]
    fn key_events_match_what_was_written() {
        let ev = |code, mods| Chord::of(&KeyEvent::new(code, mods));
        // Shift+Tab arrives as BackTab; Shift+E as 'E' with or without Shift; '?' with Shift.
        assert_eq!(
            ev(KeyCode::BackTab, KeyModifiers::SHIFT),
            Chord::parse("shift+tab").unwrap()
        );
        assert_eq!(ev(KeyCode::Char('E'), NONE), Chord::parse("E").unwrap());
        assert_eq!(
            ev(KeyCode::Char('E'), KeyModifiers::SHIFT),
            Chord::parse("shift+e").unwrap()
        );
        assert_eq!(
            ev(KeyCode::Char('?'), KeyModifiers::SHIFT),
            Chord::parse("?").unwrap()
        );
        assert_ne!(
            ev(KeyCode::Char('n'), NONE),
            Chord::parse("ctrl+n").unwrap()
        );
    }

    #[test]
    fn bindings_parse_with_the_leader_and_sequences() {
        let k = |s: &str| Step::Key(Chord::parse(s).unwrap());
        assert_eq!(
            parse_binding("<leader>n").unwrap(),
            vec![Step::Leader, k("n")]
        );
        assert_eq!(
            parse_binding("<leader>ctrl+e").unwrap(),
            vec![Step::Leader, k("ctrl+e")]
        );
        assert_eq!(
            parse_binding("ctrl+x e").unwrap(),
            vec![k("ctrl+x"), k("e")]
        );
        assert_eq!(parse_binding("<leader>down").unwrap()[1], k("down"));
        assert!(parse_binding("<leader>").is_err());
        assert!(parse_binding("").is_err());
    }

    #[test]
    fn chords_show_as_the_help_writes_them() {
        let d = |s: &str| Chord::parse(s).unwrap().display();
        assert_eq!(d("ctrl+x"), "Ctrl+X");
        assert_eq!(d("alt+return"), "Alt+Enter");
        assert_eq!(d("pageup"), "PgUp");
        assert_eq!(d("shift+tab"), "Shift+Tab");
        assert_eq!(d("f4"), "F4");
        assert_eq!(d("escape"), "Esc");
    }
}
