//! Turning the rows of a workbook into records: every reading rule of
//! FORMATS.md, references by name, update-not-duplicate, and all or
//! nothing.
//!
//! Phase 1 (`plan`) reads every sheet into planned inserts, updates and
//! voids without touching the ledger, collecting every error. New records
//! get placeholder ids (negative) so later sheets can refer to them.
//! Phase 2 (`apply`) runs only when there is no error: one `Import` change,
//! placeholders replaced by the real ids as records are inserted.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use super::errors::ErrorList;
use super::read::{self, Book, Cell, Sheet, Workbook};
use super::settings_sheet::SETTINGS;
use super::settings_sheet::{SettingsChoice, SettingsPlan, is_settings_sheet};
pub use super::spec::SheetSummary;
use super::spec::{self, SheetSpec};
use crate::domain::dates::{Month, check_date_range, from_excel_serial, parse_date};
use crate::domain::dues::standard_due;
use crate::domain::enums::*;
use crate::domain::ids::{normalize_mobile, validate_id_number};
use crate::domain::money::{
    Fen, MAX_DUES_FEN, MAX_ENTRY_FEN, check_max, from_excel_number, parse_yuan,
};
use crate::domain::records::*;
use crate::domain::text::split_list;
use crate::domain::validate::{self, Issues};
use crate::error::{Error, Result};
use crate::store::{Change, ChangeKind, Record, Store};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// For a CSV file: the sheet it holds (else taken from the file name).
    /// For a workbook: import only this sheet.
    pub sheet: Option<String>,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// For checks against today (ID numbers' birth dates).
    pub today: NaiveDate,
    /// What the 设置 sheet does to settings already set.
    pub settings: SettingsChoice,
}

