//! Exports the large demo ledger, imports the workbook into an empty ledger
//! and prints rows per second for both (the import target is 50,000 rows a
//! second). Run: `cargo bench --bench exchange` (optionally `-- small`).

use std::time::Instant;

use djtz::demo::{self, Scale};
use djtz::exchange::{self, ImportOptions};
use djtz::store::Store;

fn main() {
    let small = std::env::args().skip(1).any(|a| a == "small");
    let scale = if small { Scale::Small } else { Scale::Large };
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");

    let mut source = Store::open(&tmp.path().join("source.db")).expect("open");
    demo::fill(&mut source, scale, 1, &mut |_| {}, today).expect("demo");
    let book = tmp.path().join("export.xlsx");

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

    let mut target = Store::open(&tmp.path().join("target.db")).expect("open");
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
        "import: {rows} rows in {secs:.2} s = {:.0} rows/s (read, check and write in one transaction)",
        rows as f64 / secs
    );
}
