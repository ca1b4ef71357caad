//! `djtz template`, `djtz import` and `djtz export`: the exchange with
//! Excel and WPS (FORMATS.md).

use std::path::{Path, PathBuf};

use clap::Args;

use super::ledger_path;
use crate::error::{Error, Result};
use crate::exchange::{self, ImportOptions, SettingsChoice};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 要生成的模板文件（.xlsx）
    #[arg(value_name = "文件.xlsx")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 要导入的 .xlsx 工作簿或 .csv 文件（UTF-8 或 GBK）
    #[arg(
        value_name = "文件",
        required_unless_present = "undo_last",
        conflicts_with = "undo_last"
    )]
    pub file: Option<PathBuf>,
    /// CSV 文件对应的表（默认按文件名，如 党员.csv）；工作簿则只导入这张表
    #[arg(long, value_name = "表名")]
    pub sheet: Option<String>,
    /// 只检查，不写入台账
    #[arg(long)]
    pub dry_run: bool,
    /// 用文件“设置”表中的设置替换台账中已有的不同设置（不加时遇到不同会报错，什么都不导入）
    #[arg(long, conflicts_with = "undo_last")]
    pub settings: bool,
    /// 撤销最近一次导入（整体撤销，含设置）
    #[arg(long, conflicts_with_all = ["sheet", "dry_run"])]
    pub undo_last: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 导出到的文件（.xlsx）
    #[arg(value_name = "文件.xlsx")]
    pub file: PathBuf,
}

fn check_xlsx_name(path: &Path) -> Result<()> {
    let ok = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if ok {
        Ok(())
    } else {
        Err(Error::input(
            "not-xlsx",
            format!("{} 的扩展名应为 .xlsx", path.display()),
        ))
    }
}

pub fn run_template(db: Option<&Path>, args: TemplateArgs) -> Result<()> {
    check_xlsx_name(&args.file)?;
    // The template never goes over the ledger the other commands use.
    let protected = crate::files::Protected::ledger(&ledger_path(db)?);
    exchange::write_template(&args.file, &protected)?;
    say!(
        "已生成导入模板 {}：第一张“说明”表介绍每一列，填好后用 djtz import 导入",
        args.file.display()
    );
    Ok(())
}

pub fn run_import(db: Option<&Path>, args: ImportArgs) -> Result<()> {
    let path = ledger_path(db)?;
    if args.undo_last {
        let mut store = Store::open(&path)?;
        return match store.undo_last_import()? {
            Some(s) => {
                say!("已{}", s.description);
                Ok(())
            }
            None => Err(Error::input(
                "nothing-to-undo",
                "没有可以撤销的导入（还没有导入过，或最近的导入已经撤销）",
            )),
        };
    }
    let Some(file) = args.file else {
        return Err(Error::input("bad-args", "请指定要导入的文件"));
    };
    let opts = ImportOptions {
        sheet: args.sheet,
        dry_run: args.dry_run,
        today: chrono::Local::now().date_naive(),
        settings: if args.settings {
            SettingsChoice::Replace
        } else {
            SettingsChoice::Refuse
        },
    };
    // The file is read (and rejected if unreadable) before the ledger is
    // even opened.
    let book = exchange::read_file(&file)?;
    let mut store = Store::open(&path)?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = exchange::import_book(&mut store, &name, book, &opts)?;
    for n in &report.notes {
        tell!("提示：{n}");
    }
    if !report.errors.is_empty() {
        for e in report.errors.lines() {
            tell!("{e}");
        }
        return Err(Error::input(
            "import-errors",
            format!(
                "{} 有 {} 处错误，没有导入任何内容（台账未改动）；请按上面所列逐一改正后重新导入",
                file.display(),
                report.errors.total()
            ),
        ));
    }
    let verb = if args.dry_run {
        "检查通过（--dry-run，未写入台账）"
    } else {
        "导入完成"
    };
    say!("{} {verb}：", file.display());
    for s in &report.sheets {
        say!(
            "  {}：新增 {}，更新 {}，未变 {}",
            s.sheet,
            s.added,
            s.updated,
            s.unchanged
        );
    }
    if !args.dry_run {
        if report.change_id.is_some() {
            say!("如需整体撤销这次导入：djtz import --undo-last");
        } else {
            say!("文件内容与台账一致，台账没有改动");
        }
    }
    Ok(())
}

pub fn run_export(db: Option<&Path>, args: ExportArgs) -> Result<()> {
    check_xlsx_name(&args.file)?;
    let path = ledger_path(db)?;
    let store = Store::open_existing(&path)?;
    let summary = exchange::write_export(&store, &args.file)?;
    let parts: Vec<String> = summary
        .sheets
        .iter()
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    say!(
        "已导出到 {}（{}，共 {} 行）",
        args.file.display(),
        parts.join("，"),
        summary.rows()
    );
    Ok(())
}
