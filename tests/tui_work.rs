//! Screens 6–8 (三会一课, 经费 and 党费, 报表) driven through the app's own
//! event handler at 80×24 with Chinese data (the harness in
//! tests/common/tui.rs); screens as insta snapshots, one per test.

use djtz::domain::dates::Month;
use djtz::domain::enums::*;
use djtz::domain::money::Fen;
use djtz::domain::records::*;
use djtz::store::Store;
use djtz::tui::app::App;
use djtz::tui::event::{Input, Key};

mod common;
use common::drafts_undeletable;
use common::tui::*;

const NAMES: [&str; 9] = [
    "张建华",
    "李秀英",
    "王志强",
    "刘丽娟",
    "陈国平",
    "杨晓燕",
    "赵德明",
    "黄桂芳",
    "周永红",
];

/// A branch with a committee (书记, 组织委员, 宣传委员, 委员), nine
/// members of whom two are probationary, dues standards on record for
/// September, and a fund entry.
fn seeded(path: &std::path::Path) -> E<i64> {
    let mut s = Store::open(path)?;
    let mut set = s.settings()?;
    set.township = "西湖镇".into();
    set.preparer = "林小梅".into();
    s.save_settings(&set)?;
    let mut o = PartyOrg::new(
        "明珠电子党支部",
        OrgType::Branch,
        Formation::Standalone,
        day(2020, 5, 1),
    );
    o.secretary = "张建华".into();
    o.has_committee = true;
    o.elected = Some(day(2024, 5, 1));
    s.save(&mut o)?;
    let posts = [
        Some(PartyPost::Secretary),
        Some(PartyPost::Organisation),
        Some(PartyPost::Publicity),
        Some(PartyPost::CommitteeMember),
    ];
    for (i, n) in NAMES.iter().enumerate() {
        let cat = if i >= 7 {
            MemberCategory::Probationary
        } else {
            MemberCategory::Formal
        };
        let mut m = Member::new(n, o.id, cat);
        m.joined = Some(day(2010, 7, 1));
        m.party_post = posts.get(i).copied().flatten();
        s.save(&mut m)?;
        let kind = if i % 3 == 2 {
            PersonType::Retired
        } else {
            PersonType::Employed
        };
        s.save(&mut Dues {
            id: 0,
            month: Month::new(2026, 9).ok_or("month")?,
            member_id: m.id,
            org_id: o.id,
            base: Some(Fen(400_000 + 100_000 * i as i64)),
            person_type: Some(kind),
            due: Fen(0),
            due_manual: false,
            paid: Fen(0),
            paid_date: None,
        })?;
    }
    s.save(&mut FundEntry {
        id: 0,
        date: day(2026, 10, 8),
        org_id: Some(o.id),
        direction: FundDirection::Income,
        category: FundCategory::DuesReturn,
        amount: Fen(50_000),
        voucher: "记-01".into(),
        handler: "林小梅".into(),
        summary: "返还三季度党费".into(),
    })?;
    Ok(o.id)
}

/// From the month view: a new meeting of the kind with that number, the
/// topic typed.
fn new_meeting(app: &mut App, kind: &str, topic: &str) {
    typed(app, "6");
    keys(app, &[Key::F(5)]);
    typed(app, kind);
    keys(
        app,
        &[Key::Tab, Key::Tab, Key::Tab, Key::Tab, Key::Tab, Key::Tab],
    );
    typed(app, topic);
}

/// What a test on the seeded ledger keeps while it runs: the snapshot
/// filters (bound while this lives), the temporary folder, the branch's id.
struct Fixture {
    _filters: Filters,
    dir: tempfile::TempDir,
    org: i64,
}

/// The seeded ledger and its app. Keep the fixture in a named binding
/// (`_fx`, not `_`): dropped, it takes the folder and the filters along.
fn seeded_app() -> E<(Fixture, App)> {
    let filters = filters();
    let (dir, path) = tmp()?;
    let org = seeded(&path)?;
    let app = app_at(&path)?;
    let fx = Fixture {
        _filters: filters,
        dir,
        org,
    };
    Ok((fx, app))
}

