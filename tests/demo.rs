//! The demo ledgers: deterministic for a seed, refused on a non-empty
//! ledger, and planted with every warning of DOMAIN.md so that reports
//! have something to show.

use std::collections::BTreeSet;

use chrono::{FixedOffset, NaiveDate, TimeZone};
use djtz::demo::{self, Scale};
use djtz::domain::dates::Month;
use djtz::domain::ledger::Ledger;
use djtz::report::compute;
use djtz::store::Store;
use tempfile::TempDir;

const TODAY: (i32, u32, u32) = (2026, 11, 22);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

fn small(path: &std::path::Path, seed: u64) -> Store {
    let mut store = Store::open(path).unwrap();
    demo::fill(&mut store, Scale::Small, seed, &mut |_| {}, today()).unwrap();
    store
}

/// Every row of every record table, as text, in id order.
fn dump(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for table in [
        "units",
        "party_orgs",
        "coverages",
        "members",
        "instructors",
        "assignments",
        "visits",
        "assessments",
        "meetings",
        "attendance",
        "fund_entries",
        "dues",
        "settings",
    ] {
        let mut st = store
            .conn()
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
            .unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut s = String::from(table);
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!("|{v:?}"));
                }
                Ok(s)
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

#[test]
fn small_demo_is_identical_for_one_seed() {
    let dir = TempDir::new().unwrap();
    let a = small(&dir.path().join("a.db"), 7);
    let b = small(&dir.path().join("b.db"), 7);
    let (da, db) = (dump(&a), dump(&b));
    assert!(da.len() > 10_000);
    assert!(da == db, "two fills with seed 7 differ");
    let c = small(&dir.path().join("c.db"), 8);
    assert!(dump(&c) != da, "another seed gives other data");
}

#[test]
fn small_demo_has_the_size_of_a_township() {
    let dir = TempDir::new().unwrap();
    let s = small(&dir.path().join("s.db"), 1);
    use djtz::domain::records::*;
    assert_eq!(s.count::<Unit>().unwrap(), 60);
    assert_eq!(s.count::<PartyOrg>().unwrap(), 25);
    assert_eq!(s.count::<Member>().unwrap(), 300);
    assert_eq!(s.count::<Instructor>().unwrap(), 12);
    // Two years of meetings, funds and dues.
    let (first, last): (String, String) = s
        .conn()
        .query_row("SELECT min(date), max(date) FROM meetings", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(first.as_str() <= "2024-12-31", "{first}");
    assert!(last.as_str() <= "2026-11-22", "{last}");
    assert!(s.count::<FundEntry>().unwrap() > 100);
    assert!(s.count::<Dues>().unwrap() > 24 * 200);
    assert!(s.integrity_problems().unwrap().is_empty());
}

#[test]
fn demo_refuses_a_ledger_with_data() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("s.db");
    drop(small(&db, 1));
    let before = std::fs::read(&db).unwrap();
    let out = assert_cmd::Command::cargo_bin("djtz")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .arg("demo")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("已有数据") && err.contains("[not-empty]"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn small_demo_plants_every_warning() {
    let dir = TempDir::new().unwrap();
    let s = small(&dir.path().join("s.db"), 1);
    let ledger = Ledger::load(&s).unwrap();
    let at = FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 22, 9, 0, 0)
        .unwrap();
    // The current month and the months before it (quarter end and
    // December-only rules need their months).
    let mut codes = BTreeSet::new();
    let mut m = Month::new(2026, 11).unwrap();
    for _ in 0..12 {
        let r = compute(&ledger, m, at).unwrap();
        for w in &r.warnings {
            codes.insert(w.code.to_string());
        }
        m = m.prev();
    }
    let want = [
        "unit_members_no_org",
        "unit_uncovered",
        "unit_qualifies_standalone",
        "unit_facts_incomplete",
        "joint_branch_too_many_units",
        "branch_too_few_members",
        "branch_too_large",
        "committee_required",
        "term_expired",
        "org_missing_meetings",
        "meeting_no_quorum",
        "member_no_activity_6m",
        "instructor_no_visit",
        "fund_negative_balance",
        "dues_unpaid",
    ];
    let missing: Vec<&str> = want
        .iter()
        .copied()
        .filter(|c| !codes.contains(*c))
        .collect();
    assert!(missing.is_empty(), "not planted: {missing:?}");
}
