//! 5 指导员: instructors, the units they are assigned to (with dates), their
//! visit log and yearly assessment, each a sub-list of the instructor.

use chrono::{Datelike, NaiveDate};

use super::register::{Register, read};
use super::unit_link;
use super::{Ctx, Lookups};
use crate::domain::enums::*;
use crate::domain::records::{Assignment, Instructor, InstructorAssessment, Visit};
use crate::domain::validate::{self, FieldError, Issues};
use crate::store::ListFilter;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, SubKind};
use crate::tui::screen::Command;
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::{Column, col};

/// The form's fields: the key a draft keeps and the label shown.
const F_APPOINTED: FieldId = FieldId::new("appointed", "选派日期");
const F_CONTENT: FieldId = FieldId::new("content", "内容");
const F_DATE: FieldId = FieldId::new("date", "日期");
const F_GENDER: FieldId = FieldId::new("gender", "性别");
const F_GRADE: FieldId = FieldId::new("grade", "考核结果");
const F_LEFT_POST: FieldId = FieldId::new("left_post", "离任日期");
const F_NAME: FieldId = FieldId::new("name", "姓名");
const F_NOTE: FieldId = FieldId::new("note", "备注");
const F_PHONE: FieldId = FieldId::new("phone", "手机");
const F_PROBLEMS: FieldId = FieldId::new("problems", "收集问题");
const F_SOLVED: FieldId = FieldId::new("solved", "是否解决");
const F_SOURCE: FieldId = FieldId::new("source", "来源");
const F_WAY: FieldId = FieldId::new("way", "方式");
const F_WORKPLACE: FieldId = FieldId::new("workplace", "工作单位及职务");
const F_YEAR: FieldId = FieldId::new("year", "年度");

const COLUMNS: &[Column] = &[
    col("姓名", 8, Some("name")),
    col("来源", 16, Some("source")),
    col("工作单位及职务", 26, Some("workplace")),
    col("选派日期", 10, Some("appointed")),
    col("状态", 4, None),
];

const LIST_COMMANDS: &[Command] = &[
    Command::f(
        7,
        "联系单位",
        "F7",
        "联系单位：增加（选单位、开始日期）或结束（填结束日期）",
    ),
    Command::f(
        9,
        "走访",
        "F9",
        "走访记录：新走访默认今天、最久未走访的联系单位",
    ),
];

/// The instructor's sub-lists (联系单位, 走访记录, 年度考核) switch with Tab.
const SUB_COMMANDS: &[Command] = &[Command::keys(
    "Tab",
    "在 联系单位 / 走访记录 / 年度考核 之间切换",
)];

const ASSIGN_COLUMNS: &[Column] = &[
    col("单位", 34, Some("unit_id")),
    col("开始日期", 10, Some("start_date")),
    col("结束日期", 10, Some("end_date")),
];

const VISIT_COLUMNS: &[Column] = &[
    col("日期", 10, Some("date")),
    col("单位", 22, Some("unit_id")),
    col("方式", 8, Some("mode")),
    col("内容", 20, None),
];

const ASSESS_COLUMNS: &[Column] = &[
    col("年度", 6, Some("year")),
    col("考核结果", 10, Some("grade")),
    col("备注", 20, None),
];

impl Register for Instructor {
    const NAME_FIELD: Option<FieldId> = Some(F_NAME);
    const NAME: &'static str = "指导员";

