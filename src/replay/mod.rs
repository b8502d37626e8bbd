//! Replay of saved logs: timeline, pacing, seeking, Markdown export.
