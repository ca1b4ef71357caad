//! Edge cases of each rule (DOMAIN.md).

use chrono::NaiveDate;

use super::*;
use crate::domain::enums::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn month(s: &str) -> Month {
    Month::parse(s).unwrap()
}

fn member(id: i64, category: MemberCategory) -> Member {
    let mut m = Member::new(&format!("党员{id}"), 1, category);
    m.id = id;
    m
}

fn row(member_id: i64, status: AttendStatus) -> Attendance {
    Attendance {
        member_id,
        status,
        reason: String::new(),
    }
}

fn unit(id: i64, status: UnitStatus) -> Unit {
    let mut u = Unit::new(&format!("单位{id}"), UnitKind::NonPublic);
    u.id = id;
    u.status = status;
    u
}

fn org(id: i64, formation: Formation, established: &str) -> PartyOrg {
    let mut o = PartyOrg::new(
        &format!("支部{id}"),
        OrgType::Branch,
        formation,
        d(established),
    );
    o.id = id;
    o
}

fn link(org_id: i64, unit_id: i64, from: &str, to: Option<&str>) -> Coverage {
    Coverage {
        id: 0,
        org_id,
        unit_id,
        from: d(from),
        to: to.map(d),
    }
}

fn instructor(id: i64, appointed: &str, left: Option<&str>) -> Instructor {
    Instructor {
        id,
        name: format!("指导员{id}"),
        gender: None,
        phone: String::new(),
        source: InstructorSource::Township,
        workplace: String::new(),
        appointed: d(appointed),
        left: left.map(d),
        note: String::new(),
    }
}

fn assign(instructor_id: i64, unit_id: i64, start: &str, end: Option<&str>) -> Assignment {
    Assignment {
        id: 0,
        instructor_id,
        unit_id,
        start: d(start),
        end: end.map(d),
    }
}

fn visit(instructor_id: i64, unit_id: i64, date: &str) -> Visit {
    Visit {
        id: 0,
        instructor_id,
        unit_id,
        date: d(date),
        mode: VisitMode::Visit,
        content: String::new(),
        problems: String::new(),
        resolved: None,
    }
}

fn entry(org_id: Option<i64>, date: &str, dir: FundDirection, fen: i64) -> FundEntry {
    FundEntry {
        id: 0,
        date: d(date),
        org_id,
        direction: dir,
        category: FundCategory::for_direction(dir)[0],
        amount: Fen(fen),
        voucher: String::new(),
        handler: String::new(),
        summary: String::new(),
    }
}

// ---- quorum ---------------------------------------------------------------

#[test]
fn no_formal_member_expected_has_no_quorum() {
    let q = Quorum::tally([]);
    assert_eq!(q, Quorum::default());
    assert!(!q.reached());
    // Only probationary members came: none of them counts.
    let q = Quorum::tally([
        (false, AttendStatus::Present),
        (false, AttendStatus::Present),
    ]);
    assert_eq!((q.expected, q.present), (0, 0));
    assert!(!q.reached());
}

#[test]
fn exactly_half_is_not_a_quorum_more_than_half_is() {
    let half = Quorum::tally([(true, AttendStatus::Present), (true, AttendStatus::Absent)]);
    assert_eq!((half.expected, half.present), (2, 1));
    assert!(!half.reached());
    let more = Quorum::tally([
        (true, AttendStatus::Present),
        (true, AttendStatus::Present),
        (true, AttendStatus::Leave),
    ]);
    assert!(more.reached());
    // 请假 is not 出席.
    let leave = Quorum::tally([(true, AttendStatus::Leave), (true, AttendStatus::Present)]);
    assert!(!leave.reached());
}

#[test]
fn meeting_quorum_counts_members_formal_on_the_meeting_date() {
    let mut late = member(1, MemberCategory::Probationary);
    late.confirmed = Some(d("2026-03-20"));
    let early = {
        let mut m = member(2, MemberCategory::Probationary);
        m.confirmed = Some(d("2026-03-01"));
        m
    };
    let formal = member(3, MemberCategory::Formal);
    let members = [late, early, formal];
    let mut mt = Meeting::new(1, vec![MeetingKind::MembersAssembly], d("2026-03-10"));
    mt.attendance = vec![
        row(1, AttendStatus::Present),
        row(2, AttendStatus::Present),
        row(3, AttendStatus::Absent),
        // A row whose member is gone (voided): not a formal member.
        row(9, AttendStatus::Present),
    ];
    let q = meeting_quorum(&mt, |id| members.iter().find(|m| m.id == id));
    assert_eq!((q.expected, q.present), (2, 1));
    assert!(!q.reached());
    // After member 1 is confirmed, the same rows reach a quorum.
    mt.date = d("2026-03-25");
    let q = meeting_quorum(&mt, |id| members.iter().find(|m| m.id == id));
    assert_eq!((q.expected, q.present), (3, 2));
    assert!(q.reached());
}

