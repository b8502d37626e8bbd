//! Security without opencode: `--attach` against fake servers, wrong command lines, and
//! untrusted text never reaching the terminal as control sequences (proptest over every
//! renderer). The tests against the real server are in `tests/e2e/security_*.rs`.

#[path = "security/attach.rs"]
mod attach;
#[path = "security/cli_misuse.rs"]
mod cli_misuse;
#[path = "security/safe_render.rs"]
mod safe_render;
