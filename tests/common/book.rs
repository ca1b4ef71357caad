//! Workbooks built in a test with rust_xlsxwriter (no binary fixtures):
//! one sheet per entry, cells given as text, numbers or dates. Included by
//! the tests that need it with `#[path = "common/book.rs"] mod book;`.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

pub enum X<'a> {
    S(&'a str),
    /// A plain number.
    N(f64),
    /// A number formatted as a date (what Excel shows as a date).
    #[allow(dead_code)]
    DN(f64),
    /// A real date.
    D(u16, u8, u8),
}

pub fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<X>>)]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    X::S("") => {}
                    X::S(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    X::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    X::DN(n) => {
                        ws.write_number_with_format(r, c, *n, &date).unwrap();
                    }
                    X::D(y, m, dd) => {
                        let dt = ExcelDateTime::from_ymd(*y, *m, *dd).unwrap();
                        ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                    }
                }
            }
        }
    }
    wb.save(path).unwrap();
}
