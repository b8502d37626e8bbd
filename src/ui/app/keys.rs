//! Key, paste and mouse handling of `App`: each press becomes zero or more `Action`s.
//! Order of precedence: Ctrl+C; the layers (overlay/stack.rs: with a dialog up the focus
//! rule gives the key to the dialog or the prompt, never a popup it covers; else the
//! overlay on top, then those under it while they pass the key on); the subagent keys,
//! then the keymap's (ui/keymap: a sequence after the leader, a key bound to an action,
//! as tui.json says) and the prompt input. Ctrl+C clears the input, else aborts, else warns; only a second one right
//! after the warning quits.

use crate::ui::action::{Action, ConnectionState};
use crate::ui::app::{App, CtrlC, QUIT_WINDOW};
use crate::ui::keymap::names::KeyAction;
use crate::ui::overlay::guard::Focus;
use crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use tokio::time::Instant;

fn ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

impl App {
    /// Any terminal event: keys, paste, mouse wheel, resize.
    pub fn handle_event(&mut self, ev: TermEvent) -> Vec<Action> {
        match ev {
            TermEvent::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(k),
            TermEvent::Paste(s) => {
                self.paste(&s);
                self.sync_slash();
                Vec::new()
            }
            TermEvent::Mouse(m) => {
                match m.kind {
                    MouseEventKind::ScrollUp => {
                        let n = self.wheel.notch(Instant::now());
                        self.view.scroll_by(-n)
                    }
                    MouseEventKind::ScrollDown => {
                        let n = self.wheel.notch(Instant::now());
                        self.view.scroll_by(n)
                    }
                    MouseEventKind::Down(MouseButton::Left) => {
                        if self.active_request().is_none() && !self.help_open() {
                            if let Some(id) = self.view.tool_at(m.column, m.row) {
                                self.view.focus_tool(&id);
                                self.view.toggle_tool(&id);
                            }
                        }
                        return Vec::new();
                    }
                    _ => {}
                }
                self.maybe_load_older()
            }
            _ => Vec::new(),
        }
    }

