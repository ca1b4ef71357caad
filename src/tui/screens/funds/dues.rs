//! The dues sheet of 7 经费: one org's 党费 for the month, 生成本月党费,
//! paying in full or typing the amount, and the dues form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use crate::domain::dues::{check_pay_window, standard_due};
use crate::domain::enums::PersonType;
use crate::domain::money::{Fen, parse_yuan_expr};
use crate::domain::records::Dues;
use crate::domain::text::{pad_left, pad_right, truncate_width};
use crate::domain::validate;
use crate::error::{Error, Result};
use crate::tui::event::{Key, fold_digit};
use crate::tui::msg::{Msg, PickFor, Rec};
use crate::tui::screens::Ctx;
use crate::tui::screens::register::read;
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;

use super::*;

pub(super) fn fold_input_dots(s: &str) -> bool {
    matches!(s.trim(), ".." | "。。" | "．．")
}

impl Funds {
    pub(super) fn set_sheet(&mut self, sheet: Vec<(Dues, String)>) -> Result<()> {
        let total = |f: fn(&Dues) -> Fen| {
            Fen::try_sum(sheet.iter().map(|(d, _)| f(d))).ok_or_else(Error::money_overflow)
        };
        self.dues_totals = (total(|d| d.due)?, total(|d| d.paid)?);
        self.sheet = sheet;
        self.dsel = self.dsel.min(self.sheet.len().saturating_sub(1));
        Ok(())
    }

    pub(super) fn open_dues(&mut self, cx: &Ctx) {
        let Some((d, name)) = self.sheet.get(self.dsel).cloned() else {
            return;
        };
        let mut types = PersonType::labels();
        types.retain(|_| true);
        let fields = vec![
            Field::new(
                F_PTYPE,
                FieldKind::Choice(types),
                false,
                d.person_type.map_or("", |p| p.label()),
            ),
            Field::new(
                F_BASE,
                FieldKind::Money,
                false,
                &d.base.map(|b| b.to_string()).unwrap_or_default(),
            ),
            Field::new(
                F_DUE,
                FieldKind::Money,
                false,
                &if d.due_manual {
                    d.due.to_string()
                } else {
                    String::new()
                },
            ),
            Field::new(F_PAID, FieldKind::Money, false, &d.paid.to_string()),
            Field::new(
                F_PAID_DATE,
                FieldKind::Date,
                false,
                &read::date_text(d.paid_date),
            ),
        ];
        let mut form = Form::new(format!("党费：{} {}", name, self.month.label()), fields);
        form.read_only = cx.read_only.is_some();
        self.editor = Some(Editor {
            form,
            fund: None,
            dues: Some((d, name)),
            dir: String::new(),
        });
    }

    pub(super) fn build_dues(&mut self, cx: &Ctx) -> std::result::Result<Dues, String> {
        let Some(e) = &mut self.editor else {
            return Err(String::new());
        };
        let Some((base, _)) = e.dues.clone() else {
            return Err(String::new());
        };
        let form = &mut e.form;
        form.message = None;
        let ok = form.check_all(cx.today);
        let ptype = read::opt_choice(form, F_PTYPE, PersonType::parse);
        let money = |form: &mut Form, l: FieldId| -> std::result::Result<Option<Fen>, ()> {
            let v = form.get(l);
            if v.is_empty() {
                return Ok(None);
            }
            parse_yuan_expr(&v)
                .map(Some)
                .map_err(|m| form.set_error(l, &m))
        };
        let b = money(form, F_BASE);
        let due = money(form, F_DUE);
        let paid = money(form, F_PAID);
        let pdate = read::opt_date(form, F_PAID_DATE, cx.today);
        let (Ok(ptype), Ok(b), Ok(due), Ok(paid), Ok(pdate), true) =
            (ptype, b, due, paid, pdate, ok)
        else {
            form.focus_first_error();
            return Err("有需要修改的栏目，已停在第一处；填写的内容都还在".to_string());
        };
        let paid = paid.unwrap_or(Fen::ZERO);
        let (due, manual) = match due {
            Some(d) => (d, true),
            None => (
                ptype
                    .and_then(|p| standard_due(p, b, cx.settings.farmer_dues_fen))
                    .unwrap_or(Fen::ZERO),
                false,
            ),
        };
        let pdate = match pdate {
            None if paid.0 > 0 => Some(cx.today),
            d => d,
        };
        let d = Dues {
            person_type: ptype,
            base: b,
            due,
            due_manual: manual,
            paid,
            paid_date: pdate,
            ..base
        };
        let iss = validate::dues(&d);
        if !iss.is_ok() {
            for er in &iss.errors {
                if !form.set_error_labelled(er.field, &er.message) {
                    form.message = Some(er.message.clone());
                }
            }
            form.focus_first_error();
            return Err(iss.error_lines().join("；"));
        }
        Ok(d)
    }

