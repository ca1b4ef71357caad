//! `djtz restore FILE`: a backup replaces the ledger only after it has been
//! copied beside the ledger and checked whole (header, full integrity
//! check, schema, references, every value's type and range), and migrated
//! if it is older. The original backup file is only read. The current
//! ledger is backed up first; then the checked copy goes in:
//!
//! - over a ledger that opens, page by page with SQLite's backup API in one
//!   transaction of the ledger (a kill rolls it back; other copies of the
//!   program see the change; locks and the file itself stay);
//! - over a ledger too damaged to open, by renaming the checked copy onto
//!   it, after the damaged file (and its journal) were copied aside.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::backup::{BackupKind, new_backup_name};
use super::{APPLICATION_ID, Store, health, migrate, schema};
use crate::error::{Error, Result};
use crate::files::{self, TempFile};

/// A backup copied beside the ledger, checked and migrated: ready to go in.
pub(crate) struct Staged {
    tmp: TempFile,
}

fn not_a_backup(file: &Path) -> Error {
    Error::input(
        "not-a-ledger",
        format!("{} 不是党建台账备份文件，未做任何改动", file.display()),
    )
}

/// Copies `file` beside `ledger` and checks the copy; see the module.
pub(crate) fn stage(file: &Path, ledger: &Path) -> Result<Staged> {
    files::ensure_regular(file, "备份文件")?;
    if !file.is_file() {
        return Err(Error::input(
            "not-found",
            format!("找不到备份文件 {}", file.display()),
        ));
    }
    if let (Ok(Some(a)), Ok(Some(b))) = (files::file_id(file), files::file_id(ledger))
        && a == b
    {
        return Err(Error::input(
            "same-file",
            format!(
                "{} 就是正在使用的台账本身，不能用它来恢复；请指定备份文件",
                file.display()
            ),
        ));
    }
    match health::header_problem(file)? {
        None => {}
        Some(_) if !looks_like_sqlite(file) => return Err(not_a_backup(file)),
        Some(why) => {
            return Err(Error::input(
                "corrupt",
                format!("备份文件 {} 已损坏：{why}；未做任何改动", file.display()),
            ));
        }
    }
    let mut tmp = TempFile::beside(ledger)?;
    {
        let mut src = std::fs::File::open(file)?;
        std::io::copy(&mut src, tmp.file()?).map_err(|e| files::write_error(ledger, &e))?;
    }
    tmp.close_handle();
    let mut conn = Connection::open_with_flags(
        tmp.path(),
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "journal_mode", "MEMORY")?;
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|_| not_a_backup(file))?;
    if app_id != APPLICATION_ID {
        return Err(not_a_backup(file));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > migrate::latest_version() {
        return Err(Error::input(
            "newer-ledger",
            "这个备份由更新版本的 djtz 建立，请安装新版本后再恢复；未做任何改动",
        ));
    }
    let problems = health::problems(&conn, version);
    if !problems.is_empty() {
        return Err(Error::input(
            "corrupt",
            format!(
                "备份文件 {} 已损坏或被改动过：{}；未做任何改动",
                file.display(),
                problems.summary()
            ),
        ));
    }
    if version < migrate::latest_version() {
        migrate::apply(&mut conn, version)?;
        schema::ensure_own(&conn, migrate::latest_version(), "升级后的备份")?;
    }
    drop(conn);
    Ok(Staged { tmp })
}

fn looks_like_sqlite(path: &Path) -> bool {
    super::looks_like_sqlite(path).unwrap_or(false)
}

impl Store {
    /// Replaces this ledger with the backup `file` (see the module) and
    /// returns the path of the safety backup of the ledger as it was.
    pub fn restore_from(&mut self, file: &Path) -> Result<PathBuf> {
        self.ensure_writable()?;
        let staged = stage(file, &self.path)?;
        let safety = super::backup::backup_to_dir(self, None, BackupKind::BeforeRestore)?;
        self.swap_in(&staged)?;
        Ok(safety)
    }

