//! Paged list queries with a total count and a text filter, so no screen
//! ever loads a whole table.

use std::cell::RefCell;
use std::rc::Rc;

use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Store;
use super::record::{Record, select_sql};
use crate::error::Result;

/// What a list shows: the filter typed, the window, the sort column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageQuery {
    /// Text typed in the filter; matched against the kind's text columns.
    pub filter: String,
    /// Extra SQL condition with `?` parameters, built only by our own code
    /// (screens' fixed filters such as "org_id = ?").
    pub condition: Option<(String, Vec<Value>)>,
    pub offset: i64,
    pub limit: i64,
    /// A column of `R::COLUMNS` (anything else is ignored) and descending.
    pub sort: Option<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Page<R> {
    pub rows: Vec<R>,
    /// Rows matching the filter (not just this page).
    pub total: i64,
    pub offset: i64,
}

/// The text columns a filter looks at, per table.
fn search_columns(table: &str) -> &'static [&'static str] {
    match table {
        "units" => &["name", "village", "industry", "investor", "credit_code"],
        "party_orgs" => &["name", "secretary"],
        "members" => &["name", "id_number", "phone"],
        "instructors" => &["name", "workplace", "phone"],
        "visits" => &["content", "problems"],
        "meetings" => &["topic", "place", "host"],
        "fund_entries" => &["summary", "category", "voucher", "handler"],
        _ => &[],
    }
}

/// Separates the search columns joined for one `djtz_match` call: a
/// control character nobody types, so no match can span two columns.
const JOIN: &str = "char(31)";

/// The ids matching the last filtered query, in list order, and what they
/// were read for: the query's SQL and arguments, and the data they were
/// read from (`total_changes` of this connection, `PRAGMA data_version`
/// for other connections' writes). Paging through a filtered list reads
/// them once.
#[derive(Default)]
pub(crate) struct FilterCache(RefCell<Option<Filtered>>);

struct Filtered {
    key: String,
    stamp: (u64, i64),
    ids: Rc<Vec<i64>>,
}

/// The filter condition for `cols` and the argument it binds: a plain
/// substring (`instr`, in SQLite) when the folded query has no ASCII
/// letter (Chinese, digits: no pinyin can match), else one `djtz_match`
/// call over the columns joined. Same results as `matches_filter` per
/// column.
fn filter_condition(filter: &str, cols: &[&str], n: usize) -> Option<(String, Value)> {
    let folded = crate::domain::text::fold_fullwidth(filter)
        .trim()
        .to_lowercase();
    if folded.is_empty() {
        return None;
    }
    if folded.bytes().any(|b| b.is_ascii_alphabetic()) {
        let joined: Vec<String> = cols.iter().map(|c| format!("coalesce({c}, '')")).collect();
        let sep = format!(" || {JOIN} || ");
        Some((
            format!("djtz_match(?{n}, {})", joined.join(&sep)),
            Value::Text(filter.to_string()),
        ))
    } else {
        let ors: Vec<String> = cols
            .iter()
            .map(|c| format!("instr({c}, ?{n}) > 0"))
            .collect();
        Some((format!("({})", ors.join(" OR ")), Value::Text(folded)))
    }
}

/// Registers `djtz_match(query, text)`: true when `text` contains `query`
/// (case-insensitive). The TUI's pinyin matching plugs in here.
pub fn register_functions(conn: &Connection) -> Result<()> {
    conn.create_scalar_function(
        "djtz_match",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let q: String = ctx.get(0)?;
            let t: Option<String> = ctx.get(1)?;
            Ok(t.is_some_and(|t| crate::domain::search::matches_filter(&q, &t)))
        },
    )?;
    Ok(())
}

