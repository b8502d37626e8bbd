//! Typed events of the `opencode serve` event bus (`GET /event`).
//!
//! Parsing never fails on shape drift: an event whose type we do not know, or whose
//! properties do not match what we expect, becomes [`Event::Other`] with its raw
//! properties kept. Only a line that is not a JSON object with a string `type` is an error.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;

pub use super::wire::*;

/// One event of the bus.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    ServerConnected,
    Heartbeat,
    SessionCreated(SessionInfo),
    SessionUpdated(SessionInfo),
    SessionDeleted(SessionInfo),
    MessageUpdated(MessageInfo),
    MessageRemoved {
        session_id: String,
        message_id: String,
    },
    PartUpdated(PartInfo),
    PartDelta {
        session_id: String,
        message_id: String,
        part_id: String,
        field: String,
        delta: String,
    },
    PartRemoved {
        session_id: String,
        message_id: String,
        part_id: String,
    },
    Status {
        session_id: String,
        status: SessionStatus,
    },
    Idle {
        session_id: String,
    },
    SessionError {
        session_id: Option<String>,
        error: ErrorInfo,
    },
    PermissionAsked(PermissionRequest),
    PermissionReplied {
        session_id: String,
        request_id: String,
        reply: String,
    },
    QuestionAsked(QuestionRequest),
    QuestionReplied {
        session_id: String,
        request_id: String,
        answers: Vec<Vec<String>>,
    },
    QuestionRejected {
        session_id: String,
        request_id: String,
    },
    TodoUpdated {
        session_id: String,
        todos: Vec<Todo>,
    },
    /// Any other event (or a known one whose shape surprised us), kept raw.
    Other {
        kind: String,
        session_id: Option<String>,
        properties: Value,
    },
}

/// Why a line could not be read as an event at all.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("not a JSON object with a string \"type\": {0}")]
    NotAnEvent(#[from] serde_json::Error),
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    properties: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct SessionProps {
    info: SessionInfo,
}
#[derive(Deserialize)]
struct MessageProps {
    #[serde(default, rename = "sessionID")]
    session_id: Option<String>,
    info: MessageInfo,
}
#[derive(Deserialize)]
struct PartProps {
    #[serde(default, rename = "sessionID")]
    session_id: Option<String>,
    part: PartInfo,
}
#[derive(Deserialize)]
struct DeltaProps {
    #[serde(rename = "sessionID")]
    session_id: String,
    #[serde(rename = "messageID")]
    message_id: String,
    #[serde(rename = "partID")]
    part_id: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    delta: String,
}
#[derive(Deserialize)]
struct DeltaLine<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    properties: DeltaProps,
    #[serde(default)]
    ocw_time: Option<f64>,
}
#[derive(Deserialize)]
struct RemovedProps {
    #[serde(rename = "sessionID")]
    session_id: String,
    #[serde(rename = "messageID")]
    message_id: String,
    #[serde(default, rename = "partID")]
    part_id: String,
}
#[derive(Deserialize)]
struct StatusProps {
    #[serde(rename = "sessionID")]
    session_id: String,
    status: StatusBody,
}
#[derive(Deserialize)]
struct StatusBody {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    attempt: u64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    next: Option<f64>,
}
#[derive(Deserialize)]
struct SessionIdProps {
    #[serde(rename = "sessionID")]
    session_id: String,
}
#[derive(Deserialize)]
struct ErrorProps {
    #[serde(default, rename = "sessionID")]
    session_id: Option<String>,
    #[serde(default)]
    error: ErrorInfo,
}
#[derive(Deserialize)]
struct RepliedProps {
    #[serde(rename = "sessionID")]
    session_id: String,
    #[serde(rename = "requestID")]
    request_id: String,
    #[serde(default)]
    reply: String,
    #[serde(default)]
    answers: Vec<Vec<String>>,
}
#[derive(Deserialize)]
struct TodoProps {
    #[serde(rename = "sessionID")]
    session_id: String,
    #[serde(default)]
    todos: Vec<Todo>,
}

