//! The monthly report as an A4 PDF, laid out by typst used as a library.
//!
//! The page design lives in `assets/report.typ`. This file turns the printed
//! document of [`super::layout`] into `data.json` (strings and small
//! integers only) and serves both to typst through a minimal in-memory
//! [`World`]: one source, one data file, one embedded font, no file system,
//! no network, no system fonts. User text therefore never becomes typst
//! markup; the template shows it as plain text.
//!
//! The output is deterministic: the PDF carries no creation date and its
//! document id is derived from the report month.

use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::layout::PagedDocument;
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use unicode_width::UnicodeWidthStr;

use super::layout::{self, Align, Cell, Document};
use super::model::MonthlyReport;
use crate::domain::records::Settings;
use crate::error::{Error, Result};

/// The embedded fonts; typst-pdf embeds only the glyphs used.
///
/// - Droid Sans Fallback (Apache-2.0, Debian's fonts-droid-fallback; the
///   "Full" file, whose Han forms are the Chinese ones): every Chinese
///   character. See `assets/fonts/LICENSE-DroidSansFallback.txt`.
/// - Roboto Regular (Apache-2.0, Debian's fonts-roboto-unhinted): digits and
///   Latin letters, which Droid Sans Fallback lacks entirely (its cmap starts
///   at U+0E3F; it was made to back Droid Sans / Roboto on Android). See
///   `assets/fonts/LICENSE-Roboto.txt`.
static FONTS: [&[u8]; 2] = [
    include_bytes!("../../assets/fonts/Roboto-Regular.ttf"),
    include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf"),
];
static TEMPLATE: &str = include_str!("../../assets/report.typ");

const MAIN: &str = "/report.typ";
const DATA: &str = "/data.json";

/// The report as the bytes of a PDF file.
pub fn render(report: &MonthlyReport, settings: &Settings) -> Result<Vec<u8>> {
    Ok(render_pdf(report, settings)?.bytes)
}

/// A rendered PDF and how many A4 pages it has.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// The report as a PDF, with its page count.
pub fn render_pdf(report: &MonthlyReport, settings: &Settings) -> Result<Pdf> {
    let doc = layout::document(report, settings);
    let data = serde_json::to_vec(&PrintData::from_document(&doc))?;
    let world = ReportWorld::new(data)?;
    let warned = typst::compile::<PagedDocument>(&world);
    let compiled = warned.output.map_err(|e| layout_error(&e));
    // typst memoizes across compilations; a report is rendered once, so keep
    // nothing (the TUI may render many months in one session).
    typst::comemo::evict(0);
    let compiled = compiled?;
    let ident = format!("djtz-monthly-report-{}", report.month);
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(&ident),
        timestamp: None,
        ..Default::default()
    };
    let bytes = typst_pdf::pdf(&compiled, &options).map_err(|e| layout_error(&e))?;
    Ok(Pdf {
        bytes,
        pages: compiled.pages.len(),
    })
}

/// A typst failure is our bug (the template is fixed and the data are plain
/// strings), so say so and keep typst's words for the bug report.
fn layout_error(diags: &[SourceDiagnostic]) -> Error {
    let detail: Vec<String> = diags.iter().map(|d| d.message.to_string()).collect();
    Error::fail(
        "pdf",
        format!(
            "生成 PDF 失败（程序内部错误，请把这条信息告诉开发人员）：{}",
            detail.join("；")
        ),
    )
}

