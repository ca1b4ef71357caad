//! The type and range of every stored value, checked the way `restore` and
//! `check` must before a file is trusted: SQLite stores any value in any
//! column (a CHECK constraint is not enforced on a file someone else
//! wrote), so text in a money column, an invalid UTF-8 name, a date that
//! does not exist or an amount beyond reason would otherwise reach the
//! report as a wrong figure or an `integer overflow`.
//!
//! One declaration per column of the schema (`TABLES`); a test keeps it
//! equal to the schema the migrations create.

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::domain::dates::Month;
use crate::domain::enums::*;
use crate::domain::money::{MAX_DUES_FEN, MAX_ENTRY_FEN};
use crate::error::Result;

/// What a column may hold.
#[derive(Clone, Copy)]
enum Col {
    /// The row id: an integer > 0.
    Id,
    /// The id of another row (foreign_key_check tests it exists).
    Ref,
    /// Any whole number (an audit's record id, a range of ids).
    Int,
    /// Text, valid UTF-8.
    Text,
    /// One of the labels of an enumeration.
    Enum(fn() -> Vec<&'static str>),
    /// 0 or 1.
    Bool,
    /// A whole number ≥ 0.
    Count,
    /// Integer fen within a range.
    Money(i64, i64),
    /// An ISO date 1900-01-01 … 2100-12-31.
    Date,
    /// A month `YYYY-MM`.
    Month,
    /// A time stamp `YYYY-MM-DD HH:MM:SS`.
    Stamp,
    /// JSON text.
    Json,
    /// A year 1900 … 2100.
    Year,
    /// The set of meeting kinds as bits (1 … 127).
    Kinds,
}

/// A column: name, kind, whether NULL is allowed.
type Column = (&'static str, Col, bool);

const NULL: bool = true;
const REQ: bool = false;

fn change_kinds() -> Vec<&'static str> {
    vec!["edit", "import", "demo", "undo", "redo"]
}
fn audit_actions() -> Vec<&'static str> {
    vec!["insert", "update", "void", "restore", "purge"]
}
fn table_names() -> Vec<&'static str> {
    TABLES.iter().map(|(t, _)| *t).collect()
}
fn report_formats() -> Vec<&'static str> {
    vec!["txt", "csv", "html", "json", "xlsx", "pdf"]
}

const VOIDED: Column = ("voided_at", Col::Stamp, NULL);

