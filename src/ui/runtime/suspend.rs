//! Ctrl+Z ([`Action::Suspend`](crate::ui::Action::Suspend)): job control, as in vim, the
//! shells and opencode (`terminal_suspend`). The terminal is given back as on exit (raw
//! mode off, main screen, mouse and paste off), our process group stops (SIGSTOP), and
//! when the shell continues it (`fg`) the TUI takes the terminal back and redraws whole.
//! A server we spawned runs in its own process group: it keeps running meanwhile (and,
//! as always, dies with us: `PR_SET_PDEATHSIG`). Without a job-control shell above us
//! (a tmux pane's own command, `setsid`) nothing would bring us back: a note says so.

use crate::ui::runtime::editor::Suspend;

/// Said when Ctrl+Z cannot suspend.
pub const NO_SHELL_NOTE: &str =
    "Ctrl+Z: no job-control shell started ocw-tui (nothing could bring it back with fg): not suspended";

/// Whether a shell could bring us back with `fg` (a job-control shell started us).
pub fn can_suspend() -> bool {
    crate::sys::job_control_shell()
}

/// Suspends (call only when [`can_suspend`]); returns after `fg`, the terminal taken back;
/// errors are those of taking it back.
pub fn suspend(screen: &mut impl Suspend, mouse: bool) -> anyhow::Result<()> {
    screen.suspend();
    crate::sys::stop_own_group();
    screen.resume(mouse)
}
