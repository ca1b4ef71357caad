//! The FORMATS.md workbook: sheet/column specs, CSV/XLSX reading (with
//! encoding detection), the import with its row-level error list, and the
//! template and export writers.

mod cells;
pub(crate) mod errors;
pub mod import;
pub(crate) mod read;
pub mod settings_sheet;
pub mod spec;
pub(crate) mod write;
pub mod xlsx_check;

pub use errors::ErrorList;
pub use import::{ImportOptions, ImportReport, SheetSummary, import_book, import_file};
pub use read::{Book, Cell, Sheet, read_bytes, read_file};
pub use settings_sheet::SettingsChoice;
pub use write::{ExportSummary, write_export, write_template};
