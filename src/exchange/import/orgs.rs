//! The 党组织 sheet: the orgs, their parents (no cycles) and the units
//! each covers.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::plan::{Outcome, Plan};
use super::row::{Header, Row};
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::text::split_list;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn orgs_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let ids = Self::reserve_names(
            &mut self.errors,
            spec,
            header,
            rows,
            "名称",
            &mut self.orgs,
            &mut self.org_by_name,
        );
        // Parents first, for the cycle check below.
        let mut planned: Vec<(usize, PartyOrg, Option<Vec<i64>>)> = Vec::new();
        for (row, id) in rows.iter().zip(ids) {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("名称");
            let org_type = r.required_choice("类型", OrgType::parse);
            let formation = r.required_choice("组建方式", Formation::parse);
            let established = r.required_date("成立日期");
            let parent = if r.has("上级党组织") {
                Some(Self::lookup(
                    &mut r,
                    "上级党组织",
                    &self.org_by_name,
                    "党组织",
                ))
            } else {
                None
            };
            let (Some(id), Some(org_type), Some(formation), Some(established)) =
                (id, org_type, formation, established)
            else {
                continue;
            };
            let mut o = self
                .orgs
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| PartyOrg::new(&name, org_type, formation, established));
            o.id = id;
            o.name = name;
            o.org_type = org_type;
            o.formation = formation;
            o.established = established;
            if let Some(p) = parent {
                if p == Some(id) {
                    r.err("上级党组织", "不能是自己");
                }
                o.parent_id = p;
            }
            r.set_date("撤销日期", &mut o.dissolved);
            r.set_date("本届选举日期", &mut o.elected);
            r.set_text("书记", &mut o.secretary);
            if r.has("设支委会") {
                o.has_committee = r.yes_no("设支委会").unwrap_or(false);
            }
            if r.has("党小组数") {
                o.group_count = r.int("党小组数").unwrap_or(0);
            }
            r.set_text("备注", &mut o.note);
            let covered = if r.has("覆盖单位") {
                let cell = r.text("覆盖单位");
                let mut list = Vec::new();
                for unit in split_list(&cell) {
                    match self.unit_by_name.get(&unit) {
                        Some(uid) if list.contains(uid) => {}
                        Some(uid) => list.push(*uid),
                        None => r.err(
                            "覆盖单位",
                            format!("找不到单位“{unit}”，请先在“单位”表中登记或核对名称"),
                        ),
                    }
                }
                Some(list)
            } else {
                None
            };
            let mut check = o.clone();
            check.id = 0;
            r.issues(validate::party_org(&check));
            if r.ok {
                self.org_parent.insert(o.id, o.parent_id);
                planned.push((row.0, o, covered));
            }
        }
        for (row, o, covered) in planned {
            if self.parent_cycle(o.id) {
                self.errors.push(format!(
                    "{}!{row} 上级党组织: “{}”的上级党组织形成了循环（上级的上级又是它自己），请核对",
                    spec.name, o.name
                ));
                continue;
            }
            let coverage_changed = match covered {
                Some(units) => self.plan_coverage(&o, &units),
                None => false,
            };
            let outcome = match self.orgs.put(o) {
                Outcome::Unchanged if coverage_changed => Outcome::Updated,
                other => other,
            };
            summary.count(outcome);
        }
    }

    fn parent_cycle(&self, start: i64) -> bool {
        let mut seen = HashSet::new();
        let mut cur = Some(start);
        while let Some(id) = cur {
            if !seen.insert(id) {
                return true;
            }
            cur = self.org_parent.get(&id).copied().flatten();
        }
        false
    }

    /// Makes the org's current coverages the given units: new links get the
    /// org's own dates; current links to other units are voided; links that
    /// ended earlier (history) stay. Returns whether anything changes.
    fn plan_coverage(&mut self, o: &PartyOrg, units: &[i64]) -> bool {
        let current: Vec<Coverage> = self
            .coverages
            .existing
            .values()
            .filter(|c| c.org_id == o.id && coverage_is_current(c, o.dissolved))
            .cloned()
            .collect();
        let mut changed = false;
        for &unit_id in units {
            if !current.iter().any(|c| c.unit_id == unit_id) {
                let id = self.coverages.reserve();
                self.coverages.put(Coverage {
                    id,
                    org_id: o.id,
                    unit_id,
                    from: o.established,
                    to: o.dissolved,
                });
                changed = true;
            }
        }
        for c in current {
            if !units.contains(&c.unit_id) {
                self.coverages.voids.push(c.id);
                changed = true;
            }
        }
        changed
    }
}

fn coverage_is_current(c: &Coverage, dissolved: Option<NaiveDate>) -> bool {
    c.to.is_none() || (dissolved.is_some() && c.to >= dissolved)
}
