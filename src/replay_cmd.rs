//! `ocw-tui replay`: summarise a log without a screen (for now).

use crate::cli::ReplayArgs;
use crate::model::{Store, Summary};
use std::process::ExitCode;

pub fn run(args: ReplayArgs) -> anyhow::Result<ExitCode> {
    let mut reader = crate::log::open(&args.file)?;
    let mut store = Store::new();
    while let Some(rec) = reader.next_record()? {
        store.apply(&rec.event);
    }
    let summary = Summary::of(&store, reader.skipped);
    if args.json {
        println!("{}", summary.to_json());
    } else {
        print!("{}", summary.to_text());
    }
    Ok(ExitCode::SUCCESS)
}
