//! The structure sections of the report: coverage (两个覆盖) with the unit
//! warnings, the counts of orgs and members, and the organisation rules
//! (DOMAIN.md "Organisation rules").

use std::collections::HashMap;

use chrono::Months;

use super::{Ctx, Warnings, rate};
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::rules::{CoverState, missing_facts};
use crate::report::model::*;

impl Ctx<'_> {
    pub(super) fn coverage(&self, w: &mut Warnings) -> (CoverageFigures, Vec<i64>) {
        let mut members_in_unit: HashMap<i64, i64> = HashMap::new();
        let mut formal_in_unit: HashMap<i64, i64> = HashMap::new();
        for m in &self.active_members {
            if let Some(u) = m.unit_id {
                *members_in_unit.entry(u).or_default() += 1;
                if m.formal_on(self.end) {
                    *formal_in_unit.entry(u).or_default() += 1;
                }
            }
        }
        let n = UnitKind::ALL.len();
        let (mut total, mut oc, mut wc, mut st) = (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
        let mut f = CoverageFigures {
            units_total: 0,
            units_org_covered: 0,
            units_work_covered: 0,
            units_uncovered: 0,
            units_standalone: 0,
            units_with_members_no_org: 0,
            units_facts_complete: 0,
            org_coverage_rate: None,
            standalone_rate: None,
            work_coverage_rate: None,
            by_kind: Vec::new(),
        };
        for u in self.l.units.iter().filter(|u| u.counted()) {
            let k = u.kind.index();
            let state = self.cov.state(u);
            let org_cov = state == CoverState::OrgCovered;
            let alone = self.cov.standalone(u.id);
            let work = state == CoverState::WorkCovered;
            let members = members_in_unit.get(&u.id).copied().unwrap_or(0);
            let formal = formal_in_unit.get(&u.id).copied().unwrap_or(0);
            f.units_total += 1;
            total[k] += 1;
            if org_cov {
                f.units_org_covered += 1;
                oc[k] += 1;
            }
            if alone {
                f.units_standalone += 1;
                st[k] += 1;
            }
            if work {
                f.units_work_covered += 1;
                wc[k] += 1;
            }
            if !org_cov && !work {
                f.units_uncovered += 1;
            }
            if members > 0 && !org_cov {
                f.units_with_members_no_org += 1;
                w.push(
                    WarningCode::UnitMembersNoOrg,
                    &u.name,
                    format!("有党员 {members} 名，未建立党组织，也未纳入联合党组织"),
                );
            }
            if members == 0 && !org_cov && !work {
                w.push(
                    WarningCode::UnitUncovered,
                    &u.name,
                    "既无党组织覆盖，也无党建工作指导员联系，是空白点".to_string(),
                );
            }
            if formal >= 3 && org_cov && !alone {
                w.push(
                    WarningCode::UnitQualifiesStandalone,
                    &u.name,
                    format!("有正式党员 {formal} 名，具备单独组建党支部的条件"),
                );
            }
            let missing = missing_facts(u, org_cov);
            if missing.is_empty() {
                f.units_facts_complete += 1;
            } else {
                w.push(
                    WarningCode::UnitFactsIncomplete,
                    &u.name,
                    format!(
                        "“七个清”缺：{}",
                        missing
                            .iter()
                            .map(|f| f.label())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                );
            }
        }
        f.org_coverage_rate = rate(f.units_org_covered, f.units_total);
        f.standalone_rate = rate(f.units_standalone, f.units_total);
        f.work_coverage_rate = rate(f.units_org_covered + f.units_work_covered, f.units_total);
        f.by_kind = UnitKind::ALL
            .iter()
            .map(|k| KindCoverage {
                kind: k.label().to_string(),
                total: total[k.index()],
                org_covered: oc[k.index()],
                work_covered: wc[k.index()],
            })
            .collect();
        (f, st)
    }

    pub(super) fn party_orgs(&self) -> OrgFigures {
        let active: Vec<&PartyOrg> = self
            .l
            .orgs
            .iter()
            .filter(|o| o.active_on(self.end))
            .collect();
        OrgFigures {
            total: active.len() as i64,
            by_formation: LabelMap(
                Formation::ALL
                    .iter()
                    .map(|f| {
                        let n = active.iter().filter(|o| o.formation == *f).count() as i64;
                        (f.label().to_string(), n)
                    })
                    .collect(),
            ),
            established_in_month: self
                .l
                .orgs
                .iter()
                .filter(|o| self.month.contains(o.established))
                .count() as i64,
            dissolved_in_month: self
                .l
                .orgs
                .iter()
                .filter(|o| o.dissolved.is_some_and(|d| self.month.contains(d)))
                .count() as i64,
        }
    }

    pub(super) fn member_figures(&self) -> MemberFigures {
        let a = &self.active_members;
        let count = |f: &dyn Fn(&Member) -> bool| a.iter().filter(|m| f(m)).count() as i64;
        let formal = count(&|m| m.formal_on(self.end));
        MemberFigures {
            total: a.len() as i64,
            formal,
            probationary: a.len() as i64 - formal,
            new_employment: count(&|m| m.new_employment.is_some()),
            joined_in_month: count(&|m| m.joined.is_some_and(|d| self.month.contains(d))),
            pocket_reported_in_month: count(&|m| {
                m.reported.is_some_and(|d| self.month.contains(d))
            }),
        }
    }

    pub(super) fn org_rules(&self, w: &mut Warnings) {
        let sizes = self.org_sizes();
        let limit = self.l.settings.joint_branch_limit;
        for o in self.l.orgs.iter().filter(|o| o.active_on(self.end)) {
            if o.org_type != OrgType::Branch {
                continue;
            }
            let (all, formal) = sizes.get(&o.id).copied().unwrap_or((0, 0));
            if o.formation == Formation::Joint {
                let n = self.cov.linked_units(o.id).count() as i64;
                if n > limit {
                    w.push(
                        WarningCode::JointBranchTooManyUnits,
                        &o.name,
                        format!("联合党支部覆盖单位 {n} 个，超过 {limit} 个的上限"),
                    );
                }
            }
            if formal < 3 {
                w.push(
                    WarningCode::BranchTooFewMembers,
                    &o.name,
                    format!("正式党员 {formal} 名，不足 3 名"),
                );
            }
            if all > 50 {
                w.push(
                    WarningCode::BranchTooLarge,
                    &o.name,
                    format!("党员 {all} 名，超过 50 名，应考虑调整组织设置"),
                );
            }
            if formal >= 7 && !o.has_committee {
                w.push(
                    WarningCode::CommitteeRequired,
                    &o.name,
                    format!("正式党员 {formal} 名（7 名以上），应设立支部委员会"),
                );
            }
            if let Some(e) = o.elected
                && e.checked_add_months(Months::new(36))
                    .is_some_and(|due| due <= self.end)
            {
                w.push(
                    WarningCode::TermExpired,
                    &o.name,
                    format!("本届于 {e} 选举产生，任期 3 年已满，应按期换届"),
                );
            }
        }
    }
}
