//! `compute`: the monthly report from loaded data, exactly as DOMAIN.md
//! defines each figure. A pure function: the overview screen, the report
//! screen and `djtz report` all call it, so a figure cannot differ between
//! them.
//!
//! Choices where DOMAIN.md leaves room (a clerk's reading):
//! - "Active for the whole of M" (meeting requirements) is taken literally:
//!   成立日期 before the 1st of M, so a branch set up on the 1st is not yet
//!   checked that month. The six-month rule uses the same reading for
//!   members: 入党日期 before the 1st of M−5 (or empty), 离开日期 empty or
//!   after month end.
//! - joined_in_month, pocket_reported_in_month and new_employment count
//!   among members active at month end, like total/formal/probationary.
//! - branch_too_large counts all active members of the branch (正式 and
//!   预备); branch_too_few_members and committee_required count formal ones.
//! - term_expired needs a 本届选举日期; a branch without one is not flagged
//!   (nothing to count from). 3 years for every branch (the 5-year term of
//!   village/community branches does not apply to 两新 organisations).
//! - A 支部党员大会 with no formal member expected (0 × 2 ≤ 0) has no quorum.
//! - meetings.attendance_rate is over every meeting dated in M (all orgs,
//!   like held_by_kind); an org's own rate over its own meetings in M.
//! - An org's `held` lists each required kind with the meetings held over
//!   the period that kind is checked for (month, quarter or 党课 period,
//!   year); a meeting of two kinds counts for both.
//! - 党课 every N months (setting, default 3): checked in the months whose
//!   number is a multiple of N, over the N months ending with M.
//! - Meetings of an org that is not in the ledger (voided) count nowhere.
//! - instructors.visited_units: an assigned unit with ≥ 1 visit in M by an
//!   instructor assigned to it; instructor_no_visit uses the setting (visits
//!   per month) per assignment.
//! - dues use the stored 应交 of each row (the standard at entry, or the
//!   approved amount); a due member without a row for M is unpaid.
//! - Lists are sorted by name (Unicode order), ties by id; warnings by the
//!   order of codes in FORMATS.md, then subject, then message.
//! - Money is added exactly or not at all (`add` below): a total beyond
//!   i64 fails the whole report with `Error::money_overflow` (Chinese: the
//!   ledger holds amounts beyond reason, run `djtz check`) instead of
//!   showing a wrapped or saturated figure. The bounds of FORMATS.md (one
//!   entry ≤ 1 亿元, dues ≤ 100 万元) keep every real ledger far from it;
//!   only a ledger written by an old version or another program gets here.
//!
//! The 七个清 (seeds/004): what "missing" means for each fact of a counted
//! unit:
//! - 经营状态: never missing (always recorded; a counted unit is 正常);
//! - 职工人数: empty (0 is a value);
//! - 出资人: empty text;
//! - 党员队伍, 党组织: derived from the member and org records, never missing;
//! - 未建党组织原因: empty text, only when the unit is not org-covered;
//! - 发展需求: empty text.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, FixedOffset, Months, NaiveDate, SecondsFormat};

use super::model::*;
use crate::domain::dates::Month;
use crate::domain::enums::*;
use crate::domain::ledger::Ledger;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::error::{Error, Result};

/// Name of the township-level fund holder in messages and subjects.
pub const TOWNSHIP_LEVEL: &str = "乡镇本级";

/// `*total += v` exactly, or the report fails (see the module comment).
fn add(total: &mut Fen, v: Fen) -> Result<()> {
    *total = total.checked_add(v).ok_or_else(Error::money_overflow)?;
    Ok(())
}

/// The exact sum, or the report fails.
fn sum<I: IntoIterator<Item = Fen>>(iter: I) -> Result<Fen> {
    Fen::try_sum(iter).ok_or_else(Error::money_overflow)
}

/// n / d, or None when d is 0.
pub fn rate(n: i64, d: i64) -> Option<f64> {
    (d != 0).then(|| n as f64 / d as f64)
}

struct Warnings(Vec<Warning>);

