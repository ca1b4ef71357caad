//! The rules of DOMAIN.md that more than one part of the program applies,
//! each written once: the quorum of a 支部党员大会, who owes dues in a
//! month, the missing 七个清 facts of a unit, an instructor's visit
//! shortfall per assignment, coverage (组织覆盖 / 工作覆盖 over counted
//! units) and fund balances (opening + entries).
//!
//! Pure functions over the domain records: no SQL, no I/O. The report
//! (`report::compute`), the screens and the store call them; an SQL filter
//! of the store that mirrors one of them is tested against it
//! (tests/rules_sql.rs). The "active on a day" rules of DOMAIN.md "Time"
//! are the records' own `active_on` / `formal_on` / `counted`.
//!
//! Money is added exactly or not at all: the balance functions give `None`
//! when a sum is beyond i64 (the caller says so, see
//! `Error::money_overflow`).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;

use super::dates::Month;
use super::enums::{AttendStatus, Formation, MeetingKind};
use super::money::Fen;
use super::records::*;

// ---------------------------------------------------------------------------
// Quorum of a 支部党员大会
// ---------------------------------------------------------------------------

/// Formal members expected at a meeting and those present (预备党员
/// attend but have no vote, so only formal members count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quorum {
    pub expected: usize,
    pub present: usize,
}

impl Quorum {
    /// Tallies attendance rows given as (formal on the meeting's date,
    /// status).
    pub fn tally<I: IntoIterator<Item = (bool, AttendStatus)>>(rows: I) -> Quorum {
        let mut q = Quorum::default();
        for (formal, status) in rows {
            if formal {
                q.expected += 1;
                if status == AttendStatus::Present {
                    q.present += 1;
                }
            }
        }
        q
    }

    /// More than half of the formal members expected came. DOMAIN.md:
    /// present × 2 ≤ expected has no quorum, so a meeting with no formal
    /// member expected (0 × 2 ≤ 0) has none either.
    pub fn reached(self) -> bool {
        self.present * 2 > self.expected
    }
}

/// Whether a meeting of these kinds is held to the quorum rule: it is a
/// 支部党员大会 (possibly of other kinds too).
pub fn needs_quorum(kinds: &[MeetingKind]) -> bool {
    kinds.contains(&MeetingKind::MembersAssembly)
}

/// The quorum of a stored meeting: its attendance rows, each member formal
/// or not on the meeting's date by its record (`member` finds it; a row
/// whose member is not found is not a formal member).
pub fn meeting_quorum<'a>(mt: &Meeting, member: impl Fn(i64) -> Option<&'a Member>) -> Quorum {
    Quorum::tally(mt.attendance.iter().map(|a| {
        let formal = member(a.member_id).is_some_and(|m| m.formal_on(mt.date));
        (formal, a.status)
    }))
}

// ---------------------------------------------------------------------------
// Dues
// ---------------------------------------------------------------------------

/// Whether `m` owes dues for `month` (DOMAIN.md members_due): active at
/// month end, and its org (`org`, when it is in the ledger) not formed
/// 临时组建 (temporary branches collect no dues).
pub fn owes_dues(m: &Member, org: Option<&PartyOrg>, month: Month) -> bool {
    m.active_on(month.last_day()) && org.is_none_or(|o| o.formation != Formation::Temporary)
}

/// Whether a member who owes dues for a month has paid them: a row for
/// the month with 实交 ≥ 应交 (no row: unpaid).
pub fn dues_paid(row: Option<&Dues>) -> bool {
    row.is_some_and(Dues::is_paid)
}

// ---------------------------------------------------------------------------
// 七个清
// ---------------------------------------------------------------------------

/// A fact of the 七个清 (seeds/004) a unit record can lack. The others
/// never are: 经营状态 is always recorded (and a counted unit is 正常);
/// 党员队伍 and 党组织 are derived from the member and org records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitFact {
    /// 职工人数: missing when empty (0 is a value).
    Employees,
    /// 出资人: missing when blank.
    Investor,
    /// 未建党组织原因: needed only when no org covers the unit.
    NoOrgReason,
    /// 发展需求: missing when blank.
    Needs,
}

impl UnitFact {
    pub fn label(self) -> &'static str {
        match self {
            UnitFact::Employees => "职工人数",
            UnitFact::Investor => "出资人",
            UnitFact::NoOrgReason => "未建党组织原因",
            UnitFact::Needs => "发展需求",
        }
    }
}

