//! The exchange with Excel and WPS (FORMATS.md): every reading rule, GBK and
//! UTF-8-BOM CSV, a workbook full of mistakes that changes nothing, the
//! round trip of the small demo ledger, update instead of duplicate, undo.
//! Workbooks are built here with rust_xlsxwriter; no binary fixtures.

#[path = "common/book.rs"]
mod book;
use book::{X, xlsx};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use djtz::domain::dates::Month;
use djtz::domain::enums::*;
use djtz::domain::money::Fen;
use djtz::domain::records::*;
use djtz::exchange::{self, Book, ImportOptions, ImportReport, Sheet};
use djtz::store::Store;

use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn opts() -> ImportOptions {
    ImportOptions::new(today())
}

struct Env {
    dir: TempDir,
    store: Store,
}

impl Env {
    fn new() -> Env {
        let dir = TempDir::new().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        Env { dir, store }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn db(&self) -> PathBuf {
        self.path("t.db")
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn import(&mut self, path: &Path) -> ImportReport {
        exchange::import_file(&mut self.store, path, &opts()).unwrap()
    }

    /// Imports and expects no error.
    fn import_ok(&mut self, path: &Path) -> ImportReport {
        let r = self.import(path);
        assert!(r.errors.is_empty(), "unexpected errors: {:#?}", r.errors);
        r
    }

    fn csv(&mut self, name: &str, text: &str) -> ImportReport {
        let p = self.write(name, text.as_bytes());
        self.import_ok(&p)
    }

    fn export_grid(&self, name: &str) -> Vec<Sheet> {
        let p = self.path(name);
        exchange::write_export(&self.store, &p).unwrap();
        read_grid(&p)
    }
}

fn read_grid(p: &Path) -> Vec<Sheet> {
    match exchange::read_file(p).unwrap() {
        Book::Xlsx(b) => b.into_sheets().unwrap(),
        Book::Csv(_) => panic!("not a workbook"),
    }
}

/// A cell of a workbook built by a test.
fn s(t: &str) -> X<'_> {
    X::S(t)
}

fn row<'a>(cells: &[&'a str]) -> Vec<X<'a>> {
    cells.iter().map(|c| X::S(c)).collect()
}

const UNITS_CSV: &str = "名称,类型\n宏达机械有限公司,非公企业\n绿源农业合作社,社会组织\n";
const ORGS_CSV: &str = "名称,类型,组建方式,成立日期,覆盖单位\n宏达机械党支部,党支部,联合组建,2019-07-01,宏达机械有限公司、绿源农业合作社\n";

/// Units, one joint branch covering both, three members.
fn base(env: &mut Env) {
    env.csv("单位.csv", UNITS_CSV);
    env.csv("党组织.csv", ORGS_CSV);
    env.csv(
        "党员.csv",
        "姓名,所在党组织,类别,身份证号\n王建国,宏达机械党支部,正式党员,110101198503120017\n李红,宏达机械党支部,正式党员,\n张三,宏达机械党支部,预备党员,\n",
    );
}

fn member(env: &Env, name: &str) -> Member {
    let mut v: Vec<Member> = env.store.find_by_name(name).unwrap();
    assert_eq!(v.len(), 1, "{name}");
    v.remove(0)
}

fn unit(env: &Env, name: &str) -> Unit {
    let mut v: Vec<Unit> = env.store.find_by_name(name).unwrap();
    assert_eq!(v.len(), 1, "{name}");
    v.remove(0)
}

fn errors_of(env: &mut Env, name: &str, bytes: &[u8]) -> Vec<String> {
    let p = env.write(name, bytes);
    let r = env.import(&p);
    assert!(r.change_id.is_none());
    r.errors.to_vec()
}

fn has(errors: &[String], needle: &str) -> bool {
    errors.iter().any(|e| e.contains(needle))
}

// ---------------------------------------------------------------------------
// Reading rules, one by one

#[test]
fn header_row_column_order_free_and_unknown_columns_reported() {
    let mut env = Env::new();
    let r = env.csv(
        "单位.csv",
        "类型,备用列,名称\n非公企业,x,宏达机械有限公司\n",
    );
    assert_eq!(r.sheets[0].added, 1);
    assert!(has(&r.notes, "单位!1 备用列: 不认识的列"), "{:?}", r.notes);
    assert_eq!(unit(&env, "宏达机械有限公司").kind, UnitKind::NonPublic);
}

#[test]
fn missing_required_column_fails_the_whole_import() {
    let mut env = Env::new();
    let errs = errors_of(
        &mut env,
        "单位.csv",
        "名称,行业\n宏达机械有限公司,机械\n".as_bytes(),
    );
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("单位!1 类型: 缺少必填列"), "{errs:?}");
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);
}

#[test]
fn csv_utf8_with_bom() {
    let mut env = Env::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(UNITS_CSV.as_bytes());
    let p = env.write("01_单位.csv", &bytes);
    let r = env.import_ok(&p);
    assert_eq!(r.sheets[0].added, 2);
    // The BOM does not stick to the first header.
    unit(&env, "宏达机械有限公司");
}

#[test]
fn csv_gbk_from_chinese_excel() {
    let mut env = Env::new();
    let text = "名称,类型,所在村社区\r\n宏达机械有限公司,非公企业,城东社区\r\n鑫盛电子（分公司）,混合所有制企业,下古埠村\r\n";
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really GBK bytes");
    let p = env.write("单位.csv", &bytes);
    let r = env.import_ok(&p);
    assert_eq!(r.sheets[0].added, 2);
    assert_eq!(unit(&env, "鑫盛电子（分公司）").village, "下古埠村");
}

#[test]
fn csv_quotes_as_in_rfc_4180() {
    let mut env = Env::new();
    env.csv(
        "单位.csv",
        "名称,类型,备注\n\"宏达机械, 有限公司\",非公企业,\"他说\"\"好\"\"\n第二行\"\n",
    );
    let u = unit(&env, "宏达机械, 有限公司");
    assert_eq!(u.note, "他说\"好\"\n第二行");
}

#[test]
fn csv_sheet_from_file_name_or_option() {
    let mut env = Env::new();
    let p = env.write("导出数据.csv", UNITS_CSV.as_bytes());
    let e = exchange::import_file(&mut env.store, &p, &opts()).unwrap_err();
    assert_eq!(e.code, "unknown-sheet");
    let mut o = opts();
    o.sheet = Some("单位".into());
    let r = exchange::import_file(&mut env.store, &p, &o).unwrap();
    assert_eq!(r.sheets[0].added, 2);
}

