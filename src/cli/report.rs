//! `djtz report`: the monthly report on the command line, the archive of
//! issued reports (`--issued`) and what changed since (`--diff`), issued
//! through `ops::issue` as the report screen does; and the month's rule
//! warnings for `djtz check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::domain::dates::Month;
use crate::error::{Error, Result};
use crate::ops::issue::{self, Issued, Output, current_report};
use crate::report::{self, Format};
use crate::store::Store;

fn parse_month(s: &str) -> std::result::Result<Month, String> {
    Month::parse(s)
}

/// Text formats go to the terminal when no file is named.
fn to_stdout_by_default(f: Format) -> bool {
    matches!(f, Format::Txt | Format::Json)
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 月份，如 2026-10
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Month,
    /// 格式：txt（默认，输出到屏幕）、csv、html、json、xlsx、pdf
    #[arg(long, value_enum, default_value = "txt")]
    pub format: Format,
    /// 输出文件（csv、html、xlsx、pdf 默认为当前文件夹的“党建工作月报-YYYY-MM.扩展名”）
    #[arg(short = 'o', long = "output", value_name = "文件")]
    pub output: Option<PathBuf>,
    /// 显示该月最近一次出具（打印或导出）的月报
    #[arg(long, conflicts_with_all = ["diff", "output"])]
    pub issued: bool,
    /// 列出自最近一次出具以来发生变化的数字
    #[arg(long, conflicts_with = "output")]
    pub diff: bool,
    /// 生成 PDF 并发送到默认打印机（PDF 同时保存为文件）
    #[arg(long, conflicts_with_all = ["issued", "diff"])]
    pub print: bool,
}

pub fn run_report(path: &Path, args: ReportArgs) -> Result<()> {
    let store = Store::open_existing(path)?;
    let settings = store.settings()?;
    let month = args.month;
    let mut out = std::io::stdout().lock();

    if args.issued {
        let issued = issue::latest_issued(&store, month)?;
        tell!(
            "{}的月报于 {} 出具（{}），以下是当时的数字：",
            month.label(),
            issued.issued_at,
            issued.format
        );
        if args.format == Format::Json {
            out.write_all(issued.json.as_bytes())?;
        } else {
            let r = issue::issued_figures(&issued)?;
            out.write_all(report::txt::render(&r, &settings).as_bytes())?;
        }
        return Ok(());
    }

    let now = current_report(&store, month)?;

    if args.diff {
        let issued = issue::latest_issued(&store, month)?;
        let lines = issue::changes_since(&issued, &now)?;
        if lines.is_empty() {
            writeln!(out, "与 {} 出具的月报相比，数字没有变化", issued.issued_at)?;
        } else {
            writeln!(
                out,
                "与 {} 出具的月报相比，有 {} 项数字变化：",
                issued.issued_at,
                lines.len()
            )?;
            for l in lines {
                writeln!(out, "{l}")?;
            }
        }
        return Ok(());
    }

    if args.print {
        if !matches!(args.format, Format::Txt | Format::Pdf) {
            return Err(Error::input(
                "print-format",
                "--print 打印的是 PDF 版月报，请不要同时指定其他 --format（可省略或用 --format pdf）",
            ));
        }
        let file = args
            .output
            .unwrap_or_else(|| PathBuf::from(report::default_file_name(month, Format::Pdf)));
        let mut done = issue::issue(&store, &now, &settings, Output::Print, &file)?;
        let printed = done.printed.take().transpose().map_err(|mut e| {
            e.message = format!("{}（PDF 已保存为 {}）", e.message, file.display());
            e
        })?;
        say_archived(done, month)?;
        if let Some(p) = printed {
            say!("{}", p.message());
        }
        return Ok(());
    }

    let format = args.format;
    let file = match args.output {
        Some(f) => f,
        None if to_stdout_by_default(args.format) => {
            let bytes = report::render(&now, &settings, format)?;
            out.write_all(&bytes)?;
            return Ok(());
        }
        None => PathBuf::from(report::default_file_name(month, format)),
    };
    let done = issue::issue(&store, &now, &settings, Output::File(format), &file)?;
    say_archived(done, month)
}

/// Says where the issued report went and whether it was archived.
fn say_archived(done: Issued, month: Month) -> Result<()> {
    let file = done.file.display();
    match done.archived {
        Ok(()) => {
            say!("已生成 {file}，并已存档（用 djtz report --month {month} --issued 查看）");
            Ok(())
        }
        Err(e) if e.code == "read-only" => {
            say!("已生成 {file}");
            tell!("提示：{}，本次出具未存档", e.message);
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// One line for `djtz check`: this month's rule warnings.
pub fn check_warnings_line(store: &Store) -> Result<String> {
    let month = Month::of(chrono::Local::now().date_naive());
    let r = current_report(store, month)?;
    Ok(format!(
        "{}规则提示 {} 条（不影响台账完好；用 djtz report --month {} 查看问题清单）",
        month.label(),
        r.warnings.len(),
        month
    ))
}
