//! Consistent copies of the ledger with SQLite's online backup API:
//! `djtz backup`, the daily automatic backup (kept 30 days), and the copies
//! taken before a migration or a restore.
//!
//! A backup is written to a temporary name in its folder (mode 0600 from
//! the first byte, no journal of its own), checked, synced and only then
//! renamed to its real name; a kill or a full disk leaves no file under a
//! backup's name. The 备份 folder is private (0700).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Store, header};
use crate::error::{Error, Result};
use crate::files::{self, TempFile};

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

/// 备份 beside the ledger at `ledger`.
pub(crate) fn default_dir_of(ledger: &Path) -> PathBuf {
    files::parent_of(ledger).join(BACKUP_DIR)
}

fn default_dir(store: &Store) -> PathBuf {
    default_dir_of(&store.path)
}

pub(crate) fn stem_of(ledger: &Path) -> String {
    ledger
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "djtz".to_string())
}

/// Makes the backup folder (private) and picks a new file name in it.
pub(crate) fn new_backup_name(
    ledger: &Path,
    dir: Option<&Path>,
    kind: BackupKind,
) -> Result<PathBuf> {
    let dir = match dir {
        Some(d) => {
            // A folder named like the ledger's journal would break saves.
            files::Protected::ledger(ledger).check(d)?;
            d.to_path_buf()
        }
        None => default_dir_of(ledger),
    };
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(
            "not-a-folder",
            format!("{} 不是文件夹，请指定备份要放的文件夹", dir.display()),
        ));
    }
    files::private_dir(&dir).map_err(|e| {
        Error::input(
            "cannot-create",
            format!(
                "无法建立备份文件夹 {}：{}",
                dir.display(),
                files::write_error(&dir, &e).message
            ),
        )
    })?;
    files::remove_stale_temps(&dir);
    let stem = stem_of(ledger);
    let ts = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut target = dir.join(format!("{stem}-{}-{ts}.db", kind.prefix()));
    let mut n = 2;
    while target.exists() {
        target = dir.join(format!("{stem}-{}-{ts}-{n}.db", kind.prefix()));
        n += 1;
    }
    Ok(target)
}

/// Pages copied per step while no one else writes (16 MB of 4 KB pages):
/// a 200 MB ledger takes a dozen steps.
const STEP_PAGES: i32 = 4096;
/// After this many restarts (another connection wrote in between), the
/// rest is copied in one step, holding the read lock: a writer then waits
/// for the copy (its busy timeout), instead of the backup never finishing
/// under continuous saves.
const RESTARTS_BEFORE_ONE_STEP: u32 = 2;
/// How long a backup waits for a writer that holds the file locked.
const BUSY_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Copies the database of `src` into `dst` in bounded time, whatever other
/// connections write meanwhile.
pub(crate) fn copy_database(src: &Connection, dst: &mut Connection) -> Result<()> {
    let b = Backup::new(src, dst)?;
    let mut restarts = 0u32;
    let mut last_remaining = i32::MAX;
    let started = std::time::Instant::now();
    loop {
        let pages = if restarts >= RESTARTS_BEFORE_ONE_STEP {
            -1
        } else {
            STEP_PAGES
        };
        match b.step(pages)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {
                // A step that leaves as much to copy as before started
                // over: the source was written meanwhile.
                let remaining = b.progress().remaining;
                if remaining >= last_remaining {
                    restarts += 1;
                }
                last_remaining = remaining;
            }
            StepResult::Busy | StepResult::Locked => {
                if started.elapsed() > BUSY_LIMIT {
                    return Err(Error::fail(
                        "locked",
                        "台账正被另一个程序长时间占用，备份未能完成（没有留下不完整的备份）；请稍后再试",
                    ));
                }
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(5)),
        }
    }
}

/// Writes a backup of `src` to `target`: temporary name, private, copied,
/// checked, synced, renamed.
pub(crate) fn write_backup(src: &Connection, target: &Path) -> Result<PathBuf> {
    let mut tmp = TempFile::beside(target)?;
    tmp.close_handle();
    {
        let mut dst = Connection::open(tmp.path())?;
        // The copy is a temporary file until it is renamed: it needs no
        // journal (a kill leaves only the temporary name behind).
        dst.pragma_update(None, "journal_mode", "OFF")?;
        dst.pragma_update(None, "synchronous", "OFF")?;
        copy_database(src, &mut dst)?;
        let ok: String = dst.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(Error::fail(
                "backup-check",
                format!(
                    "备份写完后检查不通过（磁盘可能有问题），没有留下不完整的备份：{}",
                    target.display()
                ),
            ));
        }
    }
    if let Some(why) =
        header::header_problem(tmp.path()).map_err(|e| files::write_error(target, &e))?
    {
        return Err(Error::fail(
            "backup-check",
            format!("备份写完后检查不通过（{why}），没有留下不完整的备份"),
        ));
    }
    tmp.commit()
}

/// Copies the ledger into `dir` (default: 备份 beside the ledger) and returns
/// the new file's path.
pub(crate) fn backup_to_dir(
    store: &Store,
    dir: Option<&Path>,
    kind: BackupKind,
) -> Result<PathBuf> {
    let target = new_backup_name(&store.path, dir, kind)?;
    write_backup(&store.conn, &target)
}

/// True when the file at `path` is a complete backup: a whole SQLite file
/// (a broken one left by an older version under a real name does not
/// count as today's backup).
fn is_complete(path: &Path) -> bool {
    matches!(header::header_problem(path), Ok(None))
}

/// True when no complete automatic backup was taken today.
pub fn auto_backup_due(store: &Store) -> bool {
    let dir = default_dir(store);
    let today = chrono::Local::now().format("%Y%m%d").to_string();
    let prefix = format!(
        "{}-{}-{today}",
        stem_of(&store.path),
        BackupKind::Daily.prefix()
    );
    match std::fs::read_dir(&dir) {
        Ok(entries) => !entries.flatten().any(|e| {
            e.file_name().to_string_lossy().starts_with(&prefix) && is_complete(&e.path())
        }),
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
    /// the ledger is empty. A failed one leaves nothing and is tried again
    /// on the next start.
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
        let prefix = format!("{}-{}-", stem_of(&self.path), BackupKind::Daily.prefix());
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
}
