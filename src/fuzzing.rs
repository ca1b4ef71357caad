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

/// A workbook: opened, then every sheet read. Whatever reads without an
/// error passed the whole check, reads without a panic, and its rows stay
/// within Excel's limits.
pub fn xlsx(data: &[u8]) {
    let checked = xlsx_check::check("fuzz.xlsx", data).is_ok();
    let Ok(Book::Xlsx(book)) = exchange::read_bytes("fuzz.xlsx", data) else {
        return;
    };
    if let Ok(sheets) = book.into_sheets() {
        assert!(checked, "a workbook the check refuses was read");
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

/// A workbook whose worksheet and shared strings are the input (split at
/// the first NUL byte), wrapped in a whole ZIP with right CRCs: what a
/// stranger's tool might write, past the ZIP layer that stops most mutated
/// bytes in [`xlsx`].
pub fn sheet_xml(data: &[u8]) {
    let (sheet, shared) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    if let Some(book) = wrap_sheet(sheet, shared) {
        xlsx(&book);
    }
}

/// The smallest workbook around one worksheet part and a shared-strings
/// part (None only if the ZIP writer fails, which it does not in memory).
fn wrap_sheet(sheet: &[u8], shared: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let parts: [(&str, &[u8]); 6] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"单位\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".as_bytes(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
        ("xl/sharedStrings.xml", shared),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    for (name, body) in parts {
        z.start_file(name, opts).ok()?;
        z.write_all(body).ok()?;
    }
    z.finish().ok()?;
    Some(out.into_inner())
}
