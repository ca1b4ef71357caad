//! A realistic demo ledger, deterministic by seed.
//!
//! `fill` plans a whole township (or development zone) in memory — units,
//! party orgs with their coverage, members, instructors — then writes it in
//! one demo change, and walks the months from the oldest to `today`'s
//! month generating 三会一课 with attendance, instructor visits, fund
//! entries and dues as it goes. Nothing depends on the clock or on hash
//! order: the same seed and `today` give byte-identical data.
//!
//! Some of every warning of DOMAIN.md is planted on purpose in the current
//! and recent months (see `plant`), everything else is generated so that it
//! complies with the rules.
//!
//! This file holds the plan's types and the generator's state; one file per
//! part of the plan: `people` (names and ID numbers), `units`, `orgs`,
//! `members`, `instructors` (with their visits and assessments), `plant`
//! (the planted warnings), `write` (inserting the plan, walking the
//! months), `meetings`, `funds` and `dues`; `rng` is the deterministic
//! random source and date helpers, `words` the word lists.

mod dues;
mod funds;
mod instructors;
mod meetings;
mod members;
mod orgs;
mod people;
mod plant;
mod rng;
mod units;
mod words;
mod write;

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::domain::dates::Month;
use crate::domain::enums::{NewEmployment, OrgType, PersonType, UnitKind};
use crate::domain::records::{Assignment, Instructor, Meeting, Member, PartyOrg, Unit};
use crate::error::Result;
use crate::store::Store;
use rng::Rng;
use words::{FEMALE_CHARS, MALE_CHARS, PLACE_STEMS, TOWN_ROADS, TOWNSHIPS, ZONE_ROADS};

/// How big a demo ledger to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// One township: 60 units, 25 orgs, 300 members, two years.
    Small,
    /// A big development zone: 2,000 units, 800 orgs, 12,000 members, five years.
    Large,
}

/// What `fill` wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub units: usize,
    pub orgs: usize,
    pub members: usize,
    pub instructors: usize,
    pub meetings: usize,
    pub attendance_rows: usize,
    pub fund_entries: usize,
    pub dues_rows: usize,
    pub visits: usize,
}

/// Fills an empty ledger (the caller checks emptiness) with demo data
/// relative to `today`, in one demo change, then sets the township name and
/// the sign-off names in the settings.
pub fn fill(
    store: &mut Store,
    scale: Scale,
    seed: u64,
    progress: &mut dyn FnMut(&str),
    today: NaiveDate,
) -> Result<DemoSummary> {
    let farmer_fen = store.settings()?.farmer_dues_fen;
    let mut g = Gen::new(scale, seed, today, farmer_fen);

    progress("正在生成单位和党组织…");
    g.build_structure();
    progress("正在生成党员…");
    g.build_members();
    progress("正在生成党建工作指导员…");
    g.build_instructors();
    g.plant();

    // A bigger page cache while writing millions of rows in one
    // transaction (fewer spills and re-reads); the old size comes back after.
    let cache: i64 = store
        .conn()
        .pragma_query_value(None, "cache_size", |r| r.get(0))?;
    store.conn().pragma_update(None, "cache_size", -65_536)?;
    let written = write::write_all(store, &mut g, progress);
    store.conn().pragma_update(None, "cache_size", cache)?;
    written?;

    let mut settings = store.settings()?;
    settings.township = g.township.clone();
    settings.preparer = g.preparer.clone();
    settings.reviewer = g.reviewer.clone();
    settings.head = g.head.clone();
    store.save_settings(&settings)?;
    progress("演示台账生成完毕");
    Ok(g.summary)
}

// ---------------------------------------------------------------------------
// Plan types
// ---------------------------------------------------------------------------

/// Meeting kinds as bits of `MeetingKind::ALL` (as stored).
const MA: u8 = 1; // 支部党员大会
const BC: u8 = 2; // 支部委员会
const GM: u8 = 4; // 党小组会
const PL: u8 = 8; // 党课
const TD: u8 = 16; // 主题党日
const LM: u8 = 32; // 组织生活会
const AP: u8 = 64; // 民主评议党员

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Enterprise,
    BigEnterprise,
    Mixed,
    Association,
    Chamber,
    ServiceCentre,
    School,
    LawFirm,
    Courier,
    Delivery,
    RideHailing,
    Freight,
    Streaming,
    Project,
}

impl Flavor {
    fn kind(self) -> UnitKind {
        match self {
            Flavor::Enterprise | Flavor::BigEnterprise | Flavor::Project => UnitKind::NonPublic,
            Flavor::Mixed => UnitKind::Mixed,
            Flavor::Association
            | Flavor::Chamber
            | Flavor::ServiceCentre
            | Flavor::School
            | Flavor::LawFirm => UnitKind::Social,
            Flavor::Courier
            | Flavor::Delivery
            | Flavor::RideHailing
            | Flavor::Freight
            | Flavor::Streaming => UnitKind::NewEconomy,
        }
    }