// 三会一课: a 支部委员会 of the committee with two on leave, one step of
// the editor per test (each replays the steps before it).

/// From the start: a new 支部委员会 in the month view (the org from the
/// line selected, the kind typed by number), its date, place, host,
/// recorder and topic typed.
fn committee_form(app: &mut App) {
    typed(app, "6");
    keys(app, &[Key::F(5)]);
    typed(app, "2");
    keys(app, &[Key::Tab, Key::Ctrl('u')]);
    typed(app, "15");
    keys(app, &[Key::Tab]);
    typed(app, "党员活动室");
    keys(app, &[Key::Tab]);
    typed(app, "张建华");
    keys(app, &[Key::Tab]);
    typed(app, "李秀英");
    keys(app, &[Key::Tab, Key::Tab]);
    typed(app, "研究十月份党员发展工作");
}

/// `committee_form`, then two lines of minutes.
fn committee_minutes(app: &mut App) {
    committee_form(app);
    keys(app, &[Key::Enter]);
    typed(app, "一、传达上级精神");
    keys(app, &[Key::Enter]);
    typed(app, "二、讨论发展对象");
}

/// `committee_minutes`, then on the attendance grid the second member on
/// leave for 出差 and the third marked 2 (请假).
fn committee_two_on_leave(app: &mut App) {
    committee_minutes(app);
    keys(app, &[Key::Tab]);
    keys(app, &[Key::Down, Key::Enter]);
    typed(app, "出差");
    keys(app, &[Key::Enter]);
    typed(app, "2");
}

#[test]
fn meetings_month_view() -> R {
    let (_fx, mut app) = seeded_app()?;
    typed(&mut app, "6");
    insta::assert_snapshot!("meetings_month", text(&mut app)?);
    Ok(())
}

#[test]
fn committee_meeting_form() -> R {
    let (_fx, mut app) = seeded_app()?;
    committee_form(&mut app);
    insta::assert_snapshot!("meeting_form", text(&mut app)?);
    Ok(())
}

#[test]
fn committee_meeting_minutes() -> R {
    let (_fx, mut app) = seeded_app()?;
    committee_minutes(&mut app);
    insta::assert_snapshot!("meeting_minutes", text(&mut app)?);
    Ok(())
}

/// The committee only on the grid (four members, all 出席); F1 there.
#[test]
fn committee_attendance_and_the_editors_help() -> R {
    let (_fx, mut app) = seeded_app()?;
    committee_minutes(&mut app);
    keys(&mut app, &[Key::Tab]);
    let t = text(&mut app)?;
    assert!(t.contains("应到 4 实到 4 请假 0 缺席 0"), "{t}");
    keys(&mut app, &[Key::F(1)]);
    insta::assert_snapshot!("help_meeting_editor", text(&mut app)?);
    Ok(())
}

#[test]
fn committee_attendance_with_two_on_leave() -> R {
    let (_fx, mut app) = seeded_app()?;
    committee_two_on_leave(&mut app);
    insta::assert_snapshot!("attendance_committee", text(&mut app)?);
    Ok(())
}

#[test]
fn committee_meeting_with_two_on_leave_saved() -> R {
    let (_fx, mut app) = seeded_app()?;
    committee_two_on_leave(&mut app);
    keys(&mut app, &[Key::F(6)]);
    let t = text(&mut app)?;
    assert!(t.contains("已保存"), "{t}");
    let m = app.store.meetings_in_month(Month::of(today()))?;
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kinds, vec![MeetingKind::BranchCommittee]);
    assert_eq!(m[0].summary, "一、传达上级精神\n二、讨论发展对象");
    assert_eq!(m[0].tally(), (4, 2, 2, 0));
    assert!(m[0].attendance.iter().any(|a| a.reason == "出差"));
    insta::assert_snapshot!("meetings_after_save", text(&mut app)?);
    Ok(())
}

