//! A filtered list popup: slash-command completion, the `@` file picker, the model /
//! agent / variant pickers and session search all use it. It owns the items it was fed,
//! the query, the fuzzy ranking (`fuzzy.rs`), the selection and the scroll; it never
//! fetches anything (the owner feeds items as they arrive: typing is never blocked).
//!
//! Items have a label, a one-line description, an optional right-aligned tag ("recent",
//! a provider, an agent's colour swatch) and an optional group heading. Every string is
//! cleaned with `safe_text::one_line` when it is fed, before matching and layout. The
//! selection is kept (by item id) across re-filtering once the user has moved it, else
//! it follows the best match. Keys: Up/Down (wrapping), Ctrl+P/Ctrl+N, PgUp/PgDn,
//! Home/End, Tab/Enter choose, Esc closes; other keys with Ctrl or Alt are left to the
//! owner. With [`QueryInput::Own`] typed characters and Backspace edit the picker's own
//! query line; with [`QueryInput::External`] the owner's input holds the query and feeds
//! it with [`Picker::set_query`].

use crate::safe_text::one_line;
use crate::ui::fuzzy::{Fuzzy, FuzzyMatch, Kind};
use crate::ui::prompt::line_edit::{self, LineField};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use std::cell::Cell;

/// The most results kept after ranking; the rest count as "N more".
pub const MAX_RESULTS: usize = 500;

/// One entry of the list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PickerItem {
    /// The owner's key, returned when the item is chosen (a command, a path, a model).
    pub id: String,
    pub label: String,
    pub description: String,
    /// Shown right-aligned (e.g. "recent", a provider name, "●" as a colour swatch).
    pub tag: Option<String>,
    /// The tag's colour (an agent's colour); ignored without colour (`NO_COLOR`).
    pub tag_color: Option<Color>,
    /// Consecutive items of one group sit under its heading.
    pub group: Option<String>,
}

impl PickerItem {
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> PickerItem {
        PickerItem {
            id: id.into(),
            label: label.into(),
            ..PickerItem::default()
        }
    }
    pub fn description(mut self, d: impl Into<String>) -> PickerItem {
        self.description = d.into();
        self
    }
    pub fn tag(mut self, t: impl Into<String>) -> PickerItem {
        self.tag = Some(t.into());
        self
    }
    pub fn tag_color(mut self, c: Color) -> PickerItem {
        self.tag_color = Some(c);
        self
    }
    pub fn group(mut self, g: impl Into<String>) -> PickerItem {
        self.group = Some(g.into());
        self
    }

    fn cleaned(self) -> PickerItem {
        PickerItem {
            id: self.id,
            label: one_line(&self.label).into_owned(),
            description: one_line(&self.description).into_owned(),
            tag: self.tag.map(|t| one_line(&t).into_owned()),
            tag_color: self.tag_color,
            group: self.group.map(|g| one_line(&g).into_owned()),
        }
    }
}

/// Where the query is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryInput {
    /// The picker shows and edits its own query line (model picker, session search).
    Own,
    /// The owner's input holds the query (`/` completion, `@` files): typed keys are
    /// [`PickerOutcome::Ignored`] and the owner calls [`Picker::set_query`].
    External,
}

/// Which key chose an item (slash completion: Tab completes, Enter runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChooseKey {
    Tab,
    Enter,
}

/// What a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerOutcome {
    /// Not the picker's key: the owner handles it (typing into its input, say). Tab and
    /// Enter are ignored too when nothing is selected (no results).
    Ignored,
    /// The picker used the key (the selection moved).
    Handled,
    /// The own query changed: an owner fed by the server asks for new items.
    QueryChanged,
    /// The selected item, by its id.
    Chosen { id: String, by: ChooseKey },
    /// Esc: close the picker.
    Closed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Row {
    Heading(String),
    /// Index into `matches`.
    Item(usize),
}

