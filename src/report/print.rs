//! Sends a report file (the PDF) to the system's default printer.
//!
//! - Linux and other Unix systems: CUPS's `lp`, after `lpstat -d` has
//!   confirmed there is a default printer (or `$PRINTER`/`$LPDEST` names one).
//! - Windows: the shell's "print" verb (ShellExecuteW) on the file; where no
//!   installed application offers it, the file is opened instead and the
//!   clerk is told to press Ctrl+P.
//!
//! Programs are looked up on PATH by this code and started by their full
//! path with arguments passed as a list: no shell, no quoting.

use std::path::Path;

use crate::error::{Error, Result};

/// What happened to the print job, as one Chinese line for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// The job is with the printer (the spooler's words, if any).
    Sent(String),
    /// No "print" verb: the file was opened for the clerk to print.
    Opened(String),
}

impl Printed {
    pub fn message(&self) -> &str {
        match self {
            Printed::Sent(m) | Printed::Opened(m) => m,
        }
    }
}

/// Prints `file` on the default printer.
pub fn print_file(file: &Path) -> Result<Printed> {
    if !file.is_file() {
        return Err(Error::input(
            "print-no-file",
            format!("要打印的文件不存在：{}", file.display()),
        ));
    }
    platform::print(file)
}

#[cfg(not(windows))]
mod platform {
    use std::ffi::{OsStr, OsString};
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::Printed;
    use crate::error::{Error, Result};

    pub fn print(file: &Path) -> Result<Printed> {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let named = ["PRINTER", "LPDEST"]
            .iter()
            .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()));
        super::print_with_path(file, &path, named)
    }

    /// The first executable `name` in the directories of `path`.
    pub fn find_program(name: &str, path: &OsStr) -> Option<PathBuf> {
        use std::os::unix::fs::PermissionsExt;
        std::env::split_paths(path)
            .filter(|d| !d.as_os_str().is_empty())
            .map(|d| d.join(name))
            .find(|p| {
                p.metadata()
                    .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
            })
    }

    /// `program args…` with C messages (we parse them) and the given PATH.
    pub fn run(program: &Path, args: &[&OsStr], path: &OsStr) -> std::io::Result<Output> {
        let out = Command::new(program)
            .args(args)
            .env("PATH", path)
            .env("LC_ALL", "C")
            .env("LANG", "C")
            .output()?;
        Ok(Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).trim().to_string(),
            stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        })
    }

    pub struct Output {
        pub ok: bool,
        pub stdout: String,
        pub stderr: String,
    }

    pub fn no_lp() -> Error {
        Error::fail(
            "no-lp",
            "找不到打印命令 lp：本机没有安装 CUPS 打印服务。请安装（如 sudo apt install cups-client）并添加打印机；\
             也可以先用 --format pdf -o 文件名 保存，再用其他程序打印",
        )
    }

    pub fn arg(file: &Path) -> OsString {
        // A relative name starting with '-' would read as an option.
        if file.is_relative() && file.as_os_str().to_string_lossy().starts_with('-') {
            Path::new(".").join(file).into_os_string()
        } else {
            file.as_os_str().to_os_string()
        }
    }
}

/// Prints with `lp` found on `path`. `printer_named`: `$PRINTER` or
/// `$LPDEST` chooses the printer, so no system default is needed.
#[cfg(not(windows))]
pub fn print_with_path(
    file: &Path,
    path: &std::ffi::OsStr,
    printer_named: bool,
) -> Result<Printed> {
    use std::ffi::OsStr;

    let lp = platform::find_program("lp", path).ok_or_else(platform::no_lp)?;
    if !printer_named {
        check_default_printer(path)?;
    }
    let title = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "党建工作月报".to_string());
    let file_arg = platform::arg(file);
    let args: [&OsStr; 3] = [OsStr::new("-t"), OsStr::new(&title), &file_arg];
    let out = platform::run(&lp, &args, path)
        .map_err(|e| Error::fail("print", format!("无法运行打印命令 lp：{e}")))?;
    if !out.ok {
        let why = if out.stderr.is_empty() {
            out.stdout
        } else {
            out.stderr
        };
        return Err(lp_failure(&why));
    }
    let job = out
        .stdout
        .strip_prefix("request id is ")
        .and_then(|s| s.split_whitespace().next())
        .map(|id| format!("（任务号 {id}）"))
        .unwrap_or_default();
    Ok(Printed::Sent(format!(
        "已发送到默认打印机{job}：{}",
        file.display()
    )))
}

