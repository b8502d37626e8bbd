//! The `@` picker: a prompt popup on the overlay stack (stack.rs) offering the server's
//! subagents (`@general`: the prompt goes to it) and the project's files. It opens,
//! narrows and closes as a mention is typed ([`App::after_prompt_edit`]), asks the server
//! for files ([`Action::FindFiles`], answered by `UiInput::FileResults`) and gets its keys
//! from the prompt, so with a dialog up it works while the prompt has the focus. The
//! attachments it makes are prompt/mention.rs.

use crate::model::attach::media_mime;
use crate::ui::action::Action;
use crate::ui::app::App;
use crate::ui::fuzzy::Kind;
use crate::ui::overlay::picker::{Picker, PickerItem, PickerOutcome, QueryInput};
use crate::ui::overlay::stack::{Areas, Handled, Overlay, Registration};
use crate::ui::prompt::mention::{find_token, Attached, Outgoing};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::Frame;

/// The id prefix of an agent in the picker (a path never starts with a NUL).
const AGENT_ID: &str = "\u{0}agent:";

/// The `@` picker: where its `@` is (row, char column) and the query last asked for.
#[derive(Debug)]
pub struct MentionPicker {
    pub picker: Picker,
    pub at: (usize, usize),
    pub asked: String,
}

impl Overlay for MentionPicker {
    /// Moving, choosing (Tab / Enter), closing (Esc); `Pass`: the key is not the
    /// picker's (it edits the prompt).
    fn key(&mut self, key: KeyEvent, app: &mut App) -> Handled {
        match self.picker.handle_key(key) {
            PickerOutcome::Handled | PickerOutcome::QueryChanged => Handled::Done(Vec::new()),
            PickerOutcome::Closed => {
                app.prompt.mention.dismissed = Some(self.at);
                Handled::Close(Vec::new())
            }
            PickerOutcome::Chosen { id, .. } => {
                app.choose_mention(self.at, &id);
                Handled::Close(Vec::new())
            }
            // Enter with no result: the prompt is sent as typed.
            PickerOutcome::Ignored if key.code == KeyCode::Enter => Handled::CloseAndPass,
            PickerOutcome::Ignored => Handled::Pass,
        }
    }
    /// Above the prompt box.
    fn render(&self, _app: &App, frame: &mut Frame, areas: &Areas) {
        let input_area = areas.prompt;
        let h = self.picker.height(12).min(input_area.y);
        if h < 3 {
            return;
        }
        let area = Rect {
            x: input_area.x,
            y: input_area.y - h,
            width: input_area.width.min(80),
            height: h,
        };
        self.picker.render(frame, area);
    }
    fn hint(&self) -> &'static str {
        "↑↓ move · Tab/Enter attach a file or hand the prompt to an agent · Esc closes"
    }
    fn prompt_popup(&self) -> bool {
        true
    }
}

pub(crate) const REGISTRATION: Registration = Registration {
    title: "Prompt",
    keys: &[
        (
            "@path",
            "attach a file or directory (picker: Up/Down, Tab/Enter, Esc)",
        ),
        (
            "@agent",
            "hand the prompt to a subagent (@general, @explore)",
        ),
    ],
    open_on_key: None,
};

impl App {
    /// True while the `@` file picker is open.
    pub fn mention_picker_open(&self) -> bool {
        self.overlays.is_open::<MentionPicker>()
    }

    /// The text to send and its parts ([`Mentions::finish`]); the `@` picker closes. An
    /// `@name` of a subagent typed without the picker counts as chosen.
    ///
    /// [`Mentions::finish`]: crate::ui::prompt::mention::Mentions::finish
    pub(crate) fn finish_mentions(&mut self, text: &str) -> Outgoing {
        self.overlays.close::<MentionPicker>();
        let typed: Vec<String> = self
            .mentionable_agents()
            .iter()
            .map(|a| format!("@{}", a.name))
            .filter(|token| {
                find_token(text, token)
                    .is_some_and(|i| i == 0 || text[..i].ends_with(char::is_whitespace))
            })
            .collect();
        for token in typed {
            if !self
                .prompt
                .mention
                .attached
                .iter()
                .any(|a| a.token() == token)
            {
                let name = token[1..].to_string();
                self.prompt
                    .mention
                    .attached
                    .push(Attached::Agent { token, name });
            }
        }
        self.prompt.mention.finish(text)
    }

    /// The subagents `@` offers.
    fn mentionable_agents(&self) -> &[crate::model::catalog::AgentInfo] {
        self.models.catalog.as_ref().map_or(&[], |c| &c.mentionable)
    }

