//! A compaction in the transcript (`/compact`, or opencode's own when the context is
//! full): the user message it leaves holds a `compaction` part and shows as a divider;
//! the assistant message after it is the summary the model sees from then on.

use crate::model::state::{Message, PartKind};
use crate::ui::{theme, transcript::wrap};
use ratatui::text::{Line, Span};

/// True for the user message a compaction left (`compaction` part): not a prompt.
pub fn is_compaction(m: &Message) -> bool {
    m.parts
        .iter()
        .any(|p| matches!(&p.kind, PartKind::Other { kind } if kind == "compaction"))
}

/// The line a compaction leaves in the transcript: above it, what the model no longer
/// sees; below it, the summary it sees instead.
pub(crate) fn divider(width: usize) -> Line<'static> {
    let label = " compacted · the model sees the summary below ";
    let side = width.saturating_sub(wrap::width(label)) / 2;
    let rest = width.saturating_sub(side + wrap::width(label));
    Line::from(Span::styled(
        format!("{}{label}{}", "─".repeat(side), "─".repeat(rest)),
        theme::rule(),
    ))
}
