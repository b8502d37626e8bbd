//! Tests of `/export`'s file names and targets.

use super::*;

#[test]
fn an_existing_export_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let a = write_new(dir.path(), "T", "ses_1", "one").unwrap();
    let b = write_new(dir.path(), "T", "ses_1", "two").unwrap();
    assert_eq!(a.file_name().unwrap(), "t-ses_1.md");
    assert_eq!(b.file_name().unwrap(), "t-ses_1-2.md");
    assert_eq!(std::fs::read_to_string(a).unwrap(), "one");
}

#[test]
fn a_hostile_session_id_never_leaves_the_project() {
    let root = tempfile::tempdir().unwrap();
    let project = root.path().join("p");
    std::fs::create_dir(&project).unwrap();
    for id in [
        "../../escape",
        "/tmp/abs",
        "..",
        "a/../../b",
        "\u{1b}]0;x\u{7}",
    ] {
        let p = write_new(&project, "", id, "x").unwrap();
        assert_eq!(p.parent().unwrap(), project, "{id}: {}", p.display());
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.contains(".."), "{name}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
    let entries: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "nothing written beside the project");
}

#[test]
fn a_chosen_path_is_written_once_then_refused_with_an_alternative() {
    let dir = tempfile::tempdir().unwrap();
    let note = write_export(dir.path(), Some("mine.md"), "T", "ses_1", "one").unwrap();
    assert!(note.starts_with("exported to "), "{note}");
    let e = write_export(dir.path(), Some("mine.md"), "T", "ses_1", "two").unwrap_err();
    assert!(e.contains("exists: not overwritten"), "{e}");
    assert!(e.contains("/export "), "{e}");
    assert!(e.contains("mine-2.md"), "{e}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mine.md")).unwrap(),
        "one"
    );
}

#[test]
fn a_read_only_project_falls_back_to_the_state_dir_and_says_where() {
    // /sys refuses new files even to root (a chmod 0555 directory would not).
    let state = tempfile::tempdir().unwrap();
    let fallback = state.path().join("ocw-tui/exports");
    let note = write_export_or(
        Path::new("/sys"),
        None,
        "T",
        "ses_1",
        "text",
        Some(fallback.clone()),
    )
    .unwrap();
    assert!(
        note.contains("the project directory is read-only"),
        "{note}"
    );
    assert!(note.contains("ocw-tui/exports/t-ses_1.md"), "{note}");
    assert_eq!(
        std::fs::read_to_string(fallback.join("t-ses_1.md")).unwrap(),
        "text"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&fallback).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}
