//! Meetings (三会一课) as the month view and the editor read them: a
//! month's meetings with their attendance, an org's latest meeting, and the
//! members of an org for the attendance grid.

use super::{Store, iso};
use crate::domain::dates::Month;
use crate::domain::records::*;
use crate::error::Result;

impl Store {
    /// Live meetings dated in `month`, by date, with their attendance.
    pub fn meetings_in_month(&self, month: Month) -> Result<Vec<Meeting>> {
        self.live_rows(
            "date >= ?1 AND date <= ?2 ORDER BY date, id",
            &[&iso(month.first_day()), &iso(month.last_day())],
        )
    }

    /// The org's most recent live meeting (F4 copies its setup).
    pub fn last_meeting_of(&self, org_id: i64) -> Result<Option<Meeting>> {
        Ok(self
            .live_rows::<Meeting>(
                "org_id = ?1 ORDER BY date DESC, id DESC LIMIT 1",
                &[&org_id],
            )?
            .pop())
    }

    /// Every live member whose 所在党组织 is the org, by id.
    pub fn org_members(&self, org_id: i64) -> Result<Vec<Member>> {
        self.live_rows("org_id = ?1 ORDER BY id", &[&org_id])
    }
}
