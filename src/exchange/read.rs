//! Reading CSV (UTF-8 with or without BOM, GBK/GB18030) and XLSX files into
//! one uniform grid of cells, whatever produced them.

use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use calamine::{DataRef, Reader, Xlsx};
use chrono::NaiveDate;

use super::xlsx_check::{self, Parts};
use crate::error::{Error, Result};

/// One cell as read. Text is already trimmed and folded (full-width digits,
/// letters and spaces to half-width).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell of a workbook.
    Number(f64),
    /// A cell Excel formats as a date.
    Date(NaiveDate),
    /// A cell that holds an error value (`#N/A`) or a date that cannot be.
    Bad(String),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text: numbers without a spurious `.0`, dates ISO.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty | Cell::Bad(_) => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(v) => number_text(*v),
            Cell::Date(d) => d.to_string(),
        }
    }
}

/// A whole number as an integer, anything else in Rust's shortest form.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// One sheet: its rows with their row numbers as the clerk sees them
/// (1 = the header row in Excel or the first line of the CSV).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<(usize, Vec<Cell>)>,
    /// Rows that cannot be trusted as a whole (a CSV row with fewer fields
    /// than the header, an unterminated quote), with the reason: each is an
    /// error of that row, never a row of empty values.
    pub broken: Vec<(usize, String)>,
}

impl Sheet {
    pub fn new(name: String, rows: Vec<(usize, Vec<Cell>)>) -> Sheet {
        Sheet {
            name,
            rows,
            broken: Vec::new(),
        }
    }

    /// Whether row `row` (its number as shown) is broken.
    pub fn is_broken(&self, row: usize) -> bool {
        self.broken.iter().any(|(r, _)| *r == row)
    }

    /// Each broken row as an error of that row, the sheet named `sheet_name`.
    pub fn broken_rows_into(&self, sheet_name: &str, errors: &mut super::ErrorList) {
        for (row, reason) in &self.broken {
            errors.push(format!("{sheet_name}!{row} 整行: {reason}"));
        }
    }
}

/// Folds full-width digits and letters (U+FF10–FF19, FF21–FF3A, FF41–FF5A)
/// and the ideographic space to half-width, then trims. Full-width
/// punctuation such as （） stays as typed (FORMATS.md "Reading rules").
pub fn fold_cell(s: &str) -> String {
    let needs = s.chars().any(|c| {
        matches!(c, '\u{3000}' | '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
    });
    if !needs {
        return s.trim().to_string();
    }
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            other => other,
        })
        .collect();
    folded.trim().to_string()
}

fn text_cell(s: &str) -> Cell {
    let t = fold_cell(s);
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t)
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What a file turned out to be.
pub enum Book {
    /// A workbook, opened (its sheet names known) but its rows not yet
    /// read: the import reads the sheets it needs while it works.
    Xlsx(Workbook),
    /// A CSV file: one sheet whose name is still to be decided.
    Csv(Sheet),
}

/// An opened workbook. Opening checks everything but the worksheets' cells
/// (the ZIP and its sizes, every other part to its end, the shared strings:
/// xlsx_check.rs), so a file that is not a workbook is refused before any
/// ledger is touched. A sheet's cells are checked before it is read, unless
/// the caller checks them all beside the reading ([`Workbook::sheet_check`]).
pub struct Workbook {
    name: String,
    /// The file, shared with a check running beside the reading.
    bytes: Arc<[u8]>,
    /// Boxed: calamine's reader is a few hundred bytes, a `Book` is moved.
    xlsx: Box<Xlsx<Cursor<Arc<[u8]>>>>,
    /// Sheet names as in the file, in file order.
    raw_names: Vec<String>,
    parts: Parts,
    /// Every worksheet is being checked by the caller (see `sheet_check`).
    checked_by_caller: bool,
}

