//! Everything drawn over the transcript: popups (help, pickers, session list, search,
//! file diff) and the permission / question dialogs with the approval focus rule.

pub mod build_plan;
pub(crate) mod dialog_view;
pub(crate) mod dialogs;
pub(crate) mod file_diff;
pub(crate) mod find;
pub(crate) mod find_keys;
pub(crate) mod focus;
pub(crate) mod fork;
pub mod guard;
pub(crate) mod help;
pub(crate) mod history_search;
pub(crate) mod mention_picker;
pub(crate) mod models;
pub(crate) mod palette;
pub(crate) mod permission;
pub(crate) mod picker;
pub(crate) mod popup;
pub(crate) mod question;
pub(crate) mod question_view;
pub mod save_rule;
pub(crate) mod session_index;
pub(crate) mod session_keys;
pub(crate) mod session_search;
pub(crate) mod sessions;
pub(crate) mod slash_popup;
pub(crate) mod stack;
pub(crate) mod themes;
pub(crate) mod timeline;
pub(crate) mod toast;

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
    themes::REGISTRATION,
    timeline::REGISTRATION,
    palette::REGISTRATION,
    history_search::REGISTRATION,
];
