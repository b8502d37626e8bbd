//! The few OS calls that need `unsafe`, kept in one place: signalling a process group and
//! asking Linux to kill a spawned child when ocw-tui dies.
#![allow(unsafe_code)]

/// Sends `sig` to `pid` (a negative pid names a process group). Errors are ignored: the
/// target may already be gone.
pub fn kill(pid: i32, sig: i32) {
    // SAFETY: kill(2) has no memory-safety preconditions.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// Makes the child receive SIGKILL when the thread that spawned it dies (Linux only), so a
/// server never outlives ocw-tui even when ocw-tui is killed with SIGKILL.
pub fn die_with_parent(cmd: &mut std::process::Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: the closure runs between fork and exec and only calls async-signal-safe
        // prctl(2) and getppid(2).
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}
