//! `ViewState`: how one session is shown (which session, scroll position, which tool
//! calls are expanded, whether reasoning is collapsed). Shared by the live app and replay.
//! Rendering takes `&ViewState`; the resolved scroll position lives in cells so drawing
//! stays a read of the store. The layout cache is not here: its owner (the app, the replay
//! view) holds a `transcript::LayoutCache` next to its `ViewState`.

use ratatui::layout::Rect;
use std::cell::{Cell, RefCell};
use std::collections::HashSet;

/// Where the transcript is scrolled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scroll {
    /// Stick to the bottom: new output scrolls into view.
    #[default]
    Follow,
    /// The very first line.
    Top,
    /// Line `offset` of message `message` is the top line (survives re-wraps and history
    /// loaded above).
    Anchor { message: String, offset: usize },
}

/// View state of one session display.
#[derive(Default)]
pub struct ViewState {
    pub session_id: Option<String>,
    /// Part ids whose expansion was toggled from the default.
    expanded: HashSet<String>,
    expand_all: bool,
    reasoning_toggled: HashSet<String>,
    reasoning_collapsed: bool,
    /// Epoch ms used for countdowns and elapsed times; `None` = the wall clock.
    pub now_ms: Option<u64>,
    epoch: u64,
    pub(crate) scroll: RefCell<Scroll>,
    pub(crate) pending: Cell<isize>,
    /// (total lines, viewport height, top line) of the last frame.
    metrics: Cell<(usize, usize, usize)>,
    /// The tool call whose header has the keyboard focus (Tab), by part id.
    focused_tool: Option<String>,
    /// Where the last frame drew the transcript, and its tool headers (row, part id).
    visible_tools: RefCell<(Rect, Vec<(usize, String)>)>,
    /// Transcript search: what to highlight (find.rs).
    pub search: Option<SearchMark>,
    /// The messages the last frame showed: (row of the first shown line, message id).
    visible_messages: RefCell<Vec<(usize, String)>>,
}

/// What the transcript highlights for a search: every visible occurrence of `query`, and
/// the current match (message id, line in the message, occurrence in that line) stronger.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchMark {
    pub query: String,
    pub current: Option<(String, usize, usize)>,
}

impl ViewState {
    pub fn new(session_id: Option<String>) -> ViewState {
        ViewState {
            session_id,
            ..ViewState::default()
        }
    }

    /// Shows another session, scrolled to its end.
    pub fn show(&mut self, session_id: &str) {
        if self.session_id.as_deref() != Some(session_id) {
            self.session_id = Some(session_id.to_string());
            *self.scroll.get_mut() = Scroll::Follow;
            self.pending.set(0);
        }
    }

    /// Bumped whenever an expansion toggle changes; the transcript cache keys on it.
    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    pub fn tool_expanded(&self, part_id: &str) -> bool {
        self.expand_all != self.expanded.contains(part_id)
    }

    pub fn reasoning_collapsed(&self, part_id: &str) -> bool {
        self.reasoning_collapsed != self.reasoning_toggled.contains(part_id)
    }

    /// Expands (or collapses) every tool call.
    pub fn toggle_expand_all(&mut self) {
        self.expand_all = !self.expand_all;
        self.expanded.clear();
        self.epoch += 1;
    }

    pub fn expand_all(&self) -> bool {
        self.expand_all
    }

    pub fn toggle_tool(&mut self, part_id: &str) {
        if !self.expanded.remove(part_id) {
            self.expanded.insert(part_id.to_string());
        }
        self.epoch += 1;
    }

    /// Collapses (or shows) every reasoning block.
    pub fn toggle_reasoning(&mut self) {
        self.reasoning_collapsed = !self.reasoning_collapsed;
        self.reasoning_toggled.clear();
        self.epoch += 1;
    }

    pub fn following(&self) -> bool {
        matches!(*self.scroll.borrow(), Scroll::Follow)
    }

    /// Scrolls by `lines` (negative = up). Leaving the bottom stops following.
    pub fn scroll_by(&self, lines: isize) {
        if lines < 0 && self.following() {
            // An anchor naming no message resolves to the bottom; the delta moves up from it.
            *self.scroll.borrow_mut() = Scroll::Anchor {
                message: String::new(),
                offset: 0,
            };
        }
        self.pending.set(self.pending.get() + lines);
    }

