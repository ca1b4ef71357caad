//! 3 党组织: branches, joint branches and committees, the units each covers
//! (a sub-list with dates) and the organisation rules beside the record.

use chrono::NaiveDate;

use super::register::{Register, read};
use super::unit_link;
use super::{Ctx, Lookups, ScreenId, ThisMonth};
use crate::domain::enums::*;
use crate::domain::records::{Coverage, PartyOrg};
use crate::domain::validate::{self, Issues};
use crate::report::model::WarningCode;
use crate::store::{ListFilter, OrgFacts};
use crate::tui::event::Key;
use crate::tui::msg::{Msg, SubKind};
use crate::tui::screen::Command;
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::{Column, col};

/// The form's fields: the key a draft keeps and the label shown.
const F_DISSOLVED: FieldId = FieldId::new("dissolved", "撤销日期");
const F_ELECTED: FieldId = FieldId::new("elected", "本届选举日期");
const F_FORMATION: FieldId = FieldId::new("formation", "组建方式");
const F_FOUNDED: FieldId = FieldId::new("founded", "成立日期");
const F_GROUPS: FieldId = FieldId::new("groups", "党小组数");
const F_HAS_COMMITTEE: FieldId = FieldId::new("has_committee", "设支委会");
const F_KIND: FieldId = FieldId::new("kind", "类型");
const F_NAME: FieldId = FieldId::new("name", "名称");
const F_NOTE: FieldId = FieldId::new("note", "备注");
const F_PARENT: FieldId = FieldId::new("parent", "上级党组织");
const F_SECRETARY: FieldId = FieldId::new("secretary", "书记");

const COLUMNS: &[Column] = &[
    col("名称", 26, Some("name")),
    col("类型", 6, Some("org_type")),
    col("组建方式", 8, Some("formation")),
    col("书记", 8, Some("secretary")),
    col("成立日期", 10, Some("established")),
    col("状态", 6, None),
];

const LIST_COMMANDS: &[Command] = &[
    Command::f(
        7,
        "覆盖单位",
        "F7",
        "覆盖单位：增加（选单位、填开始日期）或结束（填结束日期）",
    ),
    Command::f(9, "党员", "F9", "查看本组织的党员"),
];

const COVERAGE_COLUMNS: &[Column] = &[
    col("单位", 34, Some("unit_id")),
    col("开始日期", 10, Some("from_date")),
    col("结束日期", 10, Some("to_date")),
];

const COVERAGE_COMMANDS: &[Command] = &[
    Command::f(
        5,
        "新增",
        "F5 Insert",
        "增加覆盖单位（F7 选单位，开始日期默认今天）",
    ),
    Command::keys("回车", "修改；填结束日期即结束覆盖（保留历史）"),
];

impl Register for PartyOrg {
    const NAME_FIELD: Option<FieldId> = Some(F_NAME);
    const NAME: &'static str = "党组织";

