//! Validation of whole records, with Chinese messages that name the field.
//! Errors block a save; warnings (an old credit code failing its check
//! character) are shown but do not.

use chrono::NaiveDate;

use super::dates::{Month, check_date_range};
use super::enums::*;
use super::ids;
use super::money::{Fen, MAX_DUES_FEN, MAX_ENTRY_FEN, check_max};
use super::records::*;
use super::text::{MAX_MINUTES_CHARS, MAX_NAME_CHARS, MAX_TEXT_CHARS, check_length};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's Chinese label, as in FORMATS.md (名称, 入党日期 …).
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{}", self.field, self.message)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Issues {
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

impl Issues {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    fn error(&mut self, field: &'static str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field,
            message: message.into(),
        });
    }

    fn warn(&mut self, field: &'static str, message: impl Into<String>) {
        self.warnings.push(FieldError {
            field,
            message: message.into(),
        });
    }

    fn required(&mut self, field: &'static str, value: &str) {
        if value.trim().is_empty() {
            self.error(field, "必填，请填写");
        }
    }

    /// `later` must not be before `earlier` (both optional).
    fn order(
        &mut self,
        field: &'static str,
        later: Option<NaiveDate>,
        earlier_field: &str,
        earlier: Option<NaiveDate>,
    ) {
        if let (Some(l), Some(e)) = (later, earlier)
            && l < e
        {
            self.error(field, format!("{l} 早于{earlier_field} {e}，请核对"));
        }
    }

    /// `value` has at most `max` characters (FORMATS.md "Text lengths").
    fn length(&mut self, field: &'static str, value: &str, max: usize) {
        if let Err(e) = check_length(value, max) {
            self.error(field, e);
        }
    }

    /// A name (单位, 党组织, 姓名, 指导员): at most 100 characters.
    fn name(&mut self, field: &'static str, value: &str) {
        self.length(field, value, MAX_NAME_CHARS);
    }

    /// Any other text: at most 2,000 characters.
    fn text(&mut self, field: &'static str, value: &str) {
        self.length(field, value, MAX_TEXT_CHARS);
    }

    /// A date lies in 1900-01-01 … 2100-12-31.
    fn date(&mut self, field: &'static str, d: Option<NaiveDate>) {
        if let Some(d) = d
            && let Err(e) = check_date_range(d)
        {
            self.error(field, e);
        }
    }

    /// A month lies in 1900-01 … 2100-12.
    fn month(&mut self, field: &'static str, m: Month) {
        if check_date_range(m.first_day()).is_err() {
            self.error(
                field,
                format!("月份 {m} 不合理（应在 1900-01 至 2100-12 之间），请核对"),
            );
        }
    }

    /// An amount is at most `max` fen (FORMATS.md "Money").
    fn at_most(&mut self, field: &'static str, f: Fen, max: i64) {
        if let Err(e) = check_max(f, max) {
            self.error(field, e);
        }
    }

    /// The first error for `field`, for showing next to it in a form.
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.field == field)
    }

    /// All errors on one line each, for the command line and imports.
    pub fn error_lines(&self) -> Vec<String> {
        self.errors.iter().map(|e| e.to_string()).collect()
    }
}

fn check_phone(iss: &mut Issues, field: &'static str, phone: &str) {
    if !phone.trim().is_empty()
        && let Err(e) = ids::normalize_mobile(phone)
    {
        iss.error(field, e);
    }
}

pub fn unit(u: &Unit) -> Issues {
    let mut iss = Issues::default();
    iss.required("名称", &u.name);
    iss.name("名称", &u.name);
    for (field, value) in [
        ("统一社会信用代码", &u.credit_code),
        ("行业", &u.industry),
        ("所在村社区", &u.village),
        ("地址", &u.address),
        ("出资人", &u.investor),
        ("联系人", &u.contact),
        ("联系电话", &u.phone),
        ("未建党组织原因", &u.no_org_reason),
        ("发展需求", &u.needs),
        ("备注", &u.note),
    ] {
        iss.text(field, value);
    }
    if !u.credit_code.trim().is_empty() {
        match ids::check_credit_code(&u.credit_code) {
            Ok(ids::CreditCheck::Ok(_)) => {}
            Ok(ids::CreditCheck::BadCheck(_)) => iss.warn(
                "统一社会信用代码",
                "校验位不符（早期代码可能如此），请核对营业执照",
            ),
            Err(e) => iss.error("统一社会信用代码", e),
        }
    }
    check_phone(&mut iss, "联系电话", &u.phone);
    if let Some(n) = u.employees
        && n < 0
    {
        iss.error("职工人数", "不能为负数");
    }
    iss
}

