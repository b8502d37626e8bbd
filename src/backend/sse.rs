//! A linear-time decoder of `text/event-stream` (the `/event` stream): bytes in, the
//! `data` of each complete event out. Every byte is scanned once however the chunks fall,
//! so a single 10 MB event costs 10 MB of work (the generic decoder we used before rescanned
//! its whole buffer on every chunk: a 1 MB event stalled the stream for seconds). One event
//! may hold at most [`MAX_EVENT_BYTES`]; a larger one is an error, not unbounded memory.
//!
//! Per the SSE format: lines end in LF, CRLF or CR; a blank line ends an event; `data:`
//! lines are joined with LF (one leading space after the colon is dropped); comments
//! (`:`) and the other fields (`event`, `id`, `retry`) are ignored here.

/// The largest single event accepted (its data plus the line being read).
pub const MAX_EVENT_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("an event of more than {} MB arrived: the stream was dropped", MAX_EVENT_BYTES / (1024 * 1024))]
pub struct TooLarge;

/// Buffers bigger than this are dropped after use rather than kept for the next event: one
/// huge event (a long answer's final snapshot) must not pin its size in memory for good.
const KEEP_CAPACITY: usize = 64 * 1024;

fn reuse(mut buf: Vec<u8>) -> Vec<u8> {
    if buf.capacity() > KEEP_CAPACITY {
        return Vec::new();
    }
    buf.clear();
    buf
}

#[derive(Debug, Default)]
pub struct SseDecoder {
    /// Bytes of the line being read (no terminator yet).
    line: Vec<u8>,
    /// The data lines of the event being read, joined with LF.
    data: Vec<u8>,
    has_data: bool,
    /// The previous chunk ended in CR: an LF starting this one belongs to it.
    after_cr: bool,
}

impl SseDecoder {
    pub fn new() -> SseDecoder {
        SseDecoder::default()
    }

    /// Feeds one chunk; pushes the data of every event it completes onto `out`.
    pub fn push(&mut self, mut chunk: &[u8], out: &mut Vec<String>) -> Result<(), TooLarge> {
        if self.after_cr {
            self.after_cr = false;
            if chunk.first() == Some(&b'\n') {
                chunk = &chunk[1..];
            }
        }
        while let Some(pos) = chunk.iter().position(|b| *b == b'\n' || *b == b'\r') {
            self.line.extend_from_slice(&chunk[..pos]);
            let cr = chunk[pos] == b'\r';
            chunk = &chunk[pos + 1..];
            if cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
            let line = std::mem::take(&mut self.line);
            self.end_line(&line, out);
            self.line = reuse(line);
        }
        self.line.extend_from_slice(chunk);
        if self.line.len() + self.data.len() > MAX_EVENT_BYTES {
            *self = SseDecoder::default();
            return Err(TooLarge);
        }
        Ok(())
    }

    fn end_line(&mut self, line: &[u8], out: &mut Vec<String>) {
        if line.is_empty() {
            if self.has_data {
                out.push(String::from_utf8_lossy(&self.data).into_owned());
            }
            self.data = reuse(std::mem::take(&mut self.data));
            self.has_data = false;
            return;
        }
        if line[0] == b':' {
            return;
        }
        let (field, value) = match line.iter().position(|b| *b == b':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(b" ").unwrap_or(v))
            }
            None => (line, &b""[..]),
        };
        if field == b"data" {
            if self.has_data {
                self.data.push(b'\n');
            }
            self.data.extend_from_slice(value);
            self.has_data = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(chunks: &[&[u8]]) -> Vec<String> {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.push(c, &mut out).unwrap();
        }
        out
    }

    #[test]
    fn events_split_anywhere_decode_the_same() {
        let stream = b"data: {\"a\":1}\n\n: comment\n\nevent: x\ndata: one\ndata:two\n\n";
        let whole = decode(&[stream]);
        assert_eq!(whole, vec!["{\"a\":1}", "one\ntwo"]);
        for cut in 0..stream.len() {
            assert_eq!(
                decode(&[&stream[..cut], &stream[cut..]]),
                whole,
                "cut at {cut}"
            );
        }
        let bytewise: Vec<&[u8]> = stream.chunks(1).collect();
        assert_eq!(decode(&bytewise), whole);
    }

    #[test]
    fn crlf_and_cr_line_ends() {
        assert_eq!(
            decode(&[b"data: a\r\n\r\ndata: b\r\rdata: c\r", b"\n\r\n"]),
            vec!["a", "b", "c"]
        );
    }

    #[test]
    fn an_event_without_data_is_nothing_and_an_unfinished_one_waits() {
        assert!(decode(&[b"event: ping\n\n", b"data: half"]).is_empty());
    }

    #[test]
    fn ten_megabytes_in_small_chunks() {
        let mut stream = b"data: ".to_vec();
        stream.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
        stream.extend_from_slice(b"\n\n");
        let chunks: Vec<&[u8]> = stream.chunks(8192).collect();
        let out = decode(&chunks);
        assert_eq!(out[0].len(), 10 * 1024 * 1024);
    }

    #[test]
    fn an_endless_event_is_refused() {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        let chunk = vec![b'x'; 1024 * 1024];
        d.push(b"data: ", &mut out).unwrap();
        let mut refused = false;
        for _ in 0..(MAX_EVENT_BYTES / chunk.len() + 2) {
            if d.push(&chunk, &mut out).is_err() {
                refused = true;
                break;
            }
        }
        assert!(refused);
        d.push(b"\n\ndata: ok\n\n", &mut out).unwrap();
        assert_eq!(out, vec!["ok"]);
    }
}