impl ImportOptions {
    pub fn new(today: NaiveDate) -> Self {
        ImportOptions {
            sheet: None,
            dry_run: false,
            today,
            settings: SettingsChoice::default(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// One entry per sheet imported, in FORMATS.md order.
    pub sheets: Vec<SheetSummary>,
    /// Things skipped or worth a look (unknown sheets and columns, warnings).
    pub notes: Vec<String>,
    /// Every bad row as `sheet!row column: reason` (the first 200, then a
    /// count); non-empty = nothing written.
    pub errors: ErrorList,
    /// The change written (None for a dry run or when there were errors).
    pub change_id: Option<i64>,
    /// Settings already set that the 设置 sheet would change (whatever
    /// `ImportOptions::settings` decided), for the TUI's question.
    pub settings_conflicts: Vec<String>,
}

impl ImportReport {
    pub fn rows(&self) -> usize {
        self.sheets.iter().map(SheetSummary::rows).sum()
    }
}

/// Reads `path` and imports it (see [`import_book`]).
pub fn import_file(store: &mut Store, path: &Path, opts: &ImportOptions) -> Result<ImportReport> {
    let book = read::read_file(path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    import_book(store, &name, book, opts)
}

/// Imports a file already read (a workbook: opened, its sheets read while
/// the import works). File-level problems (an unknown CSV sheet, no data
/// at all, a sheet that cannot be read) are an `Err`; row-level ones are
/// listed in the report's `errors`. Either way nothing is written.
///
/// A workbook's sheets are read on a second thread, one sheet ahead, while
/// this thread checks and writes the sheet before it: on a two-core PC
/// reading the big 党费 sheet overlaps writing the meetings. Each sheet is
/// written as soon as it is checked, inside the one transaction of the
/// import; an error in any later sheet rolls the whole transaction back,
/// so the ledger is left exactly as it was.
pub fn import_book(
    store: &mut Store,
    file_name: &str,
    book: Book,
    opts: &ImportOptions,
) -> Result<ImportReport> {
    if !opts.dry_run {
        store.ensure_writable()?;
    }
    let mut report = ImportReport::default();
    let (source, settings) = select_sheets(file_name, book, opts, &mut report.notes)?;
    let mut plan = Plan::load(store, opts.today)?;
    // The 设置 sheet first: an error in it stops every write.
    plan.settings = SettingsPlan::read(
        settings.as_ref(),
        store,
        opts.settings,
        &mut plan.errors,
        &mut plan.notes,
    )?;
    plan.farmer_fen = plan.settings.farmer_fen().unwrap_or(plan.farmer_fen);
    report.settings_conflicts = plan.settings.conflicts().to_vec();
    if opts.dry_run {
        run(file_name, None, &mut plan, source, &mut report)?;
    } else {
        let cache = store.set_cache_size(-65_536)?;
        let result = import_in_change(store, file_name, &mut plan, source, &mut report);
        store.set_cache_size(cache)?;
        report.change_id = result?;
    }
    report.notes.append(&mut plan.notes);
    Ok(report)
}

/// The import's one transaction: committed only when every sheet was read
/// and checked without an error and something changed; otherwise rolled
/// back (dropped).
fn import_in_change(
    store: &mut Store,
    file_name: &str,
    plan: &mut Plan,
    source: Source,
    report: &mut ImportReport,
) -> Result<Option<i64>> {
    let mut ch = store.change(ChangeKind::Import, &format!("导入 {file_name}"))?;
    let mut wrote = run(file_name, Some(&mut ch), plan, source, report)?;
    if report.errors.is_empty() {
        wrote |= plan.settings.apply(&ch)?;
    }
    if !report.errors.is_empty() || !wrote {
        return Ok(None);
    }
    ch.set_description(&format!("导入 {file_name}（{} 行）", report.rows()))?;
    let id = ch.id();
    ch.commit()?;
    Ok(Some(id))
}

/// Checks every sheet of `source` in order and, while no error has been
/// found and there is a transaction, writes it. Returns whether anything
/// was written; the errors end up in `report.errors`.
fn run(
    file_name: &str,
    mut ch: Option<&mut Change<'_>>,
    plan: &mut Plan,
    source: Source,
    report: &mut ImportReport,
) -> Result<bool> {
    let mut any_data = false;
    let mut wrote = false;
    let mut step = |spec: &'static SheetSpec, sheet: Sheet| -> Result<()> {
        any_data |= !sheet.broken.is_empty() || data_rows(&sheet).next().is_some();
        let summary = plan.sheet(spec, &sheet);
        drop(sheet);
        report.sheets.push(summary);
        if let Some(ch) = ch.as_deref_mut()
            && plan.errors.is_empty()
        {
            wrote |= plan.apply_sheet(ch, spec)?;
        }
        Ok(())
    };
    match source {
        Source::Settings => {}
        Source::Csv(spec, sheet) => step(spec, sheet)?,
        Source::Xlsx(mut book, order) => std::thread::scope(|scope| -> Result<()> {
            // The worksheets' cells are checked on a thread of their own
            // while the sheets are read and checked row by row: on a
            // two-core PC the check takes no time of its own. Nothing is
            // committed before it has passed (its fault wins over anything
            // the reading found).
            let cell_check = scope.spawn(book.sheet_check());
            // One sheet ahead: memory holds at most two sheets' rows.
            let (tx, rx) = std::sync::mpsc::sync_channel::<(&'static SheetSpec, Result<Sheet>)>(0);
            let book = &mut book;
            scope.spawn(move || {
                for (spec, index) in order {
                    // calamine reads while the cells are still being
                    // checked: should it trip over a fault the check is
                    // about to report, that is an error, not a crash.
                    let sheet = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        book.read_sheet(index)
                    }))
                    .unwrap_or_else(|_| {
                        Err(Error::input(
                            "bad-xlsx",
                            format!(
                                "工作簿已损坏：{file_name} 的内容无法读取；请在 Excel/WPS 中打开后重新另存为 .xlsx 再导入"
                            ),
                        ))
                    });
                    let failed = sheet.is_err();
                    // A closed channel: the import stopped at an error.
                    if tx.send((spec, sheet)).is_err() || failed {
                        break;
                    }
                }
            });
            let read = rx
                .into_iter()
                .try_for_each(|(spec, sheet)| step(spec, sheet?));
            let checked = cell_check.join().unwrap_or_else(|_| {
                Err(Error::fail(
                    "check-failed",
                    format!("检查工作簿 {file_name} 时程序内部出错，没有导入任何内容"),
                ))
            });
            checked?;
            read
        })?,
    }
    report.sheets.extend(plan.settings.summary());
    report.errors = std::mem::take(&mut plan.errors);
    if !any_data && !plan.settings.has_data() {
        return Err(no_data(file_name));
    }
    Ok(wrote && report.errors.is_empty())
}

/// The sheets to import, in FORMATS.md order.
enum Source {
    /// Only the 设置 sheet (a CSV file of it).
    Settings,
    Csv(&'static SheetSpec, Sheet),
    /// The workbook and the index of each known sheet in it.
    Xlsx(Workbook, Vec<(&'static SheetSpec, usize)>),
}

/// The known sheets of the file, in FORMATS.md order, and its 设置 sheet.
fn select_sheets(
    file_name: &str,
    book: Book,
    opts: &ImportOptions,
    notes: &mut Vec<String>,
) -> Result<(Source, Option<Sheet>)> {
    let only_settings = opts
        .sheet
        .as_deref()
        .is_some_and(|s| is_settings_sheet(&read::fold_cell(s)));
    let wanted = match &opts.sheet {
        Some(_) if only_settings => None,
        Some(s) => {
            let s = read::fold_cell(s);
            Some(spec::sheet(&s).ok_or_else(|| unknown_sheet(&s))?)
        }
        None => None,
    };
    match book {
        Book::Csv(mut sheet) => {
            if only_settings
                || (opts.sheet.is_none()
                    && is_settings_sheet(&read::sheet_name_from_file(file_name)))
            {
                sheet.name = SETTINGS.name.to_string();
                return Ok((Source::Settings, Some(sheet)));
            }
            let spec = match wanted {
                Some(w) => w,
                None => {
                    let name = read::sheet_name_from_file(file_name);
                    spec::sheet(&name).ok_or_else(|| {
                        Error::input(
                            "unknown-sheet",
                            format!(
                                "无法从文件名 {file_name} 看出是哪张表；请把文件命名为表名（如 党员.csv），或用 --sheet 指定：{}",
                                sheet_names()
                            ),
                        )
                    })?
                }
            };
            sheet.name = spec.name.to_string();
            if data_rows(&sheet).next().is_none() && sheet.broken.is_empty() {
                return Err(no_data(file_name));
            }
            Ok((Source::Csv(spec, sheet), None))
        }
        Book::Xlsx(mut book) => {
            let mut found: Vec<(&'static SheetSpec, usize)> = Vec::new();
            let mut settings = None;
            for (index, name) in book.sheet_names().into_iter().enumerate() {
                match spec::sheet(&name) {
                    Some(spec)
                        if !only_settings && wanted.is_none_or(|w| std::ptr::eq(w, spec)) =>
                    {
                        if found.iter().any(|(s, _)| std::ptr::eq(*s, spec)) {
                            return Err(Error::input(
                                "duplicate-sheet",
                                format!("工作簿中有两张“{}”表，请合并后再导入", spec.name),
                            ));
                        }
                        found.push((spec, index));
                    }
                    Some(_) => {}
                    None if name == spec::HELP_SHEET => {}
                    None if is_settings_sheet(&name) => {
                        if settings.is_some() {
                            return Err(Error::input(
                                "duplicate-sheet",
                                format!("工作簿中有两张“{name}”表，请合并后再导入"),
                            ));
                        }
                        if wanted.is_none() {
                            settings = Some(index);
                        }
                    }
                    None => notes.push(format!(
                        "工作表“{name}”不是台账表，已跳过（可导入的表：{}）",
                        sheet_names()
                    )),
                }
            }
            let settings = match settings {
                Some(index) => Some(book.read_sheet(index)?),
                None => None,
            };
            if found.is_empty() && settings.is_none() {
                return Err(match wanted {
                    None if only_settings => Error::input(
                        "unknown-sheet",
                        format!("{file_name} 中没有“{}”表", SETTINGS.name),
                    ),
                    Some(w) => {
                        Error::input("unknown-sheet", format!("{file_name} 中没有“{}”表", w.name))
                    }
                    None => Error::input(
                        "no-sheets",
                        format!(
                            "{file_name} 中没有可导入的工作表；工作表应命名为：{}",
                            sheet_names()
                        ),
                    ),
                });
            }
            let order = |s: &SheetSpec| spec::SHEETS.iter().position(|x| std::ptr::eq(*x, s));
            found.sort_by_key(|(s, _)| order(s));
            Ok((Source::Xlsx(book, found), settings))
        }
    }
}

fn no_data(file_name: &str) -> Error {
    Error::input(
        "no-data",
        format!("{file_name} 中没有数据行（只有表头或是空表），没有导入任何内容"),
    )
}

fn sheet_names() -> String {
    spec::SHEETS
        .iter()
        .chain([&&SETTINGS])
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join("、")
}

fn unknown_sheet(name: &str) -> Error {
    Error::input(
        "unknown-sheet",
        format!("没有“{name}”这张表；可导入的表：{}", sheet_names()),
    )
}

/// The rows after the header that hold anything, broken ones left out
/// (each is an error of its own, see [`Sheet::broken`]).
fn data_rows(sheet: &Sheet) -> impl Iterator<Item = &(usize, Vec<Cell>)> {
    sheet
        .rows
        .iter()
        .skip(1)
        .filter(|(row, cells)| cells.iter().any(|c| !c.is_empty()) && !sheet.is_broken(*row))
}

// ---------------------------------------------------------------------------
// Header and row reading

/// Where each spec column sits in the sheet (None = the column is absent).
struct Header {
    pos: Vec<Option<usize>>,
}

impl Header {
    fn read(
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
struct Row<'a> {
    spec: &'static SheetSpec,
    row: usize,
    cells: &'a [Cell],
    header: &'a Header,
    errors: &'a mut ErrorList,
    notes: &'a mut Vec<String>,
    ok: bool,
}

impl Row<'_> {
    fn index(&self, col: &str) -> Option<usize> {
        let k = self.spec.cols.iter().position(|c| c.name == col)?;
        self.header.pos[k]
    }

    /// Whether the sheet has the column at all.
    fn has(&self, col: &str) -> bool {
        self.index(col).is_some()
    }

    fn cell(&self, col: &str) -> &Cell {
        const EMPTY: Cell = Cell::Empty;
        match self.index(col) {
            Some(i) => self.cells.get(i).unwrap_or(&EMPTY),
            None => &EMPTY,
        }
    }

    fn err(&mut self, col: &str, msg: impl std::fmt::Display) {
        self.errors
            .push(format!("{}!{} {col}: {msg}", self.spec.name, self.row));
        self.ok = false;
    }

    fn note(&mut self, col: &str, msg: impl std::fmt::Display) {
        self.notes
            .push(format!("{}!{} {col}: {msg}", self.spec.name, self.row));
    }

    fn issues(&mut self, iss: Issues) {
        for e in iss.errors {
            self.err(e.field, e.message);
        }
        for w in iss.warnings {
            self.note(w.field, w.message);
        }
    }

    /// Text of a cell; an error value is an error.
    fn text(&mut self, col: &str) -> String {
        match self.cell(col) {
            Cell::Bad(m) => {
                let m = m.clone();
                self.err(col, format!("单元格{m}，请改为文字"));
                String::new()
            }
            c => c.text(),
        }
    }

    fn required_text(&mut self, col: &str) -> String {
        let t = self.text(col);
        if t.is_empty() && !matches!(self.cell(col), Cell::Bad(_)) {
            self.err(col, "必填，不能为空");
        }
        t
    }

    /// Sets `field` from the column when the sheet has it.
    fn set_text(&mut self, col: &str, field: &mut String) {
        if self.has(col) {
            *field = self.text(col);
        }
    }

    /// A date in 1900-01-01 … 2100-12-31 (FORMATS.md): a date cell (its
    /// time of day, if any, dropped by the reader), a whole Excel serial,
    /// or text. A number with a fraction is a date and a time, not a date.
    fn date(&mut self, col: &str) -> Option<NaiveDate> {
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

    fn required_date(&mut self, col: &str) -> Option<NaiveDate> {
        if self.cell(col).is_empty() {
            self.err(col, "必填，不能为空，请写成 2026-10-15");
            return None;
        }
        self.date(col)
    }

    fn set_date(&mut self, col: &str, field: &mut Option<NaiveDate>) {
        if self.has(col) {
            *field = self.date(col);
        }
    }

    fn month(&mut self, col: &str) -> Option<Month> {
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
    fn money(&mut self, col: &str, max: i64) -> Option<Fen> {
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

    fn required_money(&mut self, col: &str, max: i64) -> Option<Fen> {
        if self.cell(col).is_empty() {
            self.err(col, "必填，不能为空，请填写元，如 1234.50（可以为 0）");
            return None;
        }
        self.money(col, max)
    }

    fn int(&mut self, col: &str) -> Option<i64> {
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

    fn yes_no(&mut self, col: &str) -> Option<bool> {
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

    fn choice<T>(
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

    fn required_choice<T>(
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
    fn set_choice<T>(
        &mut self,
        col: &str,
        field: &mut Option<T>,
        parse: fn(&str) -> std::result::Result<T, String>,
    ) {
        if self.has(col) {
            *field = self.choice(col, parse);
        }
    }

    fn phone(&mut self, col: &str, field: &mut String) {
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

// ---------------------------------------------------------------------------
// The plan

/// Planned writes for one record kind. New records are `adds[k]`, known
/// meanwhile by the placeholder id `-(k + 1)`.
struct Table<R> {
    existing: HashMap<i64, R>,
    adds: Vec<Option<R>>,
    updates: Vec<R>,
    voids: Vec<i64>,
    new_ids: Vec<i64>,
}

impl<R: Record + PartialEq> Table<R> {
    fn new(existing: Vec<R>) -> Self {
        Table {
            existing: existing.into_iter().map(|r| (r.id(), r)).collect(),
            adds: Vec::new(),
            updates: Vec::new(),
            voids: Vec::new(),
            new_ids: Vec::new(),
        }
    }

    fn reserve(&mut self) -> i64 {
        self.adds.push(None);
        -(self.adds.len() as i64)
    }

    /// Plans `r` (whose id is a placeholder or an existing id). Returns
    /// whether it is added, updated or unchanged.
    fn put(&mut self, r: R) -> Outcome {
        let id = r.id();
        if id < 0 {
            let k = (-id - 1) as usize;
            if let Some(slot) = self.adds.get_mut(k) {
                *slot = Some(r);
            }
            Outcome::Added
        } else if self.existing.get(&id) == Some(&r) {
            Outcome::Unchanged
        } else {
            self.updates.push(r);
            Outcome::Updated
        }
    }

    /// The real id of a placeholder, once the record is inserted.
    fn real(&self, id: i64) -> Result<i64> {
        if id >= 0 {
            return Ok(id);
        }
        usize::try_from(-(id + 1))
            .ok()
            .and_then(|k| self.new_ids.get(k).copied())
            .ok_or_else(|| {
                Error::fail(
                    "import",
                    format!("导入时内部编号 {id} 无法对应到{}", R::KIND),
                )
            })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Added,
    Updated,
    Unchanged,
}

impl SheetSummary {
    fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// Keys matched with multiset semantics: each existing record matches one
/// row at most.
struct KeyIndex<K> {
    map: HashMap<K, Vec<i64>>,
}

impl<K: std::hash::Hash + Eq> KeyIndex<K> {
    fn new<R: Record>(records: &HashMap<i64, R>, key: impl Fn(&R) -> K) -> Self {
        let mut ids: Vec<&R> = records.values().collect();
        ids.sort_by_key(|r| std::cmp::Reverse(r.id()));
        let mut map: HashMap<K, Vec<i64>> = HashMap::new();
        // Highest id first in each Vec, so `pop` takes the oldest.
        for r in ids {
            map.entry(key(r)).or_default().push(r.id());
        }
        KeyIndex { map }
    }

    fn take(&mut self, k: &K) -> Option<i64> {
        self.map.get_mut(k).and_then(Vec::pop)
    }
}

/// A member as the ledger will hold it after the plan: for finding members
/// by name within an org and by ID number.
struct MemberRef {
    org_id: i64,
    name: String,
}

struct Plan {
    today: NaiveDate,
    farmer_fen: i64,
    errors: ErrorList,
    notes: Vec<String>,

    units: Table<Unit>,
    orgs: Table<PartyOrg>,
    coverages: Table<Coverage>,
    members: Table<Member>,
    instructors: Table<Instructor>,
    assignments: Table<Assignment>,
    visits: Table<Visit>,
    meetings: Table<Meeting>,
    funds: Table<FundEntry>,
    dues: Table<Dues>,

    unit_by_name: HashMap<String, i64>,
    org_by_name: HashMap<String, i64>,
    instructor_by_name: HashMap<String, i64>,
    /// Final state of every member (existing, updated, new).
    member_refs: HashMap<i64, MemberRef>,
    member_by_idno: HashMap<String, i64>,
    /// Built when first needed after the members sheet: org → name → ids.
    member_index: Option<HashMap<i64, HashMap<String, Vec<i64>>>>,
    /// A member row seen in this file: ID numbers and (org, name) keys.
    org_parent: HashMap<i64, Option<i64>>,
    /// The 设置 sheet, read before the record sheets.
    settings: SettingsPlan,
}

impl Plan {
    fn load(store: &Store, today: NaiveDate) -> Result<Plan> {
        let units: Vec<Unit> = store.all()?;
        let orgs: Vec<PartyOrg> = store.all()?;
        let members: Vec<Member> = store.all()?;
        let instructors: Vec<Instructor> = store.all()?;
        let unit_by_name = units.iter().map(|u| (u.name.clone(), u.id)).collect();
        let org_by_name = orgs.iter().map(|o| (o.name.clone(), o.id)).collect();
        let org_parent = orgs.iter().map(|o| (o.id, o.parent_id)).collect();
        let instructor_by_name = instructors.iter().map(|i| (i.name.clone(), i.id)).collect();
        let member_refs = members
            .iter()
            .map(|m| {
                (
                    m.id,
                    MemberRef {
                        org_id: m.org_id,
                        name: m.name.clone(),
                    },
                )
            })
            .collect();
        let member_by_idno = members
            .iter()
            .filter(|m| !m.id_number.is_empty())
            .map(|m| (m.id_number.clone(), m.id))
            .collect();
        Ok(Plan {
            today,
            farmer_fen: store.settings()?.farmer_dues_fen,
            errors: ErrorList::new(),
            notes: Vec::new(),
            units: Table::new(units),
            orgs: Table::new(orgs),
            coverages: Table::new(store.all()?),
            members: Table::new(members),
            instructors: Table::new(instructors),
            assignments: Table::new(store.all()?),
            visits: Table::new(store.all()?),
            meetings: Table::new(store.all()?),
            funds: Table::new(store.all()?),
            dues: Table::new(store.all()?),
            unit_by_name,
            org_by_name,
            instructor_by_name,
            member_refs,
            member_by_idno,
            member_index: None,
            org_parent,
            settings: SettingsPlan::default(),
        })
    }

    fn sheet(&mut self, spec: &'static SheetSpec, sheet: &Sheet) -> SheetSummary {
        let mut summary = SheetSummary {
            sheet: spec.name,
            ..Default::default()
        };
        sheet.broken_rows_into(spec.name, &mut self.errors);
        let Some(header) = Header::read(spec, sheet, &mut self.errors, &mut self.notes) else {
            return summary;
        };
        let rows: Vec<&(usize, Vec<Cell>)> = data_rows(sheet).collect();
        match spec.name {
            "单位" => self.units_sheet(spec, &header, &rows, &mut summary),
            "党组织" => self.orgs_sheet(spec, &header, &rows, &mut summary),
            "党员" => self.members_sheet(spec, &header, &rows, &mut summary),
            "指导员" => self.instructors_sheet(spec, &header, &rows, &mut summary),
            "指导员联系单位" => self.assignments_sheet(spec, &header, &rows, &mut summary),
            "走访记录" => self.visits_sheet(spec, &header, &rows, &mut summary),
            "会议" => self.meetings_sheet(spec, &header, &rows, &mut summary),
            "经费" => self.funds_sheet(spec, &header, &rows, &mut summary),
            _ => self.dues_sheet(spec, &header, &rows, &mut summary),
        }
        summary
    }

    /// Splits the borrows: a row reader plus the plan's other fields.
    fn row<'a>(
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

    /// Resolves a reference by name in `map`; unknown → error.
    fn lookup(r: &mut Row<'_>, col: &str, map: &HashMap<String, i64>, what: &str) -> Option<i64> {
        let name = r.text(col);
        if name.is_empty() {
            return None;
        }
        match map.get(&name) {
            Some(id) => Some(*id),
            None => {
                r.err(
                    col,
                    format!("找不到{what}“{name}”，请先在“{what}”表中登记或核对名称"),
                );
                None
            }
        }
    }

    fn required_lookup(
        r: &mut Row<'_>,
        col: &str,
        map: &HashMap<String, i64>,
        what: &str,
    ) -> Option<i64> {
        if r.cell(col).is_empty() {
            r.err(col, "必填，不能为空");
            return None;
        }
        Self::lookup(r, col, map, what)
    }

    /// First pass over a sheet of named records: every name gets its id
    /// (existing or placeholder) so rows may refer to rows further down.
    /// Returns the id per row (None when the row has no usable name).
    fn reserve_names<R: Record + PartialEq>(
        errors: &mut ErrorList,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        col: &str,
        table: &mut Table<R>,
        by_name: &mut HashMap<String, i64>,
    ) -> Vec<Option<i64>> {
        let k = spec.cols.iter().position(|c| c.name == col);
        let pos = k.and_then(|k| header.pos[k]);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (row, cells) in rows.iter().map(|r| (&r.0, &r.1)) {
            let name = pos
                .and_then(|p| cells.get(p))
                .map(Cell::text)
                .unwrap_or_default();
            if name.is_empty() {
                out.push(None);
                continue;
            }
            if let Some(first) = seen.get(&name) {
                errors.push(format!(
                    "{}!{row} {col}: “{name}”与第 {first} 行重复，同一{}只能写一行",
                    spec.name,
                    R::KIND
                ));
                out.push(None);
                continue;
            }
            seen.insert(name.clone(), *row);
            let id = match by_name.get(&name) {
                Some(id) => *id,
                None => {
                    let id = table.reserve();
                    by_name.insert(name, id);
                    id
                }
            };
            out.push(Some(id));
        }
        out
    }

    fn units_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let ids = Self::reserve_names(
            &mut self.errors,
            spec,
            header,
            rows,
            "名称",
            &mut self.units,
            &mut self.unit_by_name,
        );
        for (row, id) in rows.iter().zip(ids) {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("名称");
            let kind = r.required_choice("类型", UnitKind::parse);
            let (Some(id), Some(kind)) = (id, kind) else {
                continue;
            };
            let mut u = self
                .units
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Unit::new(&name, kind));
            u.id = id;
            u.name = name;
            u.kind = kind;
            r.set_text("统一社会信用代码", &mut u.credit_code);
            u.credit_code = u.credit_code.to_uppercase();
            r.set_text("行业", &mut u.industry);
            r.set_text("所在村社区", &mut u.village);
            r.set_text("地址", &mut u.address);
            r.set_text("出资人", &mut u.investor);
            r.set_text("联系人", &mut u.contact);
            r.phone("联系电话", &mut u.phone);
            if r.has("职工人数") {
                u.employees = r.int("职工人数");
            }
            if r.has("经营状态") {
                u.status = r
                    .choice("经营状态", UnitStatus::parse)
                    .unwrap_or(UnitStatus::Normal);
            }
            if r.has("有工会") {
                u.has_union = r.yes_no("有工会");
            }
            if r.has("有共青团") {
                u.has_league = r.yes_no("有共青团");
            }
            if r.has("有妇联") {
                u.has_women = r.yes_no("有妇联");
            }
            r.set_text("未建党组织原因", &mut u.no_org_reason);
            r.set_text("发展需求", &mut u.needs);
            r.set_text("备注", &mut u.note);
            r.issues(validate::unit(&u));
            if r.ok {
                summary.count(self.units.put(u));
            }
        }
    }

    fn orgs_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let ids = Self::reserve_names(
            &mut self.errors,
            spec,
            header,
            rows,
            "名称",
            &mut self.orgs,
            &mut self.org_by_name,
        );
        // Parents first, for the cycle check below.
        let mut planned: Vec<(usize, PartyOrg, Option<Vec<i64>>)> = Vec::new();
        for (row, id) in rows.iter().zip(ids) {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("名称");
            let org_type = r.required_choice("类型", OrgType::parse);
            let formation = r.required_choice("组建方式", Formation::parse);
            let established = r.required_date("成立日期");
            let parent = if r.has("上级党组织") {
                Some(Self::lookup(
                    &mut r,
                    "上级党组织",
                    &self.org_by_name,
                    "党组织",
                ))
            } else {
                None
            };
            let (Some(id), Some(org_type), Some(formation), Some(established)) =
                (id, org_type, formation, established)
            else {
                continue;
            };
            let mut o = self
                .orgs
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| PartyOrg::new(&name, org_type, formation, established));
            o.id = id;
            o.name = name;
            o.org_type = org_type;
            o.formation = formation;
            o.established = established;
            if let Some(p) = parent {
                if p == Some(id) {
                    r.err("上级党组织", "不能是自己");
                }
                o.parent_id = p;
            }
            r.set_date("撤销日期", &mut o.dissolved);
            r.set_date("本届选举日期", &mut o.elected);
            r.set_text("书记", &mut o.secretary);
            if r.has("设支委会") {
                o.has_committee = r.yes_no("设支委会").unwrap_or(false);
            }
            if r.has("党小组数") {
                o.group_count = r.int("党小组数").unwrap_or(0);
            }
            r.set_text("备注", &mut o.note);
            let covered = if r.has("覆盖单位") {
                let cell = r.text("覆盖单位");
                let mut list = Vec::new();
                for unit in split_list(&cell) {
                    match self.unit_by_name.get(&unit) {
                        Some(uid) if list.contains(uid) => {}
                        Some(uid) => list.push(*uid),
                        None => r.err(
                            "覆盖单位",
                            format!("找不到单位“{unit}”，请先在“单位”表中登记或核对名称"),
                        ),
                    }
                }
                Some(list)
            } else {
                None
            };
            let mut check = o.clone();
            check.id = 0;
            r.issues(validate::party_org(&check));
            if r.ok {
                self.org_parent.insert(o.id, o.parent_id);
                planned.push((row.0, o, covered));
            }
        }
        for (row, o, covered) in planned {
            if self.parent_cycle(o.id) {
                self.errors.push(format!(
                    "{}!{row} 上级党组织: “{}”的上级党组织形成了循环（上级的上级又是它自己），请核对",
                    spec.name, o.name
                ));
                continue;
            }
            let coverage_changed = match covered {
                Some(units) => self.plan_coverage(&o, &units),
                None => false,
            };
            let outcome = match self.orgs.put(o) {
                Outcome::Unchanged if coverage_changed => Outcome::Updated,
                other => other,
            };
            summary.count(outcome);
        }
    }

    fn parent_cycle(&self, start: i64) -> bool {
        let mut seen = HashSet::new();
        let mut cur = Some(start);
        while let Some(id) = cur {
            if !seen.insert(id) {
                return true;
            }
            cur = self.org_parent.get(&id).copied().flatten();
        }
        false
    }

    /// Makes the org's current coverages the given units: new links get the
    /// org's own dates; current links to other units are voided; links that
    /// ended earlier (history) stay. Returns whether anything changes.
    fn plan_coverage(&mut self, o: &PartyOrg, units: &[i64]) -> bool {
        let current: Vec<Coverage> = self
            .coverages
            .existing
            .values()
            .filter(|c| c.org_id == o.id && coverage_is_current(c, o.dissolved))
            .cloned()
            .collect();
        let mut changed = false;
        for &unit_id in units {
            if !current.iter().any(|c| c.unit_id == unit_id) {
                let id = self.coverages.reserve();
                self.coverages.put(Coverage {
                    id,
                    org_id: o.id,
                    unit_id,
                    from: o.established,
                    to: o.dissolved,
                });
                changed = true;
            }
        }
        for c in current {
            if !units.contains(&c.unit_id) {
                self.coverages.voids.push(c.id);
                changed = true;
            }
        }
        changed
    }

    fn members_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        // Existing members by (org, name), for rows without an ID number.
        let mut by_org_name: HashMap<(i64, String), Vec<i64>> = HashMap::new();
        for m in self.members.existing.values() {
            by_org_name
                .entry((m.org_id, m.name.clone()))
                .or_default()
                .push(m.id);
        }
        let mut seen_idno: HashMap<String, usize> = HashMap::new();
        let mut seen_name: HashMap<(i64, String), usize> = HashMap::new();
        let mut taken: HashSet<i64> = HashSet::new();
        for row in rows {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("姓名");
            let org_id = Self::required_lookup(&mut r, "所在党组织", &self.org_by_name, "党组织");
            let category = r.required_choice("类别", MemberCategory::parse);
            let idno = if r.has("身份证号") {
                let t = r.text("身份证号");
                if t.is_empty() {
                    Some(t)
                } else {
                    match validate_id_number(&t, self.today) {
                        Ok(n) => Some(n),
                        Err(e) => {
                            r.err("身份证号", e);
                            None
                        }
                    }
                }
            } else {
                None
            };
            let (Some(org_id), Some(category)) = (org_id, category) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            // Which member this row is.
            let given = idno.clone().filter(|s| !s.is_empty());
            if let Some(n) = &given {
                if let Some(first) = seen_idno.insert(n.clone(), row.0) {
                    r.err(
                        "身份证号",
                        format!("与第 {first} 行的身份证号相同，同一党员只能写一行"),
                    );
                    continue;
                }
            } else if let Some(first) = seen_name.insert((org_id, name.clone()), row.0) {
                r.err(
                    "姓名",
                    format!("与第 {first} 行同为本党组织的“{name}”，同名党员请填写身份证号区分"),
                );
                continue;
            }
            let by_name = || -> Vec<i64> {
                by_org_name
                    .get(&(org_id, name.clone()))
                    .cloned()
                    .unwrap_or_default()
            };
            let existing_id = match &given {
                Some(n) => match self.member_by_idno.get(n) {
                    Some(id) if *id > 0 => Some(*id),
                    Some(_) => None,
                    None => {
                        // An existing member of the same name in the org,
                        // still without an ID number, gets it now.
                        let cands: Vec<i64> = by_name()
                            .into_iter()
                            .filter(|id| {
                                !taken.contains(id)
                                    && self
                                        .members
                                        .existing
                                        .get(id)
                                        .is_some_and(|m| m.id_number.is_empty())
                            })
                            .collect();
                        (cands.len() == 1).then(|| cands[0])
                    }
                },
                None => {
                    let cands = by_name();
                    if cands.len() > 1 {
                        r.err(
                            "姓名",
                            format!(
                                "台账中本党组织有 {} 名“{name}”，请填写身份证号区分",
                                cands.len()
                            ),
                        );
                        continue;
                    }
                    cands.first().copied()
                }
            };
            if let Some(id) = existing_id
                && !taken.insert(id)
            {
                r.err("姓名", format!("“{name}”在本表中出现了不止一次"));
                continue;
            }
            let mut m = match existing_id.and_then(|id| self.members.existing.get(&id)) {
                Some(m) => m.clone(),
                None => {
                    let mut m = Member::new(&name, org_id, category);
                    m.id = self.members.reserve();
                    m
                }
            };
            m.name = name;
            m.org_id = org_id;
            m.category = category;
            if let Some(n) = idno {
                m.id_number = n;
            }
            if r.has("性别") {
                m.gender = r.choice("性别", Gender::parse);
            }
            r.set_date("出生日期", &mut m.birth);
            r.phone("手机", &mut m.phone);
            if r.has("所在单位") {
                m.unit_id = Self::lookup(&mut r, "所在单位", &self.unit_by_name, "单位");
            }
            r.set_date("入党日期", &mut m.joined);
            r.set_date("转正日期", &mut m.confirmed);
            if r.has("状态") {
                m.status = r
                    .choice("状态", MemberStatus::parse)
                    .unwrap_or(MemberStatus::Registered);
            }
            r.set_date("离开日期", &mut m.left);
            if r.has("流动党员") {
                m.floating = r.yes_no("流动党员").unwrap_or(false);
            }
            r.set_date("亮身份报到日期", &mut m.reported);
            r.set_choice("新就业群体", &mut m.new_employment, NewEmployment::parse);
            r.set_choice("党内职务", &mut m.party_post, PartyPost::parse);
            r.set_text("备注", &mut m.note);
            let mut check = m.clone();
            check.org_id = check.org_id.abs();
            r.issues(validate::member(&check, self.today));
            if !r.ok {
                continue;
            }
            if !m.id_number.is_empty() {
                self.member_by_idno.insert(m.id_number.clone(), m.id);
            }
            self.member_refs.insert(
                m.id,
                MemberRef {
                    org_id: m.org_id,
                    name: m.name.clone(),
                },
            );
            self.member_index = None;
            summary.count(self.members.put(m));
        }
    }

    fn instructors_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let ids = Self::reserve_names(
            &mut self.errors,
            spec,
            header,
            rows,
            "姓名",
            &mut self.instructors,
            &mut self.instructor_by_name,
        );
        for (row, id) in rows.iter().zip(ids) {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("姓名");
            let source = r.required_choice("来源", InstructorSource::parse);
            let appointed = r.required_date("选派日期");
            let (Some(id), Some(source), Some(appointed)) = (id, source, appointed) else {
                continue;
            };
            let mut i = self
                .instructors
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Instructor {
                    id,
                    name: String::new(),
                    gender: None,
                    phone: String::new(),
                    source,
                    workplace: String::new(),
                    appointed,
                    left: None,
                    note: String::new(),
                });
            i.id = id;
            i.name = name;
            i.source = source;
            i.appointed = appointed;
            r.set_choice("性别", &mut i.gender, Gender::parse);
            r.phone("手机", &mut i.phone);
            r.set_text("工作单位及职务", &mut i.workplace);
            r.set_date("离任日期", &mut i.left);
            r.set_text("备注", &mut i.note);
            r.issues(validate::instructor(&i));
            if r.ok {
                summary.count(self.instructors.put(i));
            }
        }
    }

    fn assignments_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.assignments.existing, |a: &Assignment| {
            (a.instructor_id, a.unit_id, a.start)
        });
        for row in rows {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let instructor_id =
                Self::required_lookup(&mut r, "指导员", &self.instructor_by_name, "指导员");
            let unit_id = Self::required_lookup(&mut r, "单位", &self.unit_by_name, "单位");
            let start = r.required_date("开始日期");
            let end = r.date("结束日期");
            let (Some(instructor_id), Some(unit_id), Some(start)) = (instructor_id, unit_id, start)
            else {
                continue;
            };
            let id = index
                .take(&(instructor_id, unit_id, start))
                .unwrap_or_else(|| self.assignments.reserve());
            let mut a = self
                .assignments
                .existing
                .get(&id)
                .cloned()
                .unwrap_or(Assignment {
                    id,
                    instructor_id,
                    unit_id,
                    start,
                    end: None,
                });
            if r.has("结束日期") {
                a.end = end;
            }
            r.issues(validate::assignment(&with_positive_refs_assignment(&a)));
            if r.ok {
                summary.count(self.assignments.put(a));
            }
        }
    }

    fn visits_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.visits.existing, |v: &Visit| {
            (v.instructor_id, v.unit_id, v.date, v.content.clone())
        });
        for row in rows {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let instructor_id =
                Self::required_lookup(&mut r, "指导员", &self.instructor_by_name, "指导员");
            let unit_id = Self::required_lookup(&mut r, "单位", &self.unit_by_name, "单位");
            let date = r.required_date("日期");
            let content = r.required_text("内容");
            let mode = r
                .choice("方式", VisitMode::parse)
                .unwrap_or(VisitMode::Visit);
            let (Some(instructor_id), Some(unit_id), Some(date)) = (instructor_id, unit_id, date)
            else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            let id = index
                .take(&(instructor_id, unit_id, date, content.clone()))
                .unwrap_or_else(|| self.visits.reserve());
            let mut v = self.visits.existing.get(&id).cloned().unwrap_or(Visit {
                id,
                instructor_id,
                unit_id,
                date,
                mode,
                content: content.clone(),
                problems: String::new(),
                resolved: None,
            });
            if r.has("方式") {
                v.mode = mode;
            }
            r.set_text("收集问题", &mut v.problems);
            if r.has("是否解决") {
                v.resolved = r.yes_no("是否解决");
            }
            let mut check = v.clone();
            check.instructor_id = check.instructor_id.abs();
            check.unit_id = check.unit_id.abs();
            r.issues(validate::visit(&check));
            if r.ok {
                summary.count(self.visits.put(v));
            }
        }
    }

    /// org → member name → member ids, over the final state.
    fn member_index(&mut self) -> &HashMap<i64, HashMap<String, Vec<i64>>> {
        self.member_index.get_or_insert_with(|| {
            let mut idx: HashMap<i64, HashMap<String, Vec<i64>>> = HashMap::new();
            for (id, m) in &self.member_refs {
                idx.entry(m.org_id)
                    .or_default()
                    .entry(m.name.clone())
                    .or_default()
                    .push(*id);
            }
            for names in idx.values_mut() {
                for ids in names.values_mut() {
                    ids.sort_unstable();
                }
            }
            idx
        })
    }

    fn meetings_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.meetings.existing, |m: &Meeting| {
            (m.org_id, m.date, kinds_to_mask(&m.kinds))
        });
        self.member_index();
        let org_names: HashMap<i64, String> = self
            .org_by_name
            .iter()
            .map(|(n, id)| (*id, n.clone()))
            .collect();
        for row in rows {
            let members = self.member_index.take().unwrap_or_default();
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let org_id = Self::required_lookup(&mut r, "党组织", &self.org_by_name, "党组织");
            let kinds = parse_kinds(&mut r);
            let date = r.required_date("日期");
            let topic = r.required_text("主题");
            let mut attendance: Vec<Attendance> = Vec::new();
            if let Some(org_id) = org_id {
                let org_name = org_names.get(&org_id).cloned().unwrap_or_default();
                let empty = HashMap::new();
                let of_org = members.get(&org_id).unwrap_or(&empty);
                let mut seen: HashMap<i64, &'static str> = HashMap::new();
                for (col, status) in [
                    ("出席", AttendStatus::Present),
                    ("请假", AttendStatus::Leave),
                    ("缺席", AttendStatus::Absent),
                ] {
                    let cell = r.text(col);
                    for item in split_names(&cell) {
                        let (name, reason) = split_reason(&item);
                        if !reason.is_empty() && status != AttendStatus::Leave {
                            r.err(col, format!("“{item}”：只有请假可以在括号里写原因"));
                            continue;
                        }
                        let ids = of_org.get(&name).map(Vec::as_slice).unwrap_or(&[]);
                        let id = match ids {
                            [] => {
                                r.err(col, format!("“{name}”不是“{org_name}”的党员，请核对姓名或先在“党员”表中登记"));
                                continue;
                            }
                            [id] => *id,
                            _ => {
                                r.err(col, format!("“{org_name}”有 {} 名党员叫“{name}”，无法区分，请在软件中逐一登记出勤", ids.len()));
                                continue;
                            }
                        };
                        if let Some(prev) = seen.insert(id, col) {
                            if prev == col {
                                r.err(col, format!("“{name}”在{col}中写了两次"));
                            } else {
                                r.err(
                                    col,
                                    format!("“{name}”同时出现在{prev}和{col}中，每人只能在一处"),
                                );
                            }
                            continue;
                        }
                        attendance.push(Attendance {
                            member_id: id,
                            status,
                            reason,
                        });
                    }
                }
            }
            self.member_index = Some(members);
            let (Some(org_id), Some(kinds), Some(date)) = (org_id, kinds, date) else {
                continue;
            };
            if topic.is_empty() {
                continue;
            }
            let mask = kinds_to_mask(&kinds);
            let id = index
                .take(&(org_id, date, mask))
                .unwrap_or_else(|| self.meetings.reserve());
            let mut m = self
                .meetings
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Meeting {
                    id,
                    ..Meeting::new(org_id, kinds.clone(), date)
                });
            m.topic = topic;
            r.set_text("地点", &mut m.place);
            r.set_text("主持人", &mut m.host);
            r.set_text("记录人", &mut m.recorder);
            r.set_text("授课人", &mut m.lecturer);
            r.set_text("内容摘要", &mut m.summary);
            if r.has("出席") || r.has("请假") || r.has("缺席") {
                // As the store reads it back: ordered by member id.
                attendance.sort_by_key(|a| a.member_id);
                m.attendance = attendance;
            }
            let mut check = m.clone();
            check.org_id = check.org_id.abs();
            r.issues(validate::meeting_fields(&check));
            if r.ok {
                summary.count(self.meetings.put(m));
            }
        }
    }

    fn funds_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.funds.existing, |f: &FundEntry| {
            (
                f.date,
                f.org_id,
                f.direction,
                f.category,
                f.amount,
                f.voucher.clone(),
                f.handler.clone(),
                f.summary.clone(),
            )
        });
        for row in rows {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let date = r.required_date("日期");
            let org_id = Self::lookup(&mut r, "党组织", &self.org_by_name, "党组织");
            let direction = r.required_choice("收支", FundDirection::parse);
            let category = r.required_choice("类别", FundCategory::parse);
            let amount = r.required_money("金额", MAX_ENTRY_FEN);
            let voucher = r.text("凭证号");
            let handler = r.text("经办人");
            let text = r.required_text("摘要");
            let (Some(date), Some(direction), Some(category), Some(amount)) =
                (date, direction, category, amount)
            else {
                continue;
            };
            let mut f = FundEntry {
                id: 0,
                date,
                org_id,
                direction,
                category,
                amount,
                voucher,
                handler,
                summary: text,
            };
            r.issues(validate::fund_entry(&f));
            if !r.ok {
                continue;
            }
            let key = (
                f.date,
                f.org_id,
                f.direction,
                f.category,
                f.amount,
                f.voucher.clone(),
                f.handler.clone(),
                f.summary.clone(),
            );
            f.id = index.take(&key).unwrap_or_else(|| self.funds.reserve());
            summary.count(self.funds.put(f));
        }
    }

