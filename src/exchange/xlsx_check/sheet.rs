//! The worksheet pass of the workbook check: every row and cell of one
//! sheet against Excel's limits, the declared dimension, the shared strings
//! and the cell types (see the parent module for the whole check).

use quick_xml::events::BytesStart;

use super::{MAX_CELL_CHARS, MAX_COLS, MAX_ROWS, Visit, attr, chars, cut};

/// A cell reference `B7` → (row, column), both from 1, within Excel's
/// limits.
pub fn parse_ref(r: &str) -> Option<(u32, u32)> {
    let b = r.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 || letters == b.len() {
        return None;
    }
    let mut col: u32 = 0;
    for c in &b[..letters] {
        col = col * 26 + u32::from(c.to_ascii_uppercase() - b'A' + 1);
    }
    let row = parse_row(&r[letters..])?;
    (col <= MAX_COLS).then_some((row, col))
}

/// A row number 1..=1,048,576 in plain decimal digits.
fn parse_row(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 7 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    (1..=MAX_ROWS).contains(&n).then_some(n)
}

/// The column letters of column `col` (from 1).
fn col_name(mut col: u32) -> String {
    let mut out = Vec::new();
    while col > 0 {
        let r = (col - 1) % 26;
        out.push(b'A' + r as u8);
        col = (col - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The kind of the cell being read, from its `t` attribute.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Shared,
    Str,
    Inline,
    Bool,
    Error,
    IsoDate,
}

/// Checks one worksheet's rows and cells.
pub(super) struct SheetCells {
    sheet: String,
    shared: usize,
    /// The declared dimension, when it spans more than one cell.
    dimension: Option<((u32, u32), (u32, u32))>,
    rows: u32,
    /// Inside a `<row>`.
    in_row: bool,
    row: u32,
    /// The last column seen in the current row (for cells without `r`).
    col: u32,
    cells_in_row: u32,
    /// Inside a `<c>`: its kind.
    cell: Option<Kind>,
    /// Inside the cell's `<v>`, `<is>`, `<t>`, `<f>`.
    in_v: bool,
    in_is: bool,
    in_t: bool,
    in_phonetic: bool,
    value: String,
    /// Characters of the cell's inline string.
    inline_chars: usize,
}

impl SheetCells {
    pub(super) fn new(sheet: String, shared: usize) -> SheetCells {
        SheetCells {
            sheet,
            shared,
            dimension: None,
            rows: 0,
            in_row: false,
            row: 0,
            col: 0,
            cells_in_row: 0,
            cell: None,
            in_v: false,
            in_is: false,
            in_t: false,
            in_phonetic: false,
            value: String::new(),
            inline_chars: 0,
        }
    }

    fn check_value(&self) -> std::result::Result<(), String> {
        let v = self.value.as_str();
        match self.cell {
            Some(Kind::Shared) => {
                // An empty value is an empty cell (as calamine reads it).
                let ok = v.is_empty()
                    || v.len() <= 10
                        && v.bytes().all(|c| c.is_ascii_digit())
                        && v.parse::<usize>().is_ok_and(|i| i < self.shared);
                if !ok {
                    return Err(format!(
                        "共享文本编号“{}”无效（工作簿共有 {} 个共享文本）",
                        cut(v),
                        self.shared
                    ));
                }
            }
            Some(Kind::Number) => {
                if !v.is_empty() && !v.trim().parse::<f64>().is_ok_and(f64::is_finite) {
                    return Err(format!("数字单元格的值“{}”不是数字", cut(v)));
                }
            }
            Some(Kind::Bool) => {
                if !matches!(v.trim(), "" | "0" | "1" | "true" | "false") {
                    return Err(format!("是/否单元格的值“{}”无效", cut(v)));
                }
            }
            Some(Kind::Str | Kind::Error | Kind::IsoDate | Kind::Inline) | None => {
                if chars(v) > MAX_CELL_CHARS {
                    return Err(format!("单元格超过 Excel 上限 {MAX_CELL_CHARS} 个字符"));
                }
            }
        }
        Ok(())
    }
}

impl Visit for SheetCells {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> std::result::Result<(), String> {
        match e.local_name().as_ref() {
            "dimension" => {
                let r = attr(e, "ref")?.unwrap_or_default();
                let mut parts = r.split(':');
                let from = parts.next().and_then(parse_ref);
                let to = match parts.next() {
                    Some(p) => parse_ref(p),
                    None => from,
                };
                match (from, to, parts.next()) {
                    (Some(a), Some(b), None) if a.0 <= b.0 && a.1 <= b.1 => {
                        // A1 alone is what streaming writers put before they
                        // know the range: no promise, so nothing to check.
                        if a != b {
                            self.dimension = Some((a, b));
                        }
                    }
                    _ => return Err(format!("工作表范围“{}”无效", cut(&r))),
                }
            }
            "row" => {
                if self.in_row || self.cell.is_some() {
                    return Err("行套在另一行或单元格里".to_string());
                }
                self.in_row = !empty;
                self.rows += 1;
                if self.rows > MAX_ROWS {
                    return Err(format!("行数超过 Excel 上限 {MAX_ROWS} 行"));
                }
                let r = match attr(e, "r")? {
                    Some(r) => parse_row(&r).ok_or_else(|| format!("行号“{}”无效", cut(&r)))?,
                    None => self.row + 1,
                };
                if r > MAX_ROWS {
                    return Err(format!("行号超过 Excel 上限 {MAX_ROWS}"));
                }
                self.row = r;
                self.col = 0;
                self.cells_in_row = 0;
            }
            "c" => {
                if !self.in_row {
                    return Err("单元格不在任何行内".to_string());
                }
                if self.cell.is_some() {
                    return Err("单元格套在另一个单元格里".to_string());
                }
                let (row, col) = match attr(e, "r")? {
                    Some(r) => parse_ref(&r)
                        .ok_or_else(|| format!("单元格位置“{}”无效或超出 Excel 范围", cut(&r)))?,
                    None => (self.row, self.col + 1),
                };
                if row != self.row {
                    return Err(format!(
                        "单元格 {}{row} 不在它所在的第 {} 行",
                        col_name(col),
                        self.row
                    ));
                }
                if col > MAX_COLS {
                    return Err(format!("列数超过 Excel 上限 {MAX_COLS} 列"));
                }
                self.cells_in_row += 1;
                if self.cells_in_row > MAX_COLS {
                    return Err(format!("一行的单元格超过 Excel 上限 {MAX_COLS} 个"));
                }
                self.col = col;
                if let Some(((r0, c0), (r1, c1))) = self.dimension
                    && (!(r0..=r1).contains(&row) || !(c0..=c1).contains(&col))
                {
                    return Err(format!(
                        "单元格 {}{row} 在工作表登记的范围 {}{r0}:{}{r1} 之外",
                        col_name(col),
                        col_name(c0),
                        col_name(c1)
                    ));
                }
                let kind = match attr(e, "t")?.as_deref() {
                    None | Some("n") => Kind::Number,
                    Some("s") => Kind::Shared,
                    Some("str") => Kind::Str,
                    Some("inlineStr") => Kind::Inline,
                    Some("b") => Kind::Bool,
                    Some("e") => Kind::Error,
                    Some("d") => Kind::IsoDate,
                    Some(other) => {
                        return Err(format!("单元格类型“{}”无效", cut(other)));
                    }
                };
                self.value.clear();
                self.inline_chars = 0;
                self.cell = (!empty).then_some(kind);
            }
            "v" if self.cell.is_some() => {
                self.in_v = true;
                self.value.clear();
            }
            "is" if self.cell.is_some() => self.in_is = true,
            "rPh" if self.in_is => self.in_phonetic = true,
            "t" if self.in_is => self.in_t = true,
            _ => {}
        }
        Ok(())
    }

    fn end(&mut self, local: &str) -> std::result::Result<(), String> {
        match local {
            "v" if self.in_v => {
                self.in_v = false;
                self.check_value()?;
            }
            "c" => self.cell = None,
            "row" => self.in_row = false,
            "is" => self.in_is = false,
            "rPh" => self.in_phonetic = false,
            "t" => self.in_t = false,
            _ => {}
        }
        Ok(())
    }

    fn text(&mut self, t: &str) -> std::result::Result<(), String> {
        if self.in_v {
            // A value longer than any cell may be is refused before it is
            // held (4 bytes per character at most).
            if self.value.len() + t.len() > MAX_CELL_CHARS * 4 {
                return Err(format!("单元格超过 Excel 上限 {MAX_CELL_CHARS} 个字符"));
            }
            self.value.push_str(t);
        } else if self.in_t && !self.in_phonetic {
            self.inline_chars += chars(t);
            if self.inline_chars > MAX_CELL_CHARS {
                return Err(format!("单元格超过 Excel 上限 {MAX_CELL_CHARS} 个字符"));
            }
        }
        Ok(())
    }

    fn cell(&self) -> Option<String> {
        (self.cell.is_some() && self.col > 0).then(|| format!("{}{}", col_name(self.col), self.row))
    }

    fn place(&self, _part: &str) -> String {
        format!("工作表“{}”", self.sheet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_within_excel() {
        assert_eq!(parse_ref("A1"), Some((1, 1)));
        assert_eq!(parse_ref("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(parse_ref("XFE1"), None);
        assert_eq!(parse_ref("ZZZZZZ1"), None);
        assert_eq!(parse_ref("A1048577"), None);
        assert_eq!(parse_ref("A0"), None);
        assert_eq!(parse_ref("A-1"), None);
        assert_eq!(parse_ref("1A"), None);
        assert_eq!(parse_ref("AB"), None);
        assert_eq!(col_name(1), "A");
        assert_eq!(col_name(28), "AB");
        assert_eq!(col_name(16_384), "XFD");
    }
}
