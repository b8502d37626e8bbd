//! The boundary between the UI and the rest of the program: what the outside world tells
//! the UI ([`UiInput`]) and what the UI asks it to do ([`Action`]). Widgets only ever emit
//! actions; the TUI front-end (`cmd/tui/`) executes them through the backend.

use crate::model::event::SessionInfo;

/// Connection state of the server / event stream, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ConnectionState {
    #[default]
    Connecting,
    /// The TUI is up before the server: `what` says what is under way ("starting opencode
    /// serve in ~/src/app"); prompts typed meanwhile wait for the session (shown queued).
    Starting {
        what: String,
    },
    Connected,
    Reconnecting {
        attempt: u32,
        error: String,
    },
    ServerDied {
        message: String,
    },
}

/// What the outside world tells the UI.
// `Bus` is by far the largest variant; boxing it would cost an allocation per event for
// a value that is moved once, so the size difference is accepted.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum UiInput {
    /// One event from the bus, already logged. The UI applies it to its Store.
    Bus(crate::model::Event),
    /// Connection state of the server / event stream, for the status bar.
    Connection(ConnectionState),
    /// The opencode release the server reported (known once it has started).
    ServerVersion(Option<String>),
    /// A note to show (e.g. "reply refused: request already resolved (404)"), with severity.
    Note { text: String, error: bool },
    /// The status line command's first line of output (or why it has none).
    StatusLine(String),
    /// Writing the session log failed (once per event that could not be written): said
    /// and rung once, then a steady `log ✗` in the status bar.
    LogFailed { error: String },
    /// The session list of the project (for the session list pane).
    Sessions(Vec<SessionInfo>),
    /// How many sessions' texts are still being fetched for the search across sessions
    /// (the list says "searching N sessions…").
    SessionTextPending(usize),
    /// The text of every message of one session (the search across sessions).
    SessionText(crate::model::session_text::SessionText),
    /// Make this session the one shown (after create / switch / resume).
    ShowSession(String),
    /// A prompt the server did not take (`error` says why): the UI gives its text back.
    PromptFailed {
        session_id: String,
        text: String,
        error: String,
    },
    /// The MCP servers and LSP servers with their status (for the side panel).
    Servers {
        mcp: Vec<ServerStatus>,
        lsp: Vec<ServerStatus>,
    },
    /// `GET /find/file` answered `query` (an `@` picker drops an answer to an older query).
    FileResults { query: String, paths: Vec<String> },
    /// The server's slash commands (`GET /command`), for the `/` completion.
    ServerCommands(Vec<crate::model::command::ServerCommand>),
    /// The prompt history read at start-up (opencode's file), oldest first.
    PromptHistory(Vec<crate::model::prompt_history::HistoryEntry>),
    /// The project's git branch now (`None`: detached from any, or no repository).
    GitBranch(Option<String>),
    /// The project directory, when the session opened belongs to another one (accept
    /// edits judges paths against it).
    ProjectDir(std::path::PathBuf),
    /// The server's models and agents, and what the project remembers (model switching).
    Catalog {
        catalog: crate::model::catalog::Catalog,
        memory: crate::model::catalog::ModelMemory,
    },
}

use crate::model::PermissionReply;

/// One MCP or LSP server and its status (side panel).
pub use crate::model::servers::ServerStatus;

