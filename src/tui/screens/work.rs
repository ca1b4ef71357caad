//! Pieces shared by the monthly work screens (三会一课, 经费, 报表): a form
//! with its F7 pick list, and the month keys.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Ctx;
use crate::domain::dates::Month;
use crate::tui::event::{Key, fold_digit};
use crate::tui::msg::Msg;
use crate::tui::screen::Command;
use crate::tui::widgets::fields::FieldKind;
use crate::tui::widgets::form::{Form, FormAction};
use crate::tui::widgets::pick_list::{PickList, PickResult};

/// A form plus the pick list open on one of its reference fields.
#[derive(Debug, Clone)]
pub struct PickForm {
    pub form: Form,
    pub pick: Option<(PickList, usize)>,
}

impl PickForm {
    pub fn new(form: Form) -> Self {
        PickForm { form, pick: None }
    }

    /// Handles a key; returns what the form wants (Save, Leave …) after
    /// pick lists and drafts are dealt with.
    pub fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> FormAction {
        if let Some((pick, idx)) = &mut self.pick {
            let idx = *idx;
            match pick.key(key) {
                PickResult::Picked(_, name) => {
                    if let Some(f) = self.form.fields.get_mut(idx) {
                        f.set(&name);
                        f.error = None;
                    }
                    self.pick = None;
                    out.push(Msg::FormChanged);
                    return FormAction::Changed;
                }
                PickResult::Cancel => self.pick = None,
                PickResult::AddNew => {
                    if let Some(FieldKind::Ref(k)) =
                        self.form.fields.get(idx).map(|f| f.kind.clone())
                    {
                        let name = pick.filter.value().trim().to_string();
                        if name.is_empty() {
                            out.push(Msg::Status(format!(
                                "请先在查找栏输入新{}的名称，再按 F5",
                                k.what()
                            )));
                            return FormAction::Handled;
                        }
                        out.push(Msg::AddReferenced { kind: k, name });
                    }
                    self.pick = None;
                }
                PickResult::None => {}
            }
            return FormAction::Handled;
        }
        let a = self.form.key(key, cx.today);
        match a {
            FormAction::Pick => {
                let f = &self.form.fields[self.form.focus];
                if let FieldKind::Ref(k) = f.kind {
                    let items = cx.lookups.list(k).to_vec();
                    self.pick = Some((
                        PickList::new(format!("选择{}", k.what()), items, f.value()),
                        self.form.focus,
                    ));
                }
                FormAction::Handled
            }
            FormAction::Changed => {
                out.push(Msg::FormChanged);
                a
            }
            other => other,
        }
    }

    /// A record added from the pick list: its name goes into the field.
    pub fn referenced_added(&mut self, name: &str) {
        if let Some(f) = self.form.fields.get_mut(self.form.focus)
            && matches!(f.kind, FieldKind::Ref(_))
        {
            f.set(name);
            f.error = None;
        }
    }

    pub fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        let cur = self.form.render(f, area, &cx.theme, cx.today);
        if let Some((p, _)) = &mut self.pick {
            return p.render(f, area, &cx.theme);
        }
        cur
    }
}

/// `[` `]` PgUp PgDn Home: the month a month-based screen shows.
pub fn month_key(key: Key, month: Month, cx: &Ctx) -> Option<Month> {
    match key {
        Key::PageUp => Some(month.prev()),
        Key::PageDown => Some(month.next()),
        Key::Home => Some(Month::of(cx.today)),
        Key::Char(c) if matches!(fold_digit(c), '[' | '【') => Some(month.prev()),
        Key::Char(c) if matches!(fold_digit(c), ']' | '】') => Some(month.next()),
        _ => None,
    }
}

/// The help line of the month keys.
pub const MONTH_COMMAND: Command = Command::keys("PgUp PgDn [ ]", "上个月 / 下个月；Home 回到本月");
