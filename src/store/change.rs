//! One user action = one `Change` = one SQLite transaction, recorded in the
//! `changes` table with an audit row per record touched. Undo and redo
//! replay the audit rows backwards as a new change (`change/undo.rs`).

mod undo;

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};

use std::sync::Mutex;

use super::record::Record;
use super::{Store, get_in, now_text};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Edit,
    Import,
    Demo,
    Undo,
    Redo,
}

impl ChangeKind {
    fn code(self) -> &'static str {
        match self {
            ChangeKind::Edit => "edit",
            ChangeKind::Import => "import",
            ChangeKind::Demo => "demo",
            ChangeKind::Undo => "undo",
            ChangeKind::Redo => "redo",
        }
    }
}

/// What an undo or redo did, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeSummary {
    pub id: i64,
    pub description: String,
}

pub struct Change<'a> {
    tx: Transaction<'a>,
    id: i64,
    at: String,
    /// Records inserted by `insert_ranged`, as runs of consecutive ids per
    /// table: (table, first id, last id). Written on commit.
    ranges: Vec<(&'static str, i64, i64)>,
}

impl Store {
    /// Starts one user action. Fails on a read-only ledger.
    pub fn change(&mut self, kind: ChangeKind, description: &str) -> Result<Change<'_>> {
        self.ensure_writable()?;
        let at = now_text();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO changes (at, kind, description) VALUES (?1, ?2, ?3)",
            params![at, kind.code(), description],
        )?;
        let id = tx.last_insert_rowid();
        Ok(Change {
            tx,
            id,
            at,
            ranges: Vec::new(),
        })
    }

    /// Inserts or updates one record in its own change ("保存").
    pub fn save<R: Record>(&mut self, r: &mut R) -> Result<()> {
        self.save_with_draft(r, None)
    }

    /// Saves the record a form was typing and deletes that form's draft in
    /// the same transaction: a kill at any moment leaves either the old
    /// record and the draft, or the new record and no draft (never a saved
    /// record whose draft is offered back and saved a second time).
    pub fn save_form<R: Record>(&mut self, r: &mut R, draft_key: &str) -> Result<()> {
        self.save_with_draft(r, Some(draft_key))
    }

    fn save_with_draft<R: Record>(&mut self, r: &mut R, draft_key: Option<&str>) -> Result<()> {
        let desc = if r.id() == 0 {
            format!("新增{}：{}", R::KIND, r.title())
        } else {
            format!("修改{}：{}", R::KIND, r.title())
        };
        let mut ch = self.change(ChangeKind::Edit, &desc)?;
        if r.id() == 0 {
            ch.insert(r)?;
        } else {
            ch.update(r)?;
        }
        if let Some(key) = draft_key {
            ch.delete_draft(key)?;
        }
        ch.commit()
    }

    /// 作废: moves one record to the recycle bin in its own change.
    pub fn void<R: Record>(&mut self, id: i64) -> Result<()> {
        let title = self.title_of::<R>(id)?;
        let mut ch = self.change(ChangeKind::Edit, &format!("作废{}：{title}", R::KIND))?;
        ch.void::<R>(id)?;
        ch.commit()
    }

    /// Brings a voided record back from the recycle bin.
    pub fn restore<R: Record>(&mut self, id: i64) -> Result<()> {
        let title = self.title_of::<R>(id)?;
        let mut ch = self.change(ChangeKind::Edit, &format!("恢复{}：{title}", R::KIND))?;
        ch.restore::<R>(id)?;
        ch.commit()
    }

    /// Deletes a voided record for good (the recycle bin's 彻底删除).
    pub fn purge<R: Record>(&mut self, id: i64) -> Result<()> {
        let title = self.title_of::<R>(id)?;
        let mut ch = self.change(ChangeKind::Edit, &format!("彻底删除{}：{title}", R::KIND))?;
        ch.purge::<R>(id)?;
        ch.commit()
    }

    fn title_of<R: Record>(&self, id: i64) -> Result<String> {
        match get_in::<R>(&self.conn, id)? {
            Some(r) => Ok(r.title()),
            None => Err(not_found::<R>(id)),
        }
    }

    /// Sets `PRAGMA cache_size` (negative: KiB) and returns the old value,
    /// for writing millions of rows in one transaction (fewer spills of
    /// dirty pages and re-reads).
    pub fn set_cache_size(&self, size: i64) -> Result<i64> {
        let old: i64 = self
            .conn
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.conn.pragma_update(None, "cache_size", size)?;
        Ok(old)
    }
}

