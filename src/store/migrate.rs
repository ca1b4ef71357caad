//! Schema migrations by `PRAGMA user_version`: each numbered .sql file runs
//! in its own transaction; a ledger written by a newer program is refused;
//! an existing ledger is backed up before it is migrated.

use super::Store;
use super::backup::{BackupKind, backup_to_dir};
use crate::error::{Error, Result};

/// The migrations, in order; migration N brings the file to user_version N.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_inserted_ranges.sql"),
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn user_version(store: &Store) -> Result<i64> {
    Ok(store
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Refuses a ledger written by a newer program.
pub fn refuse_newer(store: &Store) -> Result<()> {
    let current = user_version(store)?;
    let latest = latest_version();
    if current > latest {
        return Err(Error::input(
            "newer-ledger",
            format!(
                "这个台账由更新版本的 djtz 建立（格式版本 {current}，本程序只认识到 {latest}），请安装新版本后再打开"
            ),
        ));
    }
    Ok(())
}

pub fn migrate(store: &mut Store) -> Result<()> {
    refuse_newer(store)?;
    let current = user_version(store)?;
    let latest = latest_version();
    if current == latest {
        return Ok(());
    }
    if store.read_only.is_some() {
        return Err(Error::input(
            "read-only",
            "台账需要升级格式才能打开，但现在只能只读打开；请关闭其他正在使用它的窗口后重试",
        ));
    }
    if current > 0 {
        backup_to_dir(store, None, BackupKind::BeforeMigrate)?;
    }
    apply(&mut store.conn, current)
}

/// Runs the migrations after version `from` on `conn`, each in its own
/// transaction (a staged backup is migrated this way before a restore).
pub(crate) fn apply(conn: &mut rusqlite::Connection, from: i64) -> Result<()> {
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        let version = i as i64 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|e| {
            Error::fail(
                "migrate",
                format!(
                    "台账格式无法从版本 {} 升级到 {version}（{}），台账未改动；请从备份恢复",
                    version - 1,
                    Error::from(e).message
                ),
            )
        })?;
        tx.pragma_update(None, "application_id", super::APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
