//! The only code that speaks SQL. `Store::open` takes the writer lock,
//! applies the pragmas of ARCHITECTURE.md and migrates; every user action
//! goes through one `Change` (one transaction, with audit rows).
//!
//! Modules are named by what they hold: records (`record`), paged lists
//! and their fixed filters (`list`, `filters`), names, the facts beside a
//! record (`facts`), meetings, funds, dues, the recycle bin (`bin`), the
//! report's loading and archive (`report`), drafts, settings, backups and
//! the file's health.

mod backup;
mod bin;
mod change;
mod content;
mod drafts;
mod dues;
mod facts;
mod filters;
mod funds;
mod header;
mod health;
mod issued;
mod ledger;
mod list;
mod lock;
mod meetings;
mod migrate;
mod names;
mod privacy;
pub mod record;
mod restore;
mod schema;
mod settings;

use std::fs::File;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use backup::{BACKUP_DIR, BackupKind, auto_backup_due};
pub use health::Problems;
pub use restore::{Restored, restore_ledger};

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    migrate::latest_version()
}
pub use bin::{BinAction, RecycleItem};
pub use change::{Change, ChangeKind, ChangeSummary, SuspendedIndexes};
pub use drafts::DraftSink;
pub use facts::{InstructorFacts, OrgFacts, UnitFacts};
pub use filters::ListFilter;
pub use issued::IssuedReport;
pub use ledger::SqlFigures;
pub use list::{Page, PageQuery};
pub use privacy::personal_labels;
pub use record::Record;
pub use settings::validate_settings;

use crate::error::{Error, Result};
use crate::files;

/// `PRAGMA application_id` of a djtz ledger ('DJTZ').
pub const APPLICATION_ID: i64 = 0x444A_545A;

/// Why a ledger is open read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnly {
    /// Another copy of the program has the file open.
    OtherInstance,
    /// The file (or its folder) cannot be written.
    FileReadOnly,
}

impl ReadOnly {
    pub fn message(self) -> &'static str {
        match self {
            ReadOnly::OtherInstance => {
                "另一个窗口（或另一台电脑）正在使用这个台账，本窗口以只读方式打开，不能修改"
            }
            ReadOnly::FileReadOnly => {
                "台账文件或所在文件夹是只读的，本窗口以只读方式打开，不能修改"
            }
        }
    }
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: Option<ReadOnly>,
    /// Kept for the life of the store (after `conn`, so dropped after it);
    /// dropping it releases the lock.
    lock: lock::WriterLock,
    /// The ids matching the last filtered list query (see `Store::page`).
    filtered: list::FilterCache,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// The default ledger file: the platform data folder (PRODUCT.md).
pub fn default_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "djtz").ok_or_else(|| {
        Error::fail(
            "no-home",
            "找不到用户数据文件夹，请用 --db 指定台账文件的位置",
        )
    })?;
    Ok(dirs.data_dir().join("djtz.db"))
}

/// The writer's lock of the ledger at `path` without opening it (a
/// restore over a ledger too damaged to open); refused while another copy
/// of the program has it.
fn writer_lock(path: &Path) -> Result<lock::WriterLock> {
    match lock::WriterLock::take(path) {
        (l, None) => Ok(l),
        (_, Some(why)) => Err(Error::input("read-only", why.message())),
    }
}

/// True when the file starts like an SQLite database (or is empty/new).
fn looks_like_sqlite(path: &Path) -> Result<bool> {
    let head = header::head_bytes(&mut File::open(path)?, 16)?;
    Ok(head.is_empty() || head == b"SQLite format 3\0")
}

/// A new, migrated ledger under a temporary name beside `path`.
fn build_new_ledger(path: &Path) -> Result<files::TempFile> {
    let mut tmp = files::TempFile::beside(path).map_err(|e| {
        Error::input(
            "cannot-create",
            format!("无法在 {} 建立台账文件：{}", path.display(), e.message),
        )
    })?;
    tmp.close_handle();
    let mut conn = Connection::open(tmp.path())?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "synchronous", "EXTRA")?;
    migrate::apply(&mut conn, 0)?;
    drop(conn);
    Ok(tmp)
}

