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

mod words;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::domain::dates::Month;
use crate::domain::dues::standard_due;
use crate::domain::enums::{
    Assessment, AttendStatus, Formation, FundCategory, FundDirection, Gender, InstructorSource,
    MeetingKind, MemberCategory, MemberStatus, NewEmployment, OrgType, PartyPost, PersonType,
    UnitKind, UnitStatus, VisitMode,
};
use crate::domain::ids::{credit_check_char, id_check_char};
use crate::domain::money::Fen;
use crate::domain::records::{
    Assignment, Attendance, Coverage, Dues, FundEntry, Instructor, InstructorAssessment, Meeting,
    Member, PartyOrg, Unit, Visit,
};
use crate::error::Result;
use crate::store::{Change, ChangeKind, Store};
use words::*;

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
    let written = write_all(store, &mut g, progress);
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

/// Writes the plan and the months in one demo change.
fn write_all(store: &mut Store, g: &mut Gen, progress: &mut dyn FnMut(&str)) -> Result<()> {
    let mut ch = store.change(ChangeKind::Demo, "生成演示账本")?;
    progress(&format!(
        "正在写入单位 {} 个、党组织 {} 个、党员 {} 名、指导员 {} 名…",
        g.units.len(),
        g.orgs.len(),
        g.members.len(),
        g.instructors.len()
    ));
    g.insert_structure(&mut ch)?;
    g.generate_months(&mut ch, progress)?;
    g.insert_assessments(&mut ch)?;
    progress("正在保存到台账文件…");
    ch.commit()
}

