//! Loading a `Ledger` (`Ledger::load`, or `Ledger::load_for_month` scoped to
//! one month's windows so a large ledger loads in a fraction of a second;
//! the type itself is data in `domain::ledger`), and the report's headline
//! aggregates as plain SQL (the benchmark's yardstick and a cross-check in
//! tests).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};

use super::Store;
use super::record::{Record, select_sql};
use crate::domain::dates::Month;
use crate::domain::ledger::{
    Ledger, attendance_window_start, fund_window_start, meeting_window_start,
};
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::error::Result;

/// Headline figures computed directly in SQL (see `report_sql_figures`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SqlFigures {
    pub units_total: i64,
    pub units_org_covered: i64,
    pub orgs_total: i64,
    pub members_total: i64,
    pub members_formal: i64,
    pub meetings_in_month: i64,
    pub attendance_rows: i64,
    pub attendance_present: i64,
    pub visits_in_month: i64,
    pub fund_opening: Fen,
    pub fund_income: Fen,
    pub fund_expense: Fen,
    pub dues_due: Fen,
    pub dues_paid: Fen,
    pub members_no_activity_6m: i64,
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Ledger {
    /// Everything live in the ledger (small ledgers, tests).
    pub fn load(store: &Store) -> Result<Ledger> {
        store.load_ledger(None)
    }

    /// What one month's report needs, with the large tables scoped to the
    /// month's windows (fast on big ledgers).
    pub fn load_for_month(store: &Store, month: Month) -> Result<Ledger> {
        store.load_ledger(Some(month))
    }
}

