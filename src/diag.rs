//! The diagnostic log (`tracing`): server start and health, every reconnect and resync,
//! HTTP errors with their status, dropped and unknown events. `--debug-log FILE` writes it
//! to FILE (appended, mode 0600: an existing file only when it is a regular file of ours,
//! made 0600; a link, a device or another user's file is refused); `OCW_LOG=LEVEL` (error, warn, info, debug, trace) sets its
//! level (default info) and, without `--debug-log`, turns it on: on stderr for `run`, in
//! `$XDG_STATE_HOME/ocw-tui/debug.log` (else `~/.local/state/ocw-tui/debug.log`) for the TUI,
//! whose screen stderr would spoil. It never holds the server password; prompt text and
//! event bodies appear only at debug level and below.

use crate::usage::UsageError;
use std::path::{Path, PathBuf};
use tracing_subscriber::filter::LevelFilter;

/// The environment variable that sets the level (and turns the log on).
pub const LEVEL_ENV: &str = "OCW_LOG";

/// Keeps the writer thread alive: drop it last, it flushes what is left.
pub struct DiagGuard {
    _flush_on_drop: Option<tracing_appender::non_blocking::WorkerGuard>,
}

/// Where the TUI writes its diagnostic log when only `OCW_LOG` asks for one.
pub fn default_file() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("ocw-tui").join("debug.log"))
}

/// Starts the diagnostic log. `file`: `--debug-log`; `screen`: a TUI owns the terminal.
pub fn init(file: Option<&Path>, screen: bool) -> anyhow::Result<DiagGuard> {
    let level = match std::env::var(LEVEL_ENV) {
        Ok(v) if !v.trim().is_empty() => Some(v.trim().parse::<LevelFilter>().map_err(|_| {
            UsageError(format!(
                "{LEVEL_ENV}={v} is not a level: use error, warn, info, debug or trace"
            ))
        })?),
        _ => None,
    };
    let file = match (file, level) {
        (Some(f), _) => Some(f.to_path_buf()),
        (None, Some(_)) if screen => default_file(),
        (None, Some(_)) => None,
        (None, None) => {
            return Ok(DiagGuard {
                _flush_on_drop: None,
            })
        }
    };
    let level = level.unwrap_or(LevelFilter::INFO);
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .with_ansi(false);
    let guard = match file {
        Some(path) => {
            let f = open_private(&path).map_err(|e| {
                UsageError(format!(
                    "cannot open the debug log {}: {e}: pass a writable path to --debug-log",
                    path.display()
                ))
            })?;
            let (writer, guard) = tracing_appender::non_blocking(f);
            let _ = builder.with_writer(writer).try_init();
            Some(guard)
        }
        None => {
            let _ = builder.with_writer(std::io::stderr).try_init();
            None
        }
    };
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "ocw-tui started");
    Ok(DiagGuard {
        _flush_on_drop: guard,
    })
}

/// Appends to `path` (created 0600; an existing file only when it is a regular file of
/// ours, tightened to 0600; never through a link: `log::private`).
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    crate::log::private::open(path, crate::log::private::Mode::Append).map(|(f, _)| f)
}
