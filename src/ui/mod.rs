//! The interactive terminal UI (ratatui): panes, dialogs, input and the draw loop.
