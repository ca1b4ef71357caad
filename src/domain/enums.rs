//! Every enumeration of FORMATS.md, each parsed from and shown as its Chinese label.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a fieldless enum whose values are stored, parsed and shown as
/// their Chinese labels (the labels are what clerks type and what the
/// import/export workbook holds).
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order of FORMATS.md.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What the field is called, for messages.
            pub const WHAT: &'static str = $what;

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses the Chinese label (surrounding spaces ignored).
            pub fn parse(s: &str) -> Result<Self, String> {
                let t = s.trim();
                $(if t == $label { return Ok($name::$variant); })+
                Err(format!(
                    "{}“{}”不是可选值，应为：{}",
                    $what,
                    t,
                    Self::ALL.iter().map(|v| v.label()).collect::<Vec<_>>().join("、")
                ))
            }

            /// The list of labels, joined for help texts and drop-downs.
            pub fn labels() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }

            /// Position in `ALL`, used as the stored code.
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
            }

            /// The next value in `ALL`, wrapping (Space in a form cycles).
            pub fn cycle(self) -> Self {
                let i = self.index();
                Self::ALL[(i + 1) % Self::ALL.len()]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> { Self::parse(s) }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.label()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let s = v.as_str()?;
                Self::parse(s).map_err(|e| rusqlite::types::FromSqlError::Other(e.into()))
            }
        }
    };
}

labelled_enum!(
    /// 类型 of a unit (两新组织).
    UnitKind, "单位类型" {
    NonPublic => "非公企业",
    Mixed => "混合所有制企业",
    Social => "社会组织",
    NewEconomy => "新业态企业",
});

labelled_enum!(
    /// 经营状态: only 正常 units count in rates.
    UnitStatus, "经营状态" {
    Normal => "正常",
    Abnormal => "异常",
    Closed => "注销",
});

labelled_enum!(
    /// 类型 of a party organisation.
    OrgType, "党组织类型" {
    Committee => "党委",
    GeneralBranch => "党总支",
    Branch => "党支部",
});

labelled_enum!(
    /// 组建方式.
    Formation, "组建方式" {
    Standalone => "单独组建",
    Joint => "联合组建",
    Regional => "区域联建",
    Industry => "行业统建",
    Temporary => "临时组建",
});

labelled_enum!(Gender, "性别" {
    Male => "男",
    Female => "女",
});

labelled_enum!(
    /// 类别 of a member.
    MemberCategory, "党员类别" {
    Formal => "正式党员",
    Probationary => "预备党员",
});

labelled_enum!(
    /// 状态 of a member.
    MemberStatus, "党员状态" {
    Registered => "在册",
    TransferredOut => "转出",
    Deceased => "去世",
});

labelled_enum!(
    /// 新就业群体.
    NewEmployment, "新就业群体" {
    Courier => "快递员",
    Delivery => "外卖配送员",
    RideHailing => "网约车司机",
    Trucker => "货车司机",
    Streamer => "网络主播",
    Other => "其他",
});

labelled_enum!(
    /// 党内职务.
    PartyPost, "党内职务" {
    Secretary => "书记",
    DeputySecretary => "副书记",
    Organisation => "组织委员",
    Publicity => "宣传委员",
    Discipline => "纪检委员",
    CommitteeMember => "委员",
    GroupLeader => "党小组长",
});

labelled_enum!(
    /// 来源 of an instructor.
    InstructorSource, "指导员来源" {
    Government => "机关选派",
    Hired => "社会选聘",
    Grassroots => "基层选拔",
    RetiredCadre => "退出领导岗位干部",
    StateEnterprise => "国企党员干部",
    Township => "乡镇干部",
});

labelled_enum!(
    /// 方式 of an instructor's visit.
    VisitMode, "走访方式" {
    Visit => "走访",
    Guidance => "指导",
    Lecture => "党课",
    Policy => "政策宣传",
    Other => "其他",
});

labelled_enum!(
    /// 年度考核 of an instructor.
    Assessment, "年度考核" {
    Excellent => "优秀",
    Competent => "称职",
    Basic => "基本称职",
    Incompetent => "不称职",
});

labelled_enum!(
    /// Kinds of 三会一课 and other organisational life.
    MeetingKind, "会议类型" {
    MembersAssembly => "支部党员大会",
    BranchCommittee => "支部委员会",
    GroupMeeting => "党小组会",
    PartyLesson => "党课",
    ThemeDay => "主题党日",
    LifeMeeting => "组织生活会",
    Appraisal => "民主评议党员",
});

labelled_enum!(
    /// One member's attendance at a meeting.
    AttendStatus, "出勤" {
    Present => "出席",
    Leave => "请假",
    Absent => "缺席",
});

labelled_enum!(
    /// 收支.
    FundDirection, "收支" {
    Income => "收入",
    Expense => "支出",
});

labelled_enum!(
    /// 类别 of a fund entry: income categories first, then expense ones.
    FundCategory, "经费类别" {
    Appropriation => "财政拨款",
    DuesReturn => "党费返还",
    DuesSubsidy => "党费补助",
    PreTax => "税前列支",
    StartUp => "启动经费",
    HigherSubsidy => "上级补助",
    EnterpriseSupport => "企业支持",
    OtherIncome => "其他收入",
    Activities => "组织活动",
    Venue => "阵地建设",
    Training => "教育培训",
    Relief => "慰问帮扶",
    PostAllowance => "岗位补贴",
    Materials => "资料购置",
    OtherExpense => "其他支出",
});

labelled_enum!(
    /// 人员类型 for dues.
    PersonType, "人员类型" {
    Employed => "在职",
    Retired => "离退休",
    Student => "学生",
    Unemployed => "失业或低保",
    Farmer => "农民",
    Other => "其他",
});

impl FundCategory {
    /// Whether the category belongs to income (else expense).
    pub fn direction(self) -> FundDirection {
        if self.index() < 8 {
            FundDirection::Income
        } else {
            FundDirection::Expense
        }
    }

    /// The categories allowed for one direction.
    pub fn for_direction(d: FundDirection) -> Vec<FundCategory> {
        Self::ALL
            .iter()
            .copied()
            .filter(|c| c.direction() == d)
            .collect()
    }
}

/// Parses 是/否 (also Y/N, 1/0, true/false as written by other tools).
pub fn parse_yes_no(s: &str, what: &str) -> Result<bool, String> {
    match s.trim() {
        "是" | "Y" | "y" | "1" | "true" | "TRUE" | "√" => Ok(true),
        "否" | "N" | "n" | "0" | "false" | "FALSE" | "×" => Ok(false),
        other => Err(format!("{what}“{other}”应为“是”或“否”")),
    }
}

pub fn yes_no(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::parse(k.label()).ok(), Some(*k));
        }
        assert_eq!(Formation::parse(" 联合组建 ").ok(), Some(Formation::Joint));
        let e = UnitKind::parse("国企").unwrap_err();
        assert!(e.contains("单位类型") && e.contains("国企") && e.contains("非公企业"));
    }

    #[test]
    fn fund_category_directions() {
        assert_eq!(FundCategory::PreTax.direction(), FundDirection::Income);
        assert_eq!(FundCategory::OtherIncome.direction(), FundDirection::Income);
        assert_eq!(FundCategory::Activities.direction(), FundDirection::Expense);
        assert_eq!(FundCategory::for_direction(FundDirection::Expense).len(), 7);
    }

    #[test]
    fn yes_no_parse() {
        assert_eq!(parse_yes_no("是", "有工会"), Ok(true));
        assert!(parse_yes_no("有", "有工会").unwrap_err().contains("有工会"));
    }
}
