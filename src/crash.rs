//! When memory runs out. Rust's own end for a failed allocation is an
//! English line (`memory allocation of … failed`) and an abort that leaves
//! the TUI's terminal in raw mode; on stable Rust its hook cannot be set.
//! So the binary's allocator is `Guarded`: `System` with one test of the
//! pointer. When an allocation fails, `out_of_memory` ends the program
//! without allocating anything: the terminal restored (raw mode off, the
//! alternate screen left), a crash log created beside the ledger with raw
//! system calls, a Chinese message naming it on stderr, exit status 1.
//! Everything it writes is prepared by `arm` while memory was there.
//!
//! Every failed allocation ends the program, also one that the code asking
//! could have survived (`try_reserve`): on a PC that has run out of memory
//! the clerk is better served by a clear end than by what follows.
//!
//! The allocator is set in src/main.rs only: tests and benches keep the
//! plain `System` allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::time::Duration;

/// `System`, with the end above when it returns null.
pub struct Guarded;

// SAFETY: every call goes to `System` unchanged; a null result never
// returns (`out_of_memory` ends the process).
unsafe impl GlobalAlloc for Guarded {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Who is running: what the message can promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Tui,
    Command,
}

const T_HEAD: &str = "内存不足，程序意外退出";
const T_LOGGED: &str = "，详情已记录到 ";
const T_NOT_LOGGED: &str = "（未能写入错误记录）";
const T_TUI: &str = "；正在编辑的内容已存为草稿，下次启动时可恢复。请关闭其他程序后再打开台账。";
const T_COMMAND: &str =
    "；未完成的操作没有写入台账。请关闭其他程序后重试，很大的导入文件可分成几份导入。";
const T_UNARMED: &str = "。请关闭其他程序后重试。";

/// What `out_of_memory` writes, made by `arm`.
struct Prepared {
    /// The crash log's folder and `djtz-crash-`, as the system takes it.
    log_prefix: Vec<os::Unit>,
    /// The same for the message.
    log_shown: String,
    /// The log's first lines (program, ledger).
    head: String,
    tail: &'static str,
    /// Local time minus UTC when armed (seconds).
    utc_offset: i64,
}

static PREPARED: AtomicPtr<Prepared> = AtomicPtr::new(std::ptr::null_mut());
/// The TUI has the terminal (raw mode, alternate screen).
static TERMINAL: AtomicBool = AtomicBool::new(false);

/// Prepares the end for a run on the ledger at `ledger` (the crash log goes
/// beside it, as the TUI's panic log does).
pub fn arm(ledger: &Path, mode: Mode) {
    let dir = match ledger.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let prefix = dir.join("djtz-crash-");
    let p = Prepared {
        log_prefix: os::units(prefix.as_os_str()),
        log_shown: prefix.display().to_string(),
        head: format!(
            "djtz {} 内存不足，意外退出\n台账：{}\n",
            env!("CARGO_PKG_VERSION"),
            ledger.display()
        ),
        tail: match mode {
            Mode::Tui => T_TUI,
            Mode::Command => T_COMMAND,
        },
        utc_offset: chrono::Local::now().offset().local_minus_utc() as i64,
    };
    // The one before is left in place (a handler may be reading it): a few
    // hundred bytes, once or twice a run.
    PREPARED.store(Box::into_raw(Box::new(p)), Ordering::Release);
}

/// The TUI took the terminal (true) or gave it back (false).
pub fn terminal_taken(taken: bool) {
    TERMINAL.store(taken, Ordering::SeqCst);
}

/// A fixed buffer on the stack: nothing here may allocate.
struct Stack<T: Copy, const N: usize> {
    buf: [T; N],
    len: usize,
    full: bool,
}

impl<T: Copy + From<u8>, const N: usize> Stack<T, N> {
    fn new() -> Self {
        Stack {
            buf: [T::from(0); N],
            len: 0,
            full: false,
        }
    }

    fn push(&mut self, s: &[T]) {
        match self.buf.get_mut(self.len..self.len + s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s);
                self.len += s.len();
            }
            None => self.full = true,
        }
    }

    fn push_ascii(&mut self, s: &[u8]) {
        for &b in s {
            self.push(&[T::from(b)]);
        }
    }

    fn as_slice(&self) -> &[T] {
        &self.buf[..self.len]
    }
}

/// `n` in decimal, right-aligned in the buffer; returns the digits.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 || i == 0 {
            return &buf[i..];
        }
    }
}

