//! Every SQL filter of the store that mirrors a rule of DOMAIN.md agrees
//! with the Rust rule (`domain::rules`, the records' `active_on`,
//! `formal_on` and `counted`), on the small and the large demo ledgers:
//! the coverage and "active" list filters, the facts beside a unit, an org
//! and an instructor, the month lists, the fund opening, the generation of
//! dues, the report's SQL figures, list and table counts and the recycle
//! bin.
//!
//! Each ledger is built once per run of this binary (`OnceLock`, in a
//! temporary folder) and loaded whole into a `Ledger`, the records the
//! rules run on; a test that writes works on a copy of the file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone};
use djtz::demo::{self, Scale};
use djtz::domain::dates::Month;
use djtz::domain::enums::FundDirection;
use djtz::domain::ledger::Ledger;
use djtz::domain::records::*;
use djtz::domain::rules::{self, CoverState, CoverageOn};
use djtz::domain::search::matches_filter;
use djtz::domain::warnings::WarningCode;
use djtz::report::compute;
use djtz::store::{ListFilter, Record, Store};
use tempfile::TempDir;

const TODAY: (i32, u32, u32) = (2026, 11, 22);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// A demo ledger on disk and everything live in it.
struct Fixture {
    _dir: TempDir,
    path: PathBuf,
    ledger: Ledger,
}

impl Fixture {
    fn build(scale: Scale) -> Fixture {
        let started = Instant::now();
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("demo.db");
        let ledger = {
            let mut store = Store::open(&path).unwrap();
            demo::fill(&mut store, scale, 1, &mut |_| {}, today()).unwrap();
            Ledger::load(&store).unwrap()
        };
        eprintln!(
            "{scale:?} demo ledger built and loaded in {:?}",
            started.elapsed()
        );
        Fixture {
            _dir: dir,
            path,
            ledger,
        }
    }

    /// The ledger, opened for reading (another test may hold the writer
    /// lock: then read-only, which is all a read needs).
    fn store(&self) -> Store {
        Store::open(&self.path).unwrap()
    }

    /// A private copy of the ledger file to write in.
    fn copy(&self) -> (TempDir, Store) {
        let dir = TempDir::new().unwrap();
        let path = dir.path().join("copy.db");
        self.store()
            .conn()
            .execute("VACUUM INTO ?1", [path.to_str().unwrap()])
            .unwrap();
        let store = Store::open(&path).unwrap();
        assert!(store.read_only().is_none());
        (dir, store)
    }

    /// Days the date-dependent filters are checked on: month ends, the
    /// first and the middle of months, today, over the whole ledger.
    fn days(&self) -> Vec<NaiveDate> {
        let now = Month::of(today());
        let mut out = vec![today(), now.first_day(), now.last_day()];
        for back in [1, 2, 3, 6, 12, 18, 24, 36, 48] {
            let m = now.add_months(-back);
            out.push(m.last_day());
            out.push(m.first_day() + chrono::Days::new(14));
        }
        out.push(now.next().last_day());
        out
    }

    /// Months the monthly figures are checked for: every month from the
    /// first fund entry's to the next one (small), or a spread of them
    /// (large).
    fn months(&self) -> Vec<Month> {
        let first = self
            .ledger
            .fund_entries
            .iter()
            .map(|e| e.date)
            .min()
            .map(Month::of)
            .unwrap();
        let next = Month::of(today()).next();
        let all: Vec<Month> = (0..=next.months_since(first))
            .map(|i| first.add_months(i as i32))
            .collect();
        if all.len() <= 30 {
            all
        } else {
            let n = all.len();
            all.into_iter()
                .enumerate()
                .filter(|(i, _)| i % 6 == 0 || *i + 4 >= n)
                .map(|(_, m)| m)
                .collect()
        }
    }

    fn cover(&self, day: NaiveDate) -> CoverageOn {
        let l = &self.ledger;
        CoverageOn::new(
            day,
            &l.units,
            &l.orgs,
            &l.coverages,
            &l.instructors,
            &l.assignments,
        )
    }
}

