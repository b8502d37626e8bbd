//! Headless `ocw-tui run`: one turn per message on one session, requests answered by
//! policy (through the same handler interface the TUI uses), the final text or the summary
//! JSON printed at the end. Exit 0 on success, 1 when a turn fails or times out, 130/143/129
//! when interrupted (the running turn is aborted first).

use crate::backend::answer::{Decision, Delivery, Responder};
use crate::backend::resync;
use crate::backend::stream::StreamItem;
use crate::backend::Client;
use crate::cli::RunArgs;
use crate::live::Live;
use crate::log::now_ms;
use crate::model::event::SessionStatus;
use crate::model::state::Role;
use crate::model::{Event, Store, Summary};
use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::Arc;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc::unbounded_channel;

/// How a turn ended.
#[derive(Debug, PartialEq)]
enum TurnEnd {
    Done,
    Failed(String),
    TimedOut,
    Interrupted(u8),
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(run_async(args))
}

fn note(msg: &str) {
    // Notes quote server and provider messages: cleaned on a terminal.
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprintln!("ocw-tui: {}", crate::safe_text::for_output(msg, tty));
}

async fn run_async(args: RunArgs) -> anyhow::Result<ExitCode> {
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    // A signal while the server starts stops it (dropping the start drops the server).
    let mut live = tokio::select! {
        live = Live::start(&args.server, &args.dir) => live?,
        _ = sigint.recv() => return Ok(interrupted_at_start(130)),
        _ = sigterm.recv() => return Ok(interrupted_at_start(143)),
        _ = sighup.recv() => return Ok(interrupted_at_start(129)),
    };
    let client = live.server.client.clone();
    let mut store = Store::new();
    let session = match &args.session {
        Some(id) => client.get_session(id).await,
        None => client.create_session().await,
    };
    let session = match session {
        Ok(s) => s,
        Err(e) => {
            live.shutdown().await;
            return Err(e.into());
        }
    };
    let root = session.id.clone();
    store.absorb(&Event::SessionUpdated(session));
    // A resumed session's earlier messages are not part of this run's summary: a resync
    // must not bring them in (they would land after this run's messages).
    let mut earlier: HashSet<String> = HashSet::new();
    if args.session.is_some() {
        if let Ok(list) = client.messages(&root, None).await {
            earlier.extend(list.into_iter().map(|m| m.info.id));
        }
    }
    let (dtx, mut drx) = unbounded_channel::<Decision>();
    let mut responder = Responder::new(
        &root,
        Arc::new(args.on_permission),
        Arc::new(args.on_question),
        dtx,
    );
    resync_pending(&client, &mut store).await;
    responder.scan(&store);

    let mut outcome = TurnEnd::Done;
    let mut ctx = Ctx {
        client: client.clone(),
        root: root.clone(),
        earlier,
        responder,
        lost_since: None,
    };
    'turns: for message in &args.messages {
        let mut turn = Turn::new(now_ms() as f64);
        if let Err(e) = client
            .prompt_async(
                &root,
                message,
                args.server.model.as_deref(),
                args.server.agent.as_deref(),
            )
            .await
        {
            outcome = TurnEnd::Failed(format!("cannot send the prompt: {e}"));
            break;
        }
        let deadline = args
            .timeout
            .map(|s| tokio::time::Instant::now() + std::time::Duration::from_secs_f64(s));
        loop {
            let timeout = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            let step = tokio::select! {
                item = live.events.recv() => match item {
                    None => Step::Failed("the event stream ended".into()),
                    Some(item) => ctx.on_item(item, &mut live, &mut store, &mut turn).await?,
                },
                Some(decision) = drx.recv() => {
                    match Responder::deliver(&client, &store, &decision).await {
                        Delivery::Sent => {}
                        Delivery::AlreadyResolved => note(&format!("{} was already resolved; not answered again", decision_id(&decision))),
                        Delivery::Refused(e) => note(&format!("reply to {} refused: {e}", decision_id(&decision))),
                    }
                    Step::Continue
                }
                _ = timeout => {
                    let _ = client.abort(&root).await;
                    outcome = TurnEnd::TimedOut;
                    break 'turns;
                }
                _ = sigint.recv() => { outcome = TurnEnd::Interrupted(130); break 'turns; }
                _ = sigterm.recv() => { outcome = TurnEnd::Interrupted(143); break 'turns; }
                _ = sighup.recv() => { outcome = TurnEnd::Interrupted(129); break 'turns; }
            };
            match step {
                Step::Continue => {}
                Step::TurnDone => break,
                Step::Failed(e) => {
                    outcome = TurnEnd::Failed(e);
                    break 'turns;
                }
            }
        }
    }
    if let TurnEnd::Interrupted(_) = outcome {
        if store.session(&root).is_some_and(|s| s.is_busy()) {
            let _ =
                tokio::time::timeout(std::time::Duration::from_secs(3), client.abort(&root)).await;
        }
    }
    // Drain what already arrived so that the log and the summary are complete.
    while let Ok(item) = live.events.try_recv() {
        if let StreamItem::Event { raw, kind, event } = item {
            store.apply(&event);
            if in_tree(&store, &event, &root) {
                live.log_event(&kind, &raw)?;
            }
        }
    }
    live.shutdown().await;

    if args.json {
        println!("{}", Summary::of_tree(&store, &root, 0).to_json());
    } else if let Some(s) = store.session(&root) {
        let text = s.final_text();
        if !text.is_empty() {
            // A terminal gets the text cleaned; a pipe or a file gets its bytes.
            let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
            println!("{}", crate::safe_text::for_output(&text, tty));
        }
    }
    Ok(match outcome {
        TurnEnd::Done => ExitCode::SUCCESS,
        TurnEnd::Failed(e) => {
            note(&format!("the turn failed: {e}"));
            ExitCode::from(1)
        }
        TurnEnd::TimedOut => {
            note("the turn timed out and was aborted (raise --timeout?)");
            ExitCode::from(1)
        }
        TurnEnd::Interrupted(code) => {
            note("interrupted; the running turn was aborted");
            ExitCode::from(code)
        }
    })
}

/// Without an event stream for this long, an attached server is given up on.
const GIVE_UP_AFTER: std::time::Duration = std::time::Duration::from_secs(120);

fn interrupted_at_start(code: u8) -> ExitCode {
    note("interrupted while the server was starting; it was stopped");
    ExitCode::from(code)
}

/// What one event (or stream report) means for the running turn.
enum Step {
    Continue,
    TurnDone,
    Failed(String),
}

/// The running turn: did it start, did it fail.
struct Turn {
    saw_busy: bool,
    error: Option<String>,
    /// When the prompt was sent (epoch ms).
    prompt_ms: f64,
}

impl Turn {
    fn new(prompt_ms: f64) -> Turn {
        Turn {
            saw_busy: false,
            error: None,
            prompt_ms,
        }
    }

    /// Our turn's events, live or resynchronised.
    fn on_root_event(&mut self, store: &Store, root: &str, event: &Event, synthetic: bool) -> Step {
        match event {
            Event::Status {
                status: SessionStatus::Busy | SessionStatus::Retry { .. },
                ..
            } => self.saw_busy = true,
            Event::SessionError { error: e, .. } => {
                self.error = Some(format!("{}: {}", e.name, e.message()));
            }
            Event::Status {
                status: SessionStatus::Idle,
                ..
            }
            | Event::Idle { .. }
                if self.saw_busy || (synthetic && self.answered_in(store, root)) =>
            {
                if synthetic {
                    // The end came while we were away: its error is on the message.
                    if let Some(e) = last_assistant(store, root).and_then(|m| m.error.as_ref()) {
                        self.error
                            .get_or_insert(format!("{}: {}", e.name, e.message()));
                    }
                }
                return match self.error.take() {
                    Some(e) => Step::Failed(e),
                    None => Step::TurnDone,
                };
            }
            _ => {}
        }
        Step::Continue
    }

    /// True when the fetched history holds this turn's prompt followed by a finished answer
    /// (the turn began and ended while the stream was lost). Allows 2 s of clock skew.
    fn answered_in(&self, store: &Store, root: &str) -> bool {
        let Some(s) = store.session(root) else {
            return false;
        };
        let prompted = s.messages.iter().any(|m| {
            m.role == Role::User && m.created_ms.is_some_and(|t| t >= self.prompt_ms - 2000.0)
        });
        let last = s.messages.last();
        prompted
            && last.is_some_and(|m| {
                m.role == Role::Assistant && (m.completed_ms.is_some() || m.finish.is_some())
            })
    }
}

fn last_assistant<'a>(store: &'a Store, root: &str) -> Option<&'a crate::model::state::Message> {
    store.session(root)?.assistant_messages().next_back()
}