/// Every table and column of the schema, in schema order.
const TABLES: &[(&str, &[Column])] = &[
    (
        "units",
        &[
            ("id", Col::Id, REQ),
            ("name", Col::Text, REQ),
            ("credit_code", Col::Text, REQ),
            ("kind", Col::Enum(UnitKind::labels), REQ),
            ("industry", Col::Text, REQ),
            ("village", Col::Text, REQ),
            ("address", Col::Text, REQ),
            ("investor", Col::Text, REQ),
            ("contact", Col::Text, REQ),
            ("phone", Col::Text, REQ),
            ("employees", Col::Count, NULL),
            ("status", Col::Enum(UnitStatus::labels), REQ),
            ("has_union", Col::Bool, NULL),
            ("has_league", Col::Bool, NULL),
            ("has_women", Col::Bool, NULL),
            ("no_org_reason", Col::Text, REQ),
            ("needs", Col::Text, REQ),
            ("note", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "party_orgs",
        &[
            ("id", Col::Id, REQ),
            ("name", Col::Text, REQ),
            ("org_type", Col::Enum(OrgType::labels), REQ),
            ("formation", Col::Enum(Formation::labels), REQ),
            ("parent_id", Col::Ref, NULL),
            ("established", Col::Date, REQ),
            ("dissolved", Col::Date, NULL),
            ("elected", Col::Date, NULL),
            ("secretary", Col::Text, REQ),
            ("has_committee", Col::Bool, REQ),
            ("group_count", Col::Count, REQ),
            ("note", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "coverages",
        &[
            ("id", Col::Id, REQ),
            ("org_id", Col::Ref, REQ),
            ("unit_id", Col::Ref, REQ),
            ("from_date", Col::Date, REQ),
            ("to_date", Col::Date, NULL),
            VOIDED,
        ],
    ),
    (
        "members",
        &[
            ("id", Col::Id, REQ),
            ("name", Col::Text, REQ),
            ("gender", Col::Enum(Gender::labels), NULL),
            ("birth", Col::Date, NULL),
            ("id_number", Col::Text, REQ),
            ("phone", Col::Text, REQ),
            ("org_id", Col::Ref, REQ),
            ("unit_id", Col::Ref, NULL),
            ("category", Col::Enum(MemberCategory::labels), REQ),
            ("joined", Col::Date, NULL),
            ("confirmed", Col::Date, NULL),
            ("status", Col::Enum(MemberStatus::labels), REQ),
            ("left_date", Col::Date, NULL),
            ("floating", Col::Bool, REQ),
            ("reported", Col::Date, NULL),
            ("new_employment", Col::Enum(NewEmployment::labels), NULL),
            ("party_post", Col::Enum(PartyPost::labels), NULL),
            ("note", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "instructors",
        &[
            ("id", Col::Id, REQ),
            ("name", Col::Text, REQ),
            ("gender", Col::Enum(Gender::labels), NULL),
            ("phone", Col::Text, REQ),
            ("source", Col::Enum(InstructorSource::labels), REQ),
            ("workplace", Col::Text, REQ),
            ("appointed", Col::Date, REQ),
            ("left_date", Col::Date, NULL),
            ("note", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "assignments",
        &[
            ("id", Col::Id, REQ),
            ("instructor_id", Col::Ref, REQ),
            ("unit_id", Col::Ref, REQ),
            ("start_date", Col::Date, REQ),
            ("end_date", Col::Date, NULL),
            VOIDED,
        ],
    ),
    (
        "visits",
        &[
            ("id", Col::Id, REQ),
            ("instructor_id", Col::Ref, REQ),
            ("unit_id", Col::Ref, REQ),
            ("date", Col::Date, REQ),
            ("mode", Col::Enum(VisitMode::labels), REQ),
            ("content", Col::Text, REQ),
            ("problems", Col::Text, REQ),
            ("resolved", Col::Bool, NULL),
            VOIDED,
        ],
    ),
    (
        "assessments",
        &[
            ("id", Col::Id, REQ),
            ("instructor_id", Col::Ref, REQ),
            ("year", Col::Year, REQ),
            ("grade", Col::Enum(Assessment::labels), REQ),
            ("note", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "meetings",
        &[
            ("id", Col::Id, REQ),
            ("org_id", Col::Ref, REQ),
            ("kinds", Col::Kinds, REQ),
            ("date", Col::Date, REQ),
            ("place", Col::Text, REQ),
            ("host", Col::Text, REQ),
            ("recorder", Col::Text, REQ),
            ("lecturer", Col::Text, REQ),
            ("topic", Col::Text, REQ),
            ("summary", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "attendance",
        &[
            ("meeting_id", Col::Ref, REQ),
            ("member_id", Col::Ref, REQ),
            ("status", Col::Enum(AttendStatus::labels), REQ),
            ("reason", Col::Text, REQ),
        ],
    ),
    (
        "fund_entries",
        &[
            ("id", Col::Id, REQ),
            ("date", Col::Date, REQ),
            ("org_id", Col::Ref, NULL),
            ("direction", Col::Enum(FundDirection::labels), REQ),
            ("category", Col::Enum(FundCategory::labels), REQ),
            ("amount", Col::Money(1, MAX_ENTRY_FEN), REQ),
            ("voucher", Col::Text, REQ),
            ("handler", Col::Text, REQ),
            ("summary", Col::Text, REQ),
            VOIDED,
        ],
    ),
    (
        "dues",
        &[
            ("id", Col::Id, REQ),
            ("month", Col::Month, REQ),
            ("member_id", Col::Ref, REQ),
            ("org_id", Col::Ref, REQ),
            ("base", Col::Money(0, MAX_DUES_FEN), NULL),
            ("person_type", Col::Enum(PersonType::labels), NULL),
            ("due", Col::Money(0, MAX_DUES_FEN), REQ),
            ("due_manual", Col::Bool, REQ),
            ("paid", Col::Money(0, MAX_DUES_FEN), REQ),
            ("paid_date", Col::Date, NULL),
            VOIDED,
        ],
    ),
    (
        "settings",
        &[("key", Col::Text, REQ), ("value", Col::Text, REQ)],
    ),
    (
        "changes",
        &[
            ("id", Col::Id, REQ),
            ("at", Col::Stamp, REQ),
            ("kind", Col::Enum(change_kinds), REQ),
            ("description", Col::Text, REQ),
            ("reverts", Col::Ref, NULL),
            ("reverted_by", Col::Ref, NULL),
        ],
    ),
    (
        "audit",
        &[
            ("id", Col::Id, REQ),
            ("change_id", Col::Ref, REQ),
            ("at", Col::Stamp, REQ),
            ("action", Col::Enum(audit_actions), REQ),
            ("table_name", Col::Enum(table_names), REQ),
            ("record_id", Col::Int, REQ),
            ("before", Col::Json, NULL),
            ("after", Col::Json, NULL),
            VOIDED,
        ],
    ),
    (
        "drafts",
        &[
            ("key", Col::Text, REQ),
            ("json", Col::Json, REQ),
            ("saved_at", Col::Stamp, REQ),
        ],
    ),
    (
        "issued_reports",
        &[
            ("id", Col::Id, REQ),
            ("month", Col::Month, REQ),
            ("format", Col::Enum(report_formats), REQ),
            ("issued_at", Col::Stamp, REQ),
            ("json", Col::Json, REQ),
        ],
    ),
    (
        "inserted_ranges",
        &[
            ("change_id", Col::Ref, REQ),
            ("table_name", Col::Enum(table_names), REQ),
            ("first_id", Col::Int, REQ),
            ("last_id", Col::Int, REQ),
        ],
    ),
];

fn date_ok(s: &str) -> bool {
    s.len() == 10
        && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok_and(|d| {
            d.format("%Y-%m-%d").to_string() == s
                && (1900..=2100).contains(&chrono::Datelike::year(&d))
        })
}

fn yuan(fen: i64) -> String {
    crate::domain::money::Fen(fen).yuan_grouped()
}

/// Why a value does not fit its column, or None when it does.
fn fault(col: Col, nullable: bool, v: ValueRef<'_>) -> Option<String> {
    let text = |v: ValueRef<'_>| -> std::result::Result<String, String> {
        match v {
            ValueRef::Text(b) => std::str::from_utf8(b)
                .map(str::to_string)
                .map_err(|_| "文字不是有效的 UTF-8 编码（乱码）".to_string()),
            _ => Err(format!("应为文字，却是{}", type_name(v))),
        }
    };
    let int = |v: ValueRef<'_>| -> std::result::Result<i64, String> {
        match v {
            ValueRef::Integer(i) => Ok(i),
            _ => Err(format!("应为整数，却是{}", type_name(v))),
        }
    };
    if matches!(v, ValueRef::Null) {
        return if nullable {
            None
        } else {
            Some("不能为空，却是空值".to_string())
        };
    }
    let r: std::result::Result<(), String> = (|| match col {
        Col::Id => match int(v)? {
            i if i > 0 => Ok(()),
            i => Err(format!("编号 {i} 无效")),
        },
        Col::Ref | Col::Int => int(v).map(|_| ()),
        Col::Count => match int(v)? {
            i if i >= 0 => Ok(()),
            i => Err(format!("应为非负整数，却是 {i}")),
        },
        Col::Bool => match int(v)? {
            0 | 1 => Ok(()),
            i => Err(format!("应为 0 或 1，却是 {i}")),
        },
        Col::Year => match int(v)? {
            1900..=2100 => Ok(()),
            i => Err(format!("年份 {i} 超出 1900～2100")),
        },
        Col::Kinds => match int(v)? {
            1..=127 => Ok(()),
            i => Err(format!("会议类型代码 {i} 无效")),
        },
        Col::Money(lo, hi) => match int(v)? {
            i if (lo..=hi).contains(&i) => Ok(()),
            i => Err(format!(
                "金额 {} 元超出合理范围（{}～{} 元）",
                yuan(i),
                yuan(lo),
                yuan(hi)
            )),
        },
        Col::Text => text(v).map(|_| ()),
        Col::Enum(labels) => {
            let s = text(v)?;
            if labels().contains(&s.as_str()) {
                Ok(())
            } else {
                Err(format!("“{}”不是可选值", cut(&s)))
            }
        }
        Col::Date => {
            let s = text(v)?;
            if date_ok(&s) {
                Ok(())
            } else {
                Err(format!("“{}”不是 1900～2100 年间的有效日期", cut(&s)))
            }
        }
        Col::Month => {
            let s = text(v)?;
            match Month::parse(&s) {
                Ok(m) if m.to_string() == s && date_ok(&format!("{s}-01")) => Ok(()),
                _ => Err(format!("“{}”不是有效的月份", cut(&s))),
            }
        }
        Col::Stamp => {
            let s = text(v)?;
            match chrono::NaiveDateTime::parse_from_str(&s, "%Y-%m-%d %H:%M:%S") {
                Ok(_) => Ok(()),
                Err(_) => Err(format!("“{}”不是有效的时间", cut(&s))),
            }
        }
        Col::Json => {
            let s = text(v)?;
            match serde_json::from_str::<serde::de::IgnoredAny>(&s) {
                Ok(_) => Ok(()),
                Err(_) => Err("记录内容（JSON）已损坏".to_string()),
            }
        }
    })();
    r.err()
}

fn type_name(v: ValueRef<'_>) -> &'static str {
    match v {
        ValueRef::Null => "空值",
        ValueRef::Integer(_) => "整数",
        ValueRef::Real(_) => "小数",
        ValueRef::Text(_) => "文字",
        ValueRef::Blob(_) => "二进制数据",
    }
}

/// A value quoted in a message: at most 20 characters.
fn cut(s: &str) -> String {
    let mut out: String = s.chars().take(20).collect();
    if s.chars().count() > 20 {
        out.push('…');
    }
    out
}

/// Problems listed in full; beyond this many, only counted.
pub const LISTED: usize = 200;

/// Every value that does not fit its column, as Chinese lines
/// (`表 dues 第 12 行 paid：…`), at most `LISTED` of them, and the count of
/// all. The schema must be the program's own (see `schema`).
pub(crate) fn problems(conn: &Connection) -> Result<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let mut total = 0usize;
    for (table, cols) in TABLES {
        let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
        let sql = format!("SELECT rowid, {} FROM {table}", names.join(", "));
        // WITHOUT ROWID tables (attendance) have no rowid: number rows instead.
        let sql = if *table == "attendance" {
            format!("SELECT 0, {} FROM {table}", names.join(", "))
        } else {
            sql
        };
        let mut st = conn.prepare(&sql)?;
        let mut rows = st.query([])?;
        let mut n = 0i64;
        while let Some(row) = rows.next()? {
            n += 1;
            for (i, (name, col, nullable)) in cols.iter().enumerate() {
                let v = row.get_ref(i + 1)?;
                if let Some(why) = fault(*col, *nullable, v) {
                    total += 1;
                    if out.len() < LISTED {
                        let at = match row.get_ref(0)? {
                            ValueRef::Integer(id) if id > 0 => format!("第 {id} 行"),
                            _ => format!("第 {n} 条"),
                        };
                        out.push(format!("表 {table} {at} {name}：{why}"));
                    }
                }
            }
        }
    }
    Ok((out, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::migrate::MIGRATIONS;

    fn ledger() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        for sql in MIGRATIONS {
            c.execute_batch(sql).unwrap();
        }
        c
    }

    #[test]
    fn every_column_of_the_schema_is_declared_in_order() {
        let c = ledger();
        let mut st = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap();
        let tables: Vec<String> = st
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut declared: Vec<&str> = TABLES.iter().map(|t| t.0).collect();
        declared.sort_unstable();
        assert_eq!(tables, declared);
        for (table, cols) in TABLES {
            let mut st = c.prepare(&format!("PRAGMA table_info({table})")).unwrap();
            let names: Vec<String> = st
                .query_map([], |r| r.get(1))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let want: Vec<&str> = cols.iter().map(|c| c.0).collect();
            assert_eq!(names, want, "columns of {table}");
        }
    }

    #[test]
    fn values_that_do_not_fit_are_found() {
        let c = ledger();
        c.execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             INSERT INTO fund_entries (id, date, direction, category, amount)
                 VALUES (1, '2026-10-01', '支出', '组织活动', 'abc');
             INSERT INTO fund_entries (id, date, direction, category, amount)
                 VALUES (2, '2026-02-30', '支出', '组织活动', 9223372036854775807);
             INSERT INTO fund_entries (id, date, direction, category, amount)
                 VALUES (3, '2026-10-01', '开支', '组织活动', 100);
             INSERT INTO units (id, name, kind) VALUES (1, CAST(X'E4B8' AS TEXT), '非公企业');",
        )
        .unwrap();
        let (p, total) = problems(&c).unwrap();
        let all = p.join("\n");
        assert_eq!(total, 5, "{all}");
        assert!(
            all.contains("表 fund_entries 第 1 行 amount：应为整数，却是文字"),
            "{all}"
        );
        assert!(all.contains("第 2 行 date"), "{all}");
        assert!(all.contains("第 2 行 amount：金额"), "{all}");
        assert!(all.contains("第 3 行 direction：“开支”不是可选值"), "{all}");
        assert!(
            all.contains("表 units 第 1 行 name：文字不是有效的 UTF-8"),
            "{all}"
        );
    }

    #[test]
    fn a_clean_ledger_has_no_problem() {
        let c = ledger();
        c.execute_batch(
            "INSERT INTO fund_entries (id, date, direction, category, amount)
                 VALUES (1, '2026-10-01', '支出', '组织活动', 1234);",
        )
        .unwrap();
        assert_eq!(problems(&c).unwrap(), (vec![], 0));
    }
}
