//! Money, dates and text beyond reason (issue 11, point 11; FORMATS.md
//! "Reading rules"): one fund amount at most 1 亿元, a dues amount at most
//! 100 万元, dates in 1900–2100, names at most 100 characters, other text
//! 2,000, minutes 20,000. Each is an error of its cell in an import and of
//! its field in the forms; a ledger that already holds sums beyond i64
//! (an old one) gives a Chinese error, never a wrapped figure.

#[path = "common/book.rs"]
mod book;
use book::{X, xlsx};
mod common;
use common::tui::{R, app_at, keys, text, text_now, today, typed};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use djtz::domain::dates::{Month, from_excel_serial, parse_date};
use djtz::domain::enums::*;
use djtz::domain::money::{Fen, MAX_DUES_FEN, MAX_ENTRY_FEN};
use djtz::domain::records::*;
use djtz::domain::validate;
use djtz::exchange::{self, ImportOptions, ImportReport};
use djtz::store::Store;
use djtz::tui::event::Key;

use tempfile::TempDir;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
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

    fn import(&mut self, path: &Path) -> ImportReport {
        exchange::import_file(&mut self.store, path, &ImportOptions::new(today())).unwrap()
    }

    fn csv(&mut self, name: &str, text: &str) -> ImportReport {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        self.import(&p)
    }

    fn csv_ok(&mut self, name: &str, text: &str) {
        let r = self.csv(name, text);
        assert!(r.errors.is_empty(), "unexpected errors: {:#?}", r.errors);
    }
}

fn has(errors: &[String], needle: &str) -> bool {
    errors.iter().any(|e| e.contains(needle))
}

fn one_with(errors: &[String], prefix: &str) -> String {
    let hits: Vec<&String> = errors.iter().filter(|e| e.starts_with(prefix)).collect();
    assert_eq!(hits.len(), 1, "{prefix} in {errors:#?}");
    hits[0].clone()
}

/// An org and a member, for the dues sheet.
fn org_and_member(env: &mut Env) {
    env.csv_ok(
        "党组织.csv",
        "名称,类型,组建方式,成立日期\n宏达机械党支部,党支部,单独组建,2019-07-01\n",
    );
    env.csv_ok(
        "党员.csv",
        "姓名,所在党组织,类别\n李红,宏达机械党支部,正式党员\n",
    );
}

// ---------------------------------------------------------------------------
// Money

#[test]
fn an_amount_beyond_the_bound_is_an_error_of_its_cell() {
    let mut env = Env::new();
    let r = env.csv(
        "经费.csv",
        "日期,收支,类别,金额,摘要\n\
         2026-10-08,收入,财政拨款,92233720368547758.07,下拨经费\n\
         2026-10-08,收入,财政拨款,\"100,000,000.01\",下拨经费\n\
         2026-10-08,收入,财政拨款,100000000.00,下拨经费\n",
    );
    assert!(r.change_id.is_none());
    let e = one_with(&r.errors, "经费!2 金额:");
    assert!(e.contains("超过上限 100,000,000.00 元（1 亿元）"), "{e}");
    let e = one_with(&r.errors, "经费!3 金额:");
    assert!(e.contains("超过上限"), "{e}");
    assert!(!has(&r.errors, "经费!4"), "{:#?}", r.errors);
    assert!(env.store.all::<FundEntry>().unwrap().is_empty());
    // Exactly 1 亿元 is accepted.
    env.csv_ok(
        "经费.csv",
        "日期,收支,类别,金额,摘要\n2026-10-08,收入,财政拨款,100000000,下拨经费\n",
    );
    let f = env.store.all::<FundEntry>().unwrap();
    assert_eq!(f[0].amount, Fen(MAX_ENTRY_FEN));
}

