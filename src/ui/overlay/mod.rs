//! Everything drawn over the transcript: popups (help, pickers, session list, search,
//! file diff) and the permission / question dialogs with the approval focus rule.

pub(crate) mod dialog_keys;
pub(crate) mod dialog_view;
pub(crate) mod file_diff;
pub(crate) mod find;
pub(crate) mod find_keys;
pub mod guard;
pub(crate) mod help;
pub(crate) mod models;
pub(crate) mod permission;
pub(crate) mod picker;
pub(crate) mod popup;
pub(crate) mod question;
pub(crate) mod question_view;
pub mod save_rule;
pub(crate) mod session_index;
pub(crate) mod session_keys;
pub(crate) mod sessions;
