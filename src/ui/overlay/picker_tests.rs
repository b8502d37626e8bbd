//! Unit tests and snapshots of the picker (`picker.rs`).

use super::*;
use crate::ui::testing::{buffer_text, styled_text};
use crate::ui::theme::{with_palette, Palette};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn slash() -> Picker {
    let mut p = Picker::new("commands", Kind::Words, QueryInput::External);
    let items = [
        ("new", "start a new session", None),
        ("sessions", "list and switch sessions", None),
        ("undo", "revert the last turn", None),
        ("redo", "restore what /undo reverted", None),
        ("compact", "summarize the session to free context", None),
        ("models", "pick a model", None),
        ("init", "create or update AGENTS.md", Some("server")),
        (
            "review",
            "review changes [commit|branch|pr]",
            Some("server"),
        ),
    ];
    p.set_items(
        items
            .iter()
            .map(|(n, d, tag)| {
                let mut it = PickerItem::new(*n, format!("/{n}")).description(*d);
                if let Some(t) = tag {
                    it = it.tag(*t);
                }
                it
            })
            .collect(),
    );
    p
}

fn files() -> Picker {
    let mut p = Picker::new("files", Kind::Paths, QueryInput::External);
    let paths = [
        "src/main.rs",
        "src/ui/mod.rs",
        "src/ui/picker.rs",
        "src/ui/fuzzy.rs",
        "src/model/state.rs",
        "src/model/search.rs",
        "tests/ui_snapshots.rs",
        "docs/DESIGN.md",
        "benches/ui_frame.rs",
        "src/ui/very/deeply/nested/directory/with/a/long/path/component.rs",
    ];
    p.set_items(paths.iter().map(|s| PickerItem::new(*s, *s)).collect());
    p
}

fn ids(p: &Picker) -> Vec<String> {
    p.results().map(|i| i.id.clone()).collect()
}

fn draw(p: &Picker, w: u16, h: u16, styled: bool) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let a = f.area();
        p.render(
            f,
            Rect {
                height: p.height(a.height),
                ..a
            },
        )
    })
    .unwrap();
    let buf = t.backend().buffer();
    if styled {
        styled_text(buf)
    } else {
        buffer_text(buf)
    }
}

#[test]
fn arrows_wrap_pages_and_ends_stop() {
    let mut p = slash();
    assert_eq!(p.selected().unwrap().id, "new");
    assert_eq!(p.handle_key(key(KeyCode::Up)), PickerOutcome::Handled);
    assert_eq!(p.selected().unwrap().id, "review");
    p.handle_key(key(KeyCode::Down));
    assert_eq!(p.selected().unwrap().id, "new");
    p.handle_key(ctrl('n'));
    assert_eq!(p.selected().unwrap().id, "sessions");
    p.handle_key(ctrl('p'));
    assert_eq!(p.selected().unwrap().id, "new");
    p.handle_key(key(KeyCode::End));
    assert_eq!(p.selected().unwrap().id, "review");
    p.handle_key(key(KeyCode::PageDown));
    assert_eq!(p.selected().unwrap().id, "review", "PgDn stops at the end");
    p.handle_key(key(KeyCode::PageUp));
    assert_eq!(
        p.selected().unwrap().id,
        "undo",
        "page of 5 (before a draw)"
    );
    p.handle_key(key(KeyCode::Home));
    assert_eq!(p.selected().unwrap().id, "new");
    p.handle_key(key(KeyCode::PageUp));
    assert_eq!(p.selected().unwrap().id, "new", "PgUp stops at the start");
}

