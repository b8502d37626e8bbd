//! Headless `ocw-tui run`: one turn per message on one session over the session
//! controller, requests answered by policy (`backend::answer`), the final text or the
//! summary JSON printed at the end. Exit 0 on success, 1 when a turn fails or times out, 130/143/129
//! when interrupted (the running turn is aborted first). A request the policy rejects is
//! the answer asked for, not a failure (exit 0); stderr names it (`run_report`).

use super::run_report;
use super::run_tree::{learn_unknown_sessions, Tree};
use crate::backend::answer::{Decision, Delivery, Responder};
use crate::backend::client::PromptRequest;
use crate::backend::controller::SessionController;
use crate::backend::fetch::{self, Why};
use crate::backend::pump::{Connection, Logged, Pumped};
use crate::backend::Client;
use crate::cli::RunArgs;
use crate::log::now_ms;
use crate::model::event::SessionStatus;
use crate::model::state::Role;
use crate::model::{Event, Store, Summary};
use std::collections::HashSet;
use std::process::ExitCode;

/// How a turn ended.
#[derive(Debug, PartialEq)]
enum TurnEnd {
    Done,
    Failed(String),
    TimedOut,
    Interrupted(u8),
}

pub fn headless(args: RunArgs) -> anyhow::Result<ExitCode> {
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
    let mut signals = super::Signals::listen()?;
    // A signal while the server starts stops it (dropping the start drops the server).
    let connect = (&args.server).into();
    let mut live = tokio::select! {
        live = SessionController::start(&connect, &args.dir) => live?,
        code = signals.next() => return Ok(interrupted_at_start(code)),
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
    store.apply_fetched(&Event::SessionUpdated(session));
    // A resumed session's earlier messages are not part of this run's summary: a resync
    // must not bring them in (they would land after this run's messages).
    let mut earlier: HashSet<String> = HashSet::new();
    if args.session.is_some() {
        if let Ok(list) = fetch::messages(&client, Why::Load, &root, None).await {
            earlier.extend(list.into_iter().filter_map(|f| match f.event {
                Event::MessageUpdated(m) => Some(m.id),
                _ => None,
            }));
        }
    }
    let project = std::path::absolute(&args.dir).unwrap_or_else(|_| args.dir.clone());
    let responder = Responder::new(&root, args.on_permission, args.on_question)
        .with_approvals(args.approvals.mode(), &project);

    let mut outcome = TurnEnd::Done;
    let mut ctx = TurnLoop {
        client: client.clone(),
        root: root.clone(),
        earlier,
        responder,
        turn_label: run_report::turn_label(0, args.messages.len(), ""),
        auto_records: Vec::new(),
    };
    // Requests pending before we connected take the path of fetched events.
    if let Ok(pending) = live.load_pending().await {
        let mut turn = Turn::new(now_ms() as f64);
        for f in pending {
            let mut tree = Tree::new(&mut store, &root, &ctx.earlier);
            for e in live.log_fetched(vec![f], &mut tree) {
                ctx.on_event(e, &mut store, &mut turn).await?;
            }
        }
        ctx.log_auto_records(&mut live, &mut store);
    }
    'turns: for (i, message) in args.messages.iter().enumerate() {
        ctx.turn_label = run_report::turn_label(i + 1, args.messages.len(), message);
        let mut turn = Turn::new(now_ms() as f64);
        let request = PromptRequest {
            text: message,
            model: args.server.model.as_deref(),
            agent: args.server.agent.as_deref(),
            ..Default::default()
        };
        if let Err(e) = client.prompt(&root, &request).await {
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
            let mut tree = Tree::new(&mut store, &root, &ctx.earlier);
            let step = tokio::select! {
                pumped = live.next(&mut tree) => match pumped {
                    None => TurnStep::Failed("the event stream ended".into()),
                    Some(pumped) => ctx.on_pumped(pumped, &mut store, &mut turn).await?,
                },
                _ = timeout => {
                    let _ = client.abort(&root).await;
                    outcome = TurnEnd::TimedOut;
                    break 'turns;
                }
                code = signals.next() => { outcome = TurnEnd::Interrupted(code); break 'turns; }
            };
            ctx.log_auto_records(&mut live, &mut store);
            match step {
                TurnStep::Continue => {}
                TurnStep::TurnDone => break,
                TurnStep::Failed(e) => {
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
    for pumped in live.drain(&mut Tree::new(&mut store, &root, &ctx.earlier)) {
        if let Pumped::Event(Logged {
            log_error: Some(e), ..
        }) = pumped
        {
            anyhow::bail!(e);
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
    if outcome == TurnEnd::Done {
        if let Some(n) = run_report::printed_from(&store, &root, args.messages.len()) {
            note(&n);
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
enum TurnStep {
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
    fn on_root_event(
        &mut self,
        store: &Store,
        root: &str,
        event: &Event,
        synthetic: bool,
    ) -> TurnStep {
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
                    Some(e) => TurnStep::Failed(e),
                    None => TurnStep::TurnDone,
                };
            }
            _ => {}
        }
        TurnStep::Continue
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
struct TurnLoop {
    client: Client,
    root: String,
    /// Messages of a resumed session that predate this run.
    earlier: HashSet<String>,
    responder: Responder,
    /// The running turn, for the notes ("turn 2 of 2 (\"ask me\")").
    turn_label: String,
    /// Records of approval-mode answers sent, to log (`ocw.auto_allowed`).
    auto_records: Vec<String>,
}

impl TurnLoop {
    /// Logs the records of the approval-mode answers sent since last time and applies them.
    fn log_auto_records(&mut self, live: &mut SessionController, store: &mut Store) {
        for r in self.auto_records.drain(..) {
            if let Some(l) = live.log_client_record(&r) {
                store.apply(&l.event);
            }
        }
    }

    async fn on_pumped(
        &mut self,
        pumped: Pumped,
        store: &mut Store,
        turn: &mut Turn,
    ) -> anyhow::Result<TurnStep> {
        let lost = |attempt: u32, error: &str| {
            note(&format!(
                "event stream lost ({error}); reconnecting (attempt {attempt})"
            ))
        };
        Ok(match pumped {
            Pumped::Event(e) => return self.on_event(e, store, turn).await,
            Pumped::Connection(Connection::Connected { reconnect }) => {
                if reconnect {
                    // The resync's events come next.
                    note("event stream reconnected; resynchronising");
                }
                TurnStep::Continue
            }
            Pumped::Connection(Connection::Reconnecting {
                attempt,
                error,
                lost_for,
            }) => {
                lost(attempt, &error);
                if lost_for > GIVE_UP_AFTER {
                    TurnStep::Failed(format!(
                        "no event stream from {} for {} s: the server is gone or unreachable",
                        self.client.base_url(),
                        GIVE_UP_AFTER.as_secs()
                    ))
                } else {
                    TurnStep::Continue
                }
            }
            Pumped::Connection(Connection::ServerExited {
                attempt,
                error,
                status,
                output,
            }) => {
                lost(attempt, &error);
                TurnStep::Failed(format!(
                    "the opencode server died ({status}); its last output:\n{output}"
                ))
            }
            Pumped::Connection(Connection::StreamFailed { error }) => TurnStep::Failed(error),
            Pumped::FetchFailed(e) => {
                note(&e);
                TurnStep::Continue
            }
        })
    }

    /// One event, streamed or fetched (`fetched`: applied without counting as received),
    /// already applied to the store and logged (by [`Tree`]).
    async fn on_event(
        &mut self,
        e: Logged,
        store: &mut Store,
        turn: &mut Turn,
    ) -> anyhow::Result<TurnStep> {
        if let Some(error) = e.log_error {
            anyhow::bail!(error);
        }
        for n in &e.notices {
            note(n);
        }
        let event = &e.event;
        if matches!(
            event,
            Event::PermissionAsked(_) | Event::QuestionAsked(_) | Event::SessionCreated(_)
        ) {
            learn_unknown_sessions(&self.client, store, &self.responder).await;
            for decision in self.responder.scan(store) {
                match Responder::deliver(&self.client, store, &decision).await {
                    Delivery::Sent => {
                        if let Some(n) = run_report::rejected(store, &decision, &self.turn_label) {
                            note(&n);
                        }
                        if let Some((line, record)) = decision.auto() {
                            note(&crate::safe_text::one_line(line));
                            self.auto_records.push(record.clone());
                        }
                    }
                    Delivery::AlreadyResolved => note(&format!(
                        "{} was already resolved; not answered again",
                        decision_id(&decision)
                    )),
                    Delivery::Refused(e) => {
                        note(&format!("reply to {} refused: {e}", decision_id(&decision)))
                    }
                }
            }
        }
        if event.session_id() == Some(self.root.as_str()) {
            return Ok(turn.on_root_event(store, &self.root, event, e.fetched));
        }
        Ok(TurnStep::Continue)
    }
}

fn decision_id(d: &Decision) -> &str {
    match d {
        Decision::Permission { id, .. } | Decision::Question { id, .. } => id,
    }
}
