//! The timeline (issue 20 §3) against the real opencode 1.18.33: two turns, the second
//! edits a file the first wrote; `/timeline` lists both, and `u` twice on the second
//! reverts the session to before it, the file on disk back as the first turn left it.

use crate::support;

use support::{git_init, MockModel, Tmux, Workspace};

/// The rows of the timeline popup (from its top border to its bottom one).
fn popup(screen: &str) -> String {
    screen
        .lines()
        .skip_while(|l| !l.contains("┌ timeline"))
        .take_while(|l| !l.contains('└'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_timeline_revert_restores_the_file_the_turn_changed() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let log = ws.root().join("tui.jsonl");
    let file = ws.project_dir().join("notes.txt");
    // opencode's snapshots (the turns' changed files, and revert) need a git project.
    git_init(ws.project_dir());
    let t = Tmux::start(&ws, &["--log", log.to_str().unwrap(), "--auto"]);
    t.wait_text("ready", 60);
    t.prompt("write: notes.txt :: first draft");
    t.wait_for("the first turn to end", 60, |s| {
        s.contains("Done:") && s.contains("ready")
    });
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "first draft");
    t.prompt("edit: notes.txt :: first draft => second draft");
    t.wait_for("the second turn to end", 60, |s| {
        s.matches("Done:").count() >= 2 && s.contains("ready")
    });
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "second draft");

    t.prompt("/timeline");
    // The turn's changed files arrive a moment after it ends: the open list follows.
    let screen = t.wait_for("the timeline with the turns' changed files", 30, |s| {
        popup(s).contains("1 file: notes.txt")
    });
    let list = popup(&screen);
    let second = list
        .find("edit: notes.txt")
        .expect("the second prompt listed");
    let first = list
        .find("write: notes.txt")
        .expect("the first prompt listed");
    assert!(second < first, "newest first: {list}");
    t.send_keys(&["u"]);
    t.wait_text("u again reverts", 20);
    t.send_keys(&["u"]);
    t.wait_for("the file reverted", 60, |_| {
        std::fs::read_to_string(&file).is_ok_and(|c| c == "first draft")
    });
    let screen = t.wait_for("the prompt back in the input", 20, |s| {
        !s.contains("┌ timeline") && s.contains("│ edit: notes.txt :: first draft => second draft")
    });
    assert!(screen.contains("first draft"), "{screen}");
    t.send_keys(&["C-u"]);
    t.wait_text("Ask anything", 10);
    support::quit(&t, &ws);
}
