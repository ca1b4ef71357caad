//! The SQLite file header, read without SQLite: whether a file is a whole
//! database or a copy cut short. Used by the health check, the backups
//! (a backup is checked before it takes its name) and the opening of a
//! ledger; it depends on nothing else in the store.

use std::io::Read;
use std::path::Path;

/// The SQLite header of a file: `Ok(None)` when it is whole, else why not.
/// Catches a copy cut short (a USB stick pulled out) before SQLite reads
/// zeros where pages should be: the file length must be a whole number of
/// pages, and the page count the header records (when SQLite marks it
/// valid) must match it.
pub fn header_problem(path: &Path) -> std::io::Result<Option<String>> {
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(Some("文件是空的（0 字节）".to_string()));
    }
    let head = head_bytes(&mut f, 100)?;
    if head.len() < 100 || &head[..16] != b"SQLite format 3\0" {
        return Ok(Some("不是 SQLite 数据库文件".to_string()));
    }
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536u64,
        p if p >= 512 && p.is_power_of_two() => u64::from(p),
        _ => return Ok(Some("文件头已损坏（页大小无效）".to_string())),
    };
    if len % page_size != 0 {
        return Ok(Some(format!(
            "文件长度 {len} 字节不是页大小 {page_size} 的整数倍，文件不完整（复制中断或被截断）"
        )));
    }
    let counter = u32::from_be_bytes([head[24], head[25], head[26], head[27]]);
    let pages = u32::from_be_bytes([head[28], head[29], head[30], head[31]]);
    let valid_for = u32::from_be_bytes([head[92], head[93], head[94], head[95]]);
    if pages > 0 && valid_for == counter && u64::from(pages) * page_size != len {
        return Ok(Some(format!(
            "文件应有 {pages} 页，实际只有 {} 页，文件不完整（复制中断或被截断）",
            len / page_size
        )));
    }
    Ok(None)
}

/// The first `n` bytes of `f` (fewer when it is shorter).
pub(super) fn head_bytes(f: &mut std::fs::File, n: usize) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n);
    f.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}