    fn dues_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let existing: HashMap<(i64, Month), i64> = self
            .dues
            .existing
            .values()
            .map(|d| ((d.member_id, d.month), d.id))
            .collect();
        self.member_index();
        let members = self.member_index.take().unwrap_or_default();
        // Members by name over the whole ledger (for a member who has moved
        // to another org since paying).
        let mut by_name: HashMap<&str, Vec<i64>> = HashMap::new();
        for (id, m) in &self.member_refs {
            by_name.entry(m.name.as_str()).or_default().push(*id);
        }
        let mut seen: HashMap<(i64, Month), usize> = HashMap::new();
        let mut planned = Vec::new();
        for row in rows {
            let mut r = Self::row(&mut self.errors, &mut self.notes, spec, header, row);
            let month = r.month("月份");
            let name = r.required_text("姓名");
            let org_id = Self::required_lookup(&mut r, "所在党组织", &self.org_by_name, "党组织");
            let idno = r.text("身份证号");
            let base = r.money("计算基数", MAX_DUES_FEN);
            let person_type = r.choice("人员类型", PersonType::parse);
            let due = r.money("应交", MAX_DUES_FEN);
            let paid = r.required_money("实交", MAX_DUES_FEN);
            let paid_date = r.date("交纳日期");
            let (Some(month), Some(org_id), Some(paid)) = (month, org_id, paid) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let member_id = if !idno.is_empty() {
                let n = match validate_id_number(&idno, self.today) {
                    Ok(n) => n,
                    Err(e) => {
                        r.err("身份证号", e);
                        continue;
                    }
                };
                match self.member_by_idno.get(&n) {
                    Some(id) => *id,
                    None => {
                        r.err(
                            "身份证号",
                            format!("找不到身份证号为 {n} 的党员，请先在“党员”表中登记"),
                        );
                        continue;
                    }
                }
            } else {
                let in_org = members
                    .get(&org_id)
                    .and_then(|m| m.get(&name))
                    .cloned()
                    .unwrap_or_default();
                let cands = if in_org.is_empty() {
                    by_name.get(name.as_str()).cloned().unwrap_or_default()
                } else {
                    in_org
                };
                match cands.as_slice() {
                    [id] => *id,
                    [] => {
                        r.err(
                            "姓名",
                            format!("找不到党员“{name}”，请核对姓名或先在“党员”表中登记"),
                        );
                        continue;
                    }
                    _ => {
                        r.err(
                            "姓名",
                            format!("有 {} 名党员叫“{name}”，请填写身份证号区分", cands.len()),
                        );
                        continue;
                    }
                }
            };
            if let Some(first) = seen.insert((member_id, month), row.0) {
                r.err(
                    "月份",
                    format!("“{name}”{month}的党费与第 {first} 行重复，每人每月只能一行"),
                );
                continue;
            }
            let standard = person_type.and_then(|t| standard_due(t, base, self.farmer_fen));
            let (due, due_manual) = match (due, standard) {
                (Some(d), Some(s)) => (d, d != s),
                (Some(d), None) => (d, true),
                (None, Some(s)) => (s, false),
                (None, None) => {
                    r.err(
                        "应交",
                        "为空时按人员类型和计算基数自动计算，但这一行算不出（在职、离退休须填计算基数；“其他”须直接填应交）",
                    );
                    continue;
                }
            };
            let id = existing.get(&(member_id, month)).copied().unwrap_or(0);
            let mut d = Dues {
                id,
                month,
                member_id,
                org_id,
                base,
                person_type,
                due,
                due_manual,
                paid,
                paid_date,
            };
            let mut check = d.clone();
            check.member_id = check.member_id.abs();
            r.issues(validate::dues(&check));
            if r.ok {
                if d.id == 0 {
                    d.id = self.dues.reserve();
                }
                planned.push(d);
            }
        }
        self.member_index = Some(members);
        for d in planned {
            summary.count(self.dues.put(d));
        }
    }

    // -----------------------------------------------------------------------
    // Phase 2

    /// Writes the planned records of one sheet (the tables it fills), in
    /// the import's transaction. Sheets come in FORMATS.md order, so every
    /// record a sheet refers to by a placeholder is already written and has
    /// its real id. Returns whether anything was written.
    fn apply_sheet(&mut self, ch: &mut Change<'_>, spec: &SheetSpec) -> Result<bool> {
        fn any<R: Record + PartialEq>(t: &Table<R>) -> bool {
            !t.adds.is_empty() || !t.updates.is_empty() || !t.voids.is_empty()
        }
        match spec.name {
            "单位" => {
                let wrote = any(&self.units);
                insert_all(ch, &mut self.units, |_| Ok(()))?;
                update_all(ch, &self.units.updates, |_| Ok(()))?;
                Ok(wrote)
            }
            "党组织" => {
                let wrote = any(&self.orgs) || any(&self.coverages);
                // A parent before its children.
                let n = self.orgs.adds.len();
                self.orgs.new_ids = vec![0; n];
                let mut done = vec![false; n];
                for k in 0..n {
                    insert_org(ch, &mut self.orgs, &mut done, k)?;
                }
                let orgs = &self.orgs;
                let org_updates: Vec<PartyOrg> = orgs
                    .updates
                    .iter()
                    .cloned()
                    .map(|mut o| {
                        if let Some(p) = o.parent_id {
                            o.parent_id = Some(orgs.real(p)?);
                        }
                        Ok(o)
                    })
                    .collect::<Result<_>>()?;
                update_all(ch, &org_updates, |_| Ok(()))?;
                for cid in &self.coverages.voids {
                    ch.void::<Coverage>(*cid)?;
                }
                let units = &self.units;
                insert_all(ch, &mut self.coverages, |c| {
                    c.org_id = orgs.real(c.org_id)?;
                    c.unit_id = units.real(c.unit_id)?;
                    Ok(())
                })?;
                Ok(wrote)
            }
            "党员" => {
                let wrote = any(&self.members);
                let (orgs, units) = (&self.orgs, &self.units);
                let fix = |m: &mut Member| -> Result<()> {
                    m.org_id = orgs.real(m.org_id)?;
                    if let Some(u) = m.unit_id {
                        m.unit_id = Some(units.real(u)?);
                    }
                    Ok(())
                };
                insert_all(ch, &mut self.members, fix)?;
                update_all(ch, &self.members.updates, fix)?;
                Ok(wrote)
            }
            "指导员" => {
                let wrote = any(&self.instructors);
                insert_all(ch, &mut self.instructors, |_| Ok(()))?;
                update_all(ch, &self.instructors.updates, |_| Ok(()))?;
                Ok(wrote)
            }
            "指导员联系单位" => {
                let wrote = any(&self.assignments);
                let (instructors, units) = (&self.instructors, &self.units);
                let fix = |a: &mut Assignment| -> Result<()> {
                    a.instructor_id = instructors.real(a.instructor_id)?;
                    a.unit_id = units.real(a.unit_id)?;
                    Ok(())
                };
                insert_all(ch, &mut self.assignments, fix)?;
                update_all(ch, &self.assignments.updates, fix)?;
                Ok(wrote)
            }
            "走访记录" => {
                let wrote = any(&self.visits);
                let (instructors, units) = (&self.instructors, &self.units);
                let fix = |v: &mut Visit| -> Result<()> {
                    v.instructor_id = instructors.real(v.instructor_id)?;
                    v.unit_id = units.real(v.unit_id)?;
                    Ok(())
                };
                insert_all(ch, &mut self.visits, fix)?;
                update_all(ch, &self.visits.updates, fix)?;
                Ok(wrote)
            }
            "会议" => {
                let wrote = any(&self.meetings);
                let (orgs, members) = (&self.orgs, &self.members);
                let fix = |m: &mut Meeting| -> Result<()> {
                    m.org_id = orgs.real(m.org_id)?;
                    for a in &mut m.attendance {
                        a.member_id = members.real(a.member_id)?;
                    }
                    m.attendance.sort_by_key(|a| a.member_id);
                    Ok(())
                };
                insert_all(ch, &mut self.meetings, fix)?;
                update_all(ch, &self.meetings.updates, fix)?;
                Ok(wrote)
            }
            "经费" => {
                let wrote = any(&self.funds);
                let orgs = &self.orgs;
                insert_all(ch, &mut self.funds, |f| {
                    if let Some(o) = f.org_id {
                        f.org_id = Some(orgs.real(o)?);
                    }
                    Ok(())
                })?;
                Ok(wrote)
            }
            _ => {
                let wrote = any(&self.dues);
                let (orgs, members) = (&self.orgs, &self.members);
                let fix = |d: &mut Dues| -> Result<()> {
                    d.member_id = members.real(d.member_id)?;
                    d.org_id = orgs.real(d.org_id)?;
                    Ok(())
                };
                insert_all(ch, &mut self.dues, fix)?;
                update_all(ch, &self.dues.updates, fix)?;
                Ok(wrote)
            }
        }
    }
}

