//! 党建台账 (djtz): a township's party-building ledger in one SQLite file.

pub mod cli;
pub mod crash;
pub mod demo;
pub mod domain;
pub mod error;
pub mod exchange;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub(crate) mod ops;
pub mod report;
pub mod store;
pub mod tui;