#[test]
fn tab_and_enter_choose_esc_closes_other_modified_keys_are_left_to_the_owner() {
    let mut p = slash();
    p.handle_key(key(KeyCode::Down));
    let tab = p.handle_key(key(KeyCode::Tab));
    assert_eq!(
        tab,
        PickerOutcome::Chosen {
            id: "sessions".into(),
            by: ChooseKey::Tab
        }
    );
    let enter = p.handle_key(key(KeyCode::Enter));
    assert!(matches!(
        enter,
        PickerOutcome::Chosen {
            by: ChooseKey::Enter,
            ..
        }
    ));
    assert_eq!(p.handle_key(key(KeyCode::Esc)), PickerOutcome::Closed);
    for k in [
        ctrl('c'),
        ctrl('u'),
        KeyEvent::new(KeyCode::Down, KeyModifiers::ALT),
        KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT),
        KeyEvent::new(KeyCode::Char('n'), KeyModifiers::ALT),
        key(KeyCode::Char('x')),
        key(KeyCode::Backspace),
        key(KeyCode::Left),
    ] {
        assert_eq!(p.handle_key(k), PickerOutcome::Ignored, "{k:?}");
    }
    assert_eq!(
        p.selected().unwrap().id,
        "sessions",
        "ignored keys moved nothing"
    );
    // Nothing to choose: Enter goes to the owner (it may send the text).
    p.set_query("zzz");
    assert_eq!(p.handle_key(key(KeyCode::Enter)), PickerOutcome::Ignored);
}

#[test]
fn own_query_is_typed_and_filters() {
    let mut p = Picker::new("models", Kind::Words, QueryInput::Own);
    p.set_items(vec![
        PickerItem::new("a/gpt", "gpt-5"),
        PickerItem::new("b/claude", "claude-sonnet"),
    ]);
    assert_eq!(
        p.handle_key(key(KeyCode::Char('c'))),
        PickerOutcome::QueryChanged
    );
    assert_eq!(
        p.handle_key(key(KeyCode::Char('l'))),
        PickerOutcome::QueryChanged
    );
    assert_eq!(p.query(), "cl");
    assert_eq!(ids(&p), ["b/claude"]);
    p.handle_key(key(KeyCode::Backspace));
    p.handle_key(key(KeyCode::Backspace));
    assert_eq!(
        p.handle_key(key(KeyCode::Backspace)),
        PickerOutcome::Handled
    );
    assert_eq!(ids(&p).len(), 2);
}

#[test]
fn best_match_is_selected_until_the_user_moves_then_the_choice_survives() {
    let mut p = slash();
    p.set_query("re");
    assert_eq!(
        p.selected().unwrap().id,
        "redo",
        "best match on top, selected"
    );
    p.handle_key(key(KeyCode::Down));
    let chosen = p.selected().unwrap().id.clone();
    p.set_query("r");
    assert_eq!(p.selected().unwrap().id, chosen, "kept while still listed");
    // Results arrive again (async refresh, other order): still kept.
    let mut items: Vec<PickerItem> = slash().results().cloned().collect();
    items.reverse();
    p.set_items(items);
    assert_eq!(p.selected().unwrap().id, chosen);
    // Filtered out: the best match is selected again.
    p.set_query("ini");
    assert_eq!(p.selected().unwrap().id, "init");
    p.set_query("");
    assert_eq!(
        p.selected().unwrap().id,
        "review",
        "not pinned any more: the top"
    );
}

#[test]
fn groups_stay_together_ordered_by_their_best_match() {
    let mut p = Picker::new("models", Kind::Words, QueryInput::Own);
    p.set_items(vec![
        PickerItem::new("r1", "gpt-4o").group("Recent"),
        PickerItem::new("a1", "claude-opus").group("Anthropic"),
        PickerItem::new("a2", "claude-haiku").group("Anthropic"),
        PickerItem::new("o1", "gpt-5").group("OpenAI"),
        PickerItem::new("o2", "o3-claude-compat").group("OpenAI"),
    ]);
    assert_eq!(ids(&p), ["r1", "a1", "a2", "o1", "o2"]);
    p.set_query("claude");
    assert_eq!(ids(&p), ["a1", "a2", "o2"]);
}

#[test]
fn counts_what_is_not_shown() {
    let mut p = Picker::new("files", Kind::Paths, QueryInput::External);
    p.set_items(
        (0..MAX_RESULTS + 20)
            .map(|i| PickerItem::new(format!("f{i}"), format!("f{i}.rs")))
            .collect(),
    );
    p.set_more(1000);
    assert_eq!(p.hidden(), 1020);
    let screen = draw(&p, 40, 8, false);
    assert!(screen.contains("1/500 · 1020 more"), "{screen}");
}

