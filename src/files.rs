//! Files the program writes and reads outside the ledger: reports,
//! workbooks, templates, backups.
//!
//! - A file is written to a temporary name in the folder it goes to (mode
//!   0600 from the first byte on Linux), synced, and renamed onto the name
//!   asked for only when complete; the folder is synced after the rename.
//!   A kill or a full disk leaves at most a temporary `.…djtz-tmp…` file,
//!   never a broken file under a real name.
//! - A target that is the open ledger, its lock, its journal or a backup in
//!   use is refused, by file identity (device and inode on Linux, volume
//!   serial and file index on Windows) and by name in the ledger's folder
//!   (for companions that do not exist yet, such as the journal).
//! - A path to read or write must be a regular file: a FIFO or a device
//!   would block or never end.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What identifies a file whatever the path that reaches it: a symlink
/// and a hard link to the ledger give the ledger's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileId {
    device: u64,
    index: u64,
}

/// The identity of the file at `path` (following symlinks), or None when
/// there is no such file.
///
/// On Linux this is `stat`, which opens nothing: SQLite holds POSIX locks on
/// the ledger, and closing any descriptor of that file in this process
/// would drop them.
#[cfg(unix)]
pub fn file_id(path: &Path) -> std::io::Result<Option<FileId>> {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some(FileId {
            device: m.dev(),
            index: m.ino(),
        })),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The identity of the file at `path` (following symlinks), or None when
/// there is no such file. Windows: the handle is opened with no access
/// right at all (it reads attributes only and shares everything), so it
/// never gets in the way of SQLite or of another program.
#[cfg(windows)]
pub fn file_id(path: &Path) -> std::io::Result<Option<FileId>> {
    use std::os::windows::fs::OpenOptionsExt;
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{
        BY_HANDLE_FILE_INFORMATION, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE, FILE_SHARE_READ,
        FILE_SHARE_WRITE, GetFileInformationByHandle,
    };
    let f = match OpenOptions::new()
        .access_mode(0)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
        .custom_flags(FILE_FLAG_BACKUP_SEMANTICS)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    // SAFETY: a zeroed BY_HANDLE_FILE_INFORMATION is a valid value of that
    // plain C struct, and the handle is open for the duration of the call.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    let ok = unsafe { GetFileInformationByHandle(f.as_raw_handle() as _, &mut info) };
    if ok == 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(Some(FileId {
        device: u64::from(info.dwVolumeSerialNumber),
        index: (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow),
    }))
}

