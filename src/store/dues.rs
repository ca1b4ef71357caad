//! Dues (党费): an org's sheet for a month, and the generation of a
//! month's rows for the members who owe dues (`rules::owes_dues`).

use rusqlite::params;

use super::record::Record;
use super::{ChangeKind, Store};
use crate::domain::dates::Month;
use crate::domain::dues::standard_due;
use crate::domain::enums::PersonType;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::domain::rules::owes_dues;
use crate::error::Result;

impl Store {
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

    /// 生成本月党费: one row for every member of the org who owes dues in
    /// `month` (`rules::owes_dues`: active at month end, org not 临时组建)
    /// and has none yet, keeping the member's 人员类型 and base from the
    /// last row, 应交 from the standard. One change; returns the rows added.
    pub fn generate_dues(&mut self, org_id: i64, month: Month, farmer_fen: i64) -> Result<usize> {
        let Some(org) = self.get::<PartyOrg>(org_id)? else {
            return Ok(0);
        };
        let members: Vec<Member> = self
            .org_members(org_id)?
            .into_iter()
            .filter(|m| owes_dues(m, Some(&org), month))
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
                let (base, kind): (Option<Fen>, Option<PersonType>) = last
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
}
