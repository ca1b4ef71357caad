//! Structure checks of the printed formats of the monthly report: the PDF
//! (page count from the PDF itself; text through pdftotext where poppler is
//! installed, as .ci/run does), the XLSX (reopened with calamine; page setup
//! read from the sheet XML), and printing without a printer.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use djtz::domain::dates::Month;
use djtz::domain::money::Fen;
use djtz::domain::records::Settings;
use djtz::report::model::*;
use djtz::report::{Format, pdf, render};

/// A report whose figures are easy to recognise in any format. `orgs`
/// meeting rows and `warnings` problems make the long tables as long as
/// wanted.
fn report(orgs: usize, warnings: usize) -> MonthlyReport {
    let kinds = ["非公企业", "混合所有制企业", "社会组织", "新业态企业"];
    let by_kind = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| KindCoverage {
            kind: k.to_string(),
            total: 10 + i as i64,
            org_covered: 6,
            work_covered: 2,
        })
        .collect();
    let orgs_rows: Vec<OrgMeetings> = (0..orgs)
        .map(|i| OrgMeetings {
            org: format!("第{:03}联合党支部", i + 1),
            required: vec!["支部委员会".into(), "党小组会".into(), "主题党日".into()],
            held: LabelMap(vec![
                ("支部委员会".into(), 1),
                ("党小组会".into(), (i % 3) as i64),
                ("主题党日".into(), 1),
            ]),
            missing: if i % 3 == 0 {
                vec!["党小组会".into()]
            } else {
                vec![]
            },
            attendance_rate: Some(0.875),
        })
        .collect();
    let warnings: Vec<Warning> = (0..warnings)
        .map(|i| Warning {
            code: djtz::report::model::WarningCode::DuesUnpaid,
            subject: format!("党员{:03}", i + 1),
            message: format!("2026年10月党费应交 12.30 元，实交 0.00 元（第{}条）", i + 1),
        })
        .collect();
    MonthlyReport {
        month: Month::new(2026, 10).expect("valid month"),
        township: "城关镇".into(),
        generated_at: "2026-11-02T09:30:00+08:00".into(),
        coverage: CoverageFigures {
            units_total: 46,
            units_org_covered: 24,
            units_work_covered: 8,
            units_uncovered: 14,
            units_standalone: 9,
            units_with_members_no_org: 3,
            units_facts_complete: 40,
            org_coverage_rate: Some(24.0 / 46.0),
            standalone_rate: Some(9.0 / 46.0),
            work_coverage_rate: Some(32.0 / 46.0),
            by_kind,
        },
        party_orgs: OrgFigures {
            total: 17,
            by_formation: LabelMap(vec![("单独组建".into(), 9), ("联合组建".into(), 8)]),
            established_in_month: 1,
            dissolved_in_month: 0,
        },
        members: MemberFigures {
            total: 213,
            formal: 201,
            probationary: 12,
            new_employment: 7,
            joined_in_month: 2,
            pocket_reported_in_month: 4,
        },
        meetings: MeetingFigures {
            orgs_required: orgs as i64,
            orgs_compliant: (orgs - orgs.div_ceil(3)) as i64,
            compliance_rate: Some(0.5),
            attendance_rate: Some(0.875),
            held_by_kind: LabelMap(vec![("支部委员会".into(), orgs as i64)]),
            orgs: orgs_rows,
        },
        instructors: InstructorFigures {
            active: 5,
            assigned_units: 23,
            visited_units: 19,
            visits_in_month: 27,
            visit_coverage_rate: Some(19.0 / 23.0),
            without_visit: vec!["王建国".into()],
        },
        funds: FundFigures {
            opening_fen: Fen(1_234_567),
            income_fen: Fen(500_000),
            expense_fen: Fen(123_456),
            closing_fen: Fen(1_611_111),
            income_by_category: LabelMap(vec![("财政拨款".into(), Fen(500_000))]),
            expense_by_category: LabelMap(vec![("组织活动".into(), Fen(123_456))]),
        },
        dues: DuesFigures {
            members_due: 213,
            members_paid: 210,
            due_fen: Fen(987_654),
            paid_fen: Fen(975_354),
            unpaid: vec!["李四".into(), "张三".into(), "赵六".into()],
        },
        warnings,
        extras: None,
    }
}

fn settings() -> Settings {
    Settings {
        township: "城关镇".into(),
        preparer: "刘会计".into(),
        reviewer: "陈主任".into(),
        head: "周书记".into(),
        ..Settings::default()
    }
}