fn small() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| Fixture::build(Scale::Small))
}

fn large() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| Fixture::build(Scale::Large))
}

/// Each check runs on both ledgers, as two tests (the time each takes is
/// printed, seen with `--nocapture`).
macro_rules! on_both {
    ($check:ident) => {
        mod $check {
            #[test]
            fn small() {
                super::timed(
                    stringify!($check),
                    "small",
                    || super::$check(super::small()),
                );
            }
            #[test]
            fn large() {
                let f = super::large();
                super::timed(stringify!($check), "large", || super::$check(f));
            }
        }
    };
}

fn timed(check: &str, scale: &str, f: impl FnOnce()) {
    let started = Instant::now();
    f();
    eprintln!("{check} on the {scale} ledger: {:?}", started.elapsed());
}

/// Every id a filtered list shows, paging through it as the screens do,
/// with the list's own total checked against the rows.
fn listed<R: Record>(
    store: &Store,
    text: &str,
    fixed: &[ListFilter],
    day: NaiveDate,
) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut offset = 0;
    let total = loop {
        let page = store
            .page_filtered::<R>(text, fixed, day, offset, 500, None)
            .unwrap();
        let n = page.rows.len() as i64;
        for r in &page.rows {
            assert!(ids.insert(r.id()), "{} listed twice", r.id());
        }
        offset += n;
        if n == 0 || offset >= page.total {
            break page.total;
        }
    };
    assert_eq!(total, ids.len() as i64, "{fixed:?} {text:?}: total vs rows");
    ids
}

fn ids<'a, T: 'a>(items: impl IntoIterator<Item = &'a T>, id: impl Fn(&T) -> i64) -> BTreeSet<i64> {
    items.into_iter().map(id).collect()
}

// ---------------------------------------------------------------------------
// List filters
// ---------------------------------------------------------------------------

const STATES: [CoverState; 4] = [
    CoverState::OrgCovered,
    CoverState::WorkCovered,
    CoverState::Uncovered,
    CoverState::NotCounted,
];

/// 覆盖=… lists the units whose `CoverageOn::state` it names, on any day,
/// alone and beside a typed filter.
fn unit_cover_filters(f: &Fixture) {
    let store = f.store();
    let units = &f.ledger.units;
    // A word most names have and some do not, so the text filter matters.
    let word = "有限";
    let named: BTreeSet<i64> = ids(
        units.iter().filter(|u| {
            [
                &u.name,
                &u.village,
                &u.industry,
                &u.investor,
                &u.credit_code,
            ]
            .iter()
            .any(|t| matches_filter(word, t))
        }),
        |u| u.id,
    );
    assert!(!named.is_empty() && named.len() < units.len());
    for day in f.days() {
        let cov = f.cover(day);
        let mut seen = 0;
        for s in STATES {
            let want = ids(units.iter().filter(|u| cov.state(u) == s), |u| u.id);
            let got = listed::<Unit>(&store, "", &[ListFilter::UnitCover(s)], day);
            assert_eq!(got, want, "覆盖={} on {day}", s.label());
            let got = listed::<Unit>(&store, word, &[ListFilter::UnitCover(s)], day);
            let want_named: BTreeSet<i64> = want.intersection(&named).copied().collect();
            assert_eq!(got, want_named, "{word} 覆盖={} on {day}", s.label());
            seen += want.len();
        }
        assert_eq!(seen, units.len(), "every unit has one state on {day}");
    }
    // The ledger has some of each at month end.
    let cov = f.cover(Month::of(today()).last_day());
    for s in STATES {
        assert!(
            units.iter().any(|u| cov.state(u) == s),
            "no unit {}",
            s.label()
        );
    }
}
on_both!(unit_cover_filters);

