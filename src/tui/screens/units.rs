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
use crate::tui::widgets::fields::{Field, FieldKind};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::{Column, col};

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
            Field::new("名称", Text, true, &self.name),
            Field::new("统一社会信用代码", Text, false, &self.credit_code),
            Field::new("类型", Choice(UnitKind::labels()), true, self.kind.label()),
            Field::new("行业", Text, false, &self.industry),
            Field::new("所在村社区", Text, false, &self.village),
            Field::new("地址", Text, false, &self.address),
            Field::new("出资人", Text, false, &self.investor),
            Field::new("联系人", Text, false, &self.contact),
            Field::new("联系电话", Text, false, &self.phone),
            Field::new(
                "职工人数",
                Int,
                false,
                &self.employees.map(|n| n.to_string()).unwrap_or_default(),
            ),
            Field::new(
                "经营状态",
                Choice(UnitStatus::labels()),
                true,
                self.status.label(),
            ),
            Field::new("有工会", yn(), false, &read::bool_text(self.has_union)),
            Field::new("有共青团", yn(), false, &read::bool_text(self.has_league)),
            Field::new("有妇联", yn(), false, &read::bool_text(self.has_women)),
            Field::new("未建党组织原因", Text, false, &self.no_org_reason),
            Field::new("发展需求", Text, false, &self.needs),
            Field::new("备注", Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, _cx: &Ctx) -> Option<Self> {
        let kind = read::choice(form, "类型", UnitKind::parse);
        let status = read::choice(form, "经营状态", UnitStatus::parse);
        let employees = read::opt_int(form, "职工人数");
        let has_union = read::opt_bool(form, "有工会");
        let has_league = read::opt_bool(form, "有共青团");
        let has_women = read::opt_bool(form, "有妇联");
        Some(Unit {
            id: base.id,
            name: form.get("名称"),
            credit_code: form.get("统一社会信用代码").to_uppercase(),
            kind: kind.ok()?,
            industry: form.get("行业"),
            village: form.get("所在村社区"),
            address: form.get("地址"),
            investor: form.get("出资人"),
            contact: form.get("联系人"),
            phone: form.get("联系电话"),
            employees: employees.ok()?,
            status: status.ok()?,
            has_union: has_union.ok()?,
            has_league: has_league.ok()?,
            has_women: has_women.ok()?,
            no_org_reason: form.get("未建党组织原因"),
            needs: form.get("发展需求"),
            note: form.get("备注"),
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
