//! The monthly report as an XLSX workbook that clerks can still fix by hand
//! and print from WPS or Excel.
//!
//! One sheet per section of the printed document ([`super::layout`]), so
//! each table gets its own column widths and its own repeated header rows.
//! Every sheet: the title, the header line, the section title and the
//! column headers (rows 1–4, repeated on every printed page), the table with
//! borders, the notes, and on the last sheet the sign-off. Page setup: A4
//! portrait, one page wide, print area, footer `第 &P 页 共 &N 页`.
//!
//! Numbers stay numbers: counts as integers, amounts in 元 (fen / 100) with
//! `#,##0.00`, rates as fractions with `0.0%`. Column widths come from the
//! display width of the text (CJK = 2), because rust_xlsxwriter's autofit
//! under-sizes Chinese.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::layout::{self, Align, Cell, Section};
use super::model::MonthlyReport;
use crate::domain::records::Settings;
use crate::error::{Error, Result};

/// The font Chinese office forms use; WPS and Excel on Chinese Windows have it.
const FONT: &str = "宋体";
/// Rows 1–4 (title, header line, section title, column headers).
const HEADER_ROWS: u32 = 4;
/// Widest column, in characters; longer text wraps.
const MAX_WIDTH: usize = 44;
const MIN_WIDTH: usize = 6;
/// Height of one line of 11 pt text, in points.
const LINE_HEIGHT: f64 = 14.5;
/// A4 in Excel's paper size numbering.
const PAPER_A4: u8 = 9;

/// The report as the bytes of an XLSX file.
pub fn render(report: &MonthlyReport, settings: &Settings) -> Result<Vec<u8>> {
    build(report, settings).map_err(|e| {
        Error::fail(
            "xlsx",
            format!("生成 Excel 文件失败（程序内部错误，请告诉开发人员）：{e}"),
        )
    })
}

/// The display width of a text: CJK characters count 2.
pub fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

struct Styles {
    title: Format,
    header_line: Format,
    section: Format,
    column_header: Format,
    text: Format,
    text_strong: Format,
    int: Format,
    int_strong: Format,
    money: Format,
    money_strong: Format,
    rate: Format,
    rate_strong: Format,
    dash: Format,
    empty: Format,
    note: Format,
    signoff: Format,
    signoff_right: Format,
}

impl Styles {
    fn new() -> Styles {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter);
        let strong = |f: &Format| f.clone().set_bold();
        let text = cell.clone().set_text_wrap();
        let int = cell.clone().set_num_format("0");
        let money = cell.clone().set_num_format("#,##0.00");
        let rate = cell.clone().set_num_format("0.0%");
        Styles {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            header_line: base
                .clone()
                .set_font_size(10)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            section: base
                .clone()
                .set_font_size(12)
                .set_bold()
                .set_align(FormatAlign::VerticalCenter),
            column_header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(Color::RGB(0xE8E8E8)),
            text_strong: strong(&text),
            text,
            int_strong: strong(&int),
            int,
            money_strong: strong(&money),
            money,
            rate_strong: strong(&rate),
            rate,
            dash: cell.clone().set_align(FormatAlign::Center),
            empty: cell.clone().set_align(FormatAlign::Center),
            note: base
                .clone()
                .set_font_size(10)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            signoff: base.clone().set_align(FormatAlign::VerticalCenter),
            signoff_right: base
                .clone()
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::VerticalCenter),
        }
    }
}

fn build(report: &MonthlyReport, settings: &Settings) -> std::result::Result<Vec<u8>, XlsxError> {
    let doc = layout::document(report, settings);
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let mut props = DocProperties::new()
        .set_title(&doc.title)
        .set_author("djtz 党建台账");
    // A fixed creation time (the report's own) keeps two runs byte-equal.
    if let Some(created) = creation_time(&report.generated_at) {
        props = props.set_creation_datetime(&created);
    }
    workbook.set_properties(&props);
    let last = doc.sections.len().saturating_sub(1);
    for (i, section) in doc.sections.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        let signoff: &[String] = if i == last { &doc.signoff } else { &[] };
        write_section(sheet, &styles, &doc.title, &doc.header, section, signoff)?;
    }
    workbook.save_to_buffer()
}

fn creation_time(rfc3339: &str) -> Option<ExcelDateTime> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
    let d = t.naive_local();
    use chrono::{Datelike, Timelike};
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()?
    .and_hms(
        u16::try_from(d.hour()).ok()?,
        u8::try_from(d.minute()).ok()?,
        d.second(),
    )
    .ok()
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    let clean: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.trim().is_empty() {
        "月报".to_string()
    } else {
        clean
    }
}

/// How many lines `text` takes in a column `width` characters wide.
fn lines(text: &str, width: usize) -> usize {
    text.split('\n')
        .map(|l| display_width(l).div_ceil(width.max(1)).max(1))
        .sum()
}

/// Column widths in characters: the widest header or cell, plus padding.
fn column_widths(section: &Section) -> Vec<usize> {
    let t = &section.table;
    t.columns
        .iter()
        .enumerate()
        .map(|(c, col)| {
            let cells = t
                .rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|cell| display_width(&cell.to_string()));
            let widest = cells.chain([display_width(&col.header)]).max().unwrap_or(0);
            (widest + 2).clamp(MIN_WIDTH, MAX_WIDTH)
        })
        .collect()
}