impl Event {
    /// Parses one event object (a `data:` payload of `/event`, or one log line).
    pub fn parse(json: &str) -> Result<Event, ParseError> {
        if let Some((event, _)) = Self::parse_delta(json) {
            return Ok(event);
        }
        let env: Envelope = serde_json::from_str(json)?;
        let props = env.properties.map(RawValue::get).unwrap_or("{}");
        Ok(Self::from_parts(&env.kind, props))
    }

    /// The fast path for the most common line by far (a streamed text delta): one pass,
    /// no intermediate raw value. Returns the event and its `ocw_time`, or `None` when the
    /// line is not a well-formed delta (the general path then decides).
    pub fn parse_delta(json: &str) -> Option<(Event, Option<f64>)> {
        const TAG: &[u8] = b"\"message.part.delta\"";
        let head = &json.as_bytes()[..json.len().min(128)];
        if !head.windows(TAG.len()).any(|w| w == TAG) {
            return None;
        }
        let line: DeltaLine = serde_json::from_str(json).ok()?;
        if line.kind != "message.part.delta" {
            return None;
        }
        let p = line.properties;
        let event = Event::PartDelta {
            session_id: p.session_id,
            message_id: p.message_id,
            part_id: p.part_id,
            field: p.field,
            delta: p.delta,
        };
        Some((event, line.ocw_time))
    }

    /// Builds an event from its type and the raw JSON of its `properties`.
    pub fn from_parts(kind: &str, props: &str) -> Event {
        fn typed<'a, T: Deserialize<'a>>(props: &'a str) -> Option<T> {
            serde_json::from_str(props).ok()
        }
        let parsed = match kind {
            "server.connected" => Some(Event::ServerConnected),
            "server.heartbeat" => Some(Event::Heartbeat),
            "session.created" => {
                typed::<SessionProps>(props).map(|p| Event::SessionCreated(p.info))
            }
            "session.updated" => {
                typed::<SessionProps>(props).map(|p| Event::SessionUpdated(p.info))
            }
            "session.deleted" => {
                typed::<SessionProps>(props).map(|p| Event::SessionDeleted(p.info))
            }
            "message.updated" => typed::<MessageProps>(props).map(|mut p| {
                if p.info.session_id.is_none() {
                    p.info.session_id = p.session_id;
                }
                Event::MessageUpdated(p.info)
            }),
            "message.removed" => typed::<RemovedProps>(props).map(|p| Event::MessageRemoved {
                session_id: p.session_id,
                message_id: p.message_id,
            }),
            "message.part.updated" => typed::<PartProps>(props).map(|mut p| {
                if p.part.session_id.is_empty() {
                    p.part.session_id = p.session_id.unwrap_or_default();
                }
                Event::PartUpdated(p.part)
            }),
            "message.part.delta" => typed::<DeltaProps>(props).map(|p| Event::PartDelta {
                session_id: p.session_id,
                message_id: p.message_id,
                part_id: p.part_id,
                field: p.field,
                delta: p.delta,
            }),
            "message.part.removed" => typed::<RemovedProps>(props).map(|p| Event::PartRemoved {
                session_id: p.session_id,
                message_id: p.message_id,
                part_id: p.part_id,
            }),
            "session.status" => typed::<StatusProps>(props).map(|p| Event::Status {
                session_id: p.session_id,
                status: match p.status.kind.as_str() {
                    "busy" => SessionStatus::Busy,
                    "retry" => SessionStatus::Retry {
                        attempt: p.status.attempt,
                        message: p.status.message,
                        next: p.status.next,
                    },
                    _ => SessionStatus::Idle,
                },
            }),
            "session.idle" => typed::<SessionIdProps>(props).map(|p| Event::Idle {
                session_id: p.session_id,
            }),
            "session.error" => typed::<ErrorProps>(props).map(|p| Event::SessionError {
                session_id: p.session_id,
                error: p.error,
            }),
            "permission.asked" => typed::<PermissionRequest>(props).map(Event::PermissionAsked),
            "permission.replied" => {
                typed::<RepliedProps>(props).map(|p| Event::PermissionReplied {
                    session_id: p.session_id,
                    request_id: p.request_id,
                    reply: p.reply,
                })
            }
            "question.asked" => typed::<QuestionRequest>(props).map(Event::QuestionAsked),
            "question.replied" => typed::<RepliedProps>(props).map(|p| Event::QuestionReplied {
                session_id: p.session_id,
                request_id: p.request_id,
                answers: p.answers,
            }),
            "question.rejected" => typed::<RepliedProps>(props).map(|p| Event::QuestionRejected {
                session_id: p.session_id,
                request_id: p.request_id,
            }),
            "todo.updated" => typed::<TodoProps>(props).map(|p| Event::TodoUpdated {
                session_id: p.session_id,
                todos: p.todos,
            }),
            _ => None,
        };
        parsed.unwrap_or_else(|| {
            let properties: Value = serde_json::from_str(props).unwrap_or(Value::Null);
            let session_id = session_id_of(&properties);
            Event::Other {
                kind: kind.to_string(),
                session_id,
                properties,
            }
        })
    }

