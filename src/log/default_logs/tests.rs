//! Tests of the default log directory: names, retention, the list, the project check.

use super::*;
use std::fs::File;

fn touch(dir: &Path, name: &str, len: u64, age_days: u64, now: SystemTime) -> PathBuf {
    let p = dir.join(name);
    let f = File::create(&p).unwrap();
    f.set_len(len).unwrap();
    f.set_modified(now - Duration::from_secs(age_days * 86_400 + 1))
        .unwrap();
    p
}

#[test]
fn stamps_are_utc_calendar_times() {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    assert_eq!(stamp(t), "20231114-221320");
    assert_eq!(stamp(SystemTime::UNIX_EPOCH), "19700101-000000");
}

#[test]
fn names_are_slugs_of_the_project_and_the_session() {
    let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let n = file_name(Path::new("/no/such/My App"), "ses_../../x", t);
    assert_eq!(n, "my-app-20231114-221320-ses_-x.jsonl");
}

#[test]
fn the_oldest_logs_go_beyond_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    let now = SystemTime::now();
    let old = touch(dir.path(), "old.jsonl", 10, 40, now);
    let a = touch(dir.path(), "a.jsonl", 300, 3, now);
    let b = touch(dir.path(), "b.jsonl", 300, 2, now);
    let c = touch(dir.path(), "c.jsonl", 300, 1, now);
    let other = touch(dir.path(), "notes.txt", 10, 400, now);
    let gone = prune(dir.path(), 700, Duration::from_secs(30 * 86_400), now);
    assert_eq!(gone.len(), 2, "{gone:?}");
    assert!(!old.exists() && !a.exists());
    assert!(b.exists() && c.exists() && other.exists());
}

#[test]
fn the_list_is_newest_first_with_project_and_title() {
    let dir = tempfile::tempdir().unwrap();
    let now = SystemTime::now();
    touch(dir.path(), "older.jsonl", 0, 2, now);
    let p = dir.path().join("newer.jsonl");
    let mut text = String::from(
        r#"{"type":"session.updated","properties":{"info":{"id":"ses_1","title":"New session"}},"ocw_time":1,"ocw_meta":{"ocw_tui":"0.1.0","project":"/src/app"}}"#,
    );
    text.push('\n');
    text.push_str(&format!("{}\n", "x".repeat(300 * 1024)));
    text.push_str(r#"{"type":"session.updated","properties":{"info":{"id":"ses_2","parentID":"ses_1","title":"child"}}}"#);
    text.push('\n');
    text.push_str(
        r#"{"type":"session.updated","properties":{"info":{"id":"ses_1","title":"Fix the bug"}}}"#,
    );
    text.push('\n');
    std::fs::write(&p, text).unwrap();
    let l = list(dir.path());
    assert_eq!(l.len(), 2);
    assert_eq!(l[0].path, p);
    assert_eq!(l[0].project.as_deref(), Some("/src/app"));
    assert_eq!(l[0].title.as_deref(), Some("Fix the bug"));
    assert_eq!(l[1].title, None);
}

#[test]
fn a_log_inside_the_project_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    std::fs::create_dir_all(project.join("sub")).unwrap();
    let e = check_outside_project(&project.join("sub/x.jsonl"), &project).unwrap_err();
    assert!(e.contains("inside the project"), "{e}");
    assert!(e.contains("outside the project"), "{e}");
    // Through a relative or dotted path too.
    let dotted = project.join("sub/../y.jsonl");
    assert!(check_outside_project(&dotted, &project).is_err());
    assert!(check_outside_project(&dir.path().join("log.jsonl"), &project).is_ok());
    // A sibling whose name starts like the project is outside.
    std::fs::create_dir_all(dir.path().join("p2")).unwrap();
    assert!(check_outside_project(&dir.path().join("p2/x.jsonl"), &project).is_ok());
}

#[test]
fn a_path_through_missing_dirs_or_a_link_is_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    // Through directories that do not exist yet.
    assert!(check_outside_project(&project.join("no/such/../../x.jsonl"), &project).is_err());
    assert!(check_outside_project(&project.join("no/../../x.jsonl"), &project).is_ok());
    // Through a link to the project.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&project, &link).unwrap();
    assert!(check_outside_project(&link.join("x.jsonl"), &project).is_err());
}