    /// Copies a staged backup over this ledger in one transaction.
    fn swap_in(&mut self, staged: &Staged) -> Result<()> {
        let src = Connection::open_with_flags(
            staged.tmp.path(),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        super::backup::copy_database(&src, &mut self.conn)?;
        drop(src);
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.filtered = Default::default();
        Ok(())
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The copy of the ledger as it was before (None: there was none).
    pub safety: Option<PathBuf>,
    /// The ledger could not be opened (damaged) and was replaced whole.
    pub replaced_damaged: bool,
}

/// Errors of `Store::open` that mean the file at the ledger's path is not
/// a sound ledger, so a restore replaces it whole (after copying it
/// aside, so that even another program's file written there by mistake is
/// kept), rather than something that must stop the restore (a newer
/// version, another copy writing, no write access).
fn is_damage(e: &Error) -> bool {
    matches!(
        e.code,
        "corrupt"
            | "foreign-schema"
            | "empty-ledger"
            | "damaged"
            | "truncated"
            | "migrate"
            | "not-a-ledger"
            | "database"
    )
}

/// `djtz restore FILE` for the ledger at `ledger`, whether it exists,
/// opens, or is too damaged to open.
pub fn restore_ledger(ledger: &Path, file: &Path) -> Result<Restored> {
    let dir = files::parent_of(ledger);
    if !dir.is_dir() {
        return Err(Error::input(
            "no-folder",
            format!(
                "文件夹 {} 不存在，请先建立该文件夹或换一个位置",
                dir.display()
            ),
        ));
    }
    files::ensure_regular(ledger, "台账文件")?;
    // The backup is checked before the ledger is touched (or created).
    let staged = stage(file, ledger)?;
    if !ledger.exists() {
        put_in_place(staged, ledger)?;
        return Ok(Restored {
            safety: None,
            replaced_damaged: false,
        });
    }
    match Store::open_existing(ledger) {
        Ok(mut store) => {
            store.ensure_writable()?;
            let safety = super::backup::backup_to_dir(&store, None, BackupKind::BeforeRestore)?;
            store.swap_in(&staged)?;
            Ok(Restored {
                safety: Some(safety),
                replaced_damaged: false,
            })
        }
        Err(e) if is_damage(&e) => {
            let _lock = super::writer_lock(ledger)?;
            let safety = copy_damaged_aside(ledger)?;
            put_in_place(staged, ledger)?;
            Ok(Restored {
                safety: Some(safety),
                replaced_damaged: true,
            })
        }
        Err(e) => Err(e),
    }
}

/// Copies a damaged ledger, byte for byte with its journal, into the
/// backup folder (a hot journal beside the copy keeps what SQLite would
/// roll back), then removes the journal beside the ledger so that it can
/// never be applied to the restored file.
fn copy_damaged_aside(ledger: &Path) -> Result<PathBuf> {
    let target = new_backup_name(ledger, None, BackupKind::BeforeRestore)?;
    let copy = |from: &Path, to: &Path| -> Result<()> {
        let mut tmp = TempFile::beside(to)?;
        let mut src = std::fs::File::open(from)?;
        std::io::copy(&mut src, tmp.file()?).map_err(|e| files::write_error(to, &e))?;
        tmp.commit()?;
        Ok(())
    };
    let journal = with_suffix(ledger, "-journal");
    if journal.is_file() {
        copy(&journal, &with_suffix(&target, "-journal"))?;
    }
    copy(ledger, &target)?;
    if journal.is_file() {
        std::fs::remove_file(&journal)?;
        files::sync_dir(&files::parent_of(ledger));
    }
    Ok(target)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Renames the staged copy onto the ledger's name.
fn put_in_place(staged: Staged, ledger: &Path) -> Result<()> {
    debug_assert_eq!(staged.tmp.target(), ledger);
    staged.tmp.commit()?;
    Ok(())
}
