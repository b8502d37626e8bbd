//! The mouse wheel's step from tui.json: `scroll_speed` lines a notch (opencode's default
//! 3; fractions round, at least 1) and, with `scroll_acceleration.enabled`, notches that
//! follow each other quickly scroll further (up to 5 times the speed).

use crate::model::tui_config::TuiConfig;
use std::time::Duration;
use tokio::time::Instant;

/// Notches closer than this count as one fast turn of the wheel.
const BURST: Duration = Duration::from_millis(120);
/// The most a fast turn multiplies the speed by.
const MAX_FACTOR: u32 = 5;

#[derive(Debug, Clone)]
pub struct Wheel {
    lines: isize,
    accelerate: bool,
    last: Option<Instant>,
    streak: u32,
}

impl Wheel {
    pub fn new(cfg: &TuiConfig) -> Wheel {
        let speed = cfg.scroll_speed.unwrap_or(3.0).round().max(1.0);
        Wheel {
            lines: speed.min(1000.0) as isize,
            accelerate: cfg.scroll_acceleration,
            last: None,
            streak: 0,
        }
    }

    /// Lines for one notch now (positive; the caller gives the direction).
    pub fn notch(&mut self, now: Instant) -> isize {
        if !self.accelerate {
            return self.lines;
        }
        let quick = self
            .last
            .is_some_and(|t| now.saturating_duration_since(t) < BURST);
        self.streak = if quick {
            (self.streak + 1).min(MAX_FACTOR - 1)
        } else {
            0
        };
        self.last = Some(now);
        self.lines * (1 + self.streak as isize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn wheel(v: serde_json::Value) -> Wheel {
        Wheel::new(&TuiConfig::from_layers(&[("t".into(), v)]))
    }

    #[test]
    fn speed_and_acceleration() {
        let now = Instant::now();
        assert_eq!(wheel(json!({})).notch(now), 3);
        assert_eq!(wheel(json!({"scroll_speed": 7})).notch(now), 7);
        assert_eq!(wheel(json!({"scroll_speed": 0.2})).notch(now), 1);
        let mut w = wheel(json!({"scroll_speed": 2, "scroll_acceleration": {"enabled": true}}));
        let steps: Vec<isize> = (0..7)
            .map(|i| w.notch(now + Duration::from_millis(i * 50)))
            .collect();
        assert_eq!(steps, vec![2, 4, 6, 8, 10, 10, 10]);
        // A pause starts over.
        assert_eq!(w.notch(now + Duration::from_secs(5)), 2);
    }
}
