//! The warnings of DOMAIN.md planted on purpose in the current and recent
//! months (`Gen::plant`), with each org's election date and starting
//! balance.

use super::rng::{add_days, add_years, month_of};
use super::{AP, BC, GM, Gen, MA, OrgGen, OrgPlant, OrgRole, TD, UnitRole};

impl Gen {
    /// Plants the warnings that are not decided while building: expired
    /// terms, missing meetings, no quorum, inactive members, missing visits,
    /// overspending, incomplete unit facts. Everything else gets its
    /// election date and starting balance here too.
    pub(super) fn plant(&mut self) {
        let k = self.cfg.k;
        let ws = self.window_start();
        let today = self.today;
        let cur = self.cur;

        // Election dates: inside the last three years, or the founding date.
        for o in 0..self.orgs.len() {
            let est = self.orgs[o].rec.established;
            let a = add_days(add_years(today, -3), 60);
            let b = add_days(today, -30);
            let elected = if est >= a { est } else { self.rng.date(a, b) };
            self.orgs[o].rec.elected = Some(elected);
        }

        // Ordinary branches, active since before the span, free for plants.
        let mut pool: Vec<usize> = (0..self.orgs.len())
            .filter(|&o| {
                let g = &self.orgs[o];
                matches!(
                    g.role,
                    OrgRole::Standalone
                        | OrgRole::EnterpriseSub
                        | OrgRole::Joint
                        | OrgRole::Regional
                ) && g.plant == OrgPlant::None
                    && g.rec.established < add_days(ws, -400)
                    && g.rec.dissolved.is_none()
            })
            .collect();
        self.rng.shuffle(&mut pool);
        let take =
            |g: &Gen, pred: &dyn Fn(&OrgGen) -> bool, pool: &mut Vec<usize>| -> Option<usize> {
                let i = pool.iter().position(|&o| pred(&g.orgs[o]))?;
                Some(pool.remove(i))
            };

        // term_expired
        for _ in 0..k {
            if let Some(o) = take(self, &|_| true, &mut pool) {
                let est = self.orgs[o].rec.established;
                let d = add_days(add_years(today, -3), -self.rng.range(15, 300)).max(est);
                self.orgs[o].rec.elected = Some(d);
            }
        }
        // org_missing_meetings: committee and theme day this month, groups last
        // month, the assembly of the last finished quarter, the appraisal of
        // last December.
        let last_q_end = {
            let mut m = cur;
            while !m.is_quarter_end() {
                m = m.prev();
            }
            m
        };
        let last_dec = month_of(
            if cur.month() == 12 {
                cur.year()
            } else {
                cur.year() - 1
            },
            12,
        );
        for _ in 0..k {
            if let Some(o) = take(self, &|g| g.rec.has_committee, &mut pool) {
                self.orgs[o].skips.push((cur, BC));
            }
            if let Some(o) = take(self, &|_| true, &mut pool) {
                self.orgs[o].skips.push((cur, TD));
            }
            if let Some(o) = take(self, &|g| g.groups > 0, &mut pool) {
                self.orgs[o].skips.push((cur.prev(), GM));
            }
            if let Some(o) = take(self, &|_| true, &mut pool) {
                self.orgs[o].skips.push((last_q_end, MA));
            }
            if last_dec >= self.start
                && let Some(o) = take(self, &|_| true, &mut pool)
            {
                self.orgs[o].skips.push((last_dec, AP));
                self.orgs[o].yearly_in_november = false;
            }
        }
        // meeting_no_quorum: an extra assembly this month (and last month).
        for i in 0..k + k / 2 {
            let month = if i < k { cur } else { cur.prev() };
            if let Some(o) = take(
                self,
                &|g| g.size >= 10 && g.role != OrgRole::Joint,
                &mut pool,
            ) {
                self.orgs[o].no_quorum.push(month);
            }
        }
        // fund_negative_balance
        for _ in 0..k.div_ceil(3) {
            if let Some(o) = take(self, &|g| g.role == OrgRole::Standalone, &mut pool) {
                self.orgs[o].overspend = Some(cur.prev());
            }
        }
        // member_no_activity_6m: members of ordinary branches, away for 7 months.
        let quiet_from = cur.add_months(-6).first_day();
        let mut quiet: Vec<usize> = pool
            .iter()
            .flat_map(|&o| self.orgs[o].members.iter().copied())
            .filter(|&m| {
                let g = &self.members[m];
                !g.committee
                    && g.rec.party_post.is_none()
                    && g.rec.left.is_none()
                    && g.rec.joined.is_some_and(|j| j < ws)
            })
            .collect();
        self.rng.shuffle(&mut quiet);
        for &m in quiet.iter().take(2 * k + 1) {
            let g = &mut self.members[m];
            g.quiet_from = Some(quiet_from);
            g.rec.floating = true;
            g.late_payer = true;
            g.rec.note = "长期在外务工，已联系流入地党组织".to_string();
        }
        // instructor_no_visit: this month and last month.
        let mut open: Vec<usize> = (0..self.assignments.len())
            .filter(|&a| {
                let g = &self.assignments[a];
                g.rec.end.is_none()
                    && g.rec.start < add_days(ws, 1)
                    && self.units[g.unit].rec.counted()
                    && self.instructors[g.instructor].rec.left.is_none()
            })
            .collect();
        self.rng.shuffle(&mut open);
        for (i, &a) in open.iter().take(2 * k + 1).enumerate() {
            let month = if i <= k { cur } else { cur.prev() };
            self.assignments[a].skip.push(month);
        }
        // unit_facts_incomplete: covered units missing a fact, uncovered units
        // missing the reason.
        let mut covered: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::Covered && self.units[u].rec.counted())
            .collect();
        self.rng.shuffle(&mut covered);
        for (i, &u) in covered.iter().take(2 * k).enumerate() {
            let rec = &mut self.units[u].rec;
            match i % 3 {
                0 => rec.needs.clear(),
                1 => rec.employees = None,
                _ => rec.investor.clear(),
            }
        }
        let mut work: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::WorkCovered)
            .collect();
        self.rng.shuffle(&mut work);
        for &u in work.iter().take(k) {
            self.units[u].rec.no_org_reason.clear();
        }
        if let Some(&u) = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::Blank)
            .collect::<Vec<_>>()
            .first()
        {
            self.units[u].rec.no_org_reason.clear();
        }
    }
}