/// The picker's state. Render it with [`Picker::render`].
#[derive(Debug)]
pub struct Picker {
    title: String,
    input: QueryInput,
    query: String,
    /// The own query line's editing state (line_edit.rs: the keys of every field).
    field: LineField,
    items: Vec<PickerItem>,
    fuzzy: Fuzzy,
    matches: Vec<FuzzyMatch>,
    total: usize,
    rows: Vec<Row>,
    /// Index into `matches`.
    selected: Option<usize>,
    /// The user moved the selection: keep it across re-filtering.
    pinned: bool,
    loading: bool,
    more: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl Picker {
    /// Draws it over `area`, centred near its bottom: at most `max_width` wide and as tall as
    /// its rows need within `room` (the model and theme pickers).
    pub fn render_near_bottom(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        max_width: u16,
        room: u16,
    ) {
        let w = area.width.saturating_sub(4).min(max_width);
        let h = self.height(room);
        let r = ratatui::layout::Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + area.height.saturating_sub(h),
            width: w,
            height: h.min(area.height),
        };
        self.render(frame, r);
    }

    /// Titles it `title` from now on.
    pub fn set_title(&mut self, title: &str) {
        self.title = one_line(title).into_owned();
    }

    /// An empty picker titled `title`, ranking with `kind` (paths or words).
    pub fn new(title: impl Into<String>, kind: Kind, input: QueryInput) -> Picker {
        Picker {
            title: one_line(&title.into()).into_owned(),
            input,
            query: String::new(),
            field: LineField::default(),
            items: Vec::new(),
            fuzzy: Fuzzy::new(kind),
            matches: Vec::new(),
            total: 0,
            rows: Vec::new(),
            selected: None,
            pinned: false,
            loading: false,
            more: 0,
            offset: Cell::new(0),
            page: Cell::new(5),
        }
    }

    /// Replaces the items (cleaned here) and re-filters; the selection survives.
    pub fn set_items(&mut self, items: Vec<PickerItem>) {
        let keep = self.kept_id();
        self.items = items.into_iter().map(PickerItem::cleaned).collect();
        self.refilter(keep);
    }

    /// Sets the query (the owner's input changed) and re-filters.
    pub fn set_query(&mut self, query: &str) {
        if self.input == QueryInput::Own && self.field.text() != query {
            self.field.set(query);
        }
        if self.query != query {
            self.query = query.to_string();
            self.refilter(self.kept_id());
        }
    }

    #[cfg(test)]
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Shows "loading…" (the owner is fetching items).
    pub fn set_loading(&mut self, loading: bool) {
        self.loading = loading;
    }

    /// Items the owner knows of but did not feed (the server cut its list): adds to
    /// "N more".
    #[cfg(test)]
    pub fn set_more(&mut self, more: usize) {
        self.more = more;
    }

    /// The selected item.
    pub fn selected(&self) -> Option<&PickerItem> {
        let m = self.matches.get(self.selected?)?;
        self.items.get(m.index)
    }

    /// The items shown, best first (group by group).
    pub fn results(&self) -> impl Iterator<Item = &PickerItem> {
        self.matches.iter().map(|m| &self.items[m.index])
    }

    /// Matching items not shown: past [`MAX_RESULTS`], plus [`Picker::set_more`].
    pub fn hidden(&self) -> usize {
        self.total - self.matches.len() + self.more
    }

    /// The id of the selection to keep across re-filtering (once the user moved it).
    fn kept_id(&self) -> Option<String> {
        self.pinned
            .then(|| self.selected().map(|i| i.id.clone()))
            .flatten()
    }

