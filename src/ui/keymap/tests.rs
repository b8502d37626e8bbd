//! The keymap's unit tests: defaults, tui.json over them, "none", the leader and its
//! sequences, the warning, the `{name}` placeholders.

use super::chord::Chord;
use super::names::KeyAction;
use super::{Keymap, Resolved};
use crate::model::tui_config::TuiConfig;
use serde_json::{json, Value};

fn km(binds: Value) -> Keymap {
    let cfg = TuiConfig::from_layers(&[("tui.json".into(), json!({ "keybinds": binds }))]);
    Keymap::from_config(&cfg)
}

fn c(s: &str) -> Chord {
    Chord::parse(s).unwrap()
}

#[test]
fn the_defaults_are_our_keys_and_opencodes_leader_keys() {
    let k = Keymap::default();
    assert_eq!(k.single(c("ctrl+n")), Some(KeyAction::SessionNew));
    assert_eq!(k.single(c("return")), Some(KeyAction::InputSubmit));
    assert_eq!(k.single(c("escape")), Some(KeyAction::SessionInterrupt));
    assert_eq!(k.resolve(&[], c("ctrl+x")), Resolved::Pending);
    assert_eq!(
        k.resolve(&[c("ctrl+x")], c("n")),
        Resolved::Action(KeyAction::SessionNew)
    );
    assert_eq!(
        k.resolve(&[c("ctrl+x")], c("ctrl+e")),
        Resolved::Action(KeyAction::EditorOpen)
    );
    assert_eq!(k.resolve(&[c("ctrl+x")], c("z")), Resolved::Nothing);
    assert_eq!(k.display(KeyAction::SessionNew), "Ctrl+N, Ctrl+X N");
    assert_eq!(k.display(KeyAction::SessionFork), "");
    assert!(k.warning.is_none());
    assert_eq!(k.leader_timeout.as_millis(), 2000);
}

#[test]
fn a_remap_replaces_the_default_and_takes_its_key_from_others() {
    let k = km(json!({"session_new": "ctrl+s", "session_list": "f2"}));
    assert_eq!(k.single(c("ctrl+s")), Some(KeyAction::SessionNew));
    assert_eq!(k.single(c("ctrl+n")), None, "the default no longer does it");
    assert_eq!(k.resolve(&[c("ctrl+x")], c("n")), Resolved::Nothing);
    assert_eq!(k.display(KeyAction::SessionList), "F2");
    // A config key taken from an action left at its defaults.
    let k = km(json!({"model_list": "ctrl+n"}));
    assert_eq!(k.single(c("ctrl+n")), Some(KeyAction::ModelList));
    assert_eq!(k.display(KeyAction::SessionNew), "Ctrl+X N");
}

#[test]
fn none_false_and_empty_arrays_unbind() {
    for v in [json!("none"), json!(false), json!([])] {
        let k = km(json!({ "session_interrupt": v }));
        assert_eq!(k.single(c("escape")), None, "{v}");
        assert_eq!(k.expand("{session_interrupt}"), "none");
    }
}

#[test]
fn alternatives_arrays_objects_and_the_leader() {
    let k = km(json!({
        "leader": "ctrl+a",
        "session_new": "<leader>w, f9",
        "session_list": ["ctrl+alt+l", {"key": "f10"}, {"key": {"name": "k", "ctrl": true}}],
    }));
    assert_eq!(
        k.resolve(&[], c("ctrl+x")),
        Resolved::Nothing,
        "no longer the leader"
    );
    assert_eq!(
        k.resolve(&[c("ctrl+a")], c("w")),
        Resolved::Action(KeyAction::SessionNew)
    );
    // Every <leader> default follows the new leader.
    assert_eq!(
        k.resolve(&[c("ctrl+a")], c("e")),
        Resolved::Action(KeyAction::EditorOpen)
    );
    assert_eq!(k.single(c("f9")), Some(KeyAction::SessionNew));
    for key in ["ctrl+alt+l", "f10", "ctrl+k"] {
        assert_eq!(k.single(c(key)), Some(KeyAction::SessionList), "{key}");
    }
    assert_eq!(k.display(KeyAction::SessionNew), "Ctrl+A W, F9");
    assert!(k.leader_note(&[c("ctrl+a")]).contains("W: new session"));
    // A leader of "none": the <leader> keys are void.
    let k = km(json!({"leader": "none"}));
    assert_eq!(k.resolve(&[], c("ctrl+x")), Resolved::Nothing);
    assert_eq!(k.display(KeyAction::SessionNew), "Ctrl+N");
}

#[test]
fn unknown_names_and_bad_keys_make_one_warning() {
    let cfg = TuiConfig::from_layers(&[(
        "tui.json".into(),
        json!({"keybinds": {"session_share": "<leader>g", "nosuch": "f1",
            "session_new": "ctrl+hyper+n"}, "plugin": [], "leader_timeout": 300}),
    )]);
    let k = Keymap::from_config(&cfg);
    let w = k.warning.clone().unwrap();
    assert!(w.contains("session_share") && w.contains("nosuch"), "{w}");
    assert!(w.contains("plugin") && w.contains("ctrl+hyper+n"), "{w}");
    // The unreadable binding leaves the action unbound there; the rest applies.
    assert_eq!(k.single(c("ctrl+n")), None);
    assert_eq!(k.leader_timeout.as_millis(), 300);
}

#[test]
fn placeholders_show_the_effective_keys() {
    let k = km(json!({"messages_undo": "f7", "messages_redo": "<leader>x"}));
    assert_eq!(
        k.expand("{messages_undo} / {messages_redo}, /undo"),
        "F7 / Ctrl+X X, /undo"
    );
    assert_eq!(k.expand("{not_a_name} {"), "{not_a_name} {");
}
