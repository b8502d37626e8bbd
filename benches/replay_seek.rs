//! Seek times of the interactive replay on a big log: load (read + reduce + checkpoints),
//! then End, Home, `]` / `[` turn jumps and Left (one event back) from the end.
//! Prints the figures. `cargo bench --bench replay_seek -- LOG` (scripts/bench-summary.sh
//! builds a ~100 MB LOG); without LOG it uses the fixtures concatenated 20 times.

use ocw_tui::replay::Timeline;
use std::time::{Duration, Instant};

fn main() {
    let arg = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let tmp;
    let path = match arg {
        Some(p) => p,
        None => {
            let dir = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/opencode-1.18.33"
            );
            let mut one = String::new();
            let mut names: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            names.sort();
            for p in names {
                one.push_str(&std::fs::read_to_string(p).unwrap());
            }
            tmp = tempfile::NamedTempFile::new().unwrap();
            std::fs::write(tmp.path(), one.repeat(20)).unwrap();
            tmp.path().to_str().unwrap().to_string()
        }
    };
    let t0 = Instant::now();
    let timeline = Timeline::load(ocw_tui::log::open(&path).unwrap()).unwrap();
    let load = t0.elapsed();
    let n = timeline.len();
    println!(
        "seek in {} events, {} turns: load {:.3} s",
        n,
        timeline.turns().len(),
        load.as_secs_f64()
    );

    let mut cursor = timeline.cursor();
    let mut worst: Vec<(&str, Duration)> = Vec::new();
    let mut time = |name: &'static str, f: &mut dyn FnMut() -> usize| {
        let t = Instant::now();
        let pos = f();
        let d = t.elapsed();
        match worst.iter_mut().find(|(k, _)| *k == name) {
            Some((_, w)) => *w = (*w).max(d),
            None => worst.push((name, d)),
        }
        pos
    };
    let tl = &timeline;
    time("End", &mut || {
        tl.seek(&mut cursor, n);
        cursor.pos
    });
    time("Home", &mut || {
        tl.seek(&mut cursor, 0);
        cursor.pos
    });
    // `]` from the start to the last turn is ~35,000 jumps: time a sample spread over the log.
    let turns = tl.turns().to_vec();
    let sample: Vec<usize> = (0..200).map(|i| turns[i * turns.len() / 200]).collect();
    for &p in &sample {
        tl.seek(&mut cursor, p.saturating_sub(3));
        time("] (next turn)", &mut || {
            let to = tl.next_turn(cursor.pos);
            tl.seek(&mut cursor, to);
            cursor.pos
        });
        time("[ (previous turn)", &mut || {
            let to = tl.prev_turn(cursor.pos);
            let to = tl.prev_turn(to);
            tl.seek(&mut cursor, to);
            cursor.pos
        });
    }
    tl.seek(&mut cursor, n);
    for _ in 0..200 {
        time("Left (one event back)", &mut || {
            let to = tl.step_back(cursor.pos);
            tl.seek(&mut cursor, to);
            cursor.pos
        });
    }
    time("End again", &mut || {
        tl.seek(&mut cursor, n);
        cursor.pos
    });
    println!("{:<24} {:>12}", "seek (worst of runs)", "milliseconds");
    for (name, d) in worst {
        println!("{:<24} {:>12.3}", name, d.as_secs_f64() * 1000.0);
    }
}
