//! The monthly report (issue 4, FORMATS.md "Monthly report as JSON"):
//! `compute` builds the figures from a loaded `Ledger`; `layout` turns them
//! into the printed form; one renderer per format; `diff` compares an
//! issued report with the current one.

pub mod compute;
pub mod csv;
pub(crate) mod diff;
pub mod html;
pub mod json;
pub(crate) mod layout;
pub mod model;
pub mod pdf;
pub mod print;
pub mod txt;
pub(crate) mod xlsx;

pub use compute::compute;
pub use model::MonthlyReport;
pub use txt::pages;

use crate::domain::records::Settings;
use crate::error::Result;

/// The formats this module renders (also `djtz report --format`'s values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Txt,
    Csv,
    Html,
    Json,
    Xlsx,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
        }
    }
}

/// The report in one format, as the bytes of the file.
pub fn render(report: &MonthlyReport, settings: &Settings, format: Format) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Txt => txt::render(report, settings).into_bytes(),
        Format::Csv => csv::render(report, settings).into_bytes(),
        Format::Html => html::render(report, settings).into_bytes(),
        Format::Json => json::render(report)?.into_bytes(),
        Format::Xlsx => xlsx::render(report, settings)?,
        Format::Pdf => pdf::render(report, settings)?,
    })
}

/// `党建工作月报-YYYY-MM.<ext>`: the default file name.
pub fn default_file_name(month: crate::domain::dates::Month, format: Format) -> String {
    format!("党建工作月报-{month}.{}", format.extension())
}
