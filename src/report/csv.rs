//! CSV for people who re-sort: UTF-8 with a BOM (so Excel/WPS read the
//! Chinese), the sections one after another, each with its title row,
//! header row and data rows, notes as one-cell rows, a blank row between.
//! Money is plain yuan (`1234.50`, no grouping) so it sorts as a number.
//!
//! Formula injection (OWASP "CSV Injection"): Excel and WPS run a cell that
//! starts with `=`, `+`, `-`, `@`, tab or CR as a formula
//! (`=HYPERLINK(…)`), and every text cell here can hold what a clerk typed
//! or imported (township, unit, org and member names, warning texts,
//! sign-off names). So every *text* cell starting with one of those (after
//! leading spaces) gets a leading `'` and is quoted. The cells the report
//! computes — counts, money, rates, the `-` of a figure not available —
//! are written as they are: a negative balance `-12.50` stays a number a
//! clerk can sum. A text cell that is exactly `-` (the meetings table's
//! "not checked this month") is no formula and stays as it is too.

use super::layout::{Cell, document};
use super::model::MonthlyReport;
use crate::domain::records::Settings;

/// A cell the report computed (a number or the dash): quoted only where
/// RFC 4180 needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        quoted(s)
    } else {
        s.to_string()
    }
}

fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Whether a spreadsheet would take `s` for a formula.
fn formula_like(s: &str) -> bool {
    s != "-"
        && s.trim_start_matches(' ')
            .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell: formula-like text gets the `'` prefix and quotes.
fn text_field(s: &str) -> String {
    if formula_like(s) {
        quoted(&format!("'{s}"))
    } else {
        field(s)
    }
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let f: Vec<String> = cells.into_iter().collect();
    out.push_str(&f.join(","));
    out.push_str("\r\n");
}

fn text_line(out: &mut String, text: &str) {
    line(out, [text_field(text)]);
}

fn cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => text_field(s),
        Cell::Money(v) => field(&v.to_string()),
        other => field(&other.to_string()),
    }
}

pub fn render(report: &MonthlyReport, settings: &Settings) -> String {
    let doc = document(report, settings);
    let mut out = String::from("\u{feff}");
    text_line(&mut out, &doc.title);
    text_line(&mut out, &doc.header);
    for s in &doc.sections {
        out.push_str("\r\n");
        text_line(&mut out, &s.title);
        line(
            &mut out,
            s.table.columns.iter().map(|c| text_field(&c.header)),
        );
        for r in &s.table.rows {
            line(&mut out, r.iter().map(cell));
        }
        for n in &s.notes {
            text_line(&mut out, n);
        }
    }
    out.push_str("\r\n");
    for l in &doc.signoff {
        text_line(&mut out, l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_quoted_behind_an_apostrophe() {
        assert_eq!(text_field("=1+1"), "\"'=1+1\"");
        assert_eq!(text_field("  @A1"), "\"'  @A1\"");
        assert_eq!(text_field("a\"b=1"), "\"a\"\"b=1\"");
        assert_eq!(text_field("-"), "-");
        assert_eq!(text_field("合计"), "合计");
        assert_eq!(
            cell(&Cell::Money(crate::domain::money::Fen(-1250))),
            "-12.50"
        );
        assert_eq!(cell(&Cell::Int(-3)), "-3");
    }
}
