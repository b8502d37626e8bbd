//! The usage error (exit status 2) and the one check of the project directory.

use std::path::Path;

/// A mistake in how ocw-tui was called: exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The project must be an existing directory; says which of the two it is not.
pub fn check_project_dir(project: &Path) -> Result<(), UsageError> {
    if project.is_dir() {
        return Ok(());
    }
    let what = if project.exists() {
        "is not a directory"
    } else {
        "does not exist"
    };
    Err(UsageError(format!(
        "project directory {} {what}: pass an existing directory",
        project.display()
    )))
}
