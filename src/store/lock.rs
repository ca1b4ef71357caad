//! One writer per ledger file. Whoever holds the writer lock may write; a
//! second copy of the program opens the ledger read-only. Two locks, both
//! needed to write:
//!
//! - a lock on the ledger file itself, so every path to the same file (a
//!   symlink, a hardlink, `..` in the path) meets the same lock: one byte
//!   at `RANGE_START`, far beyond anything SQLite reads, writes or locks
//!   (its lock bytes sit at 1 GiB). A whole-file lock would break SQLite: on
//!   Windows locks are mandatory per handle, so SQLite's own reads and its
//!   locks around 0x40000000 would fail; on Linux network file systems
//!   (NFS, CIFS) `flock` is emulated as a whole-file byte-range lock with
//!   the same effect. On Linux it is an open-file-description lock
//!   (`F_OFD_SETLK`): it belongs to our own descriptor, so SQLite closing
//!   one of its descriptors never drops it (a classic POSIX lock would go),
//!   and it never touches SQLite's POSIX locks (other bytes). On Windows it
//!   is `LockFileEx` on a handle of our own.
//! - the sidecar `<path>.lock`, kept from before: it also holds where the
//!   file-system cannot lock the ledger's bytes (then the ledger lock is
//!   skipped, see `try_range`).
//!
//! Both handles stay open for the life of the `Store`, read-only or not,
//! and are never reopened: on Linux closing any descriptor of the ledger
//! drops every POSIX lock the process holds on it, SQLite's included. A
//! read-only copy tries the same handles again to see the writer gone
//! (`WriterLock::writer_gone`).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::ReadOnly;

/// The byte locked on the ledger: 1 TiB, past any ledger and far from
/// SQLite's lock bytes (0x40000000 … 0x400001FF).
const RANGE_START: u64 = 1 << 40;

/// How a try to lock went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Try {
    Taken,
    /// Someone else holds it.
    Held,
    /// The lock cannot be taken here (no locks on this file system …).
    Failed,
}

/// The writer lock of one open ledger (held or not).
#[derive(Debug, Default)]
pub(super) struct WriterLock {
    sidecar: Option<File>,
    ledger: Option<File>,
    /// Both locks are ours.
    held: bool,
}

pub(super) fn sidecar_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".lock");
    PathBuf::from(s)
}

/// Tries again for a moment when a lock is held: a copy of the program that
/// is just quitting, or a child process forked while our handle was open
/// (it shares the lock until it execs), lets go within milliseconds, and
/// the clerk should not get a read-only ledger for that.
fn patiently(mut f: impl FnMut() -> Try) -> Try {
    let mut tries = 0;
    loop {
        match f() {
            Try::Held if tries < 10 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(30));
            }
            other => return other,
        }
    }
}

fn try_whole(f: &File) -> Try {
    match f.try_lock() {
        Ok(()) => Try::Taken,
        Err(std::fs::TryLockError::WouldBlock) => Try::Held,
        Err(std::fs::TryLockError::Error(_)) => Try::Failed,
    }
}

impl WriterLock {
    /// A store that never writes (the figures worker's reader).
    pub(super) fn none() -> WriterLock {
        WriterLock::default()
    }

    /// Takes the writer lock of the ledger at `path` (an existing file), or
    /// says why the ledger is read-only.
    pub(super) fn take(path: &Path) -> (WriterLock, Option<ReadOnly>) {
        let mut lock = WriterLock {
            sidecar: OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(sidecar_path(path))
                .ok(),
            ledger: open_ledger(path).ok(),
            held: false,
        };
        let (Some(sidecar), Some(ledger)) = (&lock.sidecar, &lock.ledger) else {
            return (lock, Some(ReadOnly::FileReadOnly));
        };
        match patiently(|| try_whole(sidecar)) {
            Try::Taken => {}
            Try::Held => return (lock, Some(ReadOnly::OtherInstance)),
            Try::Failed => return (lock, Some(ReadOnly::FileReadOnly)),
        }
        match patiently(|| try_range(ledger)) {
            // A file system without byte-range locks: the sidecar decides.
            Try::Taken | Try::Failed => {}
            Try::Held => {
                let _ = sidecar.unlock();
                return (lock, Some(ReadOnly::OtherInstance));
            }
        }
        lock.held = true;
        (lock, None)
    }