    super::register::rec_variant!(Org);

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, _lk: &Lookups) -> Vec<String> {
        vec![
            self.name.clone(),
            self.org_type.label().to_string(),
            self.formation.label().to_string(),
            self.secretary.clone(),
            self.established.to_string(),
            match self.dissolved {
                Some(d) => format!("{}撤销", d.format("%Y")),
                None => "正常".to_string(),
            },
        ]
    }

    fn presets() -> Vec<(String, ListFilter)> {
        let mut v = vec![("未撤销".to_string(), ListFilter::OrgActive)];
        v.extend(
            OrgType::ALL
                .iter()
                .map(|t| (format!("类型={t}"), ListFilter::OrgType(*t))),
        );
        v.extend(
            Formation::ALL
                .iter()
                .map(|f| (format!("组建方式={f}"), ListFilter::OrgFormation(*f))),
        );
        v
    }

    fn blank(cx: &Ctx, prev: Option<&Self>, _p: Option<i64>, _s: Option<i64>) -> Self {
        let mut o = PartyOrg::new("", OrgType::Branch, Formation::Standalone, cx.today);
        if let Some(p) = prev {
            o.parent_id = p.parent_id;
            o.formation = p.formation;
        }
        o
    }

    fn fields(&self, cx: &Ctx) -> Vec<Field> {
        use FieldKind::*;
        vec![
            Field::new(F_NAME, Text, true, &self.name),
            Field::new(
                F_KIND,
                Choice(OrgType::labels()),
                true,
                self.org_type.label(),
            ),
            Field::new(
                F_FORMATION,
                Choice(Formation::labels()),
                true,
                self.formation.label(),
            ),
            Field::new(
                F_PARENT,
                Ref(RefKind::Org),
                false,
                &cx.lookups.opt_name(RefKind::Org, self.parent_id),
            ),
            Field::new(F_FOUNDED, Date, true, &self.established.to_string()),
            Field::new(F_DISSOLVED, Date, false, &read::date_text(self.dissolved)),
            Field::new(F_ELECTED, Date, false, &read::date_text(self.elected)),
            Field::new(F_SECRETARY, Text, false, &self.secretary),
            Field::new(
                F_HAS_COMMITTEE,
                Choice(vec!["是", "否"]),
                true,
                yes_no(self.has_committee),
            ),
            Field::new(F_GROUPS, Int, false, &self.group_count.to_string()),
            Field::new(F_NOTE, Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let t = cx.today;
        let org_type = read::choice(form, F_KIND, OrgType::parse);
        let formation = read::choice(form, F_FORMATION, Formation::parse);
        let parent = read::opt_ref(form, F_PARENT, RefKind::Org, cx);
        let established = read::date(form, F_FOUNDED, t);
        let dissolved = read::opt_date(form, F_DISSOLVED, t);
        let elected = read::opt_date(form, F_ELECTED, t);
        let committee = read::opt_bool(form, F_HAS_COMMITTEE);
        let groups = read::opt_int(form, F_GROUPS);
        Some(PartyOrg {
            id: base.id,
            name: form.get(F_NAME),
            org_type: org_type.ok()?,
            formation: formation.ok()?,
            parent_id: parent.ok()?,
            established: established.ok()?,
            dissolved: dissolved.ok()?,
            elected: elected.ok()?,
            secretary: form.get(F_SECRETARY),
            has_committee: committee.ok()?.unwrap_or(false),
            group_count: groups.ok()?.unwrap_or(0),
            note: form.get(F_NOTE),
        })
    }

    fn validate(&self, _today: NaiveDate) -> Issues {
        validate::party_org(self)
    }

    fn list_commands() -> &'static [Command] {
        LIST_COMMANDS
    }

    fn list_key(sel: &Self, key: Key, out: &mut Vec<Msg>) -> bool {
        match key {
            Key::F(7) => out.push(Msg::OpenSub {
                kind: SubKind::Coverage,
                id: sel.id,
                name: sel.name.clone(),
            }),
            Key::F(9) => out.push(Msg::GotoFiltered {
                screen: ScreenId::Members,
                filter: ListFilter::MemberOrg(sel.id),
                label: format!("党组织={}", sel.name),
            }),
            _ => return false,
        }
        true
    }
}

/// The lines shown under an org: covered units, members, and the rule
/// warnings ("!" marks one) exactly as this month's report has them
/// (`report::compute`, the same figures as every screen); None while the
/// report is being computed.
pub fn org_facts_lines(o: &PartyOrg, f: &OrgFacts, month: ThisMonth) -> Vec<String> {
    let mut out = Vec::new();
    let names: Vec<&str> = f.units.iter().map(|(n, _)| n.as_str()).collect();
    out.push(format!(
        "上级：{}  党员 {} 人（正式 {}）  覆盖单位 {} 个：{}",
        if f.parent.is_empty() {
            "无"
        } else {
            &f.parent
        },
        f.members,
        f.formal,
        f.units.len(),
        names.join("、")
    ));
    let Some(r) = month.report() else {
        out.extend(month.waiting().map(str::to_string));
        return out;
    };
    for w in &r.warnings {
        let own = w.code.about_org_itself() && w.subject == o.name;
        let unit =
            w.code == WarningCode::UnitQualifiesStandalone && names.contains(&w.subject.as_str());
        if own {
            out.push(format!("! {}", w.message));
        } else if unit {
            out.push(format!("! {}：{}", w.subject, w.message));
        }
    }
    out
}

impl Register for Coverage {
    const NAME: &'static str = "覆盖单位";

    super::register::rec_variant!(Coverage);

    fn sub_title() -> &'static str {
        "党组织 / 覆盖单位"
    }

    fn columns() -> &'static [Column] {
        COVERAGE_COLUMNS
    }

    fn cells(&self, lk: &Lookups) -> Vec<String> {
        unit_link::cells(lk, self.span())
    }

    fn blank(cx: &Ctx, _prev: Option<&Self>, parent: Option<i64>, _s: Option<i64>) -> Self {
        Coverage {
            id: 0,
            org_id: parent.unwrap_or(0),
            unit_id: 0,
            from: cx.today,
            to: None,
        }
    }

    fn fields(&self, cx: &Ctx) -> Vec<Field> {
        unit_link::fields(cx, self.span())
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let s = unit_link::read_span(form, cx)?;
        Some(Coverage {
            id: base.id,
            org_id: base.org_id,
            unit_id: s.unit_id,
            from: s.from,
            to: s.to,
        })
    }

    fn validate(&self, _today: NaiveDate) -> Issues {
        validate::coverage(self)
    }

    fn list_commands() -> &'static [Command] {
        COVERAGE_COMMANDS
    }
}