pub fn party_org(o: &PartyOrg) -> Issues {
    let mut iss = Issues::default();
    iss.required("名称", &o.name);
    iss.name("名称", &o.name);
    iss.text("书记", &o.secretary);
    iss.text("备注", &o.note);
    iss.date("成立日期", Some(o.established));
    iss.date("撤销日期", o.dissolved);
    iss.date("本届选举日期", o.elected);
    iss.order("撤销日期", o.dissolved, "成立日期", Some(o.established));
    if o.group_count < 0 {
        iss.error("党小组数", "不能为负数");
    }
    if o.parent_id.is_some() && o.parent_id == Some(o.id) && o.id != 0 {
        iss.error("上级党组织", "不能是自己");
    }
    iss
}

pub fn coverage(c: &Coverage) -> Issues {
    let mut iss = Issues::default();
    iss.date("开始日期", Some(c.from));
    iss.date("结束日期", c.to);
    iss.order("结束日期", c.to, "开始日期", Some(c.from));
    iss
}

pub fn member(m: &Member, today: NaiveDate) -> Issues {
    let mut iss = Issues::default();
    iss.required("姓名", &m.name);
    iss.name("姓名", &m.name);
    iss.text("身份证号", &m.id_number);
    iss.text("手机", &m.phone);
    iss.text("备注", &m.note);
    for (field, d) in [
        ("出生日期", m.birth),
        ("入党日期", m.joined),
        ("转正日期", m.confirmed),
        ("离开日期", m.left),
        ("亮身份报到日期", m.reported),
    ] {
        iss.date(field, d);
    }
    if !m.id_number.trim().is_empty()
        && let Err(e) = ids::validate_id_number(&m.id_number, today)
    {
        iss.error("身份证号", e);
    }
    check_phone(&mut iss, "手机", &m.phone);
    if m.org_id <= 0 {
        iss.error("所在党组织", "必填，请选择党员所在的党组织");
    }
    iss.order("转正日期", m.confirmed, "入党日期", m.joined);
    iss.order("离开日期", m.left, "入党日期", m.joined);
    if let (Some(b), Some(j)) = (m.birth, m.joined)
        && j < b
    {
        iss.error("入党日期", format!("{j} 早于出生日期 {b}，请核对"));
    }
    if m.status != MemberStatus::Registered && m.left.is_none() {
        iss.error(
            "离开日期",
            format!("状态为“{}”时必须填写离开日期", m.status.label()),
        );
    }
    if m.category == MemberCategory::Probationary && m.confirmed.is_some_and(|c| c <= today) {
        iss.warn("类别", "已填转正日期，类别可改为正式党员");
    }
    iss
}

pub fn instructor(i: &Instructor) -> Issues {
    let mut iss = Issues::default();
    iss.required("姓名", &i.name);
    iss.name("姓名", &i.name);
    iss.text("手机", &i.phone);
    iss.text("工作单位及职务", &i.workplace);
    iss.text("备注", &i.note);
    iss.date("选派日期", Some(i.appointed));
    iss.date("离任日期", i.left);
    check_phone(&mut iss, "手机", &i.phone);
    iss.order("离任日期", i.left, "选派日期", Some(i.appointed));
    iss
}

pub fn assignment(a: &Assignment) -> Issues {
    let mut iss = Issues::default();
    iss.date("开始日期", Some(a.start));
    iss.date("结束日期", a.end);
    if a.instructor_id <= 0 {
        iss.error("指导员", "必填，请选择指导员");
    }
    if a.unit_id <= 0 {
        iss.error("单位", "必填，请选择联系的单位");
    }
    iss.order("结束日期", a.end, "开始日期", Some(a.start));
    iss
}

