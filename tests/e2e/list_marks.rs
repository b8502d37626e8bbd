//! End-to-end test of the session list's live marks for sessions already busy before
//! ocw-tui started (issue 18): a second client (plain HTTP) sets a session working with a
//! slow scripted answer, ocw-tui attaches afterwards, and the list (Ctrl+S) marks that
//! session working (`●`) from `GET /session/status`, and one whose permission is pending
//! (`GET /permission`) waiting for you (`?`); the log holds the fetched status.

use crate::support;

use serde_json::json;
use support::{log_events, Api, MockModel, Tmux, Workspace};

const PASSWORD: &str = "list-marks-password";

#[test]
fn a_session_busy_in_another_client_before_we_attached_is_marked_working() {
    let mock = MockModel::start_blocking(0);
    let ws = Workspace::new(&mock);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (api, busy) = rt.block_on(async {
        let mut api = Api::start(&ws, Some(PASSWORD)).await;
        let info = api
            .post("/session", json!({"title": "Busy elsewhere"}))
            .await;
        let id = info["id"].as_str().expect("session id").to_string();
        api.prompt(&id, "slowly\nslow: 1000\nwords: 300").await;
        api.wait_for("the slow answer to stream", |e| {
            e["type"] == "message.part.delta" && e["properties"]["sessionID"] == id.as_str()
        })
        .await;
        // A second session waits for a permission (bash asks) nobody has answered yet.
        let info = api
            .post("/session", json!({"title": "Waits elsewhere"}))
            .await;
        let waiting = info["id"].as_str().expect("session id").to_string();
        api.prompt(&waiting, "please run\nbash: echo hi").await;
        api.wait_for("the permission to be asked", |e| {
            e["type"] == "permission.asked" && e["properties"]["sessionID"] == waiting.as_str()
        })
        .await;
        (api, id)
    });
    let log = ws.root().join("marks.jsonl");
    let t = Tmux::start(
        &ws,
        &[
            "--log",
            log.to_str().unwrap(),
            "--attach",
            api.server.url(),
            "--password",
            PASSWORD,
        ],
    );
    t.wait_text("ready", 60);
    t.send_keys(&["C-s"]);
    let screen = t.wait_for("the busy and the waiting sessions marked", 30, |s| {
        s.contains("● Busy elsewhere") && s.contains("? Waits elsewhere")
    });
    assert!(screen.contains("Sessions"), "{screen}");
    // The mark came through the log (a replay shows it too).
    let fetched = log_events(&log).into_iter().any(|e| {
        e["type"] == "session.status"
            && e["ocw_fetched"] == true
            && e["properties"]["sessionID"] == busy.as_str()
            && e["properties"]["status"]["type"] == "busy"
    });
    assert!(fetched, "the fetched status is in the log");
    t.send_keys(&["Escape"]);
    t.send_keys(&["C-d"]);
    assert_eq!(t.exit_status(20), 0);
    drop(api);
}
