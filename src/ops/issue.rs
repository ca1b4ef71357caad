//! Issuing the monthly report, one way for `djtz report` and the report
//! screen: the report as of now, its file written (and printed), the
//! figures archived as issued, and what changed since an issued report.
//!
//! A report counts as issued once its file is written and, when it is
//! printed, the printer took it: a PDF that could not be printed stays on
//! disk but is not archived (not printed, so not issued).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::domain::dates::Month;
use crate::domain::ledger::Ledger;
use crate::domain::records::Settings;
use crate::error::{Error, Result};
use crate::report::print::Printed;
use crate::report::{self, Format, MonthlyReport};
use crate::store::{IssuedReport, Store};

/// How a report leaves the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The PDF, kept as a file and sent to the default printer.
    Print,
    /// A file in this format.
    File(Format),
}

impl Output {
    /// The format of the file written.
    pub fn format(self) -> Format {
        match self {
            Output::Print => Format::Pdf,
            Output::File(f) => f,
        }
    }
}

/// What became of a report once its file was written.
#[derive(Debug)]
pub struct Issued {
    /// The file written.
    pub file: PathBuf,
    /// `Output::Print`: the printer's answer, or why it did not print.
    pub printed: Option<Result<Printed>>,
    /// Archived as issued, or why not (a read-only ledger; not printed).
    pub archived: Result<()>,
}

/// The report for `month` now (the same `compute` as everywhere).
pub fn current_report(store: &Store, month: Month) -> Result<MonthlyReport> {
    let ledger = Ledger::load_for_month(store, month)?;
    report::compute(&ledger, month, chrono::Local::now().fixed_offset())
}

/// Writes `r` to `file` in `out`'s format, prints it for `Output::Print`
/// and archives it as issued (see the module comment). Err: the file was
/// not written (a protected or missing target is refused before the slow
/// rendering); nothing is archived then.
pub fn issue(
    store: &Store,
    r: &MonthlyReport,
    settings: &Settings,
    out: Output,
    file: &Path,
) -> Result<Issued> {
    issue_with(store, r, settings, out, file, report::print::print_file)
}

/// `issue` with the printer as a parameter (tests print nowhere).
fn issue_with(
    store: &Store,
    r: &MonthlyReport,
    settings: &Settings,
    out: Output,
    file: &Path,
    print: impl FnOnce(&Path) -> Result<Printed>,
) -> Result<Issued> {
    let format = out.format();
    let protected = store.protected();
    crate::files::prepare_target(file, &protected)?;
    let bytes = report::render(r, settings, format)?;
    crate::files::write_file(file, &bytes, &protected)?;
    let printed = (out == Output::Print).then(|| print(file));
    let archived = match &printed {
        Some(Err(_)) => Err(Error::input("not-printed", "未能打印")),
        _ => archive(store, r, format),
    };
    Ok(Issued {
        file: file.to_path_buf(),
        printed,
        archived,
    })
}

/// Archives the figures of `r` as issued in `format`.
fn archive(store: &Store, r: &MonthlyReport, format: Format) -> Result<()> {
    let json = serde_json::to_string(r)?;
    store.archive_report(r.month, format.extension(), &json)?;
    Ok(())
}

/// The newest issued report of `month`; an error when there is none.
pub fn latest_issued(store: &Store, month: Month) -> Result<IssuedReport> {
    store.latest_issued(month)?.ok_or_else(|| {
        Error::input(
            "not-issued",
            format!(
                "{}的月报还没有出具过（打印或导出到文件后才会存档）",
                month.label()
            ),
        )
    })
}

/// The figures of an issued report, as they were issued.
pub fn issued_figures(issued: &IssuedReport) -> Result<MonthlyReport> {
    serde_json::from_str(&issued.json).map_err(|e| {
        Error::fail(
            "bad-archive",
            format!("存档的月报无法读取（{e}），请重新出具"),
        )
    })
}

/// Every figure that changed between `issued` and `now`, one line each
/// (`report::diff`); empty when nothing changed.
pub fn changes_since(issued: &IssuedReport, now: &MonthlyReport) -> Result<Vec<String>> {
    changes(issued, &serde_json::to_value(now)?)
}

fn changes(issued: &IssuedReport, now: &Value) -> Result<Vec<String>> {
    let old: Value = serde_json::from_str(&issued.json)?;
    Ok(report::diff::diff(&old, now))
}