pub fn visit(v: &Visit) -> Issues {
    let mut iss = Issues::default();
    if v.instructor_id <= 0 {
        iss.error("指导员", "必填，请选择指导员");
    }
    if v.unit_id <= 0 {
        iss.error("单位", "必填，请选择走访的单位");
    }
    iss.required("内容", &v.content);
    iss.text("内容", &v.content);
    iss.text("收集问题", &v.problems);
    iss.date("日期", Some(v.date));
    iss
}

/// An instructor's yearly assessment: its 备注.
pub fn assessment(a: &InstructorAssessment) -> Issues {
    let mut iss = Issues::default();
    iss.text("备注", &a.note);
    iss
}

/// A meeting on its own: org, kinds, topic, the date's range and the
/// lengths of its texts (内容摘要 up to 20,000 characters). The import
/// checks this; the form checks [`meeting`], which adds the attendance.
pub fn meeting_fields(m: &Meeting) -> Issues {
    let mut iss = Issues::default();
    if m.org_id <= 0 {
        iss.error("党组织", "必填，请选择开会的党组织");
    }
    if m.kinds.is_empty() {
        iss.error("类型", "至少选择一种会议类型");
    }
    iss.required("主题", &m.topic);
    iss.date("日期", Some(m.date));
    for (field, value) in [
        ("地点", &m.place),
        ("主持人", &m.host),
        ("记录人", &m.recorder),
        ("授课人", &m.lecturer),
        ("主题", &m.topic),
    ] {
        iss.text(field, value);
    }
    iss.length("内容摘要", &m.summary, MAX_MINUTES_CHARS);
    if let Some(a) = m
        .attendance
        .iter()
        .find(|a| a.reason.chars().count() > MAX_TEXT_CHARS)
    {
        iss.text("请假", &a.reason);
    }
    iss
}

/// A meeting, given the members of its org (attendance may only name them).
pub fn meeting(m: &Meeting, org_members: &[Member]) -> Issues {
    let mut iss = meeting_fields(m);
    let mut seen = std::collections::BTreeSet::new();
    for a in &m.attendance {
        let name = org_members
            .iter()
            .find(|x| x.id == a.member_id)
            .map(|x| x.name.clone());
        match name {
            None => iss.error(
                "出席",
                format!("党员（编号 {}）不是本党组织的党员", a.member_id),
            ),
            Some(n) => {
                if !seen.insert(a.member_id) {
                    iss.error("出席", format!("{n} 出现了不止一次"));
                }
            }
        }
    }
    iss
}

