//! Helpers for the record files: a field's parsed value or an error on it.

use chrono::NaiveDate;

use crate::domain::dates::parse_date_input;
use crate::domain::enums::parse_yes_no;
use crate::domain::text::fold_input;
use crate::tui::screens::Ctx;
use crate::tui::widgets::fields::{FieldId, RefKind};
use crate::tui::widgets::form::Form;

/// A field could not be read; its message is on the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bad;

fn bad(form: &mut Form, id: FieldId, msg: &str) -> Bad {
    form.set_error(id, msg);
    Bad
}

pub fn opt_date(form: &mut Form, id: FieldId, today: NaiveDate) -> Result<Option<NaiveDate>, Bad> {
    let v = form.get(id);
    if v.is_empty() {
        return Ok(None);
    }
    parse_date_input(&v, today)
        .map(Some)
        .map_err(|e| bad(form, id, &e))
}

pub fn date(form: &mut Form, id: FieldId, today: NaiveDate) -> Result<NaiveDate, Bad> {
    match opt_date(form, id, today)? {
        Some(d) => Ok(d),
        None => {
            form.set_error(id, "必填，请填写日期，如 2026-10-15 或只写日 15");
            Err(Bad)
        }
    }
}

pub fn opt_int(form: &mut Form, id: FieldId) -> Result<Option<i64>, Bad> {
    let v = fold_input(&form.get(id));
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<i64>()
        .map(Some)
        .map_err(|_| bad(form, id, &format!("“{v}”不是整数，请填写如 12")))
}

pub fn opt_bool(form: &mut Form, id: FieldId) -> Result<Option<bool>, Bad> {
    let v = form.get(id);
    if v.is_empty() {
        return Ok(None);
    }
    parse_yes_no(&v, id.label)
        .map(Some)
        .map_err(|e| bad(form, id, &e))
}

pub fn choice<T>(
    form: &mut Form,
    id: FieldId,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, Bad> {
    let v = form.get(id);
    parse(&v).map_err(|e| bad(form, id, &e))
}

pub fn opt_choice<T>(
    form: &mut Form,
    id: FieldId,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, Bad> {
    let v = form.get(id);
    if v.is_empty() {
        return Ok(None);
    }
    parse(&v).map(Some).map_err(|e| bad(form, id, &e))
}

pub fn opt_ref(form: &mut Form, id: FieldId, k: RefKind, cx: &Ctx) -> Result<Option<i64>, Bad> {
    let v = form.get(id);
    if v.is_empty() {
        return Ok(None);
    }
    match cx.lookups.resolve(k, &v) {
        Ok(rec) => {
            let name = cx.lookups.name(k, rec);
            form.set(id, &name);
            Ok(Some(rec))
        }
        Err(e) => Err(bad(form, id, &e)),
    }
}

pub fn reference(form: &mut Form, id: FieldId, k: RefKind, cx: &Ctx) -> Result<i64, Bad> {
    match opt_ref(form, id, k, cx)? {
        Some(id) => Ok(id),
        None => {
            form.set_error(id, &format!("必填，请按 F7 选择{}", k.what()));
            Err(Bad)
        }
    }
}

pub fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub fn bool_text(b: Option<bool>) -> String {
    b.map(|b| crate::domain::enums::yes_no(b).to_string())
        .unwrap_or_default()
}
