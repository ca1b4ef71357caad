//! The monthly report on hand-built ledgers (through the store, not the
//! demo generator). Every expected value is worked out by hand in the
//! comments next to the data; the report month of the main ledger is
//! 2026-09 (a quarter end: 09-01..09-30, quarter 07-01..09-30, six-month
//! window 04-01..09-30).

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset, NaiveDate};
use djtz::domain::dates::Month;
use djtz::domain::dues::standard_due;
use djtz::domain::enums::*;
use djtz::domain::ledger::Ledger;
use djtz::domain::money::Fen;
use djtz::domain::records::*;
use djtz::report::model::{MonthlyReport, Warning};
use djtz::report::{compute, csv, html, json, pages, txt};
use djtz::store::Store;
use tempfile::TempDir;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-10-08T09:30:00+08:00").unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

struct B {
    store: Store,
}

impl B {
    fn unit(
        &mut self,
        name: &str,
        kind: UnitKind,
        status: UnitStatus,
        f: impl Fn(&mut Unit),
    ) -> i64 {
        let mut u = Unit::new(name, kind);
        u.status = status;
        f(&mut u);
        self.store.save(&mut u).unwrap();
        u.id
    }

    #[allow(clippy::too_many_arguments)]
    fn org(
        &mut self,
        name: &str,
        t: OrgType,
        f: Formation,
        est: &str,
        dissolved: Option<&str>,
        elected: Option<&str>,
        committee: bool,
        groups: i64,
    ) -> i64 {
        let mut o = PartyOrg::new(name, t, f, d(est));
        o.dissolved = dissolved.map(d);
        o.elected = elected.map(d);
        o.has_committee = committee;
        o.group_count = groups;
        self.store.save(&mut o).unwrap();
        o.id
    }

    fn cover(&mut self, org: i64, unit: i64, from: &str, to: Option<&str>) {
        let mut c = Coverage {
            id: 0,
            org_id: org,
            unit_id: unit,
            from: d(from),
            to: to.map(d),
        };
        self.store.save(&mut c).unwrap();
    }

    fn member(&mut self, name: &str, org: i64, unit: Option<i64>, f: impl Fn(&mut Member)) -> i64 {
        let mut m = Member::new(name, org, MemberCategory::Formal);
        m.unit_id = unit;
        m.joined = Some(d("2000-07-01"));
        f(&mut m);
        self.store.save(&mut m).unwrap();
        m.id
    }

    fn instructor(&mut self, name: &str, appointed: &str, left: Option<&str>) -> i64 {
        let mut i = Instructor {
            id: 0,
            name: name.into(),
            gender: None,
            phone: String::new(),
            source: InstructorSource::Township,
            workplace: String::new(),
            appointed: d(appointed),
            left: left.map(d),
            note: String::new(),
        };
        self.store.save(&mut i).unwrap();
        i.id
    }

    fn assign(&mut self, ins: i64, unit: i64, start: &str, end: Option<&str>) {
        let mut a = Assignment {
            id: 0,
            instructor_id: ins,
            unit_id: unit,
            start: d(start),
            end: end.map(d),
        };
        self.store.save(&mut a).unwrap();
    }

    fn visit(&mut self, ins: i64, unit: i64, date: &str) {
        let mut v = Visit {
            id: 0,
            instructor_id: ins,
            unit_id: unit,
            date: d(date),
            mode: VisitMode::Visit,
            content: "走访".into(),
            problems: String::new(),
            resolved: None,
        };
        self.store.save(&mut v).unwrap();
    }

    fn meeting(
        &mut self,
        org: i64,
        kinds: &[MeetingKind],
        date: &str,
        att: &[(i64, AttendStatus)],
    ) -> i64 {
        let mut m = Meeting {
            id: 0,
            org_id: org,
            kinds: kinds.to_vec(),
            date: d(date),
            place: String::new(),
            host: String::new(),
            recorder: String::new(),
            lecturer: String::new(),
            topic: "学习".into(),
            summary: String::new(),
            attendance: att
                .iter()
                .map(|(id, s)| Attendance {
                    member_id: *id,
                    status: *s,
                    reason: String::new(),
                })
                .collect(),
        };
        self.store.save(&mut m).unwrap();
        m.id
    }

    fn fund(&mut self, date: &str, org: Option<i64>, cat: FundCategory, fen: i64) {
        let mut f = FundEntry {
            id: 0,
            date: d(date),
            org_id: org,
            direction: cat.direction(),
            category: cat,
            amount: Fen(fen),
            voucher: String::new(),
            handler: String::new(),
            summary: "经费".into(),
        };
        self.store.save(&mut f).unwrap();
    }

    /// A dues row whose 应交 is the standard (DOMAIN.md) unless `manual`.
    #[allow(clippy::too_many_arguments)]
    fn dues(
        &mut self,
        m: &str,
        member: i64,
        org: i64,
        kind: PersonType,
        base: Option<i64>,
        manual: Option<i64>,
        paid: i64,
    ) {
        let due = match manual {
            Some(v) => Fen(v),
            None => standard_due(kind, base.map(Fen), 20).unwrap(),
        };
        let mut r = Dues {
            id: 0,
            month: month(m),
            member_id: member,
            org_id: org,
            base: base.map(Fen),
            person_type: Some(kind),
            due,
            due_manual: manual.is_some(),
            paid: Fen(paid),
            paid_date: Some(d("2026-09-28")),
        };
        self.store.save(&mut r).unwrap();
    }
}

fn open() -> (TempDir, B) {
    let dir = TempDir::new().unwrap();
    let store = Store::open(&dir.path().join("t.db")).unwrap();
    (dir, B { store })
}

use AttendStatus::{Absent as A, Leave as L, Present as P};
use MeetingKind::*;