#[test]
fn only_a_members_assembly_needs_a_quorum() {
    assert!(needs_quorum(&[MeetingKind::MembersAssembly]));
    assert!(needs_quorum(&[
        MeetingKind::MembersAssembly,
        MeetingKind::PartyLesson
    ]));
    assert!(!needs_quorum(&[MeetingKind::ThemeDay]));
    assert!(!needs_quorum(&[]));
}

// ---- dues -----------------------------------------------------------------

#[test]
fn who_owes_dues() {
    let m = month("2026-05");
    let branch = org(1, Formation::Standalone, "2020-01-01");
    let temp = org(2, Formation::Temporary, "2020-01-01");
    let mut a = member(1, MemberCategory::Formal);
    assert!(owes_dues(&a, Some(&branch), m));
    // Temporary branches collect no dues.
    assert!(!owes_dues(&a, Some(&temp), m));
    // An org not in the ledger (voided) is not temporary.
    assert!(owes_dues(&a, None, m));
    // Joined on the last day: active at month end.
    a.joined = Some(d("2026-05-31"));
    assert!(owes_dues(&a, Some(&branch), m));
    a.joined = Some(d("2026-06-01"));
    assert!(!owes_dues(&a, Some(&branch), m));
    // Left on the last day: not active at month end.
    a.joined = None;
    a.left = Some(d("2026-05-31"));
    assert!(!owes_dues(&a, Some(&branch), m));
    a.left = Some(d("2026-06-01"));
    assert!(owes_dues(&a, Some(&branch), m));
    // Probationary members owe dues too.
    let p = member(2, MemberCategory::Probationary);
    assert!(owes_dues(&p, Some(&branch), m));
}

#[test]
fn paid_means_a_row_with_paid_at_least_due() {
    let mut r = Dues {
        id: 1,
        month: month("2026-05"),
        member_id: 1,
        org_id: 1,
        base: None,
        person_type: None,
        due: Fen(500),
        due_manual: false,
        paid: Fen(499),
        paid_date: None,
    };
    assert!(!dues_paid(None));
    assert!(!dues_paid(Some(&r)));
    r.paid = Fen(500);
    assert!(dues_paid(Some(&r)));
    // Approved 免交: 应交 0, nothing paid, paid in full.
    r.due = Fen(0);
    r.paid = Fen(0);
    assert!(dues_paid(Some(&r)));
}

// ---- 七个清 -----------------------------------------------------------------

#[test]
fn missing_facts_of_a_unit() {
    let mut u = unit(1, UnitStatus::Normal);
    assert_eq!(
        missing_facts(&u, false),
        vec![
            UnitFact::Employees,
            UnitFact::Investor,
            UnitFact::NoOrgReason,
            UnitFact::Needs
        ]
    );
    // Covered: no reason for having no org is needed.
    assert_eq!(
        missing_facts(&u, true),
        vec![UnitFact::Employees, UnitFact::Investor, UnitFact::Needs]
    );
    // 0 employees is a value; blank text is missing.
    u.employees = Some(0);
    u.investor = "  ".to_string();
    u.needs = "缺活动场地".to_string();
    u.no_org_reason = "党员不足 3 名".to_string();
    assert_eq!(missing_facts(&u, false), vec![UnitFact::Investor]);
    u.investor = "张三".to_string();
    assert!(missing_facts(&u, false).is_empty());
    // A unit not counted owes none.
    let closed = unit(2, UnitStatus::Closed);
    assert!(missing_facts(&closed, false).is_empty());
    let abnormal = unit(3, UnitStatus::Abnormal);
    assert!(missing_facts(&abnormal, false).is_empty());
    assert_eq!(UnitFact::NoOrgReason.label(), "未建党组织原因");
}

// ---- coverage -------------------------------------------------------------

