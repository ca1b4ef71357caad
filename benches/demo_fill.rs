//! Fills a large demo ledger and prints the time it took, the file size and
//! the peak memory of the process. Run: `cargo bench --bench demo_fill`
//! (optionally `-- small` for the small ledger, or `-- large PATH` to keep
//! the file).

use std::time::Instant;

use djtz::demo::{self, Scale};
use djtz::store::Store;

/// Peak resident memory (VmHWM) in MiB, where /proc is available.
fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let scale = match args.first().map(String::as_str) {
        Some("small") => Scale::Small,
        _ => Scale::Large,
    };
    let tmp = tempfile::TempDir::new().expect("temp dir");
    let path = match args.get(1) {
        Some(p) => std::path::PathBuf::from(p),
        None => tmp.path().join("bench.db"),
    };
    let _ = std::fs::remove_file(&path);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let start = Instant::now();
    let mut store = Store::open(&path).expect("open");
    let summary = demo::fill(&mut store, scale, 1, &mut |_| {}, today).expect("fill");
    drop(store);
    let secs = start.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("demo fill: {summary:?}");
    println!("time:      {secs:.1} s");
    println!("file size: {:.1} MiB", size as f64 / 1024.0 / 1024.0);
    match peak_rss_mib() {
        Some(m) => println!("peak RSS:  {m:.1} MiB"),
        None => println!("peak RSS:  (not available on this system)"),
    }
}