    /// Marks the selected dues row paid with `amount` (None: in full) today.
    pub(super) fn pay(&mut self, amount: Option<Fen>, cx: &Ctx, out: &mut Vec<Msg>) {
        let Some((d, name)) = self.sheet.get(self.dsel) else {
            return;
        };
        if let Some(why) = cx.read_only {
            out.push(Msg::Status(why.to_string()));
            return;
        }
        if let Err(m) = check_pay_window(self.month, cx.today) {
            out.push(Msg::Status(m));
            return;
        }
        let paid = amount.unwrap_or(d.due);
        let rec = Dues {
            paid,
            paid_date: if paid.0 > 0 { Some(cx.today) } else { None },
            ..d.clone()
        };
        let iss = validate::dues(&rec);
        if !iss.is_ok() {
            out.push(Msg::Status(iss.error_lines().join("；")));
            return;
        }
        out.push(Msg::Status(format!(
            "{name} {} 实交 {} 元",
            self.month.label(),
            paid.yuan_grouped()
        )));
        out.push(Msg::Save {
            record: Box::new(Rec::Dues(rec)),
            draft_key: None,
        });
        if self.dsel + 1 < self.sheet.len() {
            self.dsel += 1;
        }
    }

    pub(super) fn render_dues(
        &mut self,
        f: &mut Frame,
        area: Rect,
        cx: &Ctx,
    ) -> Option<(u16, u16)> {
        let theme = cx.theme;
        let org = self
            .dues_org
            .map(|id| cx.lookups.name(RefKind::Org, id))
            .unwrap_or_default();
        let block = theme.block(truncate_width(
            &format!(" 党费 {} {org}（左右换组织） ", self.month.label()),
            area.width as usize - 2,
        ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let (due, paid) = self.dues_totals;
        let unpaid = self.sheet.iter().filter(|(d, _)| !d.is_paid()).count();
        let headline = if self.failed.is_some() {
            "本月党费金额无法计算".to_string()
        } else {
            format!(
                "{} 人  应交 {} 元  实交 {} 元  未交齐 {} 人",
                self.sheet.len(),
                due.yuan_grouped(),
                paid.yuan_grouped(),
                unpaid
            )
        };
        let mut lines = vec![
            Line::from(truncate_width(&headline, w)),
            Line::from(Span::styled(
                truncate_width(
                    "  状态 姓名       人员类型    计算基数     应交     实交  交纳日期",
                    w,
                ),
                theme.header(),
            )),
        ];
        let list_h = (inner.height as usize)
            .saturating_sub(lines.len())
            .saturating_sub(1);
        if let Some(m) = &self.failed {
            for l in wrap_width(m, w.saturating_sub(2)) {
                lines.push(Line::from(Span::styled(format!("  {l}"), theme.warn())));
            }
        } else if self.sheet.is_empty() {
            lines.push(Line::from(Span::styled(
                truncate_width(
                    &format!("  {}还没有党费记录，按 F5 生成本月党费", self.month.label()),
                    w,
                ),
                theme.dim(),
            )));
        }
        crate::tui::widgets::keep_in_view(&mut self.dtop, self.dsel, list_h);
        for (i, (d, name)) in self.sheet.iter().enumerate().skip(self.dtop).take(list_h) {
            let sel = i == self.dsel;
            let state = if d.is_paid() {
                T_PAID
            } else if d.paid.0 > 0 {
                T_SHORT
            } else {
                T_UNPAID
            };
            let t = format!(
                "{}{} {} {} {} {} {}  {}",
                if sel { ">" } else { " " },
                if d.is_paid() {
                    format!(" {state}")
                } else {
                    format!("!{state}")
                },
                pad_right(&truncate_width(name, 10), 10),
                pad_right(d.person_type.map_or("-", |p| p.label()), 10),
                pad_left(&d.base.map(|b| b.yuan_grouped()).unwrap_or_default(), 10),
                pad_left(&d.due.yuan_grouped(), 8),
                pad_left(&d.paid.yuan_grouped(), 8),
                read::date_text(d.paid_date),
            );
            let t = pad_right(&truncate_width(&t, w), w);
            let style = if sel {
                theme.selected()
            } else if !d.is_paid() {
                theme.warn()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::from(Span::styled(t, style)));
        }
        let mut cursor = None;
        let bottom_y = inner.y + inner.height.saturating_sub(1);
        while lines.len() < inner.height as usize - 1 {
            lines.push(Line::from(""));
        }
        match &self.amount {
            Some(a) => {
                let lead = "实交金额：";
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.focus()),
                    Span::styled(a.value().to_string(), theme.field()),
                    Span::styled("  （回车确定，Esc 取消）", theme.dim()),
                ]));
                cursor = Some((inner.x + 10 + a.visual_cursor() as u16, bottom_y));
            }
            None => lines.push(Line::from(Span::styled(
                truncate_width(
                    "回车 全额交纳  数字 输入实交  F3 修改  F5 生成本月  Esc 回经费",
                    w,
                ),
                theme.dim(),
            ))),
        }
        f.render_widget(Paragraph::new(lines), inner);
        cursor
    }

    /// A key on the dues sheet.
    pub(super) fn dues_key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        match key {
            Key::Up => self.dsel = self.dsel.saturating_sub(1),
            Key::Down => self.dsel = (self.dsel + 1).min(self.sheet.len().saturating_sub(1)),
            Key::End => self.dsel = self.sheet.len().saturating_sub(1),
            Key::Left | Key::Right => {
                let orgs = &cx.lookups.orgs;
                if !orgs.is_empty() {
                    let i = orgs
                        .iter()
                        .position(|o| Some(o.0) == self.dues_org)
                        .unwrap_or(0);
                    let n = orgs.len();
                    let j = if key == Key::Right {
                        (i + 1) % n
                    } else {
                        (i + n - 1) % n
                    };
                    self.dues_org = Some(orgs[j].0);
                    self.stale = true;
                    self.dsel = 0;
                }
            }
            Key::F(7) => out.push(Msg::Pick {
                kind: RefKind::Org,
                filter: String::new(),
                target: PickFor::Choice,
            }),
            Key::F(5) | Key::Insert => match self.dues_org {
                Some(org) if cx.read_only.is_none() => out.push(Msg::GenerateDues {
                    org_id: org,
                    month: self.month,
                }),
                Some(_) => out.push(Msg::Status(cx.read_only.unwrap_or("只读").to_string())),
                None => out.push(Msg::Status("还没有党组织".to_string())),
            },
            Key::Enter => self.pay(None, cx, out),
            Key::F(3) => self.open_dues(cx),
            Key::Esc => {
                self.mode = Mode::Funds;
                self.stale = true;
            }
            Key::F(8) | Key::Delete => {
                if let Some((d, name)) = self.sheet.get(self.dsel) {
                    out.push(Msg::AskVoid {
                        table: "dues",
                        kind: "党费",
                        id: d.id,
                        title: format!("{name} {}", self.month.label()),
                    });
                }
            }
            Key::Char(c) if fold_digit(c).is_ascii_digit() || fold_digit(c) == '.' => {
                if !self.sheet.is_empty() {
                    let mut i = Input::default();
                    i.handle(InputRequest::InsertChar(fold_digit(c)));
                    self.amount = Some(i);
                }
            }
            _ => return false,
        }
        true
    }
}
