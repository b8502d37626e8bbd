//! The front-ends, each a thin layer over the backend's session controller: `tui` (the
//! interactive `ocw-tui [PROJECT]`), `run` (headless) and `replay` (saved logs). This file
//! dispatches the parsed command line and maps each outcome to an exit status: 0 success,
//! 1 a runtime failure, 2 a usage error, 130/143/129 interrupted.

mod replay;
mod replay_pick;
mod run;
mod run_report;
mod run_tree;
mod signal_watch;
mod tui;

use crate::cli::{Cli, Command};
use crate::usage::UsageError;
use clap::Parser;
use std::path::Path;
use std::process::ExitCode;

/// Entry point of the binary: parses the command line and runs the front-end it names.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    install_panic_hook();
    let debug_log = match &cli.command {
        Some(Command::Run(args)) => Some((args.server.debug_log.as_deref(), false)),
        None => Some((cli.tui.server.debug_log.as_deref(), true)),
        _ => None,
    };
    let _diag = match debug_log.map(|(file, screen)| crate::diag::init(file, screen)) {
        Some(Err(e)) => return report(e),
        Some(Ok(guard)) => Some(guard),
        None => None,
    };
    // Tools the server starts outlive it when it is stopped (they run in process groups of
    // their own): as a child subreaper ocw-tui adopts them, and stops them before it exits.
    let adopts = matches!(cli.command, None | Some(Command::Run(_)));
    if adopts && !crate::sys::become_subreaper() {
        tracing::warn!("cannot become a child subreaper: tools may outlive ocw-tui");
    }
    let outcome = match cli.command {
        Some(Command::Replay(args)) => match args.file.clone().map_or_else(replay_pick::pick, Ok) {
            Ok(file) if file != "-" && !Path::new(&file).is_file() => Err(UsageError(format!(
                "log {file} does not exist or is not a file: pass the path of a JSONL log (or - for standard input)"
            ))
            .into()),
            Ok(file) => replay::replay(file, args),
            Err(e) => Err(e),
        },
        Some(Command::Run(args)) => run::headless(args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "ocw-tui", &mut script);
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), &script);
            Ok(ExitCode::SUCCESS)
        }
        None => tui::interactive(cli.tui),
    };
    if adopts {
        crate::backend::procs::stop_descendants(std::time::Duration::from_secs(2));
    }
    match outcome {
        Ok(code) => code,
        Err(e) => report(e),
    }
}

/// An error on stderr in one line, with its exit status.
fn report(e: anyhow::Error) -> ExitCode {
    tracing::error!("{e:#}");
    // Errors may quote the server: cleaned on a terminal.
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprintln!(
        "ocw-tui: {}",
        crate::safe_text::for_output(&format!("{e:#}"), tty)
    );
    ExitCode::from(exit_status_of(&e))
}

/// A bad command line in ONE line on stderr (clap's own report spans several, its tip
/// included), pointing to the help of the subcommand at fault, exit 2; `--help` and
/// `--version` print as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = e.print();
        return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
    }
    let text = e.render().to_string();
    let line = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:"))
        .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
        .fold(String::new(), |acc, l| match acc.as_str() {
            "" => l.to_string(),
            _ if acc.ends_with(':') => format!("{acc} {l}"),
            _ => format!("{acc}; {l}"),
        });
    let line = line.strip_prefix("error: ").unwrap_or(&line);
    // "Usage: ocw-tui run [OPTIONS] ..." names the subcommand whose help to read; an error
    // without a usage line (a bad value) has the subcommand as the first argument.
    let first_arg = std::env::args().nth(1).unwrap_or_default();
    let sub = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Usage: ocw-tui "))
        .and_then(|rest| rest.split_whitespace().next())
        .or(Some(first_arg.as_str()))
        .filter(|w| ["run", "replay", "completions"].contains(w));
    let help = match sub {
        Some(sub) => format!("ocw-tui {sub} --help"),
        None => "ocw-tui --help".to_string(),
    };
    eprintln!("ocw-tui: {line} (see {help})");
    ExitCode::from(2)
}

/// 2 for a mistake in how we were called (bad directory, config, binary), else 1.
fn exit_status_of(e: &anyhow::Error) -> u8 {
    use crate::backend::server::ServerError;
    if e.downcast_ref::<UsageError>().is_some() {
        return 2;
    }
    match e.downcast_ref::<ServerError>() {
        Some(
            ServerError::NotFound
            | ServerError::NotExecutable(_)
            | ServerError::Missing(_)
            | ServerError::NoProjectDir(_),
        ) => 2,
        _ => 1,
    }
}

/// On a panic: stop every server we spawned, then let the previous hook report it.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        crate::backend::server::kill_all_spawned();
        crate::backend::procs::stop_descendants(std::time::Duration::from_secs(1));
        previous(info);
    }));
}

impl From<&crate::cli::ServerArgs> for crate::backend::controller::ConnectOptions {
    fn from(a: &crate::cli::ServerArgs) -> Self {
        crate::backend::controller::ConnectOptions {
            opencode_bin: a.opencode_bin.clone(),
            attach: a.attach.clone(),
            password: a.password.clone(),
            username: a.username.clone(),
            insecure: a.insecure,
            isolated: a.isolated,
            model: a.model.clone(),
            config: a.config.clone(),
            log: a.log.clone(),
            log_exclude: a.log_exclude.clone(),
            startup_timeout: a.startup_timeout,
            port: a.port,
            say: None,
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP, listened to from start-up on by the front-ends that talk to
/// a server (a signal stops it on every path).
pub(crate) struct Signals {
    int: tokio::signal::unix::Signal,
    term: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

impl Signals {
    pub(crate) fn listen() -> std::io::Result<Signals> {
        use tokio::signal::unix::{signal, SignalKind};
        // Orphans we adopted (see `main`) that end are reaped as they end.
        let mut child = signal(SignalKind::child())?;
        tokio::spawn(async move {
            while child.recv().await.is_some() {
                crate::backend::procs::reap_adopted();
            }
        });
        Ok(Signals {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    /// The next signal, as the exit status it gives: 130, 143 or 129.
    pub(crate) async fn next(&mut self) -> u8 {
        let code = tokio::select! {
            _ = self.int.recv() => 130,
            _ = self.term.recv() => 143,
            _ = self.hup.recv() => 129,
        };
        signal_watch::acknowledge();
        code
    }
}