/// A 支部党员大会 with four formal members absent: three of seven formal
/// members present, short of half.
fn assembly_short_of_quorum(app: &mut App) {
    new_meeting(app, "1", "季度党员大会");
    keys(app, &[Key::F(3)]);
    typed(app, "3333");
}

#[test]
fn assembly_attendance_short_of_quorum() -> R {
    let (_fx, mut app) = seeded_app()?;
    assembly_short_of_quorum(&mut app);
    let t = text(&mut app)?;
    assert!(t.contains("正式党员 应到 7 实到 3 不足半数"), "{t}");
    insta::assert_snapshot!("attendance_assembly", t);
    Ok(())
}

#[test]
fn assembly_without_quorum_needs_confirmation() -> R {
    let (_fx, mut app) = seeded_app()?;
    assembly_short_of_quorum(&mut app);
    keys(&mut app, &[Key::F(6)]);
    assert_eq!(app.dialog_title(), Some("不足法定人数"));
    insta::assert_snapshot!("quorum_dialog", text(&mut app)?);
    // N returns to the grid, nothing saved.
    typed(&mut app, "N");
    assert!(app.store.meetings_in_month(Month::of(today()))?.is_empty());
    keys(&mut app, &[Key::F(6)]);
    typed(&mut app, "Y");
    let m = app.store.meetings_in_month(Month::of(today()))?;
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].tally(), (9, 5, 0, 4));
    Ok(())
}

// 经费: an entry whose amount is an expression, then an expense beyond
// the balance.

/// From the start: a new fund entry (org, 收支, 类别 from the last entry;
/// the focus on the amount), then `fund_entry_typed`.
fn fund_entry_by_expression(app: &mut App) {
    typed(app, "7");
    keys(app, &[Key::F(5)]);
    fund_entry_typed(app);
}

/// In a new fund entry: the amount an expression, the summary `..` (the
/// last entry's).
fn fund_entry_typed(app: &mut App) {
    typed(app, "120+35.5");
    keys(app, &[Key::Tab, Key::Tab, Key::Tab]);
    typed(app, "..");
}

/// `fund_entry_by_expression` saved, then a new 支出 of 800.00 (more than
/// the balance) typed in.
fn fund_expense_beyond_balance(app: &mut App) {
    fund_entry_by_expression(app);
    keys(app, &[Key::F(6)]);
    keys(app, &[Key::F(5), Key::Up, Key::Up]);
    typed(app, "2");
    keys(app, &[Key::Down]);
    typed(app, "1");
    keys(app, &[Key::Down]);
    typed(app, "800");
    keys(app, &[Key::Tab, Key::Tab, Key::Tab]);
    typed(app, "购置党建书籍");
}

#[test]
fn funds_month_view() -> R {
    let (_fx, mut app) = seeded_app()?;
    typed(&mut app, "7");
    insta::assert_snapshot!("funds_month", text(&mut app)?);
    Ok(())
}

#[test]
fn fund_entry_prefilled_and_its_amount_an_expression() -> R {
    let (_fx, mut app) = seeded_app()?;
    typed(&mut app, "7");
    keys(&mut app, &[Key::F(5)]);
    let t = text(&mut app)?;
    assert!(
        t.contains("明珠电子党支部") && t.contains("党费返还"),
        "{t}"
    );
    fund_entry_typed(&mut app);
    insta::assert_snapshot!("fund_form", text(&mut app)?);
    keys(&mut app, &[Key::F(6)]);
    let e = app.store.fund_entries_in_month(Month::of(today()))?;
    assert_eq!(e.len(), 2);
    assert_eq!(e[1].amount, Fen(15_550));
    assert_eq!(e[1].summary, "返还三季度党费");
    Ok(())
}

/// An expense beyond the balance is flagged in the form at once.
#[test]
fn fund_form_flags_a_negative_balance() -> R {
    let (_fx, mut app) = seeded_app()?;
    fund_expense_beyond_balance(&mut app);
    let t = text(&mut app)?;
    assert!(t.contains("! 记入后结余为负（-144.50 元）"), "{t}");
    insta::assert_snapshot!("fund_form_negative", t);
    Ok(())
}

