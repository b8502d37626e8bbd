//! Tests of the log writer and reader.

use super::*;
use std::os::unix::fs::PermissionsExt;

#[test]
fn writer_adds_time_and_creates_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("log.jsonl");
    let mut w = LogWriter::create(&p, vec!["server.heartbeat".to_string()]).unwrap();
    assert!(w
        .write_raw(
            "session.idle",
            r#"{"type":"session.idle","properties":{"sessionID":"s"}}"#,
            42
        )
        .unwrap());
    assert!(!w
        .write_raw("server.heartbeat", r#"{"type":"server.heartbeat"}"#, 43)
        .unwrap());
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(
        text,
        "{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\"},\"ocw_time\":42}\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn reader_skips_and_counts_bad_lines() {
    let log = "{\"type\":\"server.connected\",\"properties\":{}}\ngarbage\n[1,2]\n\n{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\"}}\n{\"type\":\"sess";
    let mut r = LogReader::new(log.as_bytes());
    let recs: Vec<_> = r.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1].line, 5);
    assert_eq!(r.skipped, 3);
    assert_eq!(r.skipped_lines, vec![2, 3, 6]);
    assert!(r.truncated_tail);
}

#[test]
fn a_line_over_the_cap_is_skipped_and_counted_without_being_held() {
    use std::io::Read;
    // The real cap: a line of MAX_LINE_BYTES + 1 MiB between two events.
    let first = "{\"type\":\"server.connected\",\"properties\":{}}\n";
    let last = "\n{\"type\":\"session.idle\",\"properties\":{\"sessionID\":\"s\"}}\n";
    let huge = std::io::repeat(b'a').take((MAX_LINE_BYTES + (1 << 20)) as u64);
    let input = std::io::BufReader::new(first.as_bytes().chain(huge).chain(last.as_bytes()));
    let mut r = LogReader::new(input);
    let recs: Vec<_> = r.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1].line, 3);
    assert_eq!(r.skipped, 1);
    assert_eq!(r.skipped_lines, vec![2]);
    // Never held whole: the buffer stayed below the cap.
    assert!(r.buf.capacity() <= MAX_LINE_BYTES, "{}", r.buf.capacity());
}

#[test]
fn a_lower_cap_skips_only_longer_lines() {
    let log = format!(
        "{{\"type\":\"server.connected\",\"properties\":{{}}}}\n{{\"type\":\"x\",\"properties\":{{\"a\":\"{}\"}}}}\n",
        "b".repeat(500)
    );
    let mut r = LogReader::with_max_line(log.as_bytes(), 100);
    assert_eq!(r.by_ref().count(), 1);
    assert_eq!(r.skipped, 1);
}

#[test]
fn a_replaced_log_is_reopened_and_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("log.jsonl");
    let mut w = LogWriter::create(&p, Vec::new()).unwrap();
    w.check_every(std::time::Duration::ZERO);
    let ev = r#"{"type":"session.idle","properties":{"sessionID":"s"}}"#;
    w.write_raw("session.idle", ev, 1).unwrap();
    assert!(w.take_notice().is_none());
    // Replaced (as /undo restoring a snapshot does: a new file, mode 0644).
    std::fs::remove_file(&p).unwrap();
    std::fs::write(&p, "restored\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
    w.write_raw("session.idle", ev, 2).unwrap();
    let notice = w.take_notice().expect("said once");
    assert!(notice.contains("replaced or deleted"), "{notice}");
    w.write_raw("session.idle", ev, 3).unwrap();
    assert!(w.take_notice().is_none(), "said once only");
    let text = std::fs::read_to_string(&p).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.ends_with("\"ocw_time\":3}\n"), "{text}");
    assert_eq!(
        std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // Deleted: created again.
    std::fs::remove_file(&p).unwrap();
    w.write_raw("session.idle", ev, 4).unwrap();
    assert!(w.take_notice().is_some());
    assert_eq!(std::fs::read_to_string(&p).unwrap().lines().count(), 1);
}
