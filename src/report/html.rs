//! One self-contained HTML file that prints cleanly on A4: one table per
//! section, table headers repeated on every printed page
//! (`thead { display: table-header-group }`), rows never split.

use super::layout::{Align, Cell, document};
use super::model::MonthlyReport;
use crate::domain::records::Settings;

const CSS: &str = "@page { size: A4; margin: 15mm 12mm; }
body { font-family: \"SimSun\", \"宋体\", \"Songti SC\", \"Noto Serif CJK SC\", serif; font-size: 10.5pt; color: #000; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4pt; }
p.meta { text-align: center; margin: 0 0 10pt; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; page-break-after: avoid; break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
th { font-weight: bold; background: #eee; }
td.n { text-align: right; white-space: nowrap; }
p.note { margin: 3pt 0; }
div.sign { margin-top: 18pt; page-break-inside: avoid; break-inside: avoid; }
div.sign p { margin: 6pt 0; }
@media print { th { background: none; } }
";

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

pub fn render(report: &MonthlyReport, settings: &Settings) -> String {
    let doc = document(report, settings);
    let mut o = String::new();
    o.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    o.push_str(&format!(
        "<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        esc(&doc.title)
    ));
    o.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        esc(&doc.title),
        esc(&doc.header)
    ));
    for s in &doc.sections {
        o.push_str(&format!(
            "<section>\n<h2>{}</h2>\n<table>\n<thead><tr>",
            esc(&s.title)
        ));
        for c in &s.table.columns {
            o.push_str(&format!("<th>{}</th>", esc(&c.header)));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        if s.table.rows.is_empty() {
            o.push_str(&format!(
                "<tr><td colspan=\"{}\">无</td></tr>\n",
                s.table.columns.len()
            ));
        }
        for r in &s.table.rows {
            o.push_str("<tr>");
            for (c, v) in s.table.columns.iter().zip(r) {
                let num = c.align == Align::Right || !matches!(v, Cell::Text(_));
                let class = if num { " class=\"n\"" } else { "" };
                o.push_str(&format!("<td{class}>{}</td>", esc(&v.to_string())));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n");
        for n in &s.notes {
            o.push_str(&format!("<p class=\"note\">{}</p>\n", esc(n)));
        }
        o.push_str("</section>\n");
    }
    o.push_str("<div class=\"sign\">\n");
    for l in &doc.signoff {
        o.push_str(&format!("<p>{}</p>\n", esc(l)));
    }
    o.push_str("</div>\n</body>\n</html>\n");
    o
}
