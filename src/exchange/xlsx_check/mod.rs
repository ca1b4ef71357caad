//! Distrust of a workbook before a single row is read (FORMATS.md
//! "Reading rules"): every ZIP entry is decompressed once, in a stream, to
//! its end, so a damaged entry fails its CRC and its declared size; every XML
//! part is parsed to its end; the worksheets' cells are checked against what
//! the file really holds. Anything wrong refuses the whole file with
//! `工作簿已损坏` and, where it is known, the sheet and cell.
//!
//! calamine reads the rows afterwards, but it trusts what it reads: a shared
//! string index `-1` or `abc` becomes string 0, a cell reference `ZZZZZZ1`
//! becomes column 321,272,405 (and our row a 10 GB vector), a zeroed CRC is
//! never checked because it stops before the end of the entry. This pass
//! makes sure none of that reaches it. Memory stays bounded: one XML event
//! and one cell value at a time.

use std::collections::HashMap;
use std::io::{BufReader, Cursor};

use quick_xml::events::{BytesStart, Event};

mod sheet;
use sheet::SheetCells;

use crate::error::{Error, Result};

/// Excel's own limits.
pub const MAX_ROWS: u32 = 1_048_576;
pub const MAX_COLS: u32 = 16_384;
/// Characters in one cell, as in Excel.
pub const MAX_CELL_CHARS: usize = 32_767;
/// An entry larger than this must not be more than [`MAX_RATIO`] times its
/// compressed size: a "zip bomb" (Apache POI uses the same ratio).
const RATIO_FROM_BYTES: u64 = 10 << 20;
const MAX_RATIO: u64 = 100;

/// What went wrong and where.
struct Fault {
    /// The sheet (its name in the workbook) or the part.
    place: String,
    /// The cell, where known (`B7`).
    cell: Option<String>,
    reason: String,
}

impl Fault {
    fn part(place: &str, reason: impl Into<String>) -> Fault {
        Fault {
            place: place.to_string(),
            cell: None,
            reason: reason.into(),
        }
    }
}

/// The refusal a clerk reads.
fn refusal(name: &str, f: Fault) -> Error {
    let at = match &f.cell {
        Some(c) => format!("（{} 单元格 {c}）", f.place),
        None => format!("（{}）", f.place),
    };
    Error::input(
        "bad-xlsx",
        format!(
            "工作簿已损坏：{name}{at}{}；请在 Excel/WPS 中打开它，确认内容无误后重新另存为 .xlsx 再导入",
            f.reason
        ),
    )
}

/// What the first pass learnt: where each worksheet is, and how many
/// shared strings there are (what the worksheets' indexes are checked
/// against).
#[derive(Debug, Clone, Default)]
pub struct Parts {
    /// Sheet name as in the workbook → its ZIP entry.
    sheets: Vec<(String, usize)>,
    shared: usize,
}

/// Checks the whole workbook in `bytes`. `name` is the file name for the
/// message.
pub fn check(name: &str, bytes: &[u8]) -> Result<()> {
    let parts = check_book(name, bytes)?;
    check_sheets(name, bytes, &parts, None)
}

/// The first pass, before calamine opens the file: the ZIP directory, every
/// entry's sizes, and every part but the worksheets, decompressed and parsed
/// to its end (the shared strings counted). What calamine does at opening
/// (reserving room for the declared strings, reading the workbook and its
/// styles) is then safe.
pub fn check_book(name: &str, bytes: &[u8]) -> Result<Parts> {
    check_book_inner(bytes).map_err(|f| refusal(name, f))
}

/// The second pass: the worksheet cells, of the sheet named `only` or of
/// every sheet. Cheap to run beside the reading (see import/mod.rs): whatever
/// calamine reads from a worksheet it holds in proportion to the file.
pub fn check_sheets(name: &str, bytes: &[u8], parts: &Parts, only: Option<&str>) -> Result<()> {
    check_sheets_inner(bytes, parts, only).map_err(|f| refusal(name, f))
}

fn archive(bytes: &[u8]) -> std::result::Result<zip::ZipArchive<Cursor<&[u8]>>, Fault> {
    zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| Fault::part("ZIP 目录", zip_reason(&e)))
}

