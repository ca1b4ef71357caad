//! The fixed filters a list can add to the one typed (kind, status,
//! coverage, active …) as SQL conditions. The coverage and "active"
//! conditions mirror `domain::rules` and the records' `active_on`; each is
//! tested against them (tests/rules_sql.rs).

use chrono::NaiveDate;
use rusqlite::types::Value;

use super::Store;
use super::list::{Page, PageQuery};
use super::record::Record;
use crate::domain::enums::*;
use crate::domain::rules::CoverState;
use crate::error::Result;

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

/// `Unit::counted`: only units really operating.
const COUNTED: &str = "status = '正常'";
/// An active org covers the unit on ?1 (`CoverageOn::org_covered`).
const ORG_COVERED: &str = "EXISTS (SELECT 1 FROM coverages c JOIN party_orgs o ON o.id = c.org_id
     WHERE c.unit_id = units.id AND c.voided_at IS NULL AND o.voided_at IS NULL
       AND c.from_date <= ?1 AND (c.to_date IS NULL OR c.to_date > ?1)
       AND o.established <= ?1 AND (o.dissolved IS NULL OR o.dissolved > ?1))";
/// An active instructor has an active assignment to the unit on ?1.
const ASSIGNED: &str =
    "EXISTS (SELECT 1 FROM assignments a JOIN instructors i ON i.id = a.instructor_id
     WHERE a.unit_id = units.id AND a.voided_at IS NULL AND i.voided_at IS NULL
       AND a.start_date <= ?1 AND (a.end_date IS NULL OR a.end_date > ?1)
       AND i.appointed <= ?1 AND (i.left_date IS NULL OR i.left_date > ?1))";

/// The condition (with plain `?` parameters) of one filter on day `d`.
fn condition(f: ListFilter, d: NaiveDate) -> (String, Vec<Value>) {
    let day = Value::Text(d.to_string());
    let text = |s: &str| Value::Text(s.to_string());
    // The coverage conditions use ?1 for the day; PageQuery wants plain
    // `?`, one value for each.
    let plain = |s: &str| {
        (
            s.replace("?1", "?"),
            vec![day.clone(); s.matches("?1").count()],
        )
    };
    // `rules::cover_state`: counted first, then org, then an assignment.
    let cover = |org: bool, assigned: Option<bool>| {
        let (a, mut va) = plain(ORG_COVERED);
        let mut sql = format!("{COUNTED} AND {}{a}", if org { "" } else { "NOT " });
        if let Some(assigned) = assigned {
            let (b, vb) = plain(ASSIGNED);
            sql.push_str(&format!(" AND {}{b}", if assigned { "" } else { "NOT " }));
            va.extend(vb);
        }
        (sql, va)
    };
    match f {
        ListFilter::UnitKind(k) => ("kind = ?".into(), vec![text(k.label())]),
        ListFilter::UnitStatus(s) => ("status = ?".into(), vec![text(s.label())]),
        ListFilter::UnitCover(CoverState::OrgCovered) => cover(true, None),
        ListFilter::UnitCover(CoverState::WorkCovered) => cover(false, Some(true)),
        ListFilter::UnitCover(CoverState::Uncovered) => cover(false, Some(false)),
        ListFilter::UnitCover(CoverState::NotCounted) => (format!("NOT ({COUNTED})"), vec![]),
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
}