/// Days since 1970-01-01 to (year, month, day) (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Local time as `YYYYMMDD-HHMMSS` (file name) and `YYYY-MM-DD HH:MM:SS`.
fn stamps(unix_secs: i64) -> ([u8; 15], [u8; 19]) {
    let (y, mo, d) = civil(unix_secs.div_euclid(86_400));
    let s = unix_secs.rem_euclid(86_400);
    let fields = [
        (y.rem_euclid(10_000) as u32, 4),
        (mo, 2),
        (d, 2),
        ((s / 3600) as u32, 2),
        ((s / 60 % 60) as u32, 2),
        ((s % 60) as u32, 2),
    ];
    let mut digits = [0u8; 14];
    let mut k = 0;
    for (v, w) in fields {
        for i in (0..w).rev() {
            digits[k] = b'0' + (v / 10u32.pow(i) % 10) as u8;
            k += 1;
        }
    }
    let mut file = [b'-'; 15];
    file[..8].copy_from_slice(&digits[..8]);
    file[9..].copy_from_slice(&digits[8..]);
    let mut shown = *b"0000-00-00 00:00:00";
    for (i, pos) in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        .iter()
        .enumerate()
    {
        shown[*pos] = digits[i];
    }
    (file, shown)
}

/// The end. Allocates nothing; never returns.
#[cold]
#[inline(never)]
fn out_of_memory(size: usize) -> ! {
    static ENDING: AtomicBool = AtomicBool::new(false);
    if ENDING.swap(true, Ordering::SeqCst) {
        // Another thread is ending the program already.
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    if TERMINAL.load(Ordering::SeqCst) {
        os::restore_terminal();
    }
    let mut msg = Stack::<u8, 8192>::new();
    msg.push(b"\r\n");
    msg.push(T_HEAD.as_bytes());
    // SAFETY: set by `arm` from a leaked Box, never freed.
    match unsafe { PREPARED.load(Ordering::Acquire).as_ref() } {
        Some(p) => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let (file, shown) = stamps(now + p.utc_offset);
            let mut path = Stack::<os::Unit, 4096>::new();
            path.push(&p.log_prefix);
            path.push_ascii(&file);
            path.push_ascii(b".log\0");
            let mut digits = [0u8; 20];
            let logged = !path.full
                && os::write_new_file(
                    path.as_slice(),
                    &[
                        p.head.as_bytes(),
                        "时间：".as_bytes(),
                        &shown,
                        "\n申请内存 ".as_bytes(),
                        decimal(size as u64, &mut digits),
                        " 字节未能分配\n".as_bytes(),
                    ],
                );
            if logged {
                msg.push(T_LOGGED.as_bytes());
                msg.push(p.log_shown.as_bytes());
                msg.push(&file);
                msg.push(b".log");
            } else {
                msg.push(T_NOT_LOGGED.as_bytes());
            }
            msg.push(p.tail.as_bytes());
        }
        None => msg.push(T_UNARMED.as_bytes()),
    }
    msg.push(b"\n");
    os::write_stderr(msg.as_slice());
    os::exit()
}

#[cfg(unix)]
mod os {
    use std::os::unix::ffi::OsStrExt;

    /// Paths are bytes.
    pub type Unit = u8;

    pub fn units(s: &std::ffi::OsStr) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    fn write_all(fd: libc::c_int, mut b: &[u8]) {
        while !b.is_empty() {
            // SAFETY: a plain write of a live buffer.
            let n = unsafe { libc::write(fd, b.as_ptr().cast(), b.len()) };
            if n > 0 {
                b = &b[n as usize..];
            } else if n < 0
                && std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted
            {
                continue;
            } else {
                return;
            }
        }
    }

    pub fn write_stderr(b: &[u8]) {
        write_all(2, b);
    }

    /// Raw mode off (crossterm keeps the mode it found and puts it back
    /// without allocating), then the escapes ratatui's restore sends.
    pub fn restore_terminal() {
        let _ = crossterm::terminal::disable_raw_mode();
        write_all(1, b"\x1b[?2004l\x1b[?1049l\x1b[?25h");
    }

    /// `path` ends in NUL.
    pub fn write_new_file(path: &[u8], parts: &[&[u8]]) -> bool {
        // SAFETY: a NUL-terminated path in a live buffer.
        let fd = unsafe {
            libc::open(
                path.as_ptr().cast(),
                libc::O_WRONLY | libc::O_CREAT | libc::O_APPEND | libc::O_CLOEXEC,
                0o600 as libc::c_uint,
            )
        };
        if fd < 0 {
            return false;
        }
        for p in parts {
            write_all(fd, p);
        }
        // SAFETY: our own descriptor.
        unsafe {
            libc::fsync(fd);
            libc::close(fd);
        }
        true
    }

    pub fn exit() -> ! {
        // SAFETY: ends the process at once, running nothing that allocates.
        unsafe { libc::_exit(1) }
    }
}

