//! Exports the large demo ledger, imports the workbook into an empty ledger
//! and prints rows per second for both (the import target is 50,000 rows a
//! second). Run: `cargo bench --bench exchange` (optionally `-- small`;
//! `DJTZ_BENCH_BOOK=file.xlsx` keeps the workbook and reuses it next time).

use std::time::Instant;

use djtz::demo::{self, Scale};
use djtz::exchange::{self, ImportOptions};
use djtz::store::Store;

fn main() {
    let small = std::env::args().skip(1).any(|a| a == "small");
    let scale = if small { Scale::Small } else { Scale::Large };
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");

    // DJTZ_BENCH_BOOK=path keeps the exported workbook there and, when it
    // already exists, imports it without building and exporting again.
    let kept = std::env::var_os("DJTZ_BENCH_BOOK").map(std::path::PathBuf::from);
    let book = kept
        .clone()
        .unwrap_or_else(|| tmp.path().join("export.xlsx"));
    if kept.as_ref().is_some_and(|p| p.exists()) {
        println!("import of {} (export skipped)", book.display());
    } else {
        let mut source = Store::open(&tmp.path().join("source.db")).expect("open");
        demo::fill(&mut source, scale, 1, &mut |_| {}, today).expect("demo");
        let start = Instant::now();
        let summary = exchange::write_export(&source, &book).expect("export");
        let secs = start.elapsed().as_secs_f64();
        let rows = summary.rows();
        let size = std::fs::metadata(&book).map(|m| m.len()).unwrap_or(0);
        println!(
            "export: {rows} rows in {secs:.2} s = {:.0} rows/s ({:.1} MiB)",
            rows as f64 / secs,
            size as f64 / 1024.0 / 1024.0
        );
        for (sheet, n) in &summary.sheets {
            println!("  {sheet}: {n}");
        }
    }

    // The import in its phases: reading the workbook alone, a dry run
    // (read and check), then the real import (read, check and write in one
    // transaction). Reading runs on its own thread, one sheet ahead of the
    // checking and writing, so the phases overlap and do not add up.
    let start = Instant::now();
    let sheets = match exchange::read_file(&book).expect("read") {
        exchange::Book::Xlsx(b) => b.into_sheets().expect("sheets"),
        exchange::Book::Csv(_) => unreachable!("the export is a workbook"),
    };
    let read_secs = start.elapsed().as_secs_f64();
    drop(sheets);
    // The check of every part before reading (part of "reading alone").
    let bytes = std::fs::read(&book).expect("read");
    let start = Instant::now();
    exchange::xlsx_check::check("export.xlsx", &bytes).expect("check");
    let check_secs = start.elapsed().as_secs_f64();
    drop(bytes);
    let mut target = Store::open(&tmp.path().join("target.db")).expect("open");
    let start = Instant::now();
    let mut dry = ImportOptions::new(today);
    dry.dry_run = true;
    let checked = exchange::import_file(&mut target, &book, &dry).expect("dry run");
    let dry_secs = start.elapsed().as_secs_f64();
    assert!(checked.change_id.is_none());

    let start = Instant::now();
    let report =
        exchange::import_file(&mut target, &book, &ImportOptions::new(today)).expect("import");
    let secs = start.elapsed().as_secs_f64();
    assert!(
        report.errors.is_empty(),
        "{:?}",
        &report.errors[..report.errors.len().min(10)]
    );
    let rows = report.rows();
    println!(
        "import: {rows} rows in {secs:.2} s = {:.0} rows/s (read, check and write in one transaction; target 50,000)",
        rows as f64 / secs
    );
    println!(
        "  reading alone {read_secs:.2} s (of which the workbook's check {check_secs:.2} s), dry run (read + check) {dry_secs:.2} s, import {secs:.2} s"
    );
}