/// The main ledger. Returns the builder (and the temp dir keeping it alive).
fn main_ledger() -> (TempDir, B) {
    let (dir, mut b) = open();
    let s = Settings {
        township: "城关镇".into(),
        preparer: "王会计".into(),
        reviewer: "李审核".into(),
        head: "张书记".into(),
        ..Settings::default()
    };
    b.store.save_settings(&s).unwrap();

    use UnitKind::*;
    use UnitStatus::*;
    let full = |e: i64, inv: &'static str, need: &'static str| {
        move |u: &mut Unit| {
            u.employees = Some(e);
            u.investor = inv.into();
            u.needs = need.into();
        }
    };
    // Counted units (正常): U1 U2 U3 U4 U5 U6 U8 U9 U11 = 9.
    let u1 = b.unit("甲电子", NonPublic, Normal, full(100, "甲", "招工"));
    // U2: 职工人数 missing → facts incomplete.
    let u2 = b.unit("乙物流", NonPublic, Normal, |u| {
        u.investor = "乙".into();
        u.needs = "融资".into();
    });
    let u3 = b.unit("丙商贸", Mixed, Normal, full(5, "丙", "市场"));
    // U4: work-covered, 未建党组织原因 missing → facts incomplete.
    let u4 = b.unit("丁协会", Social, Normal, full(3, "丁", "培训"));
    let u5 = b.unit("戊平台", NewEconomy, Normal, |u| {
        full(20, "戊", "政策")(u);
        u.no_org_reason = "党员不足3名".into();
    });
    // U6: 出资人 and 发展需求 missing.
    let u6 = b.unit("己餐饮", NonPublic, Normal, |u| {
        u.employees = Some(8);
        u.no_org_reason = "无党员".into();
    });
    let u7 = b.unit("庚工厂", NonPublic, Abnormal, full(1, "庚", "无"));
    let u8 = b.unit("辛公司", NonPublic, Normal, full(9, "辛", "用工"));
    let u9 = b.unit("壬科技", Social, Normal, full(4, "壬", "场地"));
    let u10 = b.unit("癸服务", NonPublic, Closed, full(0, "癸", "无"));
    let u11 = b.unit("子公司", Mixed, Normal, |u| {
        full(6, "子", "技术")(u);
        u.no_org_reason = "支部撤销".into();
    });
    // Voided: counts nowhere.
    let u99 = b.unit("作废单位", NonPublic, Normal, full(1, "x", "x"));
    b.store.void::<Unit>(u99).unwrap();

    use Formation::*;
    use OrgType::*;
    // O1: elected 2023-09-30 → term ends 2026-09-30 ≤ month end → term_expired.
    let o1 = b.org(
        "甲电子党支部",
        Branch,
        Standalone,
        "2018-05-01",
        None,
        Some("2023-09-30"),
        true,
        1,
    );
    let o2 = b.org(
        "联合党支部",
        Branch,
        Joint,
        "2019-03-01",
        None,
        Some("2024-01-01"),
        false,
        0,
    );
    let o3 = b.org(
        "商会党委",
        Committee,
        Industry,
        "2015-01-01",
        None,
        None,
        false,
        0,
    );
    // Established on the 1st: active at month end, not "active for the whole month".
    let o4 = b.org(
        "新支部一号",
        Branch,
        Regional,
        "2026-09-01",
        None,
        None,
        false,
        0,
    );
    // Dissolved on the last day: not active at month end.
    let o5 = b.org(
        "丑党支部",
        Branch,
        Standalone,
        "2020-01-01",
        Some("2026-09-30"),
        None,
        false,
        0,
    );
    // Established on the last day: active at month end.
    let o6 = b.org(
        "新支部二号",
        Branch,
        Temporary,
        "2026-09-30",
        None,
        None,
        false,
        0,
    );

    b.cover(o1, u1, "2018-05-01", None);
    for u in [u2, u3, u7, u9, u10] {
        b.cover(o2, u, "2019-03-01", None);
    }
    b.cover(o2, u8, "2026-09-30", None); // linked on the last day: counts
    b.cover(o2, u11, "2020-01-01", Some("2026-09-30")); // ends on the last day: not linked
    b.cover(o5, u11, "2020-01-01", None); // org dissolved at month end
    // O2 links at month end: U2 U3 U7 U8 U9 U10 = 6 > 5 → joint_branch_too_many_units.

    // Members active at month end: m1..m10, m11, m13 = 12 (m12 left 09-30).
    let m1 = b.member("张一", o1, Some(u1), |_| {});
    let m2 = b.member("张二", o1, Some(u1), |_| {});
    let m3 = b.member("张三", o1, Some(u1), |_| {});
    // 转正 on month end: formal at month end, probationary before.
    let m4 = b.member("张四", o1, Some(u1), |m| {
        m.category = MemberCategory::Probationary;
        m.joined = Some(d("2025-09-01"));
        m.confirmed = Some(d("2026-09-30"));
    });
    let m5 = b.member("乙五", o2, Some(u2), |_| {});
    let m6 = b.member("乙六", o2, Some(u2), |_| {});
    let m7 = b.member("乙七", o2, Some(u2), |_| {});
    // Probationary, joined in M, new-employment, reported in M; works at U3.
    let m8 = b.member("乙八", o2, Some(u3), |m| {
        m.category = MemberCategory::Probationary;
        m.joined = Some(d("2026-09-15"));
        m.new_employment = Some(NewEmployment::Courier);
        m.reported = Some(d("2026-09-10"));
    });
    // Works at U5 (no org there), belongs to O1.
    let m9 = b.member("戊九", o1, Some(u5), |_| {});
    let m10 = b.member("张十", o1, None, |_| {});
    let m11 = b.member("临时一", o6, None, |_| {});
    let _m12 = b.member("丑十二", o5, None, |m| {
        m.status = MemberStatus::TransferredOut;
        m.left = Some(d("2026-09-30"));
        m.new_employment = Some(NewEmployment::Delivery);
    });
    let m13 = b.member("商十三", o3, None, |_| {});

    // Instructors: I1, I2, I4 active; I3 left on the last day.
    let i1 = b.instructor("李指导", "2025-01-01", None);
    let i2 = b.instructor("王指导", "2024-01-01", None);
    let i3 = b.instructor("赵指导", "2024-01-01", Some("2026-09-30"));
    let i4 = b.instructor("孙指导", "2025-06-01", None);
    b.assign(i1, u4, "2025-01-01", None); // U4 work-covered
    b.assign(i2, u11, "2024-01-01", Some("2026-09-30")); // ends on the last day
    b.assign(i2, u9, "2024-01-01", None);
    b.assign(i3, u3, "2024-01-01", None); // instructor no longer active
    b.assign(i4, u1, "2025-06-01", None);
    b.visit(i1, u4, "2026-08-31"); // last month
    b.visit(i1, u6, "2026-09-18"); // not assigned, but a visit in M
    b.visit(i2, u9, "2026-09-12");

    // O1 meetings.
    b.meeting(o1, &[ThemeDay], "2026-03-20", &[(m10, P)]); // outside M−5..M
    b.meeting(
        o1,
        &[MembersAssembly],
        "2026-07-15",
        &[(m1, P), (m2, P), (m3, P), (m10, A)],
    );
    b.meeting(o1, &[GroupMeeting], "2026-08-10", &[(m1, P), (m10, A)]);
    // Multi-kind: 6 rows, 4 出席.
    b.meeting(
        o1,
        &[PartyLesson, ThemeDay],
        "2026-09-05",
        &[(m1, P), (m2, P), (m3, P), (m4, L), (m9, P), (m10, A)],
    );
    // 2 rows, 2 出席.
    b.meeting(o1, &[BranchCommittee], "2026-09-20", &[(m1, P), (m2, P)]);
    // Formal on 09-25: m1 m2 m3 m9 m10 = 5 (m4 only from 09-30); formal 出席
    // m1 m2 = 2; 2 × 2 ≤ 5 → meeting_no_quorum. 6 rows, 3 出席 (m4 too).
    b.meeting(
        o1,
        &[MembersAssembly],
        "2026-09-25",
        &[(m1, P), (m2, P), (m3, A), (m4, P), (m9, A), (m10, A)],
    );
    // O2 meetings.
    b.meeting(
        o2,
        &[PartyLesson],
        "2026-06-30",
        &[(m5, P), (m6, P), (m7, P)],
    ); // Q2
    // Formal expected m5 m6 m7 = 3, formal 出席 2: 4 > 3, quorum. 4 rows, 3 出席.
    b.meeting(
        o2,
        &[MembersAssembly, ThemeDay],
        "2026-09-10",
        &[(m5, P), (m6, P), (m7, L), (m8, P)],
    );
    let voided = b.meeting(o2, &[PartyLesson], "2026-09-11", &[(m5, P)]);
    b.store.void::<Meeting>(voided).unwrap();
    // O4 (not yet required): a 主题党日 with no attendance rows.
    b.meeting(o4, &[ThemeDay], "2026-09-15", &[]);

    // Funds. Before M: F1 +100000 (乡镇), F2 +20000 (O1, 2025), F3 −5000
    // (O2), F4 −30000 (乡镇) → opening 85000.
    b.fund("2026-01-10", None, FundCategory::Appropriation, 100_000);
    b.fund("2025-12-20", Some(o1), FundCategory::DuesReturn, 20_000);
    b.fund("2026-08-31", Some(o2), FundCategory::Activities, 5_000);
    b.fund("2026-03-01", None, FundCategory::Venue, 30_000);
    // In M: +15000 (O1), +3000 (O2), −80000 (乡镇).
    b.fund(
        "2026-09-01",
        Some(o1),
        FundCategory::EnterpriseSupport,
        15_000,
    );
    b.fund("2026-09-30", None, FundCategory::Training, 80_000);
    b.fund("2026-09-15", Some(o2), FundCategory::HigherSubsidy, 3_000);
    b.fund("2026-10-01", Some(o1), FundCategory::OtherExpense, 99_900); // after M

    // Dues for 2026-09 (standard 应交 from DOMAIN.md's table).
    use PersonType::*;
    b.dues("2026-09", m1, o1, Employed, Some(300_000), None, 1500); // 3000.00 × 0.5% = 15.00
    b.dues("2026-09", m2, o1, Employed, Some(300_001), None, 3000); // 3000.01 × 1% = 30.0001 → 30.00
    b.dues("2026-09", m3, o1, Employed, Some(1_000_025), None, 20000); // 10000.25 × 2% = 200.005 → 200.01; paid 200.00: unpaid
    b.dues("2026-09", m4, o1, Retired, Some(500_000), None, 2500); // 5000.00 × 0.5% = 25.00
    b.dues("2026-09", m5, o2, Student, None, None, 20); // 0.20
    b.dues("2026-09", m6, o2, Farmer, None, None, 0); // 0.20 due, nothing paid: unpaid
    b.dues("2026-09", m7, o2, Employed, Some(432_150), None, 5000); // 4321.50 × 1% = 43.215 → 43.22; overpaid
    b.dues("2026-09", m8, o2, Other, None, Some(0), 0); // approved 免交
    // m9: no row → unpaid.
    b.dues("2026-09", m10, o1, Unemployed, None, None, 20);
    b.dues("2026-09", m13, o3, Retired, Some(765_450), None, 7655); // 76.545 → 76.55
    b.dues("2026-09", m11, o6, Employed, Some(200_000), None, 1000); // temporary org: not due, but a row
    b.dues("2026-08", m1, o1, Employed, Some(300_000), None, 0); // other month
    (dir, b)
}