/// 未撤销 and 在任 list the orgs and instructors active at the end of the
/// day.
fn active_filters(f: &Fixture) {
    let store = f.store();
    for day in f.days() {
        let want = ids(f.ledger.orgs.iter().filter(|o| o.active_on(day)), |o| o.id);
        let got = listed::<PartyOrg>(&store, "", &[ListFilter::OrgActive], day);
        assert_eq!(got, want, "未撤销 on {day}");
        let want = ids(
            f.ledger.instructors.iter().filter(|i| i.active_on(day)),
            |i| i.id,
        );
        let got = listed::<Instructor>(&store, "", &[ListFilter::InstructorActive], day);
        assert_eq!(got, want, "在任 on {day}");
    }
}
on_both!(active_filters);

// ---------------------------------------------------------------------------
// Facts beside a record
// ---------------------------------------------------------------------------

/// Active and formal members on `day` among `members`.
fn member_counts<'a>(members: impl Iterator<Item = &'a Member>, day: NaiveDate) -> (i64, i64) {
    let active: Vec<&Member> = members.filter(|m| m.active_on(day)).collect();
    let formal = active.iter().filter(|m| m.formal_on(day)).count();
    (active.len() as i64, formal as i64)
}

/// Which units a sample of days' facts are checked for: all on the small
/// ledger, every seventh on the large one (thousands of queries each).
fn sample<T>(v: &[T], large: bool) -> impl Iterator<Item = &T> {
    let step = if large { 7 } else { 1 };
    v.iter().step_by(step)
}

/// A unit's coverage line, its orgs and instructors, and its members.
fn unit_facts(f: &Fixture) {
    let store = f.store();
    let l = &f.ledger;
    let large = l.units.len() > 500;
    let orgs: HashMap<i64, &PartyOrg> = l.orgs.iter().map(|o| (o.id, o)).collect();
    let instructors: HashMap<i64, &Instructor> = l.instructors.iter().map(|i| (i.id, i)).collect();
    for day in [today(), Month::of(today()).add_months(-7).last_day()] {
        let cov = f.cover(day);
        for u in sample(&l.units, large) {
            let facts = store.unit_facts(u.id, day).unwrap();
            assert_eq!(
                facts.state(u.counted()),
                cov.state(u),
                "{} on {day}",
                u.name
            );
            let want_orgs: BTreeSet<(String, String)> = l
                .coverages
                .iter()
                .filter(|c| c.unit_id == u.id && c.active_on(day))
                .filter_map(|c| orgs.get(&c.org_id))
                .filter(|o| o.active_on(day))
                .map(|o| (o.name.clone(), o.formation.label().to_string()))
                .collect();
            let got_orgs: BTreeSet<(String, String)> = facts
                .orgs
                .iter()
                .map(|(n, k)| (n.clone(), k.label().to_string()))
                .collect();
            assert_eq!(got_orgs, want_orgs, "{} on {day}", u.name);
            assert_eq!(!want_orgs.is_empty(), cov.org_covered(u.id));
            let want_ins: BTreeSet<String> = l
                .assignments
                .iter()
                .filter(|a| a.unit_id == u.id && a.active_on(day))
                .filter_map(|a| instructors.get(&a.instructor_id))
                .filter(|i| i.active_on(day))
                .map(|i| i.name.clone())
                .collect();
            let got_ins: BTreeSet<String> = facts.instructors.iter().cloned().collect();
            assert_eq!(got_ins, want_ins, "{} on {day}", u.name);
            let want = member_counts(l.members.iter().filter(|m| m.unit_id == Some(u.id)), day);
            assert_eq!((facts.members, facts.formal), want, "{} on {day}", u.name);
        }
    }
}
on_both!(unit_facts);

