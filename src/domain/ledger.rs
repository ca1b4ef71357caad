//! `Ledger`: the live records and settings a monthly report is computed
//! from (`report::compute`), and the date windows of one month's report.
//! Data only: the store loads it (`Ledger::load`, `Ledger::load_for_month`
//! in `store::ledger`), the report reads it.

use chrono::NaiveDate;

use super::dates::Month;
use super::money::Fen;
use super::records::*;

/// Live (not voided) records and the settings.
///
/// Small tables (units, orgs, coverage links, members, instructors,
/// assignments) are always whole. The large, dated tables may be scoped to
/// the dates one month's report needs ([`Ledger::load_for_month`]):
/// `scope` then says which month, and
/// - `meetings`: those dated from [`meeting_window_start`] to month end,
///   with `kinds`, `org_id` and `date` only (text fields empty); their
///   attendance only for meetings from M−5 on (older ones: empty);
/// - `visits`: those dated in M;
/// - `fund_entries`: those dated from `fund_from` to month end, with the
///   balance of everything before `fund_from` per org in `fund_opening`;
/// - `dues`: the rows for M.
///
/// [`Ledger::load`] loads everything (`scope` = None, `fund_from` =
/// `NaiveDate::MIN`, `fund_opening` empty); `compute` gives the same figures
/// from either.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub settings: Settings,
    pub units: Vec<Unit>,
    pub orgs: Vec<PartyOrg>,
    pub coverages: Vec<Coverage>,
    pub members: Vec<Member>,
    pub instructors: Vec<Instructor>,
    pub assignments: Vec<Assignment>,
    pub visits: Vec<Visit>,
    pub meetings: Vec<Meeting>,
    pub fund_entries: Vec<FundEntry>,
    /// Fund entries before this date are summed in `fund_opening`.
    pub fund_from: NaiveDate,
    /// Σ signed amounts before `fund_from`, per org (None = 乡镇本级).
    pub fund_opening: Vec<(Option<i64>, Fen)>,
    pub dues: Vec<Dues>,
    /// The month the dated tables were scoped to; None = everything.
    pub scope: Option<Month>,
}

/// The first day whose meetings a report for `month` looks at: M−5 (the
/// six-month rule, and at most a half-year 党课 period), or 1 January in
/// December (the yearly kinds, and a yearly 党课 setting).
pub fn meeting_window_start(month: Month) -> NaiveDate {
    let six = month.add_months(-5);
    if month.month() == 12 {
        Month::new(month.year(), 1).unwrap_or(six).first_day()
    } else {
        six.first_day()
    }
}

/// The first day whose attendance a report for `month` needs (M−5).
pub fn attendance_window_start(month: Month) -> NaiveDate {
    month.add_months(-5).first_day()
}

/// Fund entries are loaded from 1 January of the report's year (本年累计).
pub fn fund_window_start(month: Month) -> NaiveDate {
    Month::new(month.year(), 1).unwrap_or(month).first_day()
}

impl Ledger {
    /// Whether this ledger holds what a report for `month` needs.
    pub fn covers(&self, month: Month) -> bool {
        self.scope.is_none_or(|m| m == month)
    }
}
