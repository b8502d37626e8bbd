//! Approval safety: the key guard of dialogs. A dialog (permission, question, save-rule
//! offer) that has just appeared takes no keys: they go on to the prompt, as if it were
//! not there, so a typing burst that began before it was visible can never answer it and
//! nothing typed is lost. It arms once it has been visible for `ARM_DELAY` and no key went
//! to the prompt for `ARM_DELAY` (typing that goes on holds it until it pauses).
//! Time is `tokio::time::Instant`, so tests run it on a paused clock.

use std::time::Duration;
use tokio::time::Instant;

/// How long a dialog waits, after it appears and after the last key typed, before it
/// takes keys.
pub const ARM_DELAY: Duration = Duration::from_millis(500);

/// Which dialog has the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// A permission or question request, by id.
    Request(String),
    /// The offer to save an "always" rule.
    SaveOffer,
}

/// When the dialog on screen appeared, and when a key last went to the prompt.
#[derive(Debug, Clone, Default)]
pub struct KeyGuard {
    shown: Option<Shown>,
    since: Option<Instant>,
    last_prompt_key: Option<Instant>,
}

impl KeyGuard {
    /// Tells the guard which dialog is on screen now; a different one starts its guard.
    pub fn sync(&mut self, shown: Option<Shown>, now: Instant) {
        if shown != self.shown {
            self.since = shown.as_ref().map(|_| now);
            self.shown = shown;
        }
    }

    /// A key (or paste) went to the prompt instead of a dialog.
    pub fn typed(&mut self, now: Instant) {
        self.last_prompt_key = Some(now);
    }

    /// When the dialog on screen takes keys; `None` without a dialog.
    pub fn arms_at(&self) -> Option<Instant> {
        let since = self.since?;
        let mut t = since + ARM_DELAY;
        if let Some(k) = self.last_prompt_key {
            t = t.max(k + ARM_DELAY);
        }
        Some(t)
    }

    /// True while a dialog is on screen but does not take keys yet.
    pub fn holds(&self, now: Instant) -> bool {
        self.arms_at().is_some_and(|t| now < t)
    }

    /// Counts the dialog on screen as seen long ago (tests and fixtures that start with a
    /// dialog already open).
    pub fn settle(&mut self) {
        self.since = None;
        self.last_prompt_key = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn arms_after_the_delay_and_after_typing_pauses() {
        let mut g = KeyGuard::default();
        let t0 = Instant::now();
        assert!(!g.holds(t0), "no dialog, nothing held");
        g.sync(Some(Shown::Request("p1".into())), t0);
        assert!(g.holds(t0));
        assert!(g.holds(t0 + ARM_DELAY - Duration::from_millis(1)));
        assert!(!g.holds(t0 + ARM_DELAY));
        // Typing that goes on past the delay holds it until the typing pauses.
        g.typed(t0 + Duration::from_millis(450));
        assert!(g.holds(t0 + Duration::from_millis(900)));
        assert!(!g.holds(t0 + Duration::from_millis(950)));
        // The same dialog again does not restart the guard; another one does.
        let t1 = t0 + Duration::from_secs(5);
        g.sync(Some(Shown::Request("p1".into())), t1);
        assert!(!g.holds(t1));
        g.sync(Some(Shown::SaveOffer), t1);
        assert!(g.holds(t1));
        g.sync(None, t1);
        assert!(!g.holds(t1));
    }
}
