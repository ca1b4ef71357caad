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
//! The rules several layers apply (quorum, who owes dues, the 七个清 facts,
//! visit shortfalls, coverage, fund balances) are `domain::rules`; this
//! module adds them up into figures and warnings. One file per section of
//! the report: `structure` (coverage, orgs, members, the organisation
//! rules), `meetings` (三会一课), `instructors`, `money` (funds, dues).

mod instructors;
mod meetings;
mod money;
mod structure;

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};

use super::model::*;
use crate::domain::dates::Month;
use crate::domain::ledger::Ledger;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::domain::rules::CoverageOn;
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
    /// Who covers what at month end.
    cov: CoverageOn,
}

impl<'a> Ctx<'a> {
    fn new(l: &'a Ledger, month: Month) -> Self {
        let end = month.last_day();
        Ctx {
            l,
            month,
            first: month.first_day(),
            end,
            orgs: l.orgs.iter().map(|o| (o.id, o)).collect(),
            members: l.members.iter().map(|m| (m.id, m)).collect(),
            active_members: l.members.iter().filter(|m| m.active_on(end)).collect(),
            cov: CoverageOn::new(
                end,
                &l.units,
                &l.orgs,
                &l.coverages,
                &l.instructors,
                &l.assignments,
            ),
        }
    }

    fn org_name(&self, id: i64) -> String {
        match self.orgs.get(&id) {
            Some(o) => o.name.clone(),
            None => format!("党组织#{id}"),
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
}

/// A rate as a percentage with one decimal (`85.0%`), `-` for none.
pub fn percent(r: Option<f64>) -> String {
    match r {
        Some(r) => format!("{:.1}%", r * 100.0),
        None => "-".to_string(),
    }
}