    super::register::rec_variant!(Instructor);

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, _lk: &Lookups) -> Vec<String> {
        vec![
            self.name.clone(),
            self.source.label().to_string(),
            self.workplace.clone(),
            self.appointed.to_string(),
            if self.left.is_some() {
                "离任"
            } else {
                "在任"
            }
            .to_string(),
        ]
    }

    fn presets() -> Vec<(String, ListFilter)> {
        vec![("在任".to_string(), ListFilter::InstructorActive)]
    }

    fn blank(cx: &Ctx, prev: Option<&Self>, _p: Option<i64>, _s: Option<i64>) -> Self {
        Instructor {
            id: 0,
            name: String::new(),
            gender: None,
            phone: String::new(),
            source: prev.map_or(InstructorSource::Government, |p| p.source),
            workplace: String::new(),
            appointed: cx.today,
            left: None,
            note: String::new(),
        }
    }

    fn fields(&self, _cx: &Ctx) -> Vec<Field> {
        use FieldKind::*;
        vec![
            Field::new(F_NAME, Text, true, &self.name),
            Field::new(
                F_GENDER,
                Choice(Gender::labels()),
                false,
                self.gender.map_or("", |g| g.label()),
            ),
            Field::new(F_PHONE, Text, false, &self.phone),
            Field::new(
                F_SOURCE,
                Choice(InstructorSource::labels()),
                true,
                self.source.label(),
            ),
            Field::new(F_WORKPLACE, Text, false, &self.workplace),
            Field::new(F_APPOINTED, Date, true, &self.appointed.to_string()),
            Field::new(F_LEFT_POST, Date, false, &read::date_text(self.left)),
            Field::new(F_NOTE, Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let gender = read::opt_choice(form, F_GENDER, Gender::parse);
        let source = read::choice(form, F_SOURCE, InstructorSource::parse);
        let appointed = read::date(form, F_APPOINTED, cx.today);
        let left = read::opt_date(form, F_LEFT_POST, cx.today);
        Some(Instructor {
            id: base.id,
            name: form.get(F_NAME),
            gender: gender.ok()?,
            phone: form.get(F_PHONE),
            source: source.ok()?,
            workplace: form.get(F_WORKPLACE),
            appointed: appointed.ok()?,
            left: left.ok()?,
            note: form.get(F_NOTE),
        })
    }

    fn validate(&self, _today: NaiveDate) -> Issues {
        validate::instructor(self)
    }

    fn list_commands() -> &'static [Command] {
        LIST_COMMANDS
    }

    fn list_key(sel: &Self, key: Key, out: &mut Vec<Msg>) -> bool {
        match key {
            Key::F(7) => out.push(Msg::OpenSub {
                kind: SubKind::Assignments,
                id: sel.id,
                name: sel.name.clone(),
            }),
            Key::F(9) => out.push(Msg::OpenSub {
                kind: SubKind::Visits,
                id: sel.id,
                name: sel.name.clone(),
            }),
            _ => return false,
        }
        true
    }
}

impl Register for Assignment {
    const NAME: &'static str = "联系单位";

    super::register::rec_variant!(Assignment);

    fn sub_title() -> &'static str {
        "指导员 / 联系单位"
    }

    fn list_commands() -> &'static [Command] {
        SUB_COMMANDS
    }

    fn columns() -> &'static [Column] {
        ASSIGN_COLUMNS
    }

    fn cells(&self, lk: &Lookups) -> Vec<String> {
        unit_link::cells(lk, self.span())
    }

    fn blank(cx: &Ctx, _prev: Option<&Self>, parent: Option<i64>, _s: Option<i64>) -> Self {
        Assignment {
            id: 0,
            instructor_id: parent.unwrap_or(0),
            unit_id: 0,
            start: cx.today,
            end: None,
        }
    }

    fn fields(&self, cx: &Ctx) -> Vec<Field> {
        unit_link::fields(cx, self.span())
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let s = unit_link::read_span(form, cx)?;
        Some(Assignment {
            id: base.id,
            instructor_id: base.instructor_id,
            unit_id: s.unit_id,
            start: s.from,
            end: s.to,
        })
    }

    fn validate(&self, _today: NaiveDate) -> Issues {
        validate::assignment(self)
    }
}

impl Register for Visit {
    const NAME: &'static str = "走访记录";

    super::register::rec_variant!(Visit);

