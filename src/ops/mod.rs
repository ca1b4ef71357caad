//! Use cases shared by the command line and the TUI, so that both front
//! ends do a thing the same way: `issue` (a monthly report printed or
//! written to a file, archived as issued, and what changed since).

pub mod issue;