    pub fn page_up(&self) {
        self.scroll_by(-(self.page() as isize));
    }

    pub fn page_down(&self) {
        self.scroll_by(self.page() as isize);
    }

    fn page(&self) -> usize {
        let (_, height, _) = self.metrics.get();
        height.saturating_sub(2).max(1)
    }

    pub fn scroll_to_top(&self) {
        *self.scroll.borrow_mut() = Scroll::Top;
        self.pending.set(0);
    }

    pub fn scroll_to_bottom(&self) {
        *self.scroll.borrow_mut() = Scroll::Follow;
        self.pending.set(0);
    }

    /// True when the last frame showed the first line (time to load older history).
    pub fn at_top(&self) -> bool {
        let (_, _, top) = self.metrics.get();
        top == 0 && !self.following()
    }

    pub(crate) fn set_metrics(&self, total: usize, height: usize, top: usize) {
        self.metrics.set((total, height, top));
    }

    /// (total lines, viewport height, top line) of the last frame.
    pub fn metrics(&self) -> (usize, usize, usize) {
        self.metrics.get()
    }

    /// The part id of the focused tool call, if any.
    pub fn focused_tool(&self) -> Option<&str> {
        self.focused_tool.as_deref()
    }

    pub(crate) fn set_visible_tools(&self, area: Rect, tools: Vec<(usize, String)>) {
        *self.visible_tools.borrow_mut() = (area, tools);
    }

    /// Tool calls whose header the last frame showed, top to bottom (part ids).
    pub fn visible_tools(&self) -> Vec<String> {
        self.visible_tools
            .borrow()
            .1
            .iter()
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// Moves the focus to the next (`forward`) or previous tool header on screen; from
    /// nothing (or a focus scrolled away) it starts at the last / first one. Returns false
    /// when no tool call is visible.
    pub fn focus_next_tool(&mut self, forward: bool) -> bool {
        let tools = self.visible_tools();
        if tools.is_empty() {
            self.focused_tool = None;
            return false;
        }
        let at = self
            .focused_tool
            .as_ref()
            .and_then(|f| tools.iter().position(|t| t == f));
        let next = match (at, forward) {
            (Some(i), true) => (i + 1) % tools.len(),
            (Some(i), false) => (i + tools.len() - 1) % tools.len(),
            (None, true) => 0,
            (None, false) => tools.len() - 1,
        };
        self.focused_tool = Some(tools[next].clone());
        true
    }

    /// Gives the focus to the tool call `part_id`.
    pub fn focus_tool(&mut self, part_id: &str) {
        self.focused_tool = Some(part_id.to_string());
    }

    /// Drops the tool focus.
    pub fn clear_tool_focus(&mut self) -> bool {
        self.focused_tool.take().is_some()
    }

    /// The tool call whose header the last frame drew at screen cell (`column`, `row`).
    pub fn tool_at(&self, column: u16, row: u16) -> Option<String> {
        let v = self.visible_tools.borrow();
        let (area, tools) = &*v;
        if !area.contains(ratatui::layout::Position::new(column, row)) {
            return None;
        }
        let r = (row - area.y) as usize;
        tools
            .iter()
            .find(|(t, _)| *t == r)
            .map(|(_, id)| id.clone())
    }

    /// Drops cached layout (e.g. after the theme changed).
    pub fn invalidate(&mut self) {
        self.epoch += 1;
    }

    /// Scrolls so that line `line` of message `message` shows `context` lines below the
    /// top (clamped at both ends).
    pub fn scroll_to_line(&self, message: &str, line: usize, context: usize) {
        *self.scroll.borrow_mut() = Scroll::Anchor {
            message: message.to_string(),
            offset: line,
        };
        self.pending.set(-(context as isize));
    }

    /// Where the last frame drew the transcript.
    pub fn transcript_area(&self) -> Rect {
        self.visible_tools.borrow().0
    }

    pub(crate) fn set_visible_messages(&self, messages: Vec<(usize, String)>) {
        *self.visible_messages.borrow_mut() = messages;
    }

    /// Messages the last frame showed, top to bottom (message ids).
    pub fn visible_messages(&self) -> Vec<String> {
        self.visible_messages
            .borrow()
            .iter()
            .map(|(_, id)| id.clone())
            .collect()
    }
}
