//! Reads and writes of the monthly work screens (三会一课, 经费, 党费, 报表):
//! a month's meetings, an org's members for the attendance grid, a month's
//! fund entries with the balances before it, an org's dues sheet and the
//! generation of a month's dues rows, and the list of issued reports.

use chrono::NaiveDate;
use rusqlite::params;

use super::record::{Record, select_sql};
use super::{ChangeKind, IssuedReport, Store};
use crate::domain::dates::Month;
use crate::domain::dues::standard_due;
use crate::domain::enums::Formation;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::error::Result;

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Store {
    fn work_rows<R: Record>(&self, cond: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<R>> {
        let sql = format!("{} WHERE voided_at IS NULL AND {cond}", select_sql::<R>());
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<R> = st
            .query_map(args, |r| R::from_row(r))?
            .collect::<rusqlite::Result<_>>()?;
        for r in &mut rows {
            r.load_children(&self.conn)?;
        }
        Ok(rows)
    }

    /// Live meetings dated in `month`, by date, with their attendance.
    pub fn meetings_in_month(&self, month: Month) -> Result<Vec<Meeting>> {
        self.work_rows(
            "date >= ?1 AND date <= ?2 ORDER BY date, id",
            &[&iso(month.first_day()), &iso(month.last_day())],
        )
    }

    /// The org's most recent live meeting (F4 copies its setup).
    pub fn last_meeting_of(&self, org_id: i64) -> Result<Option<Meeting>> {
        Ok(self
            .work_rows::<Meeting>(
                "org_id = ?1 ORDER BY date DESC, id DESC LIMIT 1",
                &[&org_id],
            )?
            .pop())
    }

    /// Every live member whose 所在党组织 is the org, by id.
    pub fn org_members(&self, org_id: i64) -> Result<Vec<Member>> {
        self.work_rows("org_id = ?1 ORDER BY id", &[&org_id])
    }

    /// Live fund entries dated in `month`, by date.
    pub fn fund_entries_in_month(&self, month: Month) -> Result<Vec<FundEntry>> {
        self.work_rows(
            "date >= ?1 AND date <= ?2 ORDER BY date, id",
            &[&iso(month.first_day()), &iso(month.last_day())],
        )
    }

    /// Σ signed fund amounts before `month`, per org (None = 乡镇本级).
    pub fn fund_opening(&self, month: Month) -> Result<Vec<(Option<i64>, Fen)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT org_id, SUM(CASE direction WHEN '收入' THEN amount ELSE -amount END)
             FROM fund_entries WHERE voided_at IS NULL AND date < ?1
             GROUP BY org_id ORDER BY org_id",
        )?;
        let out = st
            .query_map([iso(month.first_day())], |r| {
                Ok((r.get(0)?, Fen(r.get(1)?)))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// The newest live fund entry (a new one takes org, 收支, 类别 from it).
    pub fn last_fund_entry(&self) -> Result<Option<FundEntry>> {
        Ok(self
            .work_rows::<FundEntry>("1 ORDER BY id DESC LIMIT 1", &[])?
            .pop())
    }

    /// The org's dues rows for `month` of the members now in the org, with
    /// their names, in the order the members were entered.
    pub fn dues_sheet(&self, org_id: i64, month: Month) -> Result<Vec<(Dues, String)>> {
        let cols: Vec<String> = Dues::COLUMNS.iter().map(|c| format!("d.{c}")).collect();
        let sql = format!(
            // Through the org's members (index members_org) to their row of
            // the month (index dues_member_month): no scan of all dues.
            "SELECT d.id, {}, m.name FROM members m JOIN dues d ON d.member_id = m.id
             WHERE m.org_id = ?1 AND d.month = ?2 AND d.org_id = ?1 AND d.voided_at IS NULL
             ORDER BY d.member_id, d.id",
            cols.join(", ")
        );
        let n = Dues::COLUMNS.len() + 1;
        let mut st = self.conn.prepare_cached(&sql)?;
        let out = st
            .query_map(params![org_id, month.to_string()], |r| {
                let d = Dues::from_row(r)?;
                let name: String = r.get(n)?;
                Ok((d, name))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// 生成本月党费: one row for every member of the org due in `month`
    /// (DOMAIN.md members_due: active at month end, org not 临时组建) who
    /// has none yet, keeping the member's 人员类型 and base from the last
    /// row, 应交 from the standard. One change; returns the rows added.
    pub fn generate_dues(&mut self, org_id: i64, month: Month, farmer_fen: i64) -> Result<usize> {
        let Some(org) = self.get::<PartyOrg>(org_id)? else {
            return Ok(0);
        };
        if org.formation == Formation::Temporary {
            return Ok(0);
        }
        let end = month.last_day();
        let members: Vec<Member> = self
            .org_members(org_id)?
            .into_iter()
            .filter(|m| m.active_on(end))
            .collect();
        let mut new_rows = Vec::new();
        {
            let mut has = self.conn.prepare_cached(
                "SELECT 1 FROM dues WHERE voided_at IS NULL AND member_id = ?1 AND month = ?2",
            )?;
            let mut last = self.conn.prepare_cached(
                "SELECT base, person_type FROM dues WHERE voided_at IS NULL AND member_id = ?1
                 AND month < ?2 ORDER BY month DESC, id DESC LIMIT 1",
            )?;
            for m in &members {
                if has.exists(params![m.id, month.to_string()])? {
                    continue;
                }
                let (base, kind): (Option<Fen>, Option<crate::domain::enums::PersonType>) = last
                    .query_row(params![m.id, month.to_string()], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })
                    .unwrap_or((None, None));
                let due = kind
                    .and_then(|k| standard_due(k, base, farmer_fen))
                    .unwrap_or(Fen::ZERO);
                new_rows.push(Dues {
                    id: 0,
                    month,
                    member_id: m.id,
                    org_id,
                    base,
                    person_type: kind,
                    due,
                    due_manual: false,
                    paid: Fen::ZERO,
                    paid_date: None,
                });
            }
        }
        if new_rows.is_empty() {
            return Ok(0);
        }
        let n = new_rows.len();
        let mut ch = self.change(
            ChangeKind::Edit,
            &format!("生成{}党费：{}（{n} 人）", month.label(), org.name),
        )?;
        for r in &mut new_rows {
            ch.insert(r)?;
        }
        ch.commit()?;
        Ok(n)
    }

    /// Every issued report, newest first.
    pub fn issued_reports(&self) -> Result<Vec<IssuedReport>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, month, format, issued_at, json FROM issued_reports
             ORDER BY issued_at DESC, id DESC",
        )?;
        let out = st
            .query_map([], |r| {
                Ok(IssuedReport {
                    id: r.get(0)?,
                    month: r.get(1)?,
                    format: r.get(2)?,
                    issued_at: r.get(3)?,
                    json: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }
}