#[test]
fn dues_amounts_beyond_one_million_are_errors_of_their_cells() {
    let mut env = Env::new();
    org_and_member(&mut env);
    let r = env.csv(
        "党费.csv",
        "月份,姓名,所在党组织,计算基数,人员类型,应交,实交\n\
         2026-10,李红,宏达机械党支部,1000000.01,在职,10,10\n\
         2026-09,李红,宏达机械党支部,5000,在职,1000000.01,10\n\
         2026-08,李红,宏达机械党支部,5000,在职,50,92233720368547758.07\n",
    );
    assert!(r.change_id.is_none());
    for (row, col) in [(2, "计算基数"), (3, "应交"), (4, "实交")] {
        let e = one_with(&r.errors, &format!("党费!{row} {col}:"));
        assert!(e.contains("超过上限 1,000,000.00 元"), "{e}");
    }
    assert!(env.store.all::<Dues>().unwrap().is_empty());
}

#[test]
fn validation_bounds_amounts_for_the_forms() {
    let mut f = FundEntry {
        id: 0,
        date: d("2026-10-08"),
        org_id: None,
        direction: FundDirection::Income,
        category: FundCategory::Appropriation,
        amount: Fen(MAX_ENTRY_FEN),
        voucher: String::new(),
        handler: String::new(),
        summary: "下拨经费".into(),
    };
    assert!(validate::fund_entry(&f).is_ok());
    f.amount = Fen(MAX_ENTRY_FEN + 1);
    let iss = validate::fund_entry(&f);
    let e = iss.for_field("金额").expect("金额 error");
    assert!(e.message.contains("超过上限"), "{e}");
    let mut x = Dues {
        id: 0,
        month: Month::new(2026, 10).unwrap(),
        member_id: 1,
        org_id: 1,
        base: Some(Fen(MAX_DUES_FEN)),
        person_type: None,
        due: Fen(MAX_DUES_FEN),
        due_manual: true,
        paid: Fen(MAX_DUES_FEN),
        paid_date: None,
    };
    assert!(validate::dues(&x).is_ok());
    x.base = Some(Fen(MAX_DUES_FEN + 1));
    x.due = Fen(MAX_DUES_FEN + 1);
    x.paid = Fen(i64::MAX);
    let iss = validate::dues(&x);
    for field in ["计算基数", "应交", "实交"] {
        let e = iss.for_field(field).expect(field);
        assert!(e.message.contains("超过上限"), "{e}");
    }
}

/// A ledger already holding amounts whose sum is beyond i64 (written by an
/// old version or by hand): two entries in October of 2^62 fen each.
fn ledger_with_huge_sums(dir: &Path) -> PathBuf {
    let db = dir.join("old.db");
    let mut s = Store::open(&db).unwrap();
    let mut o = PartyOrg::new(
        "宏达机械党支部",
        OrgType::Branch,
        Formation::Standalone,
        d("2019-07-01"),
    );
    s.save(&mut o).unwrap();
    drop(s);
    let c = rusqlite::Connection::open(&db).unwrap();
    for day in ["2026-10-08", "2026-10-09"] {
        c.execute(
            "INSERT INTO fund_entries (date, org_id, direction, category, amount, voucher, handler, summary)
             VALUES (?1, NULL, '收入', '财政拨款', ?2, '', '', '旧台账')",
            rusqlite::params![day, 1i64 << 62],
        )
        .unwrap();
    }
    db
}

fn djtz() -> Command {
    let mut c = Command::cargo_bin("djtz").unwrap();
    c.env_remove("DJTZ_DB").env("RUST_BACKTRACE", "1");
    c
}

#[test]
fn a_report_over_sums_beyond_reason_fails_in_chinese_never_wraps() {
    let dir = TempDir::new().unwrap();
    let db = ledger_with_huge_sums(dir.path());
    // October: the month's income overflows in the computation; November:
    // the opening balance overflows in the ledger's own sum.
    for month in ["2026-10", "2026-11"] {
        let out = djtz()
            .arg("--db")
            .arg(&db)
            .args(["report", "--month", month, "--format", "json"])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{month}: {stdout}");
        assert!(stdout.is_empty(), "{month}: {stdout}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("SQLite"),
            "{month}: {stderr}"
        );
        assert!(stderr.contains("金额合计超出"), "{month}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{month}: {stderr}");
    }
    // `check` names the amounts themselves.
    let out = djtz().arg("--db").arg(&db).arg("check").output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.status.success(), "{all}");
    assert!(
        all.contains("amount") && all.contains("超出合理范围"),
        "{all}"
    );
}