#[test]
fn cells_trimmed_and_full_width_folded() {
    let mut env = Env::new();
    env.csv(
        "单位.csv",
        "名称,类型,职工人数,联系电话,统一社会信用代码\n　宏达机械有限公司　, 非公企业 ,５６,１３８００１３８０００,９１３５０１００Ｍ０００１００Ｙ４３\n",
    );
    let u = unit(&env, "宏达机械有限公司");
    assert_eq!(u.employees, Some(56));
    assert_eq!(u.phone, "13800138000");
    assert_eq!(u.credit_code, "91350100M000100Y43");
}

#[test]
fn empty_rows_are_skipped() {
    let mut env = Env::new();
    let r = env.csv(
        "单位.csv",
        "名称,类型\n\n,\n宏达机械有限公司,非公企业\n , \n绿源农业合作社,社会组织\n",
    );
    assert_eq!(r.sheets[0].added, 2);
    // Row numbers are those the clerk sees.
    let errs = errors_of(&mut env, "单位.csv", "名称,类型\n\n宏达,国企\n".as_bytes());
    assert!(has(&errs, "单位!3 类型:"), "{errs:?}");
}

#[test]
fn date_spellings_and_excel_date_cells() {
    let mut env = Env::new();
    env.csv("单位.csv", UNITS_CSV);
    let mk = |n: &'static str, date: X<'static>| vec![s(n), s("党支部"), s("单独组建"), date];
    let p2 = env.path("book2.xlsx");
    xlsx(
        &p2,
        &[(
            "党组织",
            vec![
                row(&["名称", "类型", "组建方式", "成立日期"]),
                mk("甲支部", s("2026-10-15")),
                mk("乙支部", s("2026/10/15")),
                mk("丙支部", s("2026.10.15")),
                mk("丁支部", s("2026年10月15日")),
                mk("戊支部", X::D(2026, 10, 15)),
                mk("己支部", X::N(46310.0)),
                mk("庚支部", s("２０２６－１０－１５")),
                mk("辛支部", s(" 2026-10-15 00:00:00 ")),
            ],
        )],
    );
    env.import_ok(&p2);
    let orgs: Vec<PartyOrg> = env.store.all().unwrap();
    assert_eq!(orgs.len(), 8);
    assert!(
        orgs.iter().all(|o| o.established == d("2026-10-15")),
        "{orgs:?}"
    );
}

#[test]
fn month_spellings() {
    let mut env = Env::new();
    base(&mut env);
    env.csv(
        "党费.csv",
        "月份,姓名,所在党组织,实交,应交\n2026-10,李红,宏达机械党支部,10,10\n2026年9月,李红,宏达机械党支部,10,10\n2026/8,李红,宏达机械党支部,10,10\n",
    );
    let months: Vec<Month> = env
        .store
        .all::<Dues>()
        .unwrap()
        .iter()
        .map(|d| d.month)
        .collect();
    assert_eq!(
        months.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        ["2026-10", "2026-09", "2026-08"]
    );
}

#[test]
fn money_spellings_are_exact_fen() {
    let mut env = Env::new();
    let p = env.path("funds.xlsx");
    let head = row(&["日期", "收支", "类别", "金额", "摘要"]);
    let mk = |amount: X<'static>| {
        vec![
            s("2026-10-08"),
            s("收入"),
            s("财政拨款"),
            amount,
            s("下拨经费"),
        ]
    };
    xlsx(
        &p,
        &[(
            "经费",
            vec![
                head,
                mk(s("1234.5")),
                mk(s("1,234.50")),
                mk(s("¥1234.50")),
                mk(s("￥１２３４.５")),
                mk(X::N(1234.5)),
                mk(X::N(0.07)),
            ],
        )],
    );
    env.import_ok(&p);
    let amounts: Vec<i64> = env
        .store
        .all::<FundEntry>()
        .unwrap()
        .iter()
        .map(|f| f.amount.0)
        .collect();
    assert_eq!(amounts, [123450, 123450, 123450, 123450, 123450, 7]);
    // More than two decimals, negative, words: each an error with its row.
    let p = env.path("bad.xlsx");
    xlsx(
        &p,
        &[(
            "经费",
            vec![
                row(&["日期", "收支", "类别", "金额", "摘要"]),
                mk(s("12.345")),
                mk(s("-5")),
                mk(s("五百元")),
                mk(X::N(1.005)),
            ],
        )],
    );
    let r = env.import(&p);
    for row in 2..=5 {
        assert!(
            has(&r.errors, &format!("经费!{row} 金额:")),
            "{:?}",
            r.errors
        );
    }
}

#[test]
fn lists_in_a_cell() {
    let mut env = Env::new();
    env.csv(
        "单位.csv",
        "名称,类型\n甲公司,非公企业\n乙公司,非公企业\n丙公司,非公企业\n丁公司,非公企业\n",
    );
    env.csv(
        "党组织.csv",
        "名称,类型,组建方式,成立日期,覆盖单位\n联合党支部,党支部,联合组建,2020-01-01,\"甲公司、乙公司，丙公司,丁公司\"\n",
    );
    assert_eq!(env.store.count::<Coverage>().unwrap(), 4);
    env.csv(
        "党组织.csv",
        "名称,类型,组建方式,成立日期,覆盖单位\n联合党支部,党支部,联合组建,2020-01-01,甲公司;乙公司\n",
    );
    let c: Vec<Coverage> = env.store.all().unwrap();
    assert_eq!(c.len(), 2);
    assert!(
        c.iter()
            .all(|c| c.from == d("2020-01-01") && c.to.is_none())
    );
}