#[test]
fn funds_list_shows_the_negative_balance() -> R {
    let (_fx, mut app) = seeded_app()?;
    fund_expense_beyond_balance(&mut app);
    keys(&mut app, &[Key::F(6)]);
    let t = text(&mut app)?;
    assert!(t.contains("-144.50负"), "{t}");
    insta::assert_snapshot!("funds_negative", t);
    Ok(())
}

// 党费: the month's sheet generated from September's standards, then
// paid in full, in part, and too late.

/// From the start: 经费 → 党费 (F4) → generate the month's sheet (F5).
fn dues_generated(app: &mut App) {
    typed(app, "7");
    keys(app, &[Key::F(4), Key::F(5)]);
}

#[test]
fn dues_sheet_empty() -> R {
    let (_fx, mut app) = seeded_app()?;
    typed(&mut app, "7");
    keys(&mut app, &[Key::F(4)]);
    insta::assert_snapshot!("dues_empty", text(&mut app)?);
    Ok(())
}

#[test]
fn dues_generated_from_the_standards_on_record() -> R {
    let (fx, mut app) = seeded_app()?;
    let org = fx.org;
    dues_generated(&mut app);
    let sheet = app.store.dues_sheet(org, Month::of(today()))?;
    assert_eq!(sheet.len(), 9);
    // 张建华: 在职, base 4000.00 → 1% = 40.00, kept from September.
    let zhang = sheet.iter().find(|r| r.1 == "张建华").ok_or("张建华")?;
    assert_eq!(zhang.0.person_type, Some(PersonType::Employed));
    assert_eq!(zhang.0.base, Some(Fen(400_000)));
    assert_eq!(zhang.0.due, Fen(4_000));
    // 王志强: 离退休, base 6000.00 → 1% = 60.00.
    let wang = sheet.iter().find(|r| r.1 == "王志强").ok_or("王志强")?;
    assert_eq!(wang.0.due, Fen(6_000));
    // F3 edits a row (人员类型, base, 应交 entered for 少交/免交 …).
    keys(&mut app, &[Key::F(3)]);
    insta::assert_snapshot!("dues_row_form", text(&mut app)?);
    Ok(())
}

#[test]
fn dues_marked_paid() -> R {
    let (fx, mut app) = seeded_app()?;
    let org = fx.org;
    dues_generated(&mut app);
    let oct = Month::of(today());
    // Enter: paid in full; digits: the amount typed.
    keys(&mut app, &[Key::Enter]);
    typed(&mut app, "20+5");
    keys(&mut app, &[Key::Enter]);
    let t = text(&mut app)?;
    assert!(
        t.contains("!未交") && t.contains(" 已交") && t.contains("!少交"),
        "{t}"
    );
    insta::assert_snapshot!("dues_sheet", t);
    let sheet = app.store.dues_sheet(org, oct)?;
    assert!(sheet[0].0.is_paid());
    assert_eq!(sheet[0].0.paid_date, Some(today()));
    assert_eq!(sheet[1].0.paid, Fen(2_500));
    assert!(!sheet[1].0.is_paid());
    // Generating again adds nobody.
    keys(&mut app, &[Key::F(5)]);
    assert_eq!(app.store.dues_sheet(org, oct)?.len(), 9);
    // Seven months back: paying today is a back-pay beyond six months.
    keys(&mut app, &[Key::PageUp; 7]);
    keys(&mut app, &[Key::F(5), Key::Enter]);
    let t = text(&mut app)?;
    assert!(t.contains("补交党费不能超过6个月"), "{t}");
    let march = Month::new(2026, 3).ok_or("month")?;
    assert!(
        app.store
            .dues_sheet(org, march)?
            .iter()
            .all(|r| r.0.paid.0 == 0)
    );
    // Esc goes back to the fund list; digits switch screens there.
    keys(&mut app, &[Key::Esc]);
    typed(&mut app, "6");
    assert!(text(&mut app)?.contains("三会一课 2026年"));
    Ok(())
}