/// What the turn loop needs besides the store and the stream.
struct Ctx {
    client: Client,
    root: String,
    /// Messages of a resumed session that predate this run.
    earlier: HashSet<String>,
    responder: Responder,
    /// Since when the stream is lost (for giving up on an attached server).
    lost_since: Option<std::time::Instant>,
}

impl Ctx {
    async fn on_item(
        &mut self,
        item: StreamItem,
        live: &mut Live,
        store: &mut Store,
        turn: &mut Turn,
    ) -> anyhow::Result<Step> {
        match item {
            StreamItem::Event { raw, kind, event } => {
                self.on_event(&raw, &kind, &event, false, live, store, turn)
                    .await
            }
            StreamItem::Connected { reconnect: true } => {
                note("event stream reconnected; resynchronising");
                self.lost_since = None;
                for s in self.resync(store).await {
                    let step = self
                        .on_event(&s.raw, &s.kind, &s.event, true, live, store, turn)
                        .await?;
                    if !matches!(step, Step::Continue) {
                        return Ok(step);
                    }
                }
                Ok(Step::Continue)
            }
            StreamItem::Connected { .. } => Ok(Step::Continue),
            StreamItem::Lost { attempt, error } => {
                note(&format!(
                    "event stream lost ({error}); reconnecting (attempt {attempt})"
                ));
                if let Some(status) = live.server.try_exited() {
                    return Ok(Step::Failed(format!(
                        "the opencode server died ({status}); its last output:\n{}",
                        live.server.stderr_tail()
                    )));
                }
                let since = *self.lost_since.get_or_insert_with(std::time::Instant::now);
                if since.elapsed() > GIVE_UP_AFTER {
                    return Ok(Step::Failed(format!(
                        "no event stream from {} for {} s: the server is gone or unreachable",
                        self.client.base_url(),
                        GIVE_UP_AFTER.as_secs()
                    )));
                }
                Ok(Step::Continue)
            }
            StreamItem::Fatal(e) => Ok(Step::Failed(e)),
        }
    }

