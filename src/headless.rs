//! Headless `ocw-tui run`: one turn per message on one session, requests answered by
//! policy (through the same handler interface the TUI uses), the final text or the summary
//! JSON printed at the end. Exit 0 on success, 1 when a turn fails or times out, 130/143/129
//! when interrupted (the running turn is aborted first).

use crate::backend::answer::{Decision, Delivery, Responder};
use crate::backend::stream::StreamItem;
use crate::cli::RunArgs;
use crate::live::Live;
use crate::model::event::SessionStatus;
use crate::model::{Event, Store, Summary};
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
    eprintln!("ocw-tui: {msg}");
}

async fn run_async(args: RunArgs) -> anyhow::Result<ExitCode> {
    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut live = Live::start(&args.server, &args.dir).await?;
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
    'turns: for message in &args.messages {
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
        let mut saw_busy = false;
        let mut error: Option<String> = None;
        loop {
            let timeout = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                item = live.events.recv() => {
                    let Some(item) = item else {
                        outcome = TurnEnd::Failed("the event stream ended".into());
                        break 'turns;
                    };
                    match item {
                        StreamItem::Event { raw, kind, event } => {
                            store.apply(&event);
                            if in_tree(&store, &event, &root) {
                                live.log_event(&kind, &raw)?;
                            }
                            if matches!(*event, Event::PermissionAsked(_) | Event::QuestionAsked(_) | Event::SessionCreated(_)) {
                                learn_unknown_sessions(&client, &mut store, &responder).await;
                                responder.scan(&store);
                            }
                            if event.session_id() == Some(root.as_str()) {
                                match &*event {
                                    Event::Status { status: SessionStatus::Busy | SessionStatus::Retry { .. }, .. } => saw_busy = true,
                                    Event::SessionError { error: e, .. } => {
                                        error = Some(format!("{}: {}", e.name, e.message()));
                                    }
                                    Event::Status { status: SessionStatus::Idle, .. } | Event::Idle { .. } if saw_busy => {
                                        match error.take() {
                                            Some(e) => { outcome = TurnEnd::Failed(e); break 'turns; }
                                            None => break,
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        StreamItem::Connected { reconnect: true } => {
                            note("event stream reconnected");
                            resync_pending(&client, &mut store).await;
                            responder.scan(&store);
                        }
                        StreamItem::Connected { .. } => {}
                        StreamItem::Lost { attempt, error } => {
                            note(&format!("event stream lost ({error}); reconnecting (attempt {attempt})"));
                            if let Some(status) = live.server.try_exited() {
                                outcome = TurnEnd::Failed(format!("the opencode server died ({status}); its last output:\n{}", live.server.stderr_tail()));
                                break 'turns;
                            }
                        }
                        StreamItem::Fatal(e) => {
                            outcome = TurnEnd::Failed(e);
                            break 'turns;
                        }
                    }
                }
                Some(decision) = drx.recv() => {
                    match Responder::deliver(&client, &store, &decision).await {
                        Delivery::Sent => {}
                        Delivery::AlreadyResolved => note(&format!("{} was already resolved; not answered again", decision_id(&decision))),
                        Delivery::Refused(e) => note(&format!("reply to {} refused: {e}", decision_id(&decision))),
                    }
                }
                _ = timeout => {
                    let _ = client.abort(&root).await;
                    outcome = TurnEnd::TimedOut;
                    break 'turns;
                }
                _ = sigint.recv() => { outcome = TurnEnd::Interrupted(130); break 'turns; }
                _ = sigterm.recv() => { outcome = TurnEnd::Interrupted(143); break 'turns; }
                _ = sighup.recv() => { outcome = TurnEnd::Interrupted(129); break 'turns; }
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
            println!("{text}");
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
