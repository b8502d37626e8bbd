//! The terminal runtime of the live TUI and of replay: [`Screen`] (raw mode, alternate
//! screen, always restored by one guard on every return path and by one panic hook,
//! installed once, that restores and then chains) and the [`FrameScheduler`] (frames
//! requested, coalesced and capped at 60 per second). Also the live UI's draw loop: one
//! `tokio::select!` over terminal events (crossterm `EventStream`), the `UiInput` channel
//! and one deadline (the next frame, or a spinner / countdown tick); an idle UI sleeps
//! until input (no redraws, no polling).

use crate::ui::action::{Action, UiInput, UiOptions};
use crate::ui::app::App;
use crate::ui::runtime::frame_log::FrameLog;
use crate::ui::runtime::notifier::Notifier;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use futures_util::StreamExt;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, Write};
use std::sync::Once;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

/// At most this many frames per second.
pub const MAX_FPS: u32 = 60;

/// Coalesces redraw requests: any number of requests between two frames give one frame,
/// and frames are at least `1 / MAX_FPS` apart.
#[derive(Debug, Clone)]
pub struct FrameScheduler {
    interval: Duration,
    last: Option<Instant>,
    requested: bool,
}

impl Default for FrameScheduler {
    fn default() -> Self {
        FrameScheduler {
            interval: Duration::from_secs(1) / MAX_FPS,
            last: None,
            requested: false,
        }
    }
}

impl FrameScheduler {
    pub fn request(&mut self) {
        self.requested = true;
    }

    /// When the requested frame may be drawn; `None` when nothing is requested.
    pub fn deadline(&self, now: Instant) -> Option<Instant> {
        if !self.requested {
            return None;
        }
        Some(match self.last {
            Some(l) => (l + self.interval).max(now),
            None => now,
        })
    }

    pub fn due(&self, now: Instant) -> bool {
        self.deadline(now).is_some_and(|d| d <= now)
    }

    pub fn drawn(&mut self, now: Instant) {
        self.last = Some(now);
        self.requested = false;
    }
}

/// Puts the terminal back: raw mode off, main screen, paste and mouse off, cursor shown.
/// Never fails; errors are ignored (there is nothing better to do while leaving).
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = crossterm::execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn install_panic_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

/// The terminal in raw mode on the alternate screen, restored when dropped (and on a
/// panic).
pub struct Screen {
    terminal: Terminal<CrosstermBackend<io::Stdout>>,
}

impl Screen {
    /// Raw mode and the alternate screen; `interactive` adds bracketed paste and mouse
    /// capture (the live UI; replay takes keys only).
    pub fn enter(interactive: bool) -> anyhow::Result<Screen> {
        install_panic_hook();
        enable_raw_mode()
            .map_err(|e| anyhow::anyhow!("cannot switch the terminal to raw mode: {e}"))?;
        // From here on, every return path restores the terminal.
        let restore = RestoreOnDrop;
        crossterm::execute!(io::stdout(), EnterAlternateScreen)?;
        if interactive {
            crossterm::execute!(io::stdout(), EnableBracketedPaste, EnableMouseCapture)?;
        }
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        terminal.clear()?;
        std::mem::forget(restore);
        Ok(Screen { terminal })
    }

    /// Draws one frame; untrusted text that reached the buffer is scrubbed of controls.
    pub fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame)) -> io::Result<()> {
        self.terminal.draw(|f| {
            render(f);
            crate::safe_text::scrub_buffer(f.buffer_mut());
        })?;
        Ok(())
    }
}

impl crate::ui::runtime::editor::Suspend for Screen {
    /// Gives the terminal to another program (the prompt editor): as on exit.
    fn suspend(&mut self) {
        restore_terminal();
    }

