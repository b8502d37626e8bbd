//! The prompt and what it carries: the input, `@` mentions and pastes, `/` completion,
//! the prompts queued while the agent works, and the model / agent the next prompt uses.

pub mod input;
pub mod mention;
mod mention_keys;
pub mod model_choice;
pub(crate) mod queue;
pub mod slash;
