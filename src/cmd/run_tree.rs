//! The session tree `ocw-tui run` follows: which events are logged (those of the tree and
//! of no session), a resumed session's earlier messages dropped on resync, and the parents
//! of sessions that raised a request before we saw them created.

use crate::backend::answer::Responder;
use crate::backend::pump::{Admit, Scope};
use crate::model::{Event, Store};
use std::collections::HashSet;

/// What `run` follows: its session tree. Every event is applied to the store here (so
/// that a child session is known before its events are logged); those of the tree are
/// logged; a resynced message of a resumed session that predates this run is dropped (it
/// would land after this run's messages).
pub(super) struct Tree<'a> {
    store: &'a mut Store,
    root: &'a str,
    earlier: &'a HashSet<String>,
}

impl<'a> Tree<'a> {
    pub(super) fn new(
        store: &'a mut Store,
        root: &'a str,
        earlier: &'a HashSet<String>,
    ) -> Tree<'a> {
        Tree {
            store,
            root,
            earlier,
        }
    }
}

impl Scope for Tree<'_> {
    fn sessions(&self) -> Vec<String> {
        let store = &*self.store;
        store
            .sessions()
            .iter()
            .filter(|s| store.is_in_tree(&s.id, self.root))
            .map(|s| s.id.clone())
            .collect()
    }

    fn admit(&mut self, event: &Event, fetched: bool) -> Admit {
        if fetched {
            let earlier = match event {
                Event::MessageUpdated(m) => self.earlier.contains(&m.id),
                Event::PartUpdated(p) => self.earlier.contains(&p.message_id),
                _ => false,
            };
            if earlier {
                return Admit::Drop;
            }
            self.store.apply_fetched(event);
        } else {
            self.store.apply(event);
        }
        if in_tree(self.store, event, self.root) {
            Admit::Log
        } else {
            Admit::Pass
        }
    }
}

/// Events of our session tree, and events of no session (server.connected, heartbeats).
fn in_tree(store: &Store, event: &Event, root: &str) -> bool {
    event.session_id().is_none_or(|s| store.is_in_tree(s, root))
}

/// Fetches sessions that raised a request before we saw them created, to learn their parent.
pub(super) async fn learn_unknown_sessions(
    client: &crate::backend::Client,
    store: &mut Store,
    responder: &Responder,
) {
    let mut unknown = responder.unknown_sessions(store);
    let mut hops = 0;
    while let Some(id) = unknown.pop() {
        hops += 1;
        if hops > 16 {
            break;
        }
        if let Ok(info) = client.get_session(&id).await {
            let parent = info.parent_id.clone();
            store.apply_fetched(&Event::SessionUpdated(info));
            if let Some(p) = parent {
                if store.session(&p).is_none_or(|s| s.parent_id.is_none()) {
                    unknown.push(p);
                }
            }
        }
    }
}