    /// Takes the terminal back after `suspend`; the next frame is drawn whole.
    fn resume(&mut self, mouse: bool) -> anyhow::Result<()> {
        enable_raw_mode()
            .map_err(|e| anyhow::anyhow!("cannot switch the terminal to raw mode: {e}"))?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            crossterm::execute!(io::stdout(), EnableMouseCapture)?;
        }
        self.terminal.clear()?;
        Ok(())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore_terminal();
    }
}

struct RestoreOnDrop;

impl Drop for RestoreOnDrop {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Runs the interactive UI until the user quits. Sets up the terminal (raw mode,
/// alternate screen, bracketed paste, mouse) and always restores it.
pub async fn drive(
    opts: UiOptions,
    inputs: UnboundedReceiver<UiInput>,
    actions: UnboundedSender<Action>,
) -> anyhow::Result<()> {
    let mut screen = Screen::enter(true)?;
    event_loop(&mut screen, App::new(opts), inputs, actions).await
}

/// Where the UI's actions go: the terminal's own effects are kept for the loop to carry
/// out (in order, after the event that made them); the rest go to the front-end.
struct Outlet {
    actions: UnboundedSender<Action>,
    effects: Vec<Action>,
    quit: bool,
}

impl Outlet {
    fn send(&mut self, acts: Vec<Action>) {
        for a in acts {
            if a.is_terminal_effect() {
                self.effects.push(a);
                continue;
            }
            if a == Action::Quit {
                self.quit = true;
            }
            // The front-end gone means we are shutting down anyway.
            let _ = self.actions.send(a);
        }
    }
}

/// Writes bytes to the terminal (notifier and OSC 52 sequences), errors ignored: a
/// missed bell or copy is not worth ending the UI for.
fn write_out(bytes: &[u8]) {
    let mut out = io::stdout();
    let _ = out.write_all(bytes);
    let _ = out.flush();
}

async fn event_loop(
    screen: &mut Screen,
    mut app: App,
    mut inputs: UnboundedReceiver<UiInput>,
    actions: UnboundedSender<Action>,
) -> anyhow::Result<()> {
    let notifier = Notifier::detect();
    let mut frames = FrameScheduler::default();
    let mut frame_log = FrameLog::from_env();
    let mut inputs_open = true;
    let mut next_tick: Option<Instant> = None;
    let mut mouse_captured = true;
    frames.request();
    let mut out = Outlet {
        actions,
        effects: Vec::new(),
        quit: false,
    };
    // What the front-end queued before the UI started (the start-up state), then keys
    // typed in the moment before raw mode came on.
    while let Ok(i) = inputs.try_recv() {
        out.send(app.handle_input(i));
    }
    for ev in typeahead() {
        out.send(app.handle_typeahead(ev));
    }
    if out.quit {
        return Ok(());
    }
    // The first frame at once (the server may still be starting: the UI says so).
    screen.draw(|f| crate::ui::render(&app, f))?;
    frames.drawn(Instant::now());
    frame_log.drawn(ready(&app));
    let mut events = EventStream::new();
    loop {
        let now = Instant::now();
        let wake = match (frames.deadline(now), next_tick) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    let paste = matches!(ev, crossterm::event::Event::Paste(_));
                    out.send(app.handle_event(ev));
                    if paste {
                        // Approval safety: keys in the same burst as a paste came from the
                        // pasted bytes (an end-of-paste marker inside them): text, never keys.
                        let (tail, next) = paste_tail(&mut events).await;
                        if !tail.is_empty() {
                            app.paste_tail(&tail);
                        }
                        match next {
                            Some(Ok(ev)) => out.send(app.handle_event(ev)),
                            Some(Err(e)) => {
                                return Err(anyhow::anyhow!("reading the terminal failed: {e}"))
                            }
                            None => {}
                        }
                    }
                    frames.request();
                }
                Some(Err(e)) => return Err(anyhow::anyhow!("reading the terminal failed: {e}")),
                None => return Ok(()),
            },
            input = inputs.recv(), if inputs_open => match input {
                Some(first) => {
                    let mut redraw = !matches!(first, UiInput::Bus(crate::model::Event::Heartbeat));
                    out.send(app.handle_input(first));
                    // Drain what is already queued: one frame for the whole batch.
                    for _ in 0..4096 {
                        match inputs.try_recv() {
                            Ok(i) => {
                                redraw |= !matches!(i, UiInput::Bus(crate::model::Event::Heartbeat));
                                out.send(app.handle_input(i));
                            }
                            Err(_) => break,
                        }
                    }
                    if redraw {
                        frames.request();
                    }
                }
                None => inputs_open = false,
            },
            _ = sleep_until(wake), if wake.is_some() => {}
        }
        // A due tick turns the spinner whatever woke the loop (streamed output wakes it
        // more often than the tick would).
        if next_tick.is_some_and(|t| t <= Instant::now()) {
            app.tick();
            frames.request();
            next_tick = None;
        }
        // The prompts just sent, for the history file (before a quit: none is lost).
        out.send(app.history_to_save());
        if out.quit {
            return Ok(());
        }
        for effect in std::mem::take(&mut out.effects) {
            match effect {
                Action::OpenEditor => {
                    // The key reader stops first, so no key meant for the editor is read here.
                    drop(events);
                    crate::ui::runtime::editor::compose(screen, &mut app, mouse_captured).await?;
                    events = EventStream::new();
                    frames.request();
                }
                Action::Suspend if !crate::ui::runtime::suspend::can_suspend() => {
                    // Nothing could bring us back: the key reader is left alone (replacing
                    // it for nothing raced its thread and spun, keys lost).
                    app.note(crate::ui::runtime::suspend::NO_SHELL_NOTE, false);
                    frames.request();
                }
                Action::Suspend => {
                    // As for the editor: the key reader stops first.
                    drop(events);
                    crate::ui::runtime::suspend::suspend(screen, mouse_captured)?;
                    events = EventStream::new();
                    frames.request();
                }
                Action::MouseCapture(on) if on != mouse_captured => {
                    mouse_captured = on;
                    let _ = if on {
                        crossterm::execute!(io::stdout(), EnableMouseCapture)
                    } else {
                        crossterm::execute!(io::stdout(), DisableMouseCapture)
                    };
                }
                Action::PasteClipboard => {
                    // Off the UI thread, with a timeout (clipboard_paste.rs).
                    let clip = crate::ui::runtime::clipboard_paste::read_async().await;
                    crate::ui::runtime::clipboard_paste::apply(&mut app, clip);
                    out.send(std::mem::take(&mut app.outbox));
                    frames.request();
                }
                Action::Notify(n) => write_out(notifier.sequence(&n).as_bytes()),
                // OSC 52 (built by ui::runtime::clipboard from the text's base64 only).
                Action::Copy(bytes) => write_out(&bytes),
                _ => {}
            }
        }
        let now = Instant::now();
        if frames.due(now) {
            test_stall(&app);
            let seen_before = app.dialog_seen.get();
            screen.draw(|f| crate::ui::render(&app, f))?;
            frames.drawn(now);
            if !seen_before && app.dialog_seen.get() {
                // The dialog's whole request is on screen now: redraw it armed.
                frames.request();
            }
            frame_log.drawn(ready(&app));
            // Scrolled to the very top: ask for older history (once per length).
            out.send(app.maybe_load_older());
        }
        next_tick = keep_tick(next_tick, app.next_tick(Instant::now()));
    }
}

