//! Reads and writes the terminal screens need beyond the generic ones:
//! name lists for pick lists, the fixed list filters (kind, status,
//! coverage …) as SQL conditions, the facts shown beside a record, and the
//! recycle bin by table name.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params};

use super::list::{Page, PageQuery};
use super::record::Record;
use super::{Store, get_in};
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::error::{Error, Result};

/// Coverage state of a unit on a day (DOMAIN.md "Coverage").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverState {
    OrgCovered,
    WorkCovered,
    Uncovered,
}

impl CoverState {
    pub fn label(self) -> &'static str {
        match self {
            CoverState::OrgCovered => "组织覆盖",
            CoverState::WorkCovered => "工作覆盖",
            CoverState::Uncovered => "空白",
        }
    }
}

/// The fixed filters a list can add to the typed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    UnitKind(UnitKind),
    UnitStatus(UnitStatus),
    UnitCover(CoverState),
    OrgType(OrgType),
    OrgFormation(Formation),
    OrgActive,
    MemberOrg(i64),
    MemberUnit(i64),
    MemberCategory(MemberCategory),
    MemberStatus(MemberStatus),
    MemberNewEmployment,
    MemberFloating,
    InstructorActive,
    CoverageOfOrg(i64),
    AssignmentOfInstructor(i64),
    VisitOfInstructor(i64),
    AssessmentOfInstructor(i64),
}

const ORG_COVERED: &str = "EXISTS (SELECT 1 FROM coverages c JOIN party_orgs o ON o.id = c.org_id
     WHERE c.unit_id = units.id AND c.voided_at IS NULL AND o.voided_at IS NULL
       AND c.from_date <= ?1 AND (c.to_date IS NULL OR c.to_date > ?1)
       AND o.established <= ?1 AND (o.dissolved IS NULL OR o.dissolved > ?1))";
const WORK_COVERED: &str =
    "EXISTS (SELECT 1 FROM assignments a JOIN instructors i ON i.id = a.instructor_id
     WHERE a.unit_id = units.id AND a.voided_at IS NULL AND i.voided_at IS NULL
       AND a.start_date <= ?1 AND (a.end_date IS NULL OR a.end_date > ?1)
       AND i.appointed <= ?1 AND (i.left_date IS NULL OR i.left_date > ?1))";

/// The condition (with plain `?` parameters) of one filter on day `d`.
fn condition(f: ListFilter, d: NaiveDate) -> (String, Vec<Value>) {
    let day = Value::Text(d.to_string());
    let text = |s: &str| Value::Text(s.to_string());
    // The coverage conditions use ?1 for the day; PageQuery wants plain `?`.
    let plain = |s: &str, n: usize| (s.replace("?1", "?"), vec![day.clone(); n]);
    match f {
        ListFilter::UnitKind(k) => ("kind = ?".into(), vec![text(k.label())]),
        ListFilter::UnitStatus(s) => ("status = ?".into(), vec![text(s.label())]),
        ListFilter::UnitCover(CoverState::OrgCovered) => plain(ORG_COVERED, 5),
        ListFilter::UnitCover(CoverState::WorkCovered) => {
            let (a, mut va) = plain(ORG_COVERED, 5);
            let (b, vb) = plain(WORK_COVERED, 5);
            va.extend(vb);
            (format!("NOT {a} AND {b}"), va)
        }
        ListFilter::UnitCover(CoverState::Uncovered) => {
            let (a, mut va) = plain(ORG_COVERED, 5);
            let (b, vb) = plain(WORK_COVERED, 5);
            va.extend(vb);
            (format!("NOT {a} AND NOT {b}"), va)
        }
        ListFilter::OrgType(t) => ("org_type = ?".into(), vec![text(t.label())]),
        ListFilter::OrgFormation(x) => ("formation = ?".into(), vec![text(x.label())]),
        ListFilter::OrgActive => (
            "established <= ? AND (dissolved IS NULL OR dissolved > ?)".into(),
            vec![day.clone(), day],
        ),
        ListFilter::MemberOrg(id) => ("org_id = ?".into(), vec![Value::Integer(id)]),
        ListFilter::MemberUnit(id) => ("unit_id = ?".into(), vec![Value::Integer(id)]),
        ListFilter::MemberCategory(c) => ("category = ?".into(), vec![text(c.label())]),
        ListFilter::MemberStatus(s) => ("status = ?".into(), vec![text(s.label())]),
        ListFilter::MemberNewEmployment => ("new_employment IS NOT NULL".into(), vec![]),
        ListFilter::MemberFloating => ("floating = 1".into(), vec![]),
        ListFilter::InstructorActive => (
            "appointed <= ? AND (left_date IS NULL OR left_date > ?)".into(),
            vec![day.clone(), day],
        ),
        ListFilter::CoverageOfOrg(id) => ("org_id = ?".into(), vec![Value::Integer(id)]),
        ListFilter::AssignmentOfInstructor(id)
        | ListFilter::VisitOfInstructor(id)
        | ListFilter::AssessmentOfInstructor(id) => {
            ("instructor_id = ?".into(), vec![Value::Integer(id)])
        }
    }
}

