//! Consistent copies of the ledger with SQLite's online backup API:
//! `djtz backup`, the daily automatic backup (kept 30 days), the copy taken
//! before a migration or a restore, and `djtz restore`.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::{APPLICATION_ID, Store, migrate};
use crate::error::{Error, Result};

/// The folder beside the ledger where backups go by default.
pub const BACKUP_DIR: &str = "备份";
/// Automatic backups older than this many days are deleted.
pub const KEEP_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    Manual,
    Daily,
    BeforeMigrate,
    BeforeRestore,
}

impl BackupKind {
    fn prefix(self) -> &'static str {
        match self {
            BackupKind::Manual => "备份",
            BackupKind::Daily => "自动备份",
            BackupKind::BeforeMigrate => "升级前备份",
            BackupKind::BeforeRestore => "恢复前备份",
        }
    }
}

fn default_dir(store: &Store) -> PathBuf {
    let parent = match store.path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.join(BACKUP_DIR)
}

fn stem(store: &Store) -> String {
    store
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "djtz".to_string())
}

/// Copies the ledger into `dir` (default: 备份 beside the ledger) and returns
/// the new file's path.
pub(crate) fn backup_to_dir(
    store: &Store,
    dir: Option<&Path>,
    kind: BackupKind,
) -> Result<PathBuf> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => default_dir(store),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(
            "not-a-folder",
            format!("{} 不是文件夹，请指定备份要放的文件夹", dir.display()),
        ));
    }
    std::fs::create_dir_all(&dir).map_err(|e| {
        Error::input(
            "cannot-create",
            format!("无法建立备份文件夹 {}：{e}", dir.display()),
        )
    })?;
    let ts = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut target = dir.join(format!("{}-{}-{ts}.db", stem(store), kind.prefix()));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("{}-{}-{ts}-{n}.db", stem(store), kind.prefix()));
        n += 1;
    }
    let mut dst = Connection::open(&target)?;
    {
        let b = rusqlite::backup::Backup::new(&store.conn, &mut dst)?;
        b.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
    }
    drop(dst);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600));
    }
    Ok(target)
}

/// True when no automatic backup was taken today.
pub fn auto_backup_due(store: &Store) -> bool {
    let dir = default_dir(store);
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    let prefix = format!("{}-{}-{today}", stem(store), BackupKind::Daily.prefix());
    match std::fs::read_dir(&dir) {
        Ok(entries) => !entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(&prefix)),
        Err(_) => true,
    }
}

impl Store {
    /// `djtz backup [DIR]`.
    pub fn backup(&self, dir: Option<&Path>) -> Result<PathBuf> {
        backup_to_dir(self, dir, BackupKind::Manual)
    }

    /// The once-a-day backup on start; removes automatic backups older than
    /// 30 days. Returns the new file, or None when today's exists already or
    /// the ledger is empty.
    pub fn daily_backup(&self) -> Result<Option<PathBuf>> {
        if !auto_backup_due(self) || self.is_empty()? {
            return Ok(None);
        }
        let path = backup_to_dir(self, None, BackupKind::Daily)?;
        self.prune_daily_backups(chrono::Local::now().date_naive())?;
        Ok(Some(path))
    }

    fn prune_daily_backups(&self, today: chrono::NaiveDate) -> Result<()> {
        let dir = default_dir(self);
        let prefix = format!("{}-{}-", stem(self), BackupKind::Daily.prefix());
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(&prefix) else {
                continue;
            };
            let Some(date) = rest
                .get(..8)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y%m%d").ok())
            else {
                continue;
            };
            if (today - date).num_days() > KEEP_DAYS {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Ok(())
    }

    /// `djtz restore FILE`: checks FILE is a djtz ledger this program can
    /// read, backs up the current ledger, then replaces it page by page.
    /// Returns the path of the safety backup.
    pub fn restore_from(&mut self, file: &Path) -> Result<PathBuf> {
        self.ensure_writable()?;
        check_backup_file(file)?;
        let safety = backup_to_dir(self, None, BackupKind::BeforeRestore)?;
        let src = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        {
            let b = rusqlite::backup::Backup::new(&src, &mut self.conn)?;
            b.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
        }
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::migrate(self)?;
        Ok(safety)
    }
}

/// A file is restorable when it is SQLite, carries our application id, is
/// not newer than the program and passes a quick integrity check.
pub fn check_backup_file(file: &Path) -> Result<()> {
    if !file.is_file() {
        return Err(Error::input(
            "not-found",
            format!("找不到备份文件 {}", file.display()),
        ));
    }
    if !super::looks_like_sqlite(file)? || std::fs::metadata(file)?.len() == 0 {
        return Err(Error::input(
            "not-a-ledger",
            format!("{} 不是党建台账备份文件，未做任何改动", file.display()),
        ));
    }
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let not_ledger = || {
        Error::input(
            "not-a-ledger",
            format!("{} 不是党建台账备份文件，未做任何改动", file.display()),
        )
    };
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|_| not_ledger())?;
    if app_id != APPLICATION_ID {
        return Err(not_ledger());
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > migrate::latest_version() {
        return Err(Error::input(
            "newer-ledger",
            "这个备份由更新版本的 djtz 建立，请安装新版本后再恢复；未做任何改动",
        ));
    }
    let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(Error::input(
            "corrupt",
            format!("备份文件 {} 已损坏（{ok}），未做任何改动", file.display()),
        ));
    }
    Ok(())
}
