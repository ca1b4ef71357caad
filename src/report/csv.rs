//! CSV for people who re-sort: UTF-8 with a BOM (so Excel/WPS read the
//! Chinese), the sections one after another, each with its title row,
//! header row and data rows, notes as one-cell rows, a blank row between.
//! Money is plain yuan (`1234.50`, no grouping) so it sorts as a number.

use super::layout::{Cell, document};
use super::model::MonthlyReport;
use crate::domain::records::Settings;

fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn line(out: &mut String, cells: &[String]) {
    let f: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&f.join(","));
    out.push_str("\r\n");
}

fn plain(c: &Cell) -> String {
    match c {
        Cell::Money(v) => v.to_string(),
        other => other.to_string(),
    }
}

pub fn render(report: &MonthlyReport, settings: &Settings) -> String {
    let doc = document(report, settings);
    let mut out = String::from("\u{feff}");
    line(&mut out, std::slice::from_ref(&doc.title));
    line(&mut out, std::slice::from_ref(&doc.header));
    for s in &doc.sections {
        out.push_str("\r\n");
        line(&mut out, std::slice::from_ref(&s.title));
        let heads: Vec<String> = s.table.columns.iter().map(|c| c.header.clone()).collect();
        line(&mut out, &heads);
        for r in &s.table.rows {
            let cells: Vec<String> = r.iter().map(plain).collect();
            line(&mut out, &cells);
        }
        for n in &s.notes {
            line(&mut out, std::slice::from_ref(n));
        }
    }
    out.push_str("\r\n");
    for l in &doc.signoff {
        line(&mut out, std::slice::from_ref(l));
    }
    out
}
