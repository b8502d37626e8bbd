//! The search across sessions, front-end side (`Action::FetchSessionText`): in a task of
//! its own, the project's sessions are listed and the messages of each top-level one whose
//! `time.updated` changed since it was last fetched are fetched, four at a time, and handed
//! to the UI as plain text (`UiInput::SessionText`), with the count still to come
//! (`UiInput::SessionTextPending`). One fetch at a time; a request meanwhile is dropped
//! (the next list opening catches up).

use super::feed::note;
use crate::backend::client::Client;
use crate::model::event::SessionInfo;
use crate::model::session_text::SessionText;
use crate::ui::UiInput;
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc::UnboundedSender;

/// Sessions fetched at once.
const AT_ONCE: usize = 4;

/// What was fetched: session id -> the `time.updated` it was fetched at.
#[derive(Default, Clone)]
pub(super) struct TextFetch {
    fetched: Arc<Mutex<HashMap<String, Option<u64>>>>,
    running: Arc<AtomicBool>,
}

/// The top-level sessions of `list` not fetched at their current `time.updated` (`done`),
/// once each, in the listing's order (newest first).
fn to_fetch(
    list: &[SessionInfo],
    done: &HashMap<String, Option<u64>>,
) -> Vec<(String, Option<u64>)> {
    let mut todo: Vec<(String, Option<u64>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in list.iter().filter(|s| s.parent_id.is_none()) {
        let updated = s.time.map(|t| t.updated as u64).filter(|&t| t > 0);
        if done.get(&s.id) != Some(&updated) && seen.insert(s.id.as_str()) {
            todo.push((s.id.clone(), updated));
        }
    }
    todo
}

impl TextFetch {
    /// Fetches, in the background, the text of the sessions not fetched at their current
    /// `time.updated`.
    pub(super) fn start(&self, client: &Client, ui: &UnboundedSender<UiInput>) {
        let state = self.clone();
        if state.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let (client, ui) = (client.clone(), ui.clone());
        tokio::spawn(async move {
            match client.list_sessions().await {
                Ok(list) => {
                    let todo = {
                        let done = state.fetched.lock().unwrap_or_else(|e| e.into_inner());
                        to_fetch(&list, &done)
                    };
                    let mut left = todo.len();
                    let _ = ui.send(UiInput::SessionTextPending(left));
                    let mut answers = futures_util::stream::iter(todo)
                        .map(|(id, updated)| {
                            let client = client.clone();
                            async move {
                                let texts =
                                    crate::backend::fetch::message_texts(&client, &id).await;
                                (id, updated, texts)
                            }
                        })
                        .buffer_unordered(AT_ONCE);
                    while let Some((id, updated_ms, texts)) = answers.next().await {
                        left -= 1;
                        match texts {
                            Ok(messages) => {
                                state
                                    .fetched
                                    .lock()
                                    .unwrap_or_else(|e| e.into_inner())
                                    .insert(id.clone(), updated_ms);
                                let _ = ui.send(UiInput::SessionText(SessionText {
                                    session_id: id,
                                    updated_ms,
                                    messages,
                                }));
                            }
                            Err(e) => {
                                tracing::warn!(session = %id, error = %e, "cannot fetch a session's messages for the search");
                            }
                        }
                        let _ = ui.send(UiInput::SessionTextPending(left));
                    }
                }
                Err(e) => note(&ui, format!("cannot list sessions to search: {e}"), true),
            }
            state.running.store(false, Ordering::SeqCst);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(id: &str, updated: u64, parent: Option<&str>) -> SessionInfo {
        serde_json::from_value(serde_json::json!({"id": id, "parentID": parent,
            "time": {"created": 1, "updated": updated}}))
        .unwrap()
    }

    #[test]
    fn only_top_level_sessions_changed_since_fetched_are_fetched_once() {
        let list = vec![
            info("ses_new", 30, None),
            info("ses_same", 20, None),
            info("ses_moved", 25, None),
            info("ses_kid", 24, Some("ses_same")),
            info("ses_new", 30, None),
        ];
        let done: HashMap<String, Option<u64>> = [
            ("ses_same".to_string(), Some(20)),
            ("ses_moved".to_string(), Some(10)),
        ]
        .into();
        assert_eq!(
            to_fetch(&list, &done),
            vec![
                ("ses_new".to_string(), Some(30)),
                ("ses_moved".to_string(), Some(25))
            ]
        );
    }
}
