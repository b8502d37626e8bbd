//! Where the time of `replay --summary` goes, stage by stage, on a log given as argument:
//! reading lines, parsing the envelope (serde_json over each line), building typed events,
//! and reducing them. `cargo bench --bench replay_stages -- LOG`.

use ocw_tui::model::{Event, Store};
use std::io::BufRead;
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .expect("usage: replay_stages LOG");
    let open = || std::io::BufReader::with_capacity(1 << 16, std::fs::File::open(&path).unwrap());

    let t = Instant::now();
    let mut buf = Vec::new();
    let mut r = open();
    let mut lines = 0u64;
    while r.read_until(b'\n', &mut buf).unwrap() > 0 {
        lines += 1;
        buf.clear();
    }
    println!(
        "read lines             {:>8.3} s  ({lines} lines)",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut r = open();
    let mut n = 0u64;
    while r.read_until(b'\n', &mut buf).unwrap() > 0 {
        let v: serde_json::Value = match serde_json::from_slice(&buf) {
            Ok(v) => v,
            Err(_) => {
                buf.clear();
                continue;
            }
        };
        n += v.is_object() as u64;
        buf.clear();
    }
    println!(
        "serde_json::Value      {:>8.3} s  ({n})",
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    let mut r = open();
    let mut events = Vec::new();
    while r.read_until(b'\n', &mut buf).unwrap() > 0 {
        if let Ok(text) = std::str::from_utf8(&buf) {
            if let Ok(e) = Event::parse(text.trim()) {
                events.push(e);
            }
        }
        buf.clear();
    }
    println!(
        "Event::parse           {:>8.3} s  ({} events)",
        t.elapsed().as_secs_f64(),
        events.len()
    );

    let t = Instant::now();
    let mut store = Store::new();
    for e in &events {
        store.apply(e);
    }
    println!(
        "Store::apply           {:>8.3} s",
        t.elapsed().as_secs_f64()
    );
    drop(events);

    let t = Instant::now();
    let mut reader = ocw_tui::log::open(&path).unwrap();
    let mut m = 0u64;
    while let Some(_r) = reader.next_record().unwrap() {
        m += 1;
    }
    println!(
        "LogReader records      {:>8.3} s  ({m})",
        t.elapsed().as_secs_f64()
    );
}
