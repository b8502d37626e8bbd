//! Approval safety: the one focus rule of dialogs. At every moment exactly one thing takes
//! keys: the prompt (with whatever popup belongs to it) or the dialog on top (permission,
//! question, save-rule offer). A dialog that appears while nobody is typing takes the focus
//! by itself once it has been on screen for `ARM_DELAY`; one that appears while the person
//! is typing (a key or a paste in the last `ARM_DELAY`, any key while it waits, unsent text
//! in the prompt, or a popup open) leaves the focus with them until they move it with the
//! dialog's own focus key (Tab), however long they pause. Moving the focus to a dialog arms its answer keys `ARM_DELAY` later.
//! Time is `tokio::time::Instant`, so tests run it on a paused clock.

use std::time::Duration;
use tokio::time::Instant;

/// How long a dialog waits, after it appears or gets the focus, before its keys answer.
pub const ARM_DELAY: Duration = Duration::from_millis(500);

/// Which dialog is on top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// A permission or question request, by id.
    Request(String),
    /// The offer to save an "always" rule.
    SaveOffer,
    /// The offer to build the plan of a session.
    BuildOffer(String),
}

/// Who takes keys now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The prompt (and its popups); a dialog, if one is up, waits for a deliberate Tab.
    Prompt,
    /// The dialog on top: its keys answer once `armed`.
    Dialog { armed: bool },
}

/// The focus state of the dialog on top.
#[derive(Debug, Clone, Default)]
pub struct KeyGuard {
    shown: Option<Shown>,
    /// When the dialog appeared.
    since: Option<Instant>,
    /// When a key or paste last went to the prompt or a popup.
    last_prompt_key: Option<Instant>,
    /// The person was busy (typing, a draft in the prompt, a popup) when the dialog came, or typed while it
    /// waited: it takes the focus only from a deliberate key.
    busy: bool,
    /// Set when the person moved the focus to the dialog (its keys arm `ARM_DELAY` later).
    focused_at: Option<Instant>,
}

impl KeyGuard {
    /// Tells the guard which dialog is on top now; a different one starts afresh.
    /// `occupied`: the person was in the middle of something when it came (a popup open,
    /// or unsent text in the prompt that their next keys would go on with).
    pub fn sync(&mut self, shown: Option<Shown>, now: Instant, occupied: bool) {
        if shown == self.shown {
            return;
        }
        let typing = self
            .last_prompt_key
            .is_some_and(|k| now.saturating_duration_since(k) < ARM_DELAY);
        self.since = shown.as_ref().map(|_| now);
        self.busy = shown.is_some() && (typing || occupied);
        self.focused_at = None;
        self.shown = shown;
    }

    /// True when `shown` is the dialog the guard knows as on top.
    pub fn is_shown(&self, shown: Option<&Shown>) -> bool {
        self.shown.as_ref() == shown
    }

    /// A key (or paste) went to the prompt or a popup, not to a dialog.
    pub fn typed(&mut self, now: Instant) {
        self.last_prompt_key = Some(now);
        if self.shown.is_some() && self.focused_at.is_none() && !self.auto_focus(now) {
            self.busy = true;
        }
    }

    /// The person sent what they typed (Enter): they are not typing any more, so a dialog
    /// that comes next takes the focus by itself unless they type on.
    pub fn typing_sent(&mut self) {
        if self.shown.is_none() {
            self.last_prompt_key = None;
        }
    }

    /// True when the dialog took the focus by itself (nobody was busy when it came).
    fn auto_focus(&self, now: Instant) -> bool {
        !self.busy && self.since.is_some_and(|s| now >= s + ARM_DELAY)
    }

    /// Who takes keys now.
    pub fn focus(&self, now: Instant) -> Focus {
        if self.shown.is_none() {
            return Focus::Prompt;
        }
        if let Some(at) = self.focused_at {
            return Focus::Dialog {
                armed: now >= at + ARM_DELAY,
            };
        }
        if self.auto_focus(now) {
            return Focus::Dialog { armed: true };
        }
        Focus::Prompt
    }

    /// A paste reached a dialog that has the focus: its keys disarm for `ARM_DELAY`, so
    /// nothing that came with the paste can answer it.
    pub fn pasted_into_dialog(&mut self, now: Instant) {
        if matches!(self.focus(now), Focus::Dialog { .. }) {
            self.focused_at = Some(now);
        }
    }

    /// The person moved the focus to the dialog (Tab).
    pub fn focus_dialog(&mut self, now: Instant) {
        if self.shown.is_some() {
            self.focused_at = Some(now);
        }
    }

