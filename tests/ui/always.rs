//! "Allow always" keeps other agents asking: `a` answers the server `once` (its own
//! "always" would reach every agent of the session), the rule stays in the client for the
//! agent that asked and its session tree, the agent's next matching request is answered by
//! the client with a note saying so (once), another agent's request still opens a dialog, and
//! the save offer defaults to the agent-scoped form. Plus: the status bar says "waiting for
//! you" while a subagent's request waits. Driven from the recorded write_edit log (build agent,
//! two edit requests) and requests in the same shape for the plan agent and a subagent.

use crate::support::bus;
use crossterm::event::KeyCode;
use ocw_tui::model::Event;
use ocw_tui::ui::testing::{app_from_events, draw_app, fixture_events, key};
use ocw_tui::ui::{Action, App, PermissionReply, UiInput, UiOptions};
use serde_json::json;

const LOG: &str = "tests/fixtures/opencode-1.18.33/write_edit.jsonl";

/// The write_edit log up to its first `permission.replied`: the build agent's first edit
/// request is up. Returns the app, the rest of the log, and the request id.
fn first_edit_pending() -> (App, Vec<Event>, String) {
    let events = fixture_events(LOG);
    let cut = events
        .iter()
        .position(|e| matches!(e, Event::PermissionReplied { .. }))
        .expect("a reply in the log");
    let app = app_from_events(&events, UiOptions::default(), |e| {
        matches!(e, Event::PermissionReplied { .. })
    });
    let id = app.active_request().expect("a dialog").id().to_string();
    (app, events[cut..].to_vec(), id)
}

/// Feeds the log on (skipping the server's own replies, which this client would not get
/// for requests it has not answered) until the next `permission.asked`; returns what the
/// app did on it.
fn until_next_request(app: &mut App, rest: &[Event]) -> (String, Vec<Action>) {
    for e in rest {
        if matches!(e, Event::PermissionReplied { .. }) {
            continue;
        }
        let acts = app.handle_input(UiInput::Bus(e.clone()));
        if let Event::PermissionAsked(p) = e {
            return (p.id.clone(), acts);
        }
    }
    panic!("no second request in the log");
}

/// An edit request of `agent` in session `sid` (a new assistant message of that agent asks).
fn edit_request(app: &mut App, sid: &str, agent: &str, n: &str) -> (String, Vec<Action>) {
    let mid = format!("msg_{agent}_{n}");
    bus(
        app,
        "message.updated",
        json!({"info": {"id": mid, "sessionID": sid, "role": "assistant", "agent": agent, "mode": agent}}),
    );
    let id = format!("per_{agent}_{n}");
    let acts = bus(
        app,
        "permission.asked",
        json!({"id": id, "sessionID": sid, "permission": "edit", "patterns": [format!("p/{n}.txt")],
            "metadata": {"filepath": format!("/p/{n}.txt")}, "always": ["*"],
            "tool": {"messageID": mid, "callID": format!("call_{n}")}}),
    );
    (id, acts)
}

fn once(id: &str) -> Action {
    Action::ReplyPermission {
        request_id: id.into(),
        reply: PermissionReply::Once,
        message: None,
    }
}

fn notes(app: &App) -> String {
    app.notes()
        .iter()
        .map(|n| n.text().to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn always_answers_the_server_once_and_the_client_allows_the_agents_next_edit() {
    let (mut app, rest, id) = first_edit_pending();
    let acts = app.handle_key(key(KeyCode::Char('a')));
    assert_eq!(
        acts,
        vec![once(&id)],
        "the server is told `once`, never `always`"
    );
    let (second, acts) = until_next_request(&mut app, &rest);
    assert_eq!(
        acts,
        vec![once(&second)],
        "the build agent's next edit is allowed"
    );
    assert!(app.active_request().is_none(), "and no dialog opens for it");
    let n = notes(&app);
    assert!(
        n.contains("allowed by your 'always' rule (any file edit, build agent): edit /home/dev/projecthbhzf/notes.txt"),
        "{n}"
    );
    // The same request seen again (a reconnect replays pending ones) is not answered twice.
    let again = rest
        .iter()
        .find(|e| matches!(e, Event::PermissionAsked(p) if p.id == second))
        .unwrap()
        .clone();
    assert!(app.handle_input(UiInput::Bus(again)).is_empty());
}

#[test]
fn the_plan_agent_still_asks_after_always_for_build() {
    let (mut app, _rest, _id) = first_edit_pending();
    app.handle_key(key(KeyCode::Char('a')));
    let sid = app.session_id().unwrap().to_string();
    let (plan_id, acts) = edit_request(&mut app, &sid, "plan", "1");
    assert!(acts.is_empty(), "nothing answers the plan agent: {acts:?}");
    assert_eq!(app.active_request().map(|r| r.id()), Some(plan_id.as_str()));
    // The build agent's own next edit is still allowed.
    let (build_id, acts) = edit_request(&mut app, &sid, "build", "2");
    assert_eq!(acts, vec![once(&build_id)]);
}

#[test]
fn a_subagent_of_another_agent_or_another_session_tree_still_asks() {
    let (mut app, _rest, _id) = first_edit_pending();
    app.handle_key(key(KeyCode::Char('a')));
    let sid = app.session_id().unwrap().to_string();
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_child", "parentID": sid, "title": "job (@general subagent)"}}),
    );
    let (_, acts) = edit_request(&mut app, "ses_child", "general", "1");
    assert!(acts.is_empty(), "the general subagent asks: {acts:?}");
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_other", "title": "another session"}}),
    );
    let (_, acts) = edit_request(&mut app, "ses_other", "build", "2");
    assert!(
        acts.is_empty(),
        "another session's build agent asks: {acts:?}"
    );
    // The same agent in a subagent session of this tree is covered.
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_child2", "parentID": sid, "title": "job 2"}}),
    );
    let (id, acts) = edit_request(&mut app, "ses_child2", "build", "3");
    assert_eq!(acts, vec![once(&id)]);
}

