//! The generic register screen: a list paged through the database with a
//! typed filter (Chinese or pinyin), fixed filters (F4), sorting (F6), the
//! facts of the selected record, and the record's form with validation in
//! place (F7 asks the app for a pick list), drafts and the leave guard.
//! Screens never touch the database: they emit `Msg`s and the app hands
//! them pages and facts.
//!
//! `mod.rs` holds what a record kind tells the screen (`Register`);
//! `list.rs` the screen itself (list, form, facts);
//! `read.rs` how a form's text is read back into typed values.

mod list;
pub mod read;

pub use list::RegList;

use chrono::NaiveDate;

use super::{Ctx, Lookups};
use crate::domain::validate::Issues;
use crate::store::{ListFilter, Record};
use crate::tui::event::Key;
use crate::tui::msg::{Msg, Rec};
use crate::tui::screen::Command;
use crate::tui::widgets::fields::{Field, FieldId};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::Column;

/// What a record kind tells the generic register screen.
pub trait Register: Record + PartialEq + 'static {
    /// 单位, 党组织 …
    const NAME: &'static str;
    fn columns() -> &'static [Column];
    fn cells(&self, lk: &Lookups) -> Vec<String>;
    /// The fixed filters F4 cycles through (after 全部).
    fn presets() -> Vec<(String, ListFilter)> {
        Vec::new()
    }
    /// A new record: defaults, today, taken over from the previous one
    /// where that helps, and the parent of a sub-list.
    fn blank(cx: &Ctx, prev: Option<&Self>, parent: Option<i64>, suggest: Option<i64>) -> Self;
    fn fields(&self, cx: &Ctx) -> Vec<Field>;
    /// The field holding the record's name, for a record added from a
    /// pick list with the name typed there (F5).
    const NAME_FIELD: Option<FieldId> = None;
    /// Reads the form back into a record; puts a message on every field
    /// that cannot be read and returns None then.
    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self>;
    fn validate(&self, today: NaiveDate) -> Issues;
    /// The record's own commands in the list (before the common ones; an
    /// F-key named here replaces the common one's label and help).
    fn list_commands() -> &'static [Command] {
        &[]
    }
    /// Handles an extra list key for the selected record.
    fn list_key(_sel: &Self, _key: Key, _out: &mut Vec<Msg>) -> bool {
        false
    }
    /// The record's own commands in the form (quick actions).
    fn form_commands() -> &'static [Command] {
        &[]
    }
    /// A quick action in the form (e.g. 转正 fills the dates).
    fn form_key(_form: &mut Form, _key: Key, _cx: &Ctx) -> bool {
        false
    }
    /// The title of a sub-list of this kind (`党组织 / 覆盖单位`).
    fn sub_title() -> &'static str {
        Self::NAME
    }
    /// The record as the app saves it.
    fn into_rec(self) -> Rec;
    /// The record back from what the app saved (None: another kind).
    fn from_rec(r: Rec) -> Option<Self>;
}

/// `into_rec`/`from_rec` of a record kind: the `Rec` variant it travels in.
macro_rules! rec_variant {
    ($v:ident) => {
        fn into_rec(self) -> $crate::tui::msg::Rec {
            $crate::tui::msg::Rec::$v(self)
        }
        fn from_rec(r: $crate::tui::msg::Rec) -> Option<Self> {
            match r {
                $crate::tui::msg::Rec::$v(x) => Some(x),
                _ => None,
            }
        }
    };
}
pub(crate) use rec_variant;

/// The record being edited.
#[derive(Debug, Clone)]
pub struct Editing<R> {
    pub form: Form,
    pub base: R,
}

impl<R: Register> Editing<R> {
    pub fn draft_key(&self) -> String {
        format!("{}:{}", R::TABLE, self.base.id())
    }
}
