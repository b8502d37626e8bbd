//! `ocw-tui replay`: summarise a log (`--summary [--json]`, streaming: memory does not grow
//! with the number of events), export it as Markdown (`--export-markdown OUT`), or watch it
//! in the TUI, read-only (the loop lives here, on the UI's terminal runtime
//! `ui::runtime::terminal`; the view is `replay::screen`).

use crate::cli::ReplayArgs;
use crate::model::Summary;
use crate::replay::{Flow, ReplayView, Timeline};
use crate::ui::runtime::terminal::{FrameScheduler, Screen};
use anyhow::Context;
use std::process::ExitCode;
use tokio::time::Instant;

/// `file`: the log given or picked (`-` = standard input).
pub fn replay(file: String, args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let file = &file;
    if args.summary || args.export_markdown.is_some() {
        let reduced = crate::replay::reduce::reduce(file)
            .with_context(|| format!("cannot read the log {}", file))?;
        let (store, skipped) = (&reduced.store, reduced.skipped);
        if let Some(out) = &args.export_markdown {
            let md = crate::replay::export::export(store, skipped);
            write_markdown(out, &md).with_context(|| {
                format!("cannot write the Markdown export to {}", out.display())
            })?;
        }
        if args.summary {
            let summary = Summary::of(store, skipped);
            if args.json {
                println!("{}", summary.to_json());
            } else {
                // A terminal gets the text cleaned; a pipe or a file gets its bytes.
                let tty = std::io::IsTerminal::is_terminal(&std::io::stdout());
                let text = summary.to_text() + &damage_note(&reduced);
                print!("{}", crate::safe_text::for_output(&text, tty));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    interactive(file, args)
}

/// The export as it is to a file or a pipe; cleaned (no control sequence) when `out` is a
/// terminal (`/dev/tty`, `/dev/stdout` on a terminal).
fn write_markdown(out: &std::path::Path, md: &str) -> std::io::Result<()> {
    use std::io::{IsTerminal, Write};
    let mut f = std::fs::File::create(out)?;
    let tty = f.is_terminal();
    f.write_all(crate::safe_text::for_output(md, tty).as_bytes())
}

/// For people: where the skipped lines are and whether the log was cut off.
fn damage_note(r: &crate::replay::reduce::Reduced) -> String {
    let mut out = String::new();
    if r.skipped > 0 {
        let shown: Vec<String> = r
            .skipped_lines
            .iter()
            .take(20)
            .map(u64::to_string)
            .collect();
        let more = if r.skipped as usize > shown.len() {
            ", ..."
        } else {
            ""
        };
        out.push_str(&format!("skipped lines: {}{more}\n", shown.join(", ")));
    }
    if r.truncated_tail {
        out.push_str(
            "the last line is cut off: the log ended early (its writer stopped mid-line)\n",
        );
    }
    out
}

/// The TUI, read-only on the log.
fn interactive(file: &str, args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let reader = crate::log::open(file)?;
    let timeline =
        Timeline::load(reader).with_context(|| format!("cannot read the log {}", file))?;
    if timeline.is_empty() {
        anyhow::bail!(
            "{} holds no events ({} malformed lines): nothing to replay",
            file,
            timeline.skipped
        );
    }
    let mut view = ReplayView::new(timeline, args.speed, args.instant);
    if let Some(id) = &args.session {
        if !view.watch_session(id) {
            anyhow::bail!(
                "no session {id} in {} (sessions: {})",
                file,
                view.timeline.roots.join(", ")
            );
        }
    }
    crate::ui::theme::init(args.theme.as_deref(), std::path::Path::new("."))
        .map_err(|e| crate::usage::UsageError(e.to_string()))?;
    // Standard input held the log; keys come from the terminal itself.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(terminal_loop(view))?;
    Ok(ExitCode::SUCCESS)
}

async fn terminal_loop(mut view: ReplayView) -> anyhow::Result<()> {
    use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
    use futures_util::StreamExt;

    let mut screen = Screen::enter(false)?;
    let mut keys = EventStream::new();
    let mut frames = FrameScheduler::default();
    frames.request();
    loop {
        let now = Instant::now();
        if frames.due(now.into_std()) {
            screen.draw(|f| view.render(f))?;
            frames.drawn(now.into_std());
        }
        let frame_due = frames.deadline(now.into_std()).map(Instant::from_std);
        let pos = view.pos();
        let (timeline, pacer) = (&view.timeline, &mut view.pacer);
        tokio::select! {
            ev = keys.next() => match ev {
                Some(Ok(TermEvent::Key(k))) if k.kind != KeyEventKind::Release => {
                    if view.handle_key(k) == Flow::Quit {
                        return Ok(());
                    }
                    frames.request();
                }
                Some(Ok(TermEvent::Resize(..))) => frames.request(),
                Some(Ok(_)) => {}
                Some(Err(e)) => anyhow::bail!("reading the terminal failed: {e}"),
                None => return Ok(()),
            },
            _ = pacer.wait(timeline, pos) => {
                // Play every event already due (a fast speed plays several per frame).
                let now = Instant::now();
                view.play_next();
                while let Some(d) = view.pacer.due(&view.timeline, view.pos(), now) {
                    if d > now || !view.play_next() {
                        break;
                    }
                }
                frames.request();
            }
            _ = sleep_until(frame_due) => {}
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
