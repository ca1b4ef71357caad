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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.message, self.code)
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            match f.code {
                ErrorCode::NotADatabase => {
                    return Error::input(
                        "not-a-ledger",
                        "这个文件不是党建台账数据库（不是 SQLite 文件），请检查文件路径",
                    );
                }
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return Error::fail(
                        "locked",
                        "台账文件正被另一个程序使用，请稍后再试或关闭其他程序",
                    );
                }
                ErrorCode::ReadOnly => {
                    return Error::input(
                        "read-only",
                        "台账文件是只读的，无法保存修改；请检查文件属性或是否已在另一窗口打开",
                    );
                }
                ErrorCode::DiskFull => {
                    return Error::fail("disk-full", "磁盘已满，修改未保存；请清理磁盘后重试");
                }
                ErrorCode::CannotOpen => {
                    return Error::input(
                        "cannot-open",
                        "无法打开台账文件，请检查文件夹是否存在、是否有权限",
                    );
                }
                ErrorCode::DatabaseCorrupt => {
                    return Error::fail(
                        "corrupt",
                        "台账文件已损坏；请用“djtz restore 备份文件”从备份恢复",
                    );
                }
                ErrorCode::ConstraintViolation => {
                    return Error::input("constraint", format!("数据不符合约束，未保存：{e}"));
                }
                _ => {}
            }
        }
        Error::fail("database", format!("数据库错误：{e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind;
        match e.kind() {
            ErrorKind::NotFound => Error::input("not-found", format!("文件或文件夹不存在：{e}")),
            ErrorKind::PermissionDenied => {
                Error::input("permission", format!("没有权限读写该文件：{e}"))
            }
            _ => Error::fail("io", format!("读写文件出错：{e}")),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::fail("json", format!("内部数据格式错误：{e}"))
    }
}
