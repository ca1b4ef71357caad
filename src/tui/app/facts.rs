//! The facts shown under a list for the selected record. The rule
//! warnings among them (七个清 of a unit, an instructor's visits, an org's
//! meetings) are this month's report's, never worked out a second time.

use std::sync::Arc;

use crate::domain::records::*;
use crate::domain::rules::CoverState;
use crate::error::Result;
use crate::report::MonthlyReport;
use crate::store::Store;
use crate::tui::screens::register::Register;
use crate::tui::screens::{Ctx, ThisMonth};
use crate::tui::widgets::fields::RefKind;

/// Facts shown under the list for the selected record (read by the app,
/// never by the screen).
pub trait Facts: Register {
    /// `month`: this month's figures, where the screen shows rule
    /// warnings from them (or why there are none yet).
    fn facts(_store: &Store, _r: &Self, _cx: &Ctx, _month: ThisMonth) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

impl Facts for Unit {
    fn facts(store: &Store, u: &Self, cx: &Ctx, month: ThisMonth) -> Result<Vec<String>> {
        let f = store.unit_facts(u.id, cx.today)?;
        let cover = match f.state(u.counted()) {
            CoverState::OrgCovered => format!(
                "组织覆盖（{}）",
                f.orgs
                    .iter()
                    .map(|(n, k)| format!("{n}，{k}"))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            CoverState::WorkCovered => {
                format!("工作覆盖（指导员 {}）", f.instructors.join("、"))
            }
            CoverState::Uncovered => "空白（未覆盖）".to_string(),
            CoverState::NotCounted => format!("不计入覆盖率（经营状态：{}）", u.status),
        };
        let mut out = vec![
            format!("覆盖：{cover}"),
            format!(
                "党员 {} 人（正式 {}）  出资人：{}  联系人：{} {}",
                f.members,
                f.formal,
                dash(&u.investor),
                dash(&u.contact),
                crate::domain::ids::mask_phone(&u.phone)
            ),
        ];
        // The 七个清 warning is the report's (coverage at month end), not
        // worked out again from today's coverage.
        match month.report() {
            Some(r) => out.extend(
                report_warnings(
                    r,
                    crate::report::model::WarningCode::UnitFactsIncomplete,
                    |s| s == u.name,
                )
                .map(|w| format!("! {}", w.message)),
            ),
            None if u.counted() => out.extend(month.waiting().map(str::to_string)),
            None => {}
        }
        Ok(out)
    }
}

impl Facts for PartyOrg {
    fn facts(store: &Store, o: &Self, cx: &Ctx, month: ThisMonth) -> Result<Vec<String>> {
        let f = store.org_facts(o, cx.today)?;
        Ok(crate::tui::screens::orgs::org_facts_lines(o, &f, month))
    }
}

impl Facts for Member {
    fn facts(_store: &Store, m: &Self, cx: &Ctx, _month: ThisMonth) -> Result<Vec<String>> {
        Ok(vec![format!(
            "所在单位：{}  入党：{}  转正：{}  新就业群体：{}  职务：{}",
            dash(&cx.lookups.opt_name(RefKind::Unit, m.unit_id)),
            m.joined
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            m.confirmed
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            m.new_employment.map_or("-", |x| x.label()),
            m.party_post.map_or("-", |x| x.label()),
        )])
    }
}

impl Facts for Instructor {
    fn facts(store: &Store, i: &Self, cx: &Ctx, month: ThisMonth) -> Result<Vec<String>> {
        let f = store.instructor_facts(i.id, cx.today)?;
        let mut out = vec![format!(
            "联系单位 {} 个：{}",
            f.units.len(),
            f.units.join("、")
        )];
        out.push(format!(
            "本月走访 {} 次  最近走访：{}  年度考核：{}",
            f.visits_in_month,
            f.last_visit
                .map(|d| d.to_string())
                .unwrap_or_else(|| "无".into()),
            f.assessment
                .map(|(y, g)| format!("{y}年 {g}"))
                .unwrap_or_else(|| "无".into())
        ));
        // Per assignment, fewer than visits_per_month: the report's rule.
        let prefix = format!("{} → ", i.name);
        match month.report() {
            Some(r) => out.extend(
                report_warnings(
                    r,
                    crate::report::model::WarningCode::InstructorNoVisit,
                    |s| s.starts_with(&prefix),
                )
                .map(|w| {
                    format!(
                        "! {}：{}",
                        w.subject.strip_prefix(&prefix).unwrap_or(&w.subject),
                        w.message
                    )
                }),
            ),
            None if !f.units.is_empty() => out.extend(month.waiting().map(str::to_string)),
            None => {}
        }
        Ok(out)
    }
}

impl Facts for Coverage {}
impl Facts for Assignment {}
impl Facts for Visit {}
impl Facts for InstructorAssessment {}

/// Keeps `r` in `slot`; true when it is another report than before (the
/// facts shown beside the list are then worked out again).
pub(super) fn report_changed(
    slot: &mut Option<Arc<MonthlyReport>>,
    r: &Option<Arc<MonthlyReport>>,
) -> bool {
    let same = match (r, &*slot) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        *slot = r.clone();
    }
    !same
}

/// The report's warnings with `code` whose subject `matches`.
fn report_warnings<'a>(
    report: &'a MonthlyReport,
    code: crate::report::model::WarningCode,
    matches: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = &'a crate::report::model::Warning> + 'a {
    report
        .warnings
        .iter()
        .filter(move |w| w.code == code && matches(&w.subject))
}

fn dash(s: &str) -> &str {
    if s.trim().is_empty() { "-" } else { s }
}