#[test]
fn references_by_name_unknown_and_ambiguous() {
    let mut env = Env::new();
    base(&mut env);
    // Two 李红 in the branch, told apart by ID number: the first row gives
    // the existing one her number, the second is a new member.
    let r = env.csv(
        "党员.csv",
        "姓名,所在党组织,类别,身份证号\n李红,宏达机械党支部,正式党员,110101199001010023\n李红,宏达机械党支部,预备党员,110101199205050035\n",
    );
    assert_eq!((r.sheets[0].added, r.sheets[0].updated), (1, 1));
    let errs = errors_of(
        &mut env,
        "党费.csv",
        "月份,姓名,所在党组织,实交,应交\n2026-10,李红,宏达机械党支部,1,1\n2026-10,赵六,宏达机械党支部,1,1\n2026-10,张三,不存在党支部,1,1\n".as_bytes(),
    );
    assert!(has(&errs, "党费!2 姓名: 有 2 名党员叫“李红”"), "{errs:?}");
    assert!(has(&errs, "党费!3 姓名: 找不到党员“赵六”"), "{errs:?}");
    assert!(
        has(&errs, "党费!4 所在党组织: 找不到党组织“不存在党支部”"),
        "{errs:?}"
    );
    // By ID number it is clear.
    env.csv(
        "党费.csv",
        "月份,姓名,身份证号,所在党组织,实交,应交\n2026-10,李红,110101199001010023,宏达机械党支部,1,1\n",
    );
}

#[test]
fn dues_computed_when_empty_kept_when_entered() {
    let mut env = Env::new();
    base(&mut env);
    env.csv(
        "党费.csv",
        "月份,姓名,所在党组织,计算基数,人员类型,应交,实交\n2026-10,王建国,宏达机械党支部,6000,在职,,90\n2026-10,李红,宏达机械党支部,6000,在职,30,30\n2026-10,张三,宏达机械党支部,,农民,,0.2\n",
    );
    let dues: Vec<Dues> = env.store.all().unwrap();
    assert_eq!((dues[0].due, dues[0].due_manual), (Fen(9000), false));
    assert_eq!((dues[1].due, dues[1].due_manual), (Fen(3000), true));
    assert_eq!((dues[2].due, dues[2].due_manual), (Fen(20), false));
    assert_eq!(dues[0].org_id, member(&env, "王建国").org_id);
}

#[test]
fn meeting_attendance_lists_and_leave_reasons() {
    let mut env = Env::new();
    base(&mut env);
    env.csv(
        "会议.csv",
        "党组织,类型,日期,主题,出席,请假,缺席\n宏达机械党支部,主题党日、党课,2026-10-15,学习,王建国,\"李红(出差)\",张三\n",
    );
    let m = &env.store.all::<Meeting>().unwrap()[0];
    assert_eq!(m.kinds, [MeetingKind::PartyLesson, MeetingKind::ThemeDay]);
    let leave = m
        .attendance
        .iter()
        .find(|a| a.status == AttendStatus::Leave)
        .unwrap();
    assert_eq!(leave.reason, "出差");
    env.csv(
        "会议.csv",
        "党组织,类型,日期,主题,请假\n宏达机械党支部,支部委员会,2026-10-16,学习,\"李红（病假，住院）\"\n",
    );
    let m = &env.store.all::<Meeting>().unwrap()[1];
    assert_eq!(m.attendance[0].reason, "病假，住院");
}

// ---------------------------------------------------------------------------
// A workbook with bad rows in several sheets

#[test]
fn bad_rows_in_several_sheets_listed_and_nothing_written() {
    let mut env = Env::new();
    base(&mut env);
    let before_export = env.export_grid("before.xlsx");
    let before_bytes = std::fs::read(env.db()).unwrap();

    let p = env.path("bad.xlsx");
    xlsx(
        &p,
        &[
            (
                "单位",
                vec![
                    row(&["名称", "类型", "成立"]),
                    row(&["新公司", "国企"]),
                    row(&["好公司", "非公企业"]),
                ],
            ),
            (
                "党员",
                vec![
                    row(&["姓名", "所在党组织", "类别", "身份证号", "入党日期"]),
                    row(&["钱七", "宏达机械党支部", "正式党员", "110101198503120018"]),
                    row(&["孙八", "无此党支部", "正式党员"]),
                    row(&["周九", "宏达机械党支部", "正式党员", "", "2026-13-01"]),
                ],
            ),
            (
                "指导员",
                vec![row(&["姓名", "来源"]), row(&["刘伟", "机关选派"])],
            ),
            (
                "会议",
                vec![
                    row(&["党组织", "类型", "日期", "主题", "出席", "请假"]),
                    row(&[
                        "宏达机械党支部",
                        "主题党日",
                        "2026-10-15",
                        "学习",
                        "王建国、王建国",
                    ]),
                    row(&[
                        "宏达机械党支部",
                        "主题党日",
                        "2026-10-16",
                        "学习",
                        "李红",
                        "李红",
                    ]),
                    row(&["宏达机械党支部", "开会", "2026-10-17", "学习", "吴十"]),
                ],
            ),
            (
                "经费",
                vec![
                    row(&["日期", "收支", "类别", "金额", "摘要"]),
                    row(&["2026-10-08", "收入", "组织活动", "100", "x"]),
                    row(&["2026-10-08", "支出", "组织活动", "1.234", "x"]),
                ],
            ),
            ("杂项", vec![row(&["随便"])]),
        ],
    );
    let r = env.import(&p);
    let expect = [
        "单位!2 类型: 单位类型“国企”不是可选值",
        "党员!2 身份证号:",
        "党员!3 所在党组织: 找不到党组织“无此党支部”",
        "党员!4 入党日期: 日期“2026-13-01”不存在",
        "指导员!1 选派日期: 缺少必填列",
        "会议!2 出席: “王建国”在出席中写了两次",
        "会议!3 请假: “李红”同时出现在出席和请假中",
        "会议!4 类型: 会议类型“开会”不是可选值",
        "会议!4 出席: “吴十”不是“宏达机械党支部”的党员",
        "经费!2 类别: “组织活动”不是收入类别",
        "经费!3 金额: 金额最多两位小数",
    ];
    for e in expect {
        assert!(has(&r.errors, e), "missing {e} in {:#?}", r.errors);
    }
    assert_eq!(r.errors.len(), expect.len(), "{:#?}", r.errors);
    assert!(has(&r.notes, "单位!1 成立: 不认识的列"));
    assert!(has(&r.notes, "工作表“杂项”不是台账表"));
    assert!(r.change_id.is_none());

    let after_export = env.export_grid("after.xlsx");
    assert_eq!(before_export, after_export);
    assert!(
        std::fs::read(env.db()).unwrap() == before_bytes,
        "ledger bytes changed"
    );
}

// ---------------------------------------------------------------------------
// Files that are not a ledger at all, through the binary

