//! Reusable pieces of the screens.

pub mod attendance;
pub mod dialogs;
pub mod fields;
pub mod fkey_bar;
pub mod form;
pub mod help;
pub mod pick_list;
pub mod table;
