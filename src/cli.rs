//! The command line (clap): `ocw-tui [PROJECT]` (the TUI), `ocw-tui run` (headless) and
//! `ocw-tui replay` (saved logs). Maps each outcome to an exit status: 0 success, 1 a
//! runtime failure, 2 a usage error, 130/143 interrupted.

pub use crate::ui::theme::ThemeChoice;
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Examples and exit statuses, at the end of `ocw-tui --help`.
const AFTER_HELP: &str = "\
Examples:
  ocw-tui                                   the TUI on the current directory
  ocw-tui ~/src/app --continue              resume the latest session of a project
  ocw-tui run --json 'explain src/main.rs'  one headless turn, summary as JSON
  ocw-tui replay --summary session.jsonl    summarise a saved log
  ocw-tui completions bash > ~/.local/share/bash-completion/completions/ocw-tui

Exit status:
  0 success; 1 a runtime failure (a turn failed or timed out, the server could not start,
  wrong password); 2 a usage error (bad flag, missing directory, opencode not found,
  unknown model); 130 / 143 / 129 interrupted by SIGINT / SIGTERM / SIGHUP";

#[derive(Debug, Parser)]
#[command(
    name = "ocw-tui",
    version,
    about = "A terminal UI for the opencode coding agent",
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub tui: TuiArgs,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process
pub enum Command {
    /// Run one turn per MESSAGE on one session without a screen, answering by policy.
    Run(RunArgs),
    /// Replay a saved event log in the TUI, or summarise it.
    Replay(ReplayArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) on stdout.
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

/// How to reach an opencode server: spawn one, or attach to a running one.
#[derive(Debug, Clone, Args, Default)]
pub struct ServerArgs {
    /// The opencode binary (else $OPENCODE_BIN, else `opencode` on PATH).
    #[arg(long, value_name = "PATH")]
    pub opencode_bin: Option<PathBuf>,
    /// Attach to a running server instead of spawning one.
    #[arg(long, value_name = "URL")]
    pub attach: Option<String>,
    /// Password of the attached server.
    #[arg(long, env = "OPENCODE_SERVER_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Username of the attached server.
    #[arg(
        long,
        env = "OPENCODE_SERVER_USERNAME",
        hide_env_values = true,
        default_value = "opencode"
    )]
    pub username: String,
    /// Allow a password over plain http to a host that is not loopback.
    #[arg(long)]
    pub insecure: bool,
    /// Give the spawned server a private data dir (removed on exit) and only the provider settings of the user's config.
    #[arg(long)]
    pub isolated: bool,
    /// Model as provider/model.
    #[arg(long, value_name = "PROVIDER/MODEL")]
    pub model: Option<String>,
    /// Agent to use (build, plan, ...).
    #[arg(long)]
    pub agent: Option<String>,
    /// Extra opencode config, JSON or @FILE, deep-merged into OPENCODE_CONFIG_CONTENT.
    #[arg(long, value_name = "JSON|@FILE")]
    pub config: Option<String>,
    /// Write every event of the session to this JSONL log (mode 0600).
    #[arg(long, value_name = "FILE")]
    pub log: Option<PathBuf>,
    /// Leave events of this type out of the log (repeatable).
    #[arg(long, value_name = "TYPE")]
    pub log_exclude: Vec<String>,
    /// Seconds to wait for a spawned server to become healthy.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub startup_timeout: f64,
}

#[derive(Debug, Clone, Args, Default)]
pub struct TuiArgs {
    /// The project directory.
    #[arg(value_name = "PROJECT")]
    pub project: Option<PathBuf>,
    /// Resume this session.
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Resume the latest session of the project.
    #[arg(long = "continue", short = 'c')]
    pub continue_latest: bool,
    /// No bell or desktop notification when a dialog opens, a turn ends or an error arrives.
    #[arg(long)]
    pub no_notify: bool,
    /// Colours for a dark or light terminal background; auto asks the terminal (NO_COLOR turns colour off).
    #[arg(long, value_enum, default_value_t = ThemeChoice::Auto)]
    pub theme: ThemeChoice,
    #[command(flatten)]
    pub server: ServerArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PermissionPolicy {
    Once,
    Always,
    Reject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QuestionPolicy {
    First,
    Reject,
}

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The project directory.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// How to answer permission requests.
    #[arg(long, value_enum, default_value_t = PermissionPolicy::Reject)]
    pub on_permission: PermissionPolicy,
    /// How to answer questions: the first option of each, or reject.
    #[arg(long, value_enum, default_value_t = QuestionPolicy::Reject)]
    pub on_question: QuestionPolicy,
    /// Print the summary JSON instead of the final text.
    #[arg(long)]
    pub json: bool,
    /// Seconds one turn may take (default: no limit).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Continue this session instead of creating one.
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    #[command(flatten)]
    pub server: ServerArgs,
    /// One turn per message, in order, on one session.
    #[arg(required = true, value_name = "MESSAGE")]
    pub messages: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// The log to replay (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Print the summary of every session and exit, without a screen.
    #[arg(long)]
    pub summary: bool,
    /// With --summary: the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write the transcript as Markdown to OUT and exit.
    #[arg(long, value_name = "OUT")]
    pub export_markdown: Option<PathBuf>,
    /// Playback speed (0.25 to 64).
    #[arg(long, default_value_t = 1.0)]
    pub speed: f64,
    /// Jump to the end at once.
    #[arg(long)]
    pub instant: bool,
    /// With several sessions in the log: the one to watch (Tab switches in the replay).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Colours for a dark or light terminal background; auto asks the terminal (NO_COLOR turns colour off).
    #[arg(long, value_enum, default_value_t = ThemeChoice::Auto)]
    pub theme: ThemeChoice,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    install_panic_hook();
    let outcome = match cli.command {
        Some(Command::Replay(args)) if args.file != "-" && !Path::new(&args.file).is_file() => {
            Err(crate::live::UsageError(format!(
                "log {} does not exist or is not a file: pass the path of a JSONL log (or - for standard input)",
                args.file
            ))
            .into())
        }
        Some(Command::Replay(args)) => crate::replay_cmd::run(args),
        Some(Command::Run(args)) => crate::headless::run(args),
        Some(Command::Completions { shell }) => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "ocw-tui", &mut script);
            // A closed pipe (`| head`) is not an error worth a message.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), &script);
            Ok(ExitCode::SUCCESS)
        }
        None => crate::tui::run(cli.tui),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            // Errors may quote the server: cleaned on a terminal.
            let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
            eprintln!(
                "ocw-tui: {}",
                crate::safe_text::for_output(&format!("{e:#}"), tty)
            );
            ExitCode::from(exit_status_of(&e))
        }
    }
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
    if e.downcast_ref::<crate::live::UsageError>().is_some() {
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
        previous(info);
    }));
}
