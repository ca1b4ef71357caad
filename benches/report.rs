//! One month's report on the large demo ledger: `Ledger::load_for_month`
//! plus `report::compute`, against the headline aggregates of the same
//! month as plain SQL (`Store::report_sql_figures`), with both times and
//! their ratio. Targets: the report under 1 s, within 2× of the SQL.
//!
//! Run: `cargo bench --bench report` (generates the large demo ledger in a
//! temp file first), or `cargo bench --bench report -- PATH [YYYY-MM]` on an
//! existing ledger.

use std::time::{Duration, Instant};

use djtz::demo::{self, Scale};
use djtz::domain::dates::Month;
use djtz::domain::ledger::Ledger;
use djtz::report::compute;
use djtz::store::Store;

/// The best of `n` runs (the first warms SQLite's page cache like a clerk's
/// second look at the report).
fn best<T>(n: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut out = None;
    let mut best = Duration::MAX;
    for _ in 0..n {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed());
        out = Some(v);
    }
    match out {
        Some(v) => (best, v),
        None => (best, f()),
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let path = match args.first() {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let p = tmp.path().join("large.db");
            let t = Instant::now();
            let mut store = Store::open(&p).expect("open");
            let s = demo::fill(&mut store, Scale::Large, 1, &mut |_| {}, today).expect("fill");
            println!(
                "generated large demo ledger in {:.1} s: {s:?}",
                t.elapsed().as_secs_f64()
            );
            p
        }
    };
    let month = match args.get(1) {
        Some(m) => Month::parse(m).expect("month YYYY-MM"),
        None => Month::of(today).prev(),
    };
    let store = Store::open(&path).expect("open");
    let now = chrono::Local::now().fixed_offset();

    // Cold: the first load after opening the file.
    let t = Instant::now();
    let ledger = Ledger::load_for_month(&store, month).expect("load");
    let cold_load = t.elapsed();
    let t = Instant::now();
    let r = compute(&ledger, month, now).expect("compute");
    let cold_compute = t.elapsed();
    drop(ledger);

    let (load, ledger) = best(3, || Ledger::load_for_month(&store, month).expect("load"));
    let (comp, _) = best(3, || compute(&ledger, month, now).expect("compute"));
    let (sql, f) = best(3, || store.report_sql_figures(month).expect("sql"));
    let total = load + comp;

    println!("ledger {} month {month}", path.display());
    println!(
        "  units {} orgs {} members {} | loaded meetings {} attendance rows {} dues {}",
        ledger.units.len(),
        ledger.orgs.len(),
        ledger.members.len(),
        ledger.meetings.len(),
        ledger
            .meetings
            .iter()
            .map(|m| m.attendance.len())
            .sum::<usize>(),
        ledger.dues.len()
    );
    println!(
        "  figures: units {} org-covered {} members {} warnings {} | SQL: units {} org-covered {} members {}",
        r.coverage.units_total,
        r.coverage.units_org_covered,
        r.members.total,
        r.warnings.len(),
        f.units_total,
        f.units_org_covered,
        f.members_total
    );
    println!(
        "first run:  load {:.1} ms + compute {:.1} ms",
        cold_load.as_secs_f64() * 1e3,
        cold_compute.as_secs_f64() * 1e3
    );
    println!(
        "report:     load {:.1} ms + compute {:.1} ms = {:.1} ms (target < 1000 ms)",
        load.as_secs_f64() * 1e3,
        comp.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    println!("plain SQL:  {:.1} ms", sql.as_secs_f64() * 1e3);
    println!(
        "ratio:      {:.2}× (target ≤ 2×)",
        total.as_secs_f64() / sql.as_secs_f64().max(1e-9)
    );
}