/// The folder a file is in (`.` for a bare file name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// File names compared as the file system does: Windows ignores case.
fn same_name(a: &std::ffi::OsStr, b: &std::ffi::OsStr) -> bool {
    if cfg!(windows) {
        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

/// Files no output may overwrite: the open ledger and its companions, and
/// any backup the command is using.
#[derive(Debug, Clone, Default)]
pub struct Protected {
    /// (path, why) — the why is the Chinese name of what the file is.
    files: Vec<(PathBuf, &'static str)>,
}

/// The companion files SQLite and djtz keep beside a ledger.
const COMPANIONS: &[(&str, &str)] = &[
    ("", "正在使用的台账文件"),
    (".lock", "台账的锁文件"),
    ("-journal", "台账的日志文件"),
    ("-wal", "台账的日志文件"),
    ("-shm", "台账的日志文件"),
];

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

impl Protected {
    /// The ledger at `ledger` with its lock and journal files.
    pub fn ledger(ledger: &Path) -> Protected {
        let mut p = Protected::default();
        for (suffix, why) in COMPANIONS {
            p.files.push((with_suffix(ledger, suffix), why));
        }
        p
    }

    /// Adds a backup (or other file) the command reads from.
    pub fn with(mut self, path: &Path, why: &'static str) -> Protected {
        self.files.push((path.to_path_buf(), why));
        self
    }

    /// Refuses `target` when it is (or would become) one of the protected
    /// files: the same file by identity, or the same name in the same
    /// folder (for a journal that does not exist at the moment).
    pub fn check(&self, target: &Path) -> Result<()> {
        let refuse = |why: &str| {
            Err(Error::input(
                "protected-file",
                format!(
                    "不能写到 {}：它是{why}，写入会毁掉台账数据；请换一个文件名或文件夹",
                    target.display()
                ),
            ))
        };
        let target_id = file_id(target).ok().flatten();
        let target_dir = file_id(&parent_of(target)).ok().flatten();
        for (path, why) in &self.files {
            if let Some(t) = target_id
                && file_id(path).ok().flatten() == Some(t)
            {
                return refuse(why);
            }
            let same_dir =
                target_dir.is_some() && file_id(&parent_of(path)).ok().flatten() == target_dir;
            if same_dir
                && let (Some(a), Some(b)) = (target.file_name(), path.file_name())
                && same_name(a, b)
            {
                return refuse(why);
            }
        }
        Ok(())
    }
}

/// Refuses a path that exists but is not a regular file (a folder, a FIFO,
/// a device, a socket): reading or writing it would block or never end.
/// `what` names the file in the message (台账文件, 备份文件, 要导入的文件).
pub fn ensure_regular(path: &Path, what: &str) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(m) if m.is_dir() => Err(Error::input(
            "is-folder",
            format!("{} 是文件夹，不是{what}；请指定一个文件", path.display()),
        )),
        Ok(_) => Err(Error::input(
            "not-a-file",
            format!(
                "{} 不是普通文件（是设备、管道等特殊文件），不能作为{what}；请指定一个普通文件",
                path.display()
            ),
        )),
        Err(_) => Ok(()),
    }
}

/// Creates `path` new, readable and writable by its owner only from the
/// first byte (Linux; Windows files inherit the user profile's rights).
pub fn create_private(path: &Path) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.write(true).read(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Makes a folder for backups and the like: created private (0700 on
/// Linux); an existing one is made private too.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        if !dir.is_dir() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Makes a rename durable: syncs the folder (Linux; Windows has no folder
/// handle to sync and NTFS journals the rename itself).
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The marker in every temporary file name: left-overs of a killed run are
/// recognised by it (and never taken for real files).
pub const TEMP_MARK: &str = ".djtz-tmp-";

/// A file being written under a temporary name in its final folder. Dropped
/// without `commit`, it is removed.
pub struct TempFile {
    path: PathBuf,
    target: PathBuf,
    file: Option<File>,
}

impl TempFile {
    /// A new private temporary file beside `target`.
    pub fn beside(target: &Path) -> Result<TempFile> {
        let dir = parent_of(target);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "djtz".to_string());
        let mut n = 0u32;
        loop {
            let path = dir.join(format!(".{name}{TEMP_MARK}{}-{n}", std::process::id()));
            match create_private(&path) {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        target: target.to_path_buf(),
                        file: Some(file),
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(write_error(target, &e)),
            }
        }
    }

    /// The temporary file's path (for writers that open it themselves,
    /// such as SQLite).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The name the file gets on `commit`.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The open file, positioned at its start.
    pub fn file(&mut self) -> Result<&mut File> {
        match self.file.as_mut() {
            Some(f) => Ok(f),
            None => Err(Error::fail("internal", "临时文件已关闭")),
        }
    }

    /// Closes the handle (so that another writer, e.g. SQLite, can own the
    /// file) but keeps the file.
    pub fn close_handle(&mut self) {
        self.file = None;
    }

    /// Syncs the file, renames it onto the target and syncs the folder.
    pub fn commit(mut self) -> Result<PathBuf> {
        let target = self.target.clone();
        let file = match self.file.take() {
            Some(f) => f,
            None => OpenOptions::new()
                .read(true)
                .write(true)
                .open(&self.path)
                .map_err(|e| write_error(&target, &e))?,
        };
        file.sync_all().map_err(|e| write_error(&target, &e))?;
        drop(file);
        if target.is_dir() {
            return Err(Error::input(
                "is-folder",
                format!("{} 是文件夹，请指定要写入的文件名", target.display()),
            ));
        }
        std::fs::rename(&self.path, &target).map_err(|e| rename_error(&target, &e))?;
        sync_dir(&parent_of(&target));
        // Renamed: nothing left to remove on drop.
        self.path = PathBuf::new();
        Ok(target)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        self.file = None;
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The Chinese reason a write failed.
pub fn write_error(target: &Path, e: &std::io::Error) -> Error {
    use std::io::ErrorKind;
    let why = match e.kind() {
        ErrorKind::NotFound => "文件夹不存在".to_string(),
        ErrorKind::PermissionDenied => "没有写入权限（文件夹只读或被保护）".to_string(),
        ErrorKind::StorageFull => "磁盘已满".to_string(),
        ErrorKind::ReadOnlyFilesystem => "磁盘或 U 盘是只读的".to_string(),
        ErrorKind::QuotaExceeded => "磁盘配额已用完".to_string(),
        ErrorKind::IsADirectory => "这是一个文件夹".to_string(),
        _ => match e.raw_os_error() {
            // ENOSPC on Linux, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
            Some(28) if cfg!(unix) => "磁盘已满".to_string(),
            Some(112) | Some(39) if cfg!(windows) => "磁盘已满".to_string(),
            _ => "读写出错".to_string(),
        },
    };
    Error::fail(
        "cannot-write",
        format!("无法写入 {}：{why}；没有留下不完整的文件", target.display()),
    )
}

fn rename_error(target: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        return Error::fail(
            "cannot-write",
            format!(
                "无法写入 {}：文件正被其他程序（如 Excel、WPS）打开或没有写入权限；请关闭它后重试，原文件未改动",
                target.display()
            ),
        );
    }
    write_error(target, e)
}

/// Writes `bytes` to `target` safely (see the module comment), after
/// checking `target` against `protected`.
pub fn write_file(target: &Path, bytes: &[u8], protected: &Protected) -> Result<PathBuf> {
    write_with(target, protected, |f| f.write_all(bytes))
}

/// Writes `target` safely through `fill`, which gets the temporary file.
pub fn write_with(
    target: &Path,
    protected: &Protected,
    fill: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<PathBuf> {
    prepare_target(target, protected)?;
    let mut tmp = TempFile::beside(target)?;
    fill(tmp.file()?).map_err(|e| write_error(target, &e))?;
    tmp.commit()
}

/// The checks before any byte is written: not a protected file, not a
/// folder or special file, and the folder exists.
pub fn prepare_target(target: &Path, protected: &Protected) -> Result<()> {
    protected.check(target)?;
    if target.is_dir() {
        return Err(Error::input(
            "is-folder",
            format!("{} 是文件夹，请指定要写入的文件名", target.display()),
        ));
    }
    ensure_regular(target, "输出文件")?;
    let dir = parent_of(target);
    if !dir.is_dir() {
        return Err(Error::input(
            "no-folder",
            format!("文件夹 {} 不存在，请先建立它或换一个位置", dir.display()),
        ));
    }
    Ok(())
}

/// Makes the folder outputs go to (if missing). A folder may not take
/// the name of a protected file either: a folder called like the ledger's
/// journal would make every later save fail.
pub fn make_output_dir(dir: &Path, protected: &Protected) -> Result<()> {
    protected.check(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::fail(
            "cannot-write",
            format!(
                "无法建立文件夹 {}：{}",
                dir.display(),
                write_error(dir, &e).message
            ),
        )
    })
}

/// Removes temporary files a killed run left in `dir` (older than a
/// minute, so a run in progress keeps its own).
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let minute_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for e in entries.flatten() {
        let name = e.file_name();
        if !name.to_string_lossy().contains(TEMP_MARK) {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t < minute_ago);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_ledger_and_its_companions_by_identity_and_name() {
        let dir = tempfile::tempdir().unwrap();
        let ledger = dir.path().join("v.db");
        std::fs::write(&ledger, b"x").unwrap();
        let p = Protected::ledger(&ledger);
        assert!(p.check(&ledger).is_err());
        assert!(p.check(&dir.path().join("v.db-journal")).is_err());
        assert!(p.check(&dir.path().join("v.db.lock")).is_err());
        assert!(p.check(&dir.path().join("./v.db")).is_err());
        assert!(p.check(&dir.path().join("report.txt")).is_ok());
        #[cfg(unix)]
        {
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&ledger, &link).unwrap();
            assert!(p.check(&link).is_err(), "symlink to the ledger");
            let hard = dir.path().join("hard.txt");
            std::fs::hard_link(&ledger, &hard).unwrap();
            assert!(p.check(&hard).is_err(), "hard link to the ledger");
        }
    }

    #[test]
    fn a_failed_write_leaves_nothing_under_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, b"old").unwrap();
        let r = write_with(&target, &Protected::default(), |f| {
            f.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "the temporary file is removed");
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        write_file(&target, b"abc", &Protected::default()).unwrap();
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(std::fs::read(&target).unwrap(), b"abc");
    }
}