#[cfg(windows)]
mod os {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::Storage::FileSystem::{
        CreateFileW, FILE_APPEND_DATA, FILE_ATTRIBUTE_NORMAL, FILE_SHARE_READ, FlushFileBuffers,
        OPEN_ALWAYS, WriteFile,
    };
    use windows_sys::Win32::System::Console::{
        ENABLE_ECHO_INPUT, ENABLE_LINE_INPUT, ENABLE_PROCESSED_INPUT, GetConsoleMode, GetStdHandle,
        STD_ERROR_HANDLE, STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, SetConsoleMode, WriteConsoleW,
    };
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, TerminateProcess};

    /// Paths are UTF-16.
    pub type Unit = u16;

    pub fn units(s: &std::ffi::OsStr) -> Vec<u16> {
        s.encode_wide().collect()
    }

    fn write_file(h: HANDLE, mut b: &[u8]) {
        while !b.is_empty() {
            let mut n = 0u32;
            let len = b.len().min(u32::MAX as usize) as u32;
            // SAFETY: a live buffer and a handle of this process.
            let ok = unsafe { WriteFile(h, b.as_ptr(), len, &mut n, std::ptr::null_mut()) };
            if ok == 0 || n == 0 {
                return;
            }
            b = &b[n as usize..];
        }
    }

    /// To the console as UTF-16 (whatever its code page), else as UTF-8.
    pub fn write_stderr(b: &[u8]) {
        // SAFETY: plain console calls on this process's own handles.
        unsafe {
            let h = GetStdHandle(STD_ERROR_HANDLE);
            let mut mode = 0;
            if GetConsoleMode(h, &mut mode) != 0
                && let Ok(s) = std::str::from_utf8(b)
            {
                let mut w = super::Stack::<u16, 8192>::new();
                for u in s.encode_utf16() {
                    w.push(&[u]);
                }
                let mut n = 0u32;
                WriteConsoleW(
                    h,
                    w.as_slice().as_ptr().cast(),
                    w.as_slice().len() as u32,
                    &mut n,
                    std::ptr::null(),
                );
            } else {
                write_file(h, b);
            }
        }
    }

    /// What crossterm's disable_raw_mode does, without its allocations.
    pub fn restore_terminal() {
        // SAFETY: as above.
        unsafe {
            let h = GetStdHandle(STD_INPUT_HANDLE);
            let mut mode = 0;
            if GetConsoleMode(h, &mut mode) != 0 {
                SetConsoleMode(
                    h,
                    mode | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT | ENABLE_PROCESSED_INPUT,
                );
            }
            write_file(
                GetStdHandle(STD_OUTPUT_HANDLE),
                b"\x1b[?2004l\x1b[?1049l\x1b[?25h",
            );
        }
    }

    /// `path` ends in NUL.
    pub fn write_new_file(path: &[u16], parts: &[&[u8]]) -> bool {
        // SAFETY: a NUL-terminated wide path in a live buffer.
        unsafe {
            let h = CreateFileW(
                path.as_ptr(),
                FILE_APPEND_DATA,
                FILE_SHARE_READ,
                std::ptr::null(),
                OPEN_ALWAYS,
                FILE_ATTRIBUTE_NORMAL,
                std::ptr::null_mut(),
            );
            if h == INVALID_HANDLE_VALUE {
                return false;
            }
            for p in parts {
                write_file(h, p);
            }
            FlushFileBuffers(h);
            CloseHandle(h);
        }
        true
    }

    pub fn exit() -> ! {
        // SAFETY: ends this process at once.
        unsafe {
            TerminateProcess(GetCurrentProcess(), 1);
        }
        std::process::abort()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_local_civil_time() {
        // 2026-10-20 15:30:05 UTC+8 is 07:30:05 UTC.
        let utc = chrono::NaiveDate::from_ymd_opt(2026, 10, 20)
            .and_then(|d| d.and_hms_opt(7, 30, 5))
            .map(|t| t.and_utc().timestamp())
            .unwrap_or_default();
        let (file, shown) = stamps(utc + 8 * 3600);
        assert_eq!(&file, b"20261020-153005");
        assert_eq!(&shown, b"2026-10-20 15:30:05");
        // Leap day and the turn of a year.
        let (file, _) = stamps(
            chrono::NaiveDate::from_ymd_opt(2028, 2, 29)
                .and_then(|d| d.and_hms_opt(23, 59, 59))
                .map(|t| t.and_utc().timestamp())
                .unwrap_or_default(),
        );
        assert_eq!(&file, b"20280229-235959");
        assert_eq!(&stamps(0).1, b"1970-01-01 00:00:00");
    }

    #[test]
    fn decimal_and_a_full_stack() {
        let mut b = [0u8; 20];
        assert_eq!(decimal(0, &mut b), b"0");
        assert_eq!(decimal(10_737_418_240, &mut b), b"10737418240");
        assert_eq!(decimal(u64::MAX, &mut b), b"18446744073709551615");
        let mut s = Stack::<u8, 4>::new();
        s.push(b"abc");
        s.push(b"de");
        assert!(s.full);
        assert_eq!(s.as_slice(), b"abc");
    }
}
