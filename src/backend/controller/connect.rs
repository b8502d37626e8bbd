//! Connecting to the server: waiting for the event stream to subscribe (with a note when a
//! first start is slow), and refusing a server or `--model` we cannot work with.

use crate::backend::events::{self, StreamItem};
use crate::backend::server::Server;
use crate::backend::version::{self, Compat};
use crate::usage::UsageError;
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinHandle;

/// A remark to the person: to `to` (the TUI), else on stderr.
pub(super) fn say(to: Option<&UnboundedSender<String>>, text: String) {
    match to {
        Some(tx) => {
            let _ = tx.send(text);
        }
        None => eprintln!("ocw-tui: {text}"),
    }
}

/// How long the first subscription may take: 10 s for a server we attach to; a server we
/// spawn first waits for opencode to install `@opencode-ai/plugin` into its config
/// directories (it does whenever a plugin is configured, and ours always is): seconds when
/// that is done, up to a minute or more on a first start or offline.
const SUBSCRIBE_ATTACHED: Duration = Duration::from_secs(10);
const SUBSCRIBE_SPAWNED: Duration = Duration::from_secs(150);
/// After this long, say once on stderr why the start takes time.
const SLOW_START_NOTE: Duration = Duration::from_secs(5);

/// Opens the event stream of `server` and waits until it is subscribed.
pub(super) async fn subscribe(
    server: &Server,
    to: Option<&UnboundedSender<String>>,
) -> anyhow::Result<(UnboundedReceiver<StreamItem>, JoinHandle<()>)> {
    let (tx, mut events) = unbounded_channel();
    let stream_task = tokio::spawn(events::follow(server.client.clone(), tx));
    // Wait for the subscription so that no event of the first prompt is missed; the
    // stream task retries a failed attempt by itself, so only the deadline gives up.
    let limit = if server.is_spawned() {
        SUBSCRIBE_SPAWNED
    } else {
        SUBSCRIBE_ATTACHED
    };
    let deadline = tokio::time::Instant::now() + limit;
    let note_at = tokio::time::Instant::now() + SLOW_START_NOTE;
    let mut noted = !server.is_spawned();
    let mut last_error = None;
    loop {
        let until = if noted {
            deadline
        } else {
            note_at.min(deadline)
        };
        let next = tokio::time::timeout_at(until, events.recv()).await;
        if next.is_err() && !noted && until < deadline {
            noted = true;
            say(to, "opencode is still loading its plugins (on a first start it installs @opencode-ai/plugin into its config directories, which can take a minute) ...".into());
            continue;
        }
        match next {
            Ok(Some(StreamItem::Connected { .. })) => return Ok((events, stream_task)),
            Ok(Some(StreamItem::Fatal(e))) => {
                stream_task.abort();
                anyhow::bail!(e)
            }
            // The server answered /event with an HTTP error (a 1.3.2 on a data dir migrated
            // by a newer release answers 500): retrying for 10 s will not change its mind.
            Ok(Some(StreamItem::Lost { error, .. })) if error.contains(" failed with HTTP ") => {
                stream_task.abort();
                anyhow::bail!("cannot subscribe to the event stream: {error}")
            }
            Ok(Some(StreamItem::Lost { error, .. })) => last_error = Some(error),
            Ok(Some(StreamItem::Event { .. })) => {}
            Ok(None) | Err(_) => {
                stream_task.abort();
                match last_error {
                    Some(e) => anyhow::bail!("cannot subscribe to the event stream: {e}"),
                    None => anyhow::bail!(
                        "the event stream did not connect within {} s",
                        limit.as_secs()
                    ),
                }
            }
        }
    }
}

/// Refuses a server older than we support and a `--model` it does not offer (one line
/// each, exit 2); returns the warning to give once for a newer or unknown version.
pub(super) async fn check_server(
    server: &Server,
    model: Option<&str>,
) -> Result<Option<String>, UsageError> {
    let warning = match version::check(server.version.as_deref()) {
        Compat::Tested => None,
        Compat::TooOld(line) => return Err(UsageError(line)),
        Compat::Newer(w) | Compat::Unknown(w) => Some(w),
    };
    if let Some(model) = model {
        // A server that cannot list its providers is not refused here: the first prompt
        // reports whatever is wrong.
        if let Ok(providers) = server.client.config_providers().await {
            let known = version::model_ids(&providers);
            if let Some(line) = version::unknown_model(model, &known) {
                return Err(UsageError(line));
            }
        }
    }
    Ok(warning)
}