/// A screen that shows a path inside the test's temp folder. The snapshot
/// spells it as on Linux (`<临时文件夹>/月报`, the harness's filter);
/// Windows (the suite under wine) spells the folder `C:\…\.tmpXXXX` and,
/// being longer, the field scrolls, so there the screen is checked for the
/// path's last part.
fn assert_path_screen(name: &str, screen: &str, tail: &str) {
    if cfg!(windows) {
        assert!(screen.contains(tail), "{screen}");
    } else {
        insta::assert_snapshot!(name, screen);
    }
}

// 报表: the preview, the export form, the XLSX written and archived, and
// what changed since.

/// From the start: the report's second page, the print/export form (F9)
/// with the folder `out` in place of the Documents folder it starts at.
fn report_export_form(app: &mut App, out: &std::path::Path) -> R {
    typed(app, "8");
    keys(app, &[Key::Right]);
    assert!(text(app)?.contains("第 2/"));
    keys(app, &[Key::F(9)]);
    let t = text(app)?;
    assert!(t.contains("XLSX"), "{t}");
    keys(app, &[Key::Tab, Key::Ctrl('u')]);
    app.handle(Input::Paste(out.display().to_string()));
    Ok(())
}

/// `report_export_form`, then Enter: the XLSX written in `out`.
fn report_exported(app: &mut App, out: &std::path::Path) -> E<std::path::PathBuf> {
    report_export_form(app, out)?;
    keys(app, &[Key::Enter]);
    Ok(out.join("党建工作月报-2026-10.xlsx"))
}

#[test]
fn report_preview() -> R {
    let (_fx, mut app) = seeded_app()?;
    typed(&mut app, "8");
    let t = text(&mut app)?;
    assert!(t.contains("西湖镇 2026年10月 党建工作月报"), "{t}");
    insta::assert_snapshot!("report_preview", t);
    Ok(())
}

#[test]
fn report_export_form_with_another_folder() -> R {
    let (fx, mut app) = seeded_app()?;
    let dir = &fx.dir;
    report_export_form(&mut app, &dir.path().join("月报"))?;
    assert_path_screen("report_out_form", &text(&mut app)?, "月报");
    Ok(())
}

#[test]
fn report_exported_as_xlsx_and_archived() -> R {
    let (fx, mut app) = seeded_app()?;
    let dir = &fx.dir;
    let file = report_exported(&mut app, &dir.path().join("月报"))?;
    assert!(file.is_file(), "{}", text(&mut app)?);
    assert_eq!(&std::fs::read(&file)?[..2], b"PK");
    let t = text(&mut app)?;
    assert!(t.contains(&file.display().to_string()), "{t}");
    assert_path_screen("report_exported", &t, "党建工作月报-2026-10.xlsx");
    let issued = app.store.issued_reports()?;
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].format, "xlsx");
    Ok(())
}

/// A new fund entry after issuing: the archive (F4) shows what changed.
#[test]
fn report_archive_shows_what_changed_since() -> R {
    let (fx, mut app) = seeded_app()?;
    let dir = &fx.dir;
    report_exported(&mut app, &dir.path().join("月报"))?;
    keys(&mut app, &[Key::Esc]);
    typed(&mut app, "7");
    keys(&mut app, &[Key::F(5)]);
    typed(&mut app, "100");
    keys(&mut app, &[Key::Tab, Key::Tab, Key::Tab]);
    typed(&mut app, "..");
    keys(&mut app, &[Key::F(6)]);
    typed(&mut app, "8");
    keys(&mut app, &[Key::F(4)]);
    let t = text(&mut app)?;
    assert!(t.contains("2026-10 月报") && t.contains("此后有"), "{t}");
    assert!(t.contains("500.00 → 600.00"), "{t}");
    insta::assert_snapshot!("report_issued", t);
    Ok(())
}

// 导入 from the report screen: a file with errors, then a good one, undone.

