//! 设置 (from the overview, F4): the township's names on the report, the
//! border style, and the [L] rules of DOMAIN.md.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Ctx;
use crate::domain::money::parse_yuan;
use crate::domain::records::Settings;
use crate::domain::text::fold_input;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, Rec};
use crate::tui::screen::{Command, FormHost, Screen};
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind};
use crate::tui::widgets::form::{Form, FormAction};

const F_TOWN: FieldId = FieldId::new("town", "乡镇名称");
const F_PREP: FieldId = FieldId::new("preparer", "制表人");
const F_REV: FieldId = FieldId::new("reviewer", "审核人");
const F_HEAD: FieldId = FieldId::new("head", "负责人");
const F_BORDER: FieldId = FieldId::new("border", "边框样式");
const F_JOINT: FieldId = FieldId::new("joint_max_units", "联合支部最多单位数");
const F_LESSON: FieldId = FieldId::new("lesson_months", "党课至少每几个月");
const F_VISITS: FieldId = FieldId::new("visits_per_month", "指导员每月走访次数");
const F_FARMER: FieldId = FieldId::new("farmer_dues", "农民党费（元/月）");
const B_ASCII: &str = "ASCII（+-|）";
const B_UNICODE: &str = "Unicode 线框";
const T_WRONG: &str = "设置有误，请按提示修改";
const T_SAVED: &str = "设置已保存";

const COMMANDS: &[Command] = &[
    Command::keys("Tab 回车 上下", "在各栏之间移动"),
    Command::keys("空格", "边框样式：切换 ASCII / Unicode"),
    Command::f(6, "保存", "F6 Ctrl+S", "保存设置"),
    Command::keys("Esc", "返回概览（有未保存修改时先提示）"),
];

#[derive(Debug, Clone, Default)]
pub struct SettingsScreen {
    pub form: Option<Form>,
}

impl SettingsScreen {
    pub fn open(&mut self, s: &Settings, cx: &Ctx) {
        use FieldKind::*;
        let mut form = Form::new(
            "设置",
            vec![
                Field::new(F_TOWN, Text, false, &s.township),
                Field::new(F_PREP, Text, false, &s.preparer),
                Field::new(F_REV, Text, false, &s.reviewer),
                Field::new(F_HEAD, Text, false, &s.head),
                Field::new(
                    F_BORDER,
                    Choice(vec![B_ASCII, B_UNICODE]),
                    true,
                    if s.unicode_borders {
                        B_UNICODE
                    } else {
                        B_ASCII
                    },
                ),
                Field::new(F_JOINT, Int, true, &s.joint_branch_limit.to_string()),
                Field::new(F_LESSON, Int, true, &s.lesson_every_months.to_string()),
                Field::new(F_VISITS, Int, true, &s.visits_per_month.to_string()),
                Field::new(
                    F_FARMER,
                    Money,
                    true,
                    &crate::domain::money::Fen(s.farmer_dues_fen).to_string(),
                ),
            ],
        );
        form.read_only = cx.read_only.is_some();
        form.notes = vec![
            "边框：中文 Windows 控制台请用 ASCII；线框字符在那里占两格会错位。".to_string(),
            "本地规则的默认值：联合支部 5 个单位，党课每 3 个月，走访每月 1 次，农民党费 0.20 元。"
                .to_string(),
        ];
        self.form = Some(form);
    }

    fn read(form: &mut Form, cx: &Ctx) -> Option<Settings> {
        let int = |form: &mut Form, label: FieldId, lo: i64, hi: i64| -> Option<i64> {
            let v = fold_input(&form.get(label));
            match v.parse::<i64>() {
                Ok(n) if (lo..=hi).contains(&n) => Some(n),
                _ => {
                    form.set_error(label, &format!("请填写 {lo} 到 {hi} 之间的整数"));
                    None
                }
            }
        };
        let joint = int(form, F_JOINT, 1, 50);
        let lesson = int(form, F_LESSON, 1, 12);
        let visits = int(form, F_VISITS, 0, 10);
        let farmer = match parse_yuan(&form.get(F_FARMER)) {
            Ok(f) if (20..=100).contains(&f.0) => Some(f.0),
            _ => {
                form.set_error(F_FARMER, "农民党费应在 0.20 至 1.00 元之间");
                None
            }
        };
        Some(Settings {
            township: form.get(F_TOWN),
            preparer: form.get(F_PREP),
            reviewer: form.get(F_REV),
            head: form.get(F_HEAD),
            joint_branch_limit: joint?,
            lesson_every_months: lesson?,
            visits_per_month: visits?,
            farmer_dues_fen: farmer?,
            unicode_borders: form.get(F_BORDER) == B_UNICODE,
        })
        .filter(|_| cx.read_only.is_none())
    }
}

impl FormHost for SettingsScreen {
    fn save(&mut self, cx: &Ctx) -> Result<Msg, String> {
        let Some(form) = &mut self.form else {
            return Err(String::new());
        };
        if let Some(why) = cx.read_only {
            return Err(why.to_string());
        }
        let ok = form.check_all(cx.today);
        match Self::read(form, cx) {
            Some(s) if ok => Ok(Msg::Save {
                record: Box::new(Rec::Settings(s)),
                draft_key: None,
            }),
            _ => {
                form.focus_first_error();
                Err(T_WRONG.to_string())
            }
        }
    }

    /// The form stays open, its values now the saved ones.
    fn saved(&mut self, _rec: Rec) -> Option<String> {
        if let Some(f) = &mut self.form {
            f.mark_saved();
            f.message = None;
        }
        Some(T_SAVED.to_string())
    }

    fn save_failed(&mut self, msg: &str) {
        if let Some(f) = &mut self.form {
            f.message = Some(msg.to_string());
        }
    }

    fn dirty(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.dirty())
    }

    fn discard(&mut self) {
        self.form = None;
    }
}

impl Screen for SettingsScreen {
    fn commands(&self) -> Vec<Command> {
        COMMANDS.to_vec()
    }

    fn text_focus(&self) -> bool {
        true
    }

    fn form(&self) -> Option<&dyn FormHost> {
        self.form.as_ref().map(|_| self as &dyn FormHost)
    }

    fn form_mut(&mut self) -> Option<&mut dyn FormHost> {
        match self.form {
            Some(_) => Some(self as &mut dyn FormHost),
            None => None,
        }
    }

    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        let Some(form) = &mut self.form else {
            if key == Key::Esc {
                out.push(Msg::Goto(super::ScreenId::Overview));
                return true;
            }
            return false;
        };
        match form.key(key, cx.today) {
            FormAction::Save => out.push(Msg::SaveForm),
            FormAction::Leave => {
                if form.dirty() {
                    // The same guard as every form: 保存 / 不保存 / 返回.
                    out.push(Msg::LeaveForm);
                } else {
                    self.form = None;
                    out.push(Msg::Goto(super::ScreenId::Overview));
                }
            }
            FormAction::NotMine => {
                if form.read_only && matches!(key, Key::Char(_) | Key::Backspace) {
                    out.push(Msg::Status(cx.read_only.unwrap_or("只读").to_string()));
                }
                return false;
            }
            _ => {}
        }
        true
    }

    fn paste(&mut self, s: &str) {
        if let Some(f) = &mut self.form {
            f.paste(s);
        }
    }

    fn status(&self) -> String {
        if self.dirty() {
            "修改中".to_string()
        } else {
            "浏览".to_string()
        }
    }

    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        match &mut self.form {
            Some(form) => form.render(f, area, &cx.theme, cx.today),
            None => None,
        }
    }
}