#[test]
fn scrolling_keeps_the_selection_in_view() {
    let mut p = files();
    p.handle_key(key(KeyCode::End));
    let screen = draw(&p, 30, 6, false);
    assert!(screen.contains("› src/ui/very"), "{screen}");
    assert!(!screen.contains("src/main.rs"), "{screen}");
    // PgUp moves by the rows drawn (4).
    p.handle_key(key(KeyCode::PageUp));
    assert_eq!(p.selected().unwrap().id, "src/model/search.rs");
    let screen = draw(&p, 30, 6, false);
    assert!(screen.contains("› src/model/search.rs"), "{screen}");
}

#[test]
fn untrusted_text_is_cleaned_before_layout() {
    let mut p = Picker::new("sessions\x1b[2J", Kind::Words, QueryInput::Own);
    p.set_items(vec![PickerItem::new("s1", "evil\x1b]0;pwned\x07title")
        .description("line\nbreak\u{202e}rtl")
        .tag("t\x1b[5m")
        .group("g\u{9b}")]);
    let screen = draw(&p, 60, 6, false);
    assert!(
        !screen
            .chars()
            .any(|c| c != '\n' && crate::safe_text::needs_care(c)),
        "{screen}"
    );
    assert!(screen.contains("evil␛]0;pwned␇title"), "{screen}");
    assert!(screen.contains("line␊break⟨U+202E⟩rtl"), "{screen}");
}

#[test]
fn selection_is_visible_without_colour() {
    let p = slash();
    let s = with_palette(Palette::Mono, || draw(&p, 50, 5, true));
    let row = s.lines().nth(1).unwrap();
    assert!(row.contains("«- - BR»› /new"), "{row}");
}

#[test]
fn snapshot_slash_commands_with_descriptions() {
    let mut p = slash();
    p.handle_key(key(KeyCode::Down));
    let s = with_palette(Palette::Dark, || draw(&p, 80, 24, false));
    insta::assert_snapshot!(s);
}

#[test]
fn snapshot_files_with_highlights_80x24() {
    let mut p = files();
    p.set_query("uirs");
    let s = with_palette(Palette::Dark, || draw(&p, 80, 24, true));
    insta::assert_snapshot!(s);
}

#[test]
fn snapshot_files_with_highlights_30x8() {
    let mut p = files();
    p.set_query("src");
    let s = with_palette(Palette::Dark, || draw(&p, 30, 8, true));
    insta::assert_snapshot!(s);
}

#[test]
fn snapshot_model_picker_with_groups_tags_and_own_query() {
    let mut p = Picker::new("models", Kind::Words, QueryInput::Own);
    p.set_items(vec![
        PickerItem::new("m/a", "mock-model")
            .description("Mock")
            .tag("recent")
            .group("Recent"),
        PickerItem::new("a/o", "claude-opus-4")
            .description("Anthropic")
            .group("Anthropic"),
        PickerItem::new("a/h", "claude-haiku-4")
            .description("Anthropic")
            .group("Anthropic"),
        PickerItem::new("build", "build")
            .description("agent")
            .tag("●")
            .tag_color(Color::Magenta)
            .group("Agents"),
    ]);
    p.set_query("l");
    let s = with_palette(Palette::Dark, || draw(&p, 40, 12, true));
    insta::assert_snapshot!(s);
}

#[test]
fn snapshot_empty_result() {
    let mut p = files();
    p.set_query("qqqzz");
    let s = with_palette(Palette::Dark, || draw(&p, 40, 8, false));
    insta::assert_snapshot!(s);
}

#[test]
fn snapshot_loading() {
    let mut p = Picker::new("files", Kind::Paths, QueryInput::External);
    p.set_loading(true);
    let empty = with_palette(Palette::Dark, || draw(&p, 40, 8, false));
    p.set_items(vec![PickerItem::new("src/main.rs", "src/main.rs")]);
    let some = with_palette(Palette::Dark, || draw(&p, 40, 8, false));
    insta::assert_snapshot!(format!("{empty}---\n{some}"));
}