fn coverage_is_current(c: &Coverage, dissolved: Option<NaiveDate>) -> bool {
    c.to.is_none() || (dissolved.is_some() && c.to >= dissolved)
}

fn with_positive_refs_assignment(a: &Assignment) -> Assignment {
    let mut a = a.clone();
    a.instructor_id = a.instructor_id.abs();
    a.unit_id = a.unit_id.abs();
    a
}

fn missing_add<R: Record>() -> Error {
    Error::fail("import", format!("导入计划中有未完成的{}记录", R::KIND))
}

/// New records of one kind from which an import rebuilds the kind's
/// indexes instead of updating them (when the table is not larger already).
const BULK_ROWS: usize = 20_000;

fn insert_all<R: Record + PartialEq>(
    ch: &mut Change<'_>,
    table: &mut Table<R>,
    fix: impl Fn(&mut R) -> Result<()>,
) -> Result<()> {
    let adds = std::mem::take(&mut table.adds);
    table.new_ids = Vec::with_capacity(adds.len());
    // A bulk load (a whole ledger's dues or meetings): building the
    // secondary indexes once afterwards beats updating them row by row.
    let bulk = adds.len() >= BULK_ROWS && adds.len() >= table.existing.len();
    let suspended = if bulk {
        Some(ch.suspend_indexes::<R>()?)
    } else {
        None
    };
    for slot in adds {
        let mut r = slot.ok_or_else(missing_add::<R>)?;
        fix(&mut r)?;
        r.set_id(0);
        let id = ch.insert_ranged(&mut r)?;
        table.new_ids.push(id);
    }
    if let Some(s) = suspended {
        ch.rebuild_indexes(s)?;
    }
    Ok(())
}

