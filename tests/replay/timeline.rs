//! The replay engine without a screen: seeking lands on the same state as reducing from
//! the start, turns and sessions are found, a log cut off mid-turn says so, malformed
//! lines are located, and the pace follows the recorded times (paused tokio clock).

use ocw_tui::log::{self, LogReader, Record};
use ocw_tui::model::{Event, Store, Summary};
use ocw_tui::replay::{EndedEarly, Pacer, Timeline};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::time::Instant;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(rel: &str) -> Timeline {
    Timeline::load(log::open(fixture(rel).to_str().unwrap()).unwrap()).unwrap()
}

fn load_text(text: &str) -> Timeline {
    Timeline::load(LogReader::new(text.as_bytes())).unwrap()
}

fn fixture_text(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap()
}

/// The state after the first `pos` records, reduced from the start.
fn reduce_prefix(t: &Timeline, pos: usize) -> Summary {
    let mut s = Store::new();
    for r in &t.records()[..pos] {
        s.apply(&r.event);
    }
    Summary::of(&s, 0)
}

#[test]
fn every_position_of_a_long_log_matches_reducing_from_the_start() {
    let t = load("opencode-1.18.33/long.jsonl");
    assert_eq!(t.len(), 3020);
    // Spot-check across several checkpoint intervals, both seek directions.
    let mut c = t.cursor();
    for pos in [
        3020, 0, 1500, 1499, 1025, 1024, 1023, 3019, 2, 2049, 3020, 700,
    ] {
        t.seek(&mut c, pos);
        assert_eq!(c.pos, pos);
        assert_eq!(Summary::of(&c.store, 0), reduce_prefix(&t, pos), "at {pos}");
        assert_eq!(c.store.events, pos as u64);
    }
    let mid = t.state_at(1000);
    let text = &mid.sessions()[0].messages[1];
    // Line 1000 holds delta 986: the text has grown to 986 words.
    assert_eq!(text.text().split_whitespace().count(), 986);
}

#[test]
fn stepping_back_one_event_undoes_exactly_that_event() {
    let t = load("opencode-1.18.33/bash_once.jsonl");
    let mut c = t.cursor();
    t.seek(&mut c, t.len());
    // Step back over the final idle, then over the permission reply (line 20).
    let back = t.step_back(c.pos);
    t.seek(&mut c, back);
    assert!(c.store.sessions()[0].is_busy());
    t.seek(&mut c, 20);
    assert_eq!(
        c.store.sessions()[0].permissions[0].reply.as_deref(),
        Some("once")
    );
    let back = t.step_back(20);
    assert_eq!(back, 19);
    t.seek(&mut c, back);
    assert_eq!(c.store.sessions()[0].permissions[0].reply, None);
    assert_eq!(t.step_forward(19), 20);
}

#[test]
fn turns_are_the_prompts_and_jumps_land_after_them() {
    let t = load("opencode-1.18.33/write_edit.jsonl");
    // User message WpSEwo (line 3) + its text part (line 4); C5uZTu (line 39) + line 40.
    assert_eq!(t.turns(), &[4, 40]);
    assert_eq!(t.turn_at(0), 0);
    assert_eq!(t.turn_at(4), 1);
    assert_eq!(t.turn_at(39), 1);
    assert_eq!(t.turn_at(74), 2);
    assert_eq!(t.next_turn(0), 4);
    assert_eq!(t.next_turn(4), 40);
    assert_eq!(t.next_turn(40), 74, "after the last turn: the end");
    assert_eq!(t.prev_turn(74), 40);
    assert_eq!(t.prev_turn(40), 4);
    assert_eq!(t.prev_turn(30), 4);
    assert_eq!(t.prev_turn(4), 0);
    let s = t.state_at(40);
    let msgs = &s.sessions()[0].messages;
    assert_eq!(msgs.last().unwrap().text(), "now edit notes.txt");

    let t = load("opencode-1.18.33/multi_turn.jsonl");
    assert_eq!(t.turns().len(), 3);
}

#[test]
fn run_log_has_one_turn_per_session_and_each_can_be_watched() {
    let mut t = load("opencode-run-1.18.33/five_runs.jsonl");
    assert_eq!(t.len(), 33);
    assert_eq!(t.roots.len(), 5);
    assert_eq!(t.turns().len(), 5);
    assert!(t.ended_early.is_none(), "{:?}", t.ended_early);
    let second = t.roots[1].clone();
    t.watch(Some(&second));
    assert_eq!(t.turns().len(), 1);
    // Stepping from the start skips the first run's events to the second run's first.
    let first = t.step_forward(0);
    let rec = t.record(first - 1).unwrap();
    assert_eq!(rec.event.session_id(), Some(second.as_str()));
    // And stops there at the end of that run: the rest belongs to other sessions.
    let mut pos = first;
    let mut steps = 1;
    while t.step_forward(pos) != pos && t.step_forward(pos) < t.len() {
        let next = t.step_forward(pos);
        if t.record(next - 1).unwrap().event.session_id() != Some(second.as_str()) {
            break;
        }
        pos = next;
        steps += 1;
    }
    // 7 lines (7 part events), 2 messages (first seen + step_finish: 4 events) = 11.
    assert_eq!(steps, 11);
    t.watch(None);
    assert_eq!(t.turns().len(), 5);
}

#[test]
fn recorded_fixtures_end_cleanly() {
    for name in [
        "hello",
        "bash_once",
        "bash_reject",
        "question",
        "question_multi",
        "write_edit",
        "reasoning",
        "multi_turn",
        "provider_error",
        "long",
    ] {
        let t = load(&format!("opencode-1.18.33/{name}.jsonl"));
        assert_eq!(t.ended_early, None, "{name}");
        assert_eq!(t.skipped, 0);
    }
}