    fn sub_title() -> &'static str {
        "指导员 / 走访记录"
    }

    fn list_commands() -> &'static [Command] {
        SUB_COMMANDS
    }

    fn columns() -> &'static [Column] {
        VISIT_COLUMNS
    }

    fn cells(&self, lk: &Lookups) -> Vec<String> {
        vec![
            self.date.to_string(),
            lk.name(RefKind::Unit, self.unit_id),
            self.mode.label().to_string(),
            self.content.clone(),
        ]
    }

    fn blank(cx: &Ctx, prev: Option<&Self>, parent: Option<i64>, suggest: Option<i64>) -> Self {
        Visit {
            id: 0,
            instructor_id: parent.unwrap_or(0),
            unit_id: suggest.unwrap_or(0),
            date: cx.today,
            mode: prev.map_or(VisitMode::Visit, |p| p.mode),
            content: String::new(),
            problems: String::new(),
            resolved: None,
        }
    }

    fn fields(&self, cx: &Ctx) -> Vec<Field> {
        use FieldKind::*;
        vec![
            Field::new(F_DATE, Date, true, &self.date.to_string()),
            unit_link::unit_field(cx, self.unit_id),
            Field::new(F_WAY, Choice(VisitMode::labels()), true, self.mode.label()),
            Field::new(F_CONTENT, Text, true, &self.content),
            Field::new(F_PROBLEMS, Text, false, &self.problems),
            Field::new(
                F_SOLVED,
                Choice(vec!["是", "否"]),
                false,
                &read::bool_text(self.resolved),
            ),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let date = read::date(form, F_DATE, cx.today);
        let unit = unit_link::read_unit(form, cx);
        let mode = read::choice(form, F_WAY, VisitMode::parse);
        let resolved = read::opt_bool(form, F_SOLVED);
        Some(Visit {
            id: base.id,
            instructor_id: base.instructor_id,
            unit_id: unit.ok()?,
            date: date.ok()?,
            mode: mode.ok()?,
            content: form.get(F_CONTENT),
            problems: form.get(F_PROBLEMS),
            resolved: resolved.ok()?,
        })
    }

    fn validate(&self, _today: NaiveDate) -> Issues {
        validate::visit(self)
    }
}

impl Register for InstructorAssessment {
    const NAME: &'static str = "年度考核";

    super::register::rec_variant!(Assessment);

    fn sub_title() -> &'static str {
        "指导员 / 年度考核"
    }

    fn list_commands() -> &'static [Command] {
        SUB_COMMANDS
    }

    fn columns() -> &'static [Column] {
        ASSESS_COLUMNS
    }

    fn cells(&self, _lk: &Lookups) -> Vec<String> {
        vec![
            format!("{}", self.year),
            self.grade.label().to_string(),
            self.note.clone(),
        ]
    }

    fn blank(cx: &Ctx, _prev: Option<&Self>, parent: Option<i64>, _s: Option<i64>) -> Self {
        InstructorAssessment {
            id: 0,
            instructor_id: parent.unwrap_or(0),
            // The assessment is made at the turn of the year, for the year before.
            year: cx.today.year() - 1,
            grade: Assessment::Competent,
            note: String::new(),
        }
    }

    fn fields(&self, _cx: &Ctx) -> Vec<Field> {
        use FieldKind::*;
        vec![
            Field::new(F_YEAR, Int, true, &self.year.to_string()),
            Field::new(
                F_GRADE,
                Choice(Assessment::labels()),
                true,
                self.grade.label(),
            ),
            Field::new(F_NOTE, Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, _cx: &Ctx) -> Option<Self> {
        let year = read::opt_int(form, F_YEAR);
        let grade = read::choice(form, F_GRADE, Assessment::parse);
        let year = year.ok()?.unwrap_or(0);
        Some(InstructorAssessment {
            id: base.id,
            instructor_id: base.instructor_id,
            year: i32::try_from(year).unwrap_or(0),
            grade: grade.ok()?,
            note: form.get(F_NOTE),
        })
    }

    fn validate(&self, today: NaiveDate) -> Issues {
        let mut iss = validate::assessment(self);
        if self.year < 2000 || self.year > today.year() {
            iss.errors.push(FieldError {
                field: F_YEAR.label,
                message: format!("年度应在 2000 至 {} 之间", today.year()),
            });
        }
        iss
    }
}
