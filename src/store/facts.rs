//! The facts shown beside a record (a unit's coverage and members, an
//! org's units and members, an instructor's units and visits) and the unit
//! a new visit suggests. Each count or list mirrors a rule of DOMAIN.md
//! ("Time", `domain::rules`) and is tested against it (tests/rules_sql.rs).

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::domain::dates::Month;
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::rules::{CoverState, cover_state};
use crate::error::Result;

/// What is shown beside a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitFacts {
    /// Active orgs covering it on the day: (name, 组建方式).
    pub orgs: Vec<(String, Formation)>,
    /// Active instructors with an active assignment to it on the day.
    pub instructors: Vec<String>,
    pub members: i64,
    pub formal: i64,
}

impl UnitFacts {
    /// The unit's coverage state (`rules::cover_state`); `counted`: the
    /// unit's `Unit::counted`.
    pub fn state(&self, counted: bool) -> CoverState {
        cover_state(counted, !self.orgs.is_empty(), !self.instructors.is_empty())
    }
}

/// What is shown beside a party org.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgFacts {
    /// Units linked on the day: (name, formal members of the unit).
    pub units: Vec<(String, i64)>,
    pub members: i64,
    pub formal: i64,
    pub parent: String,
}

/// What is shown beside an instructor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstructorFacts {
    pub units: Vec<String>,
    pub visits_in_month: i64,
    pub last_visit: Option<NaiveDate>,
    pub assessment: Option<(i32, Assessment)>,
}

impl Store {
    pub fn unit_facts(&self, unit_id: i64, d: NaiveDate) -> Result<UnitFacts> {
        let day = d.to_string();
        let mut st = self.conn.prepare_cached(
            "SELECT o.name, o.formation FROM coverages c JOIN party_orgs o ON o.id = c.org_id
             WHERE c.unit_id = ?1 AND c.voided_at IS NULL AND o.voided_at IS NULL
               AND c.from_date <= ?2 AND (c.to_date IS NULL OR c.to_date > ?2)
               AND o.established <= ?2 AND (o.dissolved IS NULL OR o.dissolved > ?2)
             ORDER BY o.name",
        )?;
        let orgs = st
            .query_map(params![unit_id, day], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut st = self.conn.prepare_cached(
            "SELECT i.name FROM assignments a JOIN instructors i ON i.id = a.instructor_id
             WHERE a.unit_id = ?1 AND a.voided_at IS NULL AND i.voided_at IS NULL
               AND a.start_date <= ?2 AND (a.end_date IS NULL OR a.end_date > ?2)
               AND i.appointed <= ?2 AND (i.left_date IS NULL OR i.left_date > ?2)
             ORDER BY i.name",
        )?;
        let instructors = st
            .query_map(params![unit_id, day], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let (members, formal) = self.member_counts("unit_id", unit_id, &day)?;
        Ok(UnitFacts {
            orgs,
            instructors,
            members,
            formal,
        })
    }

    /// Active and formal members on day `day` whose `col` is `id`
    /// (`Member::active_on`, `Member::formal_on`).
    fn member_counts(&self, col: &str, id: i64, day: &str) -> Result<(i64, i64)> {
        let sql = format!(
            "SELECT count(*),
                    coalesce(sum(CASE WHEN (confirmed IS NOT NULL AND confirmed <= ?2)
                                        OR (confirmed IS NULL AND category = '正式党员')
                                      THEN 1 ELSE 0 END), 0)
             FROM members WHERE {col} = ?1 AND voided_at IS NULL
               AND (joined IS NULL OR joined <= ?2) AND (left_date IS NULL OR left_date > ?2)"
        );
        Ok(self
            .conn
            .query_row(&sql, params![id, day], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    pub fn org_facts(&self, org: &PartyOrg, d: NaiveDate) -> Result<OrgFacts> {
        let day = d.to_string();
        let mut st = self.conn.prepare_cached(
            "SELECT u.id, u.name FROM coverages c JOIN units u ON u.id = c.unit_id
             WHERE c.org_id = ?1 AND c.voided_at IS NULL AND u.voided_at IS NULL
               AND c.from_date <= ?2 AND (c.to_date IS NULL OR c.to_date > ?2)
             ORDER BY u.name",
        )?;
        let linked: Vec<(i64, String)> = st
            .query_map(params![org.id, day], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut units = Vec::with_capacity(linked.len());
        for (id, name) in linked {
            let (_, formal) = self.member_counts("unit_id", id, &day)?;
            units.push((name, formal));
        }
        let (members, formal) = self.member_counts("org_id", org.id, &day)?;
        let parent = match org.parent_id {
            Some(p) => self
                .conn
                .query_row("SELECT name FROM party_orgs WHERE id = ?1", [p], |r| {
                    r.get(0)
                })
                .optional()?
                .unwrap_or_default(),
            None => String::new(),
        };
        Ok(OrgFacts {
            units,
            members,
            formal,
            parent,
        })
    }

    pub fn instructor_facts(&self, id: i64, d: NaiveDate) -> Result<InstructorFacts> {
        let day = d.to_string();
        let mut st = self.conn.prepare_cached(
            "SELECT u.name FROM assignments a JOIN units u ON u.id = a.unit_id
             WHERE a.instructor_id = ?1 AND a.voided_at IS NULL AND u.voided_at IS NULL
               AND a.start_date <= ?2 AND (a.end_date IS NULL OR a.end_date > ?2)
             ORDER BY u.name",
        )?;
        let units = st
            .query_map(params![id, day], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let month = Month::of(d);
        let visits_in_month = self.conn.query_row(
            "SELECT count(*) FROM visits WHERE instructor_id = ?1 AND voided_at IS NULL
               AND date >= ?2 AND date <= ?3",
            params![
                id,
                month.first_day().to_string(),
                month.last_day().to_string()
            ],
            |r| r.get(0),
        )?;
        let last_visit = self.conn.query_row(
            "SELECT max(date) FROM visits WHERE instructor_id = ?1 AND voided_at IS NULL",
            [id],
            |r| r.get(0),
        )?;
        let assessment = self
            .conn
            .query_row(
                "SELECT year, grade FROM assessments WHERE instructor_id = ?1 AND voided_at IS NULL
                 ORDER BY year DESC LIMIT 1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(InstructorFacts {
            units,
            visits_in_month,
            last_visit,
            assessment,
        })
    }

    /// For a new visit: the unit (of the instructor's active assignments)
    /// visited least recently by that instructor; never visited comes first.
    pub fn least_recently_visited(
        &self,
        instructor_id: i64,
        d: NaiveDate,
    ) -> Result<Option<(i64, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT u.id, u.name FROM assignments a JOIN units u ON u.id = a.unit_id
                 WHERE a.instructor_id = ?1 AND a.voided_at IS NULL AND u.voided_at IS NULL
                   AND a.start_date <= ?2 AND (a.end_date IS NULL OR a.end_date > ?2)
                 ORDER BY (SELECT max(v.date) FROM visits v WHERE v.instructor_id = ?1
                             AND v.unit_id = u.id AND v.voided_at IS NULL) IS NOT NULL,
                          (SELECT max(v.date) FROM visits v WHERE v.instructor_id = ?1
                             AND v.unit_id = u.id AND v.voided_at IS NULL),
                          u.name
                 LIMIT 1",
                params![instructor_id, d.to_string()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
