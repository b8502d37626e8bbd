//! The parts `App` is made of, grouped by what they are: the prompt and what it carries
//! ([`PromptParts`]) and the session bookkeeping ([`SessionBook`]). The view (store, scroll,
//! layout), the dialogs (overlay/dialogs.rs) and the overlays (overlay/stack.rs) are
//! parts of their own.

use crate::model::event::SessionInfo;
use crate::ui::action::Action;
use crate::ui::overlay::session_index::SessionIndex;
use crate::ui::prompt::input::PromptInput;
use crate::ui::prompt::mention::Mentions;
use crate::ui::prompt::SlashState;
use crate::ui::runtime::EditorState;
use std::collections::{HashMap, HashSet, VecDeque};

/// A prompt typed while the session was busy: kept here, shown as queued, and sent when
/// the turn ends (or put back into the input: prompt/queue.rs).
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedPrompt {
    pub(crate) session_id: String,
    pub(crate) text: String,
    /// What sends it (a prompt, with its files, or a server command).
    pub(crate) action: Action,
}

/// The prompt and everything it carries.
#[derive(Default)]
pub(crate) struct PromptParts {
    pub(crate) input: PromptInput,
    /// Prompts typed while their session worked (prompt/queue.rs).
    pub(crate) queued: Vec<QueuedPrompt>,
    /// Sessions (and their ancestors) with a permission rejected during the current
    /// turn: their queued prompts come back into the input (prompt/queue.rs).
    pub(crate) queue_rejected: HashSet<String>,
    /// Typed before any session existed (or while the server started), with their files
    /// (mentions, pasted images): the first is sent once a session is shown, the rest
    /// queued behind it (prompt/queue.rs).
    pub(crate) pending: Vec<crate::ui::prompt::mention::Outgoing>,
    /// `@` mentions, pasted files and long pastes of the prompt (mention.rs).
    pub(crate) mention: Mentions,
    /// The `/` completion's state and the server's commands (slash.rs).
    pub(crate) slash: SlashState,
    /// A key sequence in progress (the leader: ui/keymap/dispatch.rs).
    pub(crate) editor: EditorState,
}

/// What App keeps about the sessions: the listing, who works since when, what was cut
/// off or aborted, and the moves in flight.
#[derive(Default)]
pub(crate) struct SessionBook {
    /// The project's sessions as last listed.
    pub(crate) listed: Vec<SessionInfo>,
    /// Bumped with every new listing (keys the session list's index).
    pub(crate) listed_gen: u64,
    pub(crate) index: SessionIndex,
    /// The fetched text of the sessions' messages (the search across sessions) and how
    /// many sessions are still being fetched.
    pub(crate) texts: crate::model::session_text::TextIndex,
    pub(crate) text_pending: usize,
    /// The last search across sessions (overlay/session_search.rs).
    pub(crate) text_memo: crate::ui::overlay::session_search::TextMemo,
    /// A message to scroll to once its session is shown (Enter on a text hit).
    pub(crate) jump: Option<crate::ui::overlay::session_search::Jump>,
    /// Pinned sessions (the session list shows them first; kept across restarts).
    pub(crate) pinned: Vec<String>,
    /// Epoch ms at which each working session started its current stretch of work.
    pub(crate) busy_since: HashMap<String, f64>,
    /// Assistant messages cut off by a dead server: shown as interrupted, never changed
    /// by the history a restarted server sends (it lost the streamed text).
    pub(crate) interrupted: HashSet<String>,
    /// Sessions we asked to abort (their queued prompts are dropped by the server).
    pub(crate) abort_requested: HashSet<String>,
    /// Session -> its unfinished answer when the event stream was lost mid-turn: if the
    /// session comes back idle with that answer still unfinished (the attached server was
    /// restarted), it is marked interrupted, keeping the text that streamed.
    pub(crate) running_at_loss: HashMap<String, String>,
    /// The (session, history length) older messages were last asked for.
    pub(crate) older_requested: Option<(String, usize)>,
    /// Sessions shown at once by a subagent key whose `SwitchSession` has not come back as
    /// `ShowSession` yet (subagent.rs): their late echo must not undo a later move.
    pub(crate) shown_ahead: VecDeque<String>,
    /// The top-level sessions shown in this run, in the order they were first shown: the
    /// tabs (app/tabs.rs).
    pub(crate) open: Vec<String>,
    /// Open sessions whose turn ended (or failed) while another was shown, until shown.
    pub(crate) unread: HashSet<String>,
}
