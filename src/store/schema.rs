//! The schema a ledger must have, and the check that a file has exactly
//! that: every table, column and index the program's migrations create for
//! the file's `user_version`, and nothing else — no trigger, no view, no
//! table of another program. Ledgers travel on USB sticks; a trigger hidden
//! in one would run inside every later save (issue 11: a backup whose
//! trigger doubled every expense and emptied the audit log).
//!
//! The expected schema is not a second copy of the SQL: it is built by
//! running the migrations themselves into an in-memory database, so it can
//! never drift from what `migrate` creates.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::migrate::MIGRATIONS;
use crate::error::{Error, Result};

/// One entry of `sqlite_master`: kind and name, the table it belongs to,
/// and its SQL with whitespace runs folded (None for automatic indexes).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    kind: String,
    table: String,
    sql: Option<String>,
}

type Schema = BTreeMap<(String, String), Entry>;

/// SQLite's own bookkeeping tables, which a database may gain without any
/// program asking for foreign schema (`ANALYZE` writes the statistics).
fn is_sqlite_internal(name: &str) -> bool {
    name.starts_with("sqlite_stat")
}

fn fold_space(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_schema(conn: &Connection) -> Result<Schema> {
    let mut st = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut out = Schema::new();
    for row in rows {
        let (kind, name, table, sql) = row?;
        if is_sqlite_internal(&name) {
            continue;
        }
        out.insert(
            (kind.clone(), name),
            Entry {
                kind,
                table,
                sql: sql.as_deref().map(fold_space),
            },
        );
    }
    Ok(out)
}

/// The schema migrations 1..=`version` create.
fn expected(version: i64) -> Result<Schema> {
    let conn = Connection::open_in_memory()?;
    for sql in MIGRATIONS.iter().take(version.max(0) as usize) {
        conn.execute_batch(sql)?;
    }
    read_schema(&conn)
}

fn kind_name(kind: &str) -> &'static str {
    match kind {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器",
        "view" => "视图",
        _ => "对象",
    }
}

/// What differs between the file's schema and the one the program creates
/// for the file's `user_version`, each as one Chinese line (empty: the
/// schema is the program's own).
pub(crate) fn problems(conn: &Connection, version: i64) -> Result<Vec<String>> {
    let want = expected(version)?;
    let have = read_schema(conn)?;
    let mut out = Vec::new();
    for ((kind, name), e) in &have {
        match want.get(&(kind.clone(), name.clone())) {
            None if kind == "trigger" || kind == "view" => out.push(format!(
                "有本程序没有建立的{} {name}（建在表 {} 上），它会在保存时悄悄改动数据",
                kind_name(kind),
                e.table
            )),
            None => out.push(format!("有本程序没有建立的{} {name}", kind_name(kind))),
            Some(w) if w.sql != e.sql || w.table != e.table => out.push(format!(
                "{} {name} 的结构与本程序建立的不同（被其他程序改动过）",
                kind_name(kind)
            )),
            Some(_) => {}
        }
    }
    for (kind, name) in want.keys() {
        if !have.contains_key(&(kind.clone(), name.clone())) {
            out.push(format!("缺少{} {name}", kind_name(kind)));
        }
    }
    Ok(out)
}

/// Refuses a file whose schema is not the program's own: one Chinese line
/// naming the first difference and how many there are.
pub(crate) fn ensure_own(conn: &Connection, version: i64, what: &str) -> Result<()> {
    let p = problems(conn, version)?;
    match p.first() {
        None => Ok(()),
        Some(first) => Err(Error::fail(
            "foreign-schema",
            format!(
                "{what}的结构不是本程序建立的：{first}{}；为防止数据被改动，拒绝使用，未做任何改动。请用可靠的备份恢复（djtz restore 备份文件）",
                if p.len() > 1 {
                    format!("（共 {} 处不同）", p.len())
                } else {
                    String::new()
                }
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            c.execute_batch(sql).unwrap();
        }
        c
    }

    #[test]
    fn the_programs_own_schema_passes() {
        let c = ledger();
        assert!(problems(&c, MIGRATIONS.len() as i64).unwrap().is_empty());
    }

    #[test]
    fn a_trigger_a_view_a_dropped_table_and_index_are_named() {
        let c = ledger();
        c.execute_batch(
            "CREATE TRIGGER t AFTER INSERT ON changes BEGIN DELETE FROM audit; END;
             CREATE VIEW v AS SELECT 1;
             DROP TABLE dues;
             DROP INDEX units_name;
             CREATE TABLE extra (x);",
        )
        .unwrap();
        let p = problems(&c, MIGRATIONS.len() as i64).unwrap().join("\n");
        for needle in [
            "触发器 t",
            "视图 v",
            "缺少表 dues",
            "缺少索引 units_name",
            "表 extra",
        ] {
            assert!(p.contains(needle), "{needle} not in {p}");
        }
    }

    #[test]
    fn an_altered_column_is_a_difference() {
        let c = ledger();
        c.execute_batch("ALTER TABLE units ADD COLUMN secret TEXT")
            .unwrap();
        let p = problems(&c, MIGRATIONS.len() as i64).unwrap();
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("表 units"));
    }

    #[test]
    fn an_older_version_is_compared_with_its_own_migrations() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(MIGRATIONS[0]).unwrap();
        assert!(problems(&c, 1).unwrap().is_empty());
        // Version 0 claims an empty file: tables there are foreign.
        assert!(!problems(&c, 0).unwrap().is_empty());
    }
}