/// An org's linked units (what the joint-branch limit counts), each with
/// its formal members, and the org's own members.
fn org_facts(f: &Fixture) {
    let store = f.store();
    let l = &f.ledger;
    let large = l.units.len() > 500;
    let units: HashMap<i64, &Unit> = l.units.iter().map(|u| (u.id, u)).collect();
    for day in [Month::of(today()).last_day(), today()] {
        let cov = f.cover(day);
        for o in sample(&l.orgs, large) {
            let facts = store.org_facts(o, day).unwrap();
            let linked: Vec<i64> = l
                .coverages
                .iter()
                .filter(|c| c.org_id == o.id && c.active_on(day) && units.contains_key(&c.unit_id))
                .map(|c| c.unit_id)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let want: BTreeMap<String, i64> = linked
                .iter()
                .map(|id| {
                    let formal =
                        member_counts(l.members.iter().filter(|m| m.unit_id == Some(*id)), day).1;
                    (units[id].name.clone(), formal)
                })
                .collect();
            let got: BTreeMap<String, i64> = facts.units.iter().cloned().collect();
            assert_eq!(got, want, "{} on {day}", o.name);
            if o.active_on(day) {
                assert_eq!(
                    cov.linked_units(o.id).collect::<Vec<_>>(),
                    linked,
                    "{} on {day}",
                    o.name
                );
            }
            let want = member_counts(l.members.iter().filter(|m| m.org_id == o.id), day);
            assert_eq!((facts.members, facts.formal), want, "{} on {day}", o.name);
        }
    }
}
on_both!(org_facts);

/// An instructor's units, visits this month, and the unit a new visit
/// suggests (least recently visited of the active assignments).
fn instructor_facts(f: &Fixture) {
    let store = f.store();
    let l = &f.ledger;
    let units: HashMap<i64, &Unit> = l.units.iter().map(|u| (u.id, u)).collect();
    let mut assignments: HashMap<i64, Vec<&Assignment>> = HashMap::new();
    for a in &l.assignments {
        assignments.entry(a.instructor_id).or_default().push(a);
    }
    let mut visits: HashMap<i64, Vec<&Visit>> = HashMap::new();
    for v in &l.visits {
        visits.entry(v.instructor_id).or_default().push(v);
    }
    for day in [today(), Month::of(today()).add_months(-3).last_day()] {
        let month = Month::of(day);
        for i in &l.instructors {
            let facts = store.instructor_facts(i.id, day).unwrap();
            let mine: BTreeSet<i64> = assignments
                .get(&i.id)
                .into_iter()
                .flatten()
                .filter(|a| a.active_on(day) && units.contains_key(&a.unit_id))
                .map(|a| a.unit_id)
                .collect();
            let mut want: Vec<String> = mine.iter().map(|u| units[u].name.clone()).collect();
            want.sort();
            let mut got = facts.units.clone();
            got.sort();
            assert_eq!(got, want, "{} on {day}", i.name);
            let theirs = visits.get(&i.id).map(Vec::as_slice).unwrap_or(&[]);
            let in_month = theirs.iter().filter(|v| month.contains(v.date)).count() as i64;
            assert_eq!(facts.visits_in_month, in_month, "{} on {day}", i.name);
            // Never visited first, then the oldest last visit, then by name.
            let key = |u: i64| {
                let last = theirs
                    .iter()
                    .filter(|v| v.unit_id == u)
                    .map(|v| v.date)
                    .max();
                (last.is_some(), last, units[&u].name.clone())
            };
            let want = mine.iter().map(|&u| key(u)).min();
            let got = store
                .least_recently_visited(i.id, day)
                .unwrap()
                .map(|(u, _)| key(u));
            assert_eq!(got, want, "{} on {day}", i.name);
        }
    }
}
on_both!(instructor_facts);

// ---------------------------------------------------------------------------
// Months, funds, dues
// ---------------------------------------------------------------------------

/// The month views' meetings and fund entries are those dated in the month.
fn month_lists(f: &Fixture) {
    let store = f.store();
    for m in f.months() {
        let want = ids(
            f.ledger.meetings.iter().filter(|x| m.contains(x.date)),
            |x| x.id,
        );
        let got = ids(&store.meetings_in_month(m).unwrap(), |x| x.id);
        assert_eq!(got, want, "meetings of {m}");
        let want = ids(
            f.ledger.fund_entries.iter().filter(|x| m.contains(x.date)),
            |x| x.id,
        );
        let got = ids(&store.fund_entries_in_month(m).unwrap(), |x| x.id);
        assert_eq!(got, want, "fund entries of {m}");
    }
}
on_both!(month_lists);