/// `lpstat -d`: is there a default printer, and is CUPS running?
#[cfg(not(windows))]
fn check_default_printer(path: &std::ffi::OsStr) -> Result<()> {
    let Some(lpstat) = platform::find_program("lpstat", path) else {
        // lp without lpstat: let lp itself say what is wrong.
        return Ok(());
    };
    let out = platform::run(&lpstat, &[std::ffi::OsStr::new("-d")], path)
        .map_err(|e| Error::fail("print", format!("无法运行 lpstat 检查打印机：{e}")))?;
    let text = format!("{}\n{}", out.stdout, out.stderr);
    if text.contains("system default destination:") && out.ok {
        return Ok(());
    }
    if text.contains("no system default destination") {
        return Err(no_default());
    }
    Err(lp_failure(&text))
}

#[cfg(not(windows))]
fn no_default() -> Error {
    Error::fail(
        "no-printer",
        "没有默认打印机：请在系统设置里添加打印机并设为默认（或运行 lpoptions -d 打印机名）；\
         也可以先用 --format pdf -o 文件名 保存，再用其他程序打印",
    )
}

/// Turns what CUPS said into a Chinese message.
#[cfg(not(windows))]
fn lp_failure(said: &str) -> Error {
    let said = said.trim();
    let lower = said.to_lowercase();
    if lower.contains("scheduler is not running")
        || lower.contains("connection refused")
        || lower.contains("unable to connect")
        || lower.contains("no such file or directory")
    {
        Error::fail(
            "no-cups",
            format!(
                "打印服务（CUPS）没有运行：请启动它（如 sudo systemctl start cups）后再打印。系统提示：{said}"
            ),
        )
    } else if lower.contains("no default destination")
        || lower.contains("no system default destination")
    {
        no_default()
    } else if lower.contains("does not exist") || lower.contains("not accepting") {
        Error::fail(
            "no-printer",
            format!("打印机不可用：{said}。请检查打印机是否已添加并处于就绪状态"),
        )
    } else {
        Error::fail("print", format!("打印失败：{said}"))
    }
}

#[cfg(windows)]
mod platform {
    use std::os::windows::ffi::OsStrExt;
    use std::path::Path;

    use windows_sys::Win32::UI::Shell::{SE_ERR_ASSOCINCOMPLETE, SE_ERR_NOASSOC, ShellExecuteW};
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_SHOWNORMAL;

    use super::Printed;
    use crate::error::{Error, Result};

    fn wide(s: &std::ffi::OsStr) -> Vec<u16> {
        s.encode_wide().chain(std::iter::once(0)).collect()
    }

    pub fn print(file: &Path) -> Result<Printed> {
        let full = std::path::absolute(file)?;
        let verb = wide(std::ffi::OsStr::new("print"));
        let target = wide(full.as_os_str());
        // SAFETY: all strings are NUL-terminated UTF-16 buffers that outlive
        // the call; null parameters and directory are allowed.
        let code = unsafe {
            ShellExecuteW(
                std::ptr::null_mut(),
                verb.as_ptr(),
                target.as_ptr(),
                std::ptr::null(),
                std::ptr::null(),
                SW_SHOWNORMAL,
            )
        } as isize;
        if code > 32 {
            return Ok(Printed::Sent(format!(
                "已交给默认打印机打印：{}",
                full.display()
            )));
        }
        if code == SE_ERR_NOASSOC as isize || code == SE_ERR_ASSOCINCOMPLETE as isize {
            // No application registers a "print" verb for PDF files (for
            // example only a browser reads them): open it instead.
            return match open::that_detached(&full) {
                Ok(()) => Ok(Printed::Opened(format!(
                    "本机没有能直接打印 PDF 的程序，已打开文件：{}；请在打开的窗口中按 Ctrl+P 打印",
                    full.display()
                ))),
                Err(e) => Err(Error::fail(
                    "print",
                    format!(
                        "无法打印也无法打开 PDF（{e}）：请安装 PDF 阅读器，或手动打开 {} 打印",
                        full.display()
                    ),
                )),
            };
        }
        Err(Error::fail(
            "print",
            format!(
                "打印失败（Windows 错误码 {code}）：请手动打开 {} 打印",
                full.display()
            ),
        ))
    }
}