fn report_for(b: &B, m: &str) -> MonthlyReport {
    let ledger = Ledger::load_for_month(&b.store, month(m)).unwrap();
    compute(&ledger, month(m), at()).unwrap()
}

fn codes(r: &MonthlyReport, code: &str) -> Vec<String> {
    r.warnings
        .iter()
        .filter(|w| w.code == code)
        .map(|w| w.subject.clone())
        .collect()
}

#[test]
fn coverage_figures() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let c = &r.coverage;
    // Counted: U1 U2 U3 U4 U5 U6 U8 U9 U11.
    assert_eq!(c.units_total, 9);
    // Org-covered: U1 (O1), U2 U3 U8 U9 (O2); not U11 (links end / org dissolved).
    assert_eq!(c.units_org_covered, 5);
    assert_eq!(c.units_standalone, 1);
    // Work-covered: U4 only (U11's assignment ends on the last day).
    assert_eq!(c.units_work_covered, 1);
    // Uncovered: U5 U6 U11.
    assert_eq!(c.units_uncovered, 3);
    assert_eq!(c.units_with_members_no_org, 1); // U5 (戊九)
    // Complete: U1 U3 U5 U8 U9 U11; incomplete U2 (职工人数), U4 (原因), U6.
    assert_eq!(c.units_facts_complete, 6);
    assert!(close(c.org_coverage_rate, 5.0 / 9.0));
    assert!(close(c.standalone_rate, 1.0 / 9.0));
    assert!(close(c.work_coverage_rate, 6.0 / 9.0));
    let k: Vec<(&str, i64, i64, i64)> = c
        .by_kind
        .iter()
        .map(|k| (k.kind.as_str(), k.total, k.org_covered, k.work_covered))
        .collect();
    assert_eq!(
        k,
        vec![
            ("非公企业", 4, 3, 0),       // U1 U2 U6 U8; covered U1 U2 U8
            ("混合所有制企业", 2, 1, 0), // U3 U11
            ("社会组织", 2, 1, 1),       // U4 (work) U9 (O2)
            ("新业态企业", 1, 0, 0),     // U5
        ]
    );
    let ex = r.extras.as_ref().unwrap();
    assert_eq!(ex.standalone_by_kind, vec![1, 0, 0, 0]);
}

