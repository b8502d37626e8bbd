//! Streaming reduction of a whole log for `replay --summary` and `--export-markdown`:
//! memory does not grow with the number of events (only the [`Store`] is kept).
//!
//! Parsing JSON is nine tenths of the work and reducing is cheap, so a big `serve`-format
//! file is cut into blocks at line ends, blocks are parsed by worker threads (each with
//! the same [`LogReader`]), and the main thread applies their records strictly in file
//! order: the result is exactly the sequential one. Standard input, small files and
//! `opencode run` logs (whose conversion carries state from line to line) are read
//! sequentially, and so is everything on a machine with fewer than four cores (see
//! [`workers`]). At most `2 * workers` parsed blocks are alive at once.

use crate::log::{self, LogFormat, LogReader, Record};
use crate::model::Store;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::mpsc;

/// Size of one block handed to a worker.
const BLOCK: usize = 1 << 20;
/// Files smaller than this are read on one thread.
const PARALLEL_FROM: u64 = 4 * BLOCK as u64;

/// What reading the whole log gave.
pub struct Reduced {
    pub store: Store,
    /// Lines that were not events.
    pub skipped: u64,
    /// Line numbers of the first skipped lines.
    pub skipped_lines: Vec<u64>,
    /// The last line was cut off.
    pub truncated_tail: bool,
}

/// Reads `path` (`-` = standard input) through the reducer.
pub fn reduce(path: &str) -> io::Result<Reduced> {
    let workers = workers();
    let big = path != "-"
        && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() >= PARALLEL_FROM);
    if workers > 1 && big && first_block_is_serve(path)? {
        return reduce_parallel(path, workers);
    }
    let mut reader = log::open(path)?;
    let mut store = Store::new();
    while let Some(r) = reader.next_record()? {
        store.apply(&r.event);
    }
    Ok(Reduced {
        store,
        skipped: reader.skipped,
        skipped_lines: reader.skipped_lines,
        truncated_tail: reader.truncated_tail,
    })
}

/// Parser threads: `OCW_REPLAY_THREADS` if set, else the cores when there are at least
/// four. Handing blocks between threads costs about 40% more CPU in all (measured on a
/// 100 MB log: 0.52 s against 0.36 s), which only pays off with cores to spare.
fn workers() -> usize {
    if let Some(n) = std::env::var("OCW_REPLAY_THREADS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        return n.clamp(1, 64);
    }
    match std::thread::available_parallelism().map_or(1, |n| n.get()) {
        n if n >= 4 => n.min(8),
        _ => 1,
    }
}

fn first_block_is_serve(path: &str) -> io::Result<bool> {
    let mut reader = log::open(path)?;
    reader.next_record()?;
    Ok(reader.format() == Some(LogFormat::Serve))
}

/// One parsed block.
struct Parsed {
    records: Vec<Record>,
    lines: u64,
    skipped: u64,
    skipped_lines: Vec<u64>,
    truncated_tail: bool,
}

fn parse_block(block: &[u8]) -> io::Result<Parsed> {
    let mut reader = LogReader::new(block);
    let mut records = Vec::with_capacity(block.len() / 200);
    while let Some(r) = reader.next_record()? {
        records.push(r);
    }
    let lines = block.iter().filter(|&&b| b == b'\n').count() as u64
        + u64::from(block.last().is_some_and(|&b| b != b'\n'));
    Ok(Parsed {
        records,
        lines,
        skipped: reader.skipped,
        skipped_lines: reader.skipped_lines,
        truncated_tail: reader.truncated_tail,
    })
}

/// Reads the next block: about [`BLOCK`] bytes, extended to the end of its last line. A
/// last line longer than [`log::MAX_LINE_BYTES`] is read through but not kept: it becomes
/// one line that is not an event (skipped and counted like any bad line).
fn next_block(input: &mut impl BufRead) -> io::Result<Option<Vec<u8>>> {
    next_block_capped(input, log::MAX_LINE_BYTES)
}

fn next_block_capped(input: &mut impl BufRead, max_line: usize) -> io::Result<Option<Vec<u8>>> {
    let mut block = Vec::with_capacity(BLOCK + 4096);
    input.by_ref().take(BLOCK as u64).read_to_end(&mut block)?;
    if block.is_empty() {
        return Ok(None);
    }
    if block.last() != Some(&b'\n') {
        let start = block.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let mut rest = Vec::new();
        let room = max_line.saturating_sub(block.len() - start);
        let (_, overlong) = log::read_line_capped(input, &mut rest, room)?;
        if overlong {
            block.truncate(start);
            block.extend_from_slice(b"\x01 line too long\n");
        } else {
            block.extend_from_slice(&rest);
        }
    }
    Ok(Some(block))
}