/// `Store::fund_opening` is `rules::fund_opening` over the entries.
fn fund_opening(f: &Fixture) {
    let store = f.store();
    for m in f.months() {
        let want = rules::fund_opening(&f.ledger.fund_entries, m.first_day())
            .unwrap()
            .into_vec();
        assert_eq!(store.fund_opening(m).unwrap(), want, "opening of {m}");
    }
}
on_both!(fund_opening);

/// 生成本月党费 makes a row for exactly the members of the org who owe dues
/// (`rules::owes_dues`) and have none, in the month after today's (no rows
/// yet) and in today's month (some rows already).
fn generate_dues(f: &Fixture) {
    let (_dir, mut store) = f.copy();
    let l = &f.ledger;
    let orgs: HashMap<i64, &PartyOrg> = l.orgs.iter().map(|o| (o.id, o)).collect();
    let now = Month::of(today());
    for month in [now.next(), now] {
        let before: BTreeSet<i64> = l
            .dues
            .iter()
            .filter(|d| d.month == month)
            .map(|d| d.member_id)
            .collect();
        let mut added = 0;
        for o in &l.orgs {
            added += store
                .generate_dues(o.id, month, l.settings.farmer_dues_fen)
                .unwrap();
        }
        let owing: BTreeSet<i64> = l
            .members
            .iter()
            .filter(|m| orgs.contains_key(&m.org_id))
            .filter(|m| rules::owes_dues(m, orgs.get(&m.org_id).copied(), month))
            .map(|m| m.id)
            .collect();
        let after: Vec<Dues> = store
            .page::<Dues>(&djtz::store::PageQuery {
                condition: Some((
                    "month = ?".to_string(),
                    vec![rusqlite::types::Value::Text(month.to_string())],
                )),
                limit: 1_000_000,
                ..Default::default()
            })
            .unwrap()
            .rows;
        let new: BTreeSet<i64> = after
            .iter()
            .map(|d| d.member_id)
            .filter(|id| !before.contains(id))
            .collect();
        let want: BTreeSet<i64> = owing.difference(&before).copied().collect();
        assert_eq!(new, want, "rows generated for {month}");
        assert_eq!(added, want.len(), "{month}");
        // Every new row is in the member's own org.
        let member_org: HashMap<i64, i64> = l.members.iter().map(|m| (m.id, m.org_id)).collect();
        for d in after.iter().filter(|d| new.contains(&d.member_id)) {
            assert_eq!(Some(&d.org_id), member_org.get(&d.member_id));
        }
        if month == now.next() {
            assert!(before.is_empty() && !want.is_empty());
        }
    }
}
on_both!(generate_dues);

// ---------------------------------------------------------------------------
// The report's SQL figures and counts
// ---------------------------------------------------------------------------

