//! `WarningCode`: every kind of warning the monthly report gives
//! (DOMAIN.md, FORMATS.md), with its code word, its Chinese headings and the
//! kind of record it is about (the screen that opens it). In domain so that
//! the report, the screens, the store, the demo and the import name a
//! warning by the same enum without depending on `report`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Every kind of warning the report gives, in the order the report lists
/// them (its rank). Serialised as the snake_case code word of the JSON
/// (FORMATS.md); the one list the report, the screens, the store and the
/// tests name a warning by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    UnitMembersNoOrg,
    UnitUncovered,
    UnitQualifiesStandalone,
    UnitFactsIncomplete,
    JointBranchTooManyUnits,
    BranchTooFewMembers,
    BranchTooLarge,
    CommitteeRequired,
    TermExpired,
    OrgMissingMeetings,
    MeetingNoQuorum,
    #[serde(rename = "member_no_activity_6m")]
    MemberNoActivity6m,
    InstructorNoVisit,
    FundNegativeBalance,
    DuesUnpaid,
}

/// The kind of record a warning is about (the screen that opens it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningRecord {
    Unit,
    Org,
    Member,
    Instructor,
}

impl WarningCode {
    pub const ALL: &'static [WarningCode] = &[
        WarningCode::UnitMembersNoOrg,
        WarningCode::UnitUncovered,
        WarningCode::UnitQualifiesStandalone,
        WarningCode::UnitFactsIncomplete,
        WarningCode::JointBranchTooManyUnits,
        WarningCode::BranchTooFewMembers,
        WarningCode::BranchTooLarge,
        WarningCode::CommitteeRequired,
        WarningCode::TermExpired,
        WarningCode::OrgMissingMeetings,
        WarningCode::MeetingNoQuorum,
        WarningCode::MemberNoActivity6m,
        WarningCode::InstructorNoVisit,
        WarningCode::FundNegativeBalance,
        WarningCode::DuesUnpaid,
    ];

    /// The code word, as in the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::UnitMembersNoOrg => "unit_members_no_org",
            WarningCode::UnitUncovered => "unit_uncovered",
            WarningCode::UnitQualifiesStandalone => "unit_qualifies_standalone",
            WarningCode::UnitFactsIncomplete => "unit_facts_incomplete",
            WarningCode::JointBranchTooManyUnits => "joint_branch_too_many_units",
            WarningCode::BranchTooFewMembers => "branch_too_few_members",
            WarningCode::BranchTooLarge => "branch_too_large",
            WarningCode::CommitteeRequired => "committee_required",
            WarningCode::TermExpired => "term_expired",
            WarningCode::OrgMissingMeetings => "org_missing_meetings",
            WarningCode::MeetingNoQuorum => "meeting_no_quorum",
            WarningCode::MemberNoActivity6m => "member_no_activity_6m",
            WarningCode::InstructorNoVisit => "instructor_no_visit",
            WarningCode::FundNegativeBalance => "fund_negative_balance",
            WarningCode::DuesUnpaid => "dues_unpaid",
        }
    }

    /// The short Chinese heading of the printed report.
    pub fn heading(self) -> &'static str {
        match self {
            WarningCode::UnitMembersNoOrg => "有党员未建组织",
            WarningCode::UnitUncovered => "空白点",
            WarningCode::UnitQualifiesStandalone => "应单独组建",
            WarningCode::UnitFactsIncomplete => "七个清不全",
            WarningCode::JointBranchTooManyUnits => "联合支部超限",
            WarningCode::BranchTooFewMembers => "党员不足3名",
            WarningCode::BranchTooLarge => "党员超过50名",
            WarningCode::CommitteeRequired => "应设支委会",
            WarningCode::TermExpired => "任期届满",
            WarningCode::OrgMissingMeetings => "三会一课未落实",
            WarningCode::MeetingNoQuorum => "大会不足半数",
            WarningCode::MemberNoActivity6m => "半年未参加活动",
            WarningCode::InstructorNoVisit => "指导员未走访",
            WarningCode::FundNegativeBalance => "经费余额为负",
            WarningCode::DuesUnpaid => "党费未交清",
        }
    }

    /// The heading of its group among the overview's to-dos.
    pub fn list_heading(self) -> &'static str {
        match self {
            WarningCode::UnitMembersNoOrg => "有党员未建组织的单位",
            WarningCode::UnitUncovered => "未覆盖的单位（空白点）",
            WarningCode::UnitQualifiesStandalone => "具备单独组建条件的单位",
            WarningCode::UnitFactsIncomplete => "七个清未填全的单位",
            WarningCode::JointBranchTooManyUnits => "联合党支部覆盖单位过多",
            WarningCode::BranchTooFewMembers => "正式党员不足 3 人的党支部",
            WarningCode::BranchTooLarge => "党员超过 50 人的党支部",
            WarningCode::CommitteeRequired => "应设支委会的党支部",
            WarningCode::TermExpired => "应换届的党支部",
            WarningCode::OrgMissingMeetings => "三会一课未开齐",
            WarningCode::MeetingNoQuorum => "党员大会不足法定人数",
            WarningCode::MemberNoActivity6m => "连续 6 个月未参加组织生活的党员",
            WarningCode::InstructorNoVisit => "指导员本月走访次数不足的联系单位",
            WarningCode::FundNegativeBalance => "经费结余为负",
            WarningCode::DuesUnpaid => "党费未交齐的党员",
        }
    }

    /// What the warning's subject names.
    pub fn record(self) -> WarningRecord {
        use WarningCode::*;
        match self {
            UnitMembersNoOrg | UnitUncovered | UnitQualifiesStandalone | UnitFactsIncomplete => {
                WarningRecord::Unit
            }
            JointBranchTooManyUnits
            | BranchTooFewMembers
            | BranchTooLarge
            | CommitteeRequired
            | TermExpired
            | OrgMissingMeetings
            | MeetingNoQuorum
            | FundNegativeBalance => WarningRecord::Org,
            MemberNoActivity6m | DuesUnpaid => WarningRecord::Member,
            InstructorNoVisit => WarningRecord::Instructor,
        }
    }

    /// The rules about an org itself (its size, committee and term), shown
    /// beside it on the orgs screen.
    pub fn about_org_itself(self) -> bool {
        use WarningCode::*;
        matches!(
            self,
            JointBranchTooManyUnits
                | BranchTooFewMembers
                | BranchTooLarge
                | CommitteeRequired
                | TermExpired
        )
    }

    pub fn parse(code: &str) -> Option<WarningCode> {
        Self::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl std::ops::Deref for WarningCode {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for WarningCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for WarningCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// Position of a code in the report's order (unknown codes sort last).
pub fn warning_rank(code: &str) -> usize {
    WarningCode::parse(code).map_or(WarningCode::ALL.len(), |c| c as usize)
}

/// The Chinese heading of a warning code.
pub fn warning_heading(code: &str) -> &str {
    match WarningCode::parse(code) {
        Some(c) => c.heading(),
        None => code,
    }
}