#[test]
fn org_and_member_figures() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let o = &r.party_orgs;
    // Active: O1 O2 O3 O4 O6 (O5 dissolved on 09-30).
    assert_eq!(o.total, 5);
    let f: Vec<(&str, i64)> = o
        .by_formation
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        f,
        vec![
            ("单独组建", 1),
            ("联合组建", 1),
            ("区域联建", 1),
            ("行业统建", 1),
            ("临时组建", 1)
        ]
    );
    assert_eq!(o.established_in_month, 2); // O4 (09-01), O6 (09-30)
    assert_eq!(o.dissolved_in_month, 1); // O5
    let m = &r.members;
    assert_eq!(m.total, 12);
    // Formal: all but m8 (m4 转正 on 09-30 counts).
    assert_eq!(m.formal, 11);
    assert_eq!(m.probationary, 1);
    assert_eq!(m.new_employment, 1); // m8 (m12 has left)
    assert_eq!(m.joined_in_month, 1);
    assert_eq!(m.pocket_reported_in_month, 1);
}

#[test]
fn meeting_figures_in_a_quarter_end_month() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let g = &r.meetings;
    // Required: O1, O2 (O4 set up on the 1st, O6 on the 30th, O5 dissolved).
    assert_eq!(g.orgs_required, 2);
    assert_eq!(g.orgs_compliant, 0);
    assert!(close(g.compliance_rate, 0.0));
    // All meetings in M: O1 14 rows 9 出席, O2 4 rows 3, O4 0 → 12/18.
    assert!(close(g.attendance_rate, 12.0 / 18.0));
    let held: Vec<(&str, i64)> = g
        .held_by_kind
        .0
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        held,
        vec![
            ("支部党员大会", 2), // O1 09-25, O2 09-10
            ("支部委员会", 1),
            ("党小组会", 0), // O1's is in August
            ("党课", 1),     // the multi-kind one; the voided one does not count
            ("主题党日", 3), // O1 09-05, O2 09-10, O4 09-15
            ("组织生活会", 0),
            ("民主评议党员", 0),
        ]
    );
    // Sorted by name (Unicode order): 甲 (U+7532) before 联 (U+8054).
    let names: Vec<&str> = g.orgs.iter().map(|o| o.org.as_str()).collect();
    assert_eq!(names, vec!["甲电子党支部", "联合党支部"]);
    let o1 = &g.orgs[0];
    assert_eq!(
        o1.required,
        vec!["支部党员大会", "支部委员会", "党小组会", "党课", "主题党日"]
    );
    let h: Vec<i64> = o1.held.0.iter().map(|(_, n)| *n).collect();
    // Quarter: 07-15 and 09-25 大会; 09-20 支委; no 小组 in M; 09-05 党课+党日.
    assert_eq!(h, vec![2, 1, 0, 1, 1]);
    assert_eq!(o1.missing, vec!["党小组会"]);
    assert!(close(o1.attendance_rate, 9.0 / 14.0));
    let o2 = &g.orgs[1];
    assert_eq!(o2.required, vec!["支部党员大会", "党课", "主题党日"]);
    assert_eq!(o2.missing, vec!["党课"]); // its 党课 of 06-30 is in Q2
    assert!(close(o2.attendance_rate, 3.0 / 4.0));
    let ex = r.extras.as_ref().unwrap();
    assert_eq!(
        ex.org_rows,
        vec![("单独组建".to_string(), 6), ("联合组建".to_string(), 4)]
    );
}

