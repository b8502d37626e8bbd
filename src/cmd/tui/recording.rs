//! The TUI's default session log: every session recorded under the state directory
//! (`log::default_logs`) unless `--log FILE` or `--no-log` is given.

use crate::backend::controller::SessionController;
use crate::cli::TuiArgs;

/// Without `--log` or `--no-log`: records the session in the default log directory (see
/// `log::default_logs`), after deleting the logs beyond the limit. A log that cannot be
/// created does not stop the TUI: the note says so.
pub(super) fn default_log(
    ctl: &mut SessionController,
    args: &TuiArgs,
    project: &std::path::Path,
    session_id: &str,
) -> Option<(String, bool)> {
    use crate::log::default_logs;
    if args.no_log || args.server.log.is_some() {
        return None;
    }
    let dir = default_logs::dir()?;
    let opened = crate::log::private::private_dir(&dir).and_then(|()| {
        let gone = default_logs::prune_default(&dir);
        if !gone.is_empty() {
            tracing::info!(deleted = gone.len(), "old session logs deleted");
        }
        let name = default_logs::file_name(project, session_id, std::time::SystemTime::now());
        let path = dir.join(name);
        ctl.open_log(&path, &args.server.log_exclude, project)
            .map(|()| path)
    });
    match opened {
        Ok(path) => {
            tracing::info!(path = %path.display(), "session log");
            None
        }
        Err(e) => Some((
            format!("this session is not recorded: {e} (--no-log turns recording off)"),
            true,
        )),
    }
}
