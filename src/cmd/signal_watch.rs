//! The signal backstop of the TUI: SIGINT, SIGTERM and SIGHUP are also observed on a
//! thread of their own, so a UI step that keeps the (single-threaded) runtime busy cannot
//! starve them. The runtime's own listener ([`super::Signals`]) normally takes the signal
//! and shuts down gracefully; it says so through [`acknowledge`]. When it has not within
//! [`ACK_WAIT`] (the UI thread is stuck in a long step), or the graceful shutdown is still
//! running after [`SHUTDOWN_WAIT`], this thread restores the terminal, kills the servers
//! we spawned and exits with the signal's status (130, 143, 129).

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How long the runtime has to notice a signal before this thread acts.
pub(crate) const ACK_WAIT: Duration = Duration::from_secs(1);
/// How long a noticed signal's graceful shutdown may take (the server gets 3 s to stop).
pub(crate) const SHUTDOWN_WAIT: Duration = Duration::from_secs(12);

static SEEN: AtomicBool = AtomicBool::new(false);

/// The runtime took the signal and is shutting down.
pub(crate) fn acknowledge() {
    SEEN.store(true, Ordering::SeqCst);
}

/// Starts the watching thread (once, for the TUI).
pub(crate) fn start() -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("signal-watch".into())
        .spawn(move || {
            let Some(sig) = signals.forever().next() else {
                return;
            };
            let code = match sig {
                SIGINT => 130,
                SIGTERM => 143,
                _ => 129,
            };
            let start = Instant::now();
            while !SEEN.load(Ordering::SeqCst) && start.elapsed() < ACK_WAIT {
                std::thread::sleep(Duration::from_millis(20));
            }
            if SEEN.load(Ordering::SeqCst) {
                std::thread::sleep(SHUTDOWN_WAIT);
            }
            crate::ui::runtime::terminal::restore_terminal();
            crate::backend::server::kill_all_spawned();
            eprintln!("ocw-tui: stopped by signal {sig} while the interface was busy");
            std::process::exit(code);
        })?;
    Ok(())
}
