//! The JSONL session log: one raw event object per line, the format py-opencode-wrapper
//! 0.3.1 writes and reads. The writer creates the file with mode 0600 and flushes every
//! line before the event is shown; it adds one key of its own, `ocw_time` (epoch ms when
//! the event was received), which other readers ignore. The reader streams a log of either
//! format (`opencode serve` events, or `opencode run --format json` lines, detected by
//! shape), skipping and counting lines that are not JSON objects, and lines longer than
//! [`MAX_LINE_BYTES`] (skipped without being read into memory).
//!
//! The writer never follows a link nor writes to anything but a regular file of ours
//! (`private.rs`); when the file is replaced or deleted under it (an `/undo` restoring a
//! snapshot, a clean-up) it notices within a second and reopens the path (appending),
//! saying so once ([`LogWriter::take_notice`]). `default_logs.rs`: where the TUI records every
//! session, and the retention limit.

use crate::model::event::{ErrorInfo, Event, MessageInfo, PartInfo, Tokens};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub mod default_logs;
pub mod private;

/// The key ocw-tui adds to each logged event: when it was received, in epoch milliseconds.
pub const TIME_KEY: &str = "ocw_time";

/// Appends events to a session log, one JSON object per line, flushed line by line.
pub struct LogWriter {
    file: File,
    path: PathBuf,
    /// Device and inode of the file we write (compared with the path's now and then).
    id: (u64, u64),
    last_check: Instant,
    check_every: Duration,
    /// Said once: the file was replaced or deleted and reopened.
    notice: Option<String>,
    exclude: HashSet<String>,
    line: Vec<u8>,
    /// Added to the first line written, as [`META_KEY`] (then cleared).
    meta: Option<String>,
}

/// The key of the first logged line that says who wrote the log and which opencode sent
/// it (`{"ocw_tui":"0.1.0","opencode":"1.18.33"}`); other readers ignore it, as `ocw_time`.
pub const META_KEY: &str = "ocw_meta";

impl LogWriter {
    /// Creates (or truncates) `path` with mode 0600 (see `private.rs`: never through a
    /// link, only a regular file of ours). `exclude` lists event types left out.
    pub fn create(path: &Path, exclude: impl IntoIterator<Item = String>) -> io::Result<Self> {
        let (file, _) = private::open(path, private::Mode::Truncate)?;
        let id = file_id(&file.metadata()?);
        Ok(LogWriter {
            file,
            path: path.to_path_buf(),
            id,
            last_check: Instant::now(),
            check_every: Duration::from_secs(1),
            notice: None,
            exclude: exclude.into_iter().collect(),
            line: Vec::with_capacity(4096),
            meta: None,
        })
    }

    /// How often the path is compared with the open file (1 s; tests set zero).
    pub fn check_every(&mut self, every: Duration) {
        self.check_every = every;
    }

    /// The note to show once after the file was replaced or deleted and reopened.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// The file written to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reopens the path (appending, 0600) when it no longer names the file we write.
    fn follow_path(&mut self) -> io::Result<()> {
        if self.last_check.elapsed() < self.check_every {
            return Ok(());
        }
        self.last_check = Instant::now();
        let same = std::fs::symlink_metadata(&self.path).is_ok_and(|m| file_id(&m) == self.id);
        if same {
            return Ok(());
        }
        let (file, _) = private::open(&self.path, private::Mode::Append).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("the log was replaced or deleted and cannot be reopened: {e}"),
            )
        })?;
        self.id = file_id(&file.metadata()?);
        self.file = file;
        tracing::warn!(path = %self.path.display(), "session log replaced or deleted: reopened");
        self.notice = Some(format!(
            "the log {} was replaced or deleted under ocw-tui: reopened, later events are appended to it",
            self.path.display()
        ));
        Ok(())
    }

    /// Adds `meta` to the next line written, under [`META_KEY`].
    pub fn set_meta(&mut self, meta: serde_json::Value) {
        self.meta = Some(meta.to_string());
    }

    /// Writes one event (the raw JSON object as received) and flushes it.
    /// Returns false when its type is excluded.
    pub fn write_raw(&mut self, kind: &str, raw: &str, received_ms: u64) -> io::Result<bool> {
        if self.exclude.contains(kind) {
            return Ok(false);
        }
        self.follow_path()?;
        let raw = raw.trim();
        self.line.clear();
        match raw.strip_suffix('}') {
            Some(body) if raw.starts_with('{') => {
                self.line.extend_from_slice(body.as_bytes());
                let sep = if body.trim_end().ends_with('{') {
                    ""
                } else {
                    ","
                };
                write!(self.line, "{sep}\"{TIME_KEY}\":{received_ms}")?;
                if let Some(meta) = self.meta.take() {
                    write!(self.line, ",\"{META_KEY}\":{meta}")?;
                }
                self.line.push(b'}');
            }
            _ => self.line.extend_from_slice(raw.as_bytes()),
        }
        self.line.push(b'\n');
        self.file.write_all(&self.line)?;
        self.file.flush()?;
        if self.line.capacity() > 64 * 1024 {
            // One huge event must not pin its size in memory for the rest of the session.
            self.line = Vec::with_capacity(4096);
        }
        Ok(true)
    }
}