/// Indexes dropped for a bulk insert, as the `CREATE INDEX` statements
/// that make them again.
#[must_use]
pub struct SuspendedIndexes {
    sql: Vec<String>,
}

/// `INSERT INTO table (id, voided_at, COLUMNS…) VALUES (?1, ?2, …)`, built
/// once per record type.
fn insert_sql<R: Record>() -> &'static str {
    static CACHE: Mutex<Vec<(&str, &str)>> = Mutex::new(Vec::new());
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, sql)) = cache.iter().find(|(t, _)| *t == R::TABLE) {
        return sql;
    }
    let cols = R::COLUMNS;
    let sql = format!(
        "INSERT INTO {} (id, voided_at, {}) VALUES (?1, ?2, {})",
        R::TABLE,
        cols.join(", "),
        (3..cols.len() + 3)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // At most one string per record type, kept for the whole run.
    let sql: &'static str = Box::leak(sql.into_boxed_str());
    cache.push((R::TABLE, sql));
    sql
}

fn not_found<R: Record>(id: i64) -> Error {
    Error::input(
        "not-found",
        format!("找不到{}（编号 {id}），可能已被删除", R::KIND),
    )
}

fn json_of<R: Record>(r: &R) -> Result<String> {
    Ok(serde_json::to_string(r)?)
}