#[test]
fn a_month_that_is_not_a_quarter_end_checks_only_monthly_kinds() {
    let (_d, b) = main_ledger();
    // August: O1 needs 支委, 小组, 党日; it held 小组 (08-10) only.
    let r = report_for(&b, "2026-08");
    let o1 = r
        .meetings
        .orgs
        .iter()
        .find(|o| o.org == "甲电子党支部")
        .unwrap();
    assert_eq!(o1.required, vec!["支部委员会", "党小组会", "主题党日"]);
    assert_eq!(o1.missing, vec!["支部委员会", "主题党日"]);
}

#[test]
fn instructor_fund_and_dues_figures() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let i = &r.instructors;
    assert_eq!(i.active, 3); // I1 I2 I4
    assert_eq!(i.assigned_units, 3); // U4 U9 U1
    assert_eq!(i.visited_units, 1); // U9
    assert_eq!(i.visits_in_month, 2); // 09-12, 09-18
    assert!(close(i.visit_coverage_rate, 1.0 / 3.0));
    assert_eq!(i.without_visit, vec!["孙指导"]); // 李指导 visited U6

    let f = &r.funds;
    assert_eq!(f.opening_fen, Fen(85_000));
    assert_eq!(f.income_fen, Fen(18_000));
    assert_eq!(f.expense_fen, Fen(80_000));
    assert_eq!(f.closing_fen, Fen(23_000));
    assert_eq!(f.income_by_category.get("企业支持"), Fen(15_000));
    assert_eq!(f.income_by_category.get("上级补助"), Fen(3_000));
    assert_eq!(f.income_by_category.get("财政拨款"), Fen(0));
    assert_eq!(f.income_by_category.0.len(), 8);
    assert_eq!(f.expense_by_category.get("教育培训"), Fen(80_000));
    assert_eq!(f.expense_by_category.0.len(), 7);
    let ex = r.extras.as_ref().unwrap();
    // 1 January: only F2 (2025-12-20) before it.
    assert_eq!(ex.year_opening_fen, Fen(20_000));
    assert_eq!(ex.year_income_by_category.get("财政拨款"), Fen(100_000));
    assert_eq!(ex.year_expense_by_category.get("阵地建设"), Fen(30_000));
    assert_eq!(ex.year_expense_by_category.get("组织活动"), Fen(5_000));

    let u = &r.dues;
    // Due: the 12 active members less m11 (temporary branch).
    assert_eq!(u.members_due, 11);
    assert_eq!(u.members_paid, 8);
    // 1500+3000+20001+2500+20+20+4322+0+20+7655+1000 (m11's row counts).
    assert_eq!(u.due_fen, Fen(40_038));
    // 1500+3000+20000+2500+20+0+5000+0+20+7655+1000.
    assert_eq!(u.paid_fen, Fen(40_695));
    assert_eq!(u.unpaid, vec!["乙六", "张三", "戊九"]);
}

#[test]
fn every_warning_with_its_subject() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    assert_eq!(codes(&r, "unit_members_no_org"), vec!["戊平台"]);
    assert_eq!(codes(&r, "unit_uncovered"), vec!["子公司", "己餐饮"]);
    assert_eq!(codes(&r, "unit_qualifies_standalone"), vec!["乙物流"]);
    assert_eq!(
        codes(&r, "unit_facts_incomplete"),
        vec!["丁协会", "乙物流", "己餐饮"]
    );
    assert_eq!(codes(&r, "joint_branch_too_many_units"), vec!["联合党支部"]);
    assert_eq!(
        codes(&r, "branch_too_few_members"),
        vec!["新支部一号", "新支部二号"]
    );
    assert_eq!(codes(&r, "term_expired"), vec!["甲电子党支部"]);
    assert_eq!(
        codes(&r, "org_missing_meetings"),
        vec!["甲电子党支部", "联合党支部"]
    );
    assert_eq!(codes(&r, "meeting_no_quorum"), vec!["甲电子党支部"]);
    assert_eq!(codes(&r, "member_no_activity_6m"), vec!["张十"]);
    assert_eq!(
        codes(&r, "instructor_no_visit"),
        vec!["孙指导 → 甲电子", "李指导 → 丁协会"]
    );
    assert_eq!(
        codes(&r, "fund_negative_balance"),
        vec!["乡镇本级", "联合党支部"]
    );
    assert_eq!(codes(&r, "dues_unpaid"), vec!["乙六", "张三", "戊九"]);
    assert!(codes(&r, "branch_too_large").is_empty());
    assert!(codes(&r, "committee_required").is_empty());
    assert_eq!(r.warnings.len(), 22);
    let msg = |code: &str| {
        r.warnings
            .iter()
            .find(|w| w.code == code)
            .unwrap()
            .message
            .clone()
    };
    assert!(
        msg("unit_facts_incomplete").contains("未建党组织原因"),
        "{}",
        msg("unit_facts_incomplete")
    );
    assert!(msg("meeting_no_quorum").contains("应到正式党员 5 名，实到 2 名"));
    assert!(msg("joint_branch_too_many_units").contains("6 个"));
    let six = msg("member_no_activity_6m");
    assert!(six.contains("4 次"), "{six}");
    // Township balance 100000 − 30000 − 80000 = −100.00 元.
    let neg: Vec<&Warning> = r
        .warnings
        .iter()
        .filter(|w| w.code == "fund_negative_balance")
        .collect();
    assert!(neg[0].message.contains("-100.00"), "{}", neg[0].message);
    assert!(neg[1].message.contains("-20.00"), "{}", neg[1].message);
    // Every message is Chinese text, sorted by code order then subject.
    let ranks: Vec<usize> = r
        .warnings
        .iter()
        .map(|w| djtz::report::model::warning_rank(&w.code))
        .collect();
    assert!(ranks.windows(2).all(|p| p[0] <= p[1]));
}