fn check_book_inner(bytes: &[u8]) -> std::result::Result<Parts, Fault> {
    let mut zip = archive(bytes)?;
    // Sizes first, from the directory: a zip bomb is refused before any
    // part is decompressed, by us or by calamine.
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| Fault::part("ZIP 目录", zip_reason(&e)))?;
        ratio_ok(
            &String::from_utf8_lossy(f.name_raw()),
            f.size(),
            f.compressed_size(),
        )?;
    }
    let sheets = sheet_parts(&mut zip)?;
    // The shared strings first: the worksheets' indexes are checked
    // against their number.
    let shared = match find(&mut zip, "xl/sharedStrings.xml") {
        Some(i) => {
            let mut counter = SharedStrings::default();
            read_entry(&mut zip, i, &mut counter)?;
            // calamine reserves room for `uniqueCount` strings before it
            // reads one: a count above what the part holds is a memory
            // bomb, never a real workbook.
            if let Some(declared) = counter.declared
                && declared > counter.count as u64
            {
                return Err(Fault::part(
                    "共享文本 xl/sharedStrings.xml",
                    format!(
                        "登记了 {declared} 个共享文本，实际只有 {} 个",
                        counter.count
                    ),
                ));
            }
            counter.count
        }
        None => 0,
    };
    let mut parts = Parts {
        sheets: Vec::new(),
        shared,
    };
    for i in 0..zip.len() {
        let entry_name = entry_name(&mut zip, i)?;
        let lower = entry_name.to_ascii_lowercase();
        if let Some(sheet) = sheets.get(&lower) {
            parts.sheets.push((sheet.clone(), i));
        } else if lower == "xl/sharedstrings.xml" {
            // Already read.
        } else if lower.ends_with(".xml") || lower.ends_with(".rels") {
            read_entry(&mut zip, i, &mut NoCheck)?;
        } else {
            read_entry(&mut zip, i, &mut Raw)?;
        }
    }
    Ok(parts)
}

fn check_sheets_inner(
    bytes: &[u8],
    parts: &Parts,
    only: Option<&str>,
) -> std::result::Result<(), Fault> {
    let mut zip = archive(bytes)?;
    for (sheet, i) in &parts.sheets {
        if only.is_none_or(|o| o == sheet) {
            let mut cells = SheetCells::new(sheet.clone(), parts.shared);
            read_entry(&mut zip, *i, &mut cells)?;
        }
    }
    Ok(())
}

impl Parts {
    /// Whether `sheet` (as named in the workbook) has a worksheet part.
    pub fn has_sheet(&self, sheet: &str) -> bool {
        self.sheets.iter().any(|(s, _)| s == sheet)
    }
}

fn ratio_ok(part: &str, size: u64, packed: u64) -> std::result::Result<(), Fault> {
    if size > RATIO_FROM_BYTES && size / packed.max(1) > MAX_RATIO {
        return Err(Fault::part(
            part,
            format!("压缩比异常（{packed} 字节解压后为 {size} 字节），可能是恶意构造的文件"),
        ));
    }
    Ok(())
}

