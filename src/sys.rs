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

/// Keeps big buffers (a streamed answer's text, a large event) out of the malloc heap: with
/// a fixed mmap threshold, glibc hands each one back to the OS when it is freed, instead of
/// raising the threshold and keeping freed megabytes resident. Linux/glibc only.
pub fn return_big_frees_to_the_os() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt(3) only changes allocator parameters; called before other threads
    // start allocating heavily.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