#[test]
fn scoped_and_whole_loading_give_the_same_report() {
    let (_d, b) = main_ledger();
    for m in ["2026-08", "2026-09", "2026-12"] {
        let whole = compute(&Ledger::load(&b.store).unwrap(), month(m), at()).unwrap();
        let scoped = report_for(&b, m);
        assert_eq!(whole, scoped, "{m}");
    }
}

#[test]
fn sql_aggregates_agree_with_compute() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let s = b.store.report_sql_figures(month("2026-09")).unwrap();
    assert_eq!(s.units_total, r.coverage.units_total);
    assert_eq!(s.units_org_covered, r.coverage.units_org_covered);
    assert_eq!(s.orgs_total, r.party_orgs.total);
    assert_eq!(s.members_total, r.members.total);
    assert_eq!(s.members_formal, r.members.formal);
    assert_eq!(s.fund_opening, r.funds.opening_fen);
    assert_eq!(s.fund_income, r.funds.income_fen);
    assert_eq!(s.fund_expense, r.funds.expense_fen);
    assert_eq!(s.dues_due, r.dues.due_fen);
    assert_eq!(s.dues_paid, r.dues.paid_fen);
    assert_eq!(s.visits_in_month, r.instructors.visits_in_month);
    assert_eq!((s.attendance_rows, s.attendance_present), (18, 12));
    assert_eq!(s.members_no_activity_6m, 1);
}

#[test]
fn december_checks_the_year_and_a_large_branch() {
    let (_d, mut b) = open();
    let o = b.org(
        "大支部",
        OrgType::Branch,
        Formation::Standalone,
        "2020-01-01",
        None,
        None,
        false,
        0,
    );
    // 51 members: 50 formal, 1 probationary → branch_too_large (> 50) and
    // committee_required (≥ 7 formal, no committee).
    for i in 0..51 {
        b.member(&format!("党员{i:02}"), o, None, |m| {
            if i == 50 {
                m.category = MemberCategory::Probationary;
            }
        });
    }
    b.meeting(o, &[LifeMeeting, Appraisal], "2026-01-15", &[]);
    b.meeting(o, &[PartyLesson], "2026-09-30", &[]); // Q3
    b.meeting(o, &[MembersAssembly], "2026-10-10", &[]); // Q4; no rows: no quorum
    b.meeting(o, &[ThemeDay], "2026-12-01", &[]);
    let r = report_for(&b, "2026-12");
    let g = &r.meetings.orgs[0];
    assert_eq!(
        g.required,
        vec![
            "支部党员大会",
            "党课",
            "主题党日",
            "组织生活会",
            "民主评议党员"
        ]
    );
    assert_eq!(
        g.held.0.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        vec![1, 0, 1, 1, 1]
    );
    assert_eq!(g.missing, vec!["党课"]);
    assert_eq!(codes(&r, "branch_too_large"), vec!["大支部"]);
    assert_eq!(codes(&r, "committee_required"), vec!["大支部"]);
    assert_eq!(codes(&r, "dues_unpaid").len(), 51);
    // The 10-10 大会 is not in December: no quorum warning this month.
    assert!(codes(&r, "meeting_no_quorum").is_empty());
    assert_eq!(r.meetings.attendance_rate, None); // no rows in M
    assert_eq!(r.coverage.org_coverage_rate, None); // no units

    // 党课 once a year (setting): December counts the whole year → compliant.
    let mut s = b.store.settings().unwrap();
    s.lesson_every_months = 12;
    b.store.save_settings(&s).unwrap();
    let r = report_for(&b, "2026-12");
    assert!(r.meetings.orgs[0].missing.is_empty());
    assert_eq!(r.meetings.orgs_compliant, 1);
    assert!(close(r.meetings.compliance_rate, 1.0));
    // October with the yearly setting: 党课 not checked; the 10-10 大会 has no quorum.
    let r = report_for(&b, "2026-10");
    assert!(!r.meetings.orgs[0].required.contains(&"党课".to_string()));
    assert_eq!(codes(&r, "meeting_no_quorum"), vec!["大支部"]);
}

#[test]
fn two_runs_give_the_same_bytes() {
    let (_d, b) = main_ledger();
    let a = json::render(&report_for(&b, "2026-09")).unwrap();
    let c = json::render(&report_for(&b, "2026-09")).unwrap();
    assert_eq!(a, c);
}

/// The key paths of FORMATS.md's JSON, copied from the document by hand.
const FORMATS_KEYS: &[&str] = &[
    "month",
    "township",
    "generated_at",
    "coverage",
    "coverage.units_total",
    "coverage.units_org_covered",
    "coverage.units_work_covered",
    "coverage.units_uncovered",
    "coverage.units_standalone",
    "coverage.units_with_members_no_org",
    "coverage.units_facts_complete",
    "coverage.org_coverage_rate",
    "coverage.standalone_rate",
    "coverage.work_coverage_rate",
    "coverage.by_kind",
    "coverage.by_kind[].kind",
    "coverage.by_kind[].total",
    "coverage.by_kind[].org_covered",
    "coverage.by_kind[].work_covered",
    "party_orgs",
    "party_orgs.total",
    "party_orgs.by_formation",
    "party_orgs.established_in_month",
    "party_orgs.dissolved_in_month",
    "members",
    "members.total",
    "members.formal",
    "members.probationary",
    "members.new_employment",
    "members.joined_in_month",
    "members.pocket_reported_in_month",
    "meetings",
    "meetings.orgs_required",
    "meetings.orgs_compliant",
    "meetings.compliance_rate",
    "meetings.attendance_rate",
    "meetings.held_by_kind",
    "meetings.orgs",
    "meetings.orgs[].org",
    "meetings.orgs[].required",
    "meetings.orgs[].held",
    "meetings.orgs[].missing",
    "meetings.orgs[].attendance_rate",
    "instructors",
    "instructors.active",
    "instructors.assigned_units",
    "instructors.visited_units",
    "instructors.visits_in_month",
    "instructors.visit_coverage_rate",
    "instructors.without_visit",
    "funds",
    "funds.opening_fen",
    "funds.income_fen",
    "funds.expense_fen",
    "funds.closing_fen",
    "funds.income_by_category",
    "funds.expense_by_category",
    "dues",
    "dues.members_due",
    "dues.members_paid",
    "dues.due_fen",
    "dues.paid_fen",
    "dues.unpaid",
    "warnings",
    "warnings[].code",
    "warnings[].subject",
    "warnings[].message",
];