    #[allow(clippy::too_many_arguments)]
    async fn on_event(
        &mut self,
        raw: &str,
        kind: &str,
        event: &Event,
        synthetic: bool,
        live: &mut Live,
        store: &mut Store,
        turn: &mut Turn,
    ) -> anyhow::Result<Step> {
        if synthetic {
            store.absorb(event);
        } else {
            store.apply(event);
        }
        if in_tree(store, event, &self.root) {
            live.log_event(kind, raw)?;
        }
        if let Some(w) = live.unknown_permission_event(kind) {
            note(&w);
        }
        if matches!(
            event,
            Event::PermissionAsked(_) | Event::QuestionAsked(_) | Event::SessionCreated(_)
        ) {
            learn_unknown_sessions(&self.client, store, &self.responder).await;
            self.responder.scan(store);
        }
        if event.session_id() == Some(self.root.as_str()) {
            return Ok(turn.on_root_event(store, &self.root, event, synthetic));
        }
        Ok(Step::Continue)
    }

    /// What we missed while the stream was lost, as events: the messages of our session
    /// tree, pending requests, then the statuses (so an idle comes after the answer).
    async fn resync(&self, store: &Store) -> Vec<resync::Synthetic> {
        let tree: Vec<String> = store
            .sessions()
            .iter()
            .filter(|s| store.is_in_tree(&s.id, &self.root))
            .map(|s| s.id.clone())
            .collect();
        let mut out = Vec::new();
        for id in &tree {
            match resync::messages(&self.client, id).await {
                Ok(evs) => out.extend(evs.into_iter().filter(|s| match &s.event {
                    Event::MessageUpdated(m) => !self.earlier.contains(&m.id),
                    Event::PartUpdated(p) => !self.earlier.contains(&p.message_id),
                    _ => true,
                })),
                Err(e) => note(&format!("cannot fetch the messages of {id}: {e}")),
            }
        }
        match resync::pending(&self.client).await {
            Ok(evs) => out.extend(evs),
            Err(e) => note(&format!("cannot fetch pending requests: {e}")),
        }
        match resync::statuses(&self.client, &tree).await {
            Ok(evs) => out.extend(evs),
            Err(e) => note(&format!("cannot fetch session statuses: {e}")),
        }
        out
    }
}

/// Events of our session tree, and events of no session (server.connected, heartbeats).
fn in_tree(store: &Store, event: &Event, root: &str) -> bool {
    event.session_id().is_none_or(|s| store.is_in_tree(s, root))
}

fn decision_id(d: &Decision) -> &str {
    match d {
        Decision::Permission { id, .. } | Decision::Question { id, .. } => id,
    }
}

/// Requests pending on the server (also those asked before we connected) join the store.
pub async fn resync_pending(client: &crate::backend::Client, store: &mut Store) {
    if let Ok(perms) = client.pending_permissions().await {
        for p in perms {
            store.absorb(&Event::PermissionAsked(p));
        }
    }
    if let Ok(qs) = client.pending_questions().await {
        for q in qs {
            store.absorb(&Event::QuestionAsked(q));
        }
    }
}

/// Fetches sessions that raised a request before we saw them created, to learn their parent.
pub async fn learn_unknown_sessions(
    client: &crate::backend::Client,
    store: &mut Store,
    responder: &Responder,
) {
    let mut unknown = responder.unknown_sessions(store);
    let mut hops = 0;
    while let Some(id) = unknown.pop() {
        hops += 1;
        if hops > 16 {
            break;
        }
        if let Ok(info) = client.get_session(&id).await {
            let parent = info.parent_id.clone();
            store.absorb(&Event::SessionUpdated(info));
            if let Some(p) = parent {
                if store.session(&p).is_none_or(|s| s.parent_id.is_none()) {
                    unknown.push(p);
                }
            }
        }
    }
}