#[test]
fn the_funds_screen_over_sums_beyond_reason_says_so() -> R {
    let dir = TempDir::new().unwrap();
    let db = ledger_with_huge_sums(dir.path());
    let mut app = app_at(&db)?;
    // 经费 in October: the month's running balance overflows.
    app.status = None;
    typed(&mut app, "7");
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("金额合计超出"), "{status}");
    // The list says so in place of the entries (not "no entries, 0.00").
    let t = text_now(&mut app)?;
    assert!(
        t.contains("金额合计超出") && !t.contains("还没有经费收支") && !t.contains("0.00"),
        "{t}"
    );
    // November: the opening balance (the ledger's own sum) overflows.
    app.status = None;
    keys(&mut app, &[Key::PageDown]);
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("金额合计超出"), "{status}");
    let t = text_now(&mut app)?;
    assert!(
        t.contains("金额合计超出") && !t.contains("还没有经费收支") && !t.contains("0.00"),
        "{t}"
    );
    Ok(())
}

/// When this month's figures cannot be computed, the facts beside an org
/// say so instead of "computing" for ever (the status line says why).
#[test]
fn the_facts_say_when_the_figures_cannot_be_computed() -> R {
    let dir = TempDir::new().unwrap();
    let db = ledger_with_huge_sums(dir.path());
    let mut app = app_at(&db)?;
    typed(&mut app, "3");
    let t = text(&mut app)?;
    assert!(t.contains("宏达机械党支部"), "{t}");
    assert!(!t.contains("正在计算"), "{t}");
    assert!(t.contains("本月数字未能计算"), "{t}");
    Ok(())
}

#[test]
fn the_fund_form_refuses_an_amount_beyond_the_bound() -> R {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    drop(Store::open(&db).unwrap());
    let mut app = app_at(&db)?;
    typed(&mut app, "7");
    keys(&mut app, &[Key::F(5)]);
    // The form starts at the amount.
    typed(&mut app, "100000000.01");
    keys(&mut app, &[Key::Tab, Key::Tab, Key::Tab]);
    typed(&mut app, "下拨经费");
    keys(&mut app, &[Key::F(6)]);
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("超过上限"), "{status}");
    assert!(app.store.all::<FundEntry>().unwrap().is_empty());
    Ok(())
}

#[test]
fn the_dues_sheet_refuses_a_payment_beyond_the_bound() -> R {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("t.db");
    {
        let mut s = Store::open(&db).unwrap();
        let mut o = PartyOrg::new(
            "宏达机械党支部",
            OrgType::Branch,
            Formation::Standalone,
            d("2019-07-01"),
        );
        s.save(&mut o).unwrap();
        let mut m = Member::new("李红", o.id, MemberCategory::Formal);
        s.save(&mut m).unwrap();
        s.save(&mut Dues {
            id: 0,
            month: Month::of(today()),
            member_id: m.id,
            org_id: o.id,
            base: None,
            person_type: None,
            due: Fen(1_000),
            due_manual: true,
            paid: Fen(0),
            paid_date: None,
        })
        .unwrap();
    }
    let mut app = app_at(&db)?;
    typed(&mut app, "7");
    keys(&mut app, &[Key::F(4)]);
    typed(&mut app, "1000000.01");
    keys(&mut app, &[Key::Enter]);
    let status = app.status.clone().unwrap_or_default();
    assert!(status.contains("超过上限"), "{status}");
    let dues = app.store.all::<Dues>().unwrap();
    assert_eq!(dues[0].paid, Fen(0));
    Ok(())
}

// ---------------------------------------------------------------------------
// Dates

