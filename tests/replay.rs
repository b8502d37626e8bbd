//! `ocw-tui replay` and the model behind it: the timeline, the replay view, the summary and
//! Markdown export, the reducer over the recorded fixtures, and the bundled demo log.

#[path = "replay/corners.rs"]
mod corners;
#[path = "replay/demo_log.rs"]
mod demo_log;
#[path = "replay/honest.rs"]
mod honest;
#[path = "replay/markdown.rs"]
mod markdown;
#[path = "replay/reducer_fixtures.rs"]
mod reducer_fixtures;
#[path = "replay/summary.rs"]
mod summary;
#[path = "replay/timeline.rs"]
mod timeline;
#[path = "replay/view.rs"]
mod view;