impl Change<'_> {
    /// The change's transaction, for reads and for code (settings) that
    /// writes its own rows and audits them with `audit_raw`.
    pub fn conn(&self) -> &Connection {
        &self.tx
    }

    pub fn id(&self) -> i64 {
        self.id
    }

    /// Drops the secondary indexes of `R`'s table and its child tables
    /// for a bulk insert; `rebuild_indexes` creates them again in the same
    /// transaction (a rollback brings them back too). Indexes that belong
    /// to a PRIMARY KEY or UNIQUE constraint of the table stay.
    pub fn suspend_indexes<R: Record>(&self) -> Result<SuspendedIndexes> {
        let mut sql = Vec::new();
        let mut st = self.tx.prepare(
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?;
        for table in std::iter::once(R::TABLE).chain(R::CHILD_TABLES.iter().copied()) {
            let found: Vec<(String, String)> = st
                .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (name, create) in found {
                // The name comes from sqlite_master; quoted as an identifier.
                self.tx
                    .execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
                sql.push(create);
            }
        }
        Ok(SuspendedIndexes { sql })
    }

    /// Deletes a form's draft as part of this change (drafts are not
    /// audited: they are never undone).
    pub fn delete_draft(&self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM drafts WHERE key = ?1")?
            .execute([key])?;
        Ok(())
    }

    pub fn rebuild_indexes(&self, s: SuspendedIndexes) -> Result<()> {
        for create in s.sql {
            self.tx.execute_batch(&create)?;
        }
        Ok(())
    }

    /// Replaces the description given at the start (an import knows its
    /// row count only at the end).
    pub fn set_description(&self, description: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE changes SET description = ?1 WHERE id = ?2",
            params![description, self.id],
        )?;
        Ok(())
    }

    pub fn commit(self) -> Result<()> {
        {
            let mut st = self.tx.prepare_cached(
                "INSERT INTO inserted_ranges (change_id, table_name, first_id, last_id)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (table, first, last) in &self.ranges {
                st.execute(params![self.id, table, first, last])?;
            }
        }
        self.tx.commit()?;
        Ok(())
    }

    pub fn audit_raw(
        &self,
        action: &str,
        table: &str,
        record_id: i64,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        self.audit_full(action, table, record_id, before, after, None)
    }

    fn audit_full(
        &self,
        action: &str,
        table: &str,
        record_id: i64,
        before: Option<&str>,
        after: Option<&str>,
        voided_at: Option<&str>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit (change_id, at, action, table_name, record_id, before, after, voided_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                self.id, self.at, action, table, record_id, before, after, voided_at
            ])?;
        Ok(())
    }

    fn write_row<R: Record>(&self, r: &mut R, voided_at: Option<&str>) -> Result<i64> {
        r.normalize();
        let head = [
            if r.id() == 0 {
                ToSqlOutput::Owned(Value::Null)
            } else {
                ToSqlOutput::Owned(Value::Integer(r.id()))
            },
            match voided_at {
                Some(v) => ToSqlOutput::from(v),
                None => ToSqlOutput::Owned(Value::Null),
            },
        ];
        self.tx
            .prepare_cached(insert_sql::<R>())
            .and_then(|mut st| st.execute(params_from_iter(head.into_iter().chain(r.values()))))
            .map_err(|e| constraint_message::<R>(e, r))?;
        let id = self.tx.last_insert_rowid();
        r.set_id(id);
        r.save_children(&self.tx, true)?;
        Ok(id)
    }

    /// Inserts a new record (id 0 gets a fresh id) with an audit row.
    pub fn insert<R: Record>(&mut self, r: &mut R) -> Result<i64> {
        let id = self.write_row(r, None)?;
        let stored = get_in::<R>(&self.tx, id)?.ok_or_else(|| not_found::<R>(id))?;
        self.audit_full("insert", R::TABLE, id, None, Some(&json_of(&stored)?), None)?;
        Ok(id)
    }

    /// Inserts a new record (id 0: SQLite gives the next one) without an
    /// audit row of its own: the import's fast path. The change records
    /// its inserts as runs of consecutive ids per table (`inserted_ranges`,
    /// a few rows for a million records). Undoing it checks the audit log
    /// for each record: it must not have been touched by a later change, or
    /// must still be as the first later change found it (see `reverse_one`).
    pub fn insert_ranged<R: Record>(&mut self, r: &mut R) -> Result<i64> {
        let id = self.write_row(r, None)?;
        match self.ranges.last_mut() {
            Some((table, _, last)) if *table == R::TABLE && *last + 1 == id => *last = id,
            _ => self.ranges.push((R::TABLE, id, id)),
        }
        Ok(id)
    }

    /// Inserts without an audit row: the demo generator's fast path.
    pub fn insert_quiet<R: Record>(&mut self, r: &mut R) -> Result<i64> {
        self.write_row(r, None)
    }

    /// Updates a live record; returns false (and writes nothing) when it is
    /// unchanged.
    pub fn update<R: Record>(&mut self, r: &R) -> Result<bool> {
        let before = get_in::<R>(&self.tx, r.id())?.ok_or_else(|| not_found::<R>(r.id()))?;
        if self.voided::<R>(r.id())? {
            return Err(Error::input(
                "voided",
                format!(
                    "{}“{}”已作废，请先从回收站恢复再修改",
                    R::KIND,
                    before.title()
                ),
            ));
        }
        let before_json = json_of(&before)?;
        self.overwrite(r)?;
        let after = get_in::<R>(&self.tx, r.id())?.ok_or_else(|| not_found::<R>(r.id()))?;
        let after_json = json_of(&after)?;
        if after_json == before_json {
            return Ok(false);
        }
        self.audit_full(
            "update",
            R::TABLE,
            r.id(),
            Some(&before_json),
            Some(&after_json),
            None,
        )?;
        Ok(true)
    }

    fn overwrite<R: Record>(&self, r: &R) -> Result<()> {
        let sets: Vec<String> = R::COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 2))
            .collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?1", R::TABLE, sets.join(", "));
        let head = [ToSqlOutput::Owned(Value::Integer(r.id()))];
        self.tx
            .prepare_cached(&sql)
            .and_then(|mut st| st.execute(params_from_iter(head.into_iter().chain(r.values()))))
            .map_err(|e| constraint_message::<R>(e, r))?;
        r.save_children(&self.tx, false)?;
        Ok(())
    }

    fn voided<R: Record>(&self, id: i64) -> Result<bool> {
        let v: Option<String> = self
            .tx
            .query_row(
                &format!("SELECT voided_at FROM {} WHERE id = ?1", R::TABLE),
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(v.is_some())
    }

    /// 作废: the record leaves every list, count and total; rows that refer
    /// to it (attendance, dues) stay untouched.
    pub fn void<R: Record>(&mut self, id: i64) -> Result<()> {
        let rec = get_in::<R>(&self.tx, id)?.ok_or_else(|| not_found::<R>(id))?;
        if self.voided::<R>(id)? {
            return Err(Error::input(
                "voided",
                format!("{}“{}”已经作废", R::KIND, rec.title()),
            ));
        }
        self.tx.execute(
            &format!("UPDATE {} SET voided_at = ?1 WHERE id = ?2", R::TABLE),
            params![self.at, id],
        )?;
        self.audit_full("void", R::TABLE, id, Some(&json_of(&rec)?), None, None)
    }

    /// Brings a voided record back unchanged.
    pub fn restore<R: Record>(&mut self, id: i64) -> Result<()> {
        let rec = get_in::<R>(&self.tx, id)?.ok_or_else(|| not_found::<R>(id))?;
        if !self.voided::<R>(id)? {
            return Err(Error::input(
                "not-voided",
                format!("{}“{}”没有作废，不需要恢复", R::KIND, rec.title()),
            ));
        }
        self.tx
            .execute(
                &format!("UPDATE {} SET voided_at = NULL WHERE id = ?1", R::TABLE),
                [id],
            )
            .map_err(|e| constraint_message::<R>(e, &rec))?;
        self.audit_full("restore", R::TABLE, id, None, Some(&json_of(&rec)?), None)
    }

    /// Deletes a voided record for good. Refused while other rows refer to
    /// it. Erases the record's personal data from the audit log and its
    /// draft (`privacy.rs`).
    pub fn purge<R: Record>(&mut self, id: i64) -> Result<()> {
        let rec = get_in::<R>(&self.tx, id)?.ok_or_else(|| not_found::<R>(id))?;
        let voided_at: Option<String> = self
            .tx
            .query_row(
                &format!("SELECT voided_at FROM {} WHERE id = ?1", R::TABLE),
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let Some(voided_at) = voided_at else {
            return Err(Error::input(
                "not-voided",
                format!(
                    "{}“{}”没有作废；只能彻底删除回收站里的记录",
                    R::KIND,
                    rec.title()
                ),
            ));
        };
        let secure = self.secure_delete_for::<R>()?;
        self.delete_row::<R>(&rec)?;
        self.audit_full(
            "purge",
            R::TABLE,
            id,
            Some(&json_of(&rec)?),
            None,
            Some(&voided_at),
        )?;
        self.erase_personal::<R>(id, secure)
    }

    fn delete_row<R: Record>(&self, rec: &R) -> Result<()> {
        R::delete_children(&self.tx, rec.id())?;
        self.tx
            .execute(&format!("DELETE FROM {} WHERE id = ?1", R::TABLE), [rec.id()])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ffi::ErrorCode::ConstraintViolation =>
                {
                    Error::input(
                        "in-use",
                        format!(
                            "{}“{}”还有其他记录（党员、会议、党费、经费等）在引用，不能彻底删除；留在回收站即可",
                            R::KIND,
                            rec.title()
                        ),
                    )
                }
                e => e.into(),
            })?;
        Ok(())
    }
}

/// Turns a unique-index violation into a Chinese sentence naming the record.
fn constraint_message<R: Record>(e: rusqlite::Error, r: &R) -> Error {
    if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e
        && f.code == rusqlite::ffi::ErrorCode::ConstraintViolation
    {
        if msg.contains("UNIQUE") {
            let what = if msg.contains("id_number") {
                "身份证号".to_string()
            } else if msg.contains("member_id, dues.month") || msg.contains("dues.month") {
                "这个月的党费".to_string()
            } else if msg.contains("assessments") {
                "这一年的考核".to_string()
            } else {
                "名称".to_string()
            };
            return Error::input(
                "duplicate",
                format!(
                    "已有同样{what}的{}（{}），请换一个或修改原记录",
                    R::KIND,
                    r.title()
                ),
            );
        }
        if msg.contains("FOREIGN KEY") {
            return Error::input(
                "bad-reference",
                format!("{}“{}”引用的记录不存在", R::KIND, r.title()),
            );
        }
        return Error::input(
            "constraint",
            format!("{}“{}”的数据不合要求：{msg}", R::KIND, r.title()),
        );
    }
    e.into()
}