/// `Store::report_sql_figures` (the benchmark's yardstick) gives the
/// rules' figures.
fn report_sql_figures(f: &Fixture) {
    let store = f.store();
    let l = &f.ledger;
    let at = FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(today().year(), today().month(), today().day(), 9, 0, 0)
        .unwrap();
    for m in f.months() {
        let (first, end) = (m.first_day(), m.last_day());
        let s = store.report_sql_figures(m).unwrap();
        let cov = f.cover(end);
        let counted: Vec<&Unit> = l.units.iter().filter(|u| u.counted()).collect();
        assert_eq!(s.units_total, counted.len() as i64, "{m}");
        let org_covered = counted
            .iter()
            .filter(|u| cov.state(u) == CoverState::OrgCovered);
        assert_eq!(s.units_org_covered, org_covered.count() as i64, "{m}");
        let orgs = l.orgs.iter().filter(|o| o.active_on(end)).count() as i64;
        assert_eq!(s.orgs_total, orgs, "{m}");
        let (members, formal) = member_counts(l.members.iter(), end);
        assert_eq!(
            (s.members_total, s.members_formal),
            (members, formal),
            "{m}"
        );
        let in_m: Vec<&Meeting> = l.meetings.iter().filter(|x| m.contains(x.date)).collect();
        assert_eq!(s.meetings_in_month, in_m.len() as i64, "{m}");
        let rows: usize = in_m.iter().map(|x| x.attendance.len()).sum();
        let present: usize = in_m.iter().map(|x| x.tally().1).sum();
        assert_eq!(
            (s.attendance_rows, s.attendance_present),
            (rows as i64, present as i64)
        );
        let visits = l.visits.iter().filter(|v| m.contains(v.date)).count() as i64;
        assert_eq!(s.visits_in_month, visits, "{m}");
        let opening = rules::fund_opening(&l.fund_entries, first).unwrap();
        assert_eq!(Some(s.fund_opening), opening.township(), "{m}");
        let sum = |d: FundDirection| {
            l.fund_entries
                .iter()
                .filter(|e| m.contains(e.date) && e.direction == d)
                .map(|e| e.amount)
                .sum()
        };
        assert_eq!(s.fund_income, sum(FundDirection::Income), "{m}");
        assert_eq!(s.fund_expense, sum(FundDirection::Expense), "{m}");
        let rows: Vec<&Dues> = l.dues.iter().filter(|d| d.month == m).collect();
        assert_eq!(s.dues_due, rows.iter().map(|d| d.due).sum(), "{m}");
        assert_eq!(s.dues_paid, rows.iter().map(|d| d.paid).sum(), "{m}");
        // compute over the whole large ledger takes seconds in a debug
        // build: the last months only there.
        if l.units.len() > 500 && Month::of(today()).months_since(m) > 2 {
            continue;
        }
        // The six-month rule is compute's: the same members as its warnings.
        let r = compute(l, m, at).unwrap();
        let quiet = r
            .warnings
            .iter()
            .filter(|w| w.code == WarningCode::MemberNoActivity6m)
            .count() as i64;
        assert_eq!(s.members_no_activity_6m, quiet, "{m}");
        // And compute's own figures are the rules' too.
        assert_eq!(r.funds.opening_fen, s.fund_opening, "{m}");
        assert_eq!(r.coverage.units_org_covered, s.units_org_covered, "{m}");
        let work = counted.iter().filter(|u| cov.work_covered(u)).count() as i64;
        assert_eq!(r.coverage.units_work_covered, work, "{m}");
        let orgs: HashMap<i64, &PartyOrg> = l.orgs.iter().map(|o| (o.id, o)).collect();
        let due = l
            .members
            .iter()
            .filter(|x| rules::owes_dues(x, orgs.get(&x.org_id).copied(), m))
            .count() as i64;
        assert_eq!(r.dues.members_due, due, "{m}");
    }
}
on_both!(report_sql_figures);