impl Workbook {
    /// The sheet names, trimmed and folded, in file order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.raw_names.iter().map(|n| fold_cell(n)).collect()
    }

    /// Reads the sheet at `index` (of [`Workbook::sheet_names`]), its cells
    /// checked first.
    pub fn read_sheet(&mut self, index: usize) -> Result<Sheet> {
        let Some(raw) = self.raw_names.get(index).cloned() else {
            return Err(Error::fail(
                "sheet-index",
                format!("工作簿 {} 中没有第 {} 张表", self.name, index + 1),
            ));
        };
        if !self.checked_by_caller {
            // A sheet without a part of its own (a chart sheet) has no
            // cells; every part is checked when the name is not found.
            let only = self.parts.has_sheet(&raw).then_some(raw.as_str());
            xlsx_check::check_sheets(&self.name, &self.bytes, &self.parts, only)?;
        }
        let rows = xlsx_rows(&mut self.xlsx, &raw).map_err(|e| xlsx_error(&self.name, e))?;
        Ok(Sheet::new(fold_cell(&raw), rows))
    }

    /// The check of every worksheet's cells, to run on another thread while
    /// this one reads; from now on [`Workbook::read_sheet`] does not check
    /// again. The caller must wait for the check and refuse the whole file
    /// (writing nothing) when it fails: what calamine reads meanwhile may
    /// be wrong, but it is bounded by the file (the first pass refused
    /// everything that is not).
    pub fn sheet_check(&mut self) -> impl FnOnce() -> Result<()> + Send + 'static {
        self.checked_by_caller = true;
        let (name, bytes, parts) = (self.name.clone(), self.bytes.clone(), self.parts.clone());
        move || xlsx_check::check_sheets(&name, &bytes, &parts, None)
    }

    /// Every sheet, in file order.
    pub fn into_sheets(mut self) -> Result<Vec<Sheet>> {
        (0..self.raw_names.len())
            .map(|i| self.read_sheet(i))
            .collect()
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a file by its content (a ZIP is a workbook) and its extension
/// (`.csv`, `.txt` are CSV).
pub fn read_file(path: &Path) -> Result<Book> {
    let name = file_name(path);
    // A FIFO or device would block the read or never end.
    crate::files::ensure_regular(path, "要导入的文件")?;
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::input(
            "not-found",
            format!("找不到要导入的文件 {}", path.display()),
        ),
        std::io::ErrorKind::PermissionDenied => Error::input(
            "permission",
            format!(
                "没有权限读取 {}，请检查文件是否被其他程序占用",
                path.display()
            ),
        ),
        _ => Error::input("io", format!("读取 {} 出错：{e}", path.display())),
    })?;
    read_owned(&name, bytes)
}

/// Same as [`read_file`] for bytes already in memory; `name` is the file name.
pub fn read_bytes(name: &str, bytes: &[u8]) -> Result<Book> {
    read_owned(name, bytes.to_vec())
}

fn read_owned(name: &str, bytes: Vec<u8>) -> Result<Book> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) || bytes == b"\xEF\xBB\xBF" {
        return Err(Error::input(
            "empty-file",
            format!("文件 {name} 是空的，没有可导入的内容"),
        ));
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return open_xlsx(name, bytes).map(Book::Xlsx);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return Err(ole_error(name, &bytes));
    }
    let lower = name.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return read_csv(name, &bytes).map(Book::Csv);
    }
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return Err(Error::input(
            "bad-xlsx",
            format!(
                "{name} 不是有效的 Excel 工作簿（文件已损坏或并非 .xlsx），请在 Excel/WPS 中打开后重新另存为 .xlsx"
            ),
        ));
    }
    Err(Error::input(
        "not-csv-xlsx",
        format!(
            "{name} 不是 CSV 或 XLSX 文件；请在 Excel/WPS 中另存为 .xlsx 工作簿或 .csv 文件后再导入"
        ),
    ))
}

/// An OLE compound file is either an encrypted (password-protected) OOXML
/// workbook or an old binary .xls/.et file.
fn ole_error(name: &str, bytes: &[u8]) -> Error {
    let marker: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
        Error::input(
            "encrypted",
            format!(
                "工作簿 {name} 设有打开密码（已加密），无法读取；请在 Excel/WPS 中取消密码后另存再导入"
            ),
        )
    } else {
        Error::input(
            "old-xls",
            format!("{name} 是旧版 .xls 格式；请在 Excel/WPS 中另存为 .xlsx 工作簿后再导入"),
        )
    }
}