#[test]
fn coverage_ending_mid_month_is_gone_at_month_end() {
    let units = [unit(1, UnitStatus::Normal)];
    let orgs = [org(10, Formation::Standalone, "2020-01-01")];
    let links = [link(10, 1, "2020-01-01", Some("2026-05-15"))];
    let mid = CoverageOn::new(d("2026-05-14"), &units, &orgs, &links, &[], &[]);
    assert_eq!(mid.state(&units[0]), CoverState::OrgCovered);
    assert!(mid.standalone(1));
    let end = CoverageOn::new(month("2026-05").last_day(), &units, &orgs, &links, &[], &[]);
    assert_eq!(end.state(&units[0]), CoverState::Uncovered);
    assert!(!end.org_covered(1));
    assert_eq!(end.linked_units(10).count(), 0);
    // The to-date itself is not covered (exclusive end).
    let on_to = CoverageOn::new(d("2026-05-15"), &units, &orgs, &links, &[], &[]);
    assert!(!on_to.org_covered(1));
}

#[test]
fn a_dissolved_or_voided_org_covers_nothing() {
    let units = [unit(1, UnitStatus::Normal)];
    let mut o = org(10, Formation::Joint, "2020-01-01");
    o.dissolved = Some(d("2026-05-31"));
    let links = [
        link(10, 1, "2020-01-01", None),
        link(99, 1, "2020-01-01", None),
    ];
    let c = CoverageOn::new(d("2026-05-31"), &units, &[o.clone()], &links, &[], &[]);
    assert_eq!(c.state(&units[0]), CoverState::Uncovered);
    let c = CoverageOn::new(d("2026-05-30"), &units, &[o], &links, &[], &[]);
    assert_eq!(c.state(&units[0]), CoverState::OrgCovered);
    // Joint, not standalone.
    assert!(!c.standalone(1));
}

