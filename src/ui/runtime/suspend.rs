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

/// Suspends if a shell can bring us back: false when it cannot (nothing was done).
/// Returns after `fg`, the terminal taken back; errors are those of taking it back.
pub fn suspend(screen: &mut impl Suspend, mouse: bool) -> anyhow::Result<bool> {
    if !crate::sys::job_control_shell() {
        return Ok(false);
    }
    screen.suspend();
    crate::sys::stop_own_group();
    screen.resume(mouse)?;
    Ok(true)
}
