//! The recycle bin (回收站): every voided record, newest first, and 作废 /
//! 恢复 / 彻底删除 by table name (the bin lists every kind).

use super::Store;
use super::record::Record;
use crate::domain::records::*;
use crate::error::{Error, Result};

/// One voided record in the recycle bin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecycleItem {
    pub table: &'static str,
    pub kind: &'static str,
    pub id: i64,
    pub title: String,
    pub voided_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinAction {
    Void,
    Restore,
    Purge,
}

impl Store {
    /// Everything in the recycle bin, newest first.
    pub fn recycle_bin(&self) -> Result<Vec<RecycleItem>> {
        let mut out = Vec::new();
        self.voided_of::<Unit>(&mut out)?;
        self.voided_of::<PartyOrg>(&mut out)?;
        self.voided_of::<Coverage>(&mut out)?;
        self.voided_of::<Member>(&mut out)?;
        self.voided_of::<Instructor>(&mut out)?;
        self.voided_of::<Assignment>(&mut out)?;
        self.voided_of::<Visit>(&mut out)?;
        self.voided_of::<InstructorAssessment>(&mut out)?;
        self.voided_of::<Meeting>(&mut out)?;
        self.voided_of::<FundEntry>(&mut out)?;
        self.voided_of::<Dues>(&mut out)?;
        out.sort_by(|a, b| b.voided_at.cmp(&a.voided_at).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    fn voided_of<R: Record>(&self, out: &mut Vec<RecycleItem>) -> Result<()> {
        let sql = format!(
            "SELECT voided_at, {} FROM {} WHERE voided_at IS NOT NULL",
            std::iter::once("id")
                .chain(R::COLUMNS.iter().copied())
                .collect::<Vec<_>>()
                .join(", "),
            R::TABLE
        );
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let voided_at: String = row.get(0)?;
            // from_row reads from column 0; re-select by id to keep it simple.
            let id: i64 = row.get(1)?;
            if let Some(rec) = super::get_in::<R>(&self.conn, id)? {
                out.push(RecycleItem {
                    table: R::TABLE,
                    kind: R::KIND,
                    id,
                    title: rec.title(),
                    voided_at,
                });
            }
        }
        Ok(())
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
