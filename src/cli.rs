//! The command line of PRODUCT.md: parsing (clap), running one command, and
//! mapping every error to one Chinese line and an exit code.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::demo::{self, Scale};
use crate::error::{Error, Result};
use crate::store::{self, Store};

/// A line to stdout. A closed stdout (`djtz check | head -0`) is not an
/// error of the command: the line is dropped and the command goes on, so
/// its exit code still tells what it found.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// A line to stderr, likewise never a panic when stderr is closed.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod exchange;
mod report;

#[derive(Debug, Parser)]
#[command(
    name = "djtz",
    version,
    about = "党建台账：乡镇（街道、开发区）两新组织党建工作台账与月报",
    disable_help_subcommand = true
)]
pub struct Cli {
    /// 台账文件（默认在用户数据文件夹；也可用环境变量 DJTZ_DB 指定）
    #[arg(long, global = true, value_name = "文件")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 在空台账中生成演示数据，便于试用
    Demo {
        /// 规模：small（一个乡镇）或 large（大型开发区）
        #[arg(long, value_enum, default_value = "small")]
        scale: ScaleArg,
        /// 随机种子（同一种子生成完全相同的数据）
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// 导入 Excel/WPS 工作簿（.xlsx）或 CSV 文件；全部正确才写入
    Import(exchange::ImportArgs),
    /// 把整个台账导出为可再导入的工作簿（.xlsx）
    Export(exchange::ExportArgs),
    /// 生成空白导入模板（.xlsx），含填写说明和下拉选项
    Template(exchange::TemplateArgs),
    /// 备份台账（默认放在台账旁的“备份”文件夹）
    Backup {
        /// 备份要放的文件夹
        dir: Option<PathBuf>,
    },
    /// 用备份文件替换当前台账（替换前先自动备份当前台账）
    Restore {
        /// 备份文件
        file: PathBuf,
    },
    /// 检查台账文件是否完好，损坏时返回非零退出码
    Check,
    /// 党建工作月报：按月统计、导出、查看已出具的月报及其后的变化
    Report(report::ReportArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ScaleArg {
    Small,
    Large,
}

/// Where the ledger is: `--db`, else `DJTZ_DB`, else the platform data
/// folder (created when missing).
pub fn ledger_path(db: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = db {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("DJTZ_DB").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let p = store::default_path()?;
    if let Some(dir) = p.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::fail(
                "cannot-create",
                format!("无法建立数据文件夹 {}：{e}", dir.display()),
            )
        })?;
    }
    Ok(p)
}

/// The ledger a run will use, for the crash log's place only (nothing is
/// created here, unlike `ledger_path`).
fn crash_ledger(db: Option<&Path>) -> PathBuf {
    db.map(Path::to_path_buf)
        .or_else(|| {
            std::env::var_os("DJTZ_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .or_else(|| store::default_path().ok())
        .unwrap_or_else(|| PathBuf::from("djtz.db"))
}

/// Parses the arguments and runs; returns the process exit code.
pub fn main_with_args<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match chinese_command()
        .try_get_matches_from(args)
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) => return clap_error(e),
    };
    // From here a failed allocation ends in Chinese, logged beside the ledger.
    crate::crash::arm(
        &crash_ledger(cli.db.as_deref()),
        crate::crash::Mode::Command,
    );
    match run(cli) {
        Ok(()) => 0,
        // The reader of our output went away (`| head`): nothing to say.
        Err(e) if e.code == "closed-output" => 0,
        Err(e) => {
            tell!("错误：{e}");
            e.exit
        }
    }
}

/// The clap command with Chinese headings and help/version flags, so
/// `djtz --help` reads like the rest of the program.
fn chinese_command() -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    const TOP: &str = "{about}\n\n用法：{usage}\n\n命令：\n{subcommands}\n\n选项：\n{options}\n";
    const SUB_NO_ARGS: &str = "{about}\n\n用法：{usage}\n\n选项：\n{options}\n";
    const SUB: &str = "{about}\n\n用法：{usage}\n\n参数：\n{positionals}\n\n选项：\n{options}\n";
    Cli::command()
        .help_template(TOP)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(true)
                .help("显示帮助"),
        )
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号"),
        )
        .mut_subcommands(|sub| {
            if sub.get_positionals().next().is_some() {
                sub.help_template(SUB)
            } else {
                sub.help_template(SUB_NO_ARGS)
            }
        })
}

/// clap's own help and version go to stdout as usual; argument errors
/// become one Chinese line (exit 2).
fn clap_error(e: clap::Error) -> i32 {
    use clap::error::{ContextKind, ErrorKind};
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return 0;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return 2;
        }
        _ => {}
    }
    let arg = e
        .get(ContextKind::InvalidArg)
        .or_else(|| e.get(ContextKind::InvalidSubcommand))
        .map(|v| v.to_string())
        .unwrap_or_default();
    let value = e
        .get(ContextKind::InvalidValue)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let msg = match e.kind() {
        ErrorKind::InvalidSubcommand => format!("没有“{arg}”这个命令"),
        ErrorKind::UnknownArgument => format!("不认识的参数“{arg}”"),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("参数 {arg} 的值“{value}”无效")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {arg}"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::ArgumentConflict => format!("参数 {arg} 不能与其他参数同时使用"),
        _ => "命令行参数有误".to_string(),
    };
    tell!("错误：{msg}，请用 djtz --help 查看用法 [bad-args]");
    2
}