fn djtz(db: &Path) -> Command {
    let mut c = Command::cargo_bin("djtz").unwrap();
    c.arg("--db").arg(db);
    c
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_files_get_a_clear_message_and_change_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    let units = dir.path().join("单位.csv");
    std::fs::write(&units, UNITS_CSV).unwrap();
    let out = djtz(&db).arg("import").arg(&units).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let before = std::fs::read(&db).unwrap();

    // 20 MB of garbage (a fixed pseudo-random sequence).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let garbage: Vec<u8> = (0..20 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(1024, 0);
    encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    encrypted.resize(4096, 0);
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("报告.docx", b"hello".to_vec(), "[not-csv-xlsx]"),
        ("单位.csv", Vec::new(), "[empty-file]"),
        ("加密.xlsx", encrypted, "[encrypted]"),
        ("乱码.xlsx", garbage.clone(), "[bad-xlsx]"),
        ("乱码.csv", garbage, "[bad-encoding]"),
        ("坏包.xlsx", b"PK\x03\x04garbage".to_vec(), "[bad-xlsx]"),
    ];
    for (name, bytes, code) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).unwrap();
        let out = djtz(&db).arg("import").arg(&p).output().unwrap();
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.starts_with("错误：") && err.contains(code),
            "{name}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{name} changed the ledger"
        );
    }

    // An unreadable file does not even create a ledger.
    let fresh = dir.path().join("新台账.db");
    let out = djtz(&fresh)
        .arg("import")
        .arg(dir.path().join("报告.docx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!fresh.exists());

    // Row errors: every one on stderr, then the summary line; exit 2.
    let bad = dir.path().join("党员.csv");
    std::fs::write(&bad, "姓名,所在党组织,类别\n甲,无,正式党员\n乙,无,党员\n").unwrap();
    let out = djtz(&db).arg("import").arg(&bad).output().unwrap();
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("党员!2 所在党组织:") && err.contains("党员!3 类别:"),
        "{err}"
    );
    assert!(err.contains("[import-errors]"));
    assert!(std::fs::read(&db).unwrap() == before);
}

// ---------------------------------------------------------------------------
// Round trip, update instead of duplicate, undo

#[test]
fn small_demo_round_trip() {
    let mut a = Env::new();
    djtz::demo::fill(
        &mut a.store,
        djtz::demo::Scale::Small,
        7,
        &mut |_| {},
        today(),
    )
    .unwrap();
    let first = a.export_grid("a.xlsx");
    assert!(first.iter().map(|s| s.rows.len()).sum::<usize>() > 1000);

    let mut b = Env::new();
    let r = b.import_ok(&a.path("a.xlsx"));
    assert_eq!(
        r.sheets
            .iter()
            .filter(|s| s.sheet != "设置")
            .map(|s| s.updated + s.unchanged)
            .sum::<usize>(),
        0
    );
    // The names are new; the rules equal the defaults of the new ledger.
    let set = r.sheets.iter().find(|s| s.sheet == "设置").unwrap();
    assert_eq!((set.added, set.updated, set.unchanged), (4, 0, 4));
    let second = b.export_grid("b.xlsx");
    assert_eq!(first.len(), second.len());
    for (x, y) in first.iter().zip(&second) {
        assert_eq!(x.name, y.name);
        assert_eq!(x.rows.len(), y.rows.len(), "{}", x.name);
        for (rx, ry) in x.rows.iter().zip(&y.rows) {
            assert_eq!(rx, ry, "{}", x.name);
        }
    }
    // Importing the same file again changes nothing.
    let again = b.import_ok(&a.path("a.xlsx"));
    assert!(again.change_id.is_none());
    assert_eq!(
        again
            .sheets
            .iter()
            .map(|s| s.added + s.updated)
            .sum::<usize>(),
        0
    );
}

#[test]
fn voided_records_are_left_out_of_the_export() {
    let mut env = Env::new();
    env.csv("单位.csv", UNITS_CSV);
    let id = unit(&env, "绿源农业合作社").id;
    env.store.void::<Unit>(id).unwrap();
    let grid = env.export_grid("e.xlsx");
    let units = grid.iter().find(|s| s.name == "单位").unwrap();
    assert_eq!(units.rows.len(), 2);
}

#[test]
fn existing_records_are_updated_not_duplicated() {
    let mut env = Env::new();
    base(&mut env);
    let r = env.csv(
        "单位.csv",
        "名称,类型,职工人数\n宏达机械有限公司,非公企业,80\n绿源农业合作社,社会组织,\n新公司,新业态企业,\n",
    );
    assert_eq!(
        (
            r.sheets[0].added,
            r.sheets[0].updated,
            r.sheets[0].unchanged
        ),
        (1, 1, 1)
    );
    assert_eq!(env.store.count::<Unit>().unwrap(), 3);
    // A member by ID number (even with another name spelling) and by name.
    let r = env.csv(
        "党员.csv",
        "姓名,所在党组织,类别,身份证号,手机\n王建国,宏达机械党支部,正式党员,110101198503120017,13800138000\n李红,宏达机械党支部,正式党员,110101199001010023,\n张三,宏达机械党支部,预备党员,,\n",
    );
    assert_eq!(
        (
            r.sheets[0].added,
            r.sheets[0].updated,
            r.sheets[0].unchanged
        ),
        (0, 2, 1)
    );
    assert_eq!(member(&env, "李红").id_number, "110101199001010023");
    assert_eq!(env.store.count::<Member>().unwrap(), 3);
    // A meeting by org + date + kinds.
    let m = "党组织,类型,日期,主题,出席\n宏达机械党支部,主题党日,2026-10-15,学习,王建国\n";
    env.csv("会议.csv", m);
    let r = env.csv(
        "会议.csv",
        &m.replace("学习,王建国", "学习党章,王建国、李红"),
    );
    assert_eq!(r.sheets[0].updated, 1);
    let ms: Vec<Meeting> = env.store.all().unwrap();
    assert_eq!(ms.len(), 1);
    assert_eq!(
        (ms[0].topic.as_str(), ms[0].attendance.len()),
        ("学习党章", 2)
    );
    // Dues by member + month.
    let dues = "月份,姓名,所在党组织,应交,实交\n2026-10,张三,宏达机械党支部,5,0\n";
    env.csv("党费.csv", dues);
    env.csv("党费.csv", &dues.replace(",5,0", ",5,5"));
    let all: Vec<Dues> = env.store.all().unwrap();
    assert_eq!((all.len(), all[0].paid), (1, Fen(500)));
}

