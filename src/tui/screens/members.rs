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
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;
use crate::tui::widgets::table::{Column, col};

/// The form's fields: the key a draft keeps and the label shown.
const F_BIRTH: FieldId = FieldId::new("birth", "出生日期");
const F_CATEGORY: FieldId = FieldId::new("category", "类别");
const F_FORMAL_SINCE: FieldId = FieldId::new("formal_since", "转正日期");
const F_GENDER: FieldId = FieldId::new("gender", "性别");
const F_ID_NUMBER: FieldId = FieldId::new("id_number", "身份证号");
const F_JOINED: FieldId = FieldId::new("joined", "入党日期");
const F_LEFT: FieldId = FieldId::new("left", "离开日期");
const F_MOBILE: FieldId = FieldId::new("mobile", "流动党员");
const F_NAME: FieldId = FieldId::new("name", "姓名");
const F_NEW_EMPLOYMENT: FieldId = FieldId::new("new_employment", "新就业群体");
const F_NOTE: FieldId = FieldId::new("note", "备注");
const F_ORG: FieldId = FieldId::new("org", "所在党组织");
const F_PARTY_POST: FieldId = FieldId::new("party_post", "党内职务");
const F_PHONE: FieldId = FieldId::new("phone", "手机");
const F_REPORTED: FieldId = FieldId::new("reported", "亮身份报到日期");
const F_STATUS: FieldId = FieldId::new("status", "状态");
const F_UNIT: FieldId = FieldId::new("unit", "所在单位");

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
            Field::new(F_NAME, Text, true, &self.name),
            Field::new(
                F_GENDER,
                Choice(Gender::labels()),
                false,
                self.gender.map_or("", |g| g.label()),
            ),
            Field::new(F_BIRTH, Date, false, &read::date_text(self.birth)),
            Field::new(F_ID_NUMBER, Text, false, &self.id_number),
            Field::new(F_PHONE, Text, false, &self.phone),
            Field::new(F_ORG, Ref(RefKind::Org), true, &org),
            Field::new(
                F_UNIT,
                Ref(RefKind::Unit),
                false,
                &cx.lookups.opt_name(RefKind::Unit, self.unit_id),
            ),
            Field::new(
                F_CATEGORY,
                Choice(MemberCategory::labels()),
                true,
                self.category.label(),
            ),
            Field::new(F_JOINED, Date, false, &read::date_text(self.joined)),
            Field::new(
                F_FORMAL_SINCE,
                Date,
                false,
                &read::date_text(self.confirmed),
            ),
            Field::new(
                F_STATUS,
                Choice(MemberStatus::labels()),
                true,
                self.status.label(),
            ),
            Field::new(F_LEFT, Date, false, &read::date_text(self.left)),
            Field::new(
                F_MOBILE,
                Choice(vec!["是", "否"]),
                true,
                yes_no(self.floating),
            ),
            Field::new(F_REPORTED, Date, false, &read::date_text(self.reported)),
            Field::new(
                F_NEW_EMPLOYMENT,
                Choice(NewEmployment::labels()),
                false,
                self.new_employment.map_or("", |x| x.label()),
            ),
            Field::new(
                F_PARTY_POST,
                Choice(PartyPost::labels()),
                false,
                self.party_post.map_or("", |x| x.label()),
            ),
            Field::new(F_NOTE, Text, false, &self.note),
        ]
    }

    fn from_form(form: &mut Form, base: &Self, cx: &Ctx) -> Option<Self> {
        let t = cx.today;
        let gender = read::opt_choice(form, F_GENDER, Gender::parse);
        let birth = read::opt_date(form, F_BIRTH, t);
        let org = read::reference(form, F_ORG, RefKind::Org, cx);
        let unit = read::opt_ref(form, F_UNIT, RefKind::Unit, cx);
        let category = read::choice(form, F_CATEGORY, MemberCategory::parse);
        let joined = read::opt_date(form, F_JOINED, t);
        let confirmed = read::opt_date(form, F_FORMAL_SINCE, t);
        let status = read::choice(form, F_STATUS, MemberStatus::parse);
        let left = read::opt_date(form, F_LEFT, t);
        let floating = read::opt_bool(form, F_MOBILE);
        let reported = read::opt_date(form, F_REPORTED, t);
        let ne = read::opt_choice(form, F_NEW_EMPLOYMENT, NewEmployment::parse);
        let post = read::opt_choice(form, F_PARTY_POST, PartyPost::parse);
        Some(Member {
            id: base.id,
            name: form.get(F_NAME),
            gender: gender.ok()?,
            birth: birth.ok()?,
            id_number: form.get(F_ID_NUMBER).to_uppercase(),
            phone: form.get(F_PHONE),
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
            note: form.get(F_NOTE),
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
        let date = match key {
            Key::F(2) => {
                form.set(F_CATEGORY, MemberCategory::Formal.label());
                F_FORMAL_SINCE
            }
            Key::F(3) => {
                form.set(F_STATUS, MemberStatus::TransferredOut.label());
                F_LEFT
            }
            Key::F(4) => F_REPORTED,
            _ => return false,
        };
        if form.get(date).is_empty() {
            form.set(date, &today);
        }
        if let Some(i) = form.fields.iter().position(|f| f.id == date) {
            form.focus = i;
        }
        true
    }
}
