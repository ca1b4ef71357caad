//! Every enumeration of FORMATS.md, each parsed from and shown as its Chinese label;
//! and the one parser of a list of meeting kinds (a workbook cell, the meeting form).

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

/// How a list of meeting kinds is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindsInput {
    /// A workbook cell (FORMATS.md): full labels separated by `、` `，`
    /// `,` `;` `；`, each at most once.
    Cell,
    /// The meeting form: also the numbers 1–7 (`2`, `1 4`), the short
    /// names of the printed report (`大会`, `支委` …), full-width
    /// characters, and spaces or `+` between kinds; a kind written twice
    /// counts once.
    Typed,
}

impl MeetingKind {
    /// Parses a list of kinds, written as `input` says, into `ALL` order,
    /// each once. Err: what is wrong, one Chinese message each (every
    /// problem of a cell; the first one of a typed list).
    pub fn parse_list(s: &str, input: KindsInput) -> Result<Vec<MeetingKind>, Vec<String>> {
        let mut kinds = match input {
            KindsInput::Cell => Self::parse_cell(s)?,
            KindsInput::Typed => Self::parse_typed(s).map_err(|e| vec![e])?,
        };
        kinds.sort_by_key(|k| k.index());
        Ok(kinds)
    }

    fn parse_cell(s: &str) -> Result<Vec<MeetingKind>, Vec<String>> {
        let items = crate::domain::text::split_list(s);
        if items.is_empty() {
            return Err(vec![format!(
                "必填，不能为空，可填：{}",
                Self::labels().join("、")
            )]);
        }
        let mut kinds = Vec::new();
        let mut problems = Vec::new();
        for item in items {
            match Self::parse(&item) {
                Ok(k) if kinds.contains(&k) => problems.push(format!("“{item}”写了两次")),
                Ok(k) => kinds.push(k),
                Err(e) => problems.push(e),
            }
        }
        if problems.is_empty() {
            Ok(kinds)
        } else {
            Err(problems)
        }
    }

    fn parse_typed(s: &str) -> Result<Vec<MeetingKind>, String> {
        let t = crate::domain::text::fold_input(s);
        let mut kinds: Vec<MeetingKind> = Vec::new();
        let mut push = |k: MeetingKind| {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        };
        if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ' ') {
            for c in t.chars().filter(|c| c.is_ascii_digit()) {
                let i = c.to_digit(10).unwrap_or(0) as usize;
                match i.checked_sub(1).and_then(|i| Self::ALL.get(i)) {
                    Some(k) => push(*k),
                    None => return Err(format!("“{c}”不是会议类型的编号（1–7）")),
                }
            }
        } else {
            for part in t
                .split(['、', '，', ',', ' ', ';', '；', '+'])
                .filter(|p| !p.is_empty())
            {
                match Self::ALL
                    .iter()
                    .find(|k| k.label() == part || kind_short(**k) == part)
                {
                    Some(k) => push(*k),
                    None => {
                        return Err(format!(
                            "“{part}”不是会议类型，可写数字 1–7 或名称，如 支部委员会"
                        ));
                    }
                }
            }
        }
        if kinds.is_empty() {
            return Err("必填，至少一种会议类型（可写数字，如 2）".to_string());
        }
        Ok(kinds)
    }
}

/// The short name of a meeting kind in the report's columns and the
/// meeting list (`大会`); the meeting form takes it too.
pub fn kind_short(k: MeetingKind) -> &'static str {
    match k {
        MeetingKind::MembersAssembly => "大会",
        MeetingKind::BranchCommittee => "支委",
        MeetingKind::GroupMeeting => "小组",
        MeetingKind::PartyLesson => "党课",
        MeetingKind::ThemeDay => "党日",
        MeetingKind::LifeMeeting => "生活",
        MeetingKind::Appraisal => "评议",
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
    fn kinds_in_a_cell() {
        use KindsInput::Cell;
        assert_eq!(
            MeetingKind::parse_list("党课、支部党员大会", Cell),
            Ok(vec![MeetingKind::MembersAssembly, MeetingKind::PartyLesson])
        );
        assert_eq!(
            MeetingKind::parse_list(" 主题党日 ；党课,组织生活会", Cell),
            Ok(vec![
                MeetingKind::PartyLesson,
                MeetingKind::ThemeDay,
                MeetingKind::LifeMeeting
            ])
        );
        let e = MeetingKind::parse_list("、", Cell).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("必填，不能为空，可填：支部党员大会、"),
            "{e:?}"
        );
        // Every problem, in order; short names and numbers are not labels.
        let e = MeetingKind::parse_list("党课、开会、党课、大会、2", Cell).unwrap_err();
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].starts_with("会议类型“开会”不是可选值，应为："),
            "{e:?}"
        );
        assert_eq!(e[1], "“党课”写了两次");
        assert!(e[2].contains("“大会”") && e[3].contains("“2”"), "{e:?}");
        // Spaces do not separate in a cell.
        assert!(MeetingKind::parse_list("党课 主题党日", Cell).is_err());
    }

    #[test]
    fn kinds_typed_in_the_form() {
        use KindsInput::Typed;
        let ok = |s: &str| MeetingKind::parse_list(s, Typed).unwrap();
        let err = |s: &str| MeetingKind::parse_list(s, Typed).unwrap_err();
        assert_eq!(ok("2"), vec![MeetingKind::BranchCommittee]);
        assert_eq!(
            ok("4 1"),
            vec![MeetingKind::MembersAssembly, MeetingKind::PartyLesson]
        );
        assert_eq!(ok("14"), ok("1 4"));
        assert_eq!(ok("２"), vec![MeetingKind::BranchCommittee]);
        assert_eq!(ok("党日+党课+党课"), ok("党课、主题党日"));
        assert_eq!(ok("支部委员会，大会"), ok("12"));
        assert_eq!(err("8"), vec!["“8”不是会议类型的编号（1–7）".to_string()]);
        assert_eq!(
            err("党课、开会、会"),
            vec!["“开会”不是会议类型，可写数字 1–7 或名称，如 支部委员会".to_string()]
        );
        assert_eq!(
            err("  "),
            vec!["必填，至少一种会议类型（可写数字，如 2）".to_string()]
        );
        for k in MeetingKind::ALL {
            assert_eq!(ok(kind_short(*k)), vec![*k]);
            assert_eq!(ok(k.label()), vec![*k]);
        }
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