impl Store {
    /// One page of live records of a kind.
    pub fn page<R: Record>(&self, q: &PageQuery) -> Result<Page<R>> {
        let mut conds = vec!["voided_at IS NULL".to_string()];
        let mut args: Vec<Value> = Vec::new();
        let filter = q.filter.trim();
        let mut filtered = false;
        if !filter.is_empty()
            && let Some((cond, arg)) =
                filter_condition(filter, search_columns(R::TABLE), args.len() + 1)
        {
            args.push(arg);
            conds.push(cond);
            filtered = true;
        }
        if let Some((cond, vals)) = &q.condition {
            // Our own conditions use plain `?`; renumber them after the filter.
            let mut out = String::new();
            for ch in cond.chars() {
                if ch == '?' {
                    args.push(Value::Null);
                    out.push_str(&format!("?{}", args.len()));
                } else {
                    out.push(ch);
                }
            }
            let start = args.len() - vals.len();
            for (i, v) in vals.iter().enumerate() {
                args[start + i] = v.clone();
            }
            conds.push(format!("({out})"));
        }
        let where_sql = conds.join(" AND ");
        let order = match &q.sort {
            Some((col, desc)) if R::COLUMNS.contains(&col.as_str()) => {
                format!("{col} {}, id", if *desc { "DESC" } else { "ASC" })
            }
            _ => "id".to_string(),
        };
        let limit = if q.limit <= 0 { 100 } else { q.limit };
        if filtered {
            return self.page_by_ids(&where_sql, &args, &order, q.offset.max(0), limit);
        }
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM {} WHERE {where_sql}", R::TABLE),
            params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let sql = format!(
            "{} WHERE {where_sql} ORDER BY {order} LIMIT {limit} OFFSET {}",
            select_sql::<R>(),
            q.offset.max(0)
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows: Vec<R> = st
            .query_map(params_from_iter(args.iter()), |r| R::from_row(r))?
            .collect::<rusqlite::Result<_>>()?;
        for r in &mut rows {
            r.load_children(&self.conn)?;
        }
        Ok(Page {
            rows,
            total,
            offset: q.offset.max(0),
        })
    }

    /// A filtered page: the matching ids are read once per query (one pass
    /// of the filter over the table, not one for the count and one for the
    /// page) and kept while the data is unchanged; the page's rows are then
    /// read by id.
    fn page_by_ids<R: Record>(
        &self,
        where_sql: &str,
        args: &[Value],
        order: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Page<R>> {
        let key = format!("{}|{where_sql}|{order}|{args:?}", R::TABLE);
        let version: i64 = self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?;
        let stamp = (self.conn.total_changes(), version);
        let cached = match &*self.filtered.0.borrow() {
            Some(f) if f.key == key && f.stamp == stamp => Some(f.ids.clone()),
            _ => None,
        };
        let ids = match cached {
            Some(ids) => ids,
            None => {
                let sql = format!(
                    "SELECT id FROM {} WHERE {where_sql} ORDER BY {order}",
                    R::TABLE
                );
                let mut st = self.conn.prepare_cached(&sql)?;
                let ids: Vec<i64> = st
                    .query_map(params_from_iter(args.iter()), |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                let ids = Rc::new(ids);
                *self.filtered.0.borrow_mut() = Some(Filtered {
                    key,
                    stamp,
                    ids: ids.clone(),
                });
                ids
            }
        };
        let from = (offset as usize).min(ids.len());
        let to = (from + limit as usize).min(ids.len());
        let want = &ids[from..to];
        let mut rows: Vec<R> = Vec::with_capacity(want.len());
        if !want.is_empty() {
            let list: Vec<String> = want.iter().map(|i| i.to_string()).collect();
            let sql = format!("{} WHERE id IN ({})", select_sql::<R>(), list.join(","));
            let mut st = self.conn.prepare(&sql)?;
            let mut got: Vec<R> = st
                .query_map([], |r| R::from_row(r))?
                .collect::<rusqlite::Result<_>>()?;
            let pos: std::collections::HashMap<i64, usize> =
                want.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            got.sort_by_key(|r| pos.get(&r.id()).copied().unwrap_or(usize::MAX));
            rows = got;
        }
        for r in &mut rows {
            r.load_children(&self.conn)?;
        }
        Ok(Page {
            rows,
            total: ids.len() as i64,
            offset,
        })
    }
}
