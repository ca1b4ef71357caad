//! The sheets and columns of FORMATS.md, shared by the template, the import
//! and the export so that the three can never disagree.

use crate::domain::enums::*;

/// What a column holds: decides how a cell is read, written and checked,
/// and which drop-down the template offers.
#[derive(Clone, Copy)]
pub enum Kind {
    /// Free text.
    Text,
    /// Text that must stay text in Excel (ID numbers, phones, codes).
    Code,
    Date,
    Month,
    Money,
    Int,
    YesNo,
    /// One value of an enumeration; the function gives its labels.
    Choice(fn() -> Vec<&'static str>),
    /// Several values of an enumeration in one cell.
    ChoiceList(fn() -> Vec<&'static str>),
    /// A name that refers to a record of another sheet.
    Ref(&'static str),
    /// A list of names.
    List,
}

pub struct Col {
    pub name: &'static str,
    pub required: bool,
    pub kind: Kind,
    /// What the clerk should write (shown in the 说明 sheet).
    pub help: &'static str,
    pub example: &'static str,
}

pub struct SheetSpec {
    pub name: &'static str,
    /// What the sheet is, for the 说明 sheet.
    pub about: &'static str,
    pub cols: &'static [Col],
}

impl SheetSpec {
    pub fn col(&self, name: &str) -> Option<&Col> {
        self.cols.iter().find(|c| c.name == name)
    }
}

pub(super) const fn c(
    name: &'static str,
    required: bool,
    kind: Kind,
    help: &'static str,
    example: &'static str,
) -> Col {
    Col {
        name,
        required,
        kind,
        help,
        example,
    }
}

use Kind::*;

pub const UNITS: SheetSpec = SheetSpec {
    name: "单位",
    about: "两新组织（非公企业、社会组织等），按名称识别：名称相同即更新原记录",
    cols: &[
        c(
            "名称",
            true,
            Text,
            "单位全称，不能重复",
            "城关镇宏达机械有限公司",
        ),
        c(
            "统一社会信用代码",
            false,
            Code,
            "18位代码",
            "91360102MA35XXXX0X",
        ),
        c("类型", true, Choice(UnitKind::labels), "", "非公企业"),
        c("行业", false, Text, "", "机械制造"),
        c("所在村社区", false, Text, "", "城东社区"),
        c("地址", false, Text, "", "工业园区纬二路8号"),
        c("出资人", false, Text, "", "王建国"),
        c("联系人", false, Text, "", "李红"),
        c("联系电话", false, Code, "手机号", "13800138000"),
        c("职工人数", false, Int, "整数", "56"),
        c(
            "经营状态",
            false,
            Choice(UnitStatus::labels),
            "空着为“正常”",
            "正常",
        ),
        c("有工会", false, YesNo, "", "是"),
        c("有共青团", false, YesNo, "", "否"),
        c("有妇联", false, YesNo, "", "否"),
        c("未建党组织原因", false, Text, "", "无党员"),
        c("发展需求", false, Text, "", "招工难"),
        c("备注", false, Text, "", ""),
    ],
};

pub const ORGS: SheetSpec = SheetSpec {
    name: "党组织",
    about: "党委、党总支、党支部，按名称识别；覆盖单位按本党组织的成立、撤销日期记录",
    cols: &[
        c(
            "名称",
            true,
            Text,
            "党组织全称，不能重复",
            "宏达机械有限公司党支部",
        ),
        c("类型", true, Choice(OrgType::labels), "", "党支部"),
        c("组建方式", true, Choice(Formation::labels), "", "单独组建"),
        c(
            "上级党组织",
            false,
            Ref("党组织"),
            "上级党组织的名称",
            "城关镇非公企业综合党委",
        ),
        c("成立日期", true, Date, "", "2019-07-01"),
        c("撤销日期", false, Date, "", ""),
        c("本届选举日期", false, Date, "", "2024-06-20"),
        c("书记", false, Text, "", "王建国"),
        c("设支委会", false, YesNo, "空着为“否”", "否"),
        c("党小组数", false, Int, "整数，空着为0", "2"),
        c(
            "覆盖单位",
            false,
            List,
            "单位名称，多个用顿号分隔；须在“单位”表中",
            "宏达机械有限公司",
        ),
        c("备注", false, Text, "", ""),
    ],
};

pub const MEMBERS: SheetSpec = SheetSpec {
    name: "党员",
    about: "填了身份证号按身份证号识别，否则按所在党组织内的姓名识别",
    cols: &[
        c("姓名", true, Text, "", "张三"),
        c("性别", false, Choice(Gender::labels), "", "男"),
        c("出生日期", false, Date, "", "1985-03-12"),
        c(
            "身份证号",
            false,
            Code,
            "18位，末位校验码须正确",
            "110101198503120017",
        ),
        c("手机", false, Code, "", "13900139000"),
        c(
            "所在党组织",
            true,
            Ref("党组织"),
            "党组织名称",
            "宏达机械有限公司党支部",
        ),
        c(
            "所在单位",
            false,
            Ref("单位"),
            "单位名称",
            "城关镇宏达机械有限公司",
        ),
        c("类别", true, Choice(MemberCategory::labels), "", "正式党员"),
        c("入党日期", false, Date, "", "2010-07-01"),
        c("转正日期", false, Date, "", "2011-07-01"),
        c(
            "状态",
            false,
            Choice(MemberStatus::labels),
            "空着为“在册”",
            "在册",
        ),
        c("离开日期", false, Date, "状态不是“在册”时必填", ""),
        c("流动党员", false, YesNo, "空着为“否”", "否"),
        c(
            "亮身份报到日期",
            false,
            Date,
            "口袋党员亮身份报到的日期",
            "",
        ),
        c(
            "新就业群体",
            false,
            Choice(NewEmployment::labels),
            "不是则空着",
            "",
        ),
        c(
            "党内职务",
            false,
            Choice(PartyPost::labels),
            "没有则空着",
            "书记",
        ),
        c("备注", false, Text, "", ""),
    ],
};

pub const INSTRUCTORS: SheetSpec = SheetSpec {
    name: "指导员",
    about: "党建工作指导员，按姓名识别",
    cols: &[
        c("姓名", true, Text, "", "刘伟"),
        c("性别", false, Choice(Gender::labels), "", "男"),
        c("手机", false, Code, "", "13700137000"),
        c(
            "来源",
            true,
            Choice(InstructorSource::labels),
            "",
            "机关选派",
        ),
        c("工作单位及职务", false, Text, "", "县委组织部组织科科员"),
        c("选派日期", true, Date, "", "2025-03-01"),
        c("离任日期", false, Date, "", ""),
        c("备注", false, Text, "", ""),
    ],
};

pub const ASSIGNMENTS: SheetSpec = SheetSpec {
    name: "指导员联系单位",
    about: "指导员联系哪些单位；按指导员、单位和开始日期识别",
    cols: &[
        c("指导员", true, Ref("指导员"), "指导员姓名", "刘伟"),
        c(
            "单位",
            true,
            Ref("单位"),
            "单位名称",
            "城关镇宏达机械有限公司",
        ),
        c("开始日期", true, Date, "", "2025-03-01"),
        c("结束日期", false, Date, "", ""),
    ],
};

pub const VISITS: SheetSpec = SheetSpec {
    name: "走访记录",
    about: "指导员到单位走访、指导的记录",
    cols: &[
        c("指导员", true, Ref("指导员"), "指导员姓名", "刘伟"),
        c(
            "单位",
            true,
            Ref("单位"),
            "单位名称",
            "城关镇宏达机械有限公司",
        ),
        c("日期", true, Date, "", "2026-10-15"),
        c(
            "方式",
            false,
            Choice(VisitMode::labels),
            "空着为“走访”",
            "走访",
        ),
        c("内容", true, Text, "", "宣传党建政策，了解职工中党员情况"),
        c("收集问题", false, Text, "", ""),
        c("是否解决", false, YesNo, "", ""),
    ],
};

pub const MEETINGS: SheetSpec = SheetSpec {
    name: "会议",
    about: "三会一课等组织生活，按党组织、日期和类型识别；出席、请假、缺席填本党组织党员姓名",
    cols: &[
        c(
            "党组织",
            true,
            Ref("党组织"),
            "党组织名称",
            "宏达机械有限公司党支部",
        ),
        c(
            "类型",
            true,
            ChoiceList(MeetingKind::labels),
            "可填多个，用顿号分隔",
            "主题党日、党课",
        ),
        c("日期", true, Date, "", "2026-10-15"),
        c("地点", false, Text, "", "党员活动室"),
        c("主持人", false, Text, "", "王建国"),
        c("记录人", false, Text, "", "李红"),
        c("授课人", false, Text, "", "王建国"),
        c("主题", true, Text, "", "学习党的二十届四中全会精神"),
        c("出席", false, List, "党员姓名，用顿号分隔", "王建国、李红"),
        c("请假", false, List, "可在括号里写原因", "张三（出差）"),
        c("缺席", false, List, "", ""),
        c("内容摘要", false, Text, "", ""),
    ],
};

pub const FUNDS: SheetSpec = SheetSpec {
    name: "经费",
    about: "党建工作经费收支；党组织空着表示乡镇本级",
    cols: &[
        c("日期", true, Date, "", "2026-10-08"),
        c("党组织", false, Ref("党组织"), "空着表示乡镇本级", ""),
        c("收支", true, Choice(FundDirection::labels), "", "收入"),
        c(
            "类别",
            true,
            Choice(FundCategory::labels),
            "收入、支出各有各的类别",
            "财政拨款",
        ),
        c("金额", true, Money, "元，最多两位小数，大于0", "5000.00"),
        c("凭证号", false, Text, "", "记-2026-10-001"),
        c("经办人", false, Text, "", "李红"),
        c("摘要", true, Text, "", "县委组织部下拨党建工作经费"),
    ],
};

pub const DUES: SheetSpec = SheetSpec {
    name: "党费",
    about: "每名党员每月一行，按党员和月份识别；应交空着按标准自动计算",
    cols: &[
        c("月份", true, Month, "", "2026-10"),
        c("姓名", true, Text, "", "张三"),
        c(
            "身份证号",
            false,
            Code,
            "填了就按身份证号找党员",
            "110101198503120017",
        ),
        c(
            "所在党组织",
            true,
            Ref("党组织"),
            "交纳党费的党组织",
            "宏达机械有限公司党支部",
        ),
        c("计算基数", false, Money, "月收入（税后），元", "6000.00"),
        c("人员类型", false, Choice(PersonType::labels), "", "在职"),
        c(
            "应交",
            false,
            Money,
            "空着按人员类型和计算基数自动计算；填了按所填（批准少交、免交）",
            "",
        ),
        c("实交", true, Money, "元，可为0", "90.00"),
        c("交纳日期", false, Date, "", "2026-10-10"),
    ],
};

/// Every sheet, in the order of FORMATS.md (the order an import applies).
pub const SHEETS: [&SheetSpec; 9] = [
    &UNITS,
    &ORGS,
    &MEMBERS,
    &INSTRUCTORS,
    &ASSIGNMENTS,
    &VISITS,
    &MEETINGS,
    &FUNDS,
    &DUES,
];

/// Rows added, updated and left unchanged in one sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetSummary {
    pub sheet: &'static str,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl SheetSummary {
    pub fn rows(&self) -> usize {
        self.added + self.updated + self.unchanged
    }
}

/// The help sheet's name (skipped by an import).
pub const HELP_SHEET: &str = "说明";

pub fn sheet(name: &str) -> Option<&'static SheetSpec> {
    SHEETS.iter().copied().find(|s| s.name == name)
}

/// The format of a kind of column, for the 说明 sheet.
pub fn format_text(kind: Kind) -> String {
    match kind {
        Text => "文字".into(),
        Code => "文字（请设为文本格式，以免被改成科学计数法）".into(),
        Date => "日期：2026-10-15、2026/10/15、2026.10.15、2026年10月15日或Excel日期，在 1900-01-01 至 2100-12-31 之间，不带时间".into(),
        Month => "月份：2026-10 或 2026年10月，在 1900-01 至 2100-12 之间".into(),
        Money => "金额（元）：1234.5、1,234.50、¥1234.50，最多两位小数；经费一笔最多 100,000,000.00 元（1 亿元），党费的计算基数、应交、实交最多 1,000,000.00 元（100 万元）".into(),
        Int => "整数".into(),
        YesNo => "是 / 否".into(),
        Choice(f) => format!("选填其一：{}", f().join("、")),
        ChoiceList(f) => format!("一个或多个，用顿号分隔：{}", f().join("、")),
        Ref(sheet) => format!("“{sheet}”表中已有的名称"),
        List => "多个用顿号（、）、逗号或分号分隔".into(),
    }
}
