//! The tree of sessions in the store: a subagent's session is the child of the session
//! whose task started it, to any depth.

use super::state::{SessionState, Store};

impl Store {
    /// True when `id` is `ancestor` or a descendant of it, at any depth.
    pub fn is_in_tree(&self, id: &str, ancestor: &str) -> bool {
        let mut cur = Some(id);
        let mut hops = 0;
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            hops += 1;
            if hops > 64 {
                return false;
            }
            cur = self.session(c).and_then(|s| s.parent_id.as_deref());
        }
        false
    }

    /// The direct children of a session, in order of appearance.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a SessionState> + 'a {
        self.sessions()
            .iter()
            .filter(move |s| s.parent_id.as_deref() == Some(id))
    }
}
