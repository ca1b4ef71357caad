//! Reading one sheet: where each column sits (`Header`), and one data row
//! read cell by cell by the reading rules of FORMATS.md (`Row`), every
//! problem recorded against its column.

use chrono::NaiveDate;

use crate::domain::dates::{Month, check_date_range, from_excel_serial, parse_date};
use crate::domain::enums::*;
use crate::domain::ids::normalize_mobile;
use crate::domain::money::{Fen, check_max, from_excel_number, parse_yuan};
use crate::domain::validate::Issues;
use crate::exchange::errors::ErrorList;
use crate::exchange::read::{self, Cell, Sheet};
use crate::exchange::spec::SheetSpec;

/// Where each spec column sits in the sheet (None = the column is absent).
pub(super) struct Header {
    pub(super) pos: Vec<Option<usize>>,
}

impl Header {
    pub(super) fn read(
        spec: &SheetSpec,
        sheet: &Sheet,
        errors: &mut ErrorList,
        notes: &mut Vec<String>,
    ) -> Option<Header> {
        let Some((hrow, cells)) = sheet.rows.first() else {
            errors.push(format!(
                "{}!1 表头: 这张表是空的，第 1 行应为表头",
                spec.name
            ));
            return None;
        };
        let mut pos = vec![None; spec.cols.len()];
        let mut ok = true;
        for (i, cell) in cells.iter().enumerate() {
            let raw = cell.text();
            let name = raw.trim_end_matches(['*', '＊']).trim();
            if name.is_empty() {
                continue;
            }
            match spec.cols.iter().position(|c| c.name == name) {
                Some(k) if pos[k].is_some() => {
                    errors.push(format!(
                        "{}!{hrow} {name}: 这一列出现了两次，请删去一列",
                        spec.name
                    ));
                    ok = false;
                }
                Some(k) => pos[k] = Some(i),
                None => notes.push(format!("{}!{hrow} {name}: 不认识的列，已忽略", spec.name)),
            }
        }
        for (k, col) in spec.cols.iter().enumerate() {
            if col.required && pos[k].is_none() {
                errors.push(format!(
                    "{}!{hrow} {}: 缺少必填列“{}”，整张表无法导入；表头应为：{}",
                    spec.name,
                    col.name,
                    col.name,
                    spec.cols
                        .iter()
                        .map(|c| c.name)
                        .collect::<Vec<_>>()
                        .join("、")
                ));
                ok = false;
            }
        }
        ok.then_some(Header { pos })
    }
}

/// One data row being read; every problem is recorded against its column.
pub(super) struct Row<'a> {
    spec: &'static SheetSpec,
    row: usize,
    cells: &'a [Cell],
    header: &'a Header,
    errors: &'a mut ErrorList,
    notes: &'a mut Vec<String>,
    pub(super) ok: bool,
}