fn file_id(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

/// Milliseconds since the epoch, for [`LogWriter::write_raw`].
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// One event read back from a log.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// 1-based line number in the file.
    pub line: u64,
    /// When the event happened or was received (epoch ms), if the line says.
    pub time_ms: Option<f64>,
    pub event: Event,
}

/// Which of the two log formats a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Raw `opencode serve` bus events (`{"type","properties"}`): ours and the seed's session log.
    Serve,
    /// `opencode run --format json` lines (`step_start`, `text`, `tool_use`, `step_finish`, ...).
    Run,
}

/// The longest line a log is read with: the live stream's largest event
/// (`backend::sse::MAX_EVENT_BYTES`, 64 MiB) plus room for what the writer adds
/// (`ocw_time`, `ocw_meta`). A longer line is skipped and counted, never held in memory.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024 + 64 * 1024;

/// Reads one line (with its `\n`) into `buf`, holding at most `max` bytes of it: a longer
/// line is consumed up to its end but not kept (`buf` is left empty). Returns the bytes
/// consumed (0 at the end) and whether the line was too long.
pub fn read_line_capped<R: BufRead + ?Sized>(
    input: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<(usize, bool)> {
    let (mut total, mut overlong) = (0, false);
    loop {
        let avail = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok((total, overlong));
        }
        let (n, done) = match memchr::memchr(b'\n', avail) {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        if !overlong {
            if buf.len() + n > max {
                overlong = true;
                buf.clear();
                buf.shrink_to(1 << 12);
            } else {
                buf.extend_from_slice(&avail[..n]);
            }
        }
        input.consume(n);
        total += n;
        if done {
            return Ok((total, overlong));
        }
    }
}

/// At most this many skipped line numbers are remembered (all are counted).
const MAX_SKIPPED_LINES_KEPT: usize = 1000;

/// Streams records out of a log, skipping and counting lines that are not events.
pub struct LogReader<R> {
    input: R,
    buf: Vec<u8>,
    line_no: u64,
    /// Lines that were not a JSON object event.
    pub skipped: u64,
    /// Line numbers of the first skipped lines.
    pub skipped_lines: Vec<u64>,
    /// True when the last line had no newline and did not parse (the writer died mid-line).
    pub truncated_tail: bool,
    format: Option<LogFormat>,
    run: RunAdapter,
    pending: std::collections::VecDeque<Record>,
    max_line: usize,
}

/// Opens a log file, or standard input for `-`.
pub fn open(path: &str) -> io::Result<LogReader<Box<dyn BufRead>>> {
    let input: Box<dyn BufRead> = if path == "-" {
        Box::new(BufReader::with_capacity(1 << 16, io::stdin()))
    } else {
        let f = File::open(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot open log {path}: {e}")))?;
        Box::new(BufReader::with_capacity(1 << 16, f))
    };
    Ok(LogReader::new(input))
}

#[derive(Deserialize)]
struct LineEnvelope<'a> {
    #[serde(rename = "type", borrow)]
    kind: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    properties: Option<&'a RawValue>,
    #[serde(default, rename = "ocw_time")]
    ocw_time: Option<f64>,
    // Run-format fields.
    #[serde(default)]
    timestamp: Option<f64>,
    #[serde(default, rename = "sessionID")]
    session_id: Option<String>,
    #[serde(default)]
    part: Option<PartInfo>,
    #[serde(default)]
    error: Option<ErrorInfo>,
}

const RUN_TYPES: [&str; 6] = [
    "step_start",
    "text",
    "reasoning",
    "tool_use",
    "step_finish",
    "error",
];

impl<R: BufRead> LogReader<R> {
    pub fn new(input: R) -> Self {
        LogReader {
            input,
            buf: Vec::with_capacity(1 << 12),
            line_no: 0,
            skipped: 0,
            skipped_lines: Vec::new(),
            truncated_tail: false,
            format: None,
            run: RunAdapter::default(),
            pending: Default::default(),
            max_line: MAX_LINE_BYTES,
        }
    }

    /// The same, with lines longer than `max` bytes skipped (tests; else [`MAX_LINE_BYTES`]).
    pub fn with_max_line(input: R, max: usize) -> Self {
        let mut r = LogReader::new(input);
        r.max_line = max;
        r
    }

    /// The detected format (after the first event was read).
    pub fn format(&self) -> Option<LogFormat> {
        self.format
    }

    fn skip(&mut self) {
        self.skipped += 1;
        if self.skipped_lines.len() < MAX_SKIPPED_LINES_KEPT {
            self.skipped_lines.push(self.line_no);
        }
    }

    /// The next record, or `Ok(None)` at the end. I/O errors are returned; bad lines are not.
    pub fn next_record(&mut self) -> io::Result<Option<Record>> {
        loop {
            if let Some(r) = self.pending.pop_front() {
                return Ok(Some(r));
            }
            self.buf.clear();
            let (n, overlong) = read_line_capped(&mut self.input, &mut self.buf, self.max_line)?;
            if n == 0 {
                return Ok(None);
            }
            self.line_no += 1;
            if overlong {
                self.skip();
                continue;
            }
            let complete = self.buf.last() == Some(&b'\n');
            let Ok(text) = std::str::from_utf8(&self.buf) else {
                self.skip();
                continue;
            };
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            if self.format != Some(LogFormat::Run) {
                if let Some((event, time_ms)) = Event::parse_delta(text) {
                    self.format = Some(LogFormat::Serve);
                    return Ok(Some(Record {
                        line: self.line_no,
                        time_ms,
                        event,
                    }));
                }
            }
            let env: LineEnvelope = match serde_json::from_str(text) {
                Ok(e) => e,
                Err(_) => {
                    self.skip();
                    if !complete {
                        self.truncated_tail = true;
                    }
                    continue;
                }
            };
            let format = *self.format.get_or_insert_with(|| {
                if env.properties.is_none() && RUN_TYPES.contains(&env.kind.as_ref()) {
                    LogFormat::Run
                } else {
                    LogFormat::Serve
                }
            });
            let line = self.line_no;
            match format {
                LogFormat::Serve => {
                    let props = env.properties.map(RawValue::get).unwrap_or("{}");
                    let event = Event::from_parts(&env.kind, props);
                    let time_ms = env.ocw_time.or(env.timestamp);
                    return Ok(Some(Record {
                        line,
                        time_ms,
                        event,
                    }));
                }
                LogFormat::Run => {
                    let time_ms = env.timestamp.or(env.ocw_time);
                    for event in self.run.convert(env) {
                        self.pending.push_back(Record {
                            line,
                            time_ms,
                            event,
                        });
                    }
                }
            }
        }
    }
}

impl<R: BufRead> Iterator for LogReader<R> {
    type Item = io::Result<Record>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_record().transpose()
    }
}