/// Writes a fund CSV with two errors in the test's folder and pastes its
/// path into the import prompt (报表 → F7); returns the file.
fn import_prompt_with_bad_file(app: &mut App, dir: &std::path::Path) -> E<std::path::PathBuf> {
    let bad = dir.join("经费.csv");
    std::fs::write(
        &bad,
        "日期,党组织,收支,类别,金额,摘要\n2026-10-09,明珠电子党支部,收入,财政拨款,abc,拨款\n2026-10-10,无此支部,支出,组织活动,30,活动\n",
    )?;
    typed(app, "8");
    keys(app, &[Key::F(7)]);
    app.handle(Input::Paste(bad.display().to_string()));
    Ok(bad)
}

#[test]
fn import_path_prompt() -> R {
    let (fx, mut app) = seeded_app()?;
    let dir = &fx.dir;
    import_prompt_with_bad_file(&mut app, dir.path())?;
    assert_path_screen("import_path", &text(&mut app)?, "经费.csv");
    Ok(())
}

#[test]
fn import_errors_listed() -> R {
    let (fx, mut app) = seeded_app()?;
    let dir = &fx.dir;
    import_prompt_with_bad_file(&mut app, dir.path())?;
    keys(&mut app, &[Key::Enter]);
    let t = text(&mut app)?;
    assert!(t.contains("2 处错误"), "{t}");
    insta::assert_snapshot!("import_errors", t);
    Ok(())
}

#[test]
fn import_corrected_confirmed_and_undone() -> R {
    let (fx, mut app) = seeded_app()?;
    let dir = &fx.dir;
    let bad = import_prompt_with_bad_file(&mut app, dir.path())?;
    keys(&mut app, &[Key::Enter, Key::Esc]);
    std::fs::write(
        &bad,
        "日期,党组织,收支,类别,金额,摘要\n2026-10-09,明珠电子党支部,收入,财政拨款,300,镇财政拨款\n",
    )?;
    keys(&mut app, &[Key::Enter]);
    assert_eq!(app.dialog_title(), Some("导入检查通过"));
    assert_path_screen("import_confirm", &text(&mut app)?, "经费：新增 1");
    typed(&mut app, "Y");
    let oct = Month::of(today());
    assert_eq!(app.store.fund_entries_in_month(oct)?.len(), 2);
    keys(&mut app, &[Key::F(8)]);
    assert_eq!(app.store.fund_entries_in_month(oct)?.len(), 1);
    assert!(text(&mut app)?.contains("已撤销"));
    Ok(())
}

#[test]
fn meeting_and_fund_drafts_offered_back() -> R {
    let (_d, p) = tmp()?;
    seeded(&p)?;
    {
        let mut app = app_at(&p)?;
        new_meeting(&mut app, "2", "停电前的会议");
        keys(&mut app, &[Key::Enter]);
        typed(&mut app, "记录第一行");
        keys(&mut app, &[Key::Tab]);
        typed(&mut app, "3");
        app.handle(Input::Tick);
        // The power goes: the app is dropped without saving.
    }
    let mut app = app_at(&p)?;
    assert_eq!(app.dialog_title(), Some("发现草稿"));
    typed(&mut app, "Y");
    let t = text(&mut app)?;
    assert!(
        t.contains("停电前的会议") && t.contains("记录第一行"),
        "{t}"
    );
    keys(&mut app, &[Key::F(3)]);
    let t = text(&mut app)?;
    assert!(t.contains("应到 4 实到 3 请假 0 缺席 1"), "{t}");
    keys(&mut app, &[Key::F(6)]);
    assert_eq!(app.store.meetings_in_month(Month::of(today()))?.len(), 1);
    assert!(app.store.drafts()?.is_empty());
    // A fund form likewise.
    typed(&mut app, "7");
    keys(&mut app, &[Key::F(5)]);
    typed(&mut app, "66");
    app.handle(Input::Tick);
    drop(app);
    let mut app = app_at(&p)?;
    typed(&mut app, "Y");
    let t = text(&mut app)?;
    assert!(t.contains("新增经费收支") && t.contains("66"), "{t}");
    Ok(())
}