fn reduce_parallel(path: &str, workers: usize) -> io::Result<Reduced> {
    let file = File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("cannot open log {path}: {e}")))?;
    std::thread::scope(|scope| {
        let mut to_workers = Vec::new();
        let mut from_workers = Vec::new();
        let mut recycle = Vec::new();
        for _ in 0..workers {
            let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(1);
            let (rtx, rrx) = mpsc::sync_channel::<io::Result<Parsed>>(1);
            // Applied records go back to the thread that allocated them to be freed
            // there: freeing across threads is slow with the system allocator.
            let (dtx, drx) = mpsc::channel::<Vec<Record>>();
            scope.spawn(move || {
                for block in rx {
                    drop(drx.try_iter().collect::<Vec<_>>());
                    if rtx.send(parse_block(&block)).is_err() {
                        return;
                    }
                }
                drop(drx.try_iter().collect::<Vec<_>>());
            });
            to_workers.push(tx);
            from_workers.push(rrx);
            recycle.push(dtx);
        }
        // The reader thread deals blocks round-robin; the main thread takes the results
        // back in the same order.
        let reader = scope.spawn(move || -> io::Result<()> {
            let mut input = BufReader::with_capacity(1 << 16, file);
            let mut i = 0;
            while let Some(block) = next_block(&mut input)? {
                if to_workers[i % to_workers.len()].send(block).is_err() {
                    break;
                }
                i += 1;
            }
            Ok(())
        });
        let mut out = Reduced {
            store: Store::new(),
            skipped: 0,
            skipped_lines: Vec::new(),
            truncated_tail: false,
        };
        let mut line_offset = 0u64;
        let mut i = 0;
        // A worker's channel closes once the reader is done and it has sent everything.
        while let Ok(parsed) = from_workers[i % workers].recv() {
            let parsed = parsed?;
            for r in &parsed.records {
                out.store.apply(&r.event);
            }
            let records = parsed.records;
            out.skipped += parsed.skipped;
            for l in parsed.skipped_lines {
                if out.skipped_lines.len() < 1000 {
                    out.skipped_lines.push(l + line_offset);
                }
            }
            out.truncated_tail = parsed.truncated_tail;
            line_offset += parsed.lines;
            // The worker may be gone already (last block): then drop here.
            let _ = recycle[i % workers].send(records);
            i += 1;
        }
        drop(from_workers);
        reader
            .join()
            .map_err(|_| io::Error::other("the log reader thread panicked"))??;
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_end_at_line_ends() {
        // A block that ends exactly at a line end is not extended.
        let text = format!("{}\n{}\n", "a".repeat(BLOCK - 1), "b".repeat(10));
        let mut input = io::Cursor::new(text.into_bytes());
        assert_eq!(next_block(&mut input).unwrap().unwrap().len(), BLOCK);
        assert_eq!(next_block(&mut input).unwrap().unwrap(), b"bbbbbbbbbb\n");
        assert!(next_block(&mut input).unwrap().is_none());
        // One that ends mid-line takes the rest of that line, and no more.
        let text = format!("{}\n{}\nc\n", "a".repeat(BLOCK - 3), "b".repeat(10));
        let mut input = io::Cursor::new(text.into_bytes());
        assert_eq!(
            next_block(&mut input).unwrap().unwrap().len(),
            BLOCK - 2 + 11
        );
        assert_eq!(next_block(&mut input).unwrap().unwrap(), b"c\n");
    }

    #[test]
    fn an_overlong_last_line_becomes_one_skipped_line() {
        let text = format!("{}\n{}\nc\n", "a".repeat(BLOCK - 3), "b".repeat(5000));
        let mut input = io::Cursor::new(text.into_bytes());
        let block = next_block_capped(&mut input, 1000).unwrap().unwrap();
        assert_eq!(block.len(), BLOCK - 2 + b"\x01 line too long\n".len());
        assert!(block.ends_with(b"\n\x01 line too long\n"));
        let parsed = parse_block(&block).unwrap();
        assert_eq!((parsed.lines, parsed.skipped), (2, 2));
        assert_eq!(next_block(&mut input).unwrap().unwrap(), b"c\n");
    }
}
