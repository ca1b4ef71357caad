//! Undo and redo: a change taken back by replaying its audit rows
//! backwards as a new change (`Store::undo`, `Store::redo`,
//! `Store::undo_last_import`), each record checked first to be still as
//! that change left it.

use rusqlite::{OptionalExtension, params};
use serde_json::Value as Json;

use super::{Change, ChangeKind, ChangeSummary, json_of, not_found};
use crate::domain::records::*;
use crate::error::{Error, Result};
use crate::store::record::Record;
use crate::store::{Store, get_in};

impl Store {
    /// Takes back the newest change that is not yet undone (edits, imports,
    /// redos). Returns what was undone, or None when there is nothing.
    pub fn undo(&mut self) -> Result<Option<ChangeSummary>> {
        match self.newest_unreverted(&["edit", "import", "redo"])? {
            Some((id, desc)) => self.revert(id, ChangeKind::Undo, &desc).map(Some),
            None => Ok(None),
        }
    }

    /// The newest change of one of `kinds` that is not yet taken back: its
    /// id and description.
    fn newest_unreverted(&self, kinds: &[&str]) -> Result<Option<(i64, String)>> {
        let kinds = serde_json::to_string(kinds)?;
        Ok(self
            .conn
            .query_row(
                "SELECT id, description FROM changes
                 WHERE kind IN (SELECT value FROM json_each(?1)) AND reverted_by IS NULL
                 ORDER BY id DESC LIMIT 1",
                [kinds],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Does again what the newest undo took back, unless something new was
    /// saved since.
    pub fn redo(&mut self) -> Result<Option<ChangeSummary>> {
        let target: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, description FROM changes
                 WHERE kind = 'undo' AND reverted_by IS NULL
                   AND id > coalesce((SELECT max(id) FROM changes
                                      WHERE kind IN ('edit', 'import', 'demo')), 0)
                 ORDER BY id DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match target {
            Some((id, desc)) => self.revert(id, ChangeKind::Redo, &desc).map(Some),
            None => Ok(None),
        }
    }

    /// Takes back the newest import that is not yet undone, as a whole.
    pub fn undo_last_import(&mut self) -> Result<Option<ChangeSummary>> {
        match self.newest_unreverted(&["import"])? {
            Some((id, desc)) => self.revert(id, ChangeKind::Undo, &desc).map(Some),
            None => Ok(None),
        }
    }

    fn revert(&mut self, target: i64, kind: ChangeKind, desc: &str) -> Result<ChangeSummary> {
        // An undo of an undo reads better as "重做：新增单位…".
        let plain = desc
            .strip_prefix("撤销：")
            .or_else(|| desc.strip_prefix("重做："))
            .unwrap_or(desc);
        let description = match kind {
            ChangeKind::Redo => format!("重做：{plain}"),
            _ => format!("撤销：{plain}"),
        };
        let rows: Vec<AuditRow> = {
            let mut st = self.conn.prepare(
                "SELECT action, table_name, record_id, before, after, voided_at, id
                 FROM audit WHERE change_id = ?1 ORDER BY id DESC",
            )?;
            st.query_map([target], |r| {
                Ok(AuditRow {
                    action: r.get(0)?,
                    table: r.get(1)?,
                    id: r.get(2)?,
                    before: r.get(3)?,
                    after: r.get(4)?,
                    voided_at: r.get(5)?,
                    audit_id: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        // Records an import inserted without audit rows of their own, as
        // runs of ids. Undone after the audited rows (an updated record may
        // point at an inserted one, never the other way round), newest run
        // first and each run from its highest id down (a child org after its
        // parent). A later change's audit rows all have higher ids than the
        // target's, which is what `reverse_one` compares with.
        let ranges: Vec<(String, i64, i64)> = {
            let mut st = self.conn.prepare(
                "SELECT table_name, first_id, last_id FROM inserted_ranges
                 WHERE change_id = ?1 ORDER BY rowid DESC",
            )?;
            st.query_map([target], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        let last_audit: i64 = self.conn.query_row(
            "SELECT coalesce(max(id), 0) FROM audit WHERE change_id <= ?1",
            [target],
            |r| r.get(0),
        )?;
        let mut ch = self.change(kind, &description)?;
        for row in &rows {
            ch.reverse(row)?;
        }
        for (table, first, last) in ranges {
            for id in (first..=last).rev() {
                ch.reverse(&AuditRow {
                    action: "insert".to_string(),
                    table: table.clone(),
                    id,
                    before: None,
                    after: None,
                    voided_at: None,
                    audit_id: last_audit,
                })?;
            }
        }
        ch.tx.execute(
            "UPDATE changes SET reverts = ?1 WHERE id = ?2",
            params![target, ch.id],
        )?;
        ch.tx.execute(
            "UPDATE changes SET reverted_by = ?1 WHERE id = ?2",
            params![ch.id, target],
        )?;
        let id = ch.id;
        ch.commit()?;
        Ok(ChangeSummary { id, description })
    }
}

struct AuditRow {
    action: String,
    table: String,
    id: i64,
    before: Option<String>,
    after: Option<String>,
    voided_at: Option<String>,
    /// The audit row's own id.
    audit_id: i64,
}

/// Runs `$f::<Type>($args…)` for the record type stored in table `$table`.
macro_rules! dispatch {
    ($table:expr, $f:ident ( $($arg:expr),* )) => {
        match $table {
            "units" => $f::<Unit>($($arg),*),
            "party_orgs" => $f::<PartyOrg>($($arg),*),
            "coverages" => $f::<Coverage>($($arg),*),
            "members" => $f::<Member>($($arg),*),
            "instructors" => $f::<Instructor>($($arg),*),
            "assignments" => $f::<Assignment>($($arg),*),
            "visits" => $f::<Visit>($($arg),*),
            "assessments" => $f::<InstructorAssessment>($($arg),*),
            "meetings" => $f::<Meeting>($($arg),*),
            "fund_entries" => $f::<FundEntry>($($arg),*),
            "dues" => $f::<Dues>($($arg),*),
            other => Err(Error::fail("audit", format!("操作日志中有未知的表 {other}"))),
        }
    };
}

impl Change<'_> {
    /// Applies the opposite of one audit row, checking first that the
    /// record is still as that row left it.
    fn reverse(&mut self, row: &AuditRow) -> Result<()> {
        if row.table == "settings" {
            return self.reverse_settings_row(row.before.as_deref(), row.after.as_deref());
        }
        dispatch!(row.table.as_str(), reverse_one(self, row))
    }

    /// For an insert audited without its JSON (an import's, audited as a
    /// range of ids): is the record
    /// still as that insert left it? With no later audit row for it (other
    /// than this undo's own), yes; otherwise the first later row's `before`
    /// is the state the insert left, to compare with. Every write to a
    /// record goes through a `Change` and is audited, so this is exact.
    fn unchanged_since_insert<R: Record>(&self, row: &AuditRow, current: &R) -> Result<bool> {
        let next: Option<(Option<String>,)> = self
            .tx
            .prepare_cached(
                "SELECT before FROM audit
                 WHERE table_name = ?1 AND record_id = ?2 AND id > ?3 AND change_id <> ?4
                 ORDER BY id LIMIT 1",
            )?
            .query_row(params![row.table, row.id, row.audit_id, self.id], |r| {
                Ok((r.get(0)?,))
            })
            .optional()?;
        match next {
            None => Ok(true),
            Some((Some(before),)) => same(current, Some(&before)),
            Some((None,)) => Ok(false),
        }
    }
}

fn parse_json<R: Record>(s: Option<&str>) -> Result<R> {
    Ok(serde_json::from_str(s.unwrap_or("null"))?)
}

fn same<R: Record>(current: &R, recorded: Option<&str>) -> Result<bool> {
    let a: Json = serde_json::to_value(current)?;
    let b: Json = serde_json::from_str(recorded.unwrap_or("null"))?;
    Ok(a == b)
}

fn changed_since<R: Record>(title: &str) -> Error {
    Error::input(
        "changed-since",
        format!("{}“{title}”之后又被修改过，不能撤销；请手工修改", R::KIND),
    )
}

fn reverse_one<R: Record>(ch: &mut Change<'_>, row: &AuditRow) -> Result<()> {
    let current = get_in::<R>(&ch.tx, row.id)?;
    match row.action.as_str() {
        // Undo an insert: the record goes away again (it must be unchanged).
        "insert" => {
            let cur = current.ok_or_else(|| not_found::<R>(row.id))?;
            let unchanged = match row.after.as_deref() {
                Some(after) => same(&cur, Some(after))?,
                None => ch.unchanged_since_insert(row, &cur)?,
            };
            if !unchanged || ch.voided::<R>(row.id)? {
                return Err(changed_since::<R>(&cur.title()));
            }
            ch.delete_row::<R>(&cur)?;
            ch.audit_full("purge", R::TABLE, row.id, Some(&json_of(&cur)?), None, None)
        }
        "update" => {
            let cur = current.ok_or_else(|| not_found::<R>(row.id))?;
            if !same(&cur, row.after.as_deref())? {
                return Err(changed_since::<R>(&cur.title()));
            }
            let before: R = parse_json(row.before.as_deref())?;
            ch.overwrite(&before)?;
            ch.audit_full(
                "update",
                R::TABLE,
                row.id,
                row.after.as_deref(),
                row.before.as_deref(),
                None,
            )
        }
        "void" => {
            let cur = current.ok_or_else(|| not_found::<R>(row.id))?;
            if !ch.voided::<R>(row.id)? {
                return Err(changed_since::<R>(&cur.title()));
            }
            ch.restore::<R>(row.id)
        }
        "restore" => {
            let cur = current.ok_or_else(|| not_found::<R>(row.id))?;
            if ch.voided::<R>(row.id)? {
                return Err(changed_since::<R>(&cur.title()));
            }
            ch.void::<R>(row.id)
        }
        "purge" => {
            if current.is_some() {
                return Err(Error::input(
                    "changed-since",
                    format!("{}（编号 {}）已重新存在，不能撤销删除", R::KIND, row.id),
                ));
            }
            let mut rec: R = parse_json(row.before.as_deref())?;
            rec.set_id(row.id);
            ch.write_row(&mut rec, row.voided_at.as_deref())?;
            // A re-inserted live record is an insert; a voided one comes back
            // into the recycle bin (recorded as an insert followed by a void).
            if let Some(v) = row.voided_at.as_deref() {
                ch.audit_full(
                    "insert",
                    R::TABLE,
                    row.id,
                    None,
                    Some(&json_of(&rec)?),
                    None,
                )?;
                ch.audit_full(
                    "void",
                    R::TABLE,
                    row.id,
                    Some(&json_of(&rec)?),
                    None,
                    Some(v),
                )
            } else {
                ch.audit_full(
                    "insert",
                    R::TABLE,
                    row.id,
                    None,
                    Some(&json_of(&rec)?),
                    None,
                )
            }
        }
        other => Err(Error::fail(
            "audit",
            format!("操作日志中有未知的操作 {other}"),
        )),
    }
}
