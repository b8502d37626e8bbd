//! Everything drawn over the transcript: popups (help, pickers, session list, search,
//! file diff) and the permission / question dialogs with the approval focus rule.

pub mod dialog_view;
pub mod dialogs;
pub mod file_diff;
pub mod find;
pub(crate) mod find_keys;
pub mod fork;
pub mod guard;
pub mod help;
pub mod mention_picker;
pub mod models;
pub mod permission;
pub mod picker;
pub mod popup;
pub mod question;
pub mod question_view;
pub mod save_rule;
pub mod session_index;
pub mod session_keys;
pub mod sessions;
pub mod slash_popup;
pub(crate) mod stack;

pub(crate) use dialogs::{DialogState, Dialogs};
pub use permission::PermissionDialog;
pub use question::QuestionDialog;
pub use save_rule::SaveRuleOffer;
pub(crate) use stack::{Areas, OverlayStack, Registration};

/// Every popup that a key at the prompt opens or that has keys to list in the help (F1),
/// in the order of the help.
pub(crate) const REGISTRY: &[Registration] = &[
    help::REGISTRATION,
    find_keys::REGISTRATION,
    session_keys::REGISTRATION,
    file_diff::REGISTRATION,
    permission::REGISTRATION,
    question::REGISTRATION,
    mention_picker::REGISTRATION,
    slash_popup::REGISTRATION,
    models::REGISTRATION,
];