/// Creates a new ledger at `path`: built whole under a temporary name,
/// then linked to its name, so that a kill never leaves an empty or
/// half-made ledger there (an empty file is refused later as a possibly
/// failed copy). If someone else created the file meanwhile, theirs stays.
fn create_new_ledger(path: &Path) -> Result<()> {
    let tmp = build_new_ledger(path)?;
    match std::fs::hard_link(tmp.path(), path) {
        Ok(()) => {
            files::sync_dir(&files::parent_of(path));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // File systems without hard links (FAT32 USB sticks): rename.
        Err(_) if !path.exists() => tmp.commit().map(|_| ()),
        Err(_) => Ok(()),
    }
}

/// Refuses an existing file that cannot be a sound ledger before SQLite
/// touches it: empty (a copy that failed), not SQLite, or cut short. An
/// interrupted save (a journal beside it) is left to SQLite to roll back.
fn check_file(path: &Path) -> Result<()> {
    let len = std::fs::metadata(path)?.len();
    if len == 0 {
        return Err(Error::input(
            "empty-ledger",
            format!(
                "台账文件是空的（{} 为 0 字节），可能是复制或保存未完成的文件；请从备份恢复（djtz restore 备份文件），或换一个文件名新建台账",
                path.display()
            ),
        ));
    }
    if !looks_like_sqlite(path)? {
        return Err(Error::input(
            "not-a-ledger",
            format!(
                "{} 不是党建台账文件（不是 SQLite 数据库），请检查文件路径",
                path.display()
            ),
        ));
    }
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let interrupted = std::fs::metadata(PathBuf::from(journal)).is_ok_and(|m| m.len() > 0);
    if !interrupted && let Some(why) = health::header_problem(path)? {
        return Err(Error::fail(
            "truncated",
            format!(
                "台账文件 {} 已损坏：{why}；请用“djtz restore 备份文件”从备份恢复",
                path.display()
            ),
        ));
    }
    Ok(())
}

impl Store {
    /// Opens (creating if needed) the ledger at `path`. A second copy of the
    /// program gets the file read-only; a file newer than the program, or
    /// not a djtz ledger, is refused.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with(path, true)
    }

    /// Opens an existing ledger only (restore, check): never creates a file.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Self::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Store> {
        if path.is_dir() {
            return Err(Error::input(
                "is-folder",
                format!("{} 是文件夹，请指定台账文件（如 djtz.db）", path.display()),
            ));
        }
        files::ensure_regular(path, "台账文件")?;
        let parent = files::parent_of(path);
        if !parent.is_dir() {
            return Err(Error::input(
                "no-folder",
                format!(
                    "文件夹 {} 不存在，请先建立该文件夹或换一个位置",
                    parent.display()
                ),
            ));
        }
        if !path.exists() {
            if !create {
                return Err(Error::input(
                    "not-found",
                    format!("找不到台账文件 {}", path.display()),
                ));
            }
            create_new_ledger(path)?;
        } else {
            check_file(path)?;
        }

        // Whoever holds the writer lock may write (lock.rs).
        let (lock, mut read_only) = lock::WriterLock::take(path);
        if read_only.is_none() {
            let meta = std::fs::metadata(path)?;
            if meta.permissions().readonly() {
                read_only = Some(ReadOnly::FileReadOnly);
            }
        }

        let flags = if read_only.is_some() {
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
        };
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        if read_only.is_none() {
            conn.pragma_update(None, "journal_mode", "DELETE")?;
            // EXTRA: the folder is synced after each commit too, so a power
            // cut cannot lose the deletion of the journal (SQLite's advice
            // for DELETE journal mode).
            conn.pragma_update(None, "synchronous", "EXTRA")?;
        }
        list::register_functions(&conn)?;

        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            lock,
            filtered: Default::default(),
        };
        store.check_identity()?;
        let version = migrate::user_version(&store)?;
        if version <= migrate::latest_version() {
            schema::ensure_own(&store.conn, version, "台账文件")?;
        }
        migrate::migrate(&mut store)?;
        Ok(store)
    }

    /// Opens the ledger for `djtz check`: read-only, no lock, no migration,
    /// never creates or changes a file. The caller runs the checks.
    pub fn open_for_check(path: &Path) -> Result<Store> {
        files::ensure_regular(path, "台账文件")?;
        if !path.is_file() {
            return Err(Error::input(
                "not-found",
                format!("找不到台账文件 {}", path.display()),
            ));
        }
        check_file(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        list::register_functions(&conn)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            read_only: Some(ReadOnly::FileReadOnly),
            lock: lock::WriterLock::none(),
            filtered: Default::default(),
        };
        store.check_identity()?;
        migrate::refuse_newer(&store)?;
        Ok(store)
    }

    /// The file's schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64> {
        migrate::user_version(self)
    }

    /// Every problem of the ledger file: integrity, schema, references and
    /// the type and range of every value (`djtz check`).
    pub fn problems(&self) -> Result<Problems> {
        Ok(health::problems(&self.conn, self.schema_version()?))
    }

    /// Makes a new ledger at `path` where a 0-byte file is (the clerk
    /// chose to start a new ledger there): refused if the file is no
    /// longer empty.
    pub fn create_over_empty(path: &Path) -> Result<()> {
        if std::fs::metadata(path).map(|m| m.len()).unwrap_or(1) != 0 {
            return Err(Error::input(
                "not-empty",
                format!("{} 不是空文件，不能在这里新建台账", path.display()),
            ));
        }
        let tmp = build_new_ledger(path)?;
        tmp.commit()?;
        Ok(())
    }

    /// A second, read-only connection to a ledger this process has open
    /// already (the TUI's figures worker): no lock, no creation, no
    /// migration; a file not at the program's schema version is refused.
    pub fn open_reader(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        list::register_functions(&conn)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            // Never shown: the reader only reads.
            read_only: Some(ReadOnly::OtherInstance),
            lock: lock::WriterLock::none(),
            filtered: Default::default(),
        };
        store.check_identity()?;
        if migrate::user_version(&store)? != migrate::latest_version() {
            return Err(Error::fail(
                "not-migrated",
                "台账格式版本与本程序不一致，无法读取统计数字",
            ));
        }
        Ok(store)
    }

    /// Refuses files that are SQLite but not a djtz ledger.
    fn check_identity(&self) -> Result<()> {
        let app_id: i64 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id == APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )?;
        if tables > 0 || app_id != 0 {
            return Err(Error::input(
                "not-a-ledger",
                format!(
                    "{} 是别的程序的数据库，不是党建台账文件，请检查文件路径",
                    self.path.display()
                ),
            ));
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The files no output may overwrite while this ledger is open.
    pub fn protected(&self) -> files::Protected {
        files::Protected::ledger(&self.path)
    }

    pub fn read_only(&self) -> Option<ReadOnly> {
        self.read_only
    }

    /// For a copy opened read-only because another was writing: true once
    /// that writer has let go of the ledger (it quit). Reopening with
    /// `Store::open` then gives a writable ledger, unless a third copy was
    /// quicker.
    pub fn writer_gone(&self) -> bool {
        self.read_only == Some(ReadOnly::OtherInstance) && self.lock.writer_gone()
    }

    /// `PRAGMA data_version`: changes when another connection (another copy
    /// of the program) commits, never for this connection's own writes.
    /// Cheap: no file access.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// The newest change (0 when none): what a read-only copy compares to
    /// see that the writer saved something (drafts are no change).
    pub fn last_change_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM changes", [], |r| r.get(0))?)
    }

    /// Fails with the Chinese reason when the ledger cannot be written.
    pub fn ensure_writable(&self) -> Result<()> {
        match self.read_only {
            None => Ok(()),
            Some(r) => Err(Error::input("read-only", r.message())),
        }
    }

    /// Direct read access for queries (report, lists). Writes go through
    /// `change`.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// True when the ledger holds no record at all (demo and import into an
    /// empty ledger check this).
    pub fn is_empty(&self) -> Result<bool> {
        for t in [
            "units",
            "party_orgs",
            "members",
            "instructors",
            "meetings",
            "fund_entries",
            "dues",
        ] {
            let any: Option<i64> = self
                .conn
                .query_row(&format!("SELECT 1 FROM {t} LIMIT 1"), [], |r| r.get(0))
                .optional()?;
            if any.is_some() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Reads one record by id, voided or not; `None` when there is no such row.
    pub fn get<R: Record>(&self, id: i64) -> Result<Option<R>> {
        get_in(&self.conn, id)
    }

    /// Whether the record is in the recycle bin.
    pub fn is_voided<R: Record>(&self, id: i64) -> Result<bool> {
        let v: Option<Option<String>> = self
            .conn
            .query_row(
                &format!("SELECT voided_at FROM {} WHERE id = ?1", R::TABLE),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(matches!(v, Some(Some(_))))
    }

    /// Every live record of a kind, in id order. For small tables and
    /// computations (the report); screens page with `page`.
    pub fn all<R: Record>(&self) -> Result<Vec<R>> {
        let sql = format!(
            "{} WHERE voided_at IS NULL ORDER BY id",
            record::select_sql::<R>()
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut out: Vec<R> = st
            .query_map([], |r| R::from_row(r))?
            .collect::<rusqlite::Result<_>>()?;
        for r in &mut out {
            r.load_children(&self.conn)?;
        }
        Ok(out)
    }

    /// Live records by name (units, orgs, members, instructors).
    pub fn find_by_name<R: Record>(&self, name: &str) -> Result<Vec<R>> {
        let sql = format!(
            "{} WHERE voided_at IS NULL AND name = ?1 ORDER BY id",
            record::select_sql::<R>()
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let out = st
            .query_map([name], |r| R::from_row(r))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// Counts live rows of a kind.
    pub fn count<R: Record>(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            &format!("SELECT count(*) FROM {} WHERE voided_at IS NULL", R::TABLE),
            [],
            |r| r.get(0),
        )?)
    }

    /// `PRAGMA integrity_check` and `foreign_key_check`: the problems found
    /// (empty = healthy).
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut st = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = st
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for r in rows {
            if r != "ok" {
                out.push(format!("数据库结构损坏：{r}"));
            }
        }
        let mut st = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows: Vec<(String, i64, String)> = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get(2)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (table, rowid, parent) in rows {
            out.push(format!(
                "表 {table} 第 {rowid} 行引用的 {parent} 记录不存在"
            ));
        }
        Ok(out)
    }

    /// Saves a form draft (TUI); replaces an older one with the same key.
    pub fn save_draft(&self, key: &str, json: &str) -> Result<()> {
        if self.read_only.is_some() {
            return Ok(());
        }
        self.conn
            .execute(drafts::SAVE_DRAFT, rusqlite::params![key, json, now_text()])?;
        Ok(())
    }

    pub fn drafts(&self) -> Result<Vec<(String, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT key, json FROM drafts ORDER BY saved_at DESC")?;
        let out = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    pub fn delete_draft(&self, key: &str) -> Result<()> {
        if self.read_only.is_some() {
            return Ok(());
        }
        self.conn
            .execute("DELETE FROM drafts WHERE key = ?1", [key])?;
        Ok(())
    }
}

/// A date as stored (ISO `YYYY-MM-DD`).
fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

impl Store {
    /// Live records of a kind matching `cond` (an SQL condition, with an
    /// ORDER BY, written by the store itself), with their child rows.
    fn live_rows<R: Record>(&self, cond: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<R>> {
        let sql = format!(
            "{} WHERE voided_at IS NULL AND {cond}",
            record::select_sql::<R>()
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<R> = st
            .query_map(args, |r| R::from_row(r))?
            .collect::<rusqlite::Result<_>>()?;
        for r in &mut rows {
            r.load_children(&self.conn)?;
        }
        Ok(rows)
    }
}

/// Reads one record (voided or not) through any connection or transaction.
pub(crate) fn get_in<R: Record>(conn: &Connection, id: i64) -> Result<Option<R>> {
    let sql = format!("{} WHERE id = ?1", record::select_sql::<R>());
    let mut st = conn.prepare_cached(&sql)?;
    let r = st.query_row([id], |r| R::from_row(r)).optional()?;
    match r {
        Some(mut r) => {
            r.load_children(conn)?;
            Ok(Some(r))
        }
        None => Ok(None),
    }
}

/// Local time as stored in the audit log and elsewhere.
pub fn now_text() -> String {
    chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()
}