/// Every issued report, newest first, each with what changed since it was
/// issued (None: they cannot be compared, the archive or today's report
/// cannot be read). Today's report is computed once per month.
pub fn history(store: &Store) -> Result<Vec<(IssuedReport, Option<Vec<String>>)>> {
    let list = store.issued_reports()?;
    let mut now: HashMap<String, Option<Value>> = HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for it in list {
        let cur = now.entry(it.month.clone()).or_insert_with(|| {
            Month::parse(&it.month)
                .ok()
                .and_then(|m| current_report(store, m).ok())
                .and_then(|r| serde_json::to_value(&r).ok())
        });
        let lines = cur.as_ref().and_then(|c| changes(&it, c).ok());
        out.push((it, lines));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::UnitKind;
    use crate::domain::records::Unit;

    fn ledger() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        (dir, store)
    }

    fn month() -> Month {
        Month::parse("2026-10").unwrap()
    }

    fn printer_ok(_: &Path) -> Result<Printed> {
        Ok(Printed::Sent("已发送到打印机".to_string()))
    }

    fn no_printer(_: &Path) -> Result<Printed> {
        Err(Error::fail("no-lp", "找不到打印命令 lp"))
    }

    #[test]
    fn a_written_file_is_archived_and_later_changes_are_listed() {
        let (dir, mut store) = ledger();
        let settings = store.settings().unwrap();
        let r = current_report(&store, month()).unwrap();
        let file = dir.path().join("月报.csv");
        let done = issue(&store, &r, &settings, Output::File(Format::Csv), &file).unwrap();
        assert!(done.printed.is_none());
        assert_eq!(done.archived, Ok(()));
        assert!(file.is_file());
        let issued = latest_issued(&store, month()).unwrap();
        assert_eq!(issued.format, "csv");
        assert_eq!(issued_figures(&issued).unwrap().month, month());
        assert_eq!(changes_since(&issued, &r).unwrap(), Vec::<String>::new());

        let mut u = Unit::new("甲公司", UnitKind::NonPublic);
        store.save(&mut u).unwrap();
        let now = current_report(&store, month()).unwrap();
        let lines = changes_since(&issued, &now).unwrap();
        assert!(
            lines.iter().any(|l| l.contains("单位总数: 0 → 1")),
            "{lines:?}"
        );
        let h = history(&store).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].1.as_deref(), Some(lines.as_slice()));
    }

    #[test]
    fn printed_is_issued_and_a_failed_print_is_not() {
        let (dir, store) = ledger();
        let settings = store.settings().unwrap();
        let r = current_report(&store, month()).unwrap();
        let file = dir.path().join("月报.pdf");
        let done = issue_with(&store, &r, &settings, Output::Print, &file, no_printer).unwrap();
        assert!(matches!(done.printed, Some(Err(ref e)) if e.code == "no-lp"));
        assert_eq!(done.archived.unwrap_err().code, "not-printed");
        assert!(std::fs::read(&file).unwrap().starts_with(b"%PDF-"));
        assert_eq!(
            latest_issued(&store, month()).unwrap_err().code,
            "not-issued"
        );

        let done = issue_with(&store, &r, &settings, Output::Print, &file, printer_ok).unwrap();
        assert!(matches!(done.printed, Some(Ok(_))));
        assert_eq!(done.archived, Ok(()));
        assert_eq!(latest_issued(&store, month()).unwrap().format, "pdf");
    }

    #[test]
    fn an_unwritable_target_is_refused_and_nothing_archived() {
        let (dir, store) = ledger();
        let settings = store.settings().unwrap();
        let r = current_report(&store, month()).unwrap();
        let e = issue(&store, &r, &settings, Output::File(Format::Txt), dir.path()).unwrap_err();
        assert_eq!(e.code, "is-folder");
        let ledger_file = dir.path().join("t.db");
        let e = issue(
            &store,
            &r,
            &settings,
            Output::File(Format::Txt),
            &ledger_file,
        );
        assert!(e.is_err());
        assert!(history(&store).unwrap().is_empty());
    }

    #[test]
    fn an_unreadable_archive_cannot_be_compared() {
        let (_dir, store) = ledger();
        store.archive_report(month(), "txt", "{not json").unwrap();
        let h = history(&store).unwrap();
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].1, None);
        let issued = latest_issued(&store, month()).unwrap();
        assert_eq!(issued_figures(&issued).unwrap_err().code, "bad-archive");
        let now = current_report(&store, month()).unwrap();
        assert!(changes_since(&issued, &now).is_err());
    }
}
