//! The session list's marks seeded from fetched state (issue 18): sessions already working
//! before ocw-tui started (`GET /session/status`) are marked `●`, and a subagent waiting
//! for an answer (a pending request fetched at start) marks its parent `?` once the
//! child's info is fetched, instead of showing as a row of its own.

use crate::support::{bus, session_app};
use ocw_tui::backend::fetch::{listed_children, listed_statuses, Why};
use ocw_tui::model::event::{SessionInfo, SessionTime};
use ocw_tui::ui::testing::{ctrl, draw_app};
use ocw_tui::ui::UiInput;
use serde_json::json;

const NOW: u64 = 1_796_589_076_323;

fn listed(id: &str, title: &str, parent: Option<&str>) -> SessionInfo {
    SessionInfo {
        id: id.into(),
        title: Some(title.into()),
        parent_id: parent.map(str::to_string),
        time: Some(SessionTime {
            created: (NOW - 60_000) as f64,
            updated: (NOW - 60_000) as f64,
        }),
        ..Default::default()
    }
}

fn row<'a>(screen: &'a str, title: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(title))
        .unwrap_or_else(|| panic!("no row {title}:\n{screen}"))
}

#[test]
fn statuses_and_pending_requests_fetched_at_start_mark_the_listed_sessions() {
    let mut app = session_app("ses_cur", NOW);
    let listing = vec![
        listed("ses_cur", "This one", None),
        listed("ses_busy", "Busy elsewhere", None),
        listed("ses_ask", "Asks via a subagent", None),
        listed("ses_kid", "the subagent", Some("ses_ask")),
        listed("ses_idle", "Quiet", None),
    ];
    app.handle_input(UiInput::Sessions(listing.clone()));
    // Pending at start (`GET /permission`): the subagent's request.
    bus(
        &mut app,
        "permission.asked",
        json!({"id": "per_1", "sessionID": "ses_kid", "permission": "bash",
            "patterns": ["ls"], "metadata": {}, "always": [], "tool": {"messageID": "msg_k", "callID": "call_1"}}),
    );
    // `GET /session/status`: only the sessions not idle.
    let statuses = json!({"ses_busy": {"type": "busy"}, "ses_ask": {"type": "busy"},
        "ses_kid": {"type": "retry", "attempt": 1, "message": "overloaded", "next": NOW}});
    let statuses = statuses.as_object().unwrap().clone();
    // The child is named once (its info is fetched), the top-level statuses in order.
    assert_eq!(
        listed_children(&listing, &statuses, &["ses_kid"]),
        vec!["ses_kid"]
    );
    bus(
        &mut app,
        "session.updated",
        json!({"info": {"id": "ses_kid", "parentID": "ses_ask", "title": "the subagent",
            "directory": "/p", "projectID": "x", "version": "1",
            "time": {"created": NOW - 60_000, "updated": NOW - 60_000}}}),
    );
    let seeded = listed_statuses(Why::Load, &listing, &statuses);
    let ids: Vec<&str> = seeded
        .iter()
        .map(|f| f.event.session_id().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["ses_busy", "ses_ask"], "top-level, listed, not idle");
    assert!(seeded
        .iter()
        .all(|f| f.raw.contains("\"ocw_fetched\":true")));
    for f in seeded {
        app.handle_input(UiInput::Bus(f.event));
    }
    app.handle_key(ctrl('s'));
    let screen = draw_app(&app, 100, 16);
    assert!(
        row(&screen, "Busy elsewhere").contains("● Busy"),
        "{screen}"
    );
    assert!(row(&screen, "Asks via").contains("? Asks"), "{screen}");
    assert!(row(&screen, "Quiet").contains("  Quiet"), "{screen}");
    // (The subagent's permission dialog stands beside the list: look at the list only.)
    let list: String = screen
        .lines()
        .map(|l| l.chars().take(34).collect::<String>() + "\n")
        .collect();
    assert!(
        !list.contains("the subagent") && !list.contains("ses_kid"),
        "the child is no row of its own: {screen}"
    );
}