#[test]
fn dry_run_checks_and_writes_nothing() {
    let mut env = Env::new();
    let p = env.write("单位.csv", UNITS_CSV.as_bytes());
    let mut o = opts();
    o.dry_run = true;
    let r = exchange::import_file(&mut env.store, &p, &o).unwrap();
    assert_eq!(r.sheets[0].added, 2);
    assert!(r.change_id.is_none());
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);
}

#[test]
fn undo_last_import_as_a_whole() {
    let mut env = Env::new();
    base(&mut env);
    env.csv(
        "单位.csv",
        "名称,类型,职工人数\n宏达机械有限公司,非公企业,80\n新公司,新业态企业,\n",
    );
    assert_eq!(env.store.count::<Unit>().unwrap(), 3);
    env.store.undo_last_import().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 2);
    assert_eq!(unit(&env, "宏达机械有限公司").employees, None);
    let other = Store::open(&env.path("other.db")).unwrap();
    drop(std::mem::replace(&mut env.store, other));

    // Through the binary: the previous import (members), then the orgs …
    let db = env.db();
    let out = djtz(&db).args(["import", "--undo-last"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("撤销：导入 党员.csv"));
    for _ in 0..2 {
        djtz(&db).args(["import", "--undo-last"]).assert().success();
    }
    let out = djtz(&db).args(["import", "--undo-last"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("没有可以撤销的导入"),
        "{}",
        stderr_of(&out)
    );
    let store = Store::open(&db).unwrap();
    assert!(store.is_empty().unwrap());
}

#[test]
fn template_has_the_help_sheet_and_every_header() {
    let dir = TempDir::new().unwrap();
    let p = dir.path().join("模板.xlsx");
    Command::cargo_bin("djtz")
        .unwrap()
        .arg("template")
        .arg(&p)
        .assert()
        .success();
    let grid = read_grid(&p);
    let names: Vec<&str> = grid.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "说明",
            "单位",
            "党组织",
            "党员",
            "指导员",
            "指导员联系单位",
            "走访记录",
            "会议",
            "经费",
            "党费",
            "设置"
        ]
    );
    for (sheet, spec) in grid[1..].iter().zip(exchange::spec::SHEETS) {
        let header: Vec<String> = sheet.rows[0].1.iter().map(|c| c.text()).collect();
        let want: Vec<&str> = spec.cols.iter().map(|c| c.name).collect();
        assert_eq!(header, want);
        assert_eq!(sheet.rows.len(), 1);
    }
    // Every column is explained in 说明.
    let help = &grid[0];
    let explained = help.rows.iter().filter(|(_, r)| r.len() >= 4).count();
    let cols: usize = exchange::spec::SHEETS.iter().map(|s| s.cols.len()).sum();
    let items = exchange::settings_sheet::ITEMS.len();
    assert_eq!(explained, cols + 1 + 2 + items);
    // 设置 lists every 项目 with an empty 值, each explained in 说明.
    let settings = &grid[10];
    assert_eq!(
        settings.rows[0]
            .1
            .iter()
            .map(|c| c.text())
            .collect::<Vec<_>>(),
        ["项目", "值"]
    );
    let listed: Vec<String> = settings.rows[1..]
        .iter()
        .map(|(_, r)| r[0].text())
        .collect();
    let want: Vec<&str> = exchange::settings_sheet::ITEMS
        .iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(listed, want);
    assert!(
        settings.rows[1..]
            .iter()
            .all(|(_, r)| r.get(1).is_none_or(|c| c.is_empty()))
    );
    for name in &want {
        assert!(
            help.rows.iter().any(|(_, r)| r.len() >= 5
                && r[0].text() == "设置"
                && r[1].text() == *name
                && !r[4].is_empty()),
            "{name} not explained"
        );
    }
    // An empty template imports as "no data".
    let db = dir.path().join("t.db");
    let out = djtz(&db).arg("import").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("[no-data]"));
}

/// A ledger built through the store with every record kind and the tricky
/// values (a dissolved org, a parent, a leave reason, township-level money,
/// an entered 应交), for a round trip that does not depend on the demo.
#[test]
fn hand_built_round_trip() {
    let mut a = Env::new();
    let mut u1 = Unit::new("宏达机械有限公司", UnitKind::NonPublic);
    u1.employees = Some(56);
    u1.has_union = Some(true);
    u1.phone = "13800138000".into();
    a.store.save(&mut u1).unwrap();
    let mut u2 = Unit::new("绿源农业合作社", UnitKind::Social);
    u2.status = UnitStatus::Abnormal;
    a.store.save(&mut u2).unwrap();
    let mut top = PartyOrg::new(
        "综合党委",
        OrgType::Committee,
        Formation::Regional,
        d("2015-01-01"),
    );
    a.store.save(&mut top).unwrap();
    let mut o = PartyOrg::new(
        "联合党支部",
        OrgType::Branch,
        Formation::Joint,
        d("2019-07-01"),
    );
    o.parent_id = Some(top.id);
    o.dissolved = Some(d("2026-06-30"));
    o.has_committee = true;
    o.group_count = 2;
    a.store.save(&mut o).unwrap();
    let mut ch = a
        .store
        .change(djtz::store::ChangeKind::Edit, "覆盖")
        .unwrap();
    for uid in [u1.id, u2.id] {
        ch.insert(&mut Coverage {
            id: 0,
            org_id: o.id,
            unit_id: uid,
            from: d("2019-07-01"),
            to: Some(d("2026-06-30")),
        })
        .unwrap();
    }
    ch.commit().unwrap();
    let mut m1 = Member::new("王建国", o.id, MemberCategory::Formal);
    m1.id_number = "110101198503120017".into();
    m1.unit_id = Some(u1.id);
    m1.party_post = Some(PartyPost::Secretary);
    m1.new_employment = Some(NewEmployment::Courier);
    a.store.save(&mut m1).unwrap();
    let mut m2 = Member::new("李红", o.id, MemberCategory::Probationary);
    m2.status = MemberStatus::TransferredOut;
    m2.left = Some(d("2026-05-01"));
    a.store.save(&mut m2).unwrap();
    let mut i = Instructor {
        id: 0,
        name: "刘伟".into(),
        gender: Some(Gender::Male),
        phone: String::new(),
        source: InstructorSource::Government,
        workplace: "县委组织部".into(),
        appointed: d("2025-03-01"),
        left: None,
        note: String::new(),
    };
    a.store.save(&mut i).unwrap();
    a.store
        .save(&mut Assignment {
            id: 0,
            instructor_id: i.id,
            unit_id: u2.id,
            start: d("2025-03-01"),
            end: None,
        })
        .unwrap();
    a.store
        .save(&mut Visit {
            id: 0,
            instructor_id: i.id,
            unit_id: u2.id,
            date: d("2026-10-15"),
            mode: VisitMode::Policy,
            content: "宣传政策".into(),
            problems: "招工难".into(),
            resolved: Some(false),
        })
        .unwrap();
    a.store
        .save(&mut Meeting {
            id: 0,
            org_id: o.id,
            kinds: vec![MeetingKind::PartyLesson, MeetingKind::ThemeDay],
            date: d("2026-03-15"),
            place: "活动室".into(),
            host: "王建国".into(),
            recorder: String::new(),
            lecturer: "王建国".into(),
            topic: "学习党章".into(),
            summary: "第一行\n第二行".into(),
            attendance: vec![
                Attendance {
                    member_id: m1.id,
                    status: AttendStatus::Present,
                    reason: String::new(),
                },
                Attendance {
                    member_id: m2.id,
                    status: AttendStatus::Leave,
                    reason: "出差，外地".into(),
                },
            ],
        })
        .unwrap();
    a.store
        .save(&mut FundEntry {
            id: 0,
            date: d("2026-10-08"),
            org_id: None,
            direction: FundDirection::Income,
            category: FundCategory::Appropriation,
            amount: Fen(1_234_567),
            voucher: "记-001".into(),
            handler: String::new(),
            summary: "下拨".into(),
        })
        .unwrap();
    for (member, due, manual) in [(m1.id, Fen(9000), false), (m2.id, Fen(0), true)] {
        a.store
            .save(&mut Dues {
                id: 0,
                month: Month::parse("2026-04").unwrap(),
                member_id: member,
                org_id: o.id,
                base: Some(Fen(600_000)),
                person_type: Some(PersonType::Employed),
                due,
                due_manual: manual,
                paid: due,
                paid_date: Some(d("2026-04-10")),
            })
            .unwrap();
    }
    let first = a.export_grid("a.xlsx");
    let mut b = Env::new();
    b.import_ok(&a.path("a.xlsx"));
    assert_eq!(first, b.export_grid("b.xlsx"));
    let cov: Vec<Coverage> = b.store.all().unwrap();
    assert_eq!(cov.len(), 2);
    assert!(
        cov.iter()
            .all(|c| c.from == d("2019-07-01") && c.to == Some(d("2026-06-30")))
    );
    let dues: Vec<Dues> = b.store.all().unwrap();
    assert_eq!(
        dues.iter().map(|d| d.due_manual).collect::<Vec<_>>(),
        [false, true]
    );
}