pub fn fund_entry(f: &FundEntry) -> Issues {
    let mut iss = Issues::default();
    if f.amount.0 <= 0 {
        iss.error("金额", "必须大于 0（收支方向由“收支”表示）");
    }
    if f.category.direction() != f.direction {
        iss.error(
            "类别",
            format!(
                "“{}”不是{}类别，应为：{}",
                f.category.label(),
                f.direction.label(),
                FundCategory::for_direction(f.direction)
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        );
    }
    iss.at_most("金额", f.amount, MAX_ENTRY_FEN);
    iss.required("摘要", &f.summary);
    iss.text("凭证号", &f.voucher);
    iss.text("经办人", &f.handler);
    iss.text("摘要", &f.summary);
    iss.date("日期", Some(f.date));
    iss
}

pub fn dues(d: &Dues) -> Issues {
    let mut iss = Issues::default();
    if d.member_id <= 0 {
        iss.error("姓名", "必填，请选择党员");
    }
    if d.due.0 < 0 {
        iss.error("应交", "不能为负数");
    }
    if d.paid.0 < 0 {
        iss.error("实交", "不能为负数");
    }
    if let Some(b) = d.base
        && b.0 < 0
    {
        iss.error("计算基数", "不能为负数");
    }
    if let Some(b) = d.base {
        iss.at_most("计算基数", b, MAX_DUES_FEN);
    }
    iss.at_most("应交", d.due, MAX_DUES_FEN);
    iss.at_most("实交", d.paid, MAX_DUES_FEN);
    iss.month("月份", d.month);
    iss.date("交纳日期", d.paid_date);
    if let Some(p) = d.paid_date
        && d.paid.0 > 0
        && let Err(e) = super::dues::check_pay_window(d.month, p)
    {
        iss.error("交纳日期", e);
    }
    iss
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Fen;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        d("2026-11-22")
    }

    fn has(iss: &Issues, field: &str) -> bool {
        iss.errors
            .iter()
            .any(|e| e.field == field && e.to_string().starts_with(field))
    }

    #[test]
    fn unit_name_required() {
        let u = Unit::new("  ", UnitKind::NonPublic);
        let iss = unit(&u);
        assert!(has(&iss, "名称"));
        assert!(iss.errors[0].to_string().contains("必填"));
    }

    #[test]
    fn unit_credit_code_bad_check_is_warning() {
        let mut u = Unit::new("某公司", UnitKind::NonPublic);
        // 91350100M000100Y43 is a valid code; change its check character.
        u.credit_code = "91350100M000100Y44".into();
        let iss = unit(&u);
        assert!(iss.is_ok());
        assert_eq!(iss.warnings[0].field, "统一社会信用代码");
        u.credit_code = "91350100M000100Y43".into();
        assert!(unit(&u).warnings.is_empty());
        u.credit_code = "123".into();
        assert!(has(&unit(&u), "统一社会信用代码"));
    }

    #[test]
    fn unit_phone_checked() {
        let mut u = Unit::new("某公司", UnitKind::NonPublic);
        u.phone = "12345".into();
        assert!(has(&unit(&u), "联系电话"));
        u.phone = "+86 138 0013 8000".into();
        assert!(unit(&u).is_ok());
    }

    #[test]
    fn org_dissolved_not_before_established() {
        let mut o = PartyOrg::new(
            "某支部",
            OrgType::Branch,
            Formation::Standalone,
            d("2020-05-01"),
        );
        o.dissolved = Some(d("2020-04-30"));
        let iss = party_org(&o);
        assert!(has(&iss, "撤销日期"));
        assert!(iss.errors[0].message.contains("成立日期"));
        o.dissolved = Some(d("2020-05-01"));
        assert!(party_org(&o).is_ok());
    }

    #[test]
    fn member_rules() {
        let mut m = Member::new("张三", 1, MemberCategory::Formal);
        assert!(member(&m, today()).is_ok());
        m.joined = Some(d("2020-01-01"));
        m.confirmed = Some(d("2019-12-31"));
        assert!(has(&member(&m, today()), "转正日期"));
        m.confirmed = Some(d("2021-01-01"));
        m.left = Some(d("2019-01-01"));
        m.status = MemberStatus::TransferredOut;
        assert!(has(&member(&m, today()), "离开日期"));
        m.left = None;
        let iss = member(&m, today());
        assert!(has(&iss, "离开日期"));
        assert!(iss.errors[0].message.contains("转出"));
        m.left = Some(d("2025-01-01"));
        assert!(member(&m, today()).is_ok());
    }

    #[test]
    fn member_id_number_rejected_when_bad() {
        let mut m = Member::new("张三", 1, MemberCategory::Formal);
        // 11010519491231002X is the standard's worked example.
        m.id_number = "11010519491231002X".into();
        assert!(member(&m, today()).is_ok());
        m.id_number = "110105194912310021".into();
        assert!(has(&member(&m, today()), "身份证号"));
    }

    #[test]
    fn member_org_required_and_phone() {
        let mut m = Member::new("张三", 0, MemberCategory::Formal);
        m.phone = "2345678".into();
        let iss = member(&m, today());
        assert!(has(&iss, "所在党组织"));
        assert!(has(&iss, "手机"));
    }

    #[test]
    fn instructor_and_assignment_order() {
        let mut i = Instructor {
            id: 0,
            name: "李四".into(),
            gender: None,
            phone: String::new(),
            source: InstructorSource::Government,
            workplace: String::new(),
            appointed: d("2024-03-01"),
            left: Some(d("2024-02-01")),
            note: String::new(),
        };
        assert!(has(&instructor(&i), "离任日期"));
        i.left = None;
        assert!(instructor(&i).is_ok());
        let a = Assignment {
            id: 0,
            instructor_id: 1,
            unit_id: 2,
            start: d("2024-03-01"),
            end: Some(d("2024-01-01")),
        };
        assert!(has(&assignment(&a), "结束日期"));
    }

    #[test]
    fn meeting_attendance_only_org_members_once() {
        let mut a = Member::new("王五", 7, MemberCategory::Formal);
        a.id = 11;
        let mut m = Meeting {
            id: 0,
            org_id: 7,
            kinds: vec![MeetingKind::ThemeDay],
            date: d("2026-10-15"),
            place: String::new(),
            host: String::new(),
            recorder: String::new(),
            lecturer: String::new(),
            topic: "学习".into(),
            summary: String::new(),
            attendance: vec![Attendance {
                member_id: 11,
                status: AttendStatus::Present,
                reason: String::new(),
            }],
        };
        assert!(meeting(&m, std::slice::from_ref(&a)).is_ok());
        m.attendance.push(m.attendance[0].clone());
        let iss = meeting(&m, std::slice::from_ref(&a));
        assert!(iss.errors[0].message.contains("王五"));
        m.attendance.pop();
        m.attendance.push(Attendance {
            member_id: 99,
            status: AttendStatus::Absent,
            reason: String::new(),
        });
        assert!(has(&meeting(&m, &[a]), "出席"));
        m.kinds.clear();
        m.topic.clear();
        let iss = meeting(&m, &[]);
        assert!(has(&iss, "类型") && has(&iss, "主题"));
    }

    #[test]
    fn fund_amount_positive_and_category_matches() {
        let mut f = FundEntry {
            id: 0,
            date: d("2026-10-01"),
            org_id: None,
            direction: FundDirection::Expense,
            category: FundCategory::Activities,
            amount: Fen(0),
            voucher: String::new(),
            handler: String::new(),
            summary: "活动".into(),
        };
        assert!(has(&fund_entry(&f), "金额"));
        f.amount = Fen(100);
        assert!(fund_entry(&f).is_ok());
        f.category = FundCategory::Appropriation;
        assert!(has(&fund_entry(&f), "类别"));
    }

    #[test]
    fn texts_dates_and_amounts_within_bounds() {
        let mut u = Unit::new(&"名".repeat(100), UnitKind::NonPublic);
        u.note = "备".repeat(2000);
        assert!(unit(&u).is_ok());
        u.name.push('名');
        u.note.push('备');
        let iss = unit(&u);
        assert!(has(&iss, "名称") && has(&iss, "备注"));
        let e = iss.for_field("名称").map(|e| e.message.clone()).unwrap();
        assert!(e.contains("上限 100 个字") && e.contains('…'), "{e}");
        let mut m = Meeting::new(7, vec![MeetingKind::ThemeDay], d("2026-10-15"));
        m.topic = "学习".into();
        m.summary = "记".repeat(20_000);
        assert!(meeting_fields(&m).is_ok());
        m.summary.push('记');
        assert!(has(&meeting_fields(&m), "内容摘要"));
        m.summary.clear();
        m.date = d("2101-01-01");
        assert!(has(&meeting_fields(&m), "日期"));
        let mut o = PartyOrg::new(
            "某支部",
            OrgType::Branch,
            Formation::Standalone,
            d("1899-12-31"),
        );
        assert!(has(&party_org(&o), "成立日期"));
        o.established = d("1900-01-01");
        assert!(party_org(&o).is_ok());
        let mut f = FundEntry {
            id: 0,
            date: d("2026-10-01"),
            org_id: None,
            direction: FundDirection::Income,
            category: FundCategory::Appropriation,
            amount: Fen(crate::domain::money::MAX_ENTRY_FEN),
            voucher: String::new(),
            handler: String::new(),
            summary: "拨款".into(),
        };
        assert!(fund_entry(&f).is_ok());
        f.amount.0 += 1;
        assert!(has(&fund_entry(&f), "金额"));
    }

    #[test]
    fn dues_window_and_sign() {
        let mut x = Dues {
            id: 0,
            month: crate::domain::dates::Month::new(2026, 1).unwrap(),
            member_id: 1,
            org_id: 1,
            base: None,
            person_type: None,
            due: Fen(100),
            due_manual: false,
            paid: Fen(100),
            paid_date: Some(d("2026-07-31")),
        };
        assert!(dues(&x).is_ok());
        x.paid_date = Some(d("2026-08-01"));
        assert!(has(&dues(&x), "交纳日期"));
        x.paid_date = Some(d("2025-06-30"));
        assert!(has(&dues(&x), "交纳日期"));
        x.paid_date = Some(d("2025-07-01"));
        assert!(dues(&x).is_ok());
        x.paid = Fen(-1);
        assert!(has(&dues(&x), "实交"));
    }
}