/// The next tick after a turn of the loop: a pending tick keeps its time (output
/// streaming faster than a tick must not push the spinner's turn away forever), unless
/// the app wants one sooner, or none at all.
pub fn keep_tick(pending: Option<Instant>, wanted: Option<Instant>) -> Option<Instant> {
    match (pending, wanted) {
        (Some(p), Some(w)) => Some(p.min(w)),
        (_, w) => w,
    }
}

/// Longest gap between a paste and a key that still belongs to its burst. Terminals write
/// a paste in one go: a key this close behind it came from the pasted bytes, not a hand.
pub const PASTE_BURST_GAP: Duration = Duration::from_millis(25);

/// The key presses that follow a paste without a gap (its burst), and the first other
/// event, if one ended the burst.
async fn paste_tail(
    events: &mut EventStream,
) -> (
    Vec<crossterm::event::KeyEvent>,
    Option<io::Result<crossterm::event::Event>>,
) {
    use crossterm::event::{Event as TermEvent, KeyEventKind};
    let mut keys = Vec::new();
    while keys.len() < 1_000_000 {
        match tokio::time::timeout(PASTE_BURST_GAP, events.next()).await {
            Ok(Some(Ok(TermEvent::Key(k)))) => {
                if k.kind != KeyEventKind::Release {
                    keys.push(k);
                }
            }
            Ok(Some(other)) => return (keys, Some(other)),
            Ok(None) | Err(_) => break,
        }
    }
    (keys, None)
}

