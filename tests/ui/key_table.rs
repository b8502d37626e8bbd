//! One key table (issue 18): the help (F1), the palette (Ctrl+P) and the README's Keys
//! section come from / must agree with `ocw_tui::ui::key_table()`, so they cannot drift.

use ocw_tui::ui::key_table;
use ocw_tui::ui::testing::{app_from_events, ctrl, draw_app, fixture_events, key, type_text};
use ocw_tui::ui::UiOptions;

/// The README's Keys section (from its heading to the next heading).
fn readme_keys() -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("### Keys").expect("a Keys section");
    let rest = &readme[start + 3..];
    let end = rest.find("\n### ").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The single keys of an entry: "Ctrl+X U / Ctrl+X R, /undo" → ["Ctrl+X U", "Ctrl+X R"]
/// (a parenthesised note and the `/commands` dropped).
fn single_keys(keys: &str) -> Vec<String> {
    let keys = keys.split(" (").next().unwrap_or(keys);
    keys.split(", ")
        .flat_map(|k| k.split(" / "))
        .map(str::trim)
        // A `/command` is listed under "Commands".
        .filter(|k| !k.is_empty() && !k.starts_with('/'))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_names_every_key_of_the_table() {
    let readme = readme_keys();
    let mut missing = Vec::new();
    for (section, keys, what) in key_table() {
        if section == "Slash commands" {
            continue; // listed under "Commands"
        }
        for k in single_keys(&keys) {
            if !readme.contains(&k) {
                missing.push(format!("{k}  ({section}: {keys} — {what})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "README.md's Keys section lacks:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_help_and_the_palette_show_the_table() {
    let events = fixture_events("tests/fixtures/opencode-1.18.33/hello.jsonl");
    let mut app = app_from_events(&events, UiOptions::default(), |_| false);
    // The palette lists keys that are no command (found by the key's name), with what
    // they do: F6 (the side panel's files), the editing keys.
    app.handle_key(ctrl('p'));
    type_text(&mut app, "f6");
    let screen = draw_app(&app, 120, 40);
    assert!(screen.contains("side panel files"), "{screen}");
    app.handle_key(key(crossterm::event::KeyCode::Esc));
    app.handle_key(ctrl('p'));
    type_text(&mut app, "ctrl+u");
    let screen = draw_app(&app, 120, 40);
    assert!(screen.contains("delete to the line start"), "{screen}");
    app.handle_key(key(crossterm::event::KeyCode::Esc));
    // The help (F1) is drawn from the same table: every entry's keys are on it.
    app.handle_key(key(crossterm::event::KeyCode::F(1)));
    let screen = draw_app(&app, 200, 200);
    for (_, keys, _) in key_table() {
        let shown: String = keys.chars().take(24).collect();
        assert!(
            screen.contains(shown.trim_end()),
            "{keys} missing from the help:\n{screen}"
        );
    }
}
