//! Instructors (党建工作指导员): assignments, visits in the month and the
//! visit shortfall per assignment (DOMAIN.md "Instructors").

use std::collections::{BTreeSet, HashMap, HashSet};

use super::{Ctx, Warnings, by_name, rate};
use crate::domain::rules::{assignment_visits, visits_needed};
use crate::report::model::*;

impl Ctx<'_> {
    pub(super) fn instructors(&self, w: &mut Warnings) -> InstructorFigures {
        let names: HashMap<i64, &str> = self
            .l
            .instructors
            .iter()
            .map(|i| (i.id, i.name.as_str()))
            .collect();
        let units: HashMap<i64, &str> = self
            .l
            .units
            .iter()
            .map(|u| (u.id, u.name.as_str()))
            .collect();
        let mut visits_in_month = 0;
        let mut visiting: HashSet<i64> = HashSet::new();
        for v in self.l.visits.iter().filter(|v| self.month.contains(v.date)) {
            visits_in_month += 1;
            visiting.insert(v.instructor_id);
        }
        let setting = self.l.settings.visits_per_month;
        let need = visits_needed(setting);
        let mut assigned = BTreeSet::new();
        let mut visited = BTreeSet::new();
        let mut with_assignment = BTreeSet::new();
        for a in assignment_visits(&self.cov, &self.l.visits, self.month) {
            assigned.insert(a.unit_id);
            with_assignment.insert(a.instructor_id);
            if a.visits > 0 {
                visited.insert(a.unit_id);
            }
            if a.shortfall(setting).is_some() {
                w.push(
                    WarningCode::InstructorNoVisit,
                    &format!(
                        "{} → {}",
                        names.get(&a.instructor_id).unwrap_or(&""),
                        units.get(&a.unit_id).unwrap_or(&"")
                    ),
                    format!("本月走访 {} 次，应至少 {need} 次", a.visits),
                );
            }
        }
        let without_visit = by_name(
            with_assignment
                .iter()
                .filter(|i| !visiting.contains(i))
                .map(|&i| {
                    let n = names.get(&i).unwrap_or(&"").to_string();
                    (n.clone(), i, n)
                })
                .collect(),
        );
        InstructorFigures {
            active: self
                .l
                .instructors
                .iter()
                .filter(|i| i.active_on(self.end))
                .count() as i64,
            assigned_units: assigned.len() as i64,
            visited_units: visited.len() as i64,
            visits_in_month,
            visit_coverage_rate: rate(visited.len() as i64, assigned.len() as i64),
            without_visit,
        }
    }
}