/// Tests only: `OCW_TEST_STALL_LIST_MS=N` blocks the UI thread N ms at the first frame
/// with the session list open (what a 100,000-session list used to cost), to prove that
/// signals are still handled while the UI is busy.
fn test_stall(app: &App) {
    static STALL: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let ms = STALL.get_or_init(|| {
        std::env::var("OCW_TEST_STALL_LIST_MS")
            .ok()
            .and_then(|v| v.parse().ok())
    });
    if let Some(ms) = *ms {
        if app.session_list().is_some() && !DONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(ms));
        }
    }
}

/// The terminal events already waiting when raw mode came on: keys typed while the
/// terminal was still cooked (see `App::handle_typeahead`).
fn typeahead() -> Vec<crossterm::event::Event> {
    let mut out = Vec::new();
    while out.len() < 4096 && crossterm::event::poll(Duration::ZERO).unwrap_or(false) {
        match crossterm::event::read() {
            Ok(ev) => out.push(ev),
            Err(_) => break,
        }
    }
    out
}

/// A session is shown on a connected server (the start-up is over: `OCW_DEBUG_STARTUP`).
fn ready(app: &App) -> bool {
    app.session_id().is_some() && app.connection == crate::ui::ConnectionState::Connected
}

async fn sleep_until(t: Option<Instant>) {
    match t {
        Some(t) => tokio::time::sleep_until(tokio::time::Instant::from_std(t)).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Output streaming every 50 ms while the session works (the app wants a tick 120 ms
    /// after each turn of the loop): the spinner still turns, about once per 120 ms.
    #[test]
    fn the_spinner_turns_while_output_streams() {
        let t0 = Instant::now();
        let tick = Duration::from_millis(120);
        let mut next: Option<Instant> = None;
        let mut turns = 0;
        for i in 0..40u32 {
            let now = t0 + Duration::from_millis(50) * i;
            // The loop wakes for the event; a tick that is due fires on that wake-up too.
            if next.is_some_and(|t| t <= now) {
                turns += 1;
                next = None;
            }
            next = keep_tick(next, Some(now + tick));
        }
        assert!(
            turns >= 10,
            "2 s of streaming turned the spinner {turns} times"
        );
    }

    #[test]
    fn requests_between_frames_coalesce_and_are_capped() {
        let t0 = Instant::now();
        let mut s = FrameScheduler::default();
        assert_eq!(s.deadline(t0), None, "idle: nothing to wake for");
        s.request();
        assert!(s.due(t0), "first frame at once");
        s.drawn(t0);
        for _ in 0..1000 {
            s.request();
        }
        let d = s.deadline(t0).expect("a frame is due");
        assert_eq!(d, t0 + Duration::from_secs(1) / MAX_FPS);
        assert!(!s.due(t0 + Duration::from_millis(5)));
        assert!(s.due(d));
        s.drawn(d);
        assert_eq!(s.deadline(d), None, "one frame for a thousand requests");
    }
}
