//! The archive of issued reports (`issued_reports`): the figures of each
//! report printed or written to a file, as FORMATS.md JSON, so that
//! `ops::issue` can show them as issued and say what changed since.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::domain::dates::Month;
use crate::error::Result;

/// One archived report (`issued_reports`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedReport {
    pub id: i64,
    pub month: String,
    pub format: String,
    pub issued_at: String,
    /// The figures as JSON (FORMATS.md).
    pub json: String,
}

impl Store {
    /// Archives a report as issued (printed or written to a file).
    pub fn archive_report(&self, month: Month, format: &str, json: &str) -> Result<i64> {
        self.ensure_writable()?;
        self.conn.execute(
            "INSERT INTO issued_reports (month, format, issued_at, json) VALUES (?1, ?2, ?3, ?4)",
            params![month.to_string(), format, super::now_text(), json],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest issued report for a month.
    pub fn latest_issued(&self, month: Month) -> Result<Option<IssuedReport>> {
        let r = self
            .conn
            .query_row(
                "SELECT id, month, format, issued_at, json FROM issued_reports
                 WHERE month = ?1 ORDER BY issued_at DESC, id DESC LIMIT 1",
                [month.to_string()],
                issued_row,
            )
            .optional()?;
        Ok(r)
    }

    /// Every issued report, newest first.
    pub fn issued_reports(&self) -> Result<Vec<IssuedReport>> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, month, format, issued_at, json FROM issued_reports
             ORDER BY issued_at DESC, id DESC",
        )?;
        let out = st
            .query_map([], issued_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }
}

/// An `issued_reports` row (id, month, format, issued_at, json).
fn issued_row(r: &rusqlite::Row) -> rusqlite::Result<IssuedReport> {
    Ok(IssuedReport {
        id: r.get(0)?,
        month: r.get(1)?,
        format: r.get(2)?,
        issued_at: r.get(3)?,
        json: r.get(4)?,
    })
}
