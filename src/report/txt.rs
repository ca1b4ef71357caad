//! The plain-text printed form: pages of 80 columns × 60 lines separated by
//! form feeds. Each page: title, header line, a blank line, the body, and
//! `第 P 页 共 N 页` on the last line. Columns are aligned by display width
//! (CJK = 2); a table that goes on to the next page repeats its section
//! title (续) and header. [`pages`] is the page model the TUI's print
//! preview shows.

use super::layout::{Align, Document, PAGE_WIDTH, Table, document};
use super::model::MonthlyReport;
use crate::domain::records::Settings;
use crate::domain::text::{pad_left, pad_right, truncate_width, width};

/// Lines per page.
pub const PAGE_LINES: usize = 60;
/// Title, header line, blank.
const HEAD_LINES: usize = 3;
/// Blank, page number.
const FOOT_LINES: usize = 2;
const BODY_LINES: usize = PAGE_LINES - HEAD_LINES - FOOT_LINES;

/// Closing punctuation that must not start a line (it sticks to the
/// character before it).
fn closing(c: char) -> bool {
    "，。、；：？！）」』”’》〉】,.;:?!)%".contains(c)
}

/// Breakable pieces: one CJK character (with the closing punctuation after
/// it), a run of ASCII non-space characters (numbers like `-100.00` stay
/// whole), or a space.
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut ascii_run = false;
    for ch in s.chars() {
        let ascii_word = ch.is_ascii() && !ch.is_ascii_whitespace();
        match out.last_mut() {
            Some(last) if closing(ch) || (ascii_word && ascii_run) => last.push(ch),
            _ => out.push(ch.to_string()),
        }
        ascii_run = ascii_word;
    }
    out
}

/// Splits `s` into lines of at most display width `w` (at least one
/// line), breaking between CJK characters and at spaces, not inside
/// numbers, and never before closing punctuation; a piece wider than `w`
/// is cut.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(2);
    let mut out = Vec::new();
    let mut cur = String::new();
    for tok in tokens(s) {
        let tw = width(&tok);
        if width(&cur) + tw > w && !cur.is_empty() {
            out.push(std::mem::take(&mut cur).trim_end().to_string());
            if tok == " " {
                continue;
            }
        }
        if tw > w {
            for ch in tok.chars() {
                let cw = width(ch.encode_utf8(&mut [0; 4]));
                if width(&cur) + cw > w && !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push(ch);
            }
        } else {
            cur.push_str(&tok);
        }
    }
    out.push(cur);
    out
}

fn center(s: &str) -> String {
    let s = truncate_width(s, PAGE_WIDTH);
    let left = (PAGE_WIDTH - width(&s)) / 2;
    format!("{}{}", " ".repeat(left), s)
}

fn cell(s: &str, w: usize, a: Align) -> String {
    match a {
        Align::Left => pad_right(s, w),
        Align::Right => pad_left(s, w),
    }
}

/// The lines of one table row, its cells wrapped to their widths.
fn row_lines(t: &Table, cells: &[String]) -> Vec<String> {
    let wrapped: Vec<Vec<String>> = t
        .columns
        .iter()
        .zip(cells)
        .map(|(c, s)| wrap(s, c.width))
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    (0..height)
        .map(|i| {
            let parts: Vec<String> = t
                .columns
                .iter()
                .zip(&wrapped)
                .map(|(c, w)| cell(w.get(i).map_or("", String::as_str), c.width, c.align))
                .collect();
            parts.join(" ").trim_end().to_string()
        })
        .collect()
}

fn header_lines(t: &Table) -> Vec<String> {
    let heads: Vec<String> = t.columns.iter().map(|c| c.header.clone()).collect();
    let mut out = row_lines(t, &heads);
    let total: usize = t.columns.iter().map(|c| c.width).sum::<usize>() + t.columns.len() - 1;
    out.push("-".repeat(total.min(PAGE_WIDTH)));
    out
}

/// Lays body lines onto pages of `BODY_LINES`.
struct Pager {
    pages: Vec<Vec<String>>,
    cur: Vec<String>,
}

impl Pager {
    fn room(&self) -> usize {
        BODY_LINES - self.cur.len()
    }

    fn break_page(&mut self) {
        if !self.cur.is_empty() {
            self.pages.push(std::mem::take(&mut self.cur));
        }
    }

    /// Adds lines that should stay together (moved whole to a new page when
    /// they do not fit; split only when longer than a page).
    fn keep(&mut self, lines: Vec<String>) {
        if lines.len() > self.room() && lines.len() <= BODY_LINES {
            self.break_page();
        }
        for l in lines {
            if self.room() == 0 {
                self.break_page();
            }
            self.cur.push(l);
        }
    }

    fn blank_unless_top(&mut self) {
        if !self.cur.is_empty() && self.room() > 0 {
            self.cur.push(String::new());
        }
    }
}

/// The body lines of the document, page by page (without head and foot).
fn body_pages(doc: &Document) -> Vec<Vec<String>> {
    let mut p = Pager {
        pages: Vec::new(),
        cur: Vec::new(),
    };
    for s in &doc.sections {
        p.blank_unless_top();
        let head = header_lines(&s.table);
        let mut rows: Vec<Vec<String>> = s
            .table
            .rows
            .iter()
            .map(|r| {
                row_lines(
                    &s.table,
                    &r.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
                )
            })
            .collect();
        if rows.is_empty() {
            rows.push(vec!["无".to_string()]);
        }
        // Title, header and the first row together.
        let mut first = vec![s.title.clone()];
        first.extend(head.iter().cloned());
        first.extend(rows[0].iter().cloned());
        p.keep(first);
        for r in rows.into_iter().skip(1) {
            if r.len() > p.room() {
                p.break_page();
                let mut cont = vec![format!("{}（续）", s.title)];
                cont.extend(head.iter().cloned());
                cont.extend(r);
                p.keep(cont);
            } else {
                p.keep(r);
            }
        }
        for n in &s.notes {
            for l in wrap(n, PAGE_WIDTH) {
                p.keep(vec![l]);
            }
        }
    }
    p.blank_unless_top();
    p.keep(
        doc.signoff
            .iter()
            .flat_map(|l| wrap(l, PAGE_WIDTH))
            .collect(),
    );
    p.break_page();
    p.pages
}

/// The report as pages of at most 60 lines of at most 80 display columns;
/// every page has the title, the header line and `第 P 页 共 N 页` (last
/// line). Body lines are padded so the page number sits on line 60.
pub fn pages(report: &MonthlyReport, settings: &Settings) -> Vec<Vec<String>> {
    let doc = document(report, settings);
    let body = body_pages(&doc);
    let n = body.len();
    body.into_iter()
        .enumerate()
        .map(|(i, b)| {
            let mut page = vec![
                center(&doc.title),
                truncate_width(&doc.header, PAGE_WIDTH),
                String::new(),
            ];
            let used = b.len();
            page.extend(b);
            page.extend(std::iter::repeat_n(String::new(), BODY_LINES - used + 1));
            page.push(center(&format!("第 {} 页 共 {} 页", i + 1, n)));
            page
        })
        .collect()
}

/// The whole text: pages separated by form feeds, lines by `\n`.
pub fn render(report: &MonthlyReport, settings: &Settings) -> String {
    pages(report, settings)
        .iter()
        .map(|p| {
            let mut s = p.join("\n");
            s.push('\n');
            s
        })
        .collect::<Vec<_>>()
        .join("\x0c")
}