/// Counts of live rows are the ledger's records; the recycle bin holds
/// exactly what was voided, and a voided record leaves every rule's input
/// and every filtered list.
fn counts_and_bin(f: &Fixture) {
    let (_dir, mut store) = f.copy();
    let l = &f.ledger;
    assert_eq!(store.count::<Unit>().unwrap(), l.units.len() as i64);
    assert_eq!(store.count::<PartyOrg>().unwrap(), l.orgs.len() as i64);
    assert_eq!(store.count::<Coverage>().unwrap(), l.coverages.len() as i64);
    assert_eq!(store.count::<Member>().unwrap(), l.members.len() as i64);
    assert_eq!(
        store.count::<Instructor>().unwrap(),
        l.instructors.len() as i64
    );
    assert_eq!(
        store.count::<Assignment>().unwrap(),
        l.assignments.len() as i64
    );
    assert_eq!(store.count::<Visit>().unwrap(), l.visits.len() as i64);
    assert_eq!(store.count::<Meeting>().unwrap(), l.meetings.len() as i64);
    assert_eq!(
        store.count::<FundEntry>().unwrap(),
        l.fund_entries.len() as i64
    );
    assert_eq!(store.count::<Dues>().unwrap(), l.dues.len() as i64);
    assert!(store.recycle_bin().unwrap().is_empty());

    // Void an org-covered unit, a work-covered one, and a standalone org.
    let end = Month::of(today()).last_day();
    let cov = f.cover(end);
    let by_state = |s: CoverState| l.units.iter().find(|u| cov.state(u) == s).unwrap();
    let (a, b) = (
        by_state(CoverState::OrgCovered),
        by_state(CoverState::WorkCovered),
    );
    let org = l
        .orgs
        .iter()
        .find(|o| o.active_on(end) && cov.linked_units(o.id).count() > 0)
        .unwrap();
    store
        .bin_action("units", a.id, djtz::store::BinAction::Void)
        .unwrap();
    store
        .bin_action("units", b.id, djtz::store::BinAction::Void)
        .unwrap();
    store
        .bin_action("party_orgs", org.id, djtz::store::BinAction::Void)
        .unwrap();
    let bin: BTreeSet<(&str, i64)> = store
        .recycle_bin()
        .unwrap()
        .iter()
        .map(|i| (i.table, i.id))
        .collect();
    let want: BTreeSet<(&str, i64)> =
        [("units", a.id), ("units", b.id), ("party_orgs", org.id)].into();
    assert_eq!(bin, want);
    assert_eq!(store.count::<Unit>().unwrap(), l.units.len() as i64 - 2);
    assert_eq!(store.count::<PartyOrg>().unwrap(), l.orgs.len() as i64 - 1);
    // The filters and the rules on what is left agree again.
    let voided_units = [a.id, b.id];
    let left_units: Vec<Unit> = l
        .units
        .iter()
        .filter(|u| !voided_units.contains(&u.id))
        .cloned()
        .collect();
    let left_orgs: Vec<PartyOrg> = l.orgs.iter().filter(|o| o.id != org.id).cloned().collect();
    let cov = CoverageOn::new(
        end,
        &left_units,
        &left_orgs,
        &l.coverages,
        &l.instructors,
        &l.assignments,
    );
    for s in STATES {
        let want = ids(left_units.iter().filter(|u| cov.state(u) == s), |u| u.id);
        let got = listed::<Unit>(&store, "", &[ListFilter::UnitCover(s)], end);
        assert_eq!(got, want, "覆盖={} after voiding", s.label());
        assert!(!got.contains(&a.id) && !got.contains(&b.id));
    }
    let want = ids(left_orgs.iter().filter(|o| o.active_on(end)), |o| o.id);
    assert_eq!(
        listed::<PartyOrg>(&store, "", &[ListFilter::OrgActive], end),
        want
    );
    // Restored, everything is as before.
    store
        .bin_action("units", a.id, djtz::store::BinAction::Restore)
        .unwrap();
    store
        .bin_action("units", b.id, djtz::store::BinAction::Restore)
        .unwrap();
    store
        .bin_action("party_orgs", org.id, djtz::store::BinAction::Restore)
        .unwrap();
    assert!(store.recycle_bin().unwrap().is_empty());
    let cov = f.cover(end);
    for s in STATES {
        let want = ids(l.units.iter().filter(|u| cov.state(u) == s), |u| u.id);
        assert_eq!(
            listed::<Unit>(&store, "", &[ListFilter::UnitCover(s)], end),
            want
        );
    }
}
on_both!(counts_and_bin);

#[test]
fn the_large_ledger_is_large() {
    let l = &large().ledger;
    assert!(
        l.units.len() >= 2_000 && l.members.len() >= 12_000,
        "{}",
        l.units.len()
    );
}