/// Key paths of a JSON value; maps whose keys are data (labels) stop there.
fn key_paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    let data_maps = [
        "by_formation",
        "held_by_kind",
        "held",
        "income_by_category",
        "expense_by_category",
    ];
    match v {
        serde_json::Value::Object(m) => {
            if data_maps.iter().any(|d| prefix.ends_with(d)) {
                return;
            }
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.insert(p.clone());
                key_paths(x, &p, out);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                key_paths(x, &format!("{prefix}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn json_has_exactly_the_formats_keys() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let text = json::render(&r).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut got = BTreeSet::new();
    key_paths(&v, "", &mut got);
    let want: BTreeSet<String> = FORMATS_KEYS.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want);
    // Integers for counts and fen, null for an empty denominator.
    assert_eq!(v["coverage"]["units_total"], serde_json::json!(9));
    assert_eq!(v["funds"]["closing_fen"], serde_json::json!(23000));
    assert_eq!(v["month"], "2026-09");
    assert_eq!(v["generated_at"], "2026-10-08T09:30:00+08:00");
    assert_eq!(v["meetings"]["orgs"][0]["held"]["支部党员大会"], 2);
    // Round trip (the archive reads reports back).
    let back: MonthlyReport = serde_json::from_str(&text).unwrap();
    assert_eq!(
        MonthlyReport {
            extras: r.extras.clone(),
            ..back
        },
        r
    );
}

#[test]
fn txt_pages_fit_the_paper() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let s = b.store.settings().unwrap();
    let ps = pages(&r, &s);
    let title = "城关镇 2026年9月 党建工作月报";
    assert!(!ps.is_empty());
    for (i, p) in ps.iter().enumerate() {
        assert!(p.len() <= 60, "page {} has {} lines", i + 1, p.len());
        for l in p {
            assert!(djtz::domain::text::width(l) <= 80, "too wide: {l}");
        }
        assert_eq!(p[0].trim(), title);
        assert!(
            p[1].contains("编制单位：城关镇")
                && p[1].contains("所属期间：2026年9月")
                && p[1].contains("金额单位：元")
        );
        let last = p.iter().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert_eq!(last.trim(), format!("第 {} 页 共 {} 页", i + 1, ps.len()));
    }
    let all: Vec<&String> = ps.iter().flatten().collect();
    for t in [
        "一、两个覆盖",
        "二、党组织和党员",
        "三、三会一课落实情况",
        "四、指导员履职",
        "五、经费收支",
        "六、党费收缴",
        "七、问题清单",
    ] {
        assert!(all.iter().any(|l| l.starts_with(t)), "{t}");
    }
    assert!(all.iter().any(|l| l.contains("制表人：王会计")
        && l.contains("审核人：李审核")
        && l.contains("负责人：张书记")));
    assert!(all.iter().any(|l| l.contains("（盖章）")));
    // The 合计 row of section 一: 9 5 1 1 3 55.6% 66.7%.
    let total = all.iter().find(|l| l.starts_with("合计")).unwrap();
    let cells: Vec<&str> = total.split_whitespace().collect();
    assert_eq!(
        cells,
        vec!["合计", "9", "5", "1", "1", "3", "55.6%", "66.7%"]
    );
    // Columns aligned by display width: the 总数 column ends at the same
    // display column in the header and in every kind row.
    let header = all.iter().find(|l| l.starts_with("单位类型")).unwrap();
    let end_of = |l: &str, cell: &str| -> usize {
        let i = l.find(cell).unwrap();
        djtz::domain::text::width(&l[..i]) + djtz::domain::text::width(cell)
    };
    let col_end = end_of(header, "总数");
    for row in ["非公企业", "混合所有制企业", "社会组织", "新业态企业"] {
        let l = all.iter().find(|l| l.starts_with(row)).unwrap();
        let n = l.split_whitespace().nth(1).unwrap();
        assert_eq!(
            end_of(&l[row.len()..], n) + djtz::domain::text::width(row),
            col_end,
            "{l}"
        );
    }
    // Money in 元: opening 850.00, closing 230.00.
    assert!(
        all.iter()
            .any(|l| l.starts_with("期初余额") && l.contains("850.00") && l.contains("200.00"))
    );
    assert!(
        all.iter()
            .any(|l| l.starts_with("期末余额") && l.contains("230.00"))
    );
    // The text form: pages joined by form feeds.
    let text = txt::render(&r, &s);
    assert_eq!(text.matches('\x0c').count(), ps.len() - 1);
}

#[test]
fn long_tables_repeat_their_header_on_the_next_page() {
    let (_d, mut b) = open();
    // 80 branches with no meetings: 80 rows in 三 and 80 × 3 warnings.
    for i in 0..80 {
        b.org(
            &format!("第{i:02}党支部"),
            OrgType::Branch,
            Formation::Joint,
            "2020-01-01",
            None,
            None,
            false,
            0,
        );
    }
    let r = report_for(&b, "2026-09");
    let ps = pages(&r, &Settings::default());
    assert!(ps.len() >= 4, "{} pages", ps.len());
    let mut continued = 0;
    for p in &ps {
        assert!(p.len() <= 60);
        assert!(p.iter().all(|l| djtz::domain::text::width(l) <= 80));
        assert_eq!(p[0].trim(), "2026年9月 党建工作月报");
        if let Some(i) = p
            .iter()
            .position(|l| l.starts_with("三、三会一课落实情况（续）"))
        {
            continued += 1;
            assert!(p[i + 1].starts_with("党组织"), "{}", p[i + 1]);
            assert!(p[i + 2].starts_with("----"));
        }
    }
    assert!(continued >= 1);
    assert!(
        ps.iter()
            .flatten()
            .any(|l| l.starts_with("七、问题清单（续）"))
    );
}

#[test]
fn html_and_csv_structure() {
    let (_d, b) = main_ledger();
    let r = report_for(&b, "2026-09");
    let s = b.store.settings().unwrap();
    let h = html::render(&r, &s);
    assert!(h.starts_with("<!DOCTYPE html>"));
    assert!(h.contains("@page { size: A4"));
    assert!(h.contains("thead { display: table-header-group; }"));
    assert_eq!(h.matches("<section>").count(), 7);
    assert_eq!(h.matches("<table>").count(), 7);
    // One table per section.
    for sec in h.split("<section>").skip(1) {
        assert_eq!(sec.matches("<table>").count(), 1);
    }
    assert!(h.contains("<h1>城关镇 2026年9月 党建工作月报</h1>"));
    assert!(!h.contains("<script") && !h.contains("src=\"http") && !h.contains("<link"));
    assert!(h.contains("孙指导 → 甲电子"));

    let c = csv::render(&r, &s);
    assert!(c.starts_with('\u{feff}'));
    let lines: Vec<&str> = c.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "城关镇 2026年9月 党建工作月报");
    for t in ["一、两个覆盖", "四、指导员履职", "七、问题清单"] {
        assert!(lines.contains(&t), "{t}");
    }
    // Plain yuan for sorting: opening 850.00.
    assert!(lines.contains(&"期初余额,850.00,200.00"), "{lines:?}");
    assert!(lines.contains(&"合计,9,5,1,1,3,55.6%,66.7%"));
}