pub fn run(cli: Cli) -> Result<()> {
    let Some(command) = cli.command else {
        let path = ledger_path(cli.db.as_deref())?;
        return crate::tui::run(&path);
    };
    match command {
        Command::Demo { scale, seed } => {
            let path = ledger_path(cli.db.as_deref())?;
            run_demo(&path, scale, seed)
        }
        Command::Import(args) => exchange::run_import(cli.db.as_deref(), args),
        Command::Export(args) => exchange::run_export(cli.db.as_deref(), args),
        Command::Template(args) => exchange::run_template(cli.db.as_deref(), args),
        Command::Backup { dir } => {
            let path = ledger_path(cli.db.as_deref())?;
            let store = Store::open_existing(&path)?;
            let out = store.backup(dir.as_deref())?;
            say!("已备份到 {}", out.display());
            Ok(())
        }
        Command::Restore { file } => {
            let path = ledger_path(cli.db.as_deref())?;
            let done = store::restore_ledger(&path, &file)?;
            match (&done.safety, done.replaced_damaged) {
                (None, _) => say!("已用 {} 恢复台账 {}", file.display(), path.display()),
                (Some(safety), false) => say!(
                    "已用 {} 恢复台账 {}；恢复前的台账已备份到 {}",
                    file.display(),
                    path.display(),
                    safety.display()
                ),
                (Some(safety), true) => say!(
                    "原台账 {} 已损坏，已原样保存到 {}；已用 {} 恢复台账",
                    path.display(),
                    safety.display(),
                    file.display()
                ),
            }
            Ok(())
        }
        Command::Check => {
            let path = ledger_path(cli.db.as_deref())?;
            run_check(&path)
        }
        Command::Report(args) => {
            let path = ledger_path(cli.db.as_deref())?;
            report::run_report(&path, args)
        }
    }
}

fn run_demo(path: &Path, scale: ScaleArg, seed: u64) -> Result<()> {
    let mut store = Store::open(path)?;
    store.ensure_writable()?;
    if !store.is_empty()? {
        return Err(Error::input(
            "not-empty",
            format!(
                "台账 {} 里已有数据，演示数据只能生成到空台账；请用 --db 指定一个新文件",
                path.display()
            ),
        ));
    }
    let scale = match scale {
        ScaleArg::Small => Scale::Small,
        ScaleArg::Large => Scale::Large,
    };
    let today = chrono::Local::now().date_naive();
    let mut err = std::io::stderr();
    let summary = demo::fill(
        &mut store,
        scale,
        seed,
        &mut |line: &str| {
            let _ = writeln!(err, "{line}");
        },
        today,
    )?;
    say!(
        "已生成演示台账 {}：单位 {}，党组织 {}，党员 {}，指导员 {}，会议 {}（出勤 {} 条），经费 {} 笔，党费 {} 条",
        path.display(),
        summary.units,
        summary.orgs,
        summary.members,
        summary.instructors,
        summary.meetings,
        summary.attendance_rows,
        summary.fund_entries,
        summary.dues_rows
    );
    Ok(())
}

/// `djtz check`: never creates or changes a file; exit 1 with the list of
/// problems on any damage (integrity, schema, references, values).
fn run_check(path: &Path) -> Result<()> {
    let damaged = |why: String| {
        Error::fail(
            "damaged",
            format!(
                "台账 {} 已损坏：{why}；请用“djtz restore 备份文件”从备份恢复",
                path.display()
            ),
        )
    };
    let store = match Store::open_for_check(path) {
        Ok(s) => s,
        // Not a ledger at all, or one this program is too old for: said as
        // it is (exit 2), not called damage.
        Err(e)
            if matches!(
                e.code,
                "not-found" | "is-folder" | "not-a-file" | "not-a-ledger" | "newer-ledger"
            ) =>
        {
            return Err(e);
        }
        Err(e) => return Err(damaged(e.message)),
    };
    let problems = store.problems().map_err(|e| damaged(e.message))?;
    if !problems.is_empty() {
        for p in &problems.lines {
            tell!("{p}");
        }
        if problems.total > problems.lines.len() {
            tell!(
                "……另有 {} 处问题未列出",
                problems.total - problems.lines.len()
            );
        }
        return Err(Error::fail(
            "damaged",
            format!(
                "台账 {} 有 {} 处损坏；请用“djtz restore 备份文件”从备份恢复",
                path.display(),
                problems.total
            ),
        ));
    }
    say!(
        "台账 {} 检查通过：文件完好，结构和数据都符合本程序的要求",
        path.display()
    );
    if store.schema_version()? < store::latest_version() {
        say!("提示：台账格式较旧，下次打开时会先自动备份再升级");
        return Ok(());
    }
    // The month's rule warnings are advice, not damage: they never fail.
    match report::check_warnings_line(&store) {
        Ok(line) => say!("{line}"),
        Err(e) => tell!("提示：本月规则检查未能完成：{e}"),
    }
    Ok(())
}