/// What the template reads from `data.json`.
#[derive(Debug, Serialize)]
struct PrintData {
    title: String,
    /// 编制单位 (the township), for the PDF's author field.
    unit: String,
    /// The header line in its parts (编制单位…, 所属期间…, 金额单位…).
    header: Vec<String>,
    sections: Vec<PrintSection>,
    /// Sign-off lines, each in its parts.
    signoff: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
struct PrintSection {
    title: String,
    columns: Vec<PrintColumn>,
    rows: Vec<Vec<PrintCell>>,
    notes: Vec<String>,
}

#[derive(Debug, Serialize)]
struct PrintColumn {
    header: String,
    /// Relative width (see `natural_width`).
    width: usize,
    align: &'static str,
}

#[derive(Debug, Serialize)]
struct PrintCell {
    text: String,
    /// Leading indent in half-em steps (the text layout's leading spaces).
    indent: usize,
    /// Total rows (合计, 期末余额) are set heavier.
    strong: bool,
}

/// Splits a line the layout spaced out with runs of spaces into its parts.
fn parts(line: &str) -> Vec<String> {
    line.split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Widest column share, in display columns; longer text wraps.
const MAX_COLUMN: usize = 40;

/// A column's share of the table width: the display width (CJK = 2) of its
/// widest header or cell, so that names get the room numbers do not need.
/// (The layout's own widths are fitted to 80 text columns.)
fn natural_width(table: &layout::Table, col: usize) -> usize {
    let header = table
        .columns
        .get(col)
        .map_or(0, |c| UnicodeWidthStr::width(c.header.as_str()));
    table
        .rows
        .iter()
        .filter_map(|r| r.get(col))
        .map(|c| UnicodeWidthStr::width(c.to_string().as_str()))
        .chain([header])
        .max()
        .unwrap_or(0)
        .clamp(4, MAX_COLUMN)
        + 1
}

/// The printed cells of a table.
fn print_rows(rows: &[Vec<Cell>]) -> Vec<Vec<PrintCell>> {
    rows.iter()
        .map(|row| {
            let strong = matches!(row.first(), Some(Cell::Text(t)) if is_total_label(t));
            row.iter()
                .map(|c| {
                    let shown = c.to_string();
                    PrintCell {
                        indent: shown.chars().take_while(|ch| *ch == ' ').count(),
                        text: shown.trim().to_string(),
                        strong,
                    }
                })
                .collect()
        })
        .collect()
}

fn is_total_label(s: &str) -> bool {
    let s = s.trim();
    s.ends_with("合计") || s == "期末余额"
}

impl PrintData {
    fn from_document(doc: &Document) -> PrintData {
        let unit = parts(&doc.header)
            .first()
            .and_then(|p| p.strip_prefix("编制单位："))
            .unwrap_or("")
            .to_string();
        let sections = doc
            .sections
            .iter()
            .map(|s| PrintSection {
                title: s.title.clone(),
                columns: s
                    .table
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| PrintColumn {
                        header: c.header.clone(),
                        width: natural_width(&s.table, i),
                        align: match c.align {
                            Align::Left => "left",
                            Align::Right => "right",
                        },
                    })
                    .collect(),
                rows: print_rows(&s.table.rows),
                notes: s.notes.clone(),
            })
            .collect();
        PrintData {
            title: doc.title.clone(),
            unit,
            header: parts(&doc.header),
            sections,
            signoff: doc.signoff.iter().map(|l| parts(l)).collect(),
        }
    }
}

/// Everything typst may see: the template, the data and the fonts.
struct ReportWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data: Bytes,
}

impl ReportWorld {
    fn new(data: Vec<u8>) -> Result<ReportWorld> {
        let fonts = FONTS
            .iter()
            .map(|data| {
                Font::new(Bytes::new(*data), 0).ok_or_else(|| {
                    Error::fail(
                        "pdf",
                        "内置字体无法读取（程序文件可能已损坏），请重新安装 djtz",
                    )
                })
            })
            .collect::<Result<Vec<Font>>>()?;
        let main_id = FileId::new(None, VirtualPath::new(MAIN));
        Ok(ReportWorld {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main: Source::new(main_id, TEMPLATE.to_string()),
            data: Bytes::new(data),
        })
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id.package().is_none() && id.vpath() == &VirtualPath::new(DATA) {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(id.vpath().as_rootless_path().into()))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    /// The template never asks for today's date; answering none keeps the
    /// output independent of the clock.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_on_runs_of_spaces() {
        assert_eq!(
            parts("编制单位：城关镇    所属期间：2026年10月    金额单位：元"),
            vec!["编制单位：城关镇", "所属期间：2026年10月", "金额单位：元"]
        );
        assert_eq!(parts("（盖章）"), vec!["（盖章）"]);
    }

    #[test]
    fn the_embedded_fonts_cover_digits_and_chinese() {
        let fonts: Vec<Font> = FONTS
            .iter()
            .filter_map(|d| Font::new(Bytes::new(*d), 0))
            .collect();
        assert_eq!(fonts.len(), 2);
        assert_eq!(fonts[0].info().family, "Roboto");
        assert_eq!(fonts[1].info().family, "Droid Sans Fallback");
        let covers = |f: &Font, c: char| f.info().coverage.contains(c as u32);
        assert!("0123456789.,%-".chars().all(|c| covers(&fonts[0], c)));
        assert!(
            "党建工作月报第页共（）：、"
                .chars()
                .all(|c| covers(&fonts[1], c))
        );
    }
}
