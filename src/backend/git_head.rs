//! The project's place for the status bar: its folder shortened (`~/src/x`) and its git
//! branch, read from `.git/HEAD` (in a linked worktree, where its `.git` file points);
//! `Head` remembers the file's size and time so a change is noticed by one `stat`.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// `dir` under the home folder as `~/…` (a home of `/` is no home), else as it is.
pub fn home_relative(dir: &Path, home: Option<&Path>) -> String {
    let home = home.filter(|h| h.as_os_str().len() > 1);
    match home.and_then(|h| dir.strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => "~".to_string(),
        Some(rest) => format!("~/{}", rest.display()),
        None => dir.display().to_string(),
    }
}

/// The folder as the person knows it: under the home folder as `~/…`; a long one keeps
/// its last two parts (`…/src/x`), or only its last (`…/x`).
pub fn short_dir(dir: &Path, home: Option<&Path>) -> String {
    let shown = home_relative(dir, home);
    const MOST: usize = 20;
    if shown.chars().count() <= MOST {
        return shown;
    }
    let parts: Vec<&str> = shown.rsplitn(3, '/').collect();
    match parts.as_slice() {
        [last, parent, _] if parent.chars().count() + last.chars().count() + 3 <= MOST => {
            format!("…/{parent}/{last}")
        }
        [last, ..] => format!("…/{last}"),
        _ => shown,
    }
}

/// The `HEAD` file of the repository holding `dir` (`None` outside one): `.git/HEAD`, or
/// in a linked worktree (`.git` is a file `gitdir: PATH`) `PATH/HEAD`.
pub fn head_file(dir: &Path) -> Option<PathBuf> {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        let git = d.join(".git");
        if git.is_dir() {
            return Some(git.join("HEAD"));
        }
        if git.is_file() {
            let text = std::fs::read_to_string(&git).ok()?;
            let target = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
            let target = Path::new(target);
            let target = if target.is_absolute() {
                target.to_path_buf()
            } else {
                d.join(target)
            };
            return Some(target.join("HEAD"));
        }
        cur = d.parent();
    }
    None
}

/// The branch a `HEAD` file names (`ref: refs/heads/NAME`), or a detached head's short
/// hash.
pub fn branch_of(head: &str) -> Option<String> {
    let head = head.trim();
    if let Some(r) = head.strip_prefix("ref:") {
        let r = r.trim();
        return Some(r.strip_prefix("refs/heads/").unwrap_or(r).to_string());
    }
    let hex = head.len() >= 7 && head.chars().all(|c| c.is_ascii_hexdigit());
    hex.then(|| format!("@{}", &head[..7]))
}

/// A `HEAD` file watched for changes.
#[derive(Debug, Default)]
pub struct Head {
    file: Option<PathBuf>,
    seen: Option<(SystemTime, u64)>,
}

impl Head {
    pub fn new(dir: &Path) -> Head {
        Head {
            file: head_file(dir),
            seen: None,
        }
    }

    /// True inside a git repository (there is a `HEAD` to watch).
    pub fn watched(&self) -> bool {
        self.file.is_some()
    }

    /// `Some(branch)` when the file changed since the last call (the first call reads it):
    /// one `stat` when it did not.
    pub fn changed(&mut self) -> Option<Option<String>> {
        let file = self.file.as_ref()?;
        let meta = std::fs::metadata(file).ok();
        let now = meta.map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()));
        if now.is_some() && now == self.seen {
            return None;
        }
        self.seen = now;
        let text = std::fs::read_to_string(file).ok();
        Some(text.as_deref().and_then(branch_of))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_is_shortened_under_home_and_when_long() {
        let home = Path::new("/home/ann");
        assert_eq!(
            short_dir(Path::new("/home/ann/src/x"), Some(home)),
            "~/src/x"
        );
        assert_eq!(
            short_dir(Path::new("/home/ann/work/acme/greeter"), Some(home)),
            "~/work/acme/greeter"
        );
        assert_eq!(short_dir(Path::new("/home/ann"), Some(home)), "~");
        assert_eq!(short_dir(Path::new("/srv/x"), Some(home)), "/srv/x");
        assert_eq!(
            short_dir(
                Path::new("/home/ann/work/clients/acme/projects/2026/big-thing"),
                Some(home)
            ),
            "…/2026/big-thing"
        );
        assert_eq!(
            short_dir(Path::new("/tmp/ocw-e2e-wiP9nU/project"), Some(home)),
            "…/project"
        );
    }

    #[test]
    fn branches_detached_heads_and_worktrees() {
        assert_eq!(branch_of("ref: refs/heads/main\n").as_deref(), Some("main"));
        assert_eq!(
            branch_of("ref: refs/heads/feat/x\n").as_deref(),
            Some("feat/x")
        );
        assert_eq!(
            branch_of("0123456789abcdef0123456789abcdef01234567\n").as_deref(),
            Some("@0123456")
        );
        assert_eq!(branch_of("garbage"), None);
        let dir = tempfile::tempdir().unwrap();
        let main = dir.path().join("main");
        std::fs::create_dir_all(main.join(".git/worktrees/wt")).unwrap();
        std::fs::write(main.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
        let wt = dir.path().join("wt");
        std::fs::create_dir_all(wt.join("sub")).unwrap();
        let gitdir = main.join(".git/worktrees/wt");
        std::fs::write(wt.join(".git"), format!("gitdir: {}\n", gitdir.display())).unwrap();
        std::fs::write(gitdir.join("HEAD"), "ref: refs/heads/topic\n").unwrap();
        let mut h = Head::new(&wt.join("sub"));
        assert_eq!(h.changed(), Some(Some("topic".into())));
        assert_eq!(h.changed(), None, "unchanged: nothing new");
        std::fs::write(gitdir.join("HEAD"), "ref: refs/heads/other-topic\n").unwrap();
        assert_eq!(h.changed(), Some(Some("other-topic".into())));
        let mut h = Head::new(&main);
        assert_eq!(h.changed(), Some(Some("main".into())));
    }
}
