//! Plain record types, one per table of FORMATS.md. No SQL, no terminal.
//!
//! Optional text is an empty `String`; optional dates and numbers are
//! `Option`. Ids are SQLite row ids (0 = not yet stored).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::Month;
use super::enums::*;
use super::money::Fen;

/// 两新组织: an enterprise or social organisation in the township.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub kind: UnitKind,
    pub industry: String,
    pub village: String,
    pub address: String,
    /// 出资人
    pub investor: String,
    pub contact: String,
    pub phone: String,
    /// 职工人数
    pub employees: Option<i64>,
    pub status: UnitStatus,
    pub has_union: Option<bool>,
    pub has_league: Option<bool>,
    pub has_women: Option<bool>,
    /// 未建党组织原因
    pub no_org_reason: String,
    /// 发展需求
    pub needs: String,
    pub note: String,
}

impl Unit {
    pub fn new(name: &str, kind: UnitKind) -> Self {
        Unit {
            id: 0,
            name: name.to_string(),
            credit_code: String::new(),
            kind,
            industry: String::new(),
            village: String::new(),
            address: String::new(),
            investor: String::new(),
            contact: String::new(),
            phone: String::new(),
            employees: None,
            status: UnitStatus::Normal,
            has_union: None,
            has_league: None,
            has_women: None,
            no_org_reason: String::new(),
            needs: String::new(),
            note: String::new(),
        }
    }

    /// Counted in rates: only units really operating (DOMAIN.md "Time").
    pub fn counted(&self) -> bool {
        self.status == UnitStatus::Normal
    }
}

/// 党组织.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyOrg {
    pub id: i64,
    pub name: String,
    pub org_type: OrgType,
    pub formation: Formation,
    pub parent_id: Option<i64>,
    pub established: NaiveDate,
    pub dissolved: Option<NaiveDate>,
    /// 本届选举日期
    pub elected: Option<NaiveDate>,
    pub secretary: String,
    /// 设支委会
    pub has_committee: bool,
    /// 党小组数
    pub group_count: i64,
    pub note: String,
}

impl PartyOrg {
    pub fn new(
        name: &str,
        org_type: OrgType,
        formation: Formation,
        established: NaiveDate,
    ) -> Self {
        PartyOrg {
            id: 0,
            name: name.to_string(),
            org_type,
            formation,
            parent_id: None,
            established,
            dissolved: None,
            elected: None,
            secretary: String::new(),
            has_committee: false,
            group_count: 0,
            note: String::new(),
        }
    }

    /// Active at the end of day `d` (DOMAIN.md "Time").
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.established <= d && self.dissolved.is_none_or(|x| x > d)
    }
}

/// One link "org covers unit", valid from `from` to `to` (exclusive end like
/// every other 结束 date: active at d when from ≤ d and (no to or to > d)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub id: i64,
    pub org_id: i64,
    pub unit_id: i64,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Coverage {
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.from <= d && self.to.is_none_or(|x| x > d)
    }
}

/// 党员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    pub gender: Option<Gender>,
    pub birth: Option<NaiveDate>,
    pub id_number: String,
    pub phone: String,
    pub org_id: i64,
    pub unit_id: Option<i64>,
    pub category: MemberCategory,
    /// 入党日期
    pub joined: Option<NaiveDate>,
    /// 转正日期
    pub confirmed: Option<NaiveDate>,
    pub status: MemberStatus,
    /// 离开日期
    pub left: Option<NaiveDate>,
    /// 流动党员
    pub floating: bool,
    /// 亮身份报到日期
    pub reported: Option<NaiveDate>,
    pub new_employment: Option<NewEmployment>,
    pub party_post: Option<PartyPost>,
    pub note: String,
}

impl Member {
    pub fn new(name: &str, org_id: i64, category: MemberCategory) -> Self {
        Member {
            id: 0,
            name: name.to_string(),
            gender: None,
            birth: None,
            id_number: String::new(),
            phone: String::new(),
            org_id,
            unit_id: None,
            category,
            joined: None,
            confirmed: None,
            status: MemberStatus::Registered,
            left: None,
            floating: false,
            reported: None,
            new_employment: None,
            party_post: None,
            note: String::new(),
        }
    }

    /// Active at the end of day `d`.
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.joined.is_none_or(|j| j <= d) && self.left.is_none_or(|l| l > d)
    }

    /// Formal (正式) at the end of day `d`, given it is active.
    pub fn formal_on(&self, d: NaiveDate) -> bool {
        match self.confirmed {
            Some(c) => c <= d,
            None => self.category == MemberCategory::Formal,
        }
    }

    /// Sits on the branch committee (for 支部委员会 attendance).
    pub fn on_committee(&self) -> bool {
        matches!(
            self.party_post,
            Some(PartyPost::Secretary)
                | Some(PartyPost::DeputySecretary)
                | Some(PartyPost::Organisation)
                | Some(PartyPost::Publicity)
                | Some(PartyPost::Discipline)
                | Some(PartyPost::CommitteeMember)
        )
    }
}

/// 党建工作指导员.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instructor {
    pub id: i64,
    pub name: String,
    pub gender: Option<Gender>,
    pub phone: String,
    pub source: InstructorSource,
    /// 工作单位及职务
    pub workplace: String,
    /// 选派日期
    pub appointed: NaiveDate,
    /// 离任日期
    pub left: Option<NaiveDate>,
    pub note: String,
}