    /// Keys that came in the same burst as a paste, after an end-of-paste marker inside
    /// the pasted text (`ESC [201~`): they are pasted text, never keys. Characters and
    /// Enter (as a new line) are pasted; other keys are dropped.
    pub fn paste_tail(&mut self, keys: &[KeyEvent]) {
        let mut text = String::new();
        let mut dropped = 0;
        for k in keys {
            match k.code {
                KeyCode::Char(c)
                    if !k
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    text.push(c)
                }
                KeyCode::Enter => text.push('\n'),
                KeyCode::Tab => text.push('\t'),
                _ => dropped += 1,
            }
        }
        if !text.is_empty() {
            self.paste(&text);
        }
        self.note(
            format!(
                "the paste held an end-of-paste marker: the {} key(s) after it were pasted as text{}",
                keys.len(),
                if dropped > 0 {
                    format!(" ({dropped} dropped)")
                } else {
                    String::new()
                }
            ),
            false,
        );
        self.sync_slash();
        self.sync_guard();
    }

    /// A terminal event typed before the UI switched the terminal to raw mode (while the
    /// server started). The cooked tty turned Enter (`\r`) into `\n` (ICRNL), which
    /// crossterm reads in raw mode as Ctrl+J (new line): such a Ctrl+J was an Enter.
    pub fn handle_typeahead(&mut self, ev: TermEvent) -> Vec<Action> {
        match ev {
            TermEvent::Key(k)
                if k.code == KeyCode::Char('j') && k.modifiers == KeyModifiers::CONTROL =>
            {
                self.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE))
            }
            ev => self.handle_event(ev),
        }
    }

    /// One key press. Pure: returns what the outside world should do.
    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Action> {
        let mut out = self.key_inner(key);
        self.sync_slash();
        self.sync_status_input();
        out.append(&mut self.outbox);
        self.sync_guard();
        out
    }

    fn key_inner(&mut self, key: KeyEvent) -> Vec<Action> {
        let now = Instant::now();
        if ctrl(&key, 'c') {
            return self.ctrl_c(now);
        }
        self.last_ctrl_c = None;
        let chord = crate::ui::keymap::chord::Chord::of(&key);
        // Before the layers, as Ctrl+Z and Ctrl+V always were; a plain character bound to
        // them (tui.json) goes through the layers like any other key (dispatch.rs).
        let character =
            matches!(key.code, KeyCode::Char(_)) && crate::ui::overlay::popup::plain(&key);
        if !character && self.keymap.is(KeyAction::TerminalSuspend, chord) {
            // Job control, as in every terminal program: `fg` brings the TUI back.
            return vec![Action::Suspend];
        }
        if !character && self.keymap.is(KeyAction::InputPaste, chord) {
            // The clipboard's content comes back as a paste (the same focus rule).
            return vec![Action::PasteClipboard];
        }
        // Alt+1..9: another tab, also from under a dialog (a modified key answers nothing;
        // the dialog stays with its session). Not while a popup has the keys.
        if let KeyCode::Char(c @ '1'..='9') = key.code {
            if key.modifiers == KeyModifiers::ALT && !self.popup_open() {
                return self.switch_to_tab(c as usize - '0' as usize);
            }
        }
        // The layers first: with a dialog up the approval focus rule gives the key to the
        // dialog or to the prompt, never to a popup it covers (overlay/focus.rs); else the
        // overlay on top.
        let sequence_before = self.prompt.editor.pending.at;
        if let Some(out) = self.layers_key(key, now) {
            // A sequence begun at the prompt does not go on after a key the layers took
            // (one the prompt took under a dialog, as the leader, may have begun it).
            if self.prompt.editor.pending.at == sequence_before {
                self.clear_sequence();
            }
            return out;
        }
        if let Some(out) = self.subagent_key(key) {
            return out;
        }
        self.main_key(key)
    }

    /// Ctrl+C: clears the input, else aborts the turn, else warns; a second one right after
    /// the warning quits. It never answers a dialog.
    fn ctrl_c(&mut self, now: Instant) -> Vec<Action> {
        let last = self
            .last_ctrl_c
            .take()
            .filter(|(t, _)| now.saturating_duration_since(*t) < QUIT_WINDOW)
            .map(|(_, did)| did);
        let dialog = matches!(self.dialog_focus(now), Some(Focus::Dialog { .. }));
        let did = if dialog {
            CtrlC::Warned
        } else if !self.prompt.input.is_empty() {
            self.prompt.input.clear();
            CtrlC::Cleared
        } else if matches!(last, Some(CtrlC::Aborted | CtrlC::Warned)) {
            // Already aborting (or warned): another abort would do nothing new.
            CtrlC::Warned
        } else if let Some(a) = self.abort() {
            self.last_ctrl_c = Some((now, CtrlC::Aborted));
            return vec![a];
        } else {
            CtrlC::Warned
        };
        if did == CtrlC::Warned {
            if last == Some(CtrlC::Warned) {
                return vec![Action::Quit];
            }
            let text = if dialog {
                "press Ctrl+C again to quit (the dialog still waits: Esc answers no)"
            } else {
                "press Ctrl+C again to quit"
            };
            self.note(text, false);
        }
        self.last_ctrl_c = Some((now, did));
        Vec::new()
    }

    pub(crate) fn abort(&mut self) -> Option<Action> {
        if !self.busy() {
            return None;
        }
        let sid = self.session_id()?.to_string();
        self.sessions.abort_requested.insert(sid.clone());
        self.note(crate::ui::app::ABORTING_NOTE, false);
        Some(Action::Abort { session_id: sid })
    }

    /// `LoadOlder` once per history length when the last frame showed the first line.
    pub fn maybe_load_older(&mut self) -> Vec<Action> {
        if !self.view.at_top() {
            return Vec::new();
        }
        let Some(sid) = self.session_id().map(str::to_string) else {
            return Vec::new();
        };
        let n = self.store.session(&sid).map_or(0, |s| s.messages.len());
        if self.sessions.older_requested.as_ref() == Some(&(sid.clone(), n)) {
            return Vec::new();
        }
        self.sessions.older_requested = Some((sid.clone(), n));
        vec![Action::LoadOlder { session_id: sid }]
    }

    /// Tab / Shift+Tab move the focus over the tool calls on screen; while one has it,
    /// Enter (or `o` on an empty input) expands / collapses it and Esc drops the focus.
    /// Returns `None` when the key is not about tool focus.
    fn tool_focus_key(&mut self, key: KeyEvent) -> Option<Vec<Action>> {
        let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
        match key.code {
            KeyCode::Tab | KeyCode::BackTab if plain => {
                let forward = key.code == KeyCode::Tab && key.modifiers.is_empty();
                let had = self.view.focused_tool().is_some();
                if !self.view.focus_next_tool(forward) {
                    self.note("no tool call on screen", false);
                } else if !had {
                    self.note(
                        "tool call focused: Enter expands / collapses · Tab next · Esc leaves",
                        false,
                    );
                }
                return Some(Vec::new());
            }
            _ => {}
        }
        let focused = self.view.focused_tool()?.to_string();
        if !self.view.visible_tools().contains(&focused) {
            // Scrolled out of sight: the keys go where they would without the focus.
            self.view.clear_tool_focus();
            return None;
        }
        match key.code {
            KeyCode::Enter if key.modifiers.is_empty() => {
                if let Some(out) = self.open_subagent(&focused) {
                    return Some(out);
                }
                self.view.toggle_tool(&focused);
                Some(Vec::new())
            }
            KeyCode::Char('o') if key.modifiers.is_empty() && self.prompt.input.is_empty() => {
                self.view.toggle_tool(&focused);
                Some(Vec::new())
            }
            KeyCode::Esc => {
                self.view.clear_tool_focus();
                Some(Vec::new())
            }
            // Scrolling keeps the focus; anything else goes on to the prompt.
            KeyCode::PageUp | KeyCode::PageDown | KeyCode::Up | KeyCode::Down => None,
            // Ctrl+X (the leader: Ctrl+X Y copies the focused tool call's output) keeps it.
            KeyCode::Char('x') if key.modifiers == KeyModifiers::CONTROL => None,
            _ => {
                self.view.clear_tool_focus();
                None
            }
        }
    }

    pub(crate) fn main_key(&mut self, key: KeyEvent) -> Vec<Action> {
        // A sequence (the leader, Ctrl+X by default) first, as opencode does.
        if let Some(out) = self.sequence_key(key) {
            return out;
        }
        if let Some(out) = self.prompt_popup_key(key) {
            return out;
        }
        // A key bound to an action (tui.json over the defaults).
        if let Some(out) = self.keymap_key(key) {
            return out;
        }
        if let Some(out) = self.tool_focus_key(key) {
            return out;
        }
        if let Some(out) = self.open_overlay_on_key(&key) {
            return out;
        }
        let m = key.modifiers;
        match key.code {
            // Ctrl+D quits on an empty prompt (app_exit, the keymap); else it deletes.
            KeyCode::Char('d') if m.contains(KeyModifiers::CONTROL) => {
                let delete = KeyEvent::new(KeyCode::Delete, KeyModifiers::NONE);
                return self.main_key(delete);
            }
            KeyCode::F(12) => {
                self.mouse_capture = !self.mouse_capture;
                self.note(
                    if self.mouse_capture {
                        "mouse on: wheel scrolls, click expands (F12: the terminal selects text)"
                    } else {
                        "mouse off: the terminal selects text (F12: wheel and clicks again)"
                    },
                    false,
                );
                return vec![Action::MouseCapture(self.mouse_capture)];
            }
            KeyCode::F(5) => {
                if matches!(self.connection, ConnectionState::ServerDied { .. }) {
                    self.note(super::stale_notes::RESTARTING_NOTE, false);
                    return vec![Action::RestartServer];
                }
            }
            KeyCode::Up | KeyCode::Down if m.is_empty() => {
                if !self.history_move(key.code == KeyCode::Up) {
                    self.prompt.input.key(key);
                }
            }
            _ => {
                // `[Image 1]`, `[PDF 1]`, `[Pasted N lines]` go whole; an `@path` is text.
                let tokens: Vec<String> = (self.prompt.mention.attached.iter())
                    .map(|a| a.token().to_string())
                    .filter(|t| t.starts_with('['))
                    .collect();
                self.prompt.input.edit(&key, &tokens);
                // Undo, redo or yank may bring back a token deleted with its attachment.
                use crate::ui::prompt::line_edit::{command, Edit};
                if matches!(command(&key), Some(Edit::Undo | Edit::Redo | Edit::Yank)) {
                    let text = self.prompt.input.text();
                    self.prompt.mention.revive(&text);
                }
                return self.after_prompt_edit();
            }
        }
        Vec::new()
    }

    pub(crate) fn submit(&mut self) -> Vec<Action> {
        if self.prompt.input.text().trim().is_empty() {
            return Vec::new();
        }
        if matches!(self.connection, ConnectionState::ServerDied { .. }) {
            // Nothing could take it: the text stays in the input.
            self.note(super::stale_notes::SERVER_DOWN_NOTE, true);
            return Vec::new();
        }
        if let Some(out) = self.slash_submit() {
            return out;
        }
        if self.subagent_refuses_prompt() {
            return Vec::new();
        }
        let text = self.take_prompt();
        if let Some(out) = self.shell_submit(&text) {
            return out;
        }
        let out = self.finish_mentions(&text);
        let Some(sid) = self.session_id().map(str::to_string) else {
            // While the server starts the session comes by itself; else it is asked for once.
            let ask = self.prompt.pending.is_empty() && !self.starting();
            self.prompt.pending.push(out);
            return if ask {
                vec![Action::NewSession]
            } else {
                Vec::new()
            };
        };
        self.view.scroll_to_bottom();
        let text = out.text.clone();
        let action = self.prompt_action(sid.clone(), out);
        if self.busy() {
            // Sent when the turn ends, or given back (prompt_queue.rs).
            return self.queue_prompt(sid, text, action);
        }
        vec![action]
    }
}