fn xlsx_error(name: &str, e: calamine::XlsxError) -> Error {
    match e {
        calamine::XlsxError::Unexpected(SPARSE) => Error::input(
            "bad-xlsx",
            format!(
                "工作簿已损坏：{name} 的单元格分布异常（很少的内容散布在极远的列上），可能是恶意构造的文件；请在 Excel/WPS 中打开它，确认内容无误后重新另存为 .xlsx 再导入"
            ),
        ),
        calamine::XlsxError::Password => Error::input(
            "encrypted",
            format!("工作簿 {name} 设有密码，无法读取；请在 Excel/WPS 中取消密码后另存再导入"),
        ),
        // calamine's own words are English: the clerk gets the Chinese
        // reason (the full error is of no use to them).
        _ => Error::input(
            "bad-xlsx",
            format!(
                "工作簿已损坏：{name} 的内容无法读取（不是有效的 Excel 工作簿）；请在 Excel/WPS 中打开后重新另存为 .xlsx 再导入"
            ),
        ),
    }
}

fn open_xlsx(name: &str, bytes: Vec<u8>) -> Result<Workbook> {
    // Every part but the worksheets checked to its end before calamine,
    // which trusts counts, indexes and references, opens the file.
    let parts = xlsx_check::check_book(name, &bytes)?;
    let bytes: Arc<[u8]> = bytes.into();
    let xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).map_err(|e| xlsx_error(name, e))?;
    let raw_names = xlsx.sheet_names();
    Ok(Workbook {
        name: name.to_string(),
        bytes,
        xlsx: Box::new(xlsx),
        raw_names,
        parts,
        checked_by_caller: false,
    })
}

/// The rows of one worksheet, streamed cell by cell in file order (no
/// intermediate dense range: a large export holds millions of cells).
/// Cells keep their absolute column; a row is numbered as Excel shows it;
/// rows without a non-empty cell are left out, so the first row is the
/// header wherever the sheet starts. A chart sheet has no rows.
fn xlsx_rows(
    book: &mut Xlsx<Cursor<Arc<[u8]>>>,
    sheet_name: &str,
) -> std::result::Result<Vec<(usize, Vec<Cell>)>, calamine::XlsxError> {
    let mut reader = match book.worksheet_cells_reader(sheet_name) {
        Ok(r) => r,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();
    let mut current: Option<(u32, Vec<Cell>)> = None;
    // The empty cells rows are padded with stay proportional to the cells
    // the file really holds (a cell at column 16,384 in every row of a
    // small file would otherwise take gigabytes).
    let (mut held, mut padded) = (0usize, 0usize);
    while let Some(c) = reader.next_cell()? {
        let value = xlsx_cell(c.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, col) = c.get_position();
        let col = col as usize;
        if current.as_ref().is_none_or(|(r, _)| *r != row) {
            if let Some((r, cells)) = current.take() {
                rows.push((r as usize + 1, cells));
            }
            current = Some((row, Vec::new()));
        }
        if let Some((_, cells)) = current.as_mut() {
            held += 1;
            if cells.len() <= col {
                padded += col + 1 - cells.len();
                if padded > PAD_PER_CELL * held + PAD_FREE {
                    return Err(calamine::XlsxError::Unexpected(SPARSE));
                }
                cells.resize(col + 1, Cell::Empty);
            }
            cells[col] = value;
        }
    }
    if let Some((r, cells)) = current {
        rows.push((r as usize + 1, cells));
    }
    // Excel writes rows in order; sort anyway for hand-made files.
    if rows.windows(2).any(|w| w[0].0 >= w[1].0) {
        rows.sort_by_key(|r| r.0);
    }
    Ok(rows)
}

/// Empty cells a sheet may pad its rows with: per cell it holds, and free.
const PAD_PER_CELL: usize = 64;
const PAD_FREE: usize = 1 << 16;
const SPARSE: &str = "sparse";

fn xlsx_cell(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.to_string()),
        DataRef::DateTime(dt) => {
            if dt.is_duration() {
                return Cell::Bad("是时长，不是日期".to_string());
            }
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d)) {
                Some(date) => Cell::Date(date),
                None => Cell::Bad(format!("日期 {y}-{m}-{d} 不存在")),
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_cell(s),
        DataRef::Error(e) => Cell::Bad(format!("是错误值 {e}")),
    }
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped), else GB18030 (a superset of
/// GBK, what Excel on Chinese Windows writes).
pub fn decode_text(name: &str, bytes: &[u8]) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::input(
            "utf16",
            format!(
                "{name} 是 UTF-16（Unicode 文本）格式；请在 Excel/WPS 中另存为“CSV（逗号分隔）”或“CSV UTF-8”"
            ),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.contains(&0) {
        return Err(not_text(name));
    }
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(s.to_string());
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(body);
    if had_errors
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(not_text(name));
    }
    Ok(text.into_owned())
}

