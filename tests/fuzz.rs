//! Hostile input: arbitrary and mutated events through the parser, reducer and renderers,
//! and a hostile server in front of headless `run --attach`.

#[path = "fuzz/events.rs"]
mod events;
#[path = "fuzz/hostile_server.rs"]
mod hostile_server;
