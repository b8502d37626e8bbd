//! Resynchronising after the event stream was lost: whatever the server sent while we were
//! away is gone, so the state is fetched again and turned into the same events the stream
//! would have carried: `message.updated` + `message.part.updated` for every message of the
//! sessions we show (the reducer upserts by id, so nothing shows twice), `session.status`
//! for each of them (a turn that ended while we were away ends), and `permission.asked` /
//! `question.asked` for every pending request (one asked while we were away still gets its
//! answer or its dialog). Each event carries its raw JSON, marked `"ocw_resync": true`, so
//! the log stays complete and replays to the same state.

use super::client::{Client, ClientError};
use crate::model::Event;
use serde_json::{json, Value};

/// One event made from fetched state: its raw JSON (for the log), type and parsed form.
#[derive(Debug, Clone)]
pub struct Synthetic {
    pub raw: String,
    pub kind: String,
    pub event: Event,
}

impl Synthetic {
    fn new(kind: &str, properties: Value) -> Synthetic {
        let raw = json!({"type": kind, "properties": properties, "ocw_resync": true}).to_string();
        let event = Event::parse(&raw).unwrap_or_else(|_| Event::Other {
            kind: kind.to_string(),
            session_id: None,
            properties: Value::Null,
        });
        Synthetic {
            raw,
            kind: kind.to_string(),
            event,
        }
    }
}

/// The whole history of one session as events.
pub async fn messages(client: &Client, session_id: &str) -> Result<Vec<Synthetic>, ClientError> {
    let list = client.messages_raw(session_id).await?;
    Ok(messages_from(session_id, list))
}

/// `GET /session/{id}/message` entries (`{info, parts}`) as events.
pub fn messages_from(session_id: &str, list: Vec<Value>) -> Vec<Synthetic> {
    let mut out = Vec::new();
    for mut m in list {
        let info = m.get_mut("info").map(Value::take).unwrap_or(Value::Null);
        if !info.is_object() {
            continue;
        }
        out.push(Synthetic::new(
            "message.updated",
            json!({"sessionID": session_id, "info": info}),
        ));
        if let Some(Value::Array(parts)) = m.get_mut("parts").map(Value::take) {
            for part in parts.into_iter().filter(Value::is_object) {
                out.push(Synthetic::new(
                    "message.part.updated",
                    json!({"sessionID": session_id, "part": part}),
                ));
            }
        }
    }
    out
}

/// `session.status` of each of `sessions` (idle when the server lists no status for it).
pub async fn statuses(client: &Client, sessions: &[String]) -> Result<Vec<Synthetic>, ClientError> {
    let map = client.session_statuses().await?;
    Ok(sessions
        .iter()
        .map(|id| {
            let status = map
                .get(id)
                .filter(|s| s.get("type").is_some_and(Value::is_string))
                .cloned()
                .unwrap_or_else(|| json!({"type": "idle"}));
            Synthetic::new("session.status", json!({"sessionID": id, "status": status}))
        })
        .collect())
}

/// Every request pending on the server (of any session: the caller filters).
pub async fn pending(client: &Client) -> Result<Vec<Synthetic>, ClientError> {
    let perms: Vec<Value> = client.pending_permissions_raw().await?;
    let questions: Vec<Value> = client.pending_questions_raw().await?;
    Ok(perms
        .into_iter()
        .map(|p| Synthetic::new("permission.asked", p))
        .chain(
            questions
                .into_iter()
                .map(|q| Synthetic::new("question.asked", q)),
        )
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_becomes_message_and_part_events() {
        let list = vec![json!({
            "info": {"id": "msg_1", "sessionID": "ses_1", "role": "assistant", "time": {"created": 1}},
            "parts": [{"id": "prt_1", "sessionID": "ses_1", "messageID": "msg_1", "type": "text", "text": "hi"}]
        })];
        let evs = messages_from("ses_1", list);
        assert_eq!(evs.len(), 2);
        assert!(matches!(evs[0].event, Event::MessageUpdated(_)));
        assert!(matches!(evs[1].event, Event::PartUpdated(_)));
        assert!(evs[1].raw.contains("\"ocw_resync\":true"));
    }

    #[test]
    fn applying_history_twice_shows_nothing_twice() {
        let list = vec![json!({
            "info": {"id": "msg_1", "sessionID": "ses_1", "role": "assistant", "time": {"created": 1}},
            "parts": [{"id": "prt_1", "sessionID": "ses_1", "messageID": "msg_1", "type": "text", "text": "hello"}]
        })];
        let mut store = crate::model::Store::new();
        for _ in 0..2 {
            for s in messages_from("ses_1", list.clone()) {
                store.apply(&s.event);
            }
        }
        let s = store.session("ses_1").unwrap();
        assert_eq!(s.assistant_messages().count(), 1);
        assert_eq!(s.final_text(), "hello");
    }
}
