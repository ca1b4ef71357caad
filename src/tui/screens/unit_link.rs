//! The records that tie a unit to something over dates: an org's coverage
//! of a unit (覆盖单位), an instructor's assignment to one (联系单位), and a
//! visit to one (走访记录, a single date). Their unit field, their date span
//! and how both are shown and read back are written here once.

use chrono::NaiveDate;

use super::register::read;
use super::{Ctx, Lookups};
use crate::tui::widgets::fields::{Field, FieldId, FieldKind, RefKind};
use crate::tui::widgets::form::Form;

pub const F_UNIT: FieldId = FieldId::new("unit", "单位");
pub const F_START: FieldId = FieldId::new("start", "开始日期");
pub const F_END: FieldId = FieldId::new("end", "结束日期");

/// A unit tied over `from ..` (`to` open: still).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub unit_id: i64,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

/// The unit's name ("" for a new record without one yet).
fn unit_name(cx: &Ctx, unit_id: i64) -> String {
    if unit_id > 0 {
        cx.lookups.name(RefKind::Unit, unit_id)
    } else {
        String::new()
    }
}

/// The required unit field (F7: pick list of units).
pub fn unit_field(cx: &Ctx, unit_id: i64) -> Field {
    Field::new(
        F_UNIT,
        FieldKind::Ref(RefKind::Unit),
        true,
        &unit_name(cx, unit_id),
    )
}

/// The unit, read back: an error on the field when it names no unit.
pub fn read_unit(form: &mut Form, cx: &Ctx) -> Result<i64, read::Bad> {
    read::reference(form, F_UNIT, RefKind::Unit, cx)
}

/// The list's columns: unit, start, end.
pub fn cells(lk: &Lookups, s: Span) -> Vec<String> {
    vec![
        lk.name(RefKind::Unit, s.unit_id),
        s.from.to_string(),
        read::date_text(s.to),
    ]
}

/// The form's fields: unit, start (required), end.
pub fn fields(cx: &Ctx, s: Span) -> Vec<Field> {
    vec![
        unit_field(cx, s.unit_id),
        Field::new(F_START, FieldKind::Date, true, &s.from.to_string()),
        Field::new(F_END, FieldKind::Date, false, &read::date_text(s.to)),
    ]
}

/// The span read back; every field that cannot be read gets its message
/// (all three are read before giving up).
pub fn read_span(form: &mut Form, cx: &Ctx) -> Option<Span> {
    let unit = read_unit(form, cx);
    let from = read::date(form, F_START, cx.today);
    let to = read::opt_date(form, F_END, cx.today);
    Some(Span {
        unit_id: unit.ok()?,
        from: from.ok()?,
        to: to.ok()?,
    })
}

impl crate::domain::records::Coverage {
    pub(super) fn span(&self) -> Span {
        Span {
            unit_id: self.unit_id,
            from: self.from,
            to: self.to,
        }
    }
}

impl crate::domain::records::Assignment {
    pub(super) fn span(&self) -> Span {
        Span {
            unit_id: self.unit_id,
            from: self.start,
            to: self.end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::Settings;
    use crate::tui::theme::Theme;

    /// A coverage or assignment form read back: a unit that is not in the
    /// ledger and an unreadable end date are both marked in one pass.
    #[test]
    fn every_bad_field_of_a_span_is_marked_at_once() {
        let lk = Lookups {
            units: vec![(8, "甲公司".to_string())],
            ..Lookups::default()
        };
        let st = Settings::default();
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default();
        let cx = Ctx {
            today,
            lookups: &lk,
            settings: &st,
            theme: Theme::new(false),
            read_only: None,
        };
        let s = Span {
            unit_id: 8,
            from: today,
            to: None,
        };
        let mut form = Form::new("覆盖单位", fields(&cx, s));
        assert_eq!(read_span(&mut form, &cx), Some(s));
        form.set(F_UNIT, "乙公司");
        form.set(F_END, "2026-13-40");
        assert_eq!(read_span(&mut form, &cx), None);
        let err = |id| form.field(id).and_then(|f| f.error.clone());
        assert!(err(F_UNIT).is_some(), "the unknown unit is marked");
        assert!(err(F_END).is_some(), "the bad date is marked");
        assert_eq!(err(F_START), None);
        assert_eq!(cells(&lk, s), vec!["甲公司", "2026-12-03", ""]);
    }
}