#[test]
fn work_coverage_counts_only_counted_units() {
    let units = [
        unit(1, UnitStatus::Normal),
        unit(2, UnitStatus::Abnormal),
        unit(3, UnitStatus::Normal),
        unit(4, UnitStatus::Closed),
    ];
    let orgs = [org(10, Formation::Joint, "2020-01-01")];
    // Unit 3 is org-covered and assigned: org-covered, not work-covered.
    // Unit 4 (注销) is linked: linked for the joint limit, yet not counted.
    let links = [
        link(10, 3, "2020-01-01", None),
        link(10, 4, "2020-01-01", None),
    ];
    let ins = [instructor(5, "2020-01-01", None)];
    let asg = [
        assign(5, 1, "2020-01-01", None),
        assign(5, 2, "2020-01-01", None),
        assign(5, 3, "2020-01-01", None),
    ];
    let c = CoverageOn::new(d("2026-05-31"), &units, &orgs, &links, &ins, &asg);
    assert_eq!(c.state(&units[0]), CoverState::WorkCovered);
    assert!(c.work_covered(&units[0]));
    // An assignment to an 异常 unit covers nothing and is no assignment
    // of the rules.
    assert_eq!(c.state(&units[1]), CoverState::NotCounted);
    assert!(!c.work_covered(&units[1]));
    assert_eq!(c.state(&units[2]), CoverState::OrgCovered);
    assert!(!c.work_covered(&units[2]));
    assert_eq!(c.state(&units[3]), CoverState::NotCounted);
    assert!(c.org_covered(4));
    assert_eq!(c.linked_units(10).collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(
        c.assignments().iter().copied().collect::<Vec<_>>(),
        vec![(5, 1), (5, 3)]
    );
}

#[test]
fn an_instructor_who_left_covers_nothing() {
    let units = [unit(1, UnitStatus::Normal)];
    let ins = [instructor(5, "2020-01-01", Some("2026-05-20"))];
    let asg = [assign(5, 1, "2020-01-01", None)];
    let c = CoverageOn::new(d("2026-05-19"), &units, &[], &[], &ins, &asg);
    assert_eq!(c.state(&units[0]), CoverState::WorkCovered);
    let c = CoverageOn::new(d("2026-05-31"), &units, &[], &[], &ins, &asg);
    assert_eq!(c.state(&units[0]), CoverState::Uncovered);
    assert!(c.assignments().is_empty());
}

#[test]
fn cover_state_table() {
    use CoverState::*;
    assert_eq!(cover_state(true, true, true), OrgCovered);
    assert_eq!(cover_state(true, true, false), OrgCovered);
    assert_eq!(cover_state(true, false, true), WorkCovered);
    assert_eq!(cover_state(true, false, false), Uncovered);
    for (o, a) in [(true, true), (true, false), (false, true), (false, false)] {
        assert_eq!(cover_state(false, o, a), NotCounted);
    }
    assert_eq!(Uncovered.label(), "空白");
}

// ---- visits ---------------------------------------------------------------

#[test]
fn two_visits_a_month_with_one_visit_is_one_short() {
    let units = [unit(1, UnitStatus::Normal), unit(2, UnitStatus::Normal)];
    let ins = [
        instructor(5, "2020-01-01", None),
        instructor(6, "2020-01-01", None),
    ];
    let asg = [
        assign(5, 1, "2020-01-01", None),
        assign(5, 2, "2020-01-01", None),
    ];
    let m = month("2026-05");
    let c = CoverageOn::new(m.last_day(), &units, &[], &[], &ins, &asg);
    let visits = [
        visit(5, 1, "2026-05-10"),
        // Another month, another instructor: neither counts for (5, 2).
        visit(5, 2, "2026-04-30"),
        visit(6, 2, "2026-05-11"),
    ];
    let av = assignment_visits(&c, &visits, m);
    assert_eq!(
        av,
        vec![
            AssignmentVisits {
                instructor_id: 5,
                unit_id: 1,
                visits: 1
            },
            AssignmentVisits {
                instructor_id: 5,
                unit_id: 2,
                visits: 0
            },
        ]
    );
    assert_eq!(av[0].shortfall(2), Some(1));
    assert_eq!(av[0].shortfall(1), None);
    assert_eq!(av[1].shortfall(1), Some(1));
    assert_eq!(av[1].shortfall(2), Some(2));
}

#[test]
fn at_least_one_visit_is_needed_whatever_the_setting() {
    assert_eq!(visits_needed(0), 1);
    assert_eq!(visits_needed(-3), 1);
    assert_eq!(visits_needed(3), 3);
    let none = AssignmentVisits {
        instructor_id: 1,
        unit_id: 1,
        visits: 0,
    };
    assert_eq!(none.shortfall(0), Some(1));
}

#[test]
fn an_assignment_ending_mid_month_owes_no_visit() {
    let units = [unit(1, UnitStatus::Normal)];
    let ins = [instructor(5, "2020-01-01", None)];
    let asg = [assign(5, 1, "2020-01-01", Some("2026-05-15"))];
    let m = month("2026-05");
    let c = CoverageOn::new(m.last_day(), &units, &[], &[], &ins, &asg);
    assert!(assignment_visits(&c, &[], m).is_empty());
}

// ---- funds ----------------------------------------------------------------

#[test]
fn balances_are_opening_plus_entries() {
    let mut b =
        Balances::opening(&[(None, Fen(1_000)), (Some(1), Fen(200)), (Some(1), Fen(50))]).unwrap();
    assert_eq!(b.of(Some(1)), Fen(250));
    assert_eq!(b.of(Some(7)), Fen::ZERO);
    let e = entry(Some(1), "2026-05-03", FundDirection::Expense, 300);
    assert_eq!(b.post(&e), Some(Fen(-50)));
    let e = entry(None, "2026-05-04", FundDirection::Income, 5);
    assert_eq!(b.post(&e), Some(Fen(1_005)));
    assert_eq!(b.township(), Some(Fen(955)));
    assert_eq!(b.negative().collect::<Vec<_>>(), vec![(Some(1), Fen(-50))]);
    assert_eq!(
        b.clone().into_vec(),
        vec![(None, Fen(1_005)), (Some(1), Fen(-50))]
    );
    assert_eq!(b.iter().count(), 2);
}

#[test]
fn fund_opening_is_everything_before_the_day() {
    let es = [
        entry(None, "2026-04-30", FundDirection::Income, 100),
        entry(Some(2), "2026-04-01", FundDirection::Expense, 30),
        entry(Some(2), "2026-05-01", FundDirection::Income, 999),
    ];
    let b = fund_opening(&es, d("2026-05-01")).unwrap();
    assert_eq!(b.into_vec(), vec![(None, Fen(100)), (Some(2), Fen(-30))]);
    assert_eq!(
        fund_opening(&es, d("2026-01-01")).unwrap(),
        Balances::default()
    );
}

#[test]
fn sums_beyond_i64_are_refused() {
    assert!(Balances::opening(&[(None, Fen(i64::MAX)), (None, Fen(1))]).is_none());
    let mut b = Balances::opening(&[(Some(1), Fen(i64::MAX))]).unwrap();
    assert!(
        b.post(&entry(Some(1), "2026-05-01", FundDirection::Income, 1))
            .is_none()
    );
    let b = Balances::opening(&[(Some(1), Fen(i64::MAX)), (Some(2), Fen(1))]).unwrap();
    assert!(b.township().is_none());
    assert_eq!(closing(Fen(100), Fen(50), Fen(30)), Some(Fen(120)));
    assert_eq!(closing(Fen(i64::MAX), Fen(1), Fen(0)), None);
    assert_eq!(closing(Fen(i64::MIN), Fen(0), Fen(1)), None);
}
