//! The event pump of the session controller, shared by the TUI and `run`: it reads the
//! event stream, tells a lost stream from a dead server, and after a reconnect fetches what
//! was missed (the resync) and hands it out on the very path of streamed events. Each
//! front-end only says which sessions it follows and which events it keeps ([`Scope`]);
//! the controller logs what comes out of here before it returns it
//! (`SessionController::next`).

use crate::backend::client::Client;
use crate::backend::events::StreamItem;
use crate::backend::fetch::{self, Fetched, Why};
use crate::backend::server::Server;
use crate::model::Event;
use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinHandle;

/// What a front-end follows: the sessions a resync reloads, and what becomes of each event.
pub trait Scope {
    /// The sessions whose state a resync after a lost stream fetches again.
    fn sessions(&self) -> Vec<String>;
    /// Called once per event, streamed or fetched (`fetched`), before it is logged.
    fn admit(&mut self, _event: &Event, _fetched: bool) -> Admit {
        Admit::Log
    }
}

/// The TUI's scope: the sessions it loaded; every event is logged.
impl Scope for HashSet<String> {
    fn sessions(&self) -> Vec<String> {
        self.iter().cloned().collect()
    }
}

/// What becomes of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Logged, then handed out.
    Log,
    /// Handed out without being logged (not of the front-end's sessions).
    Pass,
    /// Neither (e.g. a resynced message that predates a `run`).
    Drop,
}

/// The state of the event stream, as the front-ends show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// The stream is (re)connected; after a loss (`reconnect`) the resync follows.
    Connected { reconnect: bool },
    /// The stream was lost and is being retried; lost for `lost_for` since it last worked.
    Reconnecting {
        attempt: u32,
        error: String,
        lost_for: Duration,
    },
    /// The stream was lost (`attempt`, `error`) because the server we spawned exited.
    ServerExited {
        attempt: u32,
        error: String,
        /// The exit status, as the OS says it.
        status: String,
        /// The last lines the server wrote on stderr.
        output: String,
    },
    /// The stream gave up for good (the server refuses us): retrying cannot help.
    StreamFailed { error: String },
}

/// One event as the controller hands it out: logged and flushed first (unless the scope
/// said [`Admit::Pass`]).
#[derive(Debug)]
pub struct Logged {
    pub event: Event,
    /// Fetched state (history, pending requests, the resync), not streamed.
    pub fetched: bool,
    /// The log could not be written.
    pub log_error: Option<String>,
    /// To say once: the log was replaced under us; an event type ocw-tui cannot answer.
    pub notices: Vec<String>,
}

/// What the controller's `next` hands out.
// An event is by far the largest variant and the most frequent: boxing it would cost an
// allocation per event for a value moved once.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Pumped {
    Event(Logged),
    Connection(Connection),
    /// A fetch of the resync failed (the rest of it still comes).
    FetchFailed(String),
}

/// One event before it is logged, or something else to hand out as it is.
pub(crate) enum Step {
    Event {
        kind: String,
        raw: String,
        event: Event,
        fetched: bool,
        log: bool,
    },
    Other(Pumped),
}

/// Fetched and not handed out yet.
#[allow(clippy::large_enum_variant)]
enum Queued {
    Failed(String),
    Fetched(Fetched),
}

type Resync = JoinHandle<(Vec<Fetched>, Vec<String>)>;

/// The stream, the resync under way, and what was fetched but not handed out yet. Every
/// `await` in [`Pump::next`] can be cancelled (it runs in `select!`) without losing
/// anything: the resync runs in a task of its own, and the queue is popped without one.
pub(crate) struct Pump {
    events: UnboundedReceiver<StreamItem>,
    resync: Option<Resync>,
    queue: VecDeque<Queued>,
    /// Since when the stream is lost (reset when it connects).
    lost_since: Option<Instant>,
}

impl Pump {
    pub(crate) fn new(events: UnboundedReceiver<StreamItem>) -> Pump {
        Pump {
            events,
            resync: None,
            queue: VecDeque::new(),
            lost_since: None,
        }
    }

    /// The next thing to hand out: the queued resync first, then the stream.
    pub(crate) async fn next<S: Scope + ?Sized>(
        &mut self,
        server: &mut Server,
        scope: &mut S,
    ) -> Option<Step> {
        loop {
            if let Some(step) = self.pop(scope) {
                return Some(step);
            }
            if let Some(task) = &mut self.resync {
                let done = task.await;
                self.resync = None;
                match done {
                    Ok((fetched, errors)) => self.queue(fetched, errors),
                    Err(e) => self.queue.push_back(Queued::Failed(format!("resync: {e}"))),
                }
                continue;
            }
            let item = self.events.recv().await?;
            if let Some(step) = self.on_item(item, server, scope) {
                return Some(step);
            }
        }
    }