/// Turns `opencode run --format json` lines into bus events: each part line becomes a
/// `message.part.updated`, and each `step_finish` a `message.updated` carrying the
/// message's tokens and cost so far (run logs have no message snapshots of their own).
#[derive(Default)]
struct RunAdapter {
    messages: HashMap<String, (Tokens, f64)>,
}

impl RunAdapter {
    fn convert(&mut self, env: LineEnvelope) -> Vec<Event> {
        let mut out = Vec::new();
        if env.kind == "error" {
            out.push(Event::SessionError {
                session_id: env.session_id,
                error: env.error.unwrap_or_default(),
            });
            return out;
        }
        let Some(mut part) = env.part else {
            return out;
        };
        if part.session_id.is_empty() {
            part.session_id = env.session_id.clone().unwrap_or_default();
        }
        let session_id = part.session_id.clone();
        let message_id = part.message_id.clone();
        let first = !self.messages.contains_key(&message_id);
        let entry = self.messages.entry(message_id.clone()).or_default();
        if first {
            out.push(Event::MessageUpdated(MessageInfo {
                id: message_id.clone(),
                session_id: Some(session_id.clone()),
                role: "assistant".into(),
                ..Default::default()
            }));
        }
        let finish = if env.kind == "step_finish" {
            if let Some(t) = part.tokens {
                entry.0 = add_tokens(entry.0, t);
            }
            entry.1 += part.cost.unwrap_or(0.0);
            Some((entry.0, entry.1, part.reason.clone()))
        } else {
            None
        };
        out.push(Event::PartUpdated(part));
        if let Some((tokens, cost, reason)) = finish {
            out.push(Event::MessageUpdated(MessageInfo {
                id: message_id,
                session_id: Some(session_id),
                role: "assistant".into(),
                tokens: Some(tokens),
                cost: Some(cost),
                finish: reason,
                ..Default::default()
            }));
        }
        out
    }
}

fn add_tokens(a: Tokens, b: Tokens) -> Tokens {
    let mut t = a;
    t.input += b.input;
    t.output += b.output;
    t.reasoning += b.reasoning;
    t.cache.read += b.cache.read;
    t.cache.write += b.cache.write;
    t.total = Some(a.total() + b.total());
    t
}

#[cfg(test)]
mod tests;
