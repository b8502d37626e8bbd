//! The processes that descend from ocw-tui: a spawned server, the tools it runs (which opencode
//! starts in process groups of their own, so signalling the server's group misses them) and
//! the orphans ocw-tui adopts as a child subreaper. Found by walking `/proc` (Linux), stopped
//! when the server is stopped and when ocw-tui exits; adopted zombies are reaped.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Children we spawned and wait for ourselves (servers): never reaped behind tokio's back.
static OWN_CHILDREN: Mutex<Vec<i32>> = Mutex::new(Vec::new());

/// Marks `pid` as a child whose exit status its owner collects.
pub fn register_own_child(pid: i32) {
    if let Ok(mut v) = OWN_CHILDREN.lock() {
        v.push(pid);
    }
}

/// Forgets `pid` (its owner has waited for it).
pub fn forget_own_child(pid: i32) {
    if let Ok(mut v) = OWN_CHILDREN.lock() {
        v.retain(|p| *p != pid);
    }
}

fn own_children() -> Vec<i32> {
    match OWN_CHILDREN.lock() {
        Ok(v) => v.clone(),
        Err(p) => p.into_inner().clone(),
    }
}

/// One process as `/proc/PID/stat` describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proc {
    pub pid: i32,
    pub ppid: i32,
    pub pgid: i32,
    pub zombie: bool,
    /// Start time (clock ticks since boot): with the pid, names a process even if the pid
    /// is reused later.
    pub start: u64,
}

/// Parses `/proc/PID/stat` (the command name, in parentheses, may hold spaces).
fn parse_stat(text: &str) -> Option<Proc> {
    let (head, rest) = text.rsplit_once(')')?;
    let pid = head.split_whitespace().next()?.parse().ok()?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    // After the name: state(0) ppid(1) pgrp(2) ... starttime(19).
    Some(Proc {
        pid,
        ppid: f.get(1)?.parse().ok()?,
        pgid: f.get(2)?.parse().ok()?,
        zombie: matches!(*f.first()?, "Z" | "X"),
        start: f.get(19)?.parse().ok()?,
    })
}

fn read(pid: i32) -> Option<Proc> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?)
}

/// Every process now (empty where `/proc` is unreadable).
fn table() -> Vec<Proc> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(read)
        .collect()
}

/// Every live descendant of `root` (not `root` itself), parents before children.
pub fn descendants(root: i32) -> Vec<Proc> {
    descendants_in(&table(), root)
}

fn descendants_in(all: &[Proc], root: i32) -> Vec<Proc> {
    let mut by_parent: HashMap<i32, Vec<&Proc>> = HashMap::new();
    for p in all {
        by_parent.entry(p.ppid).or_default().push(p);
    }
    let mut out = Vec::new();
    let mut queue = vec![root];
    while let Some(parent) = queue.pop() {
        for child in by_parent.get(&parent).into_iter().flatten() {
            // A bound against a /proc that changes under us: no pid twice.
            if child.pid != root && !out.iter().any(|p: &Proc| p.pid == child.pid) {
                out.push(**child);
                queue.push(child.pid);
            }
        }
    }
    out
}

/// Sends `sig` to each of `procs` that is still the same process (pid and start time).
pub fn signal_each(procs: &[Proc], sig: i32) {
    for p in procs {
        if read(p.pid).is_some_and(|now| now.start == p.start && !now.zombie) {
            crate::sys::kill(p.pid, sig);
        }
    }
}

/// Reaps the zombies among our children that nobody else waits for (adopted orphans).
pub fn reap_adopted() {
    let me = std::process::id() as i32;
    let own = own_children();
    for p in table() {
        if p.ppid == me && p.zombie && !own.contains(&p.pid) && p.pgid != me_pgid() {
            crate::sys::reap(p.pid);
        }
    }
}

/// Our own process group: the children that share it (an editor we run) are waited for
/// by whoever started them.
fn me_pgid() -> i32 {
    read(std::process::id() as i32).map_or(0, |p| p.pgid)
}

/// On exit: SIGKILL every process left below ocw-tui except `keep`-alike own children
/// still being waited for, then reap what we adopted; gives up after `limit`.
pub fn stop_descendants(limit: Duration) {
    let me = std::process::id() as i32;
    let deadline = Instant::now() + limit;
    let own_pgid = me_pgid();
    loop {
        let left: Vec<Proc> = descendants(me)
            .into_iter()
            .filter(|p| !p.zombie && p.pgid != own_pgid)
            .collect();
        if left.is_empty() || Instant::now() >= deadline {
            break;
        }
        signal_each(&left, libc::SIGKILL);
        std::thread::sleep(Duration::from_millis(20));
        reap_adopted();
    }
    reap_adopted();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_parse_even_with_odd_names() {
        let line =
            "4242 (bash (x) y) S 17 4242 17 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 987654 1 2";
        let p = parse_stat(line).unwrap();
        assert_eq!(
            (p.pid, p.ppid, p.pgid, p.zombie, p.start),
            (4242, 17, 4242, false, 987654)
        );
        assert!(
            parse_stat("1 (x) Z 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5")
                .unwrap()
                .zombie
        );
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn descendants_follow_the_tree_and_nothing_else() {
        let p = |pid, ppid| Proc {
            pid,
            ppid,
            pgid: pid,
            zombie: false,
            start: 1,
        };
        let all = [p(1, 0), p(10, 1), p(11, 10), p(12, 11), p(13, 10), p(20, 1)];
        let mut got: Vec<i32> = descendants_in(&all, 10).iter().map(|p| p.pid).collect();
        got.sort_unstable();
        assert_eq!(got, vec![11, 12, 13]);
    }

    #[test]
    fn a_real_grandchild_is_found() {
        let mut child = std::process::Command::new("sh")
            .args(["-c", "sleep 30 & wait"])
            .spawn()
            .unwrap();
        let me = std::process::id() as i32;
        let deadline = Instant::now() + Duration::from_secs(10);
        let found = loop {
            let d = descendants(me);
            if d.iter().any(|p| p.ppid == child.id() as i32) {
                break d;
            }
            assert!(Instant::now() < deadline, "the grandchild never showed up");
            std::thread::sleep(Duration::from_millis(20));
        };
        let sub = descendants(child.id() as i32);
        signal_each(&sub, libc::SIGKILL);
        let _ = child.wait();
        assert!(found.iter().any(|p| p.pid == child.id() as i32));
        assert_eq!(sub.len(), 1);
    }
}