    /// What is queued or already received, without waiting (the end of a `run`).
    pub(crate) fn drain<S: Scope + ?Sized>(
        &mut self,
        server: &mut Server,
        scope: &mut S,
    ) -> Vec<Step> {
        let mut out = Vec::new();
        while let Some(step) = self.pop(scope) {
            out.push(step);
        }
        while let Ok(item) = self.events.try_recv() {
            if let StreamItem::Event { .. } = item {
                out.extend(self.on_item(item, server, scope));
            }
        }
        out
    }

    /// Fetched state loaded by the front-end (a session's history, pending requests), on
    /// the path of streamed events.
    pub(crate) fn fetched<S: Scope + ?Sized>(
        &mut self,
        fetched: Fetched,
        scope: &mut S,
    ) -> Option<Step> {
        admit(fetched.kind, fetched.raw, fetched.event, true, scope)
    }

    /// A new stream (the server was restarted): nothing of the old one is handed out.
    pub(crate) fn reset(&mut self, events: UnboundedReceiver<StreamItem>) {
        if let Some(task) = self.resync.take() {
            task.abort();
        }
        *self = Pump::new(events);
    }

    fn queue(&mut self, fetched: Vec<Fetched>, errors: Vec<String>) {
        self.queue.extend(errors.into_iter().map(Queued::Failed));
        self.queue.extend(fetched.into_iter().map(Queued::Fetched));
    }

    fn pop<S: Scope + ?Sized>(&mut self, scope: &mut S) -> Option<Step> {
        while let Some(q) = self.queue.pop_front() {
            match q {
                Queued::Failed(e) => return Some(Step::Other(Pumped::FetchFailed(e))),
                Queued::Fetched(f) => {
                    if let Some(step) = self.fetched(f, scope) {
                        return Some(step);
                    }
                }
            }
        }
        None
    }

    fn on_item<S: Scope + ?Sized>(
        &mut self,
        item: StreamItem,
        server: &mut Server,
        scope: &mut S,
    ) -> Option<Step> {
        let state = match item {
            StreamItem::Event { raw, kind, event } => {
                return admit(kind, raw, *event, false, scope);
            }
            StreamItem::Connected { reconnect } => {
                self.lost_since = None;
                if reconnect {
                    let client = server.client.clone();
                    let sessions = scope.sessions();
                    self.resync = Some(tokio::spawn(async move {
                        fetch_state(&client, Why::Resync, &sessions).await
                    }));
                }
                Connection::Connected { reconnect }
            }
            StreamItem::Lost { attempt, error } => match server.try_exited() {
                Some(status) => Connection::ServerExited {
                    attempt,
                    error,
                    status,
                    output: server.stderr_tail(),
                },
                None => Connection::Reconnecting {
                    attempt,
                    error,
                    lost_for: self.lost_since.get_or_insert_with(Instant::now).elapsed(),
                },
            },
            StreamItem::Fatal(error) => Connection::StreamFailed { error },
        };
        Some(Step::Other(Pumped::Connection(state)))
    }
}

fn admit<S: Scope + ?Sized>(
    kind: String,
    raw: String,
    event: Event,
    fetched: bool,
    scope: &mut S,
) -> Option<Step> {
    let log = match scope.admit(&event, fetched) {
        Admit::Drop => return None,
        Admit::Log => true,
        Admit::Pass => false,
    };
    Some(Step::Event {
        kind,
        raw,
        event,
        fetched,
        log,
    })
}

/// After a lost stream (`Why::Resync`) or a restarted server (`Why::Load`): what the
/// server holds now for `sessions`, as events (the messages, upserted by id: nothing
/// shows twice; pending requests; then the statuses, so an idle comes after the
/// answer), with the errors to show.
pub(crate) async fn fetch_state(
    client: &Client,
    why: Why,
    sessions: &[String],
) -> (Vec<Fetched>, Vec<String>) {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    tracing::info!(sessions = sessions.len(), ?why, "fetching state");
    for id in sessions {
        match fetch::messages(client, why, id, None).await {
            Ok(evs) => out.extend(evs),
            Err(e) => errors.push(format!("cannot reload session {id}: {e}")),
        }
    }
    match fetch::pending(client, why).await {
        Ok(evs) => out.extend(evs),
        Err(e) => errors.push(format!("cannot fetch pending requests: {e}")),
    }
    match fetch::statuses(client, why, sessions).await {
        Ok(evs) => out.extend(evs),
        Err(e) => errors.push(format!("cannot fetch session statuses: {e}")),
    }
    for e in &errors {
        tracing::warn!("{e}");
    }
    (out, errors)
}

#[cfg(test)]
mod tests;