impl Instructor {
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.appointed <= d && self.left.is_none_or(|l| l > d)
    }
}

/// 指导员联系单位.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub id: i64,
    pub instructor_id: i64,
    pub unit_id: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl Assignment {
    pub fn active_on(&self, d: NaiveDate) -> bool {
        self.start <= d && self.end.is_none_or(|e| e > d)
    }
}

/// 走访记录.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: i64,
    pub instructor_id: i64,
    pub unit_id: i64,
    pub date: NaiveDate,
    pub mode: VisitMode,
    pub content: String,
    /// 收集问题
    pub problems: String,
    /// 是否解决
    pub resolved: Option<bool>,
}

/// 指导员年度考核.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructorAssessment {
    pub id: i64,
    pub instructor_id: i64,
    pub year: i32,
    pub grade: Assessment,
    pub note: String,
}

/// One member's row in a meeting's attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub member_id: i64,
    pub status: AttendStatus,
    /// 请假 reason (empty otherwise).
    pub reason: String,
}

/// 三会一课 and other organisational life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: i64,
    pub org_id: i64,
    /// One or more kinds, in `MeetingKind::ALL` order, no repeats.
    pub kinds: Vec<MeetingKind>,
    pub date: NaiveDate,
    pub place: String,
    pub host: String,
    pub recorder: String,
    /// 授课人 (for a 党课)
    pub lecturer: String,
    pub topic: String,
    /// 内容摘要
    pub summary: String,
    pub attendance: Vec<Attendance>,
}

impl Meeting {
    /// A meeting of `org_id` on `date` with nothing else filled in yet.
    pub fn new(org_id: i64, kinds: Vec<MeetingKind>, date: NaiveDate) -> Self {
        Meeting {
            id: 0,
            org_id,
            kinds,
            date,
            place: String::new(),
            host: String::new(),
            recorder: String::new(),
            lecturer: String::new(),
            topic: String::new(),
            summary: String::new(),
            attendance: Vec::new(),
        }
    }

    pub fn has_kind(&self, k: MeetingKind) -> bool {
        self.kinds.contains(&k)
    }

    /// 应到, 实到, 请假, 缺席.
    pub fn tally(&self) -> (usize, usize, usize, usize) {
        let mut t = (self.attendance.len(), 0, 0, 0);
        for a in &self.attendance {
            match a.status {
                AttendStatus::Present => t.1 += 1,
                AttendStatus::Leave => t.2 += 1,
                AttendStatus::Absent => t.3 += 1,
            }
        }
        t
    }
}

/// Kinds as a bit mask (bit i = `MeetingKind::ALL[i]`), as stored.
pub fn kinds_to_mask(kinds: &[MeetingKind]) -> i64 {
    kinds.iter().fold(0, |m, k| m | (1 << k.index()))
}

pub fn kinds_from_mask(mask: i64) -> Vec<MeetingKind> {
    MeetingKind::ALL
        .iter()
        .copied()
        .filter(|k| mask & (1 << k.index()) != 0)
        .collect()
}

/// 党建工作经费: one income or expense entry. `org_id` None = 乡镇本级.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundEntry {
    pub id: i64,
    pub date: NaiveDate,
    pub org_id: Option<i64>,
    pub direction: FundDirection,
    pub category: FundCategory,
    /// Always > 0; `direction` gives the sign.
    pub amount: Fen,
    /// 凭证号
    pub voucher: String,
    /// 经办人
    pub handler: String,
    /// 摘要
    pub summary: String,
}

impl FundEntry {
    pub fn signed(&self) -> Fen {
        match self.direction {
            FundDirection::Income => self.amount,
            FundDirection::Expense => Fen(-self.amount.0),
        }
    }
}

/// 党费: one member's dues for one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dues {
    pub id: i64,
    pub month: Month,
    pub member_id: i64,
    /// The org the member paid in (the member's org when the row was made).
    pub org_id: i64,
    /// 计算基数 (monthly income after tax).
    pub base: Option<Fen>,
    pub person_type: Option<PersonType>,
    /// 应交
    pub due: Fen,
    /// True when 应交 was entered (approved 少交/免交), not computed.
    pub due_manual: bool,
    /// 实交
    pub paid: Fen,
    /// 交纳日期
    pub paid_date: Option<NaiveDate>,
}

impl Dues {
    pub fn is_paid(&self) -> bool {
        self.paid >= self.due
    }
}

/// Township settings, with the [L] rules of DOMAIN.md and their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// 乡镇名称
    pub township: String,
    /// 制表人
    pub preparer: String,
    /// 审核人
    pub reviewer: String,
    /// 负责人
    pub head: String,
    /// Joint branch limit (units), default 5.
    pub joint_branch_limit: i64,
    /// 党课 required every N months (3 = quarterly), default 3.
    pub lesson_every_months: i64,
    /// Visits an instructor owes each assigned unit per month, default 1.
    pub visits_per_month: i64,
    /// 农民 dues per month in fen, default 20 (0.20 元; allowed 20–100).
    pub farmer_dues_fen: i64,
    /// Unicode box drawing instead of ASCII borders.
    pub unicode_borders: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            township: String::new(),
            preparer: String::new(),
            reviewer: String::new(),
            head: String::new(),
            joint_branch_limit: 5,
            lesson_every_months: 3,
            visits_per_month: 1,
            farmer_dues_fen: 20,
            unicode_borders: false,
        }
    }
}
