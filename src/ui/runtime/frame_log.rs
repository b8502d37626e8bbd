//! Timestamps for benchmarks (hidden switches): `OCW_DEBUG_FRAMES=FILE`, one line per
//! frame drawn (the epoch ms it was drawn); `OCW_DEBUG_STARTUP=FILE`, two lines,
//! `first_frame MS` and `ready MS` (the first frame with the session shown and the server
//! connected), read by `scripts/bench-startup.sh`. Buffered, flushed at exit.

use std::io::{self, Write};

pub(crate) struct FrameLog {
    frames: Option<io::BufWriter<std::fs::File>>,
    startup: Option<std::fs::File>,
    first_done: bool,
    ready_done: bool,
}

fn create(var: &str) -> Option<std::fs::File> {
    std::env::var_os(var).and_then(|p| std::fs::File::create(p).ok())
}

impl FrameLog {
    pub(crate) fn from_env() -> FrameLog {
        FrameLog {
            frames: create("OCW_DEBUG_FRAMES").map(io::BufWriter::new),
            startup: create("OCW_DEBUG_STARTUP"),
            first_done: false,
            ready_done: false,
        }
    }

    /// A frame was drawn; `ready`: it shows a session on a connected server.
    pub(crate) fn drawn(&mut self, ready: bool) {
        let now = crate::log::now_ms();
        if let Some(w) = &mut self.frames {
            let _ = writeln!(w, "{now}");
        }
        if let Some(f) = &mut self.startup {
            if !self.first_done {
                self.first_done = true;
                let _ = writeln!(f, "first_frame {now}");
            }
            if ready && !self.ready_done {
                self.ready_done = true;
                let _ = writeln!(f, "ready {now}");
            }
        }
    }
}

impl Drop for FrameLog {
    fn drop(&mut self) {
        if let Some(w) = &mut self.frames {
            let _ = w.flush();
        }
    }
}