#[test]
fn log_cut_at_an_open_permission_says_it_ended_early() {
    let text = fixture_text("opencode-1.18.33/bash_once.jsonl");
    let cut: String = text.lines().take(19).map(|l| format!("{l}\n")).collect();
    let t = load_text(&cut);
    assert_eq!(t.len(), 19);
    match &t.ended_early {
        Some(EndedEarly::MidTurn { why, .. }) => assert!(why.contains("permission bash"), "{why}"),
        other => panic!("expected mid-turn, got {other:?}"),
    }
    // Cut mid-stream, no request open: still busy.
    let cut: String = text.lines().take(36).map(|l| format!("{l}\n")).collect();
    let t = load_text(&cut);
    assert!(t
        .ended_early
        .as_ref()
        .unwrap()
        .to_string()
        .contains("mid-turn"));
}

#[test]
fn a_cut_off_last_line_is_reported() {
    let text = fixture_text("opencode-1.18.33/hello.jsonl");
    let mut damaged = text.clone();
    damaged.push_str("{\"type\":\"session.st");
    let t = load_text(&damaged);
    assert_eq!(t.ended_early, Some(EndedEarly::TruncatedLine));
    assert_eq!(t.skipped_lines, vec![26]);
}

#[test]
fn malformed_lines_are_located_for_the_timeline_bar() {
    let text = fixture_text("opencode-1.18.33/hello.jsonl");
    let mut out = String::new();
    for (i, l) in text.lines().enumerate() {
        out.push_str(l);
        out.push('\n');
        if i == 2 || i == 9 {
            out.push_str("not json\n");
        }
    }
    let t = load_text(&out);
    assert_eq!(t.len(), 25);
    assert_eq!(t.skipped, 2);
    assert_eq!(t.skipped_lines, vec![4, 12]);
    assert_eq!(t.skipped_before(0), 0);
    assert_eq!(t.skipped_before(3), 1, "record 3 is line 5, after line 4");
    assert_eq!(t.skipped_before(25), 2);
}

fn timed(times: &[Option<f64>]) -> Timeline {
    let records = times
        .iter()
        .enumerate()
        .map(|(i, &t)| Record {
            line: i as u64 + 1,
            time_ms: t,
            event: Event::parse(r#"{"type":"session.idle","properties":{"sessionID":"s"}}"#)
                .unwrap(),
        })
        .collect();
    Timeline::from_records(records)
}

/// Plays from `pos` to the end; returns the virtual time each event was played at.
async fn play(t: &Timeline, pacer: &mut Pacer) -> Vec<Duration> {
    let start = Instant::now();
    let mut at = Vec::new();
    let mut pos = 0;
    while pos < t.len() {
        pacer.wait(t, pos).await;
        pos += 1;
        pacer.played(t, pos);
        at.push(Instant::now() - start);
    }
    at
}

fn ms(v: &[u64]) -> Vec<Duration> {
    v.iter().map(|&m| Duration::from_millis(m)).collect()
}

#[tokio::test(start_paused = true)]
async fn a_log_without_times_plays_at_a_steady_pace_scaled_by_speed() {
    let t = timed(&[None; 4]);
    assert_eq!(
        play(&t, &mut Pacer::new(1.0)).await,
        ms(&[50, 100, 150, 200])
    );
    assert_eq!(play(&t, &mut Pacer::new(2.0)).await, ms(&[25, 50, 75, 100]));
    assert_eq!(
        play(&t, &mut Pacer::new(0.5)).await,
        ms(&[100, 200, 300, 400])
    );
}

#[tokio::test(start_paused = true)]
async fn recorded_times_set_the_gaps_and_long_idle_gaps_are_shortened() {
    let t = timed(&[Some(1000.0), Some(1100.0), Some(1350.0), Some(61_350.0)]);
    // First event at once; then 100 ms, 250 ms, and 60 s capped to 2 s.
    assert_eq!(
        play(&t, &mut Pacer::new(1.0)).await,
        ms(&[0, 100, 350, 2350])
    );
    assert_eq!(
        play(&t, &mut Pacer::new(2.0)).await,
        ms(&[0, 50, 175, 1175])
    );
    assert_eq!(
        play(&t, &mut Pacer::new(0.25)).await,
        ms(&[0, 400, 1400, 9400])
    );
}

#[tokio::test(start_paused = true)]
async fn paused_playback_waits_until_played_again() {
    let t = timed(&[None; 3]);
    let mut pacer = Pacer::new(1.0);
    pacer.toggle();
    assert!(pacer.paused());
    let waited = tokio::time::timeout(Duration::from_secs(3600), pacer.wait(&t, 0)).await;
    assert!(waited.is_err(), "a paused replay must not advance");
    pacer.toggle();
    let start = Instant::now();
    pacer.wait(&t, 0).await;
    assert_eq!(Instant::now() - start, Duration::from_millis(50));
    // At the end nothing is ever due.
    let end = tokio::time::timeout(Duration::from_secs(3600), pacer.wait(&t, 3)).await;
    assert!(end.is_err());
}

#[test]
fn speed_steps_between_a_quarter_and_sixty_four() {
    let mut p = Pacer::new(1.0);
    p.faster();
    assert_eq!(p.speed(), 2.0);
    for _ in 0..20 {
        p.faster();
    }
    assert_eq!(p.speed(), 64.0);
    for _ in 0..20 {
        p.slower();
    }
    assert_eq!(p.speed(), 0.25);
    assert_eq!(Pacer::new(1000.0).speed(), 64.0);
    assert_eq!(Pacer::new(0.0).speed(), 0.25);
    assert_eq!(Pacer::new(f64::NAN).speed(), 1.0);
    let mut p = Pacer::new(3.0);
    p.faster();
    assert_eq!(p.speed(), 4.0);
}