    fn refilter(&mut self, keep: Option<String>) {
        let labels: Vec<&str> = self.items.iter().map(|i| i.label.as_str()).collect();
        let ranked = self
            .fuzzy
            .rank(&self.query, &labels, MAX_RESULTS, MAX_RESULTS);
        self.total = ranked.total;
        let mut matches = ranked.matches;
        // Groups together, ordered by their best match (stable: best first inside).
        let mut first: Vec<Option<&str>> = Vec::new();
        let group_of = |m: &FuzzyMatch| self.items[m.index].group.as_deref();
        for m in &matches {
            if !first.contains(&group_of(m)) {
                first.push(group_of(m));
            }
        }
        matches.sort_by_key(|m| first.iter().position(|g| *g == group_of(m)));
        self.rows.clear();
        let mut last: Option<Option<&str>> = None;
        for (i, m) in matches.iter().enumerate() {
            let g = self.items[m.index].group.as_deref();
            if last != Some(g) {
                if let Some(name) = g {
                    self.rows.push(Row::Heading(name.to_string()));
                }
                last = Some(g);
            }
            self.rows.push(Row::Item(i));
        }
        self.matches = matches;
        let kept = keep.and_then(|id| {
            self.matches
                .iter()
                .position(|m| self.items[m.index].id == id)
        });
        self.pinned = kept.is_some();
        self.selected = kept.or((!self.matches.is_empty()).then_some(0));
        if kept.is_none() {
            self.offset.set(0);
        }
    }

    /// Selects the item `id` (the current choice the picker opens on), when it is listed.
    pub fn select_id(&mut self, id: &str) {
        if let Some(i) = self
            .matches
            .iter()
            .position(|m| self.items[m.index].id == id)
        {
            self.select(i);
        }
    }

    fn select(&mut self, i: usize) {
        if !self.matches.is_empty() {
            self.selected = Some(i.min(self.matches.len() - 1));
            self.pinned = true;
        }
    }

    fn step(&mut self, down: bool, wrap: bool, by: usize) {
        let n = self.matches.len();
        let Some(cur) = self.selected else { return };
        let next = match (down, wrap) {
            (true, true) if cur + 1 >= n => 0,
            (false, true) if cur == 0 => n - 1,
            (true, _) => cur.saturating_add(by).min(n - 1),
            (false, _) => cur.saturating_sub(by),
        };
        self.select(next);
    }

    /// Handles one key (see [`PickerOutcome`]).
    pub fn handle_key(&mut self, key: KeyEvent) -> PickerOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let page = self.page.get().max(1);
        match key.code {
            KeyCode::Char('n') if ctrl && !alt => self.step(true, true, 1),
            KeyCode::Char('p') if ctrl && !alt => self.step(false, true, 1),
            // Home / End choose the first / last item; Ctrl+A / Ctrl+E move in the query.
            _ if self.input == QueryInput::Own
                && !matches!(key.code, KeyCode::Home | KeyCode::End)
                && line_edit::command(&key).is_some() =>
            {
                if self.field.key(&key) != Some(true) {
                    return PickerOutcome::Handled;
                }
                let q = self.field.text().to_string();
                self.set_query(&q);
                return PickerOutcome::QueryChanged;
            }
            _ if ctrl || alt => return PickerOutcome::Ignored,
            KeyCode::Down => self.step(true, true, 1),
            KeyCode::Up => self.step(false, true, 1),
            KeyCode::PageDown => self.step(true, false, page),
            KeyCode::PageUp => self.step(false, false, page),
            KeyCode::Home => self.select(0),
            KeyCode::End => self.select(self.matches.len().saturating_sub(1)),
            KeyCode::Tab | KeyCode::Enter => {
                let Some(item) = self.selected() else {
                    return PickerOutcome::Ignored;
                };
                let by = if key.code == KeyCode::Tab {
                    ChooseKey::Tab
                } else {
                    ChooseKey::Enter
                };
                return PickerOutcome::Chosen {
                    id: item.id.clone(),
                    by,
                };
            }
            KeyCode::Esc => return PickerOutcome::Closed,
            _ => return PickerOutcome::Ignored,
        }
        PickerOutcome::Handled
    }
}

mod draw;

#[cfg(test)]
#[path = "picker_tests.rs"]
mod tests;