fn not_text(name: &str) -> Error {
    Error::input(
        "bad-encoding",
        format!(
            "{name} 不是可识别的 CSV 文本（既不是 UTF-8 也不是 GBK 编码，可能是其他格式的文件）；请在 Excel/WPS 中另存为 CSV 后再导入"
        ),
    )
}

fn read_csv(name: &str, bytes: &[u8]) -> Result<Sheet> {
    let text = decode_text(name, bytes)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Lines taken by line breaks inside quoted cells so far: a row number
    // is the record's position as Excel shows it.
    let mut extra_lines = 0usize;
    // Line counting from the byte offsets: the csv crate skips blank lines
    // and reports a record as starting where the blank lines began.
    let bytes = text.as_bytes();
    let (mut scan_pos, mut scan_line) = (0usize, 1usize);
    let mut rec = csv::StringRecord::new();
    // Fields of the header up to its last named one: a row with fewer was
    // cut off (an incomplete copy) and is an error of that row.
    let mut header_fields: Option<usize> = None;
    let mut broken = Vec::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let start = rec
                    .position()
                    .map_or(scan_pos, |p| p.byte() as usize)
                    .clamp(scan_pos, bytes.len());
                scan_line += bytes[scan_pos..start]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                let mut k = start;
                while k < bytes.len() && matches!(bytes[k], b'\n' | b'\r') {
                    if bytes[k] == b'\n' {
                        scan_line += 1;
                    }
                    k += 1;
                }
                scan_pos = k;
                let row = scan_line.saturating_sub(extra_lines).max(1);
                let mut cells: Vec<Cell> = rec.iter().map(text_cell).collect();
                while cells.last().is_some_and(Cell::is_empty) {
                    cells.pop();
                }
                extra_lines += rec.iter().map(|f| f.matches('\n').count()).sum::<usize>();
                match header_fields {
                    None => {
                        header_fields = Some(cells.len());
                    }
                    Some(w) if rec.len() < w && !cells.is_empty() => broken.push((
                        row,
                        format!(
                            "这一行只有 {} 个字段，表头有 {w} 个：文件可能不完整（复制或保存时被截断），请核对这一行",
                            rec.len()
                        ),
                    )),
                    Some(_) => {}
                }
                rows.push((row, cells));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(Error::input(
                    "bad-csv",
                    format!("{name} 第 {line} 行不是有效的 CSV（引号不配对等）：{e}"),
                ));
            }
        }
    }
    if unclosed_quote(bytes)
        && let Some((row, _)) = rows.last()
    {
        let row = *row;
        broken.retain(|(r, _)| *r != row);
        broken.push((
            row,
            "这一行的引号没有结束，一直到文件末尾都没有配对：文件可能不完整（复制或保存时被截断），请核对这一行".to_string(),
        ));
    }
    Ok(Sheet {
        name: String::new(),
        rows,
        broken,
    })
}

