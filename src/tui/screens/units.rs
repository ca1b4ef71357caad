//! 2 单位: the enterprises and social organisations, their 七个清 facts and
//! coverage.

use chrono::NaiveDate;

use super::register::{Register, read};
use super::{Ctx, Lookups, ScreenId};
use crate::domain::enums::*;
use crate::domain::records::Unit;
use crate::domain::rules::CoverState;
use crate::domain::validate::{self, Issues};
use crate::store::ListFilter;
use crate::tui::event::Key;
use crate::tui::msg::Msg;
use crate::tui::screen::Command;
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::{Column, col};

/// The form's fields: the key a draft keeps and the label shown.
const F_ADDRESS: FieldId = FieldId::new("address", "地址");
const F_CONTACT: FieldId = FieldId::new("contact", "联系人");
const F_CREDIT_CODE: FieldId = FieldId::new("credit_code", "统一社会信用代码");
const F_EMPLOYEES: FieldId = FieldId::new("employees", "职工人数");
const F_HAS_LEAGUE: FieldId = FieldId::new("has_league", "有共青团");
const F_HAS_UNION: FieldId = FieldId::new("has_union", "有工会");
const F_HAS_WOMEN: FieldId = FieldId::new("has_women", "有妇联");
const F_INDUSTRY: FieldId = FieldId::new("industry", "行业");
const F_INVESTOR: FieldId = FieldId::new("investor", "出资人");
const F_KIND: FieldId = FieldId::new("kind", "类型");
const F_NAME: FieldId = FieldId::new("name", "名称");
const F_NEEDS: FieldId = FieldId::new("needs", "发展需求");
const F_NOTE: FieldId = FieldId::new("note", "备注");
const F_NO_ORG_REASON: FieldId = FieldId::new("no_org_reason", "未建党组织原因");
const F_PHONE: FieldId = FieldId::new("phone", "联系电话");
const F_STATUS: FieldId = FieldId::new("status", "经营状态");
const F_VILLAGE: FieldId = FieldId::new("village", "所在村社区");

const COLUMNS: &[Column] = &[
    col("名称", 26, Some("name")),
    col("类型", 14, Some("kind")),
    col("村社区", 10, Some("village")),
    col("职工", 5, Some("employees")),
    col("状态", 4, Some("status")),
    col("行业", 8, Some("industry")),
];

const LIST_COMMANDS: &[Command] = &[
    Command::f(9, "党员", "F9", "查看本单位的党员"),
    Command::f(
        4,
        "筛选",
        "F4",
        "筛选：类型、经营状态、覆盖情况（组织覆盖/工作覆盖/空白）",
    ),
];

const YES_NO: &[&str] = &["是", "否"];

impl Register for Unit {
    const NAME_FIELD: Option<FieldId> = Some(F_NAME);
    const NAME: &'static str = "单位";

    super::register::rec_variant!(Unit);

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, _lk: &Lookups) -> Vec<String> {
        vec![
            self.name.clone(),
            self.kind.label().to_string(),
            self.village.clone(),
            self.employees.map(|n| n.to_string()).unwrap_or_default(),
            self.status.label().to_string(),
            self.industry.clone(),
        ]
    }

    fn presets() -> Vec<(String, ListFilter)> {
        let mut v: Vec<(String, ListFilter)> = UnitKind::ALL
            .iter()
            .map(|k| (format!("类型={k}"), ListFilter::UnitKind(*k)))
            .collect();
        v.extend(
            UnitStatus::ALL
                .iter()
                .map(|s| (format!("经营状态={s}"), ListFilter::UnitStatus(*s))),
        );
        v.extend(
            [
                CoverState::OrgCovered,
                CoverState::WorkCovered,
                CoverState::Uncovered,
            ]
            .iter()
            .map(|c| (format!("覆盖={}", c.label()), ListFilter::UnitCover(*c))),
        );
        v
    }

    fn blank(_cx: &Ctx, prev: Option<&Self>, _parent: Option<i64>, _s: Option<i64>) -> Self {
        let mut u = Unit::new("", prev.map_or(UnitKind::NonPublic, |p| p.kind));
        if let Some(p) = prev {
            u.village = p.village.clone();
            u.industry = p.industry.clone();
        }
        u
    }

    fn fields(&self, _cx: &Ctx) -> Vec<Field> {
        use FieldKind::*;
        let yn = || Choice(YES_NO.to_vec());
        vec![
            Field::new(F_NAME, Text, true, &self.name),
            Field::new(F_CREDIT_CODE, Text, false, &self.credit_code),
            Field::new(F_KIND, Choice(UnitKind::labels()), true, self.kind.label()),
            Field::new(F_INDUSTRY, Text, false, &self.industry),
            Field::new(F_VILLAGE, Text, false, &self.village),
            Field::new(F_ADDRESS, Text, false, &self.address),
            Field::new(F_INVESTOR, Text, false, &self.investor),
            Field::new(F_CONTACT, Text, false, &self.contact),
            Field::new(F_PHONE, Text, false, &self.phone),
            Field::new(
                F_EMPLOYEES,
                Int,
                false,
                &self.employees.map(|n| n.to_string()).unwrap_or_default(),
            ),
            Field::new(
                F_STATUS,
                Choice(UnitStatus::labels()),
                true,
                self.status.label(),
            ),
            Field::new(F_HAS_UNION, yn(), false, &read::bool_text(self.has_union)),
            Field::new(F_HAS_LEAGUE, yn(), false, &read::bool_text(self.has_league)),
            Field::new(F_HAS_WOMEN, yn(), false, &read::bool_text(self.has_women)),
            Field::new(F_NO_ORG_REASON, Text, false, &self.no_org_reason),
            Field::new(F_NEEDS, Text, false, &self.needs),
            Field::new(F_NOTE, Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, _cx: &Ctx) -> Option<Self> {
        let kind = read::choice(form, F_KIND, UnitKind::parse);
        let status = read::choice(form, F_STATUS, UnitStatus::parse);
        let employees = read::opt_int(form, F_EMPLOYEES);
        let has_union = read::opt_bool(form, F_HAS_UNION);
        let has_league = read::opt_bool(form, F_HAS_LEAGUE);
        let has_women = read::opt_bool(form, F_HAS_WOMEN);
        Some(Unit {
            id: base.id,
            name: form.get(F_NAME),
            credit_code: form.get(F_CREDIT_CODE).to_uppercase(),
            kind: kind.ok()?,
            industry: form.get(F_INDUSTRY),
            village: form.get(F_VILLAGE),
            address: form.get(F_ADDRESS),
            investor: form.get(F_INVESTOR),
            contact: form.get(F_CONTACT),
            phone: form.get(F_PHONE),
            employees: employees.ok()?,
            status: status.ok()?,
            has_union: has_union.ok()?,
            has_league: has_league.ok()?,
            has_women: has_women.ok()?,
            no_org_reason: form.get(F_NO_ORG_REASON),
            needs: form.get(F_NEEDS),
            note: form.get(F_NOTE),
        })
    }

    fn validate(&self, _today: NaiveDate) -> Issues {
        validate::unit(self)
    }

    fn list_commands() -> &'static [Command] {
        LIST_COMMANDS
    }

    fn list_key(sel: &Self, key: Key, out: &mut Vec<Msg>) -> bool {
        if key == Key::F(9) {
            out.push(Msg::GotoFiltered {
                screen: ScreenId::Members,
                filter: ListFilter::MemberUnit(sel.id),
                label: format!("单位={}", sel.name),
            });
            return true;
        }
        false
    }
}
