//! Whether a ledger file can be trusted: its header (a truncated copy), the
//! full integrity check, the schema (see `schema`), the references between
//! records, and the type and range of every value (see `content`). `check`
//! runs it on the ledger, `restore` on a backup before anything is
//! replaced.

use rusqlite::Connection;

pub use super::header::header_problem;
use super::{content, schema};
use crate::error::Result;

/// What is wrong with a file: the problems listed (at most
/// `content::LISTED`) and how many there are in all.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems {
    pub lines: Vec<String>,
    pub total: usize,
}

impl Problems {
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    fn push(&mut self, line: String) {
        self.total += 1;
        if self.lines.len() < content::LISTED {
            self.lines.push(line);
        }
    }

    fn one(line: String) -> Problems {
        let mut p = Problems::default();
        p.push(line);
        p
    }

    /// The first problem, with the count of the others, for one line.
    pub fn summary(&self) -> String {
        match (self.lines.first(), self.total) {
            (None, _) => String::new(),
            (Some(f), 1) => f.clone(),
            (Some(f), n) => format!("{f}（共 {n} 处问题）"),
        }
    }
}

/// One line of `PRAGMA integrity_check` in Chinese: SQLite reports in
/// English; the clerk gets what is broken and where, without it.
fn integrity_line(line: &str) -> String {
    let line = line.trim_start_matches("*** in database main ***").trim();
    let words: Vec<&str> = line.split_whitespace().collect();
    let after = |w: &str| {
        words
            .iter()
            .position(|x| x.trim_end_matches(':') == w)
            .and_then(|i| words.get(i + 1))
            .map(|s| s.trim_end_matches([':', ',']).to_string())
    };
    if line.starts_with("row ") && line.contains("missing from index") {
        let row = after("row").unwrap_or_default();
        let index = words.last().copied().unwrap_or_default();
        return format!("数据库结构损坏：索引 {index} 缺少第 {row} 行");
    }
    if line.starts_with("wrong # of entries in index") {
        let index = words.last().copied().unwrap_or_default();
        return format!("数据库结构损坏：索引 {index} 的条目数不对");
    }
    if line.starts_with("NULL value in") {
        let at = words.get(3).copied().unwrap_or_default();
        return format!("数据库结构损坏：{at} 有不应有的空值");
    }
    if line.starts_with("CHECK constraint failed in") {
        let at = words.last().copied().unwrap_or_default();
        return format!("数据库结构损坏：表 {at} 有不符合约束的数据");
    }
    if line.contains("non-unique entry in index") {
        let index = words.last().copied().unwrap_or_default();
        return format!("数据库结构损坏：唯一索引 {index} 有重复条目");
    }
    match after("Page").or_else(|| after("page")) {
        Some(p) => format!("数据库结构损坏：第 {p} 页已损坏"),
        None => "数据库结构损坏：内部页面或索引不一致".to_string(),
    }
}

fn integrity(conn: &Connection, out: &mut Problems) -> Result<()> {
    let mut st = conn.prepare("PRAGMA integrity_check(100)")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let line: String = r.get(0)?;
        if line != "ok" {
            out.push(integrity_line(&line));
        }
    }
    Ok(())
}

fn references(conn: &Connection, out: &mut Problems) -> Result<()> {
    let mut st = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        out.push(match rowid {
            Some(id) => format!("表 {table} 第 {id} 行引用的 {parent} 记录不存在"),
            None => format!("表 {table} 中有一行引用的 {parent} 记录不存在"),
        });
    }
    Ok(())
}

/// Every problem of an open ledger file at schema `version`. A check that
/// cannot even run (the file is too damaged) is itself the problem.
pub(crate) fn problems(conn: &Connection, version: i64) -> Problems {
    let mut out = Problems::default();
    let damaged = |e: crate::error::Error| Problems::one(format!("无法读取：{}", e.message));
    if let Err(e) = integrity(conn, &mut out) {
        return damaged(e);
    }
    if !out.is_empty() {
        // Later checks would read garbage.
        return out;
    }
    match schema::problems(conn, version) {
        Ok(p) => {
            for line in p {
                out.push(line);
            }
        }
        Err(e) => return damaged(e),
    }
    if !out.is_empty() {
        return out;
    }
    if let Err(e) = references(conn, &mut out) {
        return damaged(e);
    }
    match content::problems(conn) {
        Ok((lines, total)) => {
            let before = out.total;
            for line in lines {
                out.push(line);
            }
            // Those counted but not listed by `content`.
            out.total = before + total;
        }
        Err(e) => return damaged(e),
    }
    out
}