/// Page count read from the PDF bytes: the page objects (`/Type /Page`,
/// not `/Pages`). typst writes them uncompressed.
fn pdf_page_objects(bytes: &[u8]) -> usize {
    let needle = b"/Type /Page";
    bytes
        .windows(needle.len() + 1)
        .filter(|w| w.starts_with(needle) && !w[needle.len()].is_ascii_alphanumeric())
        .count()
}

fn have(program: &str) -> bool {
    Command::new(program).arg("-v").output().is_ok()
}

fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write temp file");
    p
}

/// Text without any whitespace: typst sets a quarter-em gap between
/// Chinese and Latin text (`2026 年 10 月`), which pdftotext shows as spaces.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// pdftotext of one page (1-based), or of all pages, whitespace removed.
fn pdf_text(file: &Path, page: Option<usize>) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.arg("-layout");
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd.arg(file).arg("-").output().expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed");
    squeeze(&String::from_utf8(out.stdout).expect("utf-8 text"))
}

#[test]
fn short_pdf_is_one_a4_form_with_every_figure() {
    let r = report(6, 3);
    let out = pdf::render_pdf(&r, &settings()).expect("render pdf");
    assert!(out.bytes.starts_with(b"%PDF-"));
    // Seven sections of a small township fit on two A4 pages.
    assert_eq!(out.pages, 2);
    assert_eq!(pdf_page_objects(&out.bytes), out.pages);
    // A4 portrait: 595.28 × 841.89 pt.
    let text = String::from_utf8_lossy(&out.bytes);
    assert!(text.contains("/MediaBox [0 0 595.2756 841.8898]"), "not A4");
    // Deterministic: no creation date, same bytes twice.
    assert!(!text.contains("/CreationDate"));
    let again = pdf::render(&r, &settings()).expect("render pdf");
    assert!(again == out.bytes, "two renders differ");

    if !have("pdftotext") {
        eprintln!("pdftotext not installed: text checks skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_temp(dir.path(), "r.pdf", &out.bytes);
    let all = pdf_text(&file, None);
    for want in [
        "城关镇 2026年10月 党建工作月报",
        "编制单位：城关镇",
        "所属期间：2026年10月",
        "金额单位：元",
        "一、两个覆盖",
        "二、党组织和党员",
        "三、三会一课落实情况",
        "四、指导员履职",
        "五、经费收支",
        "六、党费收缴",
        "七、问题清单",
        "混合所有制企业",
        "52.2%",     // 24 / 46
        "213",       // members
        "12,345.67", // opening balance
        "16,111.11", // closing balance
        "1,234.56",  // expense
        "9,876.54",  // dues due
        "第001联合党支部",
        "87.5%",
        "王建国",
        "李四、张三、赵六",
        "党员003",
        "制表人：刘会计",
        "审核人：陈主任",
        "负责人：周书记",
        "日期：2026年11月2日",
        "（盖章）",
        "第 1 页 共 2 页",
        "第 2 页 共 2 页",
    ] {
        assert!(
            all.contains(&squeeze(want)),
            "PDF text lacks {want:?}:\n{all}"
        );
    }
}

#[test]
fn long_tables_repeat_their_header_on_every_page() {
    // 150 branches and 120 problems: both tables run over several pages.
    let r = report(150, 120);
    let out = pdf::render_pdf(&r, &settings()).expect("render pdf");
    assert_eq!(pdf_page_objects(&out.bytes), out.pages);
    assert!(out.pages >= 6, "only {} pages", out.pages);
    if !have("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_temp(dir.path(), "long.pdf", &out.bytes);
    let n = out.pages;
    let mut meeting_pages = 0;
    let mut problem_pages = 0;
    for p in 1..=n {
        let page = pdf_text(&file, Some(p));
        assert!(
            page.contains(&format!("第{p}页共{n}页")),
            "page {p} lacks its number:\n{page}"
        );
        assert!(
            page.contains("城关镇2026年10月党建工作月报"),
            "page {p} lacks the title"
        );
        // A page holding branch rows also holds the table's header.
        if page.contains("联合党支部") {
            meeting_pages += 1;
            assert!(
                page.contains("出勤率"),
                "page {p}: meeting rows without header"
            );
        }
        if page.contains("党费应交") {
            problem_pages += 1;
            assert!(
                page.contains("问题类别"),
                "page {p}: problem rows without header"
            );
        }
    }
    assert!(meeting_pages >= 2 && problem_pages >= 2);
    let all = pdf_text(&file, None);
    assert!(all.contains("第150联合党支部") && all.contains("党员120"));
}

#[test]
fn user_text_is_never_typst_markup() {
    let mut r = report(2, 0);
    r.township = r#"#set page(width: 5cm) *粗体* $x^2$ <a> @b \ "引号" // 注释"#.into();
    r.meetings.orgs[0].org = "]#panic(\"x\")[ _下划线_ `代码`".into();
    let out = pdf::render_pdf(&r, &settings()).expect("hostile names still render");
    assert!(out.pages >= 1);
    if !have("pdftotext") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_temp(dir.path(), "x.pdf", &out.bytes);
    let all = pdf_text(&file, None);
    assert!(all.contains("#setpage(width:5cm)"), "{all}");
    assert!(all.contains("*粗体*") && all.contains("$x^2$") && all.contains("//注释"));
    assert!(all.contains("#panic") && all.contains("_下划线_"));
}

fn unzip_entry(file: &Path, entry: &str) -> Option<String> {
    let out = Command::new("unzip")
        .arg("-p")
        .arg(file)
        .arg(entry)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn xlsx_holds_the_figures_and_the_page_setup() {
    let r = report(6, 3);
    let bytes = render(&r, &settings(), Format::Xlsx).expect("render xlsx");
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).expect("reopen xlsx");
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "一、两个覆盖",
            "二、党组织和党员",
            "三、三会一课落实情况",
            "四、指导员履职",
            "五、经费收支",
            "六、党费收缴",
            "七、问题清单"
        ]
    );

    let cover = wb.worksheet_range("一、两个覆盖").expect("sheet 1");
    assert_eq!(
        cover.get_value((0, 0)),
        Some(&Data::String("城关镇 2026年10月 党建工作月报".into()))
    );
    let header = cover
        .get_value((1, 0))
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(header.contains("编制单位：城关镇") && header.contains("金额单位：元"));
    assert_eq!(
        cover.get_value((3, 0)),
        Some(&Data::String("单位类型".into()))
    );
    // Row 5: 非公企业 10 units; the total row: 46 units, rate as a fraction.
    assert_eq!(
        cover.get_value((4, 0)),
        Some(&Data::String("非公企业".into()))
    );
    assert_eq!(cover.get_value((4, 1)), Some(&Data::Float(10.0)));
    let total_row = (4..cover.height() as u32)
        .find(|&r| cover.get_value((r, 0)) == Some(&Data::String("合计".into())))
        .expect("合计 row");
    assert_eq!(cover.get_value((total_row, 1)), Some(&Data::Float(46.0)));
    match cover.get_value((total_row, 6)) {
        Some(Data::Float(x)) => assert!((x - 24.0 / 46.0).abs() < 1e-12),
        other => panic!("rate cell: {other:?}"),
    }

    let funds = wb.worksheet_range("五、经费收支").expect("funds");
    let find = |label: &str| {
        (0..funds.height() as u32)
            .find(|&r| funds.get_value((r, 0)).map(|d| d.to_string()) == Some(label.to_string()))
            .and_then(|r| funds.get_value((r, 1)).cloned())
    };
    assert_eq!(find("期初余额"), Some(Data::Float(12345.67)));
    assert_eq!(find("期末余额"), Some(Data::Float(16111.11)));

    let problems = wb.worksheet_range("七、问题清单").expect("problems");
    let cells: Vec<String> = problems.cells().map(|(_, _, d)| d.to_string()).collect();
    assert!(cells.iter().any(|c| c == "党员003"));
    assert!(cells.iter().any(|c| c.contains("制表人：刘会计")));
    assert!(cells.iter().any(|c| c == "（盖章）"));

    // Print area and repeated rows are defined names.
    let defined: Vec<(String, String)> = wb.defined_names().to_vec();
    let print_titles = defined
        .iter()
        .filter(|(n, _)| n == "_xlnm.Print_Titles")
        .count();
    let print_areas = defined
        .iter()
        .filter(|(n, _)| n == "_xlnm.Print_Area")
        .count();
    assert_eq!((print_titles, print_areas), (7, 7), "{defined:?}");
    assert!(
        defined
            .iter()
            .any(|(n, v)| n == "_xlnm.Print_Titles" && v.ends_with("$1:$4"))
    );

    // Paper, orientation, fit to width and footer live in the sheet XML.
    if !have("unzip") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_temp(dir.path(), "r.xlsx", &bytes);
    let sheet = unzip_entry(&file, "xl/worksheets/sheet3.xml").expect("sheet3.xml");
    assert!(sheet.contains(r#"<pageSetup paperSize="9""#), "{sheet}");
    assert!(sheet.contains(r#"fitToHeight="0""#) && sheet.contains(r#"orientation="portrait""#));
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(sheet.contains("<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>"));
    // Chinese columns are sized by display width: "第001联合党支部" is 15
    // columns wide (6 CJK characters, 3 digits), plus 2 of padding.
    assert!(
        sheet.contains(r#"<col min="1" max="1" width="17.7"#),
        "{sheet}"
    );
}

#[cfg(not(windows))]
#[test]
fn printing_without_lp_says_so_in_chinese() {
    use djtz::report::print::print_with_path;
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = write_temp(dir.path(), "r.pdf", b"%PDF-1.7\n");
    let empty = tempfile::tempdir().expect("tempdir");
    let e = print_with_path(&pdf, empty.path().as_os_str(), false).expect_err("no lp");
    assert_eq!(e.code, "no-lp");
    assert!(e.message.contains("找不到打印命令 lp"), "{}", e.message);
}

#[cfg(unix)]
fn fake_program(dir: &Path, name: &str, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{script}\n")).expect("write script");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn printing_without_default_printer_or_cups_says_so() {
    use djtz::report::print::{Printed, print_with_path};
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = write_temp(dir.path(), "r.pdf", b"%PDF-1.7\n");
    let bin = tempfile::tempdir().expect("tempdir");
    let path =
        std::env::join_paths([bin.path(), Path::new("/bin"), Path::new("/usr/bin")]).expect("PATH");
    fake_program(
        bin.path(),
        "lp",
        "echo 'request id is Office-7 (1 file(s))'",
    );

    fake_program(bin.path(), "lpstat", "echo 'no system default destination'");
    let e = print_with_path(&pdf, &path, false).expect_err("no default printer");
    assert_eq!(e.code, "no-printer");
    assert!(e.message.contains("没有默认打印机"), "{}", e.message);

    fake_program(
        bin.path(),
        "lpstat",
        "echo 'lpstat: Scheduler is not running.' >&2; exit 1",
    );
    let e = print_with_path(&pdf, &path, false).expect_err("no cups");
    assert_eq!(e.code, "no-cups");
    assert!(
        e.message.contains("打印服务（CUPS）没有运行"),
        "{}",
        e.message
    );

    // With a default printer the job goes to lp and its id is reported.
    fake_program(
        bin.path(),
        "lpstat",
        "echo 'system default destination: Office'",
    );
    let ok = print_with_path(&pdf, &path, false).expect("printed");
    assert!(
        matches!(&ok, Printed::Sent(m) if m.contains("Office-7")),
        "{ok:?}"
    );
}

/// `djtz --db DB ARGS…` run in `cwd`, with `path` as PATH when given.
fn djtz_cli(db: &Path, args: &[&str], cwd: &Path, path: Option<&Path>) -> std::process::Output {
    let mut c = assert_cmd::Command::cargo_bin("djtz").expect("djtz binary");
    c.env_remove("DJTZ_DB")
        .env_remove("PRINTER")
        .env_remove("LPDEST")
        .current_dir(cwd)
        .arg("--db")
        .arg(db)
        .args(args);
    if let Some(p) = path {
        c.env("PATH", p);
    }
    c.output().expect("run djtz")
}

#[test]
fn cli_writes_pdf_and_xlsx_under_the_default_names() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("台账.db");
    djtz::store::Store::open(&db).expect("new ledger");
    for (format, name) in [
        ("pdf", "党建工作月报-2026-10.pdf"),
        ("xlsx", "党建工作月报-2026-10.xlsx"),
    ] {
        let out = djtz_cli(
            &db,
            &["report", "--month", "2026-10", "--format", format],
            dir.path(),
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let bytes = std::fs::read(dir.path().join(name)).expect("default file written");
        let magic: &[u8] = if format == "pdf" { b"%PDF-" } else { b"PK" };
        assert!(bytes.starts_with(magic));
        assert!(String::from_utf8_lossy(&out.stdout).contains(name));
    }
}

#[cfg(unix)]
#[test]
fn cli_print_without_lp_keeps_the_pdf_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("台账.db");
    djtz::store::Store::open(&db).expect("new ledger");
    let empty = tempfile::tempdir().expect("tempdir");
    let out = djtz_cli(
        &db,
        &["report", "--month", "2026-10", "--print"],
        dir.path(),
        Some(empty.path()),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("找不到打印命令 lp") && err.contains("[no-lp]"),
        "{err}"
    );
    assert!(
        err.contains("PDF 已保存为 党建工作月报-2026-10.pdf"),
        "{err}"
    );
    assert!(dir.path().join("党建工作月报-2026-10.pdf").is_file());
    assert!(!err.contains("panicked"));
    // Not printed, so not issued.
    let out = djtz_cli(
        &db,
        &["report", "--month", "2026-10", "--issued"],
        dir.path(),
        None,
    );
    assert!(!out.status.success());

    let out = djtz_cli(
        &db,
        &["report", "--month", "2026-10", "--print", "--format", "csv"],
        dir.path(),
        Some(empty.path()),
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Texts that Excel/WPS would run as a formula when they open a file.
const HOSTILE: [&str; 6] = [
    r#"=HYPERLINK("http://x","点我")"#,
    "-2+3",
    "@SUM(A1)",
    "+1+1",
    "\t=1+1",
    "\r=1+1",
];

/// A report whose clerk-typed texts (township, an org, warning subjects,
/// a sign-off name) are formulas, and whose closing balance is negative.
fn hostile_report() -> (MonthlyReport, Settings) {
    let mut r = report(3, 6);
    r.township = HOSTILE[0].into();
    r.meetings.orgs[0].org = HOSTILE[1].into();
    for (w, h) in r.warnings.iter_mut().zip(HOSTILE) {
        w.subject = h.into();
    }
    r.warnings[1].message = HOSTILE[2].into();
    r.dues.unpaid = vec![HOSTILE[3].into()];
    r.funds.closing_fen = Fen(-1250);
    let mut s = settings();
    s.preparer = HOSTILE[0].into();
    (r, s)
}

/// OWASP "CSV Injection": a cell starting with = + - @ tab or CR gets a
/// leading `'` and is quoted; generated numbers (a negative balance) stay
/// numbers a clerk can sum.
#[test]
fn csv_escapes_text_cells_that_would_run_as_formulas() {
    let (r, s) = hostile_report();
    let bytes = render(&r, &s, Format::Csv).expect("render csv");
    let text = String::from_utf8(bytes).expect("utf-8");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("csv row").iter().map(str::to_string).collect())
        .collect();
    let cells: Vec<&String> = rows.iter().flatten().collect();
    let dangerous = |c: &str| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let numeric = |c: &str| c.parse::<f64>().is_ok() || c == "-";
    for c in &cells {
        assert!(!dangerous(c) || numeric(c), "unescaped cell {c:?}");
    }
    // Each hostile text is there, behind the quote.
    assert_eq!(
        rows[0],
        [format!("'{} 2026年10月 党建工作月报", HOSTILE[0])]
    );
    for h in HOSTILE {
        assert!(
            cells.iter().any(|c| **c == format!("'{h}")),
            "{h:?} not escaped"
        );
    }
    assert!(text.contains(r#""'=HYPERLINK(""http://x"",""点我"") 2026年10月 党建工作月报""#));
    assert!(text.contains("\"'-2+3\","), "{text}");
    // The sign-off line starts with 制表人 and needs nothing.
    assert!(cells.iter().any(|c| c.starts_with("制表人：=HYPERLINK")));
    // Money stays a plain number, negative included; the "not checked"
    // dash of the meetings table stays a dash.
    assert!(
        rows.iter()
            .any(|r| r.get(..2) == Some(&["期末余额".to_string(), "-12.50".to_string()][..])),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.first().is_some_and(|c| c == "'-2+3") && r.contains(&"-".to_string()))
    );
}

/// The XLSX report writes clerk text as string cells, which Excel never
/// evaluates: no formula anywhere, and the texts read back as strings.
#[test]
fn xlsx_report_keeps_formula_like_text_as_strings() {
    let (r, s) = hostile_report();
    let bytes = render(&r, &s, Format::Xlsx).expect("render xlsx");
    let mut wb: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("reopen xlsx");
    let mut strings = Vec::new();
    for name in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.used_cells().next().is_none(),
            "{name} has a formula"
        );
        let range = wb.worksheet_range(&name).expect("sheet");
        strings.extend(range.cells().filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        }));
    }
    assert!(strings.contains(&format!("{} 2026年10月 党建工作月报", HOSTILE[0])));
    for h in &HOSTILE[1..4] {
        assert!(strings.iter().any(|s| s == h), "{h:?} not a string cell");
    }
}