/// What the UI asks the outside world to do (widgets emit these; `cmd/tui/actions.rs` executes them).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A prompt, with the files attached to it (`@` mentions, pasted images / PDFs; often
    /// none).
    Prompt {
        session_id: String,
        text: String,
        files: Vec<crate::model::attach::FileAttachment>,
        /// `@agent` mentions: the prompt goes to that subagent.
        agents: Vec<crate::model::attach::AgentMention>,
    },
    Abort {
        session_id: String,
    },
    ReplyPermission {
        request_id: String,
        reply: PermissionReply,
        message: Option<String>,
    },
    /// An approval mode answers a permission request `once` (the same reply as a
    /// person's), then `record` (its `ocw.auto_allowed` line) is logged and shown.
    AutoAllow {
        request_id: String,
        record: String,
    },
    ReplyQuestion {
        request_id: String,
        answers: Vec<Vec<String>>,
    },
    RejectQuestion {
        request_id: String,
    },
    NewSession,
    SwitchSession(String),
    RefreshSessions,
    /// The session list is searched: fetch the messages' text of the project's sessions
    /// whose `time.updated` changed since last fetched (answered with
    /// [`UiInput::SessionTextPending`] and one [`UiInput::SessionText`] each).
    FetchSessionText,
    /// Load older history of a long session (paging up).
    LoadOlder {
        session_id: String,
    },
    /// Write to the project's opencode.json (the front-end does the I/O).
    SaveAlwaysRule {
        permission: String,
        patterns: Vec<String>,
        /// `agent.<name>.permission` for this agent only; `None`: every agent.
        agent: Option<String>,
    },
    RestartServer,
    Quit,
    /// Fetch what the side panel shows: the session's todos (through the fetched-event
    /// path), `GET /mcp`, `GET /lsp` (answered with `UiInput::Servers`).
    FetchDetails {
        session_id: String,
    },
    /// Write the whole session as Markdown to a new file in the project directory, or to
    /// `path` (`/export PATH`; never overwritten).
    Export {
        session_id: String,
        path: Option<String>,
    },
    /// `!command`: run it in the session's shell (`POST /session/{id}/shell`).
    Shell {
        session_id: String,
        command: String,
    },
    /// Files of the project matching `query`, for the `@` picker (debounced by the
    /// front-end; answered with [`UiInput::FileResults`]).
    FindFiles {
        query: String,
    },
    /// Run a server slash command (`POST /session/{id}/command`); `text` is the line as
    /// typed, given back to the input if the server refuses it.
    RunCommand {
        session_id: String,
        command: String,
        arguments: String,
        text: String,
    },
    /// The model (`provider/model`), variant and agent every following prompt carries.
    PromptOptions {
        model: Option<String>,
        variant: Option<String>,
        agent: Option<String>,
    },
    /// Pin (`pinned`) or unpin a session in the session list (kept across restarts).
    PinSession {
        session_id: String,
        pinned: bool,
    },
    /// Persist the project's model memory (recent models, variants, agent).
    SaveModelMemory(crate::model::catalog::ModelMemory),
    /// Append a prompt just sent to the prompt history file (opencode's).
    RememberPrompt(crate::model::prompt_history::HistoryEntry),
    /// `/undo`: revert the session to before this (user) message.
    Revert {
        session_id: String,
        message_id: String,
    },
    /// `/redo`: bring back what the revert undid.
    Unrevert {
        session_id: String,
    },
    /// `/compact` with the session's model (`provider/model`) if known.
    Compact {
        session_id: String,
        model: Option<String>,
    },
    RenameSession {
        session_id: String,
        title: String,
    },
    /// Delete (after the user confirmed); a busy session is aborted first.
    DeleteSession {
        session_id: String,
        busy: bool,
    },
    /// Fork into a new session with the messages before `message_id` (all without it).
    Fork {
        session_id: String,
        message_id: Option<String>,
    },
    // The terminal's own effects: the terminal loop (`runtime/terminal.rs`) carries them
    // out; they never reach the front-end.
    /// Ring the terminal's notifier (bell / OSC 9 / OSC 777) with this message.
    Notify(String),
    /// Write this OSC 52 sequence (built by `runtime/clipboard.rs` from base64 only).
    Copy(Vec<u8>),
    /// The status line command's input (the session as JSON) changed.
    StatusInput(String),
    /// Capture the mouse (wheel, clicks) or give it back to the terminal (F12).
    MouseCapture(bool),
    /// Suspend the TUI and compose the prompt in `$EDITOR` (`runtime/editor.rs`).
    OpenEditor,
    /// Ctrl+Z: give the terminal back to the shell and stop (job control); `fg` brings the
    /// TUI back, redrawn whole (`runtime/suspend.rs`).
    Suspend,
    /// Ctrl+V: read the system clipboard and paste it (`runtime/clipboard_paste.rs`).
    PasteClipboard,
}

impl Action {
    /// True for the effects the terminal loop carries out itself (never forwarded).
    pub fn is_terminal_effect(&self) -> bool {
        matches!(
            self,
            Action::Notify(_)
                | Action::Copy(_)
                | Action::MouseCapture(_)
                | Action::OpenEditor
                | Action::Suspend
                | Action::PasteClipboard
        )
    }
}

/// How the UI runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UiOptions {
    /// Ring the terminal (bell / OSC 9 / OSC 777) when a dialog opens, a turn ends or an
    /// error arrives.
    pub notify: bool,
    /// A status line command is configured: the app emits [`Action::StatusInput`].
    pub status_line: bool,
    pub model_label: Option<String>,
    pub agent_label: Option<String>,
    /// The opencode release the server reported (shown in the status bar).
    pub server_version: Option<String>,
    /// The project config file an "always" rule is saved into (`opencode.jsonc` when the
    /// project has one, else `opencode.json`), as the save offer names it.
    pub rule_file: Option<String>,
    /// The local time zone's offset from UTC (ms): which sessions the list calls "Today".
    pub utc_offset_ms: i64,
    /// The pinned sessions (any project's; the list shows its own first).
    pub pinned_sessions: Vec<String>,
    /// The project folder as the status bar shows it (`~/src/x`).
    pub project_label: Option<String>,
    /// The project's git branch (`UiInput::GitBranch` keeps it current).
    pub git_branch: Option<String>,
    /// The approval mode chosen at start (`--auto`, `--approvals`).
    pub approvals: crate::model::approval::ApprovalMode,
    /// The project directory (accept edits allows edits inside it only).
    pub project_dir: Option<std::path::PathBuf>,
    /// opencode's tui.json settings (keybinds, theme, scrolling, diff style).
    pub tui: crate::model::tui_config::TuiConfig,
}
