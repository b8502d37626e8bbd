//! State fetched over HTTP, turned into the same events the stream would have carried (at
//! start-up, after a server restart, and to resynchronise after the event stream was lost:
//! whatever the server sent while we were away is gone): `message.updated` + `message.part.updated` for every message of the
//! sessions we show (the reducer upserts by id, so nothing shows twice), `session.status`
//! for each of them (a turn that ended while we were away ends), and `permission.asked` /
//! `question.asked` for every pending request (one asked while we were away still gets its
//! answer or its dialog). Each event carries its raw JSON, marked `"ocw_fetched": true`
//! (and `"ocw_resync": true` when fetched after a lost stream), so the log stays complete
//! and replays to the same state; other readers ignore both keys.

use super::client::{Client, ClientError};
use crate::model::event::SessionInfo;
use crate::model::Event;
use serde_json::{json, Value};

/// Why state was fetched: marks the logged line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Loading a session or pending requests (start-up, switch, restart).
    Load,
    /// Catching up after the event stream was lost.
    Resync,
}

/// One event made from fetched state: its raw JSON (for the log), type and parsed form.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub raw: String,
    pub kind: String,
    pub event: Event,
}

impl Fetched {
    fn new(why: Why, kind: &str, properties: Value) -> Fetched {
        let mut line = json!({"type": kind, "properties": properties, "ocw_fetched": true});
        if why == Why::Resync {
            line["ocw_resync"] = json!(true);
        }
        let raw = line.to_string();
        let event = Event::parse(&raw).unwrap_or_else(|_| Event::Other {
            kind: kind.to_string(),
            session_id: None,
            properties: Value::Null,
        });
        Fetched {
            raw,
            kind: kind.to_string(),
            event,
        }
    }
}

/// The history of one session as events (`limit`: only the newest messages).
pub async fn messages(
    client: &Client,
    why: Why,
    session_id: &str,
    limit: Option<usize>,
) -> Result<Vec<Fetched>, ClientError> {
    let list = client.messages_raw(session_id, limit).await?;
    Ok(messages_from(why, session_id, list))
}

/// The plain text of every message of a session (the search across sessions): the
/// history reduced as the stream's events would be, not logged (nothing is shown from it).
pub async fn message_texts(
    client: &Client,
    session_id: &str,
) -> Result<Vec<crate::model::session_text::MessageText>, ClientError> {
    let list = client.messages_raw(session_id, None).await?;
    let mut store = crate::model::state::Store::new();
    for f in messages_from(Why::Load, session_id, list) {
        store.apply_fetched(&f.event);
    }
    let texts = store.session(session_id).map(|s| {
        s.messages
            .iter()
            .map(|m| crate::model::session_text::MessageText {
                id: m.id.clone(),
                role: m.role,
                text: m.text(),
            })
            .collect()
    });
    Ok(texts.unwrap_or_default())
}

/// A session's info as `session.updated`.
pub async fn session(client: &Client, why: Why, session_id: &str) -> Result<Fetched, ClientError> {
    let info = client.session_raw(session_id).await?;
    Ok(Fetched::new(why, "session.updated", json!({"info": info})))
}

/// `GET /session/{id}/message` entries (`{info, parts}`) as events.
pub fn messages_from(why: Why, session_id: &str, list: Vec<Value>) -> Vec<Fetched> {
    let mut out = Vec::new();
    for mut m in list {
        let info = m.get_mut("info").map(Value::take).unwrap_or(Value::Null);
        if !info.is_object() {
            continue;
        }
        out.push(Fetched::new(
            why,
            "message.updated",
            json!({"sessionID": session_id, "info": info}),
        ));
        if let Some(Value::Array(parts)) = m.get_mut("parts").map(Value::take) {
            for part in parts.into_iter().filter(Value::is_object) {
                out.push(Fetched::new(
                    why,
                    "message.part.updated",
                    json!({"sessionID": session_id, "part": part}),
                ));
            }
        }
    }
    out
}

/// `session.status` of each of `sessions` (idle when the server lists no status for it).
pub async fn statuses(
    client: &Client,
    why: Why,
    sessions: &[String],
) -> Result<Vec<Fetched>, ClientError> {
    let map = client.session_statuses().await?;
    Ok(sessions
        .iter()
        .map(|id| {
            let status = map
                .get(id)
                .filter(|s| s.get("type").is_some_and(Value::is_string))
                .cloned()
                .unwrap_or_else(|| json!({"type": "idle"}));
            Fetched::new(
                why,
                "session.status",
                json!({"sessionID": id, "status": status}),
            )
        })
        .collect())
}

