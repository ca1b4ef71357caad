//! The generic register screen: a list paged through the database with a
//! typed filter (Chinese or pinyin), fixed filters (F4), sorting (F6), the
//! facts of the selected record, and the record's form with validation in
//! place (F7 asks the app for a pick list), drafts and the leave guard. Screens never touch the
//! database: they emit `Msg`s and the app hands them pages and facts.
//!
//! `mod.rs` holds what a record kind tells the screen (`Register`) and the
//! draft a form keeps; `list.rs` the screen itself (list, form, facts);
//! `read.rs` how a form's text is read back into typed values.

mod list;
pub mod read;

pub use list::RegList;

use std::collections::BTreeMap;

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

/// A draft as kept in the ledger.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub table: String,
    pub id: i64,
    pub title: String,
    /// The form's values by field key (a meeting adds its minutes and
    /// attendance under their own keys).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The values in field order, as drafts were kept before field keys
    /// (read, never written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The parent of a sub-list record (org of a coverage …).
    #[serde(default)]
    pub parent: Option<i64>,
}

impl Draft {
    /// Puts the draft's values into the form: by field key, or in field
    /// order for a draft kept by an older version.
    pub fn restore_into(&self, form: &mut Form) {
        if self.fields.is_empty() {
            form.restore_in_order(&self.values);
        } else {
            form.restore_draft(&self.fields);
        }
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;
    use crate::tui::widgets::fields::FieldKind;

    const A: FieldId = FieldId::new("name", "名称");
    const B: FieldId = FieldId::new("phone", "联系电话");

    fn form(order: &[FieldId]) -> Form {
        let fields = order
            .iter()
            .map(|id| Field::new(*id, FieldKind::Text, false, ""))
            .collect();
        Form::new("单位", fields)
    }

    /// A draft keeps each value under its field's key, so a form whose
    /// fields come in another order (a newer version) gets them back in the
    /// right places, and a key it no longer has is skipped.
    #[test]
    fn a_draft_is_restored_by_field_key() {
        let mut f = form(&[A, B]);
        f.set(A, "甲公司");
        f.set(B, "13800000000");
        let mut fields = f.draft_values();
        fields.insert("gone".to_string(), "x".to_string());
        let d = Draft {
            table: "units".to_string(),
            id: 0,
            title: "新增单位".to_string(),
            fields,
            values: Vec::new(),
            parent: None,
        };
        let json = serde_json::to_string(&d).unwrap_or_default();
        assert!(json.contains(r#""name":"甲公司""#), "{json}");
        assert!(!json.contains(r#""values""#), "{json}");
        let back: Draft = serde_json::from_str(&json).unwrap_or(d);
        let mut g = form(&[B, A]);
        back.restore_into(&mut g);
        assert_eq!(g.get(A), "甲公司");
        assert_eq!(g.get(B), "13800000000");
    }

    /// A draft an older version kept (values in field order) still comes
    /// back after the upgrade.
    #[test]
    fn an_older_draft_in_field_order_is_restored() {
        let json = r#"{"table":"units","id":0,"title":"新增单位","values":["乙公司","0793"]}"#;
        let d: Result<Draft, _> = serde_json::from_str(json);
        let Ok(d) = d else {
            panic!("an older draft is read: {d:?}");
        };
        let mut f = form(&[A, B]);
        d.restore_into(&mut f);
        assert_eq!(f.get(A), "乙公司");
        assert_eq!(f.get(B), "0793");
    }
}