/// An import audits its inserts without their JSON; undoing it checks the
/// audit log instead: refused while a record it inserted stays edited,
/// allowed once the edit is undone, and redo/undo still round-trip.
#[test]
fn undo_of_an_import_refused_after_a_later_edit_of_an_inserted_record() {
    let mut env = Env::new();
    env.csv("单位.csv", UNITS_CSV);
    let mut u = unit(&env, "绿源农业合作社");
    u.employees = Some(12);
    env.store.save(&mut u).unwrap();

    let err = env.store.undo_last_import().unwrap_err();
    assert!(err.to_string().contains("之后又被修改过"), "{err}");
    assert_eq!(env.store.count::<Unit>().unwrap(), 2);
    assert_eq!(unit(&env, "绿源农业合作社").employees, Some(12));

    // Undo the edit: the record is as the import left it again.
    env.store.undo().unwrap().unwrap();
    assert_eq!(unit(&env, "绿源农业合作社").employees, None);
    env.store.undo_last_import().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);

    // Redo brings the import back (audited with full JSON), undo again.
    env.store.redo().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 2);
    env.store.undo().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);

    // An edit that puts the record back as imported does not block undo.
    env.csv("单位.csv", UNITS_CSV);
    let mut u = unit(&env, "宏达机械有限公司");
    u.employees = Some(5);
    env.store.save(&mut u).unwrap();
    u.employees = None;
    env.store.save(&mut u).unwrap();
    env.store.undo_last_import().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);

    // Voiding an imported record blocks undo of the import.
    env.csv("单位.csv", UNITS_CSV);
    let u = unit(&env, "宏达机械有限公司");
    env.store.void::<Unit>(u.id).unwrap();
    assert!(env.store.undo_last_import().is_err());
    assert_eq!(env.store.count::<Unit>().unwrap(), 1);
}

/// Sheets are written as soon as they are checked, in the import's one
/// transaction: an error in a later sheet takes back the sheets already
/// written, so the ledger file stays the same byte for byte.
#[test]
fn error_in_a_later_sheet_takes_back_the_sheets_written_before_it() {
    let mut env = Env::new();
    base(&mut env);
    let before_bytes = std::fs::read(env.db()).unwrap();
    let p = env.path("late.xlsx");
    xlsx(
        &p,
        &[
            (
                "单位",
                vec![
                    row(&["名称", "类型"]),
                    row(&["新公司一", "非公企业"]),
                    row(&["新公司二", "社会组织"]),
                ],
            ),
            (
                "党员",
                vec![
                    row(&["姓名", "所在党组织", "类别"]),
                    row(&["赵六", "宏达机械党支部", "正式党员"]),
                ],
            ),
            (
                "党费",
                vec![
                    row(&["月份", "姓名", "所在党组织", "应交", "实交"]),
                    row(&["2026-10", "赵六", "宏达机械党支部", "10", "10"]),
                    row(&["2026-10", "无此人", "宏达机械党支部", "10", "10"]),
                ],
            ),
        ],
    );
    let r = env.import(&p);
    assert!(
        has(&r.errors, "党费!3 姓名: 找不到党员“无此人”"),
        "{:#?}",
        r.errors
    );
    assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
    assert!(r.change_id.is_none());
    assert_eq!(env.store.count::<Unit>().unwrap(), 2);
    assert_eq!(env.store.count::<Member>().unwrap(), 3);
    assert!(
        std::fs::read(env.db()).unwrap() == before_bytes,
        "ledger bytes changed"
    );
    // Mended, the same file goes in whole.
    let fixed = env.path("fixed.xlsx");
    xlsx(
        &fixed,
        &[(
            "党费",
            vec![
                row(&["月份", "姓名", "所在党组织", "应交", "实交"]),
                row(&["2026-10", "李红", "宏达机械党支部", "10", "10"]),
            ],
        )],
    );
    env.import_ok(&fixed);
    assert_eq!(env.store.count::<Dues>().unwrap(), 1);
}

