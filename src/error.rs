//! The one error type: a Chinese message for the clerk, an English code word
//! for scripts, and the exit code (2 = bad input, 1 = other failure).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// English code word, shown in brackets (`[not-a-ledger]`).
    pub code: &'static str,
    /// One Chinese line: what is wrong and what to do.
    pub message: String,
    /// Process exit code: 2 for bad input, 1 otherwise.
    pub exit: i32,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Something the user gave us is wrong (exit 2).
    pub fn input(code: &'static str, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            exit: 2,
        }
    }

    /// Anything else went wrong (exit 1).
    pub fn fail(code: &'static str, message: impl Into<String>) -> Self {
        Error {
            code,
            message: message.into(),
            exit: 1,
        }
    }

    /// A total of money beyond i64: the ledger holds amounts beyond the
    /// bounds of FORMATS.md (an old ledger, or one written by another
    /// program). Reports and screens fail with this rather than show a
    /// wrapped figure.
    pub fn money_overflow() -> Self {
        Error::fail("money-overflow", crate::domain::money::OVERFLOW_MESSAGE)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message, self.code)
    }
}

impl std::error::Error for Error {}

/// SQLite's reasons in Chinese: the clerk never sees the library's English
/// (the code word in brackets is for scripts; the numeric SQLite code is
/// kept for a support call).
impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match &e {
            // SUM() over integers beyond i64 (the SQL totals of fund
            // amounts on a ledger holding amounts beyond reason).
            rusqlite::Error::SqliteFailure(_, Some(m)) if m == "integer overflow" => {
                Error::money_overflow()
            }
            rusqlite::Error::SqliteFailure(f, _) => match f.code {
                ErrorCode::NotADatabase => Error::input(
                    "not-a-ledger",
                    "这个文件不是党建台账数据库（不是 SQLite 文件），请检查文件路径",
                ),
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => Error::fail(
                    "locked",
                    "台账文件正被另一个程序使用，请稍后再试或关闭其他程序",
                ),
                // SQLITE_READONLY_ROLLBACK: a read-only connection (check)
                // met the journal of a save that was cut off.
                ErrorCode::ReadOnly if f.extended_code == 776 => Error::fail(
                    "interrupted-save",
                    "台账有一次未完成的保存需要撤回（上次程序或电脑异常中断）；用 djtz 正常打开一次台账即可自动撤回，然后再检查",
                ),
                ErrorCode::ReadOnly => Error::input(
                    "read-only",
                    "台账文件是只读的，无法保存修改；请检查文件属性或是否已在另一窗口打开",
                ),
                ErrorCode::DiskFull => {
                    Error::fail("disk-full", "磁盘已满，修改未保存；请清理磁盘后重试")
                }
                ErrorCode::CannotOpen => Error::input(
                    "cannot-open",
                    "无法打开台账文件，请检查文件夹是否存在、是否有权限",
                ),
                ErrorCode::DatabaseCorrupt => Error::fail(
                    "corrupt",
                    "台账文件已损坏；请用“djtz restore 备份文件”从备份恢复",
                ),
                ErrorCode::ConstraintViolation => Error::input(
                    "constraint",
                    "数据不符合台账的约束（如名称重复、引用的记录不存在、金额超出范围），未保存",
                ),
                ErrorCode::SystemIoFailure => Error::fail(
                    "io",
                    "读写台账文件出错（磁盘故障、U 盘被拔出或网络盘断开），修改未保存；请检查后重试",
                ),
                ErrorCode::OutOfMemory => Error::fail(
                    "out-of-memory",
                    "内存不足，操作未完成；请关闭其他程序后重试",
                ),
                ErrorCode::PermissionDenied => Error::input(
                    "permission",
                    "没有权限读写台账文件；请检查文件和文件夹的权限",
                ),
                ErrorCode::TooBig => {
                    Error::input("too-big", "数据太大，超出台账能保存的范围，未保存")
                }
                ErrorCode::FileLockingProtocolFailed => Error::fail(
                    "locked",
                    "无法锁定台账文件（网络盘不支持？），请把台账放在本机磁盘上",
                ),
                _ => Error::fail(
                    "database",
                    format!(
                        "台账数据库操作失败（SQLite 错误码 {}），修改未保存；请运行 djtz check 检查台账",
                        f.extended_code
                    ),
                ),
            },
            rusqlite::Error::FromSqlConversionFailure(..)
            | rusqlite::Error::InvalidColumnType(..)
            | rusqlite::Error::Utf8Error(..)
            | rusqlite::Error::IntegralValueOutOfRange(..) => Error::fail(
                "bad-data",
                "台账中有无法识别的数据（可能已损坏或被其他程序改动）；请运行 djtz check 检查",
            ),
            rusqlite::Error::QueryReturnedNoRows => {
                Error::fail("not-found", "找不到要读取的记录（可能已被删除）")
            }
            _ => Error::fail(
                "database",
                "台账数据库操作失败（程序内部错误），修改未保存；请运行 djtz check 检查台账",
            ),
        }
    }
}

/// File errors in Chinese by their kind (the English text of the system
/// is left out).
impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::NotFound => Error::input("not-found", "文件或文件夹不存在"),
            ErrorKind::PermissionDenied => {
                Error::input("permission", "没有权限读写该文件（或文件正被其他程序占用）")
            }
            ErrorKind::StorageFull => Error::fail("disk-full", "磁盘已满，操作未完成"),
            ErrorKind::ReadOnlyFilesystem => {
                Error::input("read-only", "磁盘或 U 盘是只读的，无法写入")
            }
            ErrorKind::OutOfMemory => Error::fail(
                "out-of-memory",
                "内存不足，操作未完成；请关闭其他程序后重试",
            ),
            ErrorKind::BrokenPipe => Error::fail("closed-output", "输出已被关闭"),
            _ => Error::fail("io", "读写文件出错（磁盘故障或文件被移走）"),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(_: serde_json::Error) -> Self {
        Error::fail("json", "内部数据格式错误（记录内容无法读取）")
    }
}
