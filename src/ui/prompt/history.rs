//! The App's side of the prompt history: a prompt sent is remembered in the input's list
//! and, through [`Action::RememberPrompt`] (taken by the terminal loop after each event,
//! [`App::history_to_save`]), appended to opencode's history file by the front-end; an entry recalled (Up / Down, Ctrl+R) brings its long pastes back as
//! attachments, so `[Pasted 30 lines]` sends the whole paste again.

use crate::model::prompt_history::HistoryEntry;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::prompt::mention::{find_token, Attached};

impl App {
    /// Takes the prompt's text out to send it and remembers it with its long pastes.
    pub(crate) fn take_prompt(&mut self) -> String {
        let text = self.prompt.input.text();
        let pastes = self
            .prompt
            .mention
            .attached
            .iter()
            .filter_map(|a| match a {
                Attached::Pasted { token, text: t } if find_token(&text, token).is_some() => {
                    Some((token.clone(), t.clone()))
                }
                _ => None,
            })
            .collect();
        let entry = HistoryEntry {
            text: text.clone(),
            pastes,
        };
        self.prompt.input.remember(entry);
        self.prompt.input.take()
    }

    /// The prompts sent since the last call, to append to the history file.
    pub fn history_to_save(&mut self) -> Vec<Action> {
        self.prompt
            .input
            .take_unsaved()
            .into_iter()
            .map(Action::RememberPrompt)
            .collect()
    }

    /// After the input was given an entry of the history: its long pastes attached again
    /// (one already attached under the same token takes the entry's text).
    pub(crate) fn recall_pastes(&mut self, entry: &HistoryEntry) {
        for (token, text) in &entry.pastes {
            let attached = &mut self.prompt.mention.attached;
            attached.retain(|a| a.token() != token);
            attached.push(Attached::Pasted {
                token: token.clone(),
                text: text.clone(),
            });
        }
    }

    /// Up / Down at the prompt's edge: the previous / next entry of the history. False
    /// when the key is not a history move (the cursor is not on the first / last row).
    pub(crate) fn history_move(&mut self, back: bool) -> bool {
        let moved = if back {
            self.prompt.input.history_prev()
        } else {
            self.prompt.input.history_next()
        };
        if let Some(e) = moved
            .then(|| self.prompt.input.recalled().cloned())
            .flatten()
        {
            self.recall_pastes(&e);
        }
        moved
    }
}