#[tokio::test(start_paused = true)]
async fn the_dialog_and_the_save_offer_say_what_always_allows_and_for_whom() {
    let (mut app, _rest, _id) = first_edit_pending();
    let screen = draw_app(&app, 100, 30);
    assert!(
        screen.contains("any file edit, by the build agent only"),
        "{screen}"
    );
    app.handle_key(key(KeyCode::Char('a')));
    tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
    let screen = draw_app(&app, 100, 30);
    for want in [
        "any file edit, for the build agent only",
        "any file edit, for every agent (plan included)",
        "s save for build",
        "g save for every agent",
    ] {
        assert!(screen.contains(want), "{want:?} missing:\n{screen}");
    }
    let acts = app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        acts,
        vec![Action::SaveAlwaysRule {
            permission: "edit".into(),
            patterns: vec!["*".into()],
            agent: Some("build".into()),
        }],
        "the default saves for the agent that asked only"
    );
}

#[tokio::test(start_paused = true)]
async fn g_saves_the_rule_for_every_agent() {
    let (mut app, _rest, _id) = first_edit_pending();
    app.handle_key(key(KeyCode::Char('a')));
    draw_app(&app, 100, 30); // the offer's first frame
    tokio::time::advance(ocw_tui::ui::overlay::guard::ARM_DELAY).await;
    let acts = app.handle_key(key(KeyCode::Char('g')));
    assert_eq!(
        acts,
        vec![Action::SaveAlwaysRule {
            permission: "edit".into(),
            patterns: vec!["*".into()],
            agent: None,
        }]
    );
}

#[test]
fn the_status_bar_waits_for_you_while_a_subagents_request_waits() {
    let (mut app, rest, _id) = first_edit_pending();
    app.handle_key(key(KeyCode::Char('y')));
    let sid = app.session_id().unwrap().to_string();
    // The turn goes on (busy), and a subagent two levels down asks.
    for e in rest.iter().take(3) {
        app.handle_input(UiInput::Bus(e.clone()));
    }
    bus(
        &mut app,
        "session.status",
        json!({"sessionID": sid, "status": {"type": "busy"}}),
    );
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_c1", "parentID": sid, "title": "job"}}),
    );
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_c2", "parentID": "ses_c1", "title": "job 2"}}),
    );
    edit_request(&mut app, "ses_c2", "general", "1");
    let bar = draw_app(&app, 100, 30);
    let last = bar.lines().last().unwrap_or_default().to_string();
    assert!(last.contains("waiting for you"), "status bar: {last}");
    assert!(!last.contains("working"), "status bar: {last}");
}

/// With the asking agent unknown there is no agent to scope the rule to: Enter saves
/// nothing, only an explicit `g` saves it for every agent.
#[test]
fn without_a_known_agent_only_g_saves_and_for_every_agent() {
    use ocw_tui::ui::overlay::save_rule::{SaveRuleOffer, SaveRuleOutcome};
    let offer = SaveRuleOffer {
        permission: "edit".into(),
        patterns: vec!["*".into()],
        file: "opencode.jsonc".into(),
        agent: None,
    };
    for k in [KeyCode::Enter, KeyCode::Char('s'), KeyCode::Char('y')] {
        assert_eq!(offer.handle_key(key(k)), SaveRuleOutcome::Nothing, "{k:?}");
    }
    assert_eq!(
        offer.handle_key(key(KeyCode::Char('g'))),
        SaveRuleOutcome::Save(None)
    );
}

#[test]
fn a_request_rings_the_terminal_and_one_a_rule_answers_does_not() {
    let opts = UiOptions {
        notify: true,
        ..UiOptions::default()
    };
    let mut app = app_from_events(&fixture_events(LOG), opts, |e| {
        matches!(e, Event::PermissionReplied { .. })
    });
    app.handle_key(key(KeyCode::Char('a')));
    let sid = app.session_id().unwrap().to_string();
    let (_, acts) = edit_request(&mut app, &sid, "plan", "1");
    assert_eq!(
        acts,
        vec![Action::Notify("opencode asks permission: edit".into())]
    );
    let (build_id, acts) = edit_request(&mut app, &sid, "build", "2");
    assert_eq!(acts, vec![once(&build_id)], "answered by the rule: no bell");
}