impl Store {
    /// Live records of a kind matching `cond` (an SQL condition written by
    /// this module), without child rows.
    fn live_where<R: Record>(&self, cond: &str, args: &[Value]) -> Result<Vec<R>> {
        let sql = format!(
            "{} WHERE voided_at IS NULL{}{} ORDER BY id",
            select_sql::<R>(),
            if cond.is_empty() { "" } else { " AND " },
            cond
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let out = st
            .query_map(params_from_iter(args.iter()), |r| R::from_row(r))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// Loads a ledger: everything (`None`) or what `month`'s report needs
    /// (see `Ledger`).
    fn load_ledger(&self, month: Option<Month>) -> Result<Ledger> {
        let mut l = Ledger {
            settings: self.settings()?,
            units: self.live_where("", &[])?,
            orgs: self.live_where("", &[])?,
            coverages: self.live_where("", &[])?,
            members: self.live_where("", &[])?,
            instructors: self.live_where("", &[])?,
            assignments: self.live_where("", &[])?,
            scope: month,
            fund_from: NaiveDate::MIN,
            ..Ledger::default()
        };
        match month {
            None => {
                l.visits = self.live_where("", &[])?;
                l.meetings = self.live_where("", &[])?;
                self.attach_attendance(&mut l.meetings, None)?;
                l.fund_entries = self.live_where("", &[])?;
                l.dues = self.live_where("", &[])?;
            }
            Some(m) => {
                let end = Value::Text(iso(m.last_day()));
                let range = "date >= ?1 AND date <= ?2";
                l.visits =
                    self.live_where(range, &[Value::Text(iso(m.first_day())), end.clone()])?;
                l.meetings = self.slim_meetings(meeting_window_start(m), m.last_day())?;
                self.attach_attendance(
                    &mut l.meetings,
                    Some((attendance_window_start(m), m.last_day())),
                )?;
                let from = fund_window_start(m);
                l.fund_entries = self.live_where(range, &[Value::Text(iso(from)), end])?;
                l.fund_from = from;
                l.fund_opening = self.fund_balances_before(from)?;
                l.dues = self.live_where("month = ?1", &[Value::Text(m.to_string())])?;
            }
        }
        Ok(l)
    }

    /// Meetings dated `from..=to` with only what the report reads.
    fn slim_meetings(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Meeting>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, org_id, kinds, date FROM meetings
             WHERE voided_at IS NULL AND date >= ?1 AND date <= ?2 ORDER BY id",
        )?;
        let out = st
            .query_map(params![iso(from), iso(to)], |r| {
                let mut m = Meeting::new(r.get(1)?, kinds_from_mask(r.get(2)?), r.get(3)?);
                m.id = r.get(0)?;
                Ok(m)
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// Fills the attendance of `meetings` in one query: every live meeting,
    /// or those dated within `window`.
    fn attach_attendance(
        &self,
        meetings: &mut [Meeting],
        window: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<()> {
        let index: HashMap<i64, usize> = meetings
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id, i))
            .collect();
        let (sql, args) = match window {
            None => (
                "SELECT a.meeting_id, a.member_id, a.status, a.reason
                 FROM attendance a JOIN meetings m ON m.id = a.meeting_id
                 WHERE m.voided_at IS NULL",
                vec![],
            ),
            Some((from, to)) => (
                "SELECT a.meeting_id, a.member_id, a.status, a.reason
                 FROM meetings m JOIN attendance a ON a.meeting_id = m.id
                 WHERE m.voided_at IS NULL AND m.date >= ?1 AND m.date <= ?2",
                vec![Value::Text(iso(from)), Value::Text(iso(to))],
            ),
        };
        let mut st = self.conn.prepare_cached(sql)?;
        let mut rows = st.query(params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let meeting_id: i64 = r.get(0)?;
            if let Some(&i) = index.get(&meeting_id) {
                meetings[i].attendance.push(Attendance {
                    member_id: r.get(1)?,
                    status: r.get(2)?,
                    reason: r.get(3)?,
                });
            }
        }
        for m in meetings.iter_mut() {
            m.attendance.sort_by_key(|a| a.member_id);
        }
        Ok(())
    }

    /// The headline figures of DOMAIN.md for `month`, each as one plain SQL
    /// aggregate. Used by the benchmark as the yardstick for `compute` and
    /// by the tests as an independent cross-check.
    pub fn report_sql_figures(&self, month: Month) -> Result<SqlFigures> {
        let first = iso(month.first_day());
        let end = iso(month.last_day());
        let six = iso(attendance_window_start(month));
        let one = |sql: &str, args: &[&dyn rusqlite::ToSql]| -> Result<i64> {
            Ok(self
                .conn
                .query_row(sql, args, |r| r.get::<_, Option<i64>>(0))?
                .unwrap_or(0))
        };
        let active_org = "o.voided_at IS NULL AND o.established <= ?1
                          AND (o.dissolved IS NULL OR o.dissolved > ?1)";
        let active_member = "m.voided_at IS NULL AND (m.joined IS NULL OR m.joined <= ?1)
                             AND (m.left_date IS NULL OR m.left_date > ?1)";
        let mut f = SqlFigures {
            units_total: one(
                "SELECT count(*) FROM units WHERE voided_at IS NULL AND status = '正常'",
                &[],
            )?,
            ..SqlFigures::default()
        };
        f.units_org_covered = one(
            &format!(
                "SELECT count(*) FROM units u WHERE u.voided_at IS NULL AND u.status = '正常'
                 AND EXISTS (SELECT 1 FROM coverages c JOIN party_orgs o ON o.id = c.org_id
                   WHERE c.unit_id = u.id AND c.voided_at IS NULL AND c.from_date <= ?1
                   AND (c.to_date IS NULL OR c.to_date > ?1) AND {active_org})"
            ),
            &[&end],
        )?;
        f.orgs_total = one(
            &format!("SELECT count(*) FROM party_orgs o WHERE {active_org}"),
            &[&end],
        )?;
        f.members_total = one(
            &format!("SELECT count(*) FROM members m WHERE {active_member}"),
            &[&end],
        )?;
        f.members_formal = one(
            &format!(
                "SELECT count(*) FROM members m WHERE {active_member}
                 AND (m.confirmed <= ?1 OR (m.confirmed IS NULL AND m.category = '正式党员'))"
            ),
            &[&end],
        )?;
        f.meetings_in_month = one(
            "SELECT count(*) FROM meetings WHERE voided_at IS NULL AND date >= ?1 AND date <= ?2",
            &[&first, &end],
        )?;
        let (rows, present) = self.conn.query_row(
            "SELECT count(*), COALESCE(SUM(a.status = '出席'), 0)
             FROM meetings g JOIN attendance a ON a.meeting_id = g.id
             WHERE g.voided_at IS NULL AND g.date >= ?1 AND g.date <= ?2",
            [&first, &end],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )?;
        f.attendance_rows = rows;
        f.attendance_present = present;
        f.visits_in_month = one(
            "SELECT count(*) FROM visits WHERE voided_at IS NULL AND date >= ?1 AND date <= ?2",
            &[&first, &end],
        )?;
        let signed = "SUM(CASE direction WHEN '收入' THEN amount ELSE -amount END)";
        f.fund_opening = Fen(one(
            &format!("SELECT {signed} FROM fund_entries WHERE voided_at IS NULL AND date < ?1"),
            &[&first],
        )?);
        f.fund_income = Fen(one(
            "SELECT SUM(amount) FROM fund_entries WHERE voided_at IS NULL
             AND direction = '收入' AND date >= ?1 AND date <= ?2",
            &[&first, &end],
        )?);
        f.fund_expense = Fen(one(
            "SELECT SUM(amount) FROM fund_entries WHERE voided_at IS NULL
             AND direction = '支出' AND date >= ?1 AND date <= ?2",
            &[&first, &end],
        )?);
        let (due, paid) = self.conn.query_row(
            "SELECT COALESCE(SUM(due), 0), COALESCE(SUM(paid), 0) FROM dues
             WHERE voided_at IS NULL AND month = ?1",
            [month.to_string()],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
        )?;
        f.dues_due = Fen(due);
        f.dues_paid = Fen(paid);
        // Members active for the whole of M−5..M (joined before its first
        // day, not left by month end) with attendance rows in the span and
        // 出席 in none.
        f.members_no_activity_6m = one(
            "SELECT count(*) FROM (
               SELECT a.member_id FROM meetings g JOIN attendance a ON a.meeting_id = g.id
               JOIN members m ON m.id = a.member_id
               WHERE g.voided_at IS NULL AND g.date >= ?1 AND g.date <= ?2
                 AND m.voided_at IS NULL AND (m.joined IS NULL OR m.joined < ?1)
                 AND (m.left_date IS NULL OR m.left_date > ?2)
               GROUP BY a.member_id HAVING SUM(a.status = '出席') = 0)",
            &[&six, &end],
        )?;
        Ok(f)
    }
}