fn zip_reason(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match e {
        ZipError::Io(io) => io_reason(io),
        ZipError::InvalidArchive(_) => "ZIP 结构无效".to_string(),
        ZipError::UnsupportedArchive(_) => "使用了不支持的压缩方式或已加密".to_string(),
        ZipError::FileNotFound => "缺少必需的部分".to_string(),
        _ => "ZIP 结构无效".to_string(),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    if text.contains("checksum") {
        "内容校验（CRC）不符，文件在复制或传输中损坏".to_string()
    } else if text.contains("larger than its declared") {
        "实际内容比登记的大小更长".to_string()
    } else {
        "内容无法解压".to_string()
    }
}

fn entry_name(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
) -> std::result::Result<String, Fault> {
    zip.by_index_raw(i)
        .and_then(|f| f.name().map(|n| n.into_owned()))
        .map_err(|e| Fault::part("ZIP 目录", zip_reason(&e)))
}

fn find(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, wanted: &str) -> Option<usize> {
    (0..zip.len()).find(|&i| {
        zip.by_index_raw(i)
            .is_ok_and(|f| f.name().is_ok_and(|n| n.eq_ignore_ascii_case(wanted)))
    })
}

/// Worksheet part path (lower case) → sheet name, from the workbook and its
/// relationships. A part named in neither is checked as plain XML.
fn sheet_parts(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
) -> std::result::Result<HashMap<String, String>, Fault> {
    let mut book = WorkbookSheets::default();
    match find(zip, "xl/workbook.xml") {
        Some(i) => read_entry(zip, i, &mut book)?,
        None => return Err(Fault::part("xl/workbook.xml", "缺少工作簿部分")),
    }
    let mut rels = Relationships::default();
    if let Some(i) = find(zip, "xl/_rels/workbook.xml.rels") {
        read_entry(zip, i, &mut rels)?;
    }
    let mut out = HashMap::new();
    for (sheet, rid) in book.sheets {
        if let Some(target) = rels.targets.get(&rid) {
            let path = if let Some(abs) = target.strip_prefix('/') {
                abs.to_string()
            } else {
                format!("xl/{target}")
            };
            out.insert(path.to_ascii_lowercase(), sheet);
        }
    }
    Ok(out)
}

/// What looks at the events of one XML part.
trait Visit {
    /// Whether the part is XML (false: the bytes are only decompressed).
    fn xml(&self) -> bool {
        true
    }
    fn start(&mut self, _e: &BytesStart<'_>, _empty: bool) -> std::result::Result<(), String> {
        Ok(())
    }
    fn end(&mut self, _local: &str) -> std::result::Result<(), String> {
        Ok(())
    }
    /// Text (or one character reference) inside the current element.
    fn text(&mut self, _t: &str) -> std::result::Result<(), String> {
        Ok(())
    }
    /// The cell being read, for the message.
    fn cell(&self) -> Option<String> {
        None
    }
    fn place(&self, part: &str) -> String {
        part.to_string()
    }
}

struct NoCheck;
impl Visit for NoCheck {}

struct Raw;
impl Visit for Raw {
    fn xml(&self) -> bool {
        false
    }
}

/// Decompresses entry `i` to its end (CRC and size checked by the zip
/// crate) and, for XML, parses it to its end.
fn read_entry(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
    visit: &mut dyn Visit,
) -> std::result::Result<(), Fault> {
    let mut file = zip
        .by_index(i)
        .map_err(|e| Fault::part("ZIP 目录", zip_reason(&e)))?;
    let part = file
        .name()
        .map(|n| n.into_owned())
        .map_err(|e| Fault::part("ZIP 目录", zip_reason(&e)))?;
    if file.encrypted() {
        return Err(Fault::part(&part, "部分内容已加密"));
    }
    ratio_ok(&part, file.size(), file.compressed_size())?;
    if !visit.xml() {
        std::io::copy(&mut file, &mut std::io::sink())
            .map_err(|e| Fault::part(&part, io_reason(&e)))?;
        return Ok(());
    }
    let place = visit.place(&part);
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(&mut file));
    let mut buf = Vec::with_capacity(1024);
    let fault = |visit: &dyn Visit, reason: String| Fault {
        place: place.clone(),
        cell: visit.cell(),
        reason,
    };
    // Elements open: a part cut off inside its root (or any element) is
    // as damaged as a mismatched tag, which the parser itself refuses.
    let mut depth = 0usize;
    loop {
        buf.clear();
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(quick_xml::Error::Io(io)) => return Err(fault(visit, io_reason(&io))),
            Err(_) => {
                return Err(fault(
                    visit,
                    format!("XML 结构错误（约第 {} 字节处）", reader.error_position()),
                ));
            }
        };
        match &ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        let r = match &ev {
            Event::Start(e) => visit.start(e, false),
            Event::Empty(e) => visit
                .start(e, true)
                .and_then(|()| visit.end(e.local_name().as_ref())),
            Event::End(e) => visit.end(e.local_name().as_ref()),
            Event::Text(t) => visit.text(t.as_ref()),
            Event::CData(t) => visit.text(t.as_ref()),
            // One character, whatever the reference.
            Event::GeneralRef(_) => visit.text("&"),
            Event::Eof if depth > 0 => {
                Err("XML 结构不完整（有标签没有结束，文件可能被截断）".to_string())
            }
            Event::Eof => break,
            _ => Ok(()),
        };
        r.map_err(|reason| fault(visit, reason))?;
    }
    drop(reader);
    // The parser may stop at the root's end: read to the end of the entry
    // so its CRC and size are checked.
    std::io::copy(&mut file, &mut std::io::sink())
        .map_err(|e| Fault::part(&part, io_reason(&e)))?;
    Ok(())
}

