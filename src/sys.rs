//! The few OS calls that need `unsafe`, kept in one place: signalling a process group,
//! asking Linux to kill a spawned child when ocw-tui dies, adopting orphaned descendants
//! (child subreaper) and reaping them, and small file/process queries.
#![allow(unsafe_code)]

/// Sends `sig` to `pid` (a negative pid names a process group). Errors are ignored: the
/// target may already be gone.
pub fn kill(pid: i32, sig: i32) {
    // SAFETY: kill(2) has no memory-safety preconditions.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// The effective user id of this process (who owns the files it creates).
pub fn euid() -> u32 {
    // SAFETY: geteuid(2) cannot fail and touches no memory.
    unsafe { libc::geteuid() }
}

/// Whether process `pid` exists (alive or a zombie; owned by anyone).
pub fn pid_exists(pid: i32) -> bool {
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill(2) with signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Turns `O_NONBLOCK` off on `fd` (errors ignored: the descriptor stays as it was).
pub fn clear_nonblock(fd: i32) {
    // SAFETY: fcntl(2) on a descriptor the caller owns; F_GETFL/F_SETFL touch no memory.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
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

/// Makes ocw-tui a child subreaper (Linux only): a process started by one of our children
/// that loses its parent (a tool whose server was stopped) is re-parented to ocw-tui rather
/// than to init, so ocw-tui can still find and stop it. False when the call failed.
pub fn become_subreaper() -> bool {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(2) with PR_SET_CHILD_SUBREAPER only sets a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// Collects the exit status of our child `pid` if it has ended (never blocks); true when
/// it was reaped.
pub fn reap(pid: i32) -> bool {
    let mut status = 0;
    // SAFETY: waitpid(2) writes only into `status`, which we own.
    unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) == pid }
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

/// Terminal settings saved by `tty_raw`, put back by `tty_restore`.
pub struct TtyMode(libc::termios);

/// Turns off line buffering and echo on the terminal `fd` (for reading a query's answer);
/// `None` when `fd` is not a terminal.
pub fn tty_raw(fd: i32) -> Option<TtyMode> {
    // SAFETY: termios is plain data, filled by tcgetattr before use; tcsetattr only reads it.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(fd, &mut t) != 0 {
            return None;
        }
        let mut raw = t;
        raw.c_lflag &= !(libc::ICANON | libc::ECHO);
        raw.c_cc[libc::VMIN] = 0;
        raw.c_cc[libc::VTIME] = 0;
        if libc::tcsetattr(fd, libc::TCSANOW, &raw) != 0 {
            return None;
        }
        Some(TtyMode(t))
    }
}

/// Puts back the settings `tty_raw` saved.
pub fn tty_restore(fd: i32, mode: &TtyMode) {
    // SAFETY: tcsetattr only reads the saved settings.
    unsafe {
        libc::tcsetattr(fd, libc::TCSANOW, &mode.0);
    }
}

/// Waits up to `ms` milliseconds for `fd` to be readable.
pub fn poll_readable(fd: i32, ms: i32) -> bool {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd for the duration of the call.
    unsafe { libc::poll(&mut pfd, 1, ms) > 0 }
}

/// The local time zone's offset from UTC now, in seconds (0 when it cannot be read), for
/// "today" in the session list. `localtime_r` is thread-safe.
pub fn local_utc_offset_secs() -> i64 {
    // SAFETY: `time` with a null pointer only returns the time; `localtime_r` writes into
    // the `tm` we own and returns null on failure, which we check.
    unsafe {
        let now = libc::time(std::ptr::null_mut());
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&now, &mut tm).is_null() {
            return 0;
        }
        tm.tm_gmtoff
    }
}

/// Whether a job-control shell waits above us to bring us back (`fg`) if we stop: our
/// process group is not the session's first one (a tmux pane's command, a `setsid` run),
/// and the first ancestor outside our group is in our session. Without one, stopping
/// would leave the terminal to nobody.
pub fn job_control_shell() -> bool {
    // SAFETY: getpgrp(2), getsid(2), getppid(2) and getpgid(2) only read process ids.
    let (pgid, sid, mut pid) = unsafe { (libc::getpgrp(), libc::getsid(0), libc::getppid()) };
    if pgid == sid || sid < 0 {
        return false;
    }
    for _ in 0..64 {
        if pid <= 1 {
            return false;
        }
        // SAFETY: as above.
        let (group, session) = unsafe { (libc::getpgid(pid), libc::getsid(pid)) };
        if group < 0 {
            return false;
        }
        if group != pgid {
            return session == sid;
        }
        match parent_of(pid) {
            Some(p) => pid = p,
            None => return false,
        }
    }
    false
}

/// The parent of `pid` (`/proc/PID/stat`; the command name, in parentheses, may hold
/// spaces).
fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// Stops our whole process group (SIGSTOP, what the shell's Ctrl+Z does to a job); returns
/// once it is continued (SIGCONT: the shell's `fg`). Processes in groups of their own (a
/// spawned server) keep running.
pub fn stop_own_group() {
    // SAFETY: kill(2) has no memory-safety preconditions; pid 0 is our process group.
    unsafe {
        libc::kill(0, libc::SIGSTOP);
    }
}