/// The indexes of `table` as `CREATE INDEX` statements, sorted.
fn index_sql(store: &Store) -> Vec<String> {
    let mut st = store
        .conn()
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .unwrap();
    let mut v: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    v.sort();
    v
}

/// A bulk import (20,000 units) drops the table's indexes and builds them
/// again afterwards: the schema is then the same as a new ledger's, the
/// unique name index still works, the inserts are recorded as one id range
/// (no audit row per record), and undo takes all of them back.
#[test]
fn bulk_import_rebuilds_indexes_and_undoes_as_a_whole() {
    let mut env = Env::new();
    let fresh = index_sql(&env.store);
    env.csv("单位.csv", UNITS_CSV);
    let mut csv = String::from("名称,类型\n");
    for i in 0..20_000 {
        csv.push_str(&format!("批量单位{i:05},非公企业\n"));
    }
    let r = env.csv("单位.csv", &csv);
    assert_eq!(r.sheets[0].added, 20_000);
    assert_eq!(env.store.count::<Unit>().unwrap(), 20_002);
    assert_eq!(index_sql(&env.store), fresh);
    let conn = env.store.conn();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let change = r.change_id.unwrap();
    let audit_rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE change_id = ?1",
            [change],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audit_rows, 0);
    let ranges: Vec<(String, i64, i64)> = conn
        .prepare("SELECT table_name, first_id, last_id FROM inserted_ranges WHERE change_id = ?1")
        .unwrap()
        .query_map([change], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ranges, vec![("units".to_string(), 3, 20_002)]);
    // The rebuilt unique index refuses a second live unit of the same name.
    let mut dup = unit(&env, "批量单位00042");
    dup.id = 0;
    assert!(env.store.save(&mut dup).is_err());

    env.store.undo_last_import().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 2);
    env.store.redo().unwrap().unwrap();
    assert_eq!(env.store.count::<Unit>().unwrap(), 20_002);
}

/// Clerk text that looks like a formula is written to the export as string
/// cells (never a formula, never a number) and comes back unchanged.
#[test]
fn export_keeps_formula_like_text_as_strings() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let hostile = [r#"=HYPERLINK("http://x","点我")"#, "-2+3", "@SUM(A1)", "+1"];
    let mut a = Env::new();
    for h in hostile {
        let mut u = Unit::new(h, UnitKind::NonPublic);
        u.note = h.to_string();
        u.investor = h.to_string();
        a.store.save(&mut u).unwrap();
    }
    let p = a.path("e.xlsx");
    exchange::write_export(&a.store, &p).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&p).unwrap();
    for name in wb.sheet_names() {
        let f = wb.worksheet_formula(&name).unwrap();
        assert!(f.used_cells().next().is_none(), "{name} has a formula");
    }
    let units = wb.worksheet_range("单位").unwrap();
    for h in hostile {
        let n = units
            .cells()
            .filter(|(_, _, d)| *d == &Data::String(h.to_string()))
            .count();
        assert_eq!(n, 3, "{h:?}: name, investor and note as strings");
    }
    let mut b = Env::new();
    b.import_ok(&p);
    for h in hostile {
        assert_eq!(unit(&b, h).note, h);
    }
}

// ---------------------------------------------------------------------------
// The 设置 sheet

/// The report of `month` as JSON with a fixed `generated_at`.
fn report_json(store: &Store, month: &str) -> String {
    let m = Month::parse(month).unwrap();
    let ledger = djtz::domain::ledger::Ledger::load_for_month(store, m).unwrap();
    let at = chrono::DateTime::parse_from_rfc3339("2026-11-30T09:00:00+08:00").unwrap();
    djtz::report::json::render(&djtz::report::compute(&ledger, m, at).unwrap()).unwrap()
}

/// A ledger moved by export and import keeps its settings: the same
/// township on the report, the same rules, byte-identical report JSON.
#[test]
fn small_demo_moved_by_export_gives_the_same_reports() {
    let mut a = Env::new();
    djtz::demo::fill(
        &mut a.store,
        djtz::demo::Scale::Small,
        11,
        &mut |_| {},
        today(),
    )
    .unwrap();
    let mut s = a.store.settings().unwrap();
    s.lesson_every_months = 1;
    s.joint_branch_limit = 4;
    s.visits_per_month = 2;
    s.farmer_dues_fen = 50;
    a.store.save_settings(&s).unwrap();
    assert!(!s.township.is_empty());
    let p = a.path("a.xlsx");
    exchange::write_export(&a.store, &p).unwrap();

    let mut b = Env::new();
    let r = b.import_ok(&p);
    let sheet = r
        .sheets
        .iter()
        .find(|x| x.sheet == "设置")
        .expect("设置 imported");
    assert_eq!((sheet.added, sheet.updated), (8, 0));
    let mut moved = b.store.settings().unwrap();
    moved.unicode_borders = s.unicode_borders;
    assert_eq!(moved, s);
    for month in ["2026-06", "2026-09", "2026-10", "2026-11"] {
        let (x, y) = (report_json(&a.store, month), report_json(&b.store, month));
        assert!(x.contains(&format!("\"township\": \"{}\"", s.township)));
        assert!(x == y, "{month} differs");
    }
}

fn settings_book(env: &Env, name: &str, items: &[(&str, &str)]) -> PathBuf {
    let p = env.path(name);
    let mut rows = vec![row(&["项目", "值"])];
    rows.extend(items.iter().map(|(k, v)| row(&[k, v])));
    xlsx(
        &p,
        &[
            (
                "单位",
                vec![row(&["名称", "类型"]), row(&["新公司", "非公企业"])],
            ),
            ("设置", rows),
        ],
    );
    p
}

