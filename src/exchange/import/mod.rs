//! Turning the rows of a workbook into records: every reading rule of
//! FORMATS.md, references by name, update-not-duplicate, and all or
//! nothing.
//!
//! Phase 1 (`plan`) reads every sheet into planned inserts, updates and
//! voids without touching the ledger, collecting every error. New records
//! get placeholder ids (negative) so later sheets can refer to them.
//! Phase 2 (`apply`) runs only when there is no error: one `Import` change,
//! placeholders replaced by the real ids as records are inserted.
//!
//! This file: the options and the report, choosing the sheets of a file,
//! and the run (a workbook's sheets read one ahead on a second thread).
//! `row` reads a sheet's header and rows by the reading rules, `plan`
//! holds the planned tables and the indexes rows are matched by, one file
//! per sheet (`units`, `orgs`, `members`, `instructors` for the three
//! instructor sheets, `meetings`, `funds`, `dues`) plans its rows, and
//! `apply` writes them.

mod apply;
mod dues;
mod funds;
mod instructors;
mod meetings;
mod members;
mod orgs;
mod plan;
mod row;
mod units;

use std::path::Path;

use chrono::NaiveDate;

use super::errors::ErrorList;
use super::read::{self, Book, Cell, Sheet, Workbook};
use super::settings_sheet::SETTINGS;
use super::settings_sheet::{SettingsChoice, SettingsPlan, is_settings_sheet};
pub use super::spec::SheetSummary;
use super::spec::{self, SheetSpec};
use crate::error::{Error, Result};
use crate::store::{Change, ChangeKind, Store};
use plan::Plan;

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
pub(super) fn data_rows(sheet: &Sheet) -> impl Iterator<Item = &(usize, Vec<Cell>)> {
    sheet
        .rows
        .iter()
        .skip(1)
        .filter(|(row, cells)| cells.iter().any(|c| !c.is_empty()) && !sheet.is_broken(*row))
}
