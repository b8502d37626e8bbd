//! Wall and thread-CPU time for the hand-written benches (the CPU figure is the one a loaded
//! machine does not inflate), and how they print.

use std::time::{Duration, Instant};

/// CPU time of this thread.
pub fn cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid pointer to a timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Wall and CPU time since `(wall, cpu)`.
pub struct Clock(Instant, Duration);

impl Clock {
    pub fn start() -> Clock {
        Clock(Instant::now(), cpu())
    }
    pub fn read(&self) -> (Duration, Duration) {
        (self.0.elapsed(), cpu() - self.1)
    }
}

/// "W ms (CPU C ms)".
pub fn ms((wall, cpu): (Duration, Duration)) -> String {
    format!(
        "{:.2} ms (CPU {:.2} ms)",
        wall.as_secs_f64() * 1000.0,
        cpu.as_secs_f64() * 1000.0
    )
}