// ---------------------------------------------------------------------------
// Deterministic random numbers
// ---------------------------------------------------------------------------

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut r = Rng(seed ^ 0x6A09_E667_F3BC_C909);
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi` (`lo` when hi < lo).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u128 + 1;
        lo + ((u128::from(self.next_u64()) * span) >> 64) as i64
    }

    /// True with probability `permille`/1000.
    fn chance(&mut self, permille: usize) -> bool {
        self.below(1000) < permille
    }

    /// One element of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One word of a non-empty word list.
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    /// A date in `a..=b` (a when b < a).
    fn date(&mut self, a: NaiveDate, b: NaiveDate) -> NaiveDate {
        add_days(a, self.range(0, (b - a).num_days()))
    }
}

// ---------------------------------------------------------------------------
// Date helpers
// ---------------------------------------------------------------------------

/// A date, the day clamped to the month's length.
fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    let last = Month::new(y, m).map_or(28, |mm| mm.last_day().day());
    NaiveDate::from_ymd_opt(y, m, d.clamp(1, last)).unwrap_or_default()
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(n)).unwrap_or(d)
}

fn add_years(d: NaiveDate, n: i32) -> NaiveDate {
    ymd(d.year() + n, d.month(), d.day())
}

fn month_of(y: i32, m: u32) -> Month {
    Month::new(y, m).unwrap_or_else(|| Month::of(NaiveDate::default()))
}

/// Day `day` of month `m`, never after `today`.
fn day_in(m: Month, day: u32, today: NaiveDate) -> NaiveDate {
    ymd(m.year(), m.month(), day).min(today)
}

/// `yyyymm` of a date, for dated topics.
fn yyyymm(d: NaiveDate) -> u32 {
    d.year().max(0) as u32 * 100 + d.month()
}

fn cn_ordinal(n: usize) -> &'static str {
    const N: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    N[n.min(9)]
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

    // ---- people ---------------------------------------------------------

    fn person_name(&mut self, female: bool) -> String {
        let chars = if female {
            &self.female_chars
        } else {
            &self.male_chars
        };
        let mut s = String::with_capacity(9);
        s.push_str(self.rng.word(SURNAMES));
        let a = chars[self.rng.below(chars.len())];
        s.push(a);
        if !self.rng.chance(150) {
            let mut b = chars[self.rng.below(chars.len())];
            if b == a && !self.rng.chance(300) {
                b = chars[self.rng.below(chars.len())];
            }
            s.push(b);
        }
        s
    }

    /// A person name, female with probability `permille`/1000.
    fn person_name_p(&mut self, permille: usize) -> String {
        let female = self.rng.chance(permille);
        self.person_name(female)
    }

    /// A person name not used by any other member or instructor.
    fn unique_person(&mut self, female: bool) -> String {
        for _ in 0..200 {
            let n = self.person_name(female);
            if self.person_names.insert(n.clone()) {
                return n;
            }
        }
        // Practically unreachable: a three-character given name.
        loop {
            let mut n = self.person_name(female);
            let chars = if female {
                &self.female_chars
            } else {
                &self.male_chars
            };
            n.push(chars[self.rng.below(chars.len())]);
            if self.person_names.insert(n.clone()) {
                return n;
            }
        }
    }

    fn mobile(&mut self) -> String {
        let mut s = String::with_capacity(11);
        s.push_str(self.rng.word(MOBILE_PREFIXES));
        for _ in 0..8 {
            s.push(char::from(b'0' + self.rng.below(10) as u8));
        }
        s
    }

    /// A valid, unique 18-digit ID number for the birth date and gender.
    fn id_number(&mut self, birth: NaiveDate, female: bool) -> String {
        for _ in 0..50 {
            let region = *self.rng.pick(ID_REGIONS);
            let seq = self.rng.below(100);
            let sex = self.rng.below(5) * 2 + usize::from(!female);
            let first17 = format!(
                "{region}{:04}{:02}{:02}{seq:02}{sex}",
                birth.year(),
                birth.month(),
                birth.day()
            );
            if let Some(c) = id_check_char(&first17) {
                let id = format!("{first17}{c}");
                if self.id_numbers.insert(id.clone()) {
                    return id;
                }
            }
        }
        String::new()
    }

    /// A valid unified social credit code: `dept` is the registering
    /// authority and kind (91 company, 51 association, 52 private
    /// non-enterprise, 31 law firm).
    fn credit_code(&mut self, dept: &str) -> String {
        const CHARSET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut s = String::with_capacity(18);
        s.push_str(dept);
        s.push_str(&self.region);
        for _ in 0..9 {
            let c = if self.rng.chance(650) {
                CHARSET[self.rng.below(10)]
            } else {
                CHARSET[self.rng.below(CHARSET.len())]
            };
            s.push(char::from(c));
        }
        match credit_check_char(&s) {
            Some(c) => {
                s.push(c);
                s
            }
            None => String::new(),
        }
    }

    // ---- units ----------------------------------------------------------

    fn brand(&mut self) -> &'static str {
        self.rng.word(BRANDS)
    }

    fn prefix(&mut self) -> String {
        let i = self.rng.below(self.name_prefixes.len());
        self.name_prefixes[i].clone()
    }

    /// The area an association or chamber is registered in.
    fn area_prefix(&mut self) -> String {
        let options: [&str; 3] = if self.cfg.large {
            ["上饶经开区", "上饶市", "上饶"]
        } else {
            [&self.county, &self.town, &self.county]
        };
        options[self.rng.below(3)].to_string()
    }

    fn village_short(&self, v: usize) -> &str {
        self.villages[v]
            .trim_end_matches("社区")
            .trim_end_matches('村')
    }

    /// Name, 行业 and chain of a new unit; unique among units.
    fn unit_name(&mut self, flavor: Flavor, village: usize) -> (String, &'static str, u8) {
        for attempt in 0..400 {
            let (name, industry, chain) = self.unit_name_once(flavor, village, attempt);
            if self.unit_names.insert(name.clone()) {
                return (name, industry, chain);
            }
        }
        // Fall back to a numbered name (never reached with these lists).
        let (base, industry, chain) = self.unit_name_once(flavor, village, 0);
        let mut n = 2;
        loop {
            let name = format!("{base}（{n}）");
            if self.unit_names.insert(name.clone()) {
                return (name, industry, chain);
            }
            n += 1;
        }
    }

    fn unit_name_once(
        &mut self,
        flavor: Flavor,
        village: usize,
        attempt: usize,
    ) -> (String, &'static str, u8) {
        // After many collisions, use another village to make a site name unique.
        let v = if attempt > 20 {
            self.rng.below(self.villages.len())
        } else {
            village
        };
        let vshort = self.village_short(v).to_string();
        let area = if self.cfg.large {
            format!("上饶经开区{vshort}")
        } else {
            format!(
                "{}{vshort}",
                self.town.trim_end_matches("街道").trim_end_matches('镇')
            )
        };
        match flavor {
            Flavor::Enterprise | Flavor::Mixed => {
                let (ind, cat, chain) = *self.rng.pick(INDUSTRIES);
                let p = self.prefix();
                let b = self.brand();
                let suffix = if flavor == Flavor::Mixed {
                    "股份有限公司"
                } else {
                    self.rng.pick(COMPANY_SUFFIXES)
                };
                (format!("{p}{b}{ind}{suffix}"), cat, chain)
            }
            Flavor::BigEnterprise => {
                let (ind, cat, chain) = *self.rng.pick(&INDUSTRIES[..12]);
                let b = self.brand();
                let p = if self.rng.chance(500) {
                    "江西"
                } else {
                    "上饶"
                };
                let s = if self.rng.chance(500) {
                    "股份有限公司"
                } else {
                    "集团有限公司"
                };
                (format!("{p}{b}{ind}{s}"), cat, chain)
            }
            Flavor::Association => {
                if self.rng.chance(400) {
                    let t = self.rng.word(COMMUNITY_TRADES);
                    (format!("{}{t}协会", self.villages[v]), "社会组织", 0)
                } else {
                    let p = self.area_prefix();
                    let t = self.rng.word(INDUSTRY_TRADES);
                    (format!("{p}{t}协会"), "社会组织", 0)
                }
            }
            Flavor::Chamber => {
                let p = self.area_prefix();
                let o = self.rng.word(CHAMBER_ORIGINS);
                (format!("{p}{o}商会"), "社会组织", 0)
            }
            Flavor::ServiceCentre => {
                let s = self.rng.pick(SERVICE_CENTRES);
                if self.rng.chance(500) {
                    (
                        format!("{}{s}", self.villages[v]),
                        "居民服务、修理和其他服务业",
                        0,
                    )
                } else {
                    let p = self.prefix();
                    let b = self.brand();
                    (format!("{p}{b}{s}"), "居民服务、修理和其他服务业", 0)
                }
            }
            Flavor::School => {
                let s = self.rng.pick(SCHOOLS);
                let b = self.brand();
                let p = self.prefix();
                (format!("{p}{b}{s}"), "教育", 0)
            }
            Flavor::LawFirm => {
                let b = self.brand();
                if self.rng.chance(500) {
                    (format!("江西{b}律师事务所"), "租赁和商务服务业", 0)
                } else {
                    (format!("{b}（上饶）律师事务所"), "租赁和商务服务业", 0)
                }
            }
            Flavor::Courier => {
                let b = self.rng.pick(COURIER_BRANDS);
                let s = self.rng.pick(COURIER_SITES);
                (format!("{b}{area}{s}"), "交通运输、仓储和邮政业", 0)
            }
            Flavor::Delivery => {
                let b = self.rng.pick(DELIVERY_BRANDS);
                let s = self.rng.pick(DELIVERY_SITES);
                (format!("{b}{area}{s}"), "交通运输、仓储和邮政业", 0)
            }
            Flavor::RideHailing => {
                let b = self.rng.pick(RIDE_BRANDS);
                if self.rng.chance(400) {
                    (format!("{b}{area}司机之家"), "交通运输、仓储和邮政业", 0)
                } else {
                    let p = self.prefix();
                    let br = self.brand();
                    (
                        format!("{p}{br}网约车服务有限公司"),
                        "交通运输、仓储和邮政业",
                        0,
                    )
                }
            }
            Flavor::Freight => {
                if self.rng.chance(500) {
                    let b = self.rng.pick(FREIGHT_BRANDS);
                    (format!("{b}{area}服务站"), "交通运输、仓储和邮政业", 0)
                } else {
                    let p = self.prefix();
                    let b = self.brand();
                    (
                        format!("{p}{b}货运物流有限公司"),
                        "交通运输、仓储和邮政业",
                        0,
                    )
                }
            }
            Flavor::Streaming => {
                let p = self.prefix();
                let b = self.brand();
                let s = if self.rng.chance(500) {
                    "直播电商有限公司"
                } else {
                    "网络文化传媒有限公司"
                };
                (format!("{p}{b}{s}"), "信息传输、软件和信息技术服务业", 1)
            }
            Flavor::Project => {
                let b = self.brand();
                let bu = self.rng.pick(BUILDERS);
                let pr = self.rng.pick(PROJECTS);
                let prefix = if self.rng.chance(500) {
                    "江西"
                } else {
                    "浙江"
                };
                let t = if self.cfg.large {
                    "上饶经开区"
                } else {
                    self.town.as_str()
                };
                (format!("{prefix}{b}{bu}{t}{pr}项目部"), "建筑业", 0)
            }
        }
    }

    fn make_unit(&mut self, flavor: Flavor, village: usize, role: UnitRole) -> usize {
        let (name, industry, chain) = self.unit_name(flavor, village);
        let kind = flavor.kind();
        let mut u = Unit::new(&name, kind);
        u.industry = industry.to_string();
        u.village = self.villages[village].clone();
        let road = self.rng.below(self.roads.len());
        let no = self.rng.range(1, 388);
        u.address = if self.cfg.large {
            format!("{}{no}号", self.roads[road])
        } else {
            format!("{}{}{no}号", self.town, self.roads[road])
        };
        let dept = match flavor {
            Flavor::Association | Flavor::Chamber => "51",
            Flavor::ServiceCentre | Flavor::School => "52",
            Flavor::LawFirm => "31",
            _ => "91",
        };
        if !(flavor.kind() == UnitKind::NewEconomy && self.rng.chance(80)) {
            u.credit_code = self.credit_code(dept);
        }
        let employees = match flavor {
            Flavor::BigEnterprise => self.rng.range(800, 3000),
            Flavor::Enterprise | Flavor::Mixed => {
                let band = self.rng.below(10);
                match band {
                    0..=4 => self.rng.range(8, 50),
                    5..=7 => self.rng.range(50, 200),
                    _ => self.rng.range(200, 800),
                }
            }
            Flavor::Project => self.rng.range(60, 400),
            Flavor::Courier | Flavor::Delivery => self.rng.range(8, 80),
            Flavor::RideHailing | Flavor::Freight | Flavor::Streaming => self.rng.range(5, 60),
            _ => self.rng.range(3, 40),
        };
        u.employees = Some(employees);
        u.investor = match flavor {
            Flavor::Association => format!("{}家会员单位共同发起", self.rng.range(12, 120)),
            Flavor::Chamber => format!("{}家会员企业共同发起", self.rng.range(30, 200)),
            Flavor::Mixed => {
                let p = self.person_name(false);
                format!("上饶投资控股集团有限公司、{p}")
            }
            Flavor::BigEnterprise => {
                let b = self.brand();
                let origin = self.rng.pick(&["浙江", "福建", "广东", "江西"]);
                format!("{origin}{b}控股集团有限公司")
            }
            Flavor::Courier | Flavor::Delivery | Flavor::Freight => {
                let p = self.person_name_p(200);
                format!("加盟商{p}")
            }
            _ => {
                let a = self.person_name_p(250);
                if self.rng.chance(300) {
                    let b = self.person_name_p(400);
                    format!("{a}、{b}")
                } else {
                    a
                }
            }
        };
        u.contact = self.person_name_p(450);
        u.phone = self.mobile();
        let big = employees >= 50;
        u.has_union = Some(if big {
            self.rng.chance(850)
        } else {
            self.rng.chance(300)
        });
        u.has_league = Some(if big {
            self.rng.chance(550)
        } else {
            self.rng.chance(150)
        });
        u.has_women = Some(if big {
            self.rng.chance(600)
        } else {
            self.rng.chance(200)
        });
        if self.rng.chance(40) {
            u.has_women = None;
        }
        let n_needs = self.rng.range(1, 3) as usize;
        let mut needs: Vec<&str> = Vec::with_capacity(3);
        for _ in 0..n_needs {
            let n = *self.rng.pick(NEEDS);
            if !needs.contains(&n) {
                needs.push(n);
            }
        }
        u.needs = needs.join("、");
        if self.rng.chance(150) {
            u.note = match kind {
                UnitKind::Social => self.rng.word(SOCIAL_NOTES),
                _ => self.rng.word(UNIT_NOTES),
            }
            .to_string();
        }
        self.units.push(UnitGen {
            rec: u,
            flavor,
            village,
            chain,
            role,
        });
        self.units.len() - 1
    }

    /// Any kind of unit, weighted roughly as in a county's register.
    fn random_flavor(&mut self) -> Flavor {
        match self.rng.below(100) {
            0..=61 => Flavor::Enterprise,
            62..=66 => Flavor::Mixed,
            67..=71 => Flavor::Association,
            72..=74 => Flavor::Chamber,
            75..=80 => Flavor::ServiceCentre,
            81..=84 => Flavor::School,
            85..=86 => Flavor::LawFirm,
            87..=89 => Flavor::Courier,
            90..=93 => Flavor::Delivery,
            94..=95 => Flavor::Freight,
            96..=97 => Flavor::Streaming,
            _ => Flavor::RideHailing,
        }
    }

    // ---- orgs -----------------------------------------------------------

    fn unique_org_name(&mut self, make: &dyn Fn(usize) -> String) -> String {
        let mut n = 0;
        loop {
            let name = make(n);
            if self.org_names.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }

    fn add_org(
        &mut self,
        name: String,
        org_type: OrgType,
        formation: Formation,
        established: NaiveDate,
        role: OrgRole,
        parent: Option<usize>,
    ) -> usize {
        let rec = PartyOrg::new(&name, org_type, formation, established);
        let theme_day = *self.rng.pick(&[1u32, 5, 8, 10, 10, 15, 15, 18, 20, 25]);
        let lesson_offset = self.rng.range(0, 2) as i32;
        let lesson_with_theme = self.rng.chance(350);
        let yearly_in_november = self.rng.chance(200);
        self.orgs.push(OrgGen {
            rec,
            role,
            plant: OrgPlant::None,
            parent,
            units: Vec::new(),
            hosted: Vec::new(),
            members: Vec::new(),
            size: 0,
            committee_size: 0,
            groups: 0,
            ne_kind: None,
            home_place: String::new(),
            theme_day,
            lesson_offset,
            lesson_with_theme,
            yearly_in_november,
            skips: Vec::new(),
            no_quorum: Vec::new(),
            overspend: None,
            frozen: false,
            balance: 0,
            voucher_year: 0,
            voucher_seq: 0,
            enterprise_money: false,
        });
        self.orgs.len() - 1
    }

    /// Founding date of a branch: years before the span, or (when `recent`)
    /// inside it.
    fn founding(&mut self, earliest_year: i32, recent: bool) -> NaiveDate {
        let ws = self.window_start();
        if recent {
            let a = add_days(ws, 35);
            let b = add_days(self.today, -50);
            return self.rng.date(a, b);
        }
        let a = ymd(earliest_year.min(ws.year() - 2), 1, 1);
        self.rng.date(a, add_days(ws, -120))
    }

    fn cover(&mut self, o: usize, u: usize) {
        let from = self.orgs[o].rec.established;
        let to = self.orgs[o].rec.dissolved;
        self.orgs[o].units.push((u, from, to));
        self.units[u].role = UnitRole::Covered;
    }

    /// Builds units, party orgs and coverage.
    fn build_structure(&mut self) {
        self.build_committees();
        for _ in 0..self.cfg.enterprise_general {
            self.build_enterprise_general();
        }
        let mut industry_no = 0usize;
        for (role, plant) in self.branch_specs() {
            match role {
                OrgRole::Standalone | OrgRole::Dissolved => self.build_standalone(role, plant),
                OrgRole::Joint => self.build_joint(plant),
                OrgRole::Regional => self.build_regional(),
                OrgRole::Industry => {
                    self.build_industry(industry_no);
                    industry_no += 1;
                }
                OrgRole::Temporary => self.build_temporary(),
                _ => {}
            }
        }
        self.build_uncovered_units();
    }

    /// The township-level committee and, in the zone, the chain and sector
    /// committees and area general branches below it.
    fn build_committees(&mut self) {
        let top_name = if self.cfg.large {
            format!("{}非公有制企业和社会组织综合党委", self.town)
        } else {
            format!("{}两新组织综合党委", self.town)
        };
        self.org_names.insert(top_name.clone());
        let top_est = ymd(2012, 6, self.rng.range(1, 28) as u32);
        let top = self.add_org(
            top_name,
            OrgType::Committee,
            Formation::Regional,
            top_est,
            OrgRole::Top,
            None,
        );
        self.parents = Parents {
            top,
            chain: [top; 4],
            express: top,
            social: top,
            areas: Vec::new(),
        };
        if !self.cfg.large {
            return;
        }
        const MIDS: [&str; 5] = [
            "电子信息产业链党委",
            "光伏新能源产业链党委",
            "汽车及零部件产业链党委",
            "快递物流行业党委",
            "社会组织综合党委",
        ];
        for (i, n) in MIDS.iter().enumerate() {
            let name = format!("{}{n}", self.town);
            self.org_names.insert(name.clone());
            let est = ymd(
                self.rng.range(2016, 2019) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            );
            let o = self.add_org(
                name,
                OrgType::Committee,
                Formation::Industry,
                est,
                OrgRole::Mid,
                Some(top),
            );
            match i {
                0..=2 => self.parents.chain[i + 1] = o,
                3 => self.parents.express = o,
                _ => self.parents.social = o,
            }
        }
        for v in 0..6 {
            let name = format!("{}片区两新组织党总支", self.village_short(v));
            self.org_names.insert(name.clone());
            let est = ymd(
                self.rng.range(2015, 2019) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            );
            let o = self.add_org(
                name,
                OrgType::GeneralBranch,
                Formation::Regional,
                est,
                OrgRole::Mid,
                Some(top),
            );
            self.parents.areas.push(o);
        }
    }

    /// The committee or general branch a unit's branch reports to.
    fn parent_of(&self, u: usize) -> usize {
        let unit = &self.units[u];
        match unit.flavor.kind() {
            UnitKind::Social => self.parents.social,
            UnitKind::NewEconomy => self.parents.express,
            _ if unit.chain > 0 => self.parents.chain[usize::from(unit.chain)],
            _ => self.area_parent(unit.village),
        }
    }

    /// The area general branch of a village (the top committee in a town).
    fn area_parent(&self, village: usize) -> usize {
        match self.parents.areas.len() {
            0 => self.parents.top,
            n => self.parents.areas[village % n],
        }
    }

    /// A big enterprise with a general branch and three sub-branches.
    fn build_enterprise_general(&mut self) {
        let v = self.rng.below(self.villages.len());
        let u = self.make_unit(Flavor::BigEnterprise, v, UnitRole::Covered);
        let uname = self.units[u].rec.name.clone();
        let est = self.founding(2008, false);
        let name = self.unique_org_name(&|n| {
            if n == 0 {
                format!("{uname}党总支")
            } else {
                format!("{uname}党总支{n}")
            }
        });
        let p = self.parent_of(u);
        let o = self.add_org(
            name,
            OrgType::GeneralBranch,
            Formation::Standalone,
            est,
            OrgRole::EnterpriseGeneral,
            Some(p),
        );
        self.cover(o, u);
        self.orgs[o].enterprise_money = true;
        let mut depts = vec![
            "生产一部",
            "生产二部",
            "研发中心",
            "质量管理部",
            "行政后勤",
            "销售中心",
            "设备动力部",
        ];
        self.rng.shuffle(&mut depts);
        for d in depts.iter().take(3) {
            let name = format!("{uname}{d}党支部");
            self.org_names.insert(name.clone());
            let sest = add_days(est, self.rng.range(0, 60));
            let s = self.add_org(
                name,
                OrgType::Branch,
                Formation::Standalone,
                sest,
                OrgRole::EnterpriseSub,
                Some(o),
            );
            self.orgs[s].home_place = format!("{d}党员活动室");
            self.orgs[s].size = self.rng.range(18, 42) as usize;
            self.orgs[s].enterprise_money = true;
        }
    }

    /// Every branch to build with its planted rule warning, shuffled so the
    /// plants are spread through the lists.
    fn branch_specs(&mut self) -> Vec<(OrgRole, OrgPlant)> {
        let k = self.cfg.k;
        let mut specs: Vec<(OrgRole, OrgPlant)> = Vec::new();
        let too_large = k.div_ceil(2);
        let too_few = k;
        let needs_committee = k;
        for i in 0..self.cfg.standalone {
            let plant = if i < too_large {
                OrgPlant::TooLarge
            } else if i < too_large + needs_committee {
                OrgPlant::NeedsCommittee
            } else if i < too_large + needs_committee + too_few {
                if (i - too_large - needs_committee).is_multiple_of(2) {
                    OrgPlant::TooFew
                } else {
                    OrgPlant::TooFewByTransfer
                }
            } else {
                OrgPlant::None
            };
            specs.push((OrgRole::Standalone, plant));
        }
        let too_many = k.div_ceil(3);
        for i in 0..self.cfg.joint {
            let plant = if i < too_many {
                OrgPlant::TooManyUnits
            } else if i < too_many + k {
                OrgPlant::QualifiesStandalone
            } else {
                OrgPlant::None
            };
            specs.push((OrgRole::Joint, plant));
        }
        for (role, n) in [
            (OrgRole::Regional, self.cfg.regional),
            (OrgRole::Industry, self.cfg.industry),
            (OrgRole::Temporary, self.cfg.temporary),
            (OrgRole::Dissolved, self.cfg.dissolved),
        ] {
            specs.extend(std::iter::repeat_n((role, OrgPlant::None), n));
        }
        self.rng.shuffle(&mut specs);
        specs
    }

    /// A 单独组建 branch of one unit; `Dissolved`: its unit closed and the
    /// branch was dissolved during the span.
    fn build_standalone(&mut self, role: OrgRole, plant: OrgPlant) {
        let flavor = match plant {
            OrgPlant::TooLarge => Flavor::BigEnterprise,
            OrgPlant::None => self.random_flavor(),
            _ => Flavor::Enterprise,
        };
        let v = self.rng.below(self.villages.len());
        let u = self.make_unit(flavor, v, UnitRole::Covered);
        let uname = self.units[u].rec.name.clone();
        let earliest = match flavor.kind() {
            UnitKind::Social => 2014,
            UnitKind::NewEconomy => 2018,
            _ => 2008,
        };
        let recent = plant == OrgPlant::None && role == OrgRole::Standalone && self.rng.chance(90);
        let est = self.founding(earliest, recent);
        let name = self.unique_org_name(&|n| {
            if n == 0 {
                format!("{uname}党支部")
            } else {
                format!("{uname}第{}党支部", cn_ordinal(n))
            }
        });
        let p = self.parent_of(u);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Standalone,
            est,
            role,
            Some(p),
        );
        self.orgs[o].plant = plant;
        self.orgs[o].home_place = match flavor.kind() {
            UnitKind::Social => "单位会议室".to_string(),
            UnitKind::NewEconomy => "站点党员活动室".to_string(),
            _ => self.rng.word(COMPANY_PLACES).to_string(),
        };
        self.orgs[o].enterprise_money =
            matches!(flavor.kind(), UnitKind::NonPublic | UnitKind::Mixed);
        if role == OrgRole::Dissolved {
            let a = add_days(self.window_start(), 90);
            let b = add_days(self.today, -75);
            let d = self.rng.date(a, b);
            self.orgs[o].rec.dissolved = Some(d);
            self.orgs[o].rec.note = "所在单位注销，党组织撤销，党员组织关系转出".to_string();
            self.units[u].rec.status = UnitStatus::Closed;
            self.units[u].rec.note = format!("{}已注销", d.format("%Y年%m月"));
        }
        self.cover(o, u);
        if role == OrgRole::Dissolved {
            self.units[u].role = UnitRole::Inactive;
        }
    }

    /// A 联合组建 branch of small neighbouring enterprises or social
    /// organisations (2–5 units; 6 when planted).
    fn build_joint(&mut self, plant: OrgPlant) {
        let max = if self.cfg.large { 5 } else { 4 };
        let n = match plant {
            OrgPlant::TooManyUnits => 6,
            _ => self.rng.range(2, max) as usize,
        };
        let v = self.rng.below(self.villages.len());
        let social = self.rng.chance(200);
        let mut us = Vec::with_capacity(n);
        for _ in 0..n {
            let f = if social {
                *self.rng.pick(&[
                    Flavor::Association,
                    Flavor::ServiceCentre,
                    Flavor::School,
                    Flavor::Chamber,
                ])
            } else if self.rng.chance(120) {
                Flavor::Streaming
            } else {
                Flavor::Enterprise
            };
            us.push(self.make_unit(f, v, UnitRole::Covered));
        }
        let vs = self.village_short(v).to_string();
        let sector = if social {
            "社会组织"
        } else {
            "非公企业"
        };
        let name = self.unique_org_name(&|i| {
            if i == 0 {
                format!("{vs}{sector}联合党支部")
            } else {
                format!("{vs}{sector}第{}联合党支部", cn_ordinal(i))
            }
        });
        let recent = plant == OrgPlant::None && self.rng.chance(100);
        let est = self.founding(2012, recent);
        let p = self.parent_of(us[0]);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Joint,
            est,
            OrgRole::Joint,
            Some(p),
        );
        self.orgs[o].plant = plant;
        self.orgs[o].home_place = format!("{}党群服务中心", self.villages[v]);
        for u in us {
            self.cover(o, u);
        }
    }

    /// A 区域联建 branch of a community, industrial park or shopping area.
    fn build_regional(&mut self) {
        let v = self.rng.below(self.villages.len());
        let max = if self.cfg.large { 7 } else { 5 };
        let n = self.rng.range(3, max) as usize;
        let mut us = Vec::with_capacity(n);
        for _ in 0..n {
            let f = self.random_flavor();
            us.push(self.make_unit(f, v, UnitRole::Covered));
        }
        let vname = self.villages[v].clone();
        let vs = self.village_short(v).to_string();
        let style = self.rng.below(3);
        let name = self.unique_org_name(&|i| {
            let base = match style {
                0 => format!("{vname}两新组织区域联合党支部"),
                1 => format!("{vs}产业园区域党支部"),
                _ => format!("{vs}商圈党支部"),
            };
            if i == 0 {
                base
            } else {
                base.replacen("党支部", &format!("第{}党支部", cn_ordinal(i)), 1)
            }
        });
        let recent = self.rng.chance(100);
        let est = self.founding(2015, recent);
        let p = self.area_parent(v);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Regional,
            est,
            OrgRole::Regional,
            Some(p),
        );
        self.orgs[o].home_place = format!("{vname}党群服务中心");
        for u in us {
            self.cover(o, u);
        }
    }

    /// The `no`-th 行业统建 branch: express, delivery, ride-hailing, freight,
    /// streaming (new-employment groups), law firms, private schools.
    fn build_industry(&mut self, no: usize) {
        const KINDS: [(&str, Flavor, Option<NewEmployment>); 7] = [
            (
                "快递物流行业",
                Flavor::Courier,
                Some(NewEmployment::Courier),
            ),
            (
                "外卖配送行业",
                Flavor::Delivery,
                Some(NewEmployment::Delivery),
            ),
            (
                "网约车行业",
                Flavor::RideHailing,
                Some(NewEmployment::RideHailing),
            ),
            (
                "货运物流行业",
                Flavor::Freight,
                Some(NewEmployment::Trucker),
            ),
            (
                "网络直播行业",
                Flavor::Streaming,
                Some(NewEmployment::Streamer),
            ),
            ("律师行业", Flavor::LawFirm, None),
            ("民办教育行业", Flavor::School, None),
        ];
        let large = self.cfg.large;
        let (label, flavor, ne) = KINDS[no % KINDS.len()];
        let round = no / KINDS.len();
        let n = self.rng.range(3, if large { 6 } else { 4 }) as usize;
        let mut us = Vec::with_capacity(n);
        for _ in 0..n {
            let v = self.rng.below(self.villages.len());
            // A small town's one express branch covers delivery sites too.
            let f = if !large && flavor == Flavor::Courier && self.rng.chance(400) {
                Flavor::Delivery
            } else {
                flavor
            };
            us.push(self.make_unit(f, v, UnitRole::Covered));
        }
        let area = if round == 0 {
            self.town.clone()
        } else {
            format!("{}片区", self.village_short(round % self.villages.len()))
        };
        let name = self.unique_org_name(&|i| {
            if i == 0 {
                format!("{area}{label}党支部")
            } else {
                format!("{area}{label}第{}党支部", cn_ordinal(i))
            }
        });
        let est = self.founding(2018, false);
        let p = match flavor.kind() {
            UnitKind::Social => self.parents.social,
            _ => self.parents.express,
        };
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Industry,
            est,
            OrgRole::Industry,
            Some(p),
        );
        self.orgs[o].ne_kind = ne;
        self.orgs[o].home_place = if ne.is_some() {
            format!("{}新就业群体党群服务站", self.town)
        } else {
            "行业党建活动室".to_string()
        };
        for u in us {
            self.cover(o, u);
        }
    }

    /// A 临时组建 branch of a construction project.
    fn build_temporary(&mut self) {
        let v = self.rng.below(self.villages.len());
        let u = self.make_unit(Flavor::Project, v, UnitRole::Covered);
        let uname = self.units[u].rec.name.clone();
        let name = self.unique_org_name(&|i| {
            let base = uname
                .rsplit_once("有限公司")
                .map_or(uname.as_str(), |(_, p)| p)
                .trim_end_matches("项目部")
                .to_string();
            if i == 0 {
                format!("{base}项目临时党支部")
            } else {
                format!("{base}项目第{}临时党支部", cn_ordinal(i))
            }
        });
        let a = add_days(self.window_start(), 30);
        let b = add_days(self.today, -200);
        let est = if self.rng.chance(500) {
            self.rng.date(a, b)
        } else {
            self.founding(2019, false)
        };
        let p = self.area_parent(v);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Temporary,
            est,
            OrgRole::Temporary,
            Some(p),
        );
        self.orgs[o].home_place = "项目部会议室".to_string();
        self.orgs[o].rec.note = "工程项目临时党组织，项目竣工后撤销".to_string();
        self.cover(o, u);
    }

    /// Marks a few covered units 异常 and creates the units without a
    /// party org: with members (planted), blank (planted), 异常/注销, and
    /// the rest reached by an instructor.
    fn build_uncovered_units(&mut self) {
        let k = self.cfg.k;
        let joint_units: Vec<usize> = self
            .orgs
            .iter()
            .filter(|o| o.role == OrgRole::Joint && o.plant == OrgPlant::None)
            .flat_map(|o| o.units.iter().map(|(u, _, _)| *u))
            .collect();
        for _ in 0..k.div_ceil(2) {
            if joint_units.is_empty() {
                break;
            }
            let u = *self.rng.pick(&joint_units);
            self.units[u].rec.status = UnitStatus::Abnormal;
            self.units[u].rec.note = "经营异常，已列入经营异常名录".to_string();
        }

        let rest = self.cfg.units.saturating_sub(self.units.len());
        let no_org = 2 * k + 1;
        let blank = 2 * k + 1;
        let inactive = self.cfg.inactive;
        for i in 0..rest {
            let role = if i < no_org {
                UnitRole::NoOrg
            } else if i < no_org + blank {
                UnitRole::Blank
            } else if i < no_org + blank + inactive {
                UnitRole::Inactive
            } else {
                UnitRole::WorkCovered
            };
            let v = self.rng.below(self.villages.len());
            let f = self.random_flavor();
            let u = self.make_unit(f, v, role);
            let reason = match role {
                UnitRole::NoOrg => "党员组织关系在社区党组织，正在筹建党组织".to_string(),
                UnitRole::Blank => "新设立单位，正在摸排".to_string(),
                _ => self.rng.word(NO_ORG_REASONS).to_string(),
            };
            let unit = &mut self.units[u].rec;
            unit.no_org_reason = reason;
            if role == UnitRole::Inactive {
                if i % 3 == 0 {
                    unit.status = UnitStatus::Closed;
                    unit.note = "已注销".to_string();
                } else {
                    unit.status = UnitStatus::Abnormal;
                    unit.note = "经营异常，实地核查无人办公".to_string();
                }
            }
        }
    }

    // ---- members --------------------------------------------------------

    fn plan_sizes(&mut self) {
        for o in 0..self.orgs.len() {
            let (role, plant, n_units) = (
                self.orgs[o].role,
                self.orgs[o].plant,
                self.orgs[o].units.len(),
            );
            let size = match (role, plant) {
                (OrgRole::Top | OrgRole::Mid | OrgRole::EnterpriseGeneral, _) => 0,
                (OrgRole::EnterpriseSub, _) => self.orgs[o].size,
                (_, OrgPlant::TooLarge) => self.rng.range(52, 56) as usize,
                (_, OrgPlant::NeedsCommittee) => self.rng.range(8, 10) as usize,
                (_, OrgPlant::TooFew | OrgPlant::TooFewByTransfer) => 3,
                (OrgRole::Standalone, _) => {
                    let band = self.rng.below(100);
                    (match band {
                        0..=39 => self.rng.range(3, 8),
                        40..=69 => self.rng.range(9, 20),
                        70..=89 => self.rng.range(21, 35),
                        _ => self.rng.range(36, 48),
                    }) as usize
                }
                (OrgRole::Joint, OrgPlant::QualifiesStandalone) => {
                    3 + self.rng.range(2, 2 * (n_units as i64 - 1)) as usize
                }
                (OrgRole::Joint, _) => self.rng.range(3, 2 * n_units as i64) as usize,
                (OrgRole::Regional, _) => self.rng.range(6, 20) as usize,
                (OrgRole::Industry, _) => self.rng.range(8, 24) as usize,
                (OrgRole::Temporary, _) => self.rng.range(5, 12) as usize,
                (OrgRole::Dissolved, _) => self.rng.range(3, 8) as usize,
            };
            self.orgs[o].size = size;
        }
        // Hosts of the members of units without an org.
        let hosts: Vec<usize> = (0..self.orgs.len())
            .filter(|&o| self.orgs[o].role == OrgRole::Regional)
            .collect();
        let no_org: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::NoOrg)
            .collect();
        for u in no_org {
            if hosts.is_empty() {
                self.units[u].role = UnitRole::Blank;
                continue;
            }
            let h = *self.rng.pick(&hosts);
            self.orgs[h].hosted.push(u);
        }
        // Hit the member target exactly by resizing ordinary standalone branches.
        let hosted_members = |g: &Gen| g.orgs.iter().map(|o| o.hosted.len() * 2).sum::<usize>();
        let mut total: usize =
            self.orgs.iter().map(|o| o.size).sum::<usize>() + hosted_members(self);
        let adjustable: Vec<usize> = (0..self.orgs.len())
            .filter(|&o| {
                self.orgs[o].role == OrgRole::Standalone && self.orgs[o].plant == OrgPlant::None
            })
            .collect();
        if adjustable.is_empty() {
            return;
        }
        let mut guard = 0;
        while total != self.cfg.members && guard < 1_000_000 {
            guard += 1;
            let o = *self.rng.pick(&adjustable);
            if total < self.cfg.members && self.orgs[o].size < 48 {
                self.orgs[o].size += 1;
                total += 1;
            } else if total > self.cfg.members && self.orgs[o].size > 3 {
                self.orgs[o].size -= 1;
                total -= 1;
            }
        }
    }

    /// Decides committee, groups and core size of every branch.
    fn plan_committees(&mut self) {
        for o in 0..self.orgs.len() {
            if !self.orgs[o].is_branch() {
                continue;
            }
            let size = self.orgs[o].size + 2 * self.orgs[o].hosted.len();
            let plant = self.orgs[o].plant;
            let has = match plant {
                OrgPlant::NeedsCommittee | OrgPlant::TooFew | OrgPlant::TooFewByTransfer => false,
                _ => size >= 7 || (size >= 5 && self.rng.chance(300)),
            };
            let comm = if !has {
                0
            } else if size >= 20 {
                5
            } else {
                3
            };
            let groups = if size >= 12 && plant != OrgPlant::NeedsCommittee {
                (size / 7).clamp(2, 5) as u8
            } else {
                0
            };
            let g = &mut self.orgs[o];
            g.rec.has_committee = has;
            g.rec.group_count = i64::from(groups);
            g.committee_size = comm;
            g.groups = groups;
        }
    }

    fn build_members(&mut self) {
        self.plan_sizes();
        self.plan_committees();
        for o in 0..self.orgs.len() {
            if !self.orgs[o].is_branch() {
                continue;
            }
            self.branch_members(o);
        }
        // Secretaries of the committees and general branches: the township's
        // head for the top one, a sub-branch secretary for an enterprise's
        // general branch, an official for the others.
        for o in 0..self.orgs.len() {
            if !self.orgs[o].rec.secretary.is_empty() {
                continue;
            }
            let name = match self.orgs[o].role {
                OrgRole::Top => self.head.clone(),
                OrgRole::EnterpriseGeneral => self
                    .orgs
                    .iter()
                    .find(|c| c.parent == Some(o) && !c.rec.secretary.is_empty())
                    .map(|c| c.rec.secretary.clone())
                    .unwrap_or_default(),
                _ => {
                    let female = self.rng.chance(300);
                    self.unique_person(female)
                }
            };
            self.orgs[o].rec.secretary = name;
        }
        // Pocket members who reported this month.
        let candidates: Vec<usize> = (0..self.members.len())
            .filter(|&m| {
                let g = &self.members[m];
                !g.committee
                    && g.rec.left.is_none()
                    && g.rec.joined.is_some_and(|j| j < self.window_start())
                    && self.orgs[g.org].role != OrgRole::Dissolved
            })
            .collect();
        for _ in 0..=self.cfg.k {
            if candidates.is_empty() {
                break;
            }
            let m = *self.rng.pick(&candidates);
            let d = self.rng.date(self.cur.first_day(), self.today);
            let rec = &mut self.members[m].rec;
            rec.reported = Some(d);
            rec.note = "口袋党员，本月主动亮明身份报到".to_string();
        }
    }

    /// Creates the members of one branch.
    fn branch_members(&mut self, o: usize) {
        let size = self.orgs[o].size;
        let comm = self.orgs[o].committee_size;
        let groups = usize::from(self.orgs[o].groups);
        let core = comm.max(3) + groups;
        let role = self.orgs[o].role;
        let plant = self.orgs[o].plant;
        let units: Vec<usize> = self.orgs[o].units.iter().map(|(u, _, _)| *u).collect();

        // The unit of each member slot.
        let mut slots: Vec<Option<usize>> = Vec::with_capacity(size);
        match role {
            OrgRole::Joint => {
                let (first, others): (Option<usize>, &[usize]) =
                    if plant == OrgPlant::QualifiesStandalone {
                        (units.first().copied(), units.get(1..).unwrap_or(&[]))
                    } else {
                        (None, &units[..])
                    };
                if let Some(q) = first {
                    slots.extend([Some(q); 3]);
                }
                let mut per = vec![0usize; others.len()];
                let mut i = 0;
                while slots.len() < size && !others.is_empty() {
                    let j = i % others.len();
                    if per[j] < 2 {
                        per[j] += 1;
                        slots.push(Some(others[j]));
                    } else if per.iter().all(|&c| c >= 2) {
                        break;
                    }
                    i += 1;
                }
                while slots.len() < size {
                    slots.push(None);
                }
            }
            OrgRole::Regional | OrgRole::Industry | OrgRole::Temporary => {
                let mut per: Vec<(usize, usize)> = units
                    .iter()
                    .map(|&u| (u, self.rng.range(0, 2) as usize))
                    .collect();
                // Core members first: give the first units their members.
                for (u, n) in per.iter_mut() {
                    for _ in 0..*n {
                        if slots.len() < size {
                            slots.push(Some(*u));
                        }
                    }
                    *n = 0;
                }
                self.rng.shuffle(&mut slots);
                while slots.len() < size {
                    slots.push(None);
                }
            }
            _ => {
                let u = units.first().copied();
                slots.extend(std::iter::repeat_n(u, size));
            }
        }
        for (i, unit) in slots.into_iter().enumerate() {
            let kind = if plant == OrgPlant::TooFew && i == 2 {
                let a = self.cur.add_months(-10).first_day();
                let b = self.cur.add_months(-3).last_day();
                MemberKind::Fresh(a, b)
            } else if i < core || matches!(plant, OrgPlant::NeedsCommittee | OrgPlant::TooLarge) {
                MemberKind::Core
            } else if role == OrgRole::Dissolved {
                MemberKind::Stable
            } else {
                MemberKind::Normal
            };
            let m = self.new_member(o, unit, kind);
            let idx_in_org = self.orgs[o].members.len();
            self.orgs[o].members.push(m);
            let mg = &mut self.members[m];
            if groups > 0 {
                mg.group = (idx_in_org % groups) as u8;
            }
            if comm > 0 && idx_in_org < comm {
                mg.committee = true;
                mg.rec.party_post = Some(match (comm, idx_in_org) {
                    (_, 0) => PartyPost::Secretary,
                    (5, 1) => PartyPost::DeputySecretary,
                    (5, 2) | (3, 1) => PartyPost::Organisation,
                    (5, 3) | (3, 2) => PartyPost::Publicity,
                    (5, 4) => PartyPost::Discipline,
                    _ => PartyPost::CommitteeMember,
                });
            } else if idx_in_org == 0 {
                mg.rec.party_post = Some(PartyPost::Secretary);
            } else if groups > 0 && idx_in_org >= comm && idx_in_org < comm + groups {
                mg.rec.party_post = Some(PartyPost::GroupLeader);
            }
        }
        // Members of units without an org, kept in this (regional) branch.
        let hosted = self.orgs[o].hosted.clone();
        for u in hosted {
            for _ in 0..2 {
                let m = self.new_member(o, Some(u), MemberKind::Stable);
                let idx = self.orgs[o].members.len();
                self.orgs[o].members.push(m);
                if groups > 0 {
                    self.members[m].group = (idx % groups) as u8;
                }
                self.members[m].rec.note =
                    "组织关系在所在社区区域党支部，所在单位尚未建立党组织".to_string();
            }
        }
        if let Some(&sec) = self.orgs[o].members.first() {
            self.orgs[o].rec.secretary = self.members[sec].rec.name.clone();
        }

        // Dissolution: everybody transferred out on that day.
        if let Some(d) = self.orgs[o].rec.dissolved {
            for &m in &self.orgs[o].members {
                let rec = &mut self.members[m].rec;
                if rec.left.is_none_or(|l| l > d) {
                    rec.status = MemberStatus::TransferredOut;
                    rec.left = Some(d);
                    if rec.reported.is_some_and(|r| r >= d) {
                        rec.reported = None;
                        rec.note.clear();
                    }
                }
            }
        }
        // A branch that fell under three formal members last month.
        if plant == OrgPlant::TooFewByTransfer
            && let Some(&m) = self.orgs[o].members.get(2)
        {
            let prev = self.cur.prev();
            let d = self
                .rng
                .date(prev.first_day(), prev.last_day().min(self.today));
            let rec = &mut self.members[m].rec;
            rec.status = MemberStatus::TransferredOut;
            rec.left = Some(d);
            rec.note = "随工作调动转出组织关系".to_string();
        }
    }

    fn new_member(&mut self, o: usize, unit: Option<usize>, kind: MemberKind) -> usize {
        let ws = self.window_start();
        let flavor = unit.map(|u| self.units[u].flavor);
        let ne = match flavor.and_then(Flavor::new_employment) {
            Some(n) => Some(n),
            None if unit.is_none() => match self.orgs[o].ne_kind {
                Some(n) => Some(n),
                None if self.orgs[o].role == OrgRole::Regional && self.rng.chance(150) => {
                    Some(*self.rng.pick(&[
                        NewEmployment::Delivery,
                        NewEmployment::RideHailing,
                        NewEmployment::Trucker,
                        NewEmployment::Other,
                    ]))
                }
                None => None,
            },
            None => None,
        };
        let female_permille = match (flavor, ne) {
            (
                _,
                Some(NewEmployment::Courier | NewEmployment::Delivery | NewEmployment::Trucker),
            ) => 80,
            (Some(Flavor::ServiceCentre | Flavor::School | Flavor::Association), _) => 600,
            _ => 350,
        };
        let female = self.rng.chance(female_permille);
        let name = self.unique_person(female);

        // Joined (入党) and birth dates.
        let fresh = match kind {
            MemberKind::Fresh(a, b) => Some((a, b)),
            MemberKind::Normal if self.rng.chance(140) => {
                Some((add_days(ws, 20), add_days(self.today, -10)))
            }
            _ => None,
        };
        let (joined, birth) = match fresh {
            Some((a, b)) => {
                let joined = self.rng.date(a, b);
                let age = self.rng.range(20, 34) as i32;
                let latest_birth = add_years(joined, -18).min(ymd(2003, 12, 31));
                let birth = self
                    .rng
                    .date(add_years(joined, -age - 1), add_years(joined, -age))
                    .min(latest_birth);
                (joined, birth)
            }
            None => {
                let latest_join = add_days(ws, -400);
                let by = self.rng.range(
                    if ne.is_some() { 1972 } else { 1955 },
                    i64::from(latest_join.year() - 20).min(2000),
                ) as i32;
                let birth = self.rng.date(ymd(by, 1, 1), ymd(by, 12, 31));
                let age = self.rng.range(20, 38) as i32;
                let earliest = add_years(birth, 18).max(ymd(1975, 1, 1));
                let j = self
                    .rng
                    .date(add_years(birth, age), add_years(birth, age + 1));
                let j = if j > latest_join || j < earliest {
                    self.rng.date(earliest, latest_join.max(earliest))
                } else {
                    j
                };
                (j, birth)
            }
        };
        let mut rec = Member::new(&name, 0, MemberCategory::Formal);
        rec.gender = Some(if female { Gender::Female } else { Gender::Male });
        rec.birth = Some(birth);
        rec.id_number = self.id_number(birth, female);
        if !self.rng.chance(30) {
            rec.phone = self.mobile();
        }
        rec.unit_id = None;
        rec.joined = Some(joined);
        let confirmed = add_years(joined, 1);
        if confirmed <= self.today {
            rec.confirmed = Some(confirmed);
        } else {
            rec.category = MemberCategory::Probationary;
        }
        rec.new_employment = ne;

        let normal = kind == MemberKind::Normal;
        // Transfers out and deaths during the span.
        if normal && fresh.is_none() {
            if self.rng.chance(55) {
                let d = self.rng.date(add_days(ws, 30), add_days(self.today, -5));
                rec.status = MemberStatus::TransferredOut;
                rec.left = Some(d);
                rec.note = "组织关系转出".to_string();
            } else if birth.year() < 1962 && self.rng.chance(40) {
                let d = self.rng.date(add_days(ws, 30), add_days(self.today, -20));
                rec.status = MemberStatus::Deceased;
                rec.left = Some(d);
            }
        }
        let floating =
            normal && rec.left.is_none() && self.rng.chance(if ne.is_some() { 150 } else { 45 });
        rec.floating = floating;
        if floating && rec.note.is_empty() {
            rec.note = "流动党员，长期在外务工".to_string();
        }
        // Pocket members who reported to the org (亮身份).
        let pocket_permille = if ne.is_some() || self.orgs[o].role == OrgRole::Industry {
            300
        } else {
            70
        };
        if rec.left.is_none() && self.rng.chance(pocket_permille) {
            let from = joined.max(ws);
            let d = self.rng.date(from, add_days(self.today, -1));
            rec.reported = Some(d);
            if rec.note.is_empty() {
                rec.note = "口袋党员，亮身份报到".to_string();
            }
        }

        // Dues profile.
        let age_now = self.today.year() - birth.year();
        let retired_age = if female { 55 } else { 60 };
        let person = if unit.is_none() && self.orgs[o].role == OrgRole::Regional && ne.is_none() {
            let r = self.rng.below(100);
            match r {
                0..=34 => PersonType::Farmer,
                35..=39 => PersonType::Unemployed,
                40..=42 if age_now <= 24 => PersonType::Student,
                _ if age_now >= retired_age => PersonType::Retired,
                _ => PersonType::Employed,
            }
        } else if age_now >= retired_age && self.rng.chance(750) {
            PersonType::Retired
        } else {
            PersonType::Employed
        };
        let yuan = match person {
            PersonType::Employed => {
                let band = self.rng.below(100);
                let manager = kind == MemberKind::Core && self.rng.chance(400);
                match band {
                    _ if manager => self.rng.range(6000, 22000),
                    0..=24 => self.rng.range(1900, 3000),
                    25..=69 => self.rng.range(3000, 5000),
                    70..=91 => self.rng.range(5000, 10000),
                    _ => self.rng.range(10000, 20000),
                }
            }
            PersonType::Retired => self.rng.range(1800, 5500),
            _ => 0,
        };
        let base = yuan / 10 * 1000;
        let manual_due = if self.rng.chance(6) {
            Some(if self.rng.chance(400) { 0 } else { 100 })
        } else {
            None
        };
        let reliability = match kind {
            MemberKind::Core => self.rng.range(960, 995),
            _ if floating => self.rng.range(760, 880),
            _ => self.rng.range(900, 980),
        } as u16;
        self.members.push(MemberGen {
            rec,
            org: o,
            group: 0,
            committee: false,
            reliability,
            quiet_from: None,
            person,
            base,
            late_payer: floating,
            quarterly: person == PersonType::Retired && self.rng.chance(500),
            manual_due,
        });
        let m = self.members.len() - 1;
        self.members[m].rec.unit_id = unit.map(|u| u as i64); // index now, id at insert
        m
    }

    // ---- instructors ----------------------------------------------------

    fn build_instructors(&mut self) {
        let ws = self.window_start();
        let n = self.cfg.instructors;
        let departed = (n / 12).max(1);
        let small_town = self.town.clone();
        for i in 0..n {
            let female = self.rng.chance(300);
            let name = self.unique_person(female);
            let source = *self.rng.pick(&[
                InstructorSource::Government,
                InstructorSource::Government,
                InstructorSource::Hired,
                InstructorSource::Grassroots,
                InstructorSource::RetiredCadre,
                InstructorSource::StateEnterprise,
                InstructorSource::Township,
                InstructorSource::Township,
            ]);
            let workplace = match source {
                InstructorSource::Government => {
                    let d = self.rng.pick(INSTRUCTOR_DEPTS);
                    let p = self.rng.pick(INSTRUCTOR_POSTS);
                    if self.cfg.large {
                        format!("上饶经开区{d}{p}")
                    } else {
                        format!("{}{d}{p}", self.county)
                    }
                }
                InstructorSource::Hired => "专职党建工作指导员".to_string(),
                InstructorSource::Grassroots => {
                    let v = self.rng.below(self.villages.len());
                    format!("{}党组织委员", self.villages[v])
                }
                InstructorSource::RetiredCadre => {
                    if self.cfg.large {
                        "原经开区管委会调研员".to_string()
                    } else {
                        format!("原{small_town}人大主席")
                    }
                }
                InstructorSource::StateEnterprise => self.rng.pick(STATE_FIRMS).to_string(),
                InstructorSource::Township => {
                    let post = self.rng.pick(&[
                        "党政办副主任",
                        "党建办干事",
                        "社会事务办干事",
                        "经济发展办副主任",
                    ]);
                    format!("{small_town}{post}")
                }
            };
            let appointed = self.rng.date(ymd(2017, 3, 1), add_days(ws, -60));
            let mut rec = Instructor {
                id: 0,
                name,
                gender: Some(if female { Gender::Female } else { Gender::Male }),
                phone: self.mobile(),
                source,
                workplace,
                appointed,
                left: None,
                note: String::new(),
            };
            if i < departed {
                let d = self.rng.date(add_days(ws, 60), add_days(self.today, -45));
                rec.left = Some(d);
                rec.note = "工作调动离任".to_string();
            }
            self.instructors.push(InstructorGen { rec });
        }
        // Successors take over on the day their predecessor left.
        for i in 0..departed {
            let s = departed + i;
            if s >= n {
                break;
            }
            if let Some(d) = self.instructors[i].rec.left {
                let pred = self.instructors[i].rec.name.clone();
                self.instructors[s].rec.appointed = d;
                self.instructors[s].rec.note = format!("接替{pred}");
            }
        }

        // Units to assign: every work-covered unit, one inactive one, and a few
        // covered units whose branch is new or joint (guidance).
        let mut list: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::WorkCovered)
            .collect();
        if let Some(u) = (0..self.units.len()).find(|&u| {
            self.units[u].role == UnitRole::Inactive
                && self.units[u].rec.status == UnitStatus::Abnormal
        }) {
            list.push(u);
        }
        let guided: Vec<usize> = self
            .orgs
            .iter()
            .filter(|o| {
                o.role == OrgRole::Joint && o.plant == OrgPlant::None
                    || o.rec.established >= ws && o.role == OrgRole::Standalone
            })
            .flat_map(|o| o.units.iter().map(|(u, _, _)| *u))
            .collect();
        let want = (n * 3 / 2).max(list.len());
        let mut gi = guided.clone();
        self.rng.shuffle(&mut gi);
        for u in gi {
            if list.len() >= want {
                break;
            }
            if !list.contains(&u) {
                list.push(u);
            }
        }
        self.rng.shuffle(&mut list);
        // Successors get their units from their predecessors only.
        let assignable: Vec<usize> = (0..n)
            .filter(|&i| i < departed || i >= 2 * departed)
            .collect();
        if assignable.is_empty() {
            return;
        }
        for (j, u) in list.into_iter().enumerate() {
            let i = assignable[j % assignable.len()];
            let appointed = self.instructors[i].rec.appointed;
            let start = add_days(appointed, self.rng.range(0, 20));
            let end = self.instructors[i].rec.left;
            self.assignments.push(AssignmentGen {
                rec: Assignment {
                    id: 0,
                    instructor_id: 0,
                    unit_id: 0,
                    start,
                    end,
                },
                instructor: i,
                unit: u,
                skip: Vec::new(),
            });
            if let Some(d) = end {
                let s = i + departed;
                if s < n && s >= departed {
                    self.assignments.push(AssignmentGen {
                        rec: Assignment {
                            id: 0,
                            instructor_id: 0,
                            unit_id: 0,
                            start: d,
                            end: None,
                        },
                        instructor: s,
                        unit: u,
                        skip: Vec::new(),
                    });
                }
            }
        }
    }

    // ---- planted warnings ------------------------------------------------

    /// Plants the warnings that are not decided while building: expired
    /// terms, missing meetings, no quorum, inactive members, missing visits,
    /// overspending, incomplete unit facts. Everything else gets its
    /// election date and starting balance here too.
    fn plant(&mut self) {
        let k = self.cfg.k;
        let ws = self.window_start();
        let today = self.today;
        let cur = self.cur;

        // Election dates: inside the last three years, or the founding date.
        for o in 0..self.orgs.len() {
            let est = self.orgs[o].rec.established;
            let a = add_days(add_years(today, -3), 60);
            let b = add_days(today, -30);
            let elected = if est >= a { est } else { self.rng.date(a, b) };
            self.orgs[o].rec.elected = Some(elected);
        }

        // Ordinary branches, active since before the span, free for plants.
        let mut pool: Vec<usize> = (0..self.orgs.len())
            .filter(|&o| {
                let g = &self.orgs[o];
                matches!(
                    g.role,
                    OrgRole::Standalone
                        | OrgRole::EnterpriseSub
                        | OrgRole::Joint
                        | OrgRole::Regional
                ) && g.plant == OrgPlant::None
                    && g.rec.established < add_days(ws, -400)
                    && g.rec.dissolved.is_none()
            })
            .collect();
        self.rng.shuffle(&mut pool);
        let take =
            |g: &Gen, pred: &dyn Fn(&OrgGen) -> bool, pool: &mut Vec<usize>| -> Option<usize> {
                let i = pool.iter().position(|&o| pred(&g.orgs[o]))?;
                Some(pool.remove(i))
            };

        // term_expired
        for _ in 0..k {
            if let Some(o) = take(self, &|_| true, &mut pool) {
                let est = self.orgs[o].rec.established;
                let d = add_days(add_years(today, -3), -self.rng.range(15, 300)).max(est);
                self.orgs[o].rec.elected = Some(d);
            }
        }
        // org_missing_meetings: committee and theme day this month, groups last
        // month, the assembly of the last finished quarter, the appraisal of
        // last December.
        let last_q_end = {
            let mut m = cur;
            while !m.is_quarter_end() {
                m = m.prev();
            }
            m
        };
        let last_dec = month_of(
            if cur.month() == 12 {
                cur.year()
            } else {
                cur.year() - 1
            },
            12,
        );
        for _ in 0..k {
            if let Some(o) = take(self, &|g| g.rec.has_committee, &mut pool) {
                self.orgs[o].skips.push((cur, BC));
            }
            if let Some(o) = take(self, &|_| true, &mut pool) {
                self.orgs[o].skips.push((cur, TD));
            }
            if let Some(o) = take(self, &|g| g.groups > 0, &mut pool) {
                self.orgs[o].skips.push((cur.prev(), GM));
            }
            if let Some(o) = take(self, &|_| true, &mut pool) {
                self.orgs[o].skips.push((last_q_end, MA));
            }
            if last_dec >= self.start
                && let Some(o) = take(self, &|_| true, &mut pool)
            {
                self.orgs[o].skips.push((last_dec, AP));
                self.orgs[o].yearly_in_november = false;
            }
        }
        // meeting_no_quorum: an extra assembly this month (and last month).
        for i in 0..k + k / 2 {
            let month = if i < k { cur } else { cur.prev() };
            if let Some(o) = take(
                self,
                &|g| g.size >= 10 && g.role != OrgRole::Joint,
                &mut pool,
            ) {
                self.orgs[o].no_quorum.push(month);
            }
        }
        // fund_negative_balance
        for _ in 0..k.div_ceil(3) {
            if let Some(o) = take(self, &|g| g.role == OrgRole::Standalone, &mut pool) {
                self.orgs[o].overspend = Some(cur.prev());
            }
        }
        // member_no_activity_6m: members of ordinary branches, away for 7 months.
        let quiet_from = cur.add_months(-6).first_day();
        let mut quiet: Vec<usize> = pool
            .iter()
            .flat_map(|&o| self.orgs[o].members.iter().copied())
            .filter(|&m| {
                let g = &self.members[m];
                !g.committee
                    && g.rec.party_post.is_none()
                    && g.rec.left.is_none()
                    && g.rec.joined.is_some_and(|j| j < ws)
            })
            .collect();
        self.rng.shuffle(&mut quiet);
        for &m in quiet.iter().take(2 * k + 1) {
            let g = &mut self.members[m];
            g.quiet_from = Some(quiet_from);
            g.rec.floating = true;
            g.late_payer = true;
            g.rec.note = "长期在外务工，已联系流入地党组织".to_string();
        }
        // instructor_no_visit: this month and last month.
        let mut open: Vec<usize> = (0..self.assignments.len())
            .filter(|&a| {
                let g = &self.assignments[a];
                g.rec.end.is_none()
                    && g.rec.start < add_days(ws, 1)
                    && self.units[g.unit].rec.counted()
                    && self.instructors[g.instructor].rec.left.is_none()
            })
            .collect();
        self.rng.shuffle(&mut open);
        for (i, &a) in open.iter().take(2 * k + 1).enumerate() {
            let month = if i <= k { cur } else { cur.prev() };
            self.assignments[a].skip.push(month);
        }
        // unit_facts_incomplete: covered units missing a fact, uncovered units
        // missing the reason.
        let mut covered: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::Covered && self.units[u].rec.counted())
            .collect();
        self.rng.shuffle(&mut covered);
        for (i, &u) in covered.iter().take(2 * k).enumerate() {
            let rec = &mut self.units[u].rec;
            match i % 3 {
                0 => rec.needs.clear(),
                1 => rec.employees = None,
                _ => rec.investor.clear(),
            }
        }
        let mut work: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::WorkCovered)
            .collect();
        self.rng.shuffle(&mut work);
        for &u in work.iter().take(k) {
            self.units[u].rec.no_org_reason.clear();
        }
        if let Some(&u) = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::Blank)
            .collect::<Vec<_>>()
            .first()
        {
            self.units[u].rec.no_org_reason.clear();
        }
    }

    // ---- writing ---------------------------------------------------------

    fn insert_structure(&mut self, ch: &mut Change<'_>) -> Result<()> {
        for u in &mut self.units {
            ch.insert_quiet(&mut u.rec)?;
        }
        for o in 0..self.orgs.len() {
            let parent = self.orgs[o].parent.map(|p| self.orgs[p].rec.id);
            self.orgs[o].rec.parent_id = parent;
            ch.insert_quiet(&mut self.orgs[o].rec)?;
        }
        for o in &self.orgs {
            for &(u, from, to) in &o.units {
                let mut c = Coverage {
                    id: 0,
                    org_id: o.rec.id,
                    unit_id: self.units[u].rec.id,
                    from,
                    to,
                };
                ch.insert_quiet(&mut c)?;
            }
        }
        for m in &mut self.members {
            m.rec.org_id = self.orgs[m.org].rec.id;
            m.rec.unit_id = m.rec.unit_id.map(|u| self.units[u as usize].rec.id);
            ch.insert_quiet(&mut m.rec)?;
        }
        for i in &mut self.instructors {
            ch.insert_quiet(&mut i.rec)?;
        }
        for a in &mut self.assignments {
            a.rec.instructor_id = self.instructors[a.instructor].rec.id;
            a.rec.unit_id = self.units[a.unit].rec.id;
            ch.insert_quiet(&mut a.rec)?;
        }
        self.summary.units = self.units.len();
        self.summary.orgs = self.orgs.len();
        self.summary.members = self.members.len();
        self.summary.instructors = self.instructors.len();
        Ok(())
    }

    fn generate_months(
        &mut self,
        ch: &mut Change<'_>,
        progress: &mut dyn FnMut(&str),
    ) -> Result<()> {
        let mut m = self.start;
        let mut year = 0;
        for _ in 0..self.cfg.months {
            if m.year() != year {
                if year != 0 && self.cfg.large {
                    progress(&format!(
                        "  {year}年完成：累计会议 {} 次、出勤 {} 条、走访 {} 次、经费 {} 笔、党费 {} 条",
                        self.summary.meetings,
                        self.summary.attendance_rows,
                        self.summary.visits,
                        self.summary.fund_entries,
                        self.summary.dues_rows
                    ));
                }
                year = m.year();
                progress(&format!("正在生成{year}年的三会一课、走访、经费和党费…"));
            }
            for o in 0..self.orgs.len() {
                if self.orgs[o].is_branch() {
                    self.branch_meetings(ch, o, m)?;
                }
            }
            self.visits(ch, m)?;
            self.funds(ch, m)?;
            self.dues(ch, m)?;
            m = m.next();
        }
        progress(&format!(
            "  共生成会议 {} 次、出勤 {} 条、走访 {} 次、经费 {} 笔、党费 {} 条",
            self.summary.meetings,
            self.summary.attendance_rows,
            self.summary.visits,
            self.summary.fund_entries,
            self.summary.dues_rows
        ));
        Ok(())
    }

    // ---- meetings --------------------------------------------------------

    fn branch_meetings(&mut self, ch: &mut Change<'_>, o: usize, m: Month) -> Result<()> {
        let today = self.today;
        let first = m.first_day();
        let last = m.last_day().min(today);
        let est = self.orgs[o].rec.established;
        if est > last {
            return Ok(());
        }
        if let Some(d) = self.orgs[o].rec.dissolved
            && d <= m.last_day()
        {
            return Ok(());
        }
        if m.contains(est) {
            if est >= self.window_start() {
                let topic = "党支部成立大会暨第一次党员大会，选举产生支部班子";
                self.emit(ch, o, est, MA, Who::All, topic, Attend::Full)?;
            }
            return Ok(());
        }
        let skip = self.orgs[o]
            .skips
            .iter()
            .filter(|(sm, _)| *sm == m)
            .fold(0u8, |acc, (_, k)| acc | k);
        let first_full = Month::of(est).next().max(self.start);
        let qf = m.quarter_first_month();
        let lesson_month = qf.add_months(self.orgs[o].lesson_offset).max(first_full);
        let lesson_now = lesson_month == m;
        let q_end = m.is_quarter_end();
        let with_theme = self.orgs[o].lesson_with_theme;

        // 支部委员会
        if self.orgs[o].rec.has_committee && skip & BC == 0 {
            let d = day_in(m, self.rng.range(1, 6) as u32, today);
            let topic = self.topic(COMMITTEE_TOPICS, d, false);
            self.emit(ch, o, d, BC, Who::Committee, topic, Attend::Usual)?;
            if self.rng.chance(300) {
                let d = day_in(m, self.rng.range(16, 26) as u32, today);
                let topic = self.topic(COMMITTEE_TOPICS, d, false);
                self.emit(ch, o, d, BC, Who::Committee, topic, Attend::Usual)?;
            }
        }
        // 党小组会, one per group
        if skip & GM == 0 {
            for g in 0..self.orgs[o].groups {
                let d = day_in(m, self.rng.range(8, 14) as u32 + u32::from(g), today);
                let topic = self.topic(GROUP_TOPICS, d, false);
                self.emit(ch, o, d, GM, Who::Group(g), topic, Attend::Usual)?;
            }
        }
        // 主题党日 (often also the quarter's 党课)
        let mut theme_mask = TD;
        if (lesson_now && with_theme) || self.rng.chance(150) {
            theme_mask |= PL;
        }
        theme_mask &= !skip;
        if theme_mask != 0 {
            let d = day_in(m, self.orgs[o].theme_day, today);
            let topic = if theme_mask & TD != 0 {
                self.topic(THEMES, d, true)
            } else {
                self.topic(LESSON_TOPICS, d, false)
            };
            self.emit(ch, o, d, theme_mask, Who::All, topic, Attend::Usual)?;
            // Some months a second activity (volunteering, study visit).
            if theme_mask & TD != 0 && self.rng.chance(150) {
                let d = day_in(m, self.rng.range(22, 28) as u32, today);
                let topic = self.topic(THEMES, d, false);
                self.emit(ch, o, d, TD, Who::All, topic, Attend::Usual)?;
            }
        }
        // A separate 党课 when it is not given at the 主题党日 or the assembly
        let lesson_with_assembly =
            !with_theme && q_end && lesson_now && self.orgs[o].lesson_offset == 2;
        if lesson_now && !with_theme && !lesson_with_assembly {
            let d = day_in(m, self.rng.range(15, 22) as u32, today);
            let topic = self.topic(LESSON_TOPICS, d, false);
            self.emit(ch, o, d, PL, Who::All, topic, Attend::Usual)?;
        }
        // 支部党员大会 every quarter
        if q_end {
            let mut mask = MA;
            if lesson_with_assembly {
                mask |= PL;
            }
            mask &= !skip;
            if mask != 0 {
                let d = day_in(m, self.rng.range(20, 27) as u32, today);
                let topic = if mask & MA != 0 {
                    self.topic(ASSEMBLY_TOPICS, d, false)
                } else {
                    self.topic(LESSON_TOPICS, d, false)
                };
                self.emit(ch, o, d, mask, Who::All, topic, Attend::Usual)?;
            }
        }
        // An extra 支部党员大会 for member development business (not in a
        // branch whose quarterly assembly is planted as missing).
        let assembly_planted = self.orgs[o].skips.iter().any(|(_, k)| k & MA != 0);
        if !q_end && !assembly_planted && self.rng.chance(250) {
            let d = day_in(m, self.rng.range(16, 26) as u32, today);
            let topic = *self.rng.pick(&[
                "讨论确定入党积极分子",
                "讨论确定发展对象",
                "讨论接收预备党员",
                "讨论预备党员转正",
                "推荐优秀党员和先进党组织",
            ]);
            self.emit(ch, o, d, MA, Who::All, topic, Attend::Usual)?;
        }
        // Election of the current committee
        if let Some(e) = self.orgs[o].rec.elected
            && m.contains(e)
            && e > est
        {
            let topic = if self.orgs[o].rec.has_committee {
                "换届选举，选举产生新一届支部委员会"
            } else {
                "换届选举，选举产生新一届支部书记"
            };
            self.emit(ch, o, e, MA, Who::All, topic, Attend::Usual)?;
        }
        // 组织生活会 and 民主评议党员 once a year
        let nov = month_of(m.year(), 11);
        let yearly_month = if self.orgs[o].yearly_in_november && first_full <= nov {
            nov
        } else {
            month_of(m.year(), 12)
        };
        if yearly_month == m {
            let dec = month_of(m.year(), 12);
            let dec_skip = self.orgs[o]
                .skips
                .iter()
                .filter(|(sm, _)| *sm == dec)
                .fold(0u8, |acc, (_, k)| acc | k);
            let mask = (LM | AP) & !dec_skip;
            if mask != 0 {
                let d = day_in(m, self.rng.range(15, 28) as u32, today);
                self.emit(ch, o, d, mask, Who::All, "", Attend::Usual)?;
            }
        }
        // Planted: an assembly without quorum
        if self.orgs[o].no_quorum.contains(&m) {
            let d = day_in(m, self.rng.range(2, 12) as u32, today).max(first);
            self.emit(
                ch,
                o,
                d,
                MA,
                Who::All,
                "讨论接收预备党员（到会党员未过半数，会议改期）",
                Attend::NoQuorum,
            )?;
        }
        Ok(())
    }

    /// A topic for a meeting on `d`: dated and month topics first when
    /// `timely`, else from `list`.
    fn topic(&mut self, list: &'static [&'static str], d: NaiveDate, timely: bool) -> &'static str {
        if timely {
            let ym = yyyymm(d);
            let r = self.rng.below(100);
            if r < 30 {
                let n = DATED_THEMES
                    .iter()
                    .filter(|(_, a, b)| *a <= ym && ym <= *b)
                    .count();
                if n > 0 {
                    let i = self.rng.below(n);
                    if let Some((t, _, _)) = DATED_THEMES
                        .iter()
                        .filter(|(_, a, b)| *a <= ym && ym <= *b)
                        .nth(i)
                    {
                        return t;
                    }
                }
            } else if r < 45
                && let Some((t, _)) = MONTH_THEMES.iter().find(|(_, mo)| *mo == d.month())
            {
                return t;
            }
        }
        self.rng.word(list)
    }

    /// Writes one meeting with its attendance.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        ch: &mut Change<'_>,
        o: usize,
        date: NaiveDate,
        mask: u8,
        who: Who,
        topic: &str,
        mode: Attend,
    ) -> Result<()> {
        let org = &self.orgs[o];
        let mt = &mut self.meeting;
        mt.id = 0;
        mt.org_id = org.rec.id;
        mt.date = date;
        mt.kinds.clear();
        for k in MeetingKind::ALL {
            if mask & (1 << k.index()) != 0 {
                mt.kinds.push(*k);
            }
        }
        let sec = org
            .members
            .first()
            .map_or("", |&m| self.members[m].rec.name.as_str());
        let second = org
            .members
            .get(1)
            .map_or(sec, |&m| self.members[m].rec.name.as_str());
        mt.host.clear();
        mt.recorder.clear();
        mt.lecturer.clear();
        mt.place.clear();
        mt.topic.clear();
        mt.summary.clear();
        match who {
            Who::Group(g) => {
                let leader = org
                    .members
                    .iter()
                    .map(|&m| &self.members[m])
                    .find(|m| m.group == g && m.rec.party_post == Some(PartyPost::GroupLeader))
                    .map_or(sec, |m| m.rec.name.as_str());
                mt.host.push_str(leader);
            }
            _ => mt.host.push_str(sec),
        }
        mt.place.push_str(&org.home_place);
        mt.recorder.push_str(second);
        if mask & PL != 0 {
            let r = self.rng.below(10);
            mt.lecturer.push_str(match r {
                0..=5 => sec,
                6..=7 => second,
                _ => &self.head,
            });
        }
        // Topic, place and summary.
        if mask & (LM | AP) != 0 && topic.is_empty() {
            let y = date.year();
            if mask & LM != 0 && mask & AP != 0 {
                let _ = write!(mt.topic, "{y}年度组织生活会暨民主评议党员");
            } else if mask & LM != 0 {
                let _ = write!(mt.topic, "{y}年度组织生活会");
            } else {
                let _ = write!(mt.topic, "{y}年度民主评议党员");
            }
        } else if mask & TD != 0 && self.rng.chance(120) {
            let base = *self.rng.pick(RED_BASES);
            mt.place.clear();
            mt.place.push_str(base);
            let _ = write!(mt.topic, "赴{base}开展党性教育");
        } else {
            mt.topic.push_str(topic);
        }

        // Attendance.
        mt.attendance.clear();
        self.formal_buf.clear();
        for &mi in &org.members {
            let m = &self.members[mi];
            if !m.rec.active_on(date) {
                continue;
            }
            match who {
                Who::Committee if !m.committee => continue,
                Who::Group(g) if m.group != g => continue,
                _ => {}
            }
            let quiet = m.quiet_from.is_some_and(|q| date >= q);
            let (status, reason) = if quiet {
                if self.rng.chance(800) {
                    (AttendStatus::Leave, *self.rng.pick(FLOATING_REASONS))
                } else {
                    (AttendStatus::Absent, "")
                }
            } else if mode == Attend::Full || self.rng.below(1000) < usize::from(m.reliability) {
                (AttendStatus::Present, "")
            } else if self.rng.chance(750) {
                let r = if m.rec.floating {
                    *self.rng.pick(FLOATING_REASONS)
                } else {
                    *self.rng.pick(LEAVE_REASONS)
                };
                (AttendStatus::Leave, r)
            } else {
                (AttendStatus::Absent, "")
            };
            mt.attendance.push(Attendance {
                member_id: m.rec.id,
                status,
                reason: reason.to_string(),
            });
            self.formal_buf.push((m.rec.formal_on(date), quiet));
        }
        if mask & MA != 0 {
            let expected = self.formal_buf.iter().filter(|(f, _)| *f).count();
            let mut present = mt
                .attendance
                .iter()
                .zip(&self.formal_buf)
                .filter(|(a, (f, _))| *f && a.status == AttendStatus::Present)
                .count();
            if mode == Attend::NoQuorum {
                // Fewer than half of the formal members came: the rest were away.
                let allowed = expected / 2;
                for (a, (f, _)) in mt.attendance.iter_mut().zip(&self.formal_buf) {
                    if *f && a.status == AttendStatus::Present && present > allowed {
                        a.status = AttendStatus::Leave;
                        a.reason = (*self.rng.pick(&["出差", "外出务工", "加班", "外地项目驻场"]))
                            .to_string();
                        present -= 1;
                    }
                }
            } else {
                // A real branch reschedules until it has a quorum.
                for (a, (f, q)) in mt.attendance.iter_mut().zip(&self.formal_buf) {
                    if present * 2 > expected {
                        break;
                    }
                    if *f && !*q && a.status != AttendStatus::Present {
                        a.status = AttendStatus::Present;
                        a.reason.clear();
                        present += 1;
                    }
                }
            }
        }
        let (exp, pres, leave, _) = mt.tally();
        let host = mt.host.clone();
        let topic = mt.topic.clone();
        let s = &mut mt.summary;
        if mask & (LM | AP) != 0 {
            let _ = write!(
                s,
                "{host}主持召开{topic}，通报支部年度工作，党员逐一开展批评和自我批评"
            );
            if mask & AP != 0 {
                let _ = write!(s, "，进行民主评议，评议结果报上级党组织");
            }
            s.push('。');
        } else if mode == Attend::NoQuorum {
            let _ = write!(
                s,
                "应到{exp}人，实到{pres}人，请假{leave}人；到会正式党员未过半数，会议不作决定，改期召开。"
            );
        } else if mask & MA != 0 {
            let _ = write!(
                s,
                "{host}主持召开支部党员大会，{topic}，应到{exp}人，实到{pres}人。"
            );
        } else if mask & BC != 0 {
            let _ = write!(
                s,
                "{host}主持召开支委会，{topic}，支委逐一发表意见，形成会议决定。"
            );
        } else if mask & GM != 0 {
            let _ = write!(s, "党小组长{host}组织学习，{topic}，组员交流发言。");
        } else if mask & TD != 0 {
            let _ = write!(s, "{host}带领党员开展主题党日活动：{topic}。");
            if mask & PL != 0 {
                let _ = write!(s, "{}讲授专题党课。", mt.lecturer);
            }
        } else {
            let _ = write!(
                s,
                "{}以“{topic}”为题讲授专题党课，党员结合岗位实际交流发言。",
                mt.lecturer
            );
        }
        ch.insert_quiet(&mut self.meeting)?;
        self.summary.meetings += 1;
        self.summary.attendance_rows += self.meeting.attendance.len();
        Ok(())
    }

    // ---- visits ----------------------------------------------------------

    fn visits(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        let first = m.first_day();
        let last = m.last_day().min(self.today);
        for a in 0..self.assignments.len() {
            let g = &self.assignments[a];
            if g.skip.contains(&m) {
                continue;
            }
            let from = g.rec.start.max(first);
            let to = match g.rec.end {
                Some(e) => add_days(e, -1).min(last),
                None => last,
            };
            if from > to {
                continue;
            }
            let n = if self.rng.chance(150) { 2 } else { 1 };
            for _ in 0..n {
                let date = self.rng.date(from, to);
                let (mode, contents) = *self.rng.pick(VISIT_CONTENT);
                let mode = VisitMode::parse(mode).unwrap_or(VisitMode::Visit);
                let content = (*self.rng.pick(contents)).to_string();
                let (problems, resolved) = if self.rng.chance(250) {
                    let p = (*self.rng.pick(VISIT_PROBLEMS)).to_string();
                    (p, Some(self.rng.chance(600)))
                } else {
                    (String::new(), None)
                };
                let g = &self.assignments[a];
                let mut v = Visit {
                    id: 0,
                    instructor_id: self.instructors[g.instructor].rec.id,
                    unit_id: self.units[g.unit].rec.id,
                    date,
                    mode,
                    content,
                    problems,
                    resolved,
                };
                ch.insert_quiet(&mut v)?;
                self.summary.visits += 1;
            }
        }
        Ok(())
    }

    fn insert_assessments(&mut self, ch: &mut Change<'_>) -> Result<()> {
        for i in 0..self.instructors.len() {
            for y in self.start.year()..self.today.year() {
                let rec = &self.instructors[i].rec;
                if rec.appointed > ymd(y, 10, 1) || rec.left.is_some_and(|l| l <= ymd(y, 12, 31)) {
                    continue;
                }
                let r = self.rng.below(100);
                let grade = match r {
                    0..=21 => Assessment::Excellent,
                    22..=95 => Assessment::Competent,
                    _ => Assessment::Basic,
                };
                let mut a = InstructorAssessment {
                    id: 0,
                    instructor_id: rec.id,
                    year: y,
                    grade,
                    note: String::new(),
                };
                ch.insert_quiet(&mut a)?;
            }
        }
        Ok(())
    }

    // ---- funds -----------------------------------------------------------

    /// Writes one fund entry and keeps the balance. Expenses are cut to the
    /// balance (skipped below 100 元) unless `force`.
    #[allow(clippy::too_many_arguments)]
    fn fund(
        &mut self,
        ch: &mut Change<'_>,
        date: NaiveDate,
        org: Option<usize>,
        cat: FundCategory,
        fen: i64,
        summary: String,
        force: bool,
    ) -> Result<()> {
        let income = cat.direction() == FundDirection::Income;
        let balance = match org {
            Some(o) => self.orgs[o].balance,
            None => self.town_balance,
        };
        let mut amount = fen;
        if !income && !force && amount > balance {
            if balance < 10_000 {
                return Ok(());
            }
            amount = balance * self.rng.range(50, 90) / 100;
        }
        if amount <= 0 {
            return Ok(());
        }
        let (voucher, handler) = match org {
            Some(o) => {
                let g = &mut self.orgs[o];
                if g.voucher_year != date.year() {
                    g.voucher_year = date.year();
                    g.voucher_seq = 0;
                }
                g.voucher_seq += 1;
                g.balance += if income { amount } else { -amount };
                (
                    format!("{}-{:03}", date.year(), g.voucher_seq),
                    g.rec.secretary.clone(),
                )
            }
            None => {
                if self.town_voucher.0 != date.year() {
                    self.town_voucher = (date.year(), 0);
                }
                self.town_voucher.1 += 1;
                self.town_balance += if income { amount } else { -amount };
                (
                    format!("记{}-{:03}", date.year(), self.town_voucher.1),
                    self.preparer.clone(),
                )
            }
        };
        let mut e = FundEntry {
            id: 0,
            date,
            org_id: org.map(|o| self.orgs[o].rec.id),
            direction: cat.direction(),
            category: cat,
            amount: Fen(amount),
            voucher,
            handler,
            summary,
        };
        ch.insert_quiet(&mut e)?;
        self.summary.fund_entries += 1;
        Ok(())
    }

    /// Fund entries of month `m`: the township level, then every branch.
    fn funds(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        self.town_funds(ch, m)?;
        for o in 0..self.orgs.len() {
            if self.orgs[o].is_branch() {
                self.branch_funds(ch, o, m)?;
            }
        }
        Ok(())
    }

    /// 乡镇本级: the yearly appropriation, subsidies, returned dues;
    /// instructors' allowances, training, venues, relief.
    fn town_funds(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        let today = self.today;
        let y = m.year();
        let mo = m.month();
        let branches = self.orgs.iter().filter(|o| o.is_branch()).count() as i64;
        let yearly = branches * 600_000 + 8_000_000;

        // Township level.
        if m == self.start {
            let rest_of_year = i64::from(13 - mo) % 12;
            let amount = yearly * self.rng.range(15, 25) / 100 + yearly * rest_of_year / 12;
            self.fund(
                ch,
                day_in(m, 2, today),
                None,
                FundCategory::OtherIncome,
                amount,
                "上年度两新组织党建工作经费结余结转".to_string(),
                false,
            )?;
        }
        if mo == 1 {
            let amount = yearly * self.rng.range(95, 110) / 100 / 1000 * 1000;
            let d = day_in(m, self.rng.range(8, 20) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::Appropriation,
                amount,
                format!("{y}年度两新组织党建工作经费（财政拨款）"),
                false,
            )?;
        }
        if mo == 3 {
            let amount = yearly * self.rng.range(8, 15) / 100 / 100 * 100;
            let d = day_in(m, self.rng.range(10, 25) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::HigherSubsidy,
                amount,
                "上级组织部门下拨新兴领域党建工作补助".to_string(),
                false,
            )?;
        }
        if mo == 6 {
            let amount = yearly * self.rng.range(4, 8) / 100 / 100 * 100;
            let d = day_in(m, self.rng.range(5, 20) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::DuesReturn,
                amount,
                "上级党委返还党费".to_string(),
                false,
            )?;
        }
        if m.is_quarter_end() {
            let n = self
                .instructors
                .iter()
                .filter(|i| i.rec.active_on(m.last_day()))
                .count() as i64;
            let d = day_in(m, self.rng.range(20, 28) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::PostAllowance,
                n * 60_000,
                format!("{y}年第{}季度党建工作指导员工作补贴", m.quarter()),
                false,
            )?;
        }
        let town_expense: Option<(FundCategory, i64, String)> = match mo {
            4 => Some((
                FundCategory::Venue,
                yearly * self.rng.range(8, 15) / 100,
                format!("{}党群服务中心阵地提升", self.town),
            )),
            5 | 10 => Some((
                FundCategory::Training,
                yearly * self.rng.range(3, 6) / 100,
                "两新组织党组织书记和党建工作指导员培训班".to_string(),
            )),
            1 => Some((
                FundCategory::Relief,
                yearly * self.rng.range(2, 4) / 100,
                "春节走访慰问困难党员和老党员".to_string(),
            )),
            7 => Some((
                FundCategory::Relief,
                yearly * self.rng.range(2, 4) / 100,
                "“七一”走访慰问和“夏送清凉”关爱新就业群体".to_string(),
            )),
            _ => None,
        };
        if let Some((cat, amount, s)) = town_expense {
            let d = day_in(m, self.rng.range(10, 26) as u32, today);
            self.fund(ch, d, None, cat, amount / 100 * 100, s, false)?;
        }
        if self.rng.chance(500) {
            let d = day_in(m, self.rng.range(3, 27) as u32, today);
            let amount = yearly * self.rng.range(5, 15) / 1000 / 100 * 100;
            let s = *self.rng.pick(&[
                "订阅党报党刊",
                "制作党建宣传展板",
                "两新组织党建工作推进会",
                "购置党建学习资料",
            ]);
            let cat = if s.contains("资料") || s.contains("党刊") {
                FundCategory::Materials
            } else {
                FundCategory::Activities
            };
            self.fund(ch, d, None, cat, amount, s.to_string(), false)?;
        }

        Ok(())
    }

    /// One branch in month `m`: start-up money, carried-over balance,
    /// quarterly returned dues and enterprise support, subsidies, a
    /// planted overspend, and most months an expense.
    fn branch_funds(&mut self, ch: &mut Change<'_>, o: usize, m: Month) -> Result<()> {
        let today = self.today;
        let mo = m.month();
        if !self.orgs[o].is_branch() {
            return Ok(());
        }
        let est = self.orgs[o].rec.established;
        if est > m.last_day().min(today) {
            return Ok(());
        }
        if self.orgs[o]
            .rec
            .dissolved
            .is_some_and(|d| d <= m.last_day())
        {
            return Ok(());
        }
        let size = self.orgs[o].members.len() as i64;
        if m.contains(est) {
            if est >= self.window_start() {
                let amount = self.rng.range(5, 10) * 100_000;
                let d = add_days(est, self.rng.range(3, 12))
                    .min(m.last_day())
                    .min(today);
                let name = self.orgs[o].rec.name.clone();
                self.fund(
                    ch,
                    d,
                    None,
                    FundCategory::OtherExpense,
                    amount,
                    format!("拨付{name}启动经费"),
                    true,
                )?;
                self.fund(
                    ch,
                    d,
                    Some(o),
                    FundCategory::StartUp,
                    amount,
                    "新成立党组织启动经费".to_string(),
                    false,
                )?;
            }
            return Ok(());
        }
        if m == self.start {
            let amount = self.rng.range(3, 20) * 10_000 * (1 + size / 10);
            self.fund(
                ch,
                day_in(m, 2, today),
                Some(o),
                FundCategory::OtherIncome,
                amount,
                "上年度党组织工作经费结余结转".to_string(),
                false,
            )?;
        }
        let frozen = self.orgs[o].frozen;
        if !frozen && matches!(mo, 1 | 4 | 7 | 10) {
            let d = day_in(m, self.rng.range(5, 15) as u32, today);
            let amount = size * self.rng.range(20, 50) * 100;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::DuesReturn,
                amount,
                "上级党委按规定返还党费".to_string(),
                false,
            )?;
            if self.orgs[o].enterprise_money && self.rng.chance(600) {
                let d = day_in(m, self.rng.range(10, 25) as u32, today);
                let amount = self.rng.range(20, 80) * 10_000;
                let uname = self.orgs[o]
                    .units
                    .first()
                    .map_or(String::new(), |(u, _, _)| self.units[*u].rec.name.clone());
                if self.rng.chance(500) {
                    self.fund(
                        ch,
                        d,
                        Some(o),
                        FundCategory::PreTax,
                        amount,
                        format!("{uname}按规定列支党组织工作经费"),
                        false,
                    )?;
                } else {
                    self.fund(
                        ch,
                        d,
                        Some(o),
                        FundCategory::EnterpriseSupport,
                        amount,
                        format!("{uname}支持党组织活动经费"),
                        false,
                    )?;
                }
            }
        }
        if !frozen
            && mo == 4
            && matches!(
                self.orgs[o].role,
                OrgRole::Joint | OrgRole::Regional | OrgRole::Industry | OrgRole::Temporary
            )
        {
            let d = day_in(m, self.rng.range(10, 25) as u32, today);
            let amount = self.rng.range(30, 80) * 10_000;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::HigherSubsidy,
                amount,
                "上级党委下拨联合党组织工作补助".to_string(),
                false,
            )?;
        }
        if !frozen && mo == 6 && self.rng.chance(250) {
            let d = day_in(m, self.rng.range(10, 25) as u32, today);
            let amount = self.rng.range(10, 30) * 10_000;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::DuesSubsidy,
                amount,
                "上级党委下拨党费补助（“七一”慰问）".to_string(),
                false,
            )?;
        }
        if self.orgs[o].overspend == Some(m) {
            let d = day_in(m, self.rng.range(5, 20) as u32, today);
            let amount = self.orgs[o].balance.max(0) + self.rng.range(30, 80) * 10_000;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::Venue,
                amount,
                "党员活动室标准化建设（先行垫支，待上级补助到位后结算）".to_string(),
                true,
            )?;
            self.orgs[o].frozen = true;
            return Ok(());
        }
        if self.rng.chance(650) {
            let d = day_in(m, self.rng.range(3, 28) as u32, today);
            let r = self.rng.below(100);
            let (cat, s): (FundCategory, &str) = match r {
                _ if matches!(mo, 1 | 7) && r < 30 => (
                    FundCategory::Relief,
                    if mo == 1 {
                        "春节慰问困难党员"
                    } else {
                        "“七一”慰问老党员"
                    },
                ),
                0..=49 => (
                    FundCategory::Activities,
                    if matches!(mo, 6 | 7) && self.rng.chance(400) {
                        "“七一”建党节系列活动"
                    } else {
                        self.rng.word(&[
                            "开展主题党日活动",
                            "开展党员志愿服务活动",
                            "组织党员参观学习",
                            "党员先锋岗创建活动",
                        ])
                    },
                ),
                50..=69 => (
                    FundCategory::Training,
                    *self.rng.pick(&[
                        "组织党员赴方志敏纪念馆开展党性教育",
                        "党员教育培训",
                        "入党积极分子培训",
                    ]),
                ),
                70..=87 => (
                    FundCategory::Materials,
                    *self
                        .rng
                        .pick(&["购买党建学习资料", "订阅党报党刊", "购买党员学习读本"]),
                ),
                88..=94 => (FundCategory::Relief, "走访慰问困难党员"),
                _ => (
                    FundCategory::Venue,
                    *self
                        .rng
                        .pick(&["党员活动室制度上墙", "购置党员活动室桌椅", "更新党建宣传栏"]),
                ),
            };
            let amount = self.rng.range(200, 1200) * 100 * (15 + size) / 15;
            self.fund(
                ch,
                d,
                Some(o),
                cat,
                amount / 100 * 100,
                s.to_string(),
                false,
            )?;
        }
        Ok(())
    }

    // ---- dues ------------------------------------------------------------

    fn dues(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        let today = self.today;
        let end = m.last_day();
        let age = self.cur.months_since(m);
        let unpaid_permille = match age {
            0 => 60,
            1 => 20,
            2 => 10,
            _ => 2,
        };
        let years = i64::from(m.year() - self.start.year());
        for i in 0..self.members.len() {
            let g = &self.members[i];
            if !g.rec.active_on(end) {
                continue;
            }
            let org = &self.orgs[g.org];
            if org.rec.formation == Formation::Temporary {
                continue;
            }
            let base = if g.base > 0 {
                Some(Fen(g.base * (100 + 3 * years) / 100 / 1000 * 1000))
            } else {
                None
            };
            let standard = standard_due(g.person, base, self.farmer_fen);
            let (due, manual) = match (g.manual_due, standard) {
                (Some(f), _) => (Fen(f), true),
                (None, Some(f)) => (f, false),
                (None, None) => continue,
            };
            // When and whether it was paid.
            let unpaid = due.0 == 0
                || g.quiet_from.is_some_and(|q| q <= end)
                || self.rng.chance(unpaid_permille);
            let paid_date = if unpaid {
                None
            } else if g.late_payer && self.rng.chance(500) {
                // Paid two months late in one go, if that has happened yet.
                let d = m.add_months(2).first_day();
                let d = add_days(d, self.rng.range(2, 15));
                (d <= today).then_some(d)
            } else if g.quarterly {
                let qf = m.quarter_first_month();
                let d = day_in(qf, 5 + (i % 10) as u32, today);
                Some(d.max(g.rec.joined.unwrap_or(d)))
            } else {
                let d = day_in(m, self.rng.range(3, 25) as u32, today);
                Some(d)
            };
            let paid = match paid_date {
                Some(_) if self.rng.chance(3) => Fen(due.0 / 2),
                Some(_) => due,
                None => Fen::ZERO,
            };
            let mut d = Dues {
                id: 0,
                month: m,
                member_id: g.rec.id,
                org_id: org.rec.id,
                base,
                person_type: Some(g.person),
                due,
                due_manual: manual,
                paid,
                paid_date,
            };
            ch.insert_quiet(&mut d)?;
            self.summary.dues_rows += 1;
        }
        Ok(())
    }
}

/// How a meeting's attendance is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attend {
    /// By each member's reliability; assemblies always reach a quorum.
    Usual,
    /// Everybody who is not away for months comes (founding meetings).
    Full,
    /// Planted: formal members present are at most half.
    NoQuorum,
}

/// Who is expected at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    All,
    Committee,
    Group(u8),
}

#[cfg(test)]
mod tests {
    use super::*;
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