fn update_all<R: Record + PartialEq>(
    ch: &mut Change<'_>,
    records: &[R],
    fix: impl Fn(&mut R) -> Result<()>,
) -> Result<()> {
    for r in records {
        let mut r = r.clone();
        fix(&mut r)?;
        ch.update(&r)?;
    }
    Ok(())
}

fn insert_org(
    ch: &mut Change<'_>,
    orgs: &mut Table<PartyOrg>,
    done: &mut [bool],
    k: usize,
) -> Result<()> {
    if done.get(k).copied().unwrap_or(true) {
        return Ok(());
    }
    done[k] = true;
    let mut o = orgs
        .adds
        .get(k)
        .cloned()
        .flatten()
        .ok_or_else(missing_add::<PartyOrg>)?;
    if let Some(p) = o.parent_id {
        if p < 0 {
            let pk = (-p - 1) as usize;
            insert_org(ch, orgs, done, pk)?;
        }
        o.parent_id = Some(if p < 0 {
            let pk = (-p - 1) as usize;
            orgs.new_ids
                .get(pk)
                .copied()
                .ok_or_else(missing_add::<PartyOrg>)?
        } else {
            p
        });
    }
    o.set_id(0);
    let id = ch.insert_ranged(&mut o)?;
    orgs.new_ids[k] = id;
    Ok(())
}