    /// For a copy that opened read-only because another one was writing:
    /// true when both locks are free now (the writer has quit). They are
    /// let go again at once; reopening takes them through `take`.
    pub(super) fn writer_gone(&self) -> bool {
        let (false, Some(sidecar), Some(ledger)) = (self.held, &self.sidecar, &self.ledger) else {
            return false;
        };
        if try_whole(sidecar) != Try::Taken {
            return false;
        }
        let ledger_free = match try_range(ledger) {
            Try::Taken => {
                unlock_range(ledger);
                true
            }
            Try::Failed => true,
            Try::Held => false,
        };
        let _ = sidecar.unlock();
        ledger_free
    }
}

/// Our own handle on the ledger: on Linux with write access (a write lock
/// needs it; nothing is ever written through it).
fn open_ledger(path: &Path) -> std::io::Result<File> {
    let mut o = OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    o.write(true);
    o.open(path)
}

#[cfg(target_os = "linux")]
fn ofd_lock(f: &File, l_type: libc::c_short) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: a zeroed `flock` is a valid value; fcntl reads it and the
    // descriptor is ours and open.
    let rc = unsafe {
        let mut fl: libc::flock = std::mem::zeroed();
        fl.l_type = l_type;
        fl.l_whence = libc::SEEK_SET as libc::c_short;
        fl.l_start = RANGE_START as libc::off_t;
        fl.l_len = 1;
        libc::fcntl(f.as_raw_fd(), libc::F_OFD_SETLK, &fl)
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(target_os = "linux")]
fn try_range(f: &File) -> Try {
    match ofd_lock(f, libc::F_WRLCK as libc::c_short) {
        Ok(()) => Try::Taken,
        Err(e) if matches!(e.raw_os_error(), Some(libc::EAGAIN | libc::EACCES)) => Try::Held,
        Err(_) => Try::Failed,
    }
}

#[cfg(target_os = "linux")]
fn unlock_range(f: &File) {
    let _ = ofd_lock(f, libc::F_UNLCK as libc::c_short);
}

#[cfg(windows)]
fn range_overlapped() -> windows_sys::Win32::System::IO::OVERLAPPED {
    // SAFETY: OVERLAPPED is plain data; all zero is its documented start.
    let mut o: windows_sys::Win32::System::IO::OVERLAPPED = unsafe { std::mem::zeroed() };
    o.Anonymous.Anonymous.Offset = RANGE_START as u32;
    o.Anonymous.Anonymous.OffsetHigh = (RANGE_START >> 32) as u32;
    o
}

#[cfg(windows)]
fn try_range(f: &File) -> Try {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Foundation::{ERROR_IO_PENDING, ERROR_LOCK_VIOLATION};
    use windows_sys::Win32::Storage::FileSystem::{
        LOCKFILE_EXCLUSIVE_LOCK, LOCKFILE_FAIL_IMMEDIATELY, LockFileEx,
    };
    let mut o = range_overlapped();
    // SAFETY: the handle is ours and open; `o` outlives the call, which
    // never waits (FAIL_IMMEDIATELY).
    let ok = unsafe {
        LockFileEx(
            f.as_raw_handle(),
            LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY,
            0,
            1,
            0,
            &mut o,
        )
    };
    if ok != 0 {
        return Try::Taken;
    }
    match std::io::Error::last_os_error().raw_os_error() {
        Some(c) if c == ERROR_LOCK_VIOLATION as i32 || c == ERROR_IO_PENDING as i32 => Try::Held,
        _ => Try::Failed,
    }
}

#[cfg(windows)]
fn unlock_range(f: &File) {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::UnlockFileEx;
    let mut o = range_overlapped();
    // SAFETY: as in `try_range`.
    unsafe {
        UnlockFileEx(f.as_raw_handle(), 0, 1, 0, &mut o);
    }
}

/// Elsewhere (not a target of the program): `flock` on our own handle,
/// right on local disks.
#[cfg(not(any(target_os = "linux", windows)))]
fn try_range(f: &File) -> Try {
    try_whole(f)
}

#[cfg(not(any(target_os = "linux", windows)))]
fn unlock_range(f: &File) {
    let _ = f.unlock();
}
