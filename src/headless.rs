//! Headless `ocw-tui run`.
use crate::cli::{RunArgs, TuiArgs};
use std::process::ExitCode;
pub fn run(_args: RunArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
pub fn tui(_args: TuiArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
