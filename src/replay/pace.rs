//! Playback pace: when the next event is due. The gap between two events is the gap
//! between their recorded times (`ocw_time`, or a run log's `timestamp`) divided by the
//! speed, with long idle gaps shortened; a log without times plays at a steady pace.
//! Time comes from `tokio::time`, so tests drive it with a paused clock.

use super::timeline::Timeline;
use std::time::Duration;
use tokio::time::Instant;

/// The speeds `+` and `-` step through.
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];
/// Gap between events at 1x when the log carries no times.
pub const STEADY_GAP: Duration = Duration::from_millis(50);
/// A recorded pause longer than this plays as this long (at 1x).
pub const MAX_GAP: Duration = Duration::from_secs(2);

/// The play/pause state and speed, and when the next event is due.
#[derive(Debug, Clone)]
pub struct Pacer {
    speed: f64,
    paused: bool,
    due: Option<Instant>,
}

impl Pacer {
    /// A pacer playing at `speed` (clamped to 0.25..=64).
    pub fn new(speed: f64) -> Pacer {
        Pacer {
            speed: clamp_speed(speed),
            paused: false,
            due: None,
        }
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn paused(&self) -> bool {
        self.paused
    }

    pub fn set_paused(&mut self, paused: bool) {
        self.paused = paused;
        self.due = None;
    }

    pub fn toggle(&mut self) {
        self.set_paused(!self.paused);
    }

    /// One step up the speed ladder (`+`).
    pub fn faster(&mut self) {
        self.speed = SPEEDS
            .iter()
            .copied()
            .find(|&s| s > self.speed + 1e-9)
            .unwrap_or(SPEEDS[SPEEDS.len() - 1]);
        self.due = None;
    }

    /// One step down the speed ladder (`-`).
    pub fn slower(&mut self) {
        self.speed = SPEEDS
            .iter()
            .rev()
            .copied()
            .find(|&s| s < self.speed - 1e-9)
            .unwrap_or(SPEEDS[0]);
        self.due = None;
    }

    /// Forgets the current deadline (after a seek: the next gap counts from now).
    pub fn reset(&mut self) {
        self.due = None;
    }

    /// The gap before the event at index `pos`, at the current speed.
    pub fn gap(&self, timeline: &Timeline, pos: usize) -> Duration {
        let recorded = match (
            pos.checked_sub(1).and_then(|p| timeline.record(p)),
            timeline.record(pos),
        ) {
            (Some(a), Some(b)) => match (a.time_ms, b.time_ms) {
                (Some(ta), Some(tb)) => {
                    Some(Duration::from_secs_f64(((tb - ta).max(0.0)) / 1000.0).min(MAX_GAP))
                }
                _ => None,
            },
            _ => None,
        };
        let base = match recorded {
            Some(g) => g,
            None if timeline.record(pos).is_some_and(|r| r.time_ms.is_some()) => Duration::ZERO,
            None => STEADY_GAP,
        };
        base.div_f64(self.speed)
    }

    /// When the event at `pos` is due, or `None` when paused or at the end. The first
    /// call after a change counts from `now`.
    pub fn due(&mut self, timeline: &Timeline, pos: usize, now: Instant) -> Option<Instant> {
        if self.paused || pos >= timeline.len() {
            self.due = None;
            return None;
        }
        if self.due.is_none() {
            self.due = Some(now + self.gap(timeline, pos));
        }
        self.due
    }

    /// Marks the due event as played; the next gap counts from the deadline just met,
    /// so a slow frame does not slow the whole replay.
    pub fn played(&mut self, timeline: &Timeline, next_pos: usize) {
        if let Some(d) = self.due {
            self.due = if next_pos < timeline.len() {
                Some(d + self.gap(timeline, next_pos))
            } else {
                None
            };
        }
    }

    /// Waits until the event at `pos` is due; never returns while paused or at the end.
    pub async fn wait(&mut self, timeline: &Timeline, pos: usize) {
        match self.due(timeline, pos, Instant::now()) {
            Some(at) => tokio::time::sleep_until(at).await,
            None => std::future::pending().await,
        }
    }
}

/// A speed within 0.25x..=64x.
pub fn clamp_speed(speed: f64) -> f64 {
    if speed.is_finite() {
        speed.clamp(SPEEDS[0], SPEEDS[SPEEDS.len() - 1])
    } else {
        1.0
    }
}