    /// Replaces the `@query` being typed by the chosen item's token and attaches it: a
    /// path, or an agent (its id [`AGENT_ID`] then the name).
    fn choose_mention(&mut self, at: (usize, usize), id: &str) {
        let (row, cur) = self.prompt.input.cursor();
        let typed = cur.saturating_sub(at.1);
        let item = match id.strip_prefix(AGENT_ID) {
            Some(name) => Attached::Agent {
                token: format!("@{name}"),
                name: name.to_string(),
            },
            None => {
                let path = id;
                let dir = path.ends_with('/');
                let (token, mime) = match media_mime(path).filter(|_| !dir) {
                    Some(m) => (self.prompt.mention.token_for(m), m),
                    None => (format!("@{path}"), "text/plain"),
                };
                Attached::File {
                    token,
                    path: path.to_string(),
                    mime: mime.to_string(),
                    dir,
                }
            }
        };
        let token = item.token().to_string();
        if row == at.0 {
            self.prompt
                .input
                .replace_before_cursor(typed, &format!("{token} "));
        }
        if !self
            .prompt
            .mention
            .attached
            .iter()
            .any(|a| a.token() == token)
        {
            self.prompt.mention.attached.push(item);
        }
    }

    /// After the prompt's text changed: opens, narrows or closes the `@` picker (asking
    /// the server for files when the query changed) and drops attachments whose token
    /// was edited away.
    pub(crate) fn after_prompt_edit(&mut self) -> Vec<Action> {
        if !self.prompt.mention.attached.is_empty() {
            let text = self.prompt.input.text();
            self.prompt.mention.set_aside_missing(&text);
        }
        let found = if self.shell_mode() {
            None
        } else {
            self.typed_mention()
        };
        let Some((at, query)) = found else {
            self.overlays.close::<MentionPicker>();
            self.prompt.mention.dismissed = None;
            return Vec::new();
        };
        if self.prompt.mention.dismissed == Some(at) {
            return Vec::new();
        }
        if !self.overlays.is_open::<MentionPicker>() {
            let mut picker = Picker::new(self.mention_title(), Kind::Paths, QueryInput::External);
            picker.set_items(self.mention_items(Vec::new()));
            picker.set_loading(true);
            self.overlays.push(Box::new(MentionPicker {
                picker,
                at,
                asked: String::from("\u{0}"),
            }));
        }
        let Some(mp) = self.overlays.get_mut::<MentionPicker>() else {
            return Vec::new();
        };
        mp.at = at;
        mp.picker.set_query(&query);
        if mp.asked == query {
            return Vec::new();
        }
        mp.asked = query.clone();
        mp.picker.set_loading(true);
        vec![Action::FindFiles { query }]
    }

    /// The server's files for a query: shown if the picker still asks for it.
    pub(crate) fn file_results(&mut self, query: &str, paths: Vec<String>) {
        if self
            .overlays
            .get_mut::<MentionPicker>()
            .is_none_or(|mp| mp.asked != query)
        {
            return;
        }
        let items = self.mention_items(paths);
        let title = self.mention_title();
        if let Some(mp) = self.overlays.get_mut::<MentionPicker>() {
            // The agents may have come after the picker opened: the title says so.
            mp.picker.set_title(title);
            mp.picker.set_items(items);
            mp.picker.set_loading(false);
        }
    }

    fn mention_title(&self) -> &'static str {
        match self.mentionable_agents().is_empty() {
            true => "files · Tab/Enter attach · Esc",
            false => "agents and files · Tab/Enter · Esc",
        }
    }

    /// The picker's items: the subagents under "agents", then the files (under "files"
    /// when there are agents). The picker ranks them all against the typed query.
    fn mention_items(&self, paths: Vec<String>) -> Vec<PickerItem> {
        let agents = self.mentionable_agents();
        let files_group = (!agents.is_empty()).then_some("files");
        let mut items: Vec<PickerItem> = agents
            .iter()
            .map(|a| {
                PickerItem::new(format!("{AGENT_ID}{}", a.name), a.name.clone())
                    .description(a.description.clone())
                    .tag("agent")
                    .group("agents")
            })
            .collect();
        items.extend(paths.into_iter().map(|p| {
            let mut item = PickerItem::new(p.clone(), p.clone());
            if p.ends_with('/') {
                item = item.tag("dir");
            }
            match files_group {
                Some(g) => item.group(g),
                None => item,
            }
        }));
        items
    }

    /// The `@` before the cursor (row, char column) and what follows it, when the cursor
    /// is in a mention being typed: the `@` starts the line or follows a space, and no
    /// space comes after it.
    fn typed_mention(&self) -> Option<((usize, usize), String)> {
        let (row, col) = self.prompt.input.cursor();
        let text = self.prompt.input.text();
        let line = text.split('\n').nth(row)?;
        let before: Vec<char> = line.chars().take(col).collect();
        let at = before.iter().rposition(|&c| c == '@')?;
        if at > 0 && !before[at - 1].is_whitespace() {
            return None;
        }
        let query: String = before[at + 1..].iter().collect();
        if query.chars().any(char::is_whitespace) {
            return None;
        }
        Some(((row, at), query))
    }
}