#[test]
fn typed_dates_and_months_lie_in_1900_to_2100() {
    assert_eq!(parse_date("2100-12-31"), Ok(d("2100-12-31")));
    assert_eq!(parse_date("1900-01-01"), Ok(d("1900-01-01")));
    for s in ["2101-01-01", "2150年1月1日", "21990101"] {
        let e = parse_date(s).unwrap_err();
        assert!(e.contains("1900") && e.contains("2100"), "{s}: {e}");
    }
    assert!(Month::parse("2100-12").is_ok());
    let e = Month::parse("2101-01").unwrap_err();
    assert!(e.contains("2100"), "{e}");
}

#[test]
fn excel_serials_outside_1900_to_2100_are_no_dates() {
    // 2100-12-31 is serial 73415.
    assert_eq!(from_excel_serial(73415.0), Some(d("2100-12-31")));
    assert_eq!(from_excel_serial(73416.0), None);
    assert_eq!(from_excel_serial(2_958_465.0), None);
    assert_eq!(from_excel_serial(1.0), Some(d("1900-01-01")));
    assert_eq!(from_excel_serial(0.0), None);
}

fn texts(cells: &[&'static str]) -> Vec<X<'static>> {
    cells.iter().map(|c| X::S(c)).collect()
}

#[test]
fn a_date_cell_outside_the_range_or_with_a_fraction_is_an_error() {
    let mut env = Env::new();
    let p = env.path("orgs.xlsx");
    let mk =
        |n: &'static str, date: X<'static>| vec![X::S(n), X::S("党支部"), X::S("单独组建"), date];
    xlsx(
        &p,
        &[(
            "党组织",
            vec![
                texts(&["名称", "类型", "组建方式", "成立日期"]),
                mk("甲支部", X::N(73416.0)),      // 2101-01-01
                mk("乙支部", X::N(2_958_465.0)),  // 9999-12-31
                mk("丙支部", X::DN(0.0)),         // Excel's 1900-01-00
                mk("丁支部", X::DN(2_958_465.0)), // 9999-12-31 as a date cell
                mk("戊支部", X::N(46310.5)),      // a fraction
                mk("己支部", X::S("2150-01-01")),
                mk("庚支部", X::N(73415.0)),      // 2100-12-31: fine
                mk("辛支部", X::D(2100, 12, 31)), // fine
                mk("壬支部", X::DN(46310.75)),    // a date cell with a time: fine
                mk("癸支部", X::S("1900-01-01")), // fine
            ],
        )],
    );
    let r = env.import(&p);
    assert!(r.change_id.is_none());
    for row in 2..=7 {
        one_with(&r.errors, &format!("党组织!{row} 成立日期:"));
    }
    let e = one_with(&r.errors, "党组织!6 成立日期:");
    assert!(e.contains("小数") || e.contains("时间"), "{e}");
    let e = one_with(&r.errors, "党组织!3 成立日期:");
    assert!(e.contains("1900") && e.contains("2100"), "{e}");
    for row in 8..=11 {
        assert!(
            !has(&r.errors, &format!("党组织!{row} ")),
            "{:#?}",
            r.errors
        );
    }
    assert_eq!(r.errors.len(), 6, "{:#?}", r.errors);
}

#[test]
fn a_month_outside_the_range_is_an_error() {
    let mut env = Env::new();
    org_and_member(&mut env);
    let p = env.path("dues.xlsx");
    let mk = |m: X<'static>| {
        vec![
            m,
            X::S("李红"),
            X::S("宏达机械党支部"),
            X::S("10"),
            X::S("10"),
        ]
    };
    xlsx(
        &p,
        &[(
            "党费",
            vec![
                texts(&["月份", "姓名", "所在党组织", "应交", "实交"]),
                mk(X::S("2101-01")),
                mk(X::D(2150, 3, 1)),
                mk(X::DN(2_958_465.0)),
                mk(X::N(215001.0)),
                mk(X::S("2100-12")),
                mk(X::N(202609.0)),
            ],
        )],
    );
    let r = env.import(&p);
    assert!(r.change_id.is_none());
    for row in 2..=5 {
        one_with(&r.errors, &format!("党费!{row} 月份:"));
    }
    assert_eq!(r.errors.len(), 4, "{:#?}", r.errors);
}

// ---------------------------------------------------------------------------
// Text lengths

#[test]
fn a_name_longer_than_100_characters_is_an_error_quoted_cut() {
    let mut env = Env::new();
    let long: String = "宏".repeat(101);
    let ok: String = "达".repeat(100);
    let r = env.csv(
        "单位.csv",
        &format!("名称,类型\n{long},非公企业\n{ok},非公企业\n"),
    );
    assert!(r.change_id.is_none());
    let e = one_with(&r.errors, "单位!2 名称:");
    assert!(e.contains("100"), "{e}");
    // Quoted cut to 40 characters.
    let quoted = format!("“{}…”", "宏".repeat(40));
    assert!(e.contains(&quoted), "{e}");
    assert!(!e.contains(&"宏".repeat(41)), "{e}");
    assert!(!has(&r.errors, "单位!3"), "{:#?}", r.errors);
    // The forms check the same rule.
    let u = Unit::new(&long, UnitKind::NonPublic);
    assert!(validate::unit(&u).for_field("名称").is_some());
    assert!(validate::unit(&Unit::new(&ok, UnitKind::NonPublic)).is_ok());
    let mut o = PartyOrg::new(
        &long,
        OrgType::Branch,
        Formation::Standalone,
        d("2020-01-01"),
    );
    assert!(validate::party_org(&o).for_field("名称").is_some());
    o.name = ok.clone();
    assert!(validate::party_org(&o).is_ok());
    let m = Member::new(&long, 1, MemberCategory::Formal);
    assert!(validate::member(&m, today()).for_field("姓名").is_some());
}

#[test]
fn other_text_at_most_2000_and_minutes_at_most_20000() {
    let mut env = Env::new();
    let r = env.csv(
        "单位.csv",
        &format!(
            "名称,类型,备注,地址\n甲公司,非公企业,{},厂区\n乙公司,非公企业,说明,{}\n",
            "备".repeat(2001),
            "址".repeat(2000)
        ),
    );
    let e = one_with(&r.errors, "单位!2 备注:");
    assert!(e.contains("2000") || e.contains("2,000"), "{e}");
    assert!(!has(&r.errors, "单位!3"), "{:#?}", r.errors);
    env.csv_ok(
        "党组织.csv",
        "名称,类型,组建方式,成立日期\n宏达机械党支部,党支部,单独组建,2019-07-01\n",
    );
    let r = env.csv(
        "会议.csv",
        &format!(
            "党组织,类型,日期,主题,内容摘要\n\
             宏达机械党支部,主题党日,2026-10-10,学习,{}\n\
             宏达机械党支部,主题党日,2026-10-11,学习,{}\n\
             宏达机械党支部,主题党日,2026-10-12,{},记录\n",
            "记".repeat(20_001),
            "录".repeat(20_000),
            "题".repeat(2001),
        ),
    );
    assert!(r.change_id.is_none());
    let e = one_with(&r.errors, "会议!2 内容摘要:");
    assert!(e.contains("20000") || e.contains("20,000"), "{e}");
    one_with(&r.errors, "会议!4 主题:");
    assert!(!has(&r.errors, "会议!3"), "{:#?}", r.errors);
}

#[test]
fn the_template_states_the_bounds() {
    let dir = TempDir::new().unwrap();
    let p = dir.path().join("模板.xlsx");
    djtz().arg("template").arg(&p).assert().success();
    let help = match exchange::read_file(&p).unwrap() {
        exchange::Book::Xlsx(b) => b.into_sheets().unwrap().remove(0),
        exchange::Book::Csv(_) => panic!("not a workbook"),
    };
    let text: String = help
        .rows
        .iter()
        .flat_map(|(_, r)| r.iter().map(|c| c.text()))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "100,000,000.00 元（1 亿元）",
        "1,000,000.00 元（100 万元）",
        "1900-01-01 至 2100-12-31",
        "最多 100 个字",
        "最多 20,000 个字",
        "最多 2,000 个字",
    ] {
        assert!(text.contains(needle), "{needle} missing from 说明");
    }
}