impl Warnings {
    fn push(&mut self, code: WarningCode, subject: &str, message: String) {
        self.0.push(Warning {
            code,
            subject: subject.to_string(),
            message,
        });
    }
}

/// Sorts `(name, id, item)` by name then id and keeps the items.
fn by_name<T>(mut v: Vec<(String, i64, T)>) -> Vec<T> {
    v.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    v.into_iter().map(|(_, _, t)| t).collect()
}

/// The monthly report for `month` from `ledger` (which must hold what the
/// month needs: `Ledger::load`, or `Ledger::load_for_month` for the same
/// month). Fails only when a total of money is beyond i64 (a ledger
/// holding amounts beyond the bounds of FORMATS.md).
pub fn compute(
    ledger: &Ledger,
    month: Month,
    generated_at: DateTime<FixedOffset>,
) -> Result<MonthlyReport> {
    debug_assert!(ledger.covers(month));
    let c = Ctx::new(ledger, month);
    let mut w = Warnings(Vec::new());

    let (coverage, standalone_by_kind) = c.coverage(&mut w);
    c.org_rules(&mut w);
    let (meetings, org_rows) = c.meetings(&mut w);
    let instructors = c.instructors(&mut w);
    let (funds, year) = c.funds(&mut w)?;
    let dues = c.dues(&mut w)?;

    let mut warnings = w.0;
    warnings.sort_by(|a, b| {
        warning_rank(&a.code)
            .cmp(&warning_rank(&b.code))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.message.cmp(&b.message))
    });

    Ok(MonthlyReport {
        month,
        township: ledger.settings.township.clone(),
        generated_at: generated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        coverage,
        party_orgs: c.party_orgs(),
        members: c.member_figures(),
        meetings,
        instructors,
        funds,
        dues,
        warnings,
        extras: Some(PrintExtras {
            standalone_by_kind,
            org_rows,
            year_opening_fen: year.0,
            year_income_by_category: year.1,
            year_expense_by_category: year.2,
        }),
    })
}

/// Indexes shared by the sections.
struct Ctx<'a> {
    l: &'a Ledger,
    month: Month,
    first: NaiveDate,
    end: NaiveDate,
    orgs: HashMap<i64, &'a PartyOrg>,
    members: HashMap<i64, &'a Member>,
    /// Members active at month end.
    active_members: Vec<&'a Member>,
    /// Units an active org covers at month end / a standalone one covers.
    org_covered: HashSet<i64>,
    standalone: HashSet<i64>,
    /// Units linked at month end, per active org (any unit status).
    linked_units: HashMap<i64, BTreeSet<i64>>,
    /// Active assignments (active instructor, counted unit): (instructor, unit).
    assignments: BTreeSet<(i64, i64)>,
}

impl<'a> Ctx<'a> {
    fn new(l: &'a Ledger, month: Month) -> Self {
        let end = month.last_day();
        let orgs: HashMap<i64, &PartyOrg> = l.orgs.iter().map(|o| (o.id, o)).collect();
        let members: HashMap<i64, &Member> = l.members.iter().map(|m| (m.id, m)).collect();
        let units: HashMap<i64, &Unit> = l.units.iter().map(|u| (u.id, u)).collect();
        let counted: HashSet<i64> = l
            .units
            .iter()
            .filter(|u| u.counted())
            .map(|u| u.id)
            .collect();
        let mut org_covered = HashSet::new();
        let mut standalone = HashSet::new();
        let mut linked_units: HashMap<i64, BTreeSet<i64>> = HashMap::new();
        for cv in &l.coverages {
            let Some(org) = orgs.get(&cv.org_id) else {
                continue;
            };
            if !cv.active_on(end) || !org.active_on(end) || !units.contains_key(&cv.unit_id) {
                continue;
            }
            org_covered.insert(cv.unit_id);
            if org.formation == Formation::Standalone {
                standalone.insert(cv.unit_id);
            }
            linked_units.entry(org.id).or_default().insert(cv.unit_id);
        }
        let active_instructors: HashSet<i64> = l
            .instructors
            .iter()
            .filter(|i| i.active_on(end))
            .map(|i| i.id)
            .collect();
        let assignments = l
            .assignments
            .iter()
            .filter(|a| {
                a.active_on(end)
                    && active_instructors.contains(&a.instructor_id)
                    && counted.contains(&a.unit_id)
            })
            .map(|a| (a.instructor_id, a.unit_id))
            .collect();
        Ctx {
            l,
            month,
            first: month.first_day(),
            end,
            orgs,
            members,
            active_members: l.members.iter().filter(|m| m.active_on(end)).collect(),
            org_covered,
            standalone,
            linked_units,
            assignments,
        }
    }

