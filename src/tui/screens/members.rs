//! 4 党员: members per org and unit; ID numbers and phones masked in the
//! list, in full in the form; 转正, 转出 and 亮身份报到 fill the right dates.

use chrono::NaiveDate;

use super::register::{Register, read};
use super::{Ctx, Lookups};
use crate::domain::enums::*;
use crate::domain::ids::{mask_id_number, mask_phone};
use crate::domain::records::Member;
use crate::domain::validate::{self, Issues};
use crate::store::ListFilter;
use crate::tui::event::Key;
use crate::tui::screen::Command;
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::{Column, col};

const COLUMNS: &[Column] = &[
    col("姓名", 8, Some("name")),
    col("类别", 8, Some("category")),
    col("所在党组织", 20, Some("org_id")),
    col("身份证号", 18, None),
    col("手机", 11, None),
    col("状态", 4, Some("status")),
];

const LIST_COMMANDS: &[Command] = &[
    Command::f(4, "筛选", "F4", "筛选：类别、状态、新就业群体、流动党员"),
    Command::keys("身份证号 手机", "列表中隐去中间几位，打开记录可见全部"),
];

const FORM_COMMANDS: &[Command] = &[
    Command::f(2, "转正", "F2", "转正：类别改为正式党员，转正日期填今天"),
    Command::f(3, "转出", "F3", "转出：状态改为转出，离开日期填今天"),
    Command::f(4, "亮身份", "F4", "亮身份报到：报到日期填今天"),
];

impl Register for Member {
    const NAME: &'static str = "党员";

    super::register::rec_variant!(Member);

    fn columns() -> &'static [Column] {
        COLUMNS
    }

    fn cells(&self, lk: &Lookups) -> Vec<String> {
        vec![
            self.name.clone(),
            self.category.label().to_string(),
            lk.name(RefKind::Org, self.org_id),
            mask_id_number(&self.id_number),
            mask_phone(&self.phone),
            self.status.label().to_string(),
        ]
    }

    fn presets() -> Vec<(String, ListFilter)> {
        let mut v: Vec<(String, ListFilter)> = MemberCategory::ALL
            .iter()
            .map(|c| (format!("类别={c}"), ListFilter::MemberCategory(*c)))
            .collect();
        v.extend(
            MemberStatus::ALL
                .iter()
                .map(|s| (format!("状态={s}"), ListFilter::MemberStatus(*s))),
        );
        v.push(("新就业群体".to_string(), ListFilter::MemberNewEmployment));
        v.push(("流动党员".to_string(), ListFilter::MemberFloating));
        v
    }

    fn blank(_cx: &Ctx, prev: Option<&Self>, parent: Option<i64>, _s: Option<i64>) -> Self {
        let mut m = Member::new("", parent.unwrap_or(0), MemberCategory::Formal);
        if let Some(p) = prev {
            m.org_id = p.org_id;
            m.unit_id = p.unit_id;
        }
        m
    }

    fn fields(&self, cx: &Ctx) -> Vec<Field> {
        use FieldKind::*;
        let org = if self.org_id > 0 {
            cx.lookups.name(RefKind::Org, self.org_id)
        } else {
            String::new()
        };
        vec![
            Field::new("姓名", Text, true, &self.name),
            Field::new(
                "性别",
                Choice(Gender::labels()),
                false,
                self.gender.map_or("", |g| g.label()),
            ),
            Field::new("出生日期", Date, false, &read::date_text(self.birth)),
            Field::new("身份证号", Text, false, &self.id_number),
            Field::new("手机", Text, false, &self.phone),
            Field::new("所在党组织", Ref(RefKind::Org), true, &org),
            Field::new(
                "所在单位",
                Ref(RefKind::Unit),
                false,
                &cx.lookups.opt_name(RefKind::Unit, self.unit_id),
            ),
            Field::new(
                "类别",
                Choice(MemberCategory::labels()),
                true,
                self.category.label(),
            ),
            Field::new("入党日期", Date, false, &read::date_text(self.joined)),
            Field::new("转正日期", Date, false, &read::date_text(self.confirmed)),
            Field::new(
                "状态",
                Choice(MemberStatus::labels()),
                true,
                self.status.label(),
            ),
            Field::new("离开日期", Date, false, &read::date_text(self.left)),
            Field::new(
                "流动党员",
                Choice(vec!["是", "否"]),
                true,
                yes_no(self.floating),
            ),
            Field::new(
                "亮身份报到日期",
                Date,
                false,
                &read::date_text(self.reported),
            ),
            Field::new(
                "新就业群体",
                Choice(NewEmployment::labels()),
                false,
                self.new_employment.map_or("", |x| x.label()),
            ),
            Field::new(
                "党内职务",
                Choice(PartyPost::labels()),
                false,
                self.party_post.map_or("", |x| x.label()),
            ),
            Field::new("备注", Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let t = cx.today;
        let gender = read::opt_choice(form, "性别", Gender::parse);
        let birth = read::opt_date(form, "出生日期", t);
        let org = read::reference(form, "所在党组织", RefKind::Org, cx);
        let unit = read::opt_ref(form, "所在单位", RefKind::Unit, cx);
        let category = read::choice(form, "类别", MemberCategory::parse);
        let joined = read::opt_date(form, "入党日期", t);
        let confirmed = read::opt_date(form, "转正日期", t);
        let status = read::choice(form, "状态", MemberStatus::parse);
        let left = read::opt_date(form, "离开日期", t);
        let floating = read::opt_bool(form, "流动党员");
        let reported = read::opt_date(form, "亮身份报到日期", t);
        let ne = read::opt_choice(form, "新就业群体", NewEmployment::parse);
        let post = read::opt_choice(form, "党内职务", PartyPost::parse);
        Some(Member {
            id: base.id,
            name: form.get("姓名"),
            gender: gender.ok()?,
            birth: birth.ok()?,
            id_number: form.get("身份证号").to_uppercase(),
            phone: form.get("手机"),
            org_id: org.ok()?,
            unit_id: unit.ok()?,
            category: category.ok()?,
            joined: joined.ok()?,
            confirmed: confirmed.ok()?,
            status: status.ok()?,
            left: left.ok()?,
            floating: floating.ok()?.unwrap_or(false),
            reported: reported.ok()?,
            new_employment: ne.ok()?,
            party_post: post.ok()?,
            note: form.get("备注"),
        })
    }

    fn validate(&self, today: NaiveDate) -> Issues {
        validate::member(self, today)
    }

    fn list_commands() -> &'static [Command] {
        LIST_COMMANDS
    }

    fn form_commands() -> &'static [Command] {
        FORM_COMMANDS
    }

    fn form_key(form: &mut Form, key: Key, cx: &Ctx) -> bool {
        if form.read_only {
            return false;
        }
        let today = cx.today.to_string();
        let (label, focus) = match key {
            Key::F(2) => {
                form.set("类别", MemberCategory::Formal.label());
                ("转正日期", "转正日期")
            }
            Key::F(3) => {
                form.set("状态", MemberStatus::TransferredOut.label());
                ("离开日期", "离开日期")
            }
            Key::F(4) => ("亮身份报到日期", "亮身份报到日期"),
            _ => return false,
        };
        if form.get(label).is_empty() {
            form.set(label, &today);
        }
        if let Some(i) = form.fields.iter().position(|f| f.label == focus) {
            form.focus = i;
        }
        true
    }
}
