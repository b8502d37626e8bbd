//! The command line (clap) declared, nothing more: `ocw-tui [PROJECT]` (the TUI),
//! `ocw-tui run` (headless), `ocw-tui replay` (saved logs) and `ocw-tui completions`.
//! `cmd` dispatches them and maps outcomes to exit statuses.

pub use crate::backend::answer::{PermissionPolicy, QuestionPolicy};
pub use crate::model::approval::ApprovalMode;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

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

/// What `run` prints and how it reports what its policies rejected.
const RUN_AFTER_HELP: &str = "\
Output:
  stdout gets the last answer that has text: normally the last turn's. When the last turn
  gave no text (its request was rejected, or it only ran tools), the latest earlier answer
  is printed and stderr says which turn it comes from. --json prints the summary instead.

Rejected requests:
  Every permission or question that --on-permission / --on-question rejects (the default)
  is named on stderr with its turn, e.g.
    ocw-tui: turn 2 of 2 (\"ask me\"): question \"Which DB?\" was auto-rejected ...
  A rejection is the answer the policy asked for, not a failure: the exit status stays 0.
  To act on it in a script, read --json (permissions[].reply, questions[].rejected).";

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
    #[command(after_help = RUN_AFTER_HELP)]
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
    /// Model as provider/model (checked against the server's catalog once it is known).
    #[arg(long, value_name = "PROVIDER/MODEL", value_parser = model_shape)]
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
    /// Write a diagnostic log (server start, reconnects, resyncs, HTTP errors) to FILE; OCW_LOG=LEVEL sets its level.
    #[arg(long, value_name = "FILE")]
    pub debug_log: Option<PathBuf>,
    /// Spawn the server on this port (loopback, with a password) and write a 0600 connection file (url, password) for an editor plugin.
    #[arg(long, value_name = "N", conflicts_with = "attach", value_parser = clap::value_parser!(u16).range(1..))]
    pub port: Option<u16>,
    /// Seconds to wait for a spawned server to become healthy.
    #[arg(long, value_name = "SECS", default_value_t = 30.0)]
    pub startup_timeout: f64,
}

/// `--model` has the PROVIDER/MODEL shape (refused before any server starts otherwise;
/// whether the server knows it is checked once its catalog is fetched).
fn model_shape(s: &str) -> Result<String, String> {
    match s.split_once('/') {
        Some((p, m)) if !p.trim().is_empty() && !m.trim().is_empty() => Ok(s.to_string()),
        _ => Err("expected PROVIDER/MODEL, e.g. anthropic/claude-sonnet-4 (`opencode models` lists them)".to_string()),
    }
}

/// Permission requests answered without asking (model/approval.rs).
#[derive(Debug, Clone, Args, Default)]
pub struct ApprovalArgs {
    /// Allow once, without asking, every permission request the config does not deny (as --approvals auto; dangerous).
    #[arg(long, conflicts_with = "approvals")]
    pub auto: bool,
    /// Which permission requests are allowed once without asking (default ask: none); with `run`, before --on-permission.
    #[arg(long, value_enum, value_name = "MODE")]
    pub approvals: Option<ApprovalMode>,
}

impl ApprovalArgs {
    pub fn mode(&self) -> ApprovalMode {
        if self.auto {
            ApprovalMode::Auto
        } else {
            self.approvals.unwrap_or_default()
        }
    }
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
    /// Do not record the session (by default every session is logged under $XDG_STATE_HOME/ocw-tui/logs/), nor add prompts to opencode's prompt history.
    #[arg(long, conflicts_with = "log")]
    pub no_log: bool,
    /// No bell or desktop notification when a dialog opens, a turn ends or an error arrives.
    #[arg(long)]
    pub no_notify: bool,
    /// The colour theme: one of opencode's (opencode, tokyonight, gruvbox, …), a custom one, system; auto (default) is system; dark / light fix the background (NO_COLOR turns colour off).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    #[command(flatten)]
    pub approvals: ApprovalArgs,
    #[command(flatten)]
    pub server: ServerArgs,
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
    /// Before --on-permission: what an approval mode allows is allowed once (questions still follow --on-question).
    #[command(flatten)]
    pub approvals: ApprovalArgs,
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
    /// The log to replay (`-` reads standard input); without it, the recorded sessions are listed to pick one.
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
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
    /// The colour theme: one of opencode's (opencode, tokyonight, gruvbox, …), a custom one, system; auto (default) is system; dark / light fix the background (NO_COLOR turns colour off).
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
}