/// Whether the CSV text ends inside a quoted field (RFC 4180 as the csv
/// crate reads it: a quote opens a field only at its start, `""` inside is
/// one quote, a lone quote closes it). The csv crate takes such a field to
/// the end of the file without a word.
fn unclosed_quote(bytes: &[u8]) -> bool {
    #[derive(PartialEq)]
    enum St {
        Start,
        Plain,
        Quoted,
        /// A quote inside a quoted field: closing, or the first of `""`.
        QuoteInQuoted,
    }
    let mut st = St::Start;
    for &b in bytes {
        st = match (st, b) {
            (St::Start, b'"') => St::Quoted,
            (St::Start | St::Plain, b',' | b'\n' | b'\r') => St::Start,
            (St::Start | St::Plain, _) => St::Plain,
            (St::Quoted, b'"') => St::QuoteInQuoted,
            (St::Quoted, _) => St::Quoted,
            (St::QuoteInQuoted, b'"') => St::Quoted,
            (St::QuoteInQuoted, b',' | b'\n' | b'\r') => St::Start,
            (St::QuoteInQuoted, _) => St::Plain,
        };
    }
    st == St::Quoted
}

/// The sheet a CSV file stands for, from its file name: `单位.csv`,
/// `01_单位.csv`, `1-单位.csv`, `01 单位.csv`.
pub fn sheet_name_from_file(name: &str) -> String {
    let stem = match name.rfind('.') {
        Some(i) => &name[..i],
        None => name,
    };
    let stem = fold_cell(stem);
    let rest = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = if rest.len() < stem.len() {
        rest.trim_start_matches(['_', '-', '.', ' ', '、'])
    } else {
        rest
    };
    rest.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_digits_letters_spaces_only() {
        assert_eq!(fold_cell("　１２３ＡＢｃ　"), "123ABc");
        assert_eq!(fold_cell("张三（出差）"), "张三（出差）");
    }

    #[test]
    fn csv_sheet_names() {
        assert_eq!(sheet_name_from_file("单位.csv"), "单位");
        assert_eq!(sheet_name_from_file("01_单位.csv"), "单位");
        assert_eq!(sheet_name_from_file("3-党员.CSV"), "党员");
        assert_eq!(sheet_name_from_file("指导员联系单位.csv"), "指导员联系单位");
    }

    #[test]
    fn csv_row_numbers_as_excel_shows_them() {
        let sheet = read_csv("x.csv", b"a,b\n\nx,y\n\"q\nw\",z\r\n\r\nk\n").unwrap();
        let rows: Vec<usize> = sheet.rows.iter().map(|r| r.0).collect();
        assert_eq!(rows, [1, 3, 4, 6]);
    }

    #[test]
    fn a_row_cut_short_or_an_open_quote_is_broken() {
        let sheet = read_csv(
            "x.csv",
            "名称,类型,行业\n甲,非公企业,制造\n乙,社会组织".as_bytes(),
        )
        .unwrap();
        assert_eq!(sheet.broken.len(), 1);
        assert_eq!(sheet.broken[0].0, 3);
        assert!(sheet.broken[0].1.contains("只有 2 个字段，表头有 3 个"));
        let sheet = read_csv("x.csv", "名称,备注\n甲,\"第一行\n第二".as_bytes()).unwrap();
        assert_eq!(sheet.broken.len(), 1);
        assert_eq!(sheet.broken[0].0, 2);
        assert!(sheet.broken[0].1.contains("引号没有结束"));
        // Quotes closed, "" inside, trailing empty fields written out: whole.
        let sheet = read_csv(
            "x.csv",
            "名称,备注,行业\n\"甲\"\"乙\",\"a,b\",\n丙,,\n\n".as_bytes(),
        )
        .unwrap();
        assert!(sheet.broken.is_empty(), "{:?}", sheet.broken);
        assert!(!unclosed_quote(b"a,\"b\"\"\"\n"));
        assert!(unclosed_quote(b"a,\"b\"\"\n"));
        assert!(!unclosed_quote(b"a,b\"c\n"));
    }

    #[test]
    fn number_text_has_no_trailing_zero() {
        assert_eq!(number_text(13800138000.0), "13800138000");
        assert_eq!(number_text(1.5), "1.5");
    }
}
