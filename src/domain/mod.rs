//! Plain types and rules: no SQL, no terminal.

pub mod dates;
pub mod dues;
pub mod enums;
pub mod ids;
pub mod ledger;
pub mod money;
pub mod records;
pub mod rules;
pub mod search;
pub mod text;
pub mod validate;
pub mod warnings;