/// An import whose 设置 sheet differs from the settings already set asks
/// 替换 / 保留现有设置 / 返回 by digit; Ctrl+Z takes a replacement back.
#[test]
fn import_asks_before_replacing_settings() -> R {
    let (d, p) = tmp()?;
    seeded(&p)?;
    let mut app = app_at(&p)?;
    let file = d.path().join("设置.csv");
    std::fs::write(
        &file,
        "项目,值\n乡镇名称,城关镇\n制表人,林小梅\n审核人,陈主任\n",
    )?;
    // The path prompt stays open until an import is done.
    let ask = |app: &mut App, open: bool| -> R {
        if open {
            typed(app, "8");
            keys(app, &[Key::F(7)]);
            app.handle(Input::Paste(file.display().to_string()));
        }
        keys(app, &[Key::Enter]);
        assert_eq!(app.dialog_title(), Some("导入检查通过"));
        Ok(())
    };
    ask(&mut app, true)?;
    let t = text(&mut app)?;
    let flat: String = t.lines().map(|l| l.trim_matches(['|', ' '])).collect();
    assert!(
        flat.contains("乡镇名称：现为“西湖镇”，文件中为“城关镇”"),
        "{t}"
    );
    assert!(
        t.contains("[1 替换(Y)] [2 保留现有设置(N)] [返回(Esc)]"),
        "{t}"
    );
    // Esc: nothing imported.
    keys(&mut app, &[Key::Esc]);
    assert_eq!(app.store.settings()?.reviewer, "");
    // 2: keep what is set, take what is not.
    ask(&mut app, false)?;
    typed(&mut app, "2");
    let s = app.store.settings()?;
    assert_eq!(
        (s.township.as_str(), s.reviewer.as_str()),
        ("西湖镇", "陈主任")
    );
    // 1: replace; the title shows the new township; Ctrl+Z takes it back.
    ask(&mut app, true)?;
    typed(&mut app, "1");
    assert_eq!(app.store.settings()?.township, "城关镇");
    assert!(text(&mut app)?.contains("党建台账 城关镇"));
    keys(&mut app, &[Key::Ctrl('z')]);
    assert_eq!(app.store.settings()?.township, "西湖镇");
    assert!(text(&mut app)?.contains("党建台账 西湖镇"));
    Ok(())
}

/// Issue 11, point 13, for the meeting editor and the fund form: the
/// record and the deletion of its draft are one commit (with the draft
/// undeletable nothing is saved; once it can go, both happen together).
#[test]
fn meeting_and_fund_saves_take_their_drafts_along() -> R {
    let (_d, p) = tmp()?;
    seeded(&p)?;
    let mut app = app_at(&p)?;
    let month = Month::of(today());
    new_meeting(&mut app, "2", "只存一次的会议");
    app.handle(Input::Tick);
    assert_eq!(app.store.drafts()?.len(), 1);
    drafts_undeletable(&p, true)?;
    keys(&mut app, &[Key::F(6)]);
    let saved = app.store.meetings_in_month(month)?.len();
    assert_eq!((saved, app.store.drafts()?.len()), (0, 1));
    drafts_undeletable(&p, false)?;
    keys(&mut app, &[Key::F(6)]);
    assert_eq!(app.store.meetings_in_month(month)?.len(), 1);
    assert!(app.store.drafts()?.is_empty());

    typed(&mut app, "7");
    let before = app.store.fund_entries_in_month(month)?.len();
    keys(&mut app, &[Key::F(5)]);
    typed(&mut app, "12.34");
    keys(&mut app, &[Key::Tab, Key::Tab, Key::Tab]);
    typed(&mut app, "购置党旗");
    app.handle(Input::Tick);
    assert_eq!(app.store.drafts()?.len(), 1);
    drafts_undeletable(&p, true)?;
    keys(&mut app, &[Key::F(6)]);
    let saved = app.store.fund_entries_in_month(month)?.len();
    assert_eq!((saved, app.store.drafts()?.len()), (before, 1));
    drafts_undeletable(&p, false)?;
    keys(&mut app, &[Key::F(6)]);
    assert_eq!(app.store.fund_entries_in_month(month)?.len(), before + 1);
    assert!(app.store.drafts()?.is_empty());
    Ok(())
}