fn settings_row_keys(store: &Store) -> Vec<String> {
    let mut st = store
        .conn()
        .prepare("SELECT key FROM settings ORDER BY key")
        .unwrap();
    st.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Settings not yet set are taken; settings already set that the file
/// would change need a choice: an error without one (the CLI without
/// --settings), kept, or replaced. Undo takes the settings back, the
/// ones that were not set as not set.
#[test]
fn settings_sheet_asks_before_replacing_settings_already_set() {
    let mut env = Env::new();
    // A fresh ledger: everything is taken without asking.
    let p = env.write("设置.csv", "项目,值\n乡镇名称,城关镇\n制表人,\n".as_bytes());
    let r = env.import_ok(&p);
    assert_eq!(r.sheets[0].sheet, "设置");
    assert_eq!(r.sheets[0].added, 1);
    assert_eq!(env.store.settings().unwrap().township, "城关镇");
    assert_eq!(settings_row_keys(&env.store), ["township"]);

    let book = settings_book(
        &env,
        "b.xlsx",
        &[
            ("乡镇名称", "西湖镇"),
            ("党课至少每几个月", "1"),
            ("制表人", "林小梅"),
        ],
    );
    // No choice: an error of the 设置 sheet, nothing written.
    let r = env.import(&book);
    assert!(r.change_id.is_none());
    assert!(
        has(&r.errors, "设置!2 值:") && has(&r.errors, "城关镇") && has(&r.errors, "--settings"),
        "{:?}",
        r.errors
    );
    assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
    assert_eq!(r.settings_conflicts.len(), 1);
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);
    assert_eq!(env.store.settings().unwrap().township, "城关镇");

    // Keep: the records and the settings not yet set come in.
    let mut o = opts();
    o.settings = exchange::SettingsChoice::Keep;
    let r = exchange::import_file(&mut env.store, &book, &o).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let s = env.store.settings().unwrap();
    assert_eq!(
        (
            s.township.as_str(),
            s.preparer.as_str(),
            s.lesson_every_months
        ),
        ("城关镇", "林小梅", 1)
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("保留") && n.contains("西湖镇")),
        "{:?}",
        r.notes
    );
    env.store.undo_last_import().unwrap().unwrap();
    assert_eq!(
        settings_row_keys(&env.store),
        ["township"],
        "undo brings back what was not set"
    );
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);

    // Replace: one change with the records; undo takes both back.
    o.settings = exchange::SettingsChoice::Replace;
    let r = exchange::import_file(&mut env.store, &book, &o).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    let sheet = r.sheets.iter().find(|x| x.sheet == "设置").unwrap();
    assert_eq!((sheet.added, sheet.updated, sheet.unchanged), (2, 1, 0));
    assert_eq!(env.store.settings().unwrap().township, "西湖镇");
    assert_eq!(env.store.count::<Unit>().unwrap(), 1);
    env.store.undo_last_import().unwrap().unwrap();
    assert_eq!(
        env.store.settings().unwrap(),
        Settings {
            township: "城关镇".into(),
            ..Settings::default()
        }
    );
    assert_eq!(settings_row_keys(&env.store), ["township"]);
    // Redo brings the replacement back.
    env.store.redo().unwrap().unwrap();
    assert_eq!(env.store.settings().unwrap().township, "西湖镇");

    // Equal values are no change at all.
    let same = settings_book(
        &env,
        "c.xlsx",
        &[("乡镇名称", "西湖镇"), ("党课至少每几个月", "1")],
    );
    let r = env.import_ok(&same);
    let sheet = r.sheets.iter().find(|x| x.sheet == "设置").unwrap();
    assert_eq!((sheet.added, sheet.updated, sheet.unchanged), (0, 0, 2));
    assert!(r.change_id.is_none());
}

/// Every value is checked like the settings screen does; an unknown item
/// is reported and ignored.
#[test]
fn settings_sheet_values_are_checked() {
    let mut env = Env::new();
    let long = "镇".repeat(101);
    let book = settings_book(
        &env,
        "bad.xlsx",
        &[
            ("联合支部最多单位数", "0"),
            ("党课至少每几个月", "2"),
            ("指导员每月走访次数", "abc"),
            ("农民党费（元/月）", "2.00"),
            ("乡镇名称", &long),
            ("党课至少每几个月", "3"),
            ("", "5"),
            ("边框颜色", "红"),
        ],
    );
    let r = env.import(&book);
    assert!(r.change_id.is_none());
    for needle in [
        "设置!2 值:",
        "设置!3 值:",
        "设置!4 值:",
        "设置!5 值:",
        "设置!6 值:",
        "设置!7 项目:",
        "设置!8 项目:",
    ] {
        assert!(has(&r.errors, needle), "{needle}: {:#?}", r.errors);
    }
    assert_eq!(r.errors.len(), 7, "{:#?}", r.errors);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("设置!9") && n.contains("边框颜色")),
        "{:?}",
        r.notes
    );
    assert_eq!(env.store.count::<Unit>().unwrap(), 0);
    // Numbers typed into Excel as numbers, yuan with the sign.
    let mut ok = env.path("ok.xlsx");
    xlsx(
        &ok,
        &[(
            "设置",
            vec![
                row(&["项目*", "值"]),
                vec![s("联合支部最多单位数"), X::N(6.0)],
                vec![s("农民党费（元/月）"), X::N(0.5)],
                row(&["指导员每月走访次数", "２"]),
            ],
        )],
    );
    env.import_ok(&ok);
    let got = env.store.settings().unwrap();
    assert_eq!(
        (
            got.joint_branch_limit,
            got.farmer_dues_fen,
            got.visits_per_month
        ),
        (6, 50, 2)
    );
    ok = env.write("设置.csv", "项目,值\n农民党费（元/月）,¥0.80\n".as_bytes());
    let mut o = opts();
    o.settings = exchange::SettingsChoice::Replace;
    exchange::import_file(&mut env.store, &ok, &o).unwrap();
    assert_eq!(env.store.settings().unwrap().farmer_dues_fen, 80);
}

/// The CLI: without --settings a differing setting is an error naming the
/// flag; with it the settings are replaced; --undo-last takes them back.
#[test]
fn cli_import_needs_settings_flag_to_replace() {
    let env = Env::new();
    let book = settings_book(&env, "b.xlsx", &[("乡镇名称", "西湖镇")]);
    let first = env.write("设置.csv", "项目,值\n乡镇名称,城关镇\n".as_bytes());
    let db = env.path("cli.db");
    djtz(&db).arg("import").arg(&first).assert().success();
    let out = djtz(&db).arg("import").arg(&book).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("设置!2 值:") && err.contains("--settings"),
        "{err}"
    );
    let out = djtz(&db)
        .arg("import")
        .arg(&book)
        .arg("--settings")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("设置：新增 0，更新 1"));
    let township = |db: &Path| Store::open(db).unwrap().settings().unwrap().township;
    assert_eq!(township(&db), "西湖镇");
    djtz(&db).args(["import", "--undo-last"]).assert().success();
    assert_eq!(township(&db), "城关镇");
}
