//! 党费: each member's dues row of a month (due from the base, paid on
//! time, late, by the quarter or not at all).

use super::Gen;
use super::rng::{add_days, day_in};
use crate::domain::dates::Month;
use crate::domain::dues::standard_due;
use crate::domain::enums::Formation;
use crate::domain::money::Fen;
use crate::domain::records::Dues;
use crate::error::Result;
use crate::store::Change;

impl Gen {
    pub(super) fn dues(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        let today = self.today;
        let end = m.last_day();
        let age = self.cur.months_since(m);
        let unpaid_permille = match age {
            0 => 60,
            1 => 20,
            2 => 10,
            _ => 2,
        };
        let years = i64::from(m.year() - self.start.year());
        for i in 0..self.members.len() {
            let g = &self.members[i];
            if !g.rec.active_on(end) {
                continue;
            }
            let org = &self.orgs[g.org];
            if org.rec.formation == Formation::Temporary {
                continue;
            }
            let base = if g.base > 0 {
                Some(Fen(g.base * (100 + 3 * years) / 100 / 1000 * 1000))
            } else {
                None
            };
            let standard = standard_due(g.person, base, self.farmer_fen);
            let (due, manual) = match (g.manual_due, standard) {
                (Some(f), _) => (Fen(f), true),
                (None, Some(f)) => (f, false),
                (None, None) => continue,
            };
            // When and whether it was paid.
            let unpaid = due.0 == 0
                || g.quiet_from.is_some_and(|q| q <= end)
                || self.rng.chance(unpaid_permille);
            let paid_date = if unpaid {
                None
            } else if g.late_payer && self.rng.chance(500) {
                // Paid two months late in one go, if that has happened yet.
                let d = m.add_months(2).first_day();
                let d = add_days(d, self.rng.range(2, 15));
                (d <= today).then_some(d)
            } else if g.quarterly {
                let qf = m.quarter_first_month();
                let d = day_in(qf, 5 + (i % 10) as u32, today);
                Some(d.max(g.rec.joined.unwrap_or(d)))
            } else {
                let d = day_in(m, self.rng.range(3, 25) as u32, today);
                Some(d)
            };
            let paid = match paid_date {
                Some(_) if self.rng.chance(3) => Fen(due.0 / 2),
                Some(_) => due,
                None => Fen::ZERO,
            };
            let mut d = Dues {
                id: 0,
                month: m,
                member_id: g.rec.id,
                org_id: org.rec.id,
                base,
                person_type: Some(g.person),
                due,
                due_manual: manual,
                paid,
                paid_date,
            };
            ch.insert_quiet(&mut d)?;
            self.summary.dues_rows += 1;
        }
        Ok(())
    }
}