/// The meeting kinds of a row: a list of labels, each once
/// (`MeetingKind::parse_list`); a bad cell has had its error already.
fn parse_kinds(r: &mut Row<'_>) -> Option<Vec<MeetingKind>> {
    let cell = r.text("类型");
    if matches!(r.cell("类型"), Cell::Bad(_)) {
        return None;
    }
    match MeetingKind::parse_list(&cell, KindsInput::Cell) {
        Ok(kinds) => Some(kinds),
        Err(problems) => {
            for p in problems {
                r.err("类型", p);
            }
            None
        }
    }
}

/// Splits a list of names; separators inside brackets (a 请假 reason)
/// do not split.
fn split_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for ch in s.chars() {
        match ch {
            '(' | '（' => {
                depth += 1;
                cur.push(ch);
            }
            ')' | '）' => {
                depth = depth.saturating_sub(1);
                cur.push(ch);
            }
            '、' | '，' | ',' | ';' | '；' if depth == 0 => {
                let t = cur.trim().to_string();
                if !t.is_empty() {
                    out.push(t);
                }
                cur.clear();
            }
            _ => cur.push(ch),
        }
    }
    let t = cur.trim().to_string();
    if !t.is_empty() {
        out.push(t);
    }
    out
}

/// `张三(出差)` / `张三（出差）` → ("张三", "出差").
fn split_reason(item: &str) -> (String, String) {
    if let Some(i) = item.find(['(', '（']) {
        let name = item[..i].trim().to_string();
        let rest = &item[i..];
        let inner = rest
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）'])
            .trim()
            .to_string();
        (name, inner)
    } else {
        (item.trim().to_string(), String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_reasons() {
        assert_eq!(
            split_names("张三（出差，外地）、李四;王五(病假)"),
            vec!["张三（出差，外地）", "李四", "王五(病假)"]
        );
        assert_eq!(
            split_reason("张三（出差，外地）"),
            ("张三".into(), "出差，外地".into())
        );
        assert_eq!(split_reason("王五(病假)"), ("王五".into(), "病假".into()));
        assert_eq!(split_reason("李四"), ("李四".into(), String::new()));
    }
}