    fn org_name(&self, id: i64) -> String {
        match self.orgs.get(&id) {
            Some(o) => o.name.clone(),
            None => format!("党组织#{id}"),
        }
    }

    fn coverage(&self, w: &mut Warnings) -> (CoverageFigures, Vec<i64>) {
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
        let work_units: HashSet<i64> = self.assignments.iter().map(|(_, u)| *u).collect();
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
            let org_cov = self.org_covered.contains(&u.id);
            let alone = self.standalone.contains(&u.id);
            let work = !org_cov && work_units.contains(&u.id);
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
            let mut missing = Vec::new();
            if u.employees.is_none() {
                missing.push("职工人数");
            }
            if u.investor.trim().is_empty() {
                missing.push("出资人");
            }
            if !org_cov && u.no_org_reason.trim().is_empty() {
                missing.push("未建党组织原因");
            }
            if u.needs.trim().is_empty() {
                missing.push("发展需求");
            }
            if missing.is_empty() {
                f.units_facts_complete += 1;
            } else {
                w.push(
                    WarningCode::UnitFactsIncomplete,
                    &u.name,
                    format!("“七个清”缺：{}", missing.join("、")),
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

    fn party_orgs(&self) -> OrgFigures {
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

    fn member_figures(&self) -> MemberFigures {
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

    /// Active members (all, formal) per org at month end.
    fn org_sizes(&self) -> HashMap<i64, (i64, i64)> {
        let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
        for m in &self.active_members {
            let e = out.entry(m.org_id).or_default();
            e.0 += 1;
            if m.formal_on(self.end) {
                e.1 += 1;
            }
        }
        out
    }

    fn org_rules(&self, w: &mut Warnings) {
        let sizes = self.org_sizes();
        let limit = self.l.settings.joint_branch_limit;
        for o in self.l.orgs.iter().filter(|o| o.active_on(self.end)) {
            if o.org_type != OrgType::Branch {
                continue;
            }
            let (all, formal) = sizes.get(&o.id).copied().unwrap_or((0, 0));
            if o.formation == Formation::Joint {
                let n = self.linked_units.get(&o.id).map_or(0, |s| s.len()) as i64;
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

    /// The first day of the period a kind is checked over, and whether it
    /// is required of `org` this month.
    fn requirement(&self, o: &PartyOrg, k: MeetingKind) -> (bool, NaiveDate) {
        let m = self.month;
        let every = match self.l.settings.lesson_every_months {
            n @ 1..=12 => n as u32,
            _ => 3,
        };
        let jan = Month::new(m.year(), 1).unwrap_or(m).first_day();
        match k {
            MeetingKind::BranchCommittee => (o.has_committee, self.first),
            MeetingKind::GroupMeeting => (o.group_count > 0, self.first),
            MeetingKind::ThemeDay => (true, self.first),
            MeetingKind::MembersAssembly => {
                (m.is_quarter_end(), m.quarter_first_month().first_day())
            }
            MeetingKind::PartyLesson => (
                m.month().is_multiple_of(every),
                m.add_months(1 - every as i32).first_day(),
            ),
            MeetingKind::LifeMeeting | MeetingKind::Appraisal => (m.month() == 12, jan),
        }
    }

    fn meetings(&self, w: &mut Warnings) -> (MeetingFigures, Vec<(String, i64)>) {
        let six = self.month.add_months(-5).first_day();
        let mut held_by_kind = vec![0i64; MeetingKind::ALL.len()];
        let (mut rows, mut present) = (0i64, 0i64);
        // Per org: its meetings (in the loaded window), rows and 出席 in M.
        let mut by_org: HashMap<i64, Vec<&Meeting>> = HashMap::new();
        let mut org_att: HashMap<i64, (i64, i64)> = HashMap::new();
        // Six-month rule: attendance rows and 出席 per member over M−5..M.
        let mut six_rows: HashMap<i64, (i64, i64)> = HashMap::new();
        for mt in &self.l.meetings {
            if !self.orgs.contains_key(&mt.org_id) || mt.date > self.end {
                continue;
            }
            by_org.entry(mt.org_id).or_default().push(mt);
            if mt.date >= six {
                for a in &mt.attendance {
                    let e = six_rows.entry(a.member_id).or_default();
                    e.0 += 1;
                    if a.status == AttendStatus::Present {
                        e.1 += 1;
                    }
                }
            }
            if mt.date < self.first {
                continue;
            }
            for k in &mt.kinds {
                held_by_kind[k.index()] += 1;
            }
            let (n, p, _, _) = mt.tally();
            rows += n as i64;
            present += p as i64;
            let e = org_att.entry(mt.org_id).or_default();
            e.0 += n as i64;
            e.1 += p as i64;
            if mt.has_kind(MeetingKind::MembersAssembly) {
                self.quorum(mt, w);
            }
        }

        // Requirements of every 党支部 active for the whole month.
        let sizes = self.org_sizes();
        let mut orgs = Vec::new();
        let mut compliant = 0;
        for o in &self.l.orgs {
            let whole_month =
                o.established < self.first && o.dissolved.is_none_or(|d| d > self.end);
            if o.org_type != OrgType::Branch || !whole_month {
                continue;
            }
            let mine = by_org.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
            let mut required = Vec::new();
            let mut held = Vec::new();
            let mut missing = Vec::new();
            for &k in MeetingKind::ALL {
                let (req, from) = self.requirement(o, k);
                if !req {
                    continue;
                }
                let n = mine
                    .iter()
                    .filter(|m| m.date >= from && m.has_kind(k))
                    .count() as i64;
                required.push(k.label().to_string());
                held.push((k.label().to_string(), n));
                if n == 0 {
                    missing.push(k.label().to_string());
                }
            }
            if missing.is_empty() {
                compliant += 1;
            } else {
                w.push(
                    WarningCode::OrgMissingMeetings,
                    &o.name,
                    format!("{}应开未开：{}", self.month.label(), missing.join("、")),
                );
            }
            let (r, p) = org_att.get(&o.id).copied().unwrap_or((0, 0));
            let size = sizes.get(&o.id).map_or(0, |s| s.0);
            orgs.push((
                o.name.clone(),
                o.id,
                (
                    OrgMeetings {
                        org: o.name.clone(),
                        required,
                        held: LabelMap(held),
                        missing,
                        attendance_rate: rate(p, r),
                    },
                    (o.formation.label().to_string(), size),
                ),
            ));
        }
        let (orgs, org_rows): (Vec<_>, Vec<_>) = by_name(orgs).into_iter().unzip();

        // Six-month rule.
        for (member_id, (n, p)) in six_rows {
            let Some(m) = self.members.get(&member_id) else {
                continue;
            };
            let whole = m.joined.is_none_or(|j| j < six) && m.left.is_none_or(|l| l > self.end);
            if whole && n > 0 && p == 0 {
                w.push(
                    WarningCode::MemberNoActivity6m,
                    &m.name,
                    format!(
                        "{}至{}应参加组织生活 {n} 次，均未出席（{}）",
                        self.month.add_months(-5).label(),
                        self.month.label(),
                        self.org_name(m.org_id)
                    ),
                );
            }
        }

        let required = orgs.len() as i64;
        (
            MeetingFigures {
                orgs_required: required,
                orgs_compliant: compliant,
                compliance_rate: rate(compliant, required),
                attendance_rate: rate(present, rows),
                held_by_kind: LabelMap(
                    MeetingKind::ALL
                        .iter()
                        .map(|k| (k.label().to_string(), held_by_kind[k.index()]))
                        .collect(),
                ),
                orgs,
            },
            org_rows,
        )
    }

    /// A 支部党员大会 needs more than half of the formal members expected.
    fn quorum(&self, mt: &Meeting, w: &mut Warnings) {
        let (mut expected, mut came) = (0i64, 0i64);
        for a in &mt.attendance {
            if self
                .members
                .get(&a.member_id)
                .is_some_and(|m| m.formal_on(mt.date))
            {
                expected += 1;
                if a.status == AttendStatus::Present {
                    came += 1;
                }
            }
        }
        if came * 2 <= expected {
            w.push(
                WarningCode::MeetingNoQuorum,
                &self.org_name(mt.org_id),
                format!(
                    "{} 支部党员大会应到正式党员 {expected} 名，实到 {came} 名，未超过半数",
                    mt.date
                ),
            );
        }
    }

    fn instructors(&self, w: &mut Warnings) -> InstructorFigures {
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
        let mut pair_visits: HashMap<(i64, i64), i64> = HashMap::new();
        let mut instructor_visits: HashMap<i64, i64> = HashMap::new();
        let mut visits_in_month = 0;
        for v in self.l.visits.iter().filter(|v| self.month.contains(v.date)) {
            visits_in_month += 1;
            *pair_visits.entry((v.instructor_id, v.unit_id)).or_default() += 1;
            *instructor_visits.entry(v.instructor_id).or_default() += 1;
        }
        let need = self.l.settings.visits_per_month.max(1);
        let mut assigned = BTreeSet::new();
        let mut visited = BTreeSet::new();
        let mut with_assignment = BTreeSet::new();
        for &(i, u) in &self.assignments {
            assigned.insert(u);
            with_assignment.insert(i);
            let n = pair_visits.get(&(i, u)).copied().unwrap_or(0);
            if n > 0 {
                visited.insert(u);
            }
            if n < need {
                w.push(
                    WarningCode::InstructorNoVisit,
                    &format!(
                        "{} → {}",
                        names.get(&i).unwrap_or(&""),
                        units.get(&u).unwrap_or(&"")
                    ),
                    format!("本月走访 {n} 次，应至少 {need} 次"),
                );
            }
        }
        let without_visit = by_name(
            with_assignment
                .iter()
                .filter(|i| !instructor_visits.contains_key(i))
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

    #[allow(clippy::type_complexity)]
    fn funds(
        &self,
        w: &mut Warnings,
    ) -> Result<(FundFigures, (Fen, LabelMap<Fen>, LabelMap<Fen>))> {
        let jan = Month::new(self.month.year(), 1)
            .unwrap_or(self.month)
            .first_day();
        let mut balance: HashMap<Option<i64>, Fen> = HashMap::new();
        let mut opening = Fen::ZERO;
        let mut year_opening = Fen::ZERO;
        for (org, v) in &self.l.fund_opening {
            add(balance.entry(*org).or_default(), *v)?;
            add(&mut opening, *v)?;
            add(&mut year_opening, *v)?;
        }
        let cats = FundCategory::ALL.len();
        let (mut in_month, mut in_year) = (vec![Fen::ZERO; cats], vec![Fen::ZERO; cats]);
        for e in self.l.fund_entries.iter().filter(|e| e.date <= self.end) {
            add(balance.entry(e.org_id).or_default(), e.signed())?;
            if e.date < self.first {
                add(&mut opening, e.signed())?;
            } else {
                add(&mut in_month[e.category.index()], e.amount)?;
            }
            if e.date < jan {
                add(&mut year_opening, e.signed())?;
            } else {
                add(&mut in_year[e.category.index()], e.amount)?;
            }
        }
        let mut negative: Vec<(String, i64, Fen)> = balance
            .iter()
            .filter(|(_, v)| v.0 < 0)
            .map(|(org, v)| match org {
                Some(id) => (self.org_name(*id), *id, *v),
                None => (TOWNSHIP_LEVEL.to_string(), 0, *v),
            })
            .collect();
        negative.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        for (name, _, v) in negative {
            w.push(
                WarningCode::FundNegativeBalance,
                &name,
                format!(
                    "{}末党建工作经费余额为 {} 元，支出超过收入",
                    self.month.label(),
                    v
                ),
            );
        }
        let split = |v: &[Fen], d: FundDirection| -> LabelMap<Fen> {
            LabelMap(
                FundCategory::for_direction(d)
                    .into_iter()
                    .map(|c| (c.label().to_string(), v[c.index()]))
                    .collect(),
            )
        };
        let total = |v: &[Fen], d: FundDirection| {
            sum(FundCategory::for_direction(d).iter().map(|c| v[c.index()]))
        };
        let income = total(&in_month, FundDirection::Income)?;
        let expense = total(&in_month, FundDirection::Expense)?;
        let closing = opening
            .checked_add(income)
            .and_then(|x| x.checked_sub(expense))
            .ok_or_else(Error::money_overflow)?;
        // The year's totals and closing balance, which the printed report
        // adds up from `PrintExtras`, are checked here once.
        let year_income = total(&in_year, FundDirection::Income)?;
        let year_expense = total(&in_year, FundDirection::Expense)?;
        year_opening
            .checked_add(year_income)
            .and_then(|x| x.checked_sub(year_expense))
            .ok_or_else(Error::money_overflow)?;
        Ok((
            FundFigures {
                opening_fen: opening,
                income_fen: income,
                expense_fen: expense,
                closing_fen: closing,
                income_by_category: split(&in_month, FundDirection::Income),
                expense_by_category: split(&in_month, FundDirection::Expense),
            },
            (
                year_opening,
                split(&in_year, FundDirection::Income),
                split(&in_year, FundDirection::Expense),
            ),
        ))
    }

    fn dues(&self, w: &mut Warnings) -> Result<DuesFigures> {
        let rows: Vec<&Dues> = self
            .l
            .dues
            .iter()
            .filter(|d| d.month == self.month)
            .collect();
        let by_member: HashMap<i64, &Dues> = rows.iter().map(|d| (d.member_id, *d)).collect();
        let mut due_members = 0;
        let mut paid_members = 0;
        let mut unpaid = Vec::new();
        for m in &self.active_members {
            let temporary = self
                .orgs
                .get(&m.org_id)
                .is_some_and(|o| o.formation == Formation::Temporary);
            if temporary {
                continue;
            }
            due_members += 1;
            match by_member.get(&m.id) {
                Some(d) if d.is_paid() => paid_members += 1,
                Some(d) => {
                    unpaid.push((m.name.clone(), m.id, m.name.clone()));
                    w.push(
                        WarningCode::DuesUnpaid,
                        &m.name,
                        format!(
                            "{}党费应交 {} 元，实交 {} 元，未交清（{}）",
                            self.month.label(),
                            d.due,
                            d.paid,
                            self.org_name(m.org_id)
                        ),
                    );
                }
                None => {
                    unpaid.push((m.name.clone(), m.id, m.name.clone()));
                    w.push(
                        WarningCode::DuesUnpaid,
                        &m.name,
                        format!(
                            "{}党费未登记交纳（{}）",
                            self.month.label(),
                            self.org_name(m.org_id)
                        ),
                    );
                }
            }
        }
        Ok(DuesFigures {
            members_due: due_members,
            members_paid: paid_members,
            due_fen: sum(rows.iter().map(|d| d.due))?,
            paid_fen: sum(rows.iter().map(|d| d.paid))?,
            unpaid: by_name(unpaid),
        })
    }
}

/// A rate as a percentage with one decimal (`85.0%`), `-` for none.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "-".to_string(),
    }
}