    fn new_employment(self) -> Option<NewEmployment> {
        match self {
            Flavor::Courier => Some(NewEmployment::Courier),
            Flavor::Delivery => Some(NewEmployment::Delivery),
            Flavor::RideHailing => Some(NewEmployment::RideHailing),
            Flavor::Freight => Some(NewEmployment::Trucker),
            Flavor::Streaming => Some(NewEmployment::Streamer),
            _ => None,
        }
    }
}

/// How an uncovered unit is reached (or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitRole {
    Covered,
    /// An instructor is assigned (工作覆盖).
    WorkCovered,
    /// Members but no org (planted `unit_members_no_org`).
    NoOrg,
    /// Neither (planted `unit_uncovered`).
    Blank,
    /// 异常 or 注销, not counted.
    Inactive,
}

struct UnitGen {
    rec: Unit,
    flavor: Flavor,
    village: usize,
    chain: u8,
    role: UnitRole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrgRole {
    Top,
    Mid,
    EnterpriseGeneral,
    EnterpriseSub,
    Standalone,
    Joint,
    Regional,
    Industry,
    Temporary,
    Dissolved,
}

/// Organisation-rule warnings planted when the org is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrgPlant {
    None,
    TooFew,
    TooFewByTransfer,
    TooLarge,
    NeedsCommittee,
    TooManyUnits,
    QualifiesStandalone,
}

struct OrgGen {
    rec: PartyOrg,
    role: OrgRole,
    plant: OrgPlant,
    parent: Option<usize>,
    /// Covered units with from/to dates.
    units: Vec<(usize, NaiveDate, Option<NaiveDate>)>,
    /// Uncovered units whose members belong here (planted no-org units).
    hosted: Vec<usize>,
    members: Vec<usize>,
    size: usize,
    committee_size: usize,
    groups: u8,
    /// New-employment group of members without a unit (industry branches).
    ne_kind: Option<NewEmployment>,
    home_place: String,
    theme_day: u32,
    lesson_offset: i32,
    lesson_with_theme: bool,
    yearly_in_november: bool,
    /// (month, kinds) not held: planted `org_missing_meetings`.
    skips: Vec<(Month, u8)>,
    /// Months with an extra 支部党员大会 without quorum.
    no_quorum: Vec<Month>,
    /// Overspends in this month and gets no income afterwards.
    overspend: Option<Month>,
    frozen: bool,
    balance: i64,
    voucher_year: i32,
    voucher_seq: u32,
    enterprise_money: bool,
}

