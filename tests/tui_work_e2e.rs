//! End to end for screens 6–7: the real binary in tmux at 80×24 (through
//! ../shared/tools/tmux-drive.sh) does a month of work on a ledger set up
//! by `djtz import` — a 支部委员会 with one member on leave, a fund entry,
//! the month's dues generated and one paid — quits, and
//! `djtz report --format json` shows each of them.

// Not built for the cross targets of scripts/release-check.sh: on Windows
// there is no tmux to drive the console, and the musl builds are tested
// under qemu-user, where tmux cannot start the foreign-architecture binary.
// release-check.sh drives the real ARM64 binary in tmux through qemu instead.
#![cfg(all(unix, not(target_env = "musl")))]

use std::process::Command;

use djtz::domain::dates::Month;

mod common;
use common::drive;

type R = Result<(), Box<dyn std::error::Error>>;

fn djtz(args: &[&str], db: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    let out = Command::new(env!("CARGO_BIN_EXE_djtz"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()?;
    assert!(
        out.status.success(),
        "djtz {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_month_of_work_then_the_report() -> R {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("台账.db");
    let month = Month::of(chrono::Local::now().date_naive());
    let prev = month.prev();
    let orgs = dir.path().join("党组织.csv");
    std::fs::write(
        &orgs,
        "名称,类型,组建方式,成立日期,设支委会,书记\n明珠电子党支部,党支部,单独组建,2020-05-01,是,张建华\n",
    )?;
    let members = dir.path().join("党员.csv");
    std::fs::write(
        &members,
        "姓名,所在党组织,类别,入党日期,党内职务\n\
         张建华,明珠电子党支部,正式党员,2010-07-01,书记\n\
         李秀英,明珠电子党支部,正式党员,2011-07-01,组织委员\n\
         王志强,明珠电子党支部,正式党员,2012-07-01,宣传委员\n\
         刘丽娟,明珠电子党支部,正式党员,2013-07-01,\n\
         陈国平,明珠电子党支部,预备党员,2026-01-01,\n",
    )?;
    let dues = dir.path().join("党费.csv");
    std::fs::write(
        &dues,
        format!(
            "月份,姓名,所在党组织,计算基数,人员类型,实交\n\
             {prev},张建华,明珠电子党支部,4000,在职,40\n\
             {prev},李秀英,明珠电子党支部,6000,离退休,60\n\
             {prev},王志强,明珠电子党支部,2000,在职,10\n\
             {prev},刘丽娟,明珠电子党支部,,农民,0.2\n\
             {prev},陈国平,明珠电子党支部,,学生,0.2\n"
        ),
    )?;
    for f in [&orgs, &members, &dues] {
        djtz(&["import", &f.display().to_string()], &db)?;
    }
    let screen = drive(
        "wait 概览\n\
         key 6\n\
         wait 明珠电子党支部\n\
         key F5\n\
         wait 新增会议\n\
         text 2\n\
         key Tab Tab Tab Tab Tab Tab\n\
         text 研究本月党员教育工作\n\
         key Enter\n\
         text 书记传达上级会议精神\n\
         key Tab\n\
         wait 应到 3 实到 3\n\
         key Down\n\
         text 2\n\
         wait 实到 2 请假 1\n\
         snap\n\
         key F6\n\
         wait 已保存\n\
         key 7\n\
         wait 经费收支\n\
         key F5\n\
         wait 新增经费收支\n\
         text 300+200\n\
         key Tab Tab Tab\n\
         text 镇财政拨付党建经费\n\
         key F6\n\
         wait 已保存\n\
         key F4\n\
         wait 左右换组织\n\
         key F5\n\
         wait 已生成\n\
         key Enter\n\
         wait 实交 40.00 元\n\
         snap\n\
         key F10\n\
         sleep 1\n",
        &db,
    )?;
    assert!(screen.contains("pane: exited 0"), "{screen}");
    let json = djtz(
        &["report", "--month", &month.to_string(), "--format", "json"],
        &db,
    )?;
    let v: serde_json::Value = serde_json::from_str(&json)?;
    // The meeting with its attendance.
    assert_eq!(v["meetings"]["held_by_kind"]["支部委员会"], 1, "{json}");
    let rate = v["meetings"]["attendance_rate"].as_f64().unwrap_or(0.0);
    assert!((rate - 2.0 / 3.0).abs() < 1e-9, "{json}");
    // The fund entry (乡镇本级 income of 500 元).
    assert_eq!(v["funds"]["income_fen"], 50_000, "{json}");
    // The dues: five due, 40+60+10+0.20+0.20 元 = 110.40 元, one paid.
    assert_eq!(v["dues"]["members_due"], 5, "{json}");
    assert_eq!(v["dues"]["due_fen"], 11_040, "{json}");
    assert_eq!(v["dues"]["paid_fen"], 4_000, "{json}");
    assert_eq!(v["dues"]["members_paid"], 1, "{json}");
    Ok(())
}