impl<'a> Row<'a> {
    /// The reader of `row`; its problems go to `errors` and `notes`
    /// (borrowed apart from the rest of the plan).
    pub(super) fn new(
        errors: &'a mut ErrorList,
        notes: &'a mut Vec<String>,
        spec: &'static SheetSpec,
        header: &'a Header,
        row: &'a (usize, Vec<Cell>),
    ) -> Row<'a> {
        Row {
            spec,
            row: row.0,
            cells: &row.1,
            header,
            errors,
            notes,
            ok: true,
        }
    }

    fn index(&self, col: &str) -> Option<usize> {
        let k = self.spec.cols.iter().position(|c| c.name == col)?;
        self.header.pos[k]
    }

    /// Whether the sheet has the column at all.
    pub(super) fn has(&self, col: &str) -> bool {
        self.index(col).is_some()
    }

    pub(super) fn cell(&self, col: &str) -> &Cell {
        const EMPTY: Cell = Cell::Empty;
        match self.index(col) {
            Some(i) => self.cells.get(i).unwrap_or(&EMPTY),
            None => &EMPTY,
        }
    }

    pub(super) fn err(&mut self, col: &str, msg: impl std::fmt::Display) {
        self.errors
            .push(format!("{}!{} {col}: {msg}", self.spec.name, self.row));
        self.ok = false;
    }

    fn note(&mut self, col: &str, msg: impl std::fmt::Display) {
        self.notes
            .push(format!("{}!{} {col}: {msg}", self.spec.name, self.row));
    }

    pub(super) fn issues(&mut self, iss: Issues) {
        for e in iss.errors {
            self.err(e.field, e.message);
        }
        for w in iss.warnings {
            self.note(w.field, w.message);
        }
    }

    /// Text of a cell; an error value is an error.
    pub(super) fn text(&mut self, col: &str) -> String {
        match self.cell(col) {
            Cell::Bad(m) => {
                let m = m.clone();
                self.err(col, format!("单元格{m}，请改为文字"));
                String::new()
            }
            c => c.text(),
        }
    }

    pub(super) fn required_text(&mut self, col: &str) -> String {
        let t = self.text(col);
        if t.is_empty() && !matches!(self.cell(col), Cell::Bad(_)) {
            self.err(col, "必填，不能为空");
        }
        t
    }

    /// Sets `field` from the column when the sheet has it.
    pub(super) fn set_text(&mut self, col: &str, field: &mut String) {
        if self.has(col) {
            *field = self.text(col);
        }
    }

    /// A date in 1900-01-01 … 2100-12-31 (FORMATS.md): a date cell (its
    /// time of day, if any, dropped by the reader), a whole Excel serial,
    /// or text. A number with a fraction is a date and a time, not a date.
    pub(super) fn date(&mut self, col: &str) -> Option<NaiveDate> {
        let r = match self.cell(col) {
            Cell::Empty => return None,
            Cell::Date(d) => check_date_range(*d),
            Cell::Number(v) if v.is_finite() && v.fract() != 0.0 => Err(format!(
                "数字 {} 带小数（含时间），不是日期，请写成 2026-10-15",
                read::number_text(*v)
            )),
            Cell::Number(v) => from_excel_serial(*v).ok_or_else(|| {
                format!(
                    "数字 {} 不是 1900-01-01 至 2100-12-31 之间的 Excel 日期，请写成 2026-10-15",
                    read::number_text(*v)
                )
            }),
            Cell::Text(s) => parse_date(s),
            Cell::Bad(m) => Err(format!("单元格{m}，请写成 2026-10-15")),
        };
        match r {
            Ok(d) => Some(d),
            Err(e) => {
                self.err(col, e);
                None
            }
        }
    }

    pub(super) fn required_date(&mut self, col: &str) -> Option<NaiveDate> {
        if self.cell(col).is_empty() {
            self.err(col, "必填，不能为空，请写成 2026-10-15");
            return None;
        }
        self.date(col)
    }

    pub(super) fn set_date(&mut self, col: &str, field: &mut Option<NaiveDate>) {
        if self.has(col) {
            *field = self.date(col);
        }
    }

    pub(super) fn month(&mut self, col: &str) -> Option<Month> {
        let r = match self.cell(col) {
            Cell::Empty => Err("必填，不能为空，请写成 2026-10".to_string()),
            Cell::Date(d) => check_date_range(*d)
                .map(Month::of)
                .map_err(|e| e.replace("日期", "月份")),
            Cell::Number(v) => Month::parse(&read::number_text(*v)),
            Cell::Text(s) => Month::parse(s),
            Cell::Bad(m) => Err(format!("单元格{m}，请写成 2026-10")),
        };
        match r {
            Ok(m) => Some(m),
            Err(e) => {
                self.err(col, e);
                None
            }
        }
    }

    /// An amount of at most `max` fen (`MAX_ENTRY_FEN` for a fund entry,
    /// `MAX_DUES_FEN` for the dues columns).
    pub(super) fn money(&mut self, col: &str, max: i64) -> Option<Fen> {
        let r = match self.cell(col) {
            Cell::Empty => return None,
            Cell::Number(v) => from_excel_number(*v),
            Cell::Text(s) => parse_yuan(s),
            Cell::Date(d) => Err(format!("“{d}”是日期，不是金额，请填写元，如 1234.50")),
            Cell::Bad(m) => Err(format!("单元格{m}，请填写元，如 1234.50")),
        }
        .and_then(|f| check_max(f, max));
        match r {
            Ok(f) => Some(f),
            Err(e) => {
                self.err(col, e);
                None
            }
        }
    }

    pub(super) fn required_money(&mut self, col: &str, max: i64) -> Option<Fen> {
        if self.cell(col).is_empty() {
            self.err(col, "必填，不能为空，请填写元，如 1234.50（可以为 0）");
            return None;
        }
        self.money(col, max)
    }

    pub(super) fn int(&mut self, col: &str) -> Option<i64> {
        let r = match self.cell(col) {
            Cell::Empty => return None,
            Cell::Number(v) if v.fract() == 0.0 && v.abs() < 1e15 => Ok(*v as i64),
            Cell::Text(s) => s
                .replace(',', "")
                .parse::<i64>()
                .map_err(|_| format!("“{s}”不是整数，请填写如 12")),
            other => Err(format!("“{}”不是整数，请填写如 12", other.text())),
        };
        match r {
            Ok(n) => Some(n),
            Err(e) => {
                self.err(col, e);
                None
            }
        }
    }

    pub(super) fn yes_no(&mut self, col: &str) -> Option<bool> {
        let t = self.text(col);
        if t.is_empty() {
            return None;
        }
        match parse_yes_no(&t, col) {
            Ok(b) => Some(b),
            Err(e) => {
                self.err(col, e);
                None
            }
        }
    }

    pub(super) fn choice<T>(
        &mut self,
        col: &str,
        parse: fn(&str) -> std::result::Result<T, String>,
    ) -> Option<T> {
        let t = self.text(col);
        if t.is_empty() {
            return None;
        }
        match parse(&t) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(col, e);
                None
            }
        }
    }

    pub(super) fn required_choice<T>(
        &mut self,
        col: &str,
        parse: fn(&str) -> std::result::Result<T, String>,
    ) -> Option<T> {
        if self.cell(col).is_empty() {
            self.err(col, "必填，不能为空");
            return None;
        }
        self.choice(col, parse)
    }

    /// Sets an optional enum field when the sheet has the column.
    pub(super) fn set_choice<T>(
        &mut self,
        col: &str,
        field: &mut Option<T>,
        parse: fn(&str) -> std::result::Result<T, String>,
    ) {
        if self.has(col) {
            *field = self.choice(col, parse);
        }
    }

    pub(super) fn phone(&mut self, col: &str, field: &mut String) {
        if self.has(col) {
            let t = self.text(col);
            *field = if t.is_empty() {
                t
            } else {
                match normalize_mobile(&t) {
                    Ok(p) => p,
                    // Landlines and the like: kept as written, checked by
                    // the record's validation.
                    Err(_) => t,
                }
            };
        }
    }
}