/// The needed 七个清 facts a unit lacks (DOMAIN.md rule 7), in the order
/// of the seven; `org_covered`: whether an active org covers it (at the
/// report's month end). Only a counted unit owes them: for any other the
/// list is empty.
pub fn missing_facts(u: &Unit, org_covered: bool) -> Vec<UnitFact> {
    if !u.counted() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if u.employees.is_none() {
        out.push(UnitFact::Employees);
    }
    if u.investor.trim().is_empty() {
        out.push(UnitFact::Investor);
    }
    if !org_covered && u.no_org_reason.trim().is_empty() {
        out.push(UnitFact::NoOrgReason);
    }
    if u.needs.trim().is_empty() {
        out.push(UnitFact::Needs);
    }
    out
}

// ---------------------------------------------------------------------------
// Coverage (两个覆盖)
// ---------------------------------------------------------------------------

/// Coverage state of a unit on a day (DOMAIN.md "Coverage").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverState {
    /// An active party org covers it.
    OrgCovered,
    /// No org covers it, but an active instructor has an active assignment
    /// to it (工作覆盖).
    WorkCovered,
    /// Neither: a 空白点.
    Uncovered,
    /// Not counted (经营状态 异常 or 注销): outside every rate, neither
    /// covered nor a 空白点.
    NotCounted,
}

impl CoverState {
    pub fn label(self) -> &'static str {
        match self {
            CoverState::OrgCovered => "组织覆盖",
            CoverState::WorkCovered => "工作覆盖",
            CoverState::Uncovered => "空白",
            CoverState::NotCounted => "不计入",
        }
    }
}

/// The state of a unit from its facts on the day: whether it is counted,
/// whether an active org covers it, whether an active instructor has an
/// active assignment to it.
pub fn cover_state(counted: bool, org_covered: bool, assigned: bool) -> CoverState {
    match (counted, org_covered, assigned) {
        (false, _, _) => CoverState::NotCounted,
        (true, true, _) => CoverState::OrgCovered,
        (true, false, true) => CoverState::WorkCovered,
        (true, false, false) => CoverState::Uncovered,
    }
}

/// Who covers what at the end of one day, from the live records.
#[derive(Debug, Clone, Default)]
pub struct CoverageOn {
    pub day: NaiveDate,
    /// Units (any status) an active org covers.
    org_covered: HashSet<i64>,
    /// Units (any status) an active org formed 单独组建 covers.
    standalone: HashSet<i64>,
    /// Per active org, the units linked to it (any status).
    linked: HashMap<i64, BTreeSet<i64>>,
    /// Active assignments of active instructors to counted units:
    /// (instructor, unit).
    assignments: BTreeSet<(i64, i64)>,
    /// Counted units with such an assignment.
    assigned: HashSet<i64>,
}

impl CoverageOn {
    /// Coverage at the end of `day`. Links to a unit or an org not among
    /// `units` / `orgs` (voided) count nowhere.
    pub fn new(
        day: NaiveDate,
        units: &[Unit],
        orgs: &[PartyOrg],
        coverages: &[Coverage],
        instructors: &[Instructor],
        assignments: &[Assignment],
    ) -> Self {
        let orgs: HashMap<i64, &PartyOrg> = orgs.iter().map(|o| (o.id, o)).collect();
        let units: HashMap<i64, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        let mut c = CoverageOn {
            day,
            ..CoverageOn::default()
        };
        for cv in coverages {
            let Some(org) = orgs.get(&cv.org_id) else {
                continue;
            };
            if !cv.active_on(day) || !org.active_on(day) || !units.contains_key(&cv.unit_id) {
                continue;
            }
            c.org_covered.insert(cv.unit_id);
            if org.formation == Formation::Standalone {
                c.standalone.insert(cv.unit_id);
            }
            c.linked.entry(org.id).or_default().insert(cv.unit_id);
        }
        let active: HashSet<i64> = instructors
            .iter()
            .filter(|i| i.active_on(day))
            .map(|i| i.id)
            .collect();
        for a in assignments {
            let counted = units.get(&a.unit_id).is_some_and(|u| u.counted());
            if a.active_on(day) && active.contains(&a.instructor_id) && counted {
                c.assignments.insert((a.instructor_id, a.unit_id));
                c.assigned.insert(a.unit_id);
            }
        }
        c
    }

    /// An active org covers the unit (organisational coverage, any status).
    pub fn org_covered(&self, unit_id: i64) -> bool {
        self.org_covered.contains(&unit_id)
    }

    /// An active org formed 单独组建 covers the unit.
    pub fn standalone(&self, unit_id: i64) -> bool {
        self.standalone.contains(&unit_id)
    }

    /// The unit's state: counted units only are covered or not.
    pub fn state(&self, u: &Unit) -> CoverState {
        cover_state(
            u.counted(),
            self.org_covered(u.id),
            self.assigned.contains(&u.id),
        )
    }

    /// Work-covered (工作覆盖 without an org): a counted unit, not
    /// org-covered, with an active assignment of an active instructor.
    pub fn work_covered(&self, u: &Unit) -> bool {
        self.state(u) == CoverState::WorkCovered
    }