impl OrgGen {
    fn is_branch(&self) -> bool {
        self.rec.org_type == OrgType::Branch
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MemberKind {
    /// Joined long ago, never leaves, attends reliably.
    Core,
    /// Joined long ago, never leaves.
    Stable,
    /// Anything: may be new, may transfer out, may float.
    Normal,
    /// Joined between the two dates (probationary at first).
    Fresh(NaiveDate, NaiveDate),
}

struct MemberGen {
    rec: Member,
    org: usize,
    group: u8,
    committee: bool,
    reliability: u16,
    /// From this date on never present (planted `member_no_activity_6m`).
    quiet_from: Option<NaiveDate>,
    person: PersonType,
    /// 计算基数 in fen in the first year of the span.
    base: i64,
    /// Pays late in batches (floating members).
    late_payer: bool,
    /// Prepays a quarter at a time (retired members).
    quarterly: bool,
    /// Approved 少交/免交: the manual due in fen.
    manual_due: Option<i64>,
}

struct InstructorGen {
    rec: Instructor,
}

struct AssignmentGen {
    rec: Assignment,
    instructor: usize,
    unit: usize,
    /// Months without a visit (planted `instructor_no_visit`).
    skip: Vec<Month>,
}

/// The committees and general branches that branches report to.
#[derive(Debug, Default)]
struct Parents {
    top: usize,
    /// By industry chain (`INDUSTRIES`): 1 电子信息, 2 光伏新能源, 3 汽车.
    chain: [usize; 4],
    express: usize,
    social: usize,
    /// Area general branches, by village.
    areas: Vec<usize>,
}

/// Sizes of the two scales.
struct Config {
    large: bool,
    units: usize,
    members: usize,
    instructors: usize,
    months: i32,
    enterprise_general: usize,
    standalone: usize,
    joint: usize,
    regional: usize,
    industry: usize,
    temporary: usize,
    dissolved: usize,
    /// Planted warnings per kind.
    k: usize,
    /// Uncovered 异常/注销 units.
    inactive: usize,
}

impl Config {
    fn of(scale: Scale) -> Config {
        match scale {
            Scale::Small => Config {
                large: false,
                units: 60,
                members: 300,
                instructors: 12,
                months: 24,
                enterprise_general: 0,
                standalone: 15,
                joint: 4,
                regional: 2,
                industry: 1,
                temporary: 1,
                dissolved: 1,
                k: 1,
                inactive: 2,
            },
            Scale::Large => Config {
                large: true,
                units: 2000,
                members: 12_000,
                instructors: 300,
                months: 60,
                enterprise_general: 6,
                standalone: 608,
                joint: 96,
                regional: 24,
                industry: 16,
                temporary: 8,
                dissolved: 12,
                k: 6,
                inactive: 30,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------

struct Gen {
    rng: Rng,
    cfg: Config,
    today: NaiveDate,
    cur: Month,
    start: Month,
    farmer_fen: i64,

    township: String,
    /// 洋口镇 / 上饶经开区: used in org and unit names.
    town: String,
    county: String,
    region: String,
    preparer: String,
    reviewer: String,
    head: String,
    villages: Vec<String>,
    roads: Vec<String>,
    name_prefixes: Vec<String>,
    male_chars: Vec<char>,
    female_chars: Vec<char>,

    person_names: BTreeSet<String>,
    unit_names: BTreeSet<String>,
    org_names: BTreeSet<String>,
    id_numbers: BTreeSet<String>,

    units: Vec<UnitGen>,
    orgs: Vec<OrgGen>,
    parents: Parents,
    members: Vec<MemberGen>,
    instructors: Vec<InstructorGen>,
    assignments: Vec<AssignmentGen>,

    town_balance: i64,
    town_voucher: (i32, u32),
    /// Reused for every meeting: no allocation per row.
    meeting: Meeting,
    formal_buf: Vec<(bool, bool)>,
    summary: DemoSummary,
}

impl Gen {
    fn new(scale: Scale, seed: u64, today: NaiveDate, farmer_fen: i64) -> Gen {
        let cfg = Config::of(scale);
        let mut rng = Rng::new(seed);
        let cur = Month::of(today);
        let start = cur.add_months(1 - cfg.months);
        let (township, county, town, region) = if cfg.large {
            ("上饶经开区", "上饶经开区", "上饶经开区", "361100")
        } else {
            *rng.pick(TOWNSHIPS)
        };
        let mut stems: Vec<&str> = PLACE_STEMS.to_vec();
        rng.shuffle(&mut stems);
        let (n_comm, n_vill) = if cfg.large { (16, 6) } else { (3, 10) };
        let mut villages: Vec<String> = Vec::new();
        for (i, s) in stems.iter().take(n_comm + n_vill).enumerate() {
            villages.push(format!("{s}{}", if i < n_comm { "社区" } else { "村" }));
        }
        let town_short = town.trim_end_matches("街道").trim_end_matches('镇');
        let roads: Vec<String> = if cfg.large {
            ZONE_ROADS.iter().map(|s| s.to_string()).collect()
        } else {
            let mut r: Vec<String> = TOWN_ROADS.iter().map(|s| s.to_string()).collect();
            r.push(format!("{town_short}大道"));
            r
        };
        let name_prefixes: Vec<String> = if cfg.large {
            ["上饶市", "上饶", "江西", "江西省", "上饶市", "上饶"]
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            vec![
                "上饶市".to_string(),
                "上饶".to_string(),
                "江西".to_string(),
                county.to_string(),
                county.to_string(),
                town_short.to_string(),
            ]
        };
        let meeting = Meeting {
            kinds: Vec::with_capacity(7),
            attendance: Vec::with_capacity(64),
            ..Meeting::new(0, Vec::new(), today)
        };
        let mut g = Gen {
            rng,
            cfg,
            today,
            cur,
            start,
            farmer_fen,
            township: township.to_string(),
            town: town.to_string(),
            county: county.to_string(),
            region: region.to_string(),
            preparer: String::new(),
            reviewer: String::new(),
            head: String::new(),
            villages,
            roads,
            name_prefixes,
            male_chars: MALE_CHARS.chars().collect(),
            female_chars: FEMALE_CHARS.chars().collect(),
            person_names: BTreeSet::new(),
            unit_names: BTreeSet::new(),
            org_names: BTreeSet::new(),
            id_numbers: BTreeSet::new(),
            units: Vec::new(),
            orgs: Vec::new(),
            parents: Parents::default(),
            members: Vec::new(),
            instructors: Vec::new(),
            assignments: Vec::new(),
            town_balance: 0,
            town_voucher: (0, 0),
            meeting,
            formal_buf: Vec::with_capacity(64),
            summary: DemoSummary::default(),
        };
        let female = g.rng.chance(600);
        g.preparer = g.unique_person(female);
        g.reviewer = g.unique_person(false);
        g.head = g.unique_person(false);
        g
    }

    fn window_start(&self) -> NaiveDate {
        self.start.first_day()
    }
}

#[cfg(test)]
mod tests {
    use super::rng::{add_years, ymd};
    use super::*;
    use crate::domain::enums::MemberStatus;
    use crate::domain::ids::{CreditCheck, check_credit_code, validate_id_number};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 17).unwrap()
    }

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut c = Rng::new(43);
        assert_ne!(xs[0], c.next_u64());
        for _ in 0..10_000 {
            let r = a.range(-3, 7);
            assert!((-3..=7).contains(&r));
            assert!(a.below(5) < 5);
        }
        assert_eq!(a.range(5, 5), 5);
        assert_eq!(a.below(0), 0);
        let d0 = NaiveDate::from_ymd_opt(2024, 2, 27).unwrap();
        let d1 = NaiveDate::from_ymd_opt(2024, 3, 2).unwrap();
        for _ in 0..100 {
            let d = a.date(d0, d1);
            assert!(d >= d0 && d <= d1);
        }
    }

    #[test]
    fn generated_ids_are_valid_and_unique() {
        let mut g = Gen::new(Scale::Small, 7, today(), 20);
        let mut seen = BTreeSet::new();
        for i in 0..2000 {
            let female = i % 2 == 0;
            let birth = g.rng.date(ymd(1955, 1, 1), ymd(2003, 12, 31));
            let id = g.id_number(birth, female);
            assert_eq!(validate_id_number(&id, today()).as_deref(), Ok(id.as_str()));
            assert_eq!(crate::domain::ids::gender_from_id(&id), Some(!female));
            assert!(seen.insert(id));
            let code = g.credit_code("91");
            assert!(
                matches!(check_credit_code(&code), Ok(CreditCheck::Ok(_))),
                "{code}"
            );
            let phone = g.mobile();
            assert_eq!(
                crate::domain::ids::normalize_mobile(&phone).as_deref(),
                Ok(phone.as_str())
            );
        }
    }

    #[test]
    fn same_seed_same_plan() {
        let plan = |seed| {
            let mut g = Gen::new(Scale::Small, seed, today(), 20);
            g.build_structure();
            g.build_members();
            g.build_instructors();
            g.plant();
            let units: Vec<String> = g.units.iter().map(|u| u.rec.name.clone()).collect();
            let members: Vec<String> = g
                .members
                .iter()
                .map(|m| format!("{}{}", m.rec.name, m.rec.id_number))
                .collect();
            (units, members, g.orgs.len(), g.township.clone())
        };
        let a = plan(1);
        assert_eq!(a, plan(1));
        assert_ne!(a.1, plan(2).1);
        assert_eq!(a.0.len(), 60);
        assert_eq!(a.1.len(), 300);
        assert_eq!(a.2, 25);
    }

    #[test]
    fn small_plan_shape() {
        let mut g = Gen::new(Scale::Small, 3, today(), 20);
        g.build_structure();
        g.build_members();
        g.build_instructors();
        g.plant();
        // Names unique where the schema or the import needs them.
        let units: BTreeSet<&str> = g.units.iter().map(|u| u.rec.name.as_str()).collect();
        assert_eq!(units.len(), g.units.len());
        let orgs: BTreeSet<&str> = g.orgs.iter().map(|o| o.rec.name.as_str()).collect();
        assert_eq!(orgs.len(), g.orgs.len());
        let people: BTreeSet<&str> = g.members.iter().map(|m| m.rec.name.as_str()).collect();
        assert_eq!(people.len(), g.members.len());
        assert_eq!(g.instructors.len(), 12);
        // Every member's dates make sense.
        for m in &g.members {
            let (b, j) = (m.rec.birth.unwrap(), m.rec.joined.unwrap());
            assert!(add_years(b, 18) <= j, "{} born {b} joined {j}", m.rec.name);
            assert!(j >= ymd(1975, 1, 1) && j <= today());
            assert!(m.rec.left.is_none_or(|l| l > j && l <= today()));
            assert!(m.rec.reported.is_none_or(|r| r >= j && r <= today()));
            assert_eq!(
                m.rec.left.is_some(),
                m.rec.status != MemberStatus::Registered
            );
        }
        // Joint branches cover 2-5 units, one covers 6.
        let joint: Vec<usize> = g
            .orgs
            .iter()
            .filter(|o| o.role == OrgRole::Joint)
            .map(|o| o.units.len())
            .collect();
        assert_eq!(joint.iter().filter(|&&n| n == 6).count(), 1);
        assert!(joint.iter().all(|&n| (2..=6).contains(&n)));
    }
}
