//! The bodies of the fuzz targets (fuzz/fuzz_targets/*.rs), here so that
//! `cargo test` replays every input the fuzzers kept (fuzz/corpus,
//! fuzz/artifacts: tests/fuzz_corpus.rs) through the same code. Each one
//! feeds raw bytes to a reader or parser a stranger's file reaches and
//! checks what must hold whatever the input: no panic, and what is accepted
//! is within the rules.

use chrono::Datelike;

use crate::domain::dates::{Month, from_excel_serial, parse_date};
use crate::domain::money::{Fen, from_excel_number, parse_yuan, parse_yuan_expr};
use crate::exchange::{self, Book, xlsx_check};

/// A CSV file: read whole, every row within the file's own size.
pub fn csv(data: &[u8]) {
    if let Ok(Book::Csv(sheet)) = exchange::read_bytes("fuzz.csv", data) {
        let cells: usize = sheet.rows.iter().map(|(_, c)| c.len()).sum();
        assert!(cells <= data.len() + 1, "more cells than bytes");
        for (row, _) in &sheet.broken {
            assert!(sheet.rows.iter().any(|(r, _)| r == row));
        }
    }
}

/// A workbook: checked, then every sheet read. Whatever passes the check
/// reads without a panic, and its rows stay within Excel's limits.
pub fn xlsx(data: &[u8]) {
    let checked = xlsx_check::check("fuzz.xlsx", data).is_ok();
    let Ok(Book::Xlsx(book)) = exchange::read_bytes("fuzz.xlsx", data) else {
        return;
    };
    assert!(checked, "a workbook the check refuses was opened");
    if let Ok(sheets) = book.into_sheets() {
        for s in sheets {
            for (row, cells) in &s.rows {
                assert!(*row >= 1 && *row <= xlsx_check::MAX_ROWS as usize);
                assert!(cells.len() <= xlsx_check::MAX_COLS as usize);
            }
        }
    }
}

/// Dates and months as typed or read: what is accepted lies in 1900–2100.
pub fn dates(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(d) = parse_date(s) {
            assert!((1900..=2100).contains(&d.year()), "{s} → {d}");
        }
        let _ = Month::parse(s);
    }
    if let Some(bytes) = data.get(..8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        if let Some(d) = from_excel_serial(f64::from_le_bytes(b)) {
            assert!((1900..=2100).contains(&d.year()), "{d}");
        }
    }
}

/// Money as typed or read: what is accepted is never negative, and what
/// `parse_yuan` accepts reads back from its own display unchanged.
pub fn money(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(f) = parse_yuan(s) {
            assert!(f >= Fen::ZERO, "{s} → {f:?}");
            assert_eq!(parse_yuan(&f.to_string()), Ok(f), "{s}");
        }
        if let Ok(f) = parse_yuan_expr(s) {
            assert!(f >= Fen::ZERO, "{s} → {f:?}");
        }
    }
    if let Some(bytes) = data.get(..8) {
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        if let Ok(f) = from_excel_number(f64::from_le_bytes(b)) {
            assert!(f >= Fen::ZERO);
        }
    }
}