    /// The units linked to an active org on the day, whatever their status
    /// (what the joint-branch limit counts); empty for an inactive org.
    pub fn linked_units(&self, org_id: i64) -> impl Iterator<Item = i64> + '_ {
        self.linked.get(&org_id).into_iter().flatten().copied()
    }

    /// Active assignments (of an active instructor, to a counted unit), as
    /// (instructor, unit), in order.
    pub fn assignments(&self) -> &BTreeSet<(i64, i64)> {
        &self.assignments
    }
}

// ---------------------------------------------------------------------------
// Instructor visits
// ---------------------------------------------------------------------------

/// Visits each assignment needs in a month: the setting 指导员每月走访次数,
/// at least 1.
pub fn visits_needed(visits_per_month: i64) -> i64 {
    visits_per_month.max(1)
}

/// One active assignment and the visits made in the month by that
/// instructor to that unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssignmentVisits {
    pub instructor_id: i64,
    pub unit_id: i64,
    pub visits: i64,
}

impl AssignmentVisits {
    /// How many visits short of the setting it is (None: enough).
    pub fn shortfall(&self, visits_per_month: i64) -> Option<i64> {
        let need = visits_needed(visits_per_month);
        (self.visits < need).then_some(need - self.visits)
    }
}

/// Every active assignment at the end of `month` (`cov` must be the
/// coverage on its last day) with its visits dated in `month`.
pub fn assignment_visits(
    cov: &CoverageOn,
    visits: &[Visit],
    month: Month,
) -> Vec<AssignmentVisits> {
    let mut per: HashMap<(i64, i64), i64> = HashMap::new();
    for v in visits.iter().filter(|v| month.contains(v.date)) {
        *per.entry((v.instructor_id, v.unit_id)).or_default() += 1;
    }
    cov.assignments()
        .iter()
        .map(|&(i, u)| AssignmentVisits {
            instructor_id: i,
            unit_id: u,
            visits: per.get(&(i, u)).copied().unwrap_or(0),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Fund balances
// ---------------------------------------------------------------------------

/// The fund balance of each holder (an org, or `None` = 乡镇本级): an
/// opening per holder plus the signed amounts of the entries posted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balances(BTreeMap<Option<i64>, Fen>);

impl Balances {
    /// Balances starting from openings per holder (a holder listed twice
    /// has the sum); None when a sum is beyond i64.
    pub fn opening(opening: &[(Option<i64>, Fen)]) -> Option<Balances> {
        let mut b = Balances::default();
        for &(holder, v) in opening {
            b.add(holder, v)?;
        }
        Some(b)
    }

    fn add(&mut self, holder: Option<i64>, v: Fen) -> Option<Fen> {
        let e = self.0.entry(holder).or_default();
        *e = e.checked_add(v)?;
        Some(*e)
    }

    /// Posts an entry: the holder's balance after it (None: beyond i64).
    pub fn post(&mut self, e: &FundEntry) -> Option<Fen> {
        self.add(e.org_id, e.signed())
    }

    /// The balance of one holder (0 when it has none).
    pub fn of(&self, holder: Option<i64>) -> Fen {
        self.0.get(&holder).copied().unwrap_or(Fen::ZERO)
    }

    /// The township's balance: every holder together.
    pub fn township(&self) -> Option<Fen> {
        Fen::try_sum(self.0.values().copied())
    }

    /// Every holder with a balance, `None` (乡镇本级) first, then by org id.
    pub fn iter(&self) -> impl Iterator<Item = (Option<i64>, Fen)> + '_ {
        self.0.iter().map(|(h, v)| (*h, *v))
    }

    /// The holders whose balance is below zero (`fund_negative_balance`).
    pub fn negative(&self) -> impl Iterator<Item = (Option<i64>, Fen)> + '_ {
        self.iter().filter(|(_, v)| v.0 < 0)
    }

    pub fn into_vec(self) -> Vec<(Option<i64>, Fen)> {
        self.0.into_iter().collect()
    }
}

/// The balance per holder of the entries dated before `before`
/// (DOMAIN.md: opening = Σ income − Σ expense before M); what
/// `Store::fund_opening` sums in SQL. None when a sum is beyond i64.
pub fn fund_opening<'a>(
    entries: impl IntoIterator<Item = &'a FundEntry>,
    before: NaiveDate,
) -> Option<Balances> {
    let mut b = Balances::default();
    for e in entries.into_iter().filter(|e| e.date < before) {
        b.post(e)?;
    }
    Some(b)
}

/// closing = opening + income − expense (None: beyond i64).
pub fn closing(opening: Fen, income: Fen, expense: Fen) -> Option<Fen> {
    opening.checked_add(income)?.checked_sub(expense)
}

#[cfg(test)]
mod tests;