fn attr(e: &BytesStart<'_>, key: &str) -> std::result::Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|_| "XML 属性格式错误".to_string())?;
        if a.key.local_name().as_ref() == key {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|_| "XML 属性格式错误".to_string())?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// The `r:id` attribute (whatever the namespace prefix is called).
fn rel_id(e: &BytesStart<'_>) -> std::result::Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|_| "XML 属性格式错误".to_string())?;
        let key = a.key.as_ref();
        if key.ends_with(":id") {
            let v = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|_| "XML 属性格式错误".to_string())?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

#[derive(Default)]
struct WorkbookSheets {
    sheets: Vec<(String, String)>,
}

impl Visit for WorkbookSheets {
    fn start(&mut self, e: &BytesStart<'_>, _: bool) -> std::result::Result<(), String> {
        if e.local_name().as_ref() == "sheet" {
            let name = attr(e, "name")?.unwrap_or_default();
            if let Some(id) = rel_id(e)? {
                self.sheets.push((name, id));
            }
        }
        Ok(())
    }
}

#[derive(Default)]
struct Relationships {
    targets: HashMap<String, String>,
}

impl Visit for Relationships {
    fn start(&mut self, e: &BytesStart<'_>, _: bool) -> std::result::Result<(), String> {
        if e.local_name().as_ref() == "Relationship"
            && let (Some(id), Some(target)) = (attr(e, "Id")?, attr(e, "Target")?)
        {
            self.targets.insert(id, target);
        }
        Ok(())
    }
}

fn chars(t: &str) -> usize {
    t.chars().count()
}

/// Counts the shared strings and checks each one's length.
#[derive(Default)]
struct SharedStrings {
    count: usize,
    /// The `uniqueCount` the part declares (`None`: absent).
    declared: Option<u64>,
    /// Characters of the current string (inside `<si>`).
    current: Option<usize>,
    /// Inside `<t>`, not inside a phonetic run.
    in_t: bool,
    in_phonetic: bool,
}

impl Visit for SharedStrings {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) -> std::result::Result<(), String> {
        match e.local_name().as_ref() {
            "sst" => {
                if let Some(n) = attr(e, "uniqueCount")? {
                    // Not a number at all: as large as can be (refused).
                    self.declared = Some(n.trim().parse().unwrap_or(u64::MAX));
                }
            }
            "si" => {
                self.count += 1;
                self.current = (!empty).then_some(0);
            }
            "rPh" => self.in_phonetic = true,
            "t" => self.in_t = true,
            _ => {}
        }
        Ok(())
    }
    fn end(&mut self, local: &str) -> std::result::Result<(), String> {
        match local {
            "si" => self.current = None,
            "rPh" => self.in_phonetic = false,
            "t" => self.in_t = false,
            _ => {}
        }
        Ok(())
    }
    fn text(&mut self, t: &str) -> std::result::Result<(), String> {
        if self.in_t
            && !self.in_phonetic
            && let Some(n) = self.current.as_mut()
        {
            *n += chars(t);
            if *n > MAX_CELL_CHARS {
                return Err(format!(
                    "第 {} 个共享文本超过 Excel 单元格上限 {MAX_CELL_CHARS} 个字符",
                    self.count
                ));
            }
        }
        Ok(())
    }
    fn place(&self, part: &str) -> String {
        format!("共享文本 {part}")
    }
}

/// A value quoted in a message, cut to 40 characters.
fn cut(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_quotes_are_cut() {
        let long = "字".repeat(50);
        assert_eq!(cut(&long).chars().count(), 41);
        assert_eq!(cut("短"), "短");
    }
}