    /// The person came back from a popup browsed over the dialog (the session list): keys
    /// went there, never to the dialog, so it does not answer at once. A dialog that had
    /// the focus arms afresh `ARM_DELAY` later; else it waits for a deliberate Tab.
    pub fn back_from_browsing(&mut self, had_focus: bool, now: Instant) {
        if self.shown.is_none() {
            return;
        }
        if had_focus {
            self.focused_at = Some(now);
        } else {
            self.focused_at = None;
            self.busy = true;
        }
    }

    /// The person moved the focus back to the prompt (Tab in the dialog): the dialog waits
    /// for another deliberate Tab.
    pub fn focus_prompt(&mut self) {
        self.focused_at = None;
        self.busy = true;
    }

    /// True while a dialog is up and waits for a deliberate Tab (the person was busy).
    pub fn waits_for_tab(&self, now: Instant) -> bool {
        self.shown.is_some() && self.focus(now) == Focus::Prompt && self.busy
    }

    /// True while a dialog is up but its answer keys do not work (it has no focus, or it
    /// has just got it).
    pub fn holds(&self, now: Instant) -> bool {
        self.shown.is_some() && self.focus(now) != Focus::Dialog { armed: true }
    }

    /// When the focus or the arming changes by itself (the loop redraws then); `None` when
    /// nothing will change without input.
    pub fn changes_at(&self, now: Instant) -> Option<Instant> {
        self.shown.as_ref()?;
        let t = match self.focused_at {
            Some(at) => at + ARM_DELAY,
            None if !self.busy => self.since? + ARM_DELAY,
            None => return None,
        };
        (t > now).then_some(t)
    }

    /// Counts the dialog on top as seen long ago and focused (tests and fixtures that start
    /// with a dialog already open).
    pub fn settle(&mut self) {
        let now = Instant::now();
        self.since = Some(now.checked_sub(ARM_DELAY).unwrap_or(now));
        self.last_prompt_key = None;
        self.busy = false;
        self.focused_at = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_person_gets_the_dialog_focused_once_it_arms() {
        let mut g = KeyGuard::default();
        let t0 = Instant::now();
        assert_eq!(g.focus(t0), Focus::Prompt, "no dialog: the prompt");
        g.sync(Some(Shown::Request("p1".into())), t0, false);
        assert_eq!(g.focus(t0), Focus::Prompt);
        assert!(g.holds(t0 + ARM_DELAY - ms(1)));
        assert_eq!(g.focus(t0 + ARM_DELAY), Focus::Dialog { armed: true });
        assert_eq!(g.changes_at(t0), Some(t0 + ARM_DELAY));
        // The same dialog again changes nothing; another one starts afresh.
        let t1 = t0 + Duration::from_secs(5);
        g.sync(Some(Shown::Request("p1".into())), t1, false);
        assert!(!g.holds(t1));
        g.sync(Some(Shown::SaveOffer), t1, false);
        assert!(g.holds(t1));
        g.sync(None, t1, false);
        assert!(!g.holds(t1));
    }

    #[tokio::test(start_paused = true)]
    async fn typing_keeps_the_focus_on_the_prompt_through_any_pause() {
        let mut g = KeyGuard::default();
        let t0 = Instant::now();
        g.typed(t0);
        g.sync(Some(Shown::Request("p1".into())), t0 + ms(100), false);
        for pause in [1, 2, 10, 600] {
            let t = t0 + Duration::from_secs(pause);
            assert_eq!(g.focus(t), Focus::Prompt, "after a {pause} s pause");
            g.typed(t);
        }
        assert_eq!(g.changes_at(t0 + Duration::from_secs(700)), None);
        // A deliberate Tab moves it; the keys arm a moment later.
        let t = t0 + Duration::from_secs(700);
        g.focus_dialog(t);
        assert_eq!(g.focus(t), Focus::Dialog { armed: false });
        assert_eq!(g.focus(t + ARM_DELAY), Focus::Dialog { armed: true });
        // Tab back: the prompt again, for good.
        g.focus_prompt();
        assert_eq!(g.focus(t + Duration::from_secs(60)), Focus::Prompt);
    }

    #[tokio::test(start_paused = true)]
    async fn a_key_while_the_dialog_arms_keeps_the_prompt() {
        let mut g = KeyGuard::default();
        let t0 = Instant::now();
        g.sync(Some(Shown::Request("p1".into())), t0, false);
        g.typed(t0 + ms(300));
        assert_eq!(g.focus(t0 + Duration::from_secs(3)), Focus::Prompt);
    }

    #[tokio::test(start_paused = true)]
    async fn a_dialog_over_an_open_popup_waits_for_tab() {
        let mut g = KeyGuard::default();
        let t0 = Instant::now();
        g.sync(Some(Shown::Request("p1".into())), t0, true);
        assert_eq!(g.focus(t0 + Duration::from_secs(3)), Focus::Prompt);
    }
}
