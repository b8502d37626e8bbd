//! `ocw-tui replay`: summarise a log (`--summary [--json]`, streaming: memory does not grow
//! with the number of events), export it as Markdown (`--export-markdown OUT`), or watch it.

use crate::cli::ReplayArgs;
use crate::model::{Store, Summary};
use anyhow::Context;
use std::process::ExitCode;

pub fn run(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    if args.summary || args.export_markdown.is_some() {
        let (store, skipped) = reduce(&args.file)?;
        if let Some(out) = &args.export_markdown {
            let md = crate::replay::markdown::export(&store, skipped);
            std::fs::write(out, md).with_context(|| {
                format!("cannot write the Markdown export to {}", out.display())
            })?;
        }
        if args.summary {
            let summary = Summary::of(&store, skipped);
            if args.json {
                println!("{}", summary.to_json());
            } else {
                print!("{}", summary.to_text());
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::bail!("the interactive replay is not built yet: use --summary or --export-markdown")
}

/// Streams the log through the reducer. Returns the store and the count of skipped lines.
fn reduce(path: &str) -> anyhow::Result<(Store, u64)> {
    let mut reader = crate::log::open(path)?;
    let mut store = Store::new();
    while let Some(rec) = reader
        .next_record()
        .with_context(|| format!("cannot read the log {path}"))?
    {
        store.apply(&rec.event);
    }
    Ok((store, reader.skipped))
}