/// What is shown beside a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitFacts {
    pub orgs: Vec<(String, Formation)>,
    pub instructors: Vec<String>,
    pub members: i64,
    pub formal: i64,
}

impl UnitFacts {
    pub fn state(&self) -> CoverState {
        if !self.orgs.is_empty() {
            CoverState::OrgCovered
        } else if !self.instructors.is_empty() {
            CoverState::WorkCovered
        } else {
            CoverState::Uncovered
        }
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
    /// One page of live records with fixed filters added to the typed one.
    pub fn page_filtered<R: Record>(
        &self,
        filter: &str,
        fixed: &[ListFilter],
        day: NaiveDate,
        offset: i64,
        limit: i64,
        sort: Option<(String, bool)>,
    ) -> Result<Page<R>> {
        let mut conds = Vec::new();
        let mut vals = Vec::new();
        for f in fixed {
            let (c, v) = condition(*f, day);
            conds.push(format!("({c})"));
            vals.extend(v);
        }
        let q = PageQuery {
            filter: filter.to_string(),
            condition: (!conds.is_empty()).then(|| (conds.join(" AND "), vals)),
            offset,
            limit,
            sort,
        };
        self.page::<R>(&q)
    }

    /// Live (id, name) pairs of units, orgs or instructors, by name.
    pub fn names<R: Record>(&self) -> Result<Vec<(i64, String)>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT id, name FROM {} WHERE voided_at IS NULL ORDER BY name",
            R::TABLE
        ))?;
        let out = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

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

    /// Active and formal members on day `day` whose `col` is `id`.
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
        let month = crate::domain::dates::Month::of(d);
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

    /// The title of a record by id ("" when there is none).
    pub fn id_name<R: Record>(&self, id: i64) -> Result<String> {
        Ok(get_in::<R>(&self.conn, id)?
            .map(|r| r.title())
            .unwrap_or_default())
    }

    /// 作废 / 恢复 / 彻底删除 by table name (the recycle bin lists every kind).
    pub fn bin_action(&mut self, table: &str, id: i64, action: BinAction) -> Result<()> {
        macro_rules! go {
            ($t:ty) => {
                match action {
                    BinAction::Void => self.void::<$t>(id),
                    BinAction::Restore => self.restore::<$t>(id),
                    BinAction::Purge => self.purge::<$t>(id),
                }
            };
        }
        match table {
            "units" => go!(Unit),
            "party_orgs" => go!(PartyOrg),
            "coverages" => go!(Coverage),
            "members" => go!(Member),
            "instructors" => go!(Instructor),
            "assignments" => go!(Assignment),
            "visits" => go!(Visit),
            "assessments" => go!(InstructorAssessment),
            "meetings" => go!(Meeting),
            "fund_entries" => go!(FundEntry),
            "dues" => go!(Dues),
            other => Err(Error::fail(
                "unknown-table",
                format!("未知的记录类型 {other}"),
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinAction {
    Void,
    Restore,
    Purge,
}