    /// The session this event belongs to, if any.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Event::ServerConnected | Event::Heartbeat => None,
            Event::SessionCreated(i) | Event::SessionUpdated(i) | Event::SessionDeleted(i) => {
                Some(&i.id)
            }
            Event::MessageUpdated(m) => m.session_id.as_deref(),
            Event::PartUpdated(p) => Some(&p.session_id),
            Event::PermissionAsked(p) => Some(&p.session_id),
            Event::QuestionAsked(q) => Some(&q.session_id),
            Event::SessionError { session_id, .. } | Event::Other { session_id, .. } => {
                session_id.as_deref()
            }
            Event::MessageRemoved { session_id, .. }
            | Event::PartDelta { session_id, .. }
            | Event::PartRemoved { session_id, .. }
            | Event::Status { session_id, .. }
            | Event::Idle { session_id }
            | Event::PermissionReplied { session_id, .. }
            | Event::QuestionReplied { session_id, .. }
            | Event::QuestionRejected { session_id, .. }
            | Event::TodoUpdated { session_id, .. } => Some(session_id),
        }
    }
}

/// Finds the session id in raw properties: `sessionID`, `part.sessionID` or `info.sessionID`.
pub fn session_id_of(props: &Value) -> Option<String> {
    let direct = props.get("sessionID").and_then(Value::as_str);
    direct
        .or_else(|| props.pointer("/part/sessionID").and_then(Value::as_str))
        .or_else(|| props.pointer("/info/sessionID").and_then(Value::as_str))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delta_parses_with_its_ids() {
        let e = Event::parse(r#"{"id":"evt_1","type":"message.part.delta","properties":{"sessionID":"ses_a","messageID":"msg_b","partID":"prt_c","field":"text","delta":"hi"}}"#).unwrap();
        assert_eq!(
            e,
            Event::PartDelta {
                session_id: "ses_a".into(),
                message_id: "msg_b".into(),
                part_id: "prt_c".into(),
                field: "text".into(),
                delta: "hi".into()
            }
        );
    }

    #[test]
    fn unknown_type_is_kept_raw_with_its_session() {
        let e = Event::parse(r#"{"type":"brand.new","properties":{"sessionID":"ses_x","n":1}}"#)
            .unwrap();
        match e {
            Event::Other {
                kind,
                session_id,
                properties,
            } => {
                assert_eq!(kind, "brand.new");
                assert_eq!(session_id.as_deref(), Some("ses_x"));
                assert_eq!(properties["n"], 1);
            }
            other => panic!("expected Other, got {other:?}"),
        }
    }

    #[test]
    fn known_type_with_surprising_shape_is_kept_raw() {
        let e = Event::parse(r#"{"type":"permission.asked","properties":{"nope":true}}"#).unwrap();
        assert!(matches!(e, Event::Other { .. }));
    }

    #[test]
    fn non_objects_are_errors() {
        assert!(Event::parse("[1,2]").is_err());
        assert!(Event::parse("garbage").is_err());
        assert!(Event::parse(r#"{"type":1}"#).is_err());
    }
}
