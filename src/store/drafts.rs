//! Drafts kept off the UI thread. A `DraftSink` is a second connection to a
//! ledger that this process has open for writing already (the `Store`
//! holds the writer lock): it writes only the drafts table, so the TUI's
//! worker can keep a draft while keys go on being handled, whatever the
//! disk's fsync costs. Saving a record deletes its draft in the record's
//! own transaction on the main connection (`Store::save_form`); the TUI
//! lets its worker finish first.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::now_text;
use crate::error::Result;

/// Replaces the draft of a form (one row per form).
pub(super) const SAVE_DRAFT: &str = "INSERT INTO drafts (key, json, saved_at) VALUES (?1, ?2, ?3)
     ON CONFLICT (key) DO UPDATE SET json = excluded.json, saved_at = excluded.saved_at";

pub struct DraftSink {
    conn: Connection,
}

impl DraftSink {
    /// Opens the ledger at `path`, which a writable `Store` of this process
    /// has open (no lock, no creation, no migration here).
    pub fn open(path: &Path) -> Result<DraftSink> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // As durable as the main connection's commits (ARCHITECTURE.md).
        conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(DraftSink { conn })
    }

    pub fn save(&self, key: &str, json: &str) -> Result<()> {
        self.conn
            .prepare_cached(SAVE_DRAFT)?
            .execute(rusqlite::params![key, json, now_text()])?;
        Ok(())
    }
}