fn djtz(db: &std::path::Path, args: &[&str], cwd: &std::path::Path) -> (bool, String, String) {
    #[allow(deprecated)]
    let mut c = assert_cmd::Command::cargo_bin("djtz").unwrap();
    let out = c
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_report_archive_issued_and_diff() {
    let (dir, b) = main_ledger();
    let db = dir.path().join("t.db");
    drop(b); // release the ledger's lock so the command may write
    let cwd = dir.path();

    // txt to stdout, not archived.
    let (ok, out, _) = djtz(&db, &["report", "--month", "2026-09"], cwd);
    assert!(ok);
    assert!(out.contains("城关镇 2026年9月 党建工作月报") && out.contains("第 1 页 共"));
    let (ok, _, err) = djtz(&db, &["report", "--month", "2026-09", "--issued"], cwd);
    assert!(!ok && err.contains("还没有出具过"), "{err}");

    // json to stdout: FORMATS.md figures.
    let (ok, out, _) = djtz(
        &db,
        &["report", "--month", "2026-09", "--format", "json"],
        cwd,
    );
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["coverage"]["units_total"], 9);

    // csv without -o goes to the default file name and is archived.
    let (ok, out, err) = djtz(
        &db,
        &["report", "--month", "2026-09", "--format", "csv"],
        cwd,
    );
    assert!(ok, "{err}");
    assert!(out.contains("已存档"), "{out}");
    let f = cwd.join("党建工作月报-2026-09.csv");
    assert!(std::fs::read_to_string(&f).unwrap().starts_with('\u{feff}'));
    let (ok, out, _) = djtz(&db, &["report", "--month", "2026-09", "--issued"], cwd);
    assert!(ok && out.contains("合计") && out.contains("55.6%"));
    let (ok, out, _) = djtz(&db, &["report", "--month", "2026-09", "--diff"], cwd);
    assert!(ok && out.contains("没有变化"), "{out}");

    // A later edit: U6 gets an org-free instructor assignment → work-covered.
    {
        let mut store = Store::open(&db).unwrap();
        let u6 = store.find_by_name::<Unit>("己餐饮").unwrap()[0].id;
        let i1 = store.find_by_name::<Instructor>("李指导").unwrap()[0].id;
        let mut a = Assignment {
            id: 0,
            instructor_id: i1,
            unit_id: u6,
            start: d("2026-09-01"),
            end: None,
        };
        store.save(&mut a).unwrap();
    }
    let (ok, out, _) = djtz(&db, &["report", "--month", "2026-09", "--diff"], cwd);
    assert!(ok);
    // Work-covered 1 → 2, uncovered 3 → 2, rate 66.7% → 77.8%; U6 leaves
    // the 空白点 warnings; the I1 → U6 assignment was visited (09-18).
    assert!(out.contains("两个覆盖/工作覆盖单位: 1 → 2"), "{out}");
    assert!(out.contains("两个覆盖/空白单位: 3 → 2"), "{out}");
    assert!(out.contains("两个覆盖/工作覆盖率: 66.7% → 77.8%"), "{out}");
    assert!(
        out.contains("两个覆盖/按单位类型/非公企业/工作覆盖: 0 → 1"),
        "{out}"
    );
    assert!(out.contains("问题清单/空白点: 己餐饮："), "{out}");
    assert!(out.contains("→ （无）"), "{out}");
    assert!(!out.contains("generated_at"));

    // The issued report still shows the figures as submitted.
    let (ok, out, _) = djtz(
        &db,
        &[
            "report", "--month", "2026-09", "--issued", "--format", "json",
        ],
        cwd,
    );
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["coverage"]["units_work_covered"], 1);

    // check: healthy ledger, this month's warnings counted, exit 0.
    let (ok, out, _) = djtz(&db, &["check"], cwd);
    assert!(ok);
    assert!(out.contains("规则提示"), "{out}");
}
