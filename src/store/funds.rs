//! Fund entries (党建工作经费): a month's entries, the balances brought
//! forward (one query, which the report's loading uses too, tested against
//! `rules::fund_opening`), and the newest entry.

use chrono::NaiveDate;

use super::{Store, iso};
use crate::domain::dates::Month;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::error::Result;

impl Store {
    /// Live fund entries dated in `month`, by date.
    pub fn fund_entries_in_month(&self, month: Month) -> Result<Vec<FundEntry>> {
        self.live_rows(
            "date >= ?1 AND date <= ?2 ORDER BY date, id",
            &[&iso(month.first_day()), &iso(month.last_day())],
        )
    }

    /// Σ signed fund amounts before `month`, per org (None = 乡镇本级).
    pub fn fund_opening(&self, month: Month) -> Result<Vec<(Option<i64>, Fen)>> {
        self.fund_balances_before(month.first_day())
    }

    /// Σ signed fund amounts dated before `before`, per holder (None =
    /// 乡镇本级 first, then by org id): `rules::fund_opening` in SQL.
    pub(crate) fn fund_balances_before(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(Option<i64>, Fen)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT org_id, SUM(CASE direction WHEN '收入' THEN amount ELSE -amount END)
             FROM fund_entries WHERE voided_at IS NULL AND date < ?1
             GROUP BY org_id ORDER BY org_id",
        )?;
        let out = st
            .query_map([iso(before)], |r| Ok((r.get(0)?, Fen(r.get(1)?))))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// The newest live fund entry (a new one takes org, 收支, 类别 from it).
    pub fn last_fund_entry(&self) -> Result<Option<FundEntry>> {
        Ok(self
            .live_rows::<FundEntry>("1 ORDER BY id DESC LIMIT 1", &[])?
            .pop())
    }
}