/// A column index; a report never comes near the limit, and the writer
/// rejects anything beyond it anyway.
fn col(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Writes `text` across all columns of `r` (merged when there are several).
fn full_row(
    sheet: &mut Worksheet,
    r: u32,
    ncols: usize,
    text: &str,
    format: &Format,
) -> std::result::Result<(), XlsxError> {
    if ncols > 1 {
        sheet.merge_range(r, 0, r, col(ncols - 1), text, format)?;
    } else {
        sheet.write_string_with_format(r, 0, text, format)?;
    }
    Ok(())
}

fn write_section(
    sheet: &mut Worksheet,
    st: &Styles,
    title: &str,
    header: &str,
    section: &Section,
    signoff: &[String],
) -> std::result::Result<(), XlsxError> {
    sheet.set_name(sheet_name(&section.title))?;
    let columns = &section.table.columns;
    let ncols = columns.len().max(1);
    let widths = column_widths(section);
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), *w as f64)?;
    }
    let total_width: usize = widths.iter().sum::<usize>().max(1);

    // Rows 1–4: repeated on every printed page.
    full_row(sheet, 0, ncols, title, &st.title)?;
    sheet.set_row_height(0, 30)?;
    full_row(sheet, 1, ncols, header, &st.header_line)?;
    sheet.set_row_height(1, LINE_HEIGHT * lines(header, total_width) as f64 + 3.0)?;
    full_row(sheet, 2, ncols, &section.title, &st.section)?;
    sheet.set_row_height(2, 22)?;
    let mut header_lines = 1;
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(3, col(c), &column.header, &st.column_header)?;
        header_lines = header_lines.max(lines(&column.header, widths[c].saturating_sub(1)));
    }
    sheet.set_row_height(3, LINE_HEIGHT * header_lines as f64 + 4.0)?;

    let mut r = HEADER_ROWS;
    if section.table.rows.is_empty() {
        full_row(sheet, r, ncols, "（无）", &st.empty)?;
        r += 1;
    }
    for cells in &section.table.rows {
        let strong = matches!(cells.first(), Some(Cell::Text(t))
            if t.trim().ends_with("合计") || t.trim() == "期末余额");
        let mut height = 1;
        for (c, cell) in cells.iter().enumerate() {
            let cc = col(c);
            let right = columns.get(c).is_some_and(|k| k.align == Align::Right);
            match cell {
                Cell::Text(s) => {
                    // Leading spaces (the layout's "其中：" indent) are kept:
                    // in 宋体 a space is half a Chinese character, so the
                    // labels line up as on paper.
                    let mut f = if strong {
                        st.text_strong.clone()
                    } else {
                        st.text.clone()
                    };
                    if right {
                        f = f.set_align(FormatAlign::Right);
                    }
                    if s == "-" {
                        f = st.dash.clone();
                    }
                    sheet.write_string_with_format(r, cc, s, &f)?;
                    let w = widths.get(c).copied().unwrap_or(MIN_WIDTH);
                    height = height.max(lines(s, w.saturating_sub(1)));
                }
                Cell::Int(n) => {
                    let f = if strong { &st.int_strong } else { &st.int };
                    sheet.write_number_with_format(r, cc, *n as f64, f)?;
                }
                Cell::Money(fen) => {
                    let f = if strong { &st.money_strong } else { &st.money };
                    sheet.write_number_with_format(r, cc, fen.0 as f64 / 100.0, f)?;
                }
                Cell::Rate(Some(x)) => {
                    let f = if strong { &st.rate_strong } else { &st.rate };
                    sheet.write_number_with_format(r, cc, *x, f)?;
                }
                Cell::Rate(None) | Cell::NotAvailable => {
                    sheet.write_string_with_format(r, cc, "-", &st.dash)?;
                }
            }
        }
        if height > 1 {
            sheet.set_row_height(r, LINE_HEIGHT * height as f64 + 3.0)?;
        }
        r += 1;
    }

    for note in &section.notes {
        full_row(sheet, r, ncols, note, &st.note)?;
        sheet.set_row_height(r, LINE_HEIGHT * lines(note, total_width) as f64 + 2.0)?;
        r += 1;
    }

    if !signoff.is_empty() {
        r += 1; // a blank line before the signatures
        for (i, line) in signoff.iter().enumerate() {
            let f = if i == 0 {
                &st.signoff
            } else {
                &st.signoff_right
            };
            full_row(sheet, r, ncols, line, f)?;
            sheet.set_row_height(r, 24)?;
            r += 1;
        }
    }

    let last_row = r.saturating_sub(1).max(HEADER_ROWS - 1);
    sheet
        .set_paper_size(PAPER_A4)
        .set_portrait()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.6, 0.6, 0.75, 0.75, 0.3, 0.35)
        .set_footer("&C第 &P 页 共 &N 页");
    sheet.set_repeat_rows(0, HEADER_ROWS - 1)?;
    sheet.set_print_area(0, 0, last_row, col(ncols - 1))?;
    sheet.set_freeze_panes(HEADER_ROWS, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two() {
        assert_eq!(display_width("党员ab"), 6);
        assert_eq!(display_width("（无）"), 6);
    }

    #[test]
    fn sheet_names_are_valid() {
        assert_eq!(sheet_name("一、两个覆盖"), "一、两个覆盖");
        assert_eq!(sheet_name("a/b[c]"), "abc");
        assert_eq!(sheet_name("  "), "月报");
    }

    #[test]
    fn wrapped_line_count() {
        assert_eq!(lines("", 10), 1);
        assert_eq!(lines("一二三四五", 10), 1);
        assert_eq!(lines("一二三四五六", 10), 2);
    }
}