/// Every request pending on the server (of any session: the caller filters).
pub async fn pending(client: &Client, why: Why) -> Result<Vec<Fetched>, ClientError> {
    let perms: Vec<Value> = client.pending_permissions_raw().await?;
    let questions: Vec<Value> = client.pending_questions_raw().await?;
    Ok(perms
        .into_iter()
        .map(|p| Fetched::new(why, "permission.asked", p))
        .chain(
            questions
                .into_iter()
                .map(|q| Fetched::new(why, "question.asked", q)),
        )
        .collect())
}

/// What seeds the session list's marks (sessions already working or waiting before we
/// started, or while we did not watch them): `session.status` of each listed top-level
/// session `GET /session/status` names (busy, retry), and `session.updated` (its info,
/// `GET /session/{id}`) of each listed child session that is working or has a request
/// pending, so its parent is marked (a waiting subagent marks its parent "waiting") and the
/// child is no row of its own. The pending requests themselves come from [`pending`].
pub async fn list_marks(
    client: &Client,
    why: Why,
    listed: &[SessionInfo],
) -> Result<Vec<Fetched>, ClientError> {
    let statuses = client.session_statuses().await?;
    // (Only to find waiting subagents: a server without these lists still gets its marks.)
    let perms: Vec<Value> = client.pending_permissions_raw().await.unwrap_or_default();
    let questions: Vec<Value> = client.pending_questions_raw().await.unwrap_or_default();
    let asking: Vec<&str> = perms
        .iter()
        .chain(&questions)
        .filter_map(|r| r.get("sessionID").and_then(Value::as_str))
        .collect();
    let mut out = Vec::new();
    for child in listed_children(listed, &statuses, &asking) {
        out.push(session(client, why, child).await?);
    }
    out.extend(listed_statuses(why, listed, &statuses));
    Ok(out)
}

/// The listed child sessions that `statuses` or `asking` (sessions with a pending request)
/// name, each once.
pub fn listed_children<'a>(
    listed: &'a [SessionInfo],
    statuses: &serde_json::Map<String, Value>,
    asking: &[&str],
) -> Vec<&'a str> {
    let mut out: Vec<&str> = listed
        .iter()
        .filter(|s| s.parent_id.is_some())
        .map(|s| s.id.as_str())
        .filter(|id| statuses.contains_key(*id) || asking.contains(id))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `session.status` of each listed top-level session `statuses` (`GET /session/status`:
/// only the sessions not idle) names, in the listing's order.
pub fn listed_statuses(
    why: Why,
    listed: &[SessionInfo],
    statuses: &serde_json::Map<String, Value>,
) -> Vec<Fetched> {
    // Only the few sessions the map names are looked at twice (a listing may be 100,000).
    let mut seen: Vec<&str> = Vec::new();
    listed
        .iter()
        .filter(|s| s.parent_id.is_none())
        .filter_map(|s| {
            let status = statuses
                .get(&s.id)
                .filter(|st| st.get("type").is_some_and(Value::is_string))?;
            if seen.contains(&s.id.as_str()) {
                return None;
            }
            seen.push(&s.id);
            Some(Fetched::new(
                why,
                "session.status",
                json!({"sessionID": s.id, "status": status}),
            ))
        })
        .collect()
}

/// A session's todo list (`GET /session/{id}/todo`) as `todo.updated`.
pub async fn todos(client: &Client, why: Why, session_id: &str) -> Result<Fetched, ClientError> {
    let todos = client.todos_raw(session_id).await?;
    Ok(Fetched::new(
        why,
        "todo.updated",
        json!({"sessionID": session_id, "todos": todos}),
    ))
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
        let evs = messages_from(Why::Resync, "ses_1", list);
        assert_eq!(evs.len(), 2);
        assert!(matches!(evs[0].event, Event::MessageUpdated(_)));
        assert!(matches!(evs[1].event, Event::PartUpdated(_)));
        assert!(evs[1].raw.contains("\"ocw_resync\":true"));
        assert!(evs[1].raw.contains("\"ocw_fetched\":true"));
    }

    #[test]
    fn applying_history_twice_shows_nothing_twice() {
        let list = vec![json!({
            "info": {"id": "msg_1", "sessionID": "ses_1", "role": "assistant", "time": {"created": 1}},
            "parts": [{"id": "prt_1", "sessionID": "ses_1", "messageID": "msg_1", "type": "text", "text": "hello"}]
        })];
        let mut store = crate::model::Store::new();
        for _ in 0..2 {
            for s in messages_from(Why::Load, "ses_1", list.clone()) {
                store.apply(&s.event);
            }
        }
        let s = store.session("ses_1").unwrap();
        assert_eq!(s.assistant_messages().count(), 1);
        assert_eq!(s.final_text(), "hello");
    }
}
