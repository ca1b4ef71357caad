//! The fund list of 7 经费: the month's entries with the running balance
//! of each org and of the township, and the fund entry form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::enums::{FundCategory, FundDirection};
use crate::domain::money::{Fen, parse_yuan_expr};
use crate::domain::records::FundEntry;
use crate::domain::rules::{Balances, closing};
use crate::domain::text::{pad_left, pad_right, truncate_width, width};
use crate::domain::validate;
use crate::error::{Error, Result};
use crate::tui::event::Key;
use crate::tui::msg::Msg;
use crate::tui::screens::Ctx;
use crate::tui::screens::register::read;
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;

use super::*;

/// One line of the fund list: the entry and the balances after it.
#[derive(Debug, Clone)]
pub(super) struct FundRow {
    pub(super) entry: FundEntry,
    pub(super) org_after: Fen,
    pub(super) town_after: Fen,
}

/// The township's figures of the month on the fund list.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct FundTotals {
    pub(super) opening: Fen,
    pub(super) income: Fen,
    pub(super) expense: Fen,
    pub(super) closing: Fen,
}

/// `s` cut into lines of at most display width `w` (a message in place of
/// a list).
pub(super) fn wrap_width(s: &str, w: usize) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in s.chars() {
        let last = out.len() - 1;
        if width(&out[last]) + width(c.encode_utf8(&mut [0; 4])) > w.max(2) {
            out.push(String::new());
        }
        let last = out.len() - 1;
        out[last].push(c);
    }
    out
}

/// `a + b` exactly, or the money overflow error: a total beyond i64 only
/// arises from a ledger holding amounts beyond the bounds of FORMATS.md,
/// and the screen then says so instead of showing a wrapped figure.
pub(super) fn add(a: Fen, b: Fen) -> Result<Fen> {
    a.checked_add(b).ok_or_else(Error::money_overflow)
}

/// The month's rows with each org's and the township's balance after each
/// entry, and the township's totals; every sum exact.
pub(super) fn fund_rows(
    opening: &[(Option<i64>, Fen)],
    entries: Vec<FundEntry>,
) -> Result<(Vec<FundRow>, FundTotals)> {
    let overflow = Error::money_overflow;
    let mut bal = Balances::opening(opening).ok_or_else(overflow)?;
    let open = bal.township().ok_or_else(overflow)?;
    let mut town = open;
    let (mut inc, mut exp) = (Fen::ZERO, Fen::ZERO);
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let org_after = bal.post(&e).ok_or_else(overflow)?;
        town = add(town, e.signed())?;
        match e.direction {
            FundDirection::Income => inc = add(inc, e.amount)?,
            FundDirection::Expense => exp = add(exp, e.amount)?,
        }
        rows.push(FundRow {
            entry: e,
            org_after,
            town_after: town,
        });
    }
    let closing = closing(open, inc, exp).ok_or_else(overflow)?;
    Ok((
        rows,
        FundTotals {
            opening: open,
            income: inc,
            expense: exp,
            closing,
        },
    ))
}

pub(super) fn cat_field(dir: FundDirection, value: &str) -> Field {
    let opts: Vec<&'static str> = FundCategory::for_direction(dir)
        .iter()
        .map(|c| c.label())
        .collect();
    let v = if opts.contains(&value) {
        value
    } else {
        opts[0]
    };
    Field::new(F_CAT, FieldKind::Choice(opts), true, v)
}

impl Funds {
    /// The org's balance at the end of the month as loaded, leaving out
    /// the entry `skip`; None when it is beyond i64.
    pub(super) fn balance_without(&self, org: Option<i64>, skip: i64) -> Option<Fen> {
        let mut b = Balances::opening(&self.opening)?;
        for r in &self.rows {
            if r.entry.org_id == org && r.entry.id != skip {
                b.post(&r.entry)?;
            }
        }
        Some(b.of(org))
    }

    pub(super) fn set_funds(
        &mut self,
        opening: Vec<(Option<i64>, Fen)>,
        entries: Vec<FundEntry>,
    ) -> Result<()> {
        let (rows, totals) = fund_rows(&opening, entries)?;
        self.opening = opening;
        self.rows = rows;
        self.totals = totals;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    pub(super) fn open_fund(&mut self, rec: Option<FundEntry>, cx: &Ctx) {
        let (base, title) = match rec {
            Some(r) => {
                let t = format!("经费：{}", crate::store::Record::title(&r));
                (r, t)
            }
            None => {
                let date = if self.month.contains(cx.today) {
                    cx.today
                } else {
                    self.month.last_day()
                };
                let last = self.last.as_ref();
                (
                    FundEntry {
                        id: 0,
                        date,
                        org_id: last.and_then(|l| l.org_id),
                        direction: last.map_or(FundDirection::Income, |l| l.direction),
                        category: last.map_or(FundCategory::Appropriation, |l| l.category),
                        amount: Fen::ZERO,
                        voucher: String::new(),
                        handler: last.map(|l| l.handler.clone()).unwrap_or_default(),
                        summary: String::new(),
                    },
                    "新增经费收支".to_string(),
                )
            }
        };
        let amount = if base.amount.0 > 0 {
            base.amount.to_string()
        } else {
            String::new()
        };
        let fields = vec![
            Field::new(F_DATE, FieldKind::Date, true, &base.date.to_string()),
            Field::new(
                F_ORG,
                FieldKind::Ref(RefKind::Org),
                false,
                &cx.lookups.opt_name(RefKind::Org, base.org_id),
            ),
            Field::new(
                F_DIR,
                FieldKind::Choice(FundDirection::labels()),
                true,
                base.direction.label(),
            ),
            cat_field(base.direction, base.category.label()),
            Field::new(F_AMOUNT, FieldKind::Money, true, &amount),
            Field::new(F_VOUCHER, FieldKind::Text, false, &base.voucher),
            Field::new(F_HANDLER, FieldKind::Text, false, &base.handler),
            Field::new(F_SUMMARY, FieldKind::Text, true, &base.summary),
        ];
        let mut form = Form::new(title, fields);
        form.read_only = cx.read_only.is_some();
        if base.id == 0 {
            // Org, 收支 and 类别 are taken over: start at the amount.
            form.focus = 4;
        }
        self.editor = Some(Editor {
            dir: base.direction.label().to_string(),
            form,
            fund: Some(base),
            dues: None,
        });
    }

    /// Live notes of the fund form: the org's balance after this entry.
    pub(super) fn fund_notes(&self, cx: &Ctx) -> Vec<String> {
        let Some(e) = &self.editor else {
            return Vec::new();
        };
        let Some(base) = &e.fund else {
            return Vec::new();
        };
        let f = &e.form;
        let org_text = f.get(F_ORG);
        let org = if org_text.is_empty() {
            None
        } else {
            match cx.lookups.resolve(RefKind::Org, &org_text) {
                Ok(id) => Some(id),
                Err(_) => return vec!["摘要栏写 .. 沿用上一笔的摘要".to_string()],
            }
        };
        let amount = parse_yuan_expr(&f.get(F_AMOUNT)).unwrap_or(Fen::ZERO);
        let signed = if f.get(F_DIR) == FundDirection::Expense.label() {
            -amount
        } else {
            amount
        };
        let Some((before, after)) = self
            .balance_without(org, base.id)
            .and_then(|b| Some((b, b.checked_add(signed)?)))
        else {
            return vec![crate::domain::money::OVERFLOW_MESSAGE.to_string()];
        };
        let who = if org_text.is_empty() {
            TOWNSHIP.to_string()
        } else {
            org_text
        };
        let mut v = vec![format!(
            "{who} {}末结余 {} 元 → 记入后 {} 元",
            self.month.label(),
            before.yuan_grouped(),
            after.yuan_grouped()
        )];
        if after.0 < 0 {
            v.push(format!(
                "! 记入后结余为负（{} 元），请核对",
                after.yuan_grouped()
            ));
        }
        v.push("摘要栏写 .. 沿用上一笔的摘要".to_string());
        v
    }

    pub(super) fn build_fund(&mut self, cx: &Ctx) -> std::result::Result<FundEntry, String> {
        let Some(e) = &mut self.editor else {
            return Err(String::new());
        };
        let Some(base) = e.fund.clone() else {
            return Err(String::new());
        };
        let form = &mut e.form;
        form.message = None;
        let ok = form.check_all(cx.today);
        let date = read::date(form, F_DATE, cx.today);
        let org = read::opt_ref(form, F_ORG, RefKind::Org, cx);
        let dir = read::choice(form, F_DIR, FundDirection::parse);
        let cat = read::choice(form, F_CAT, FundCategory::parse);
        let amount = match parse_yuan_expr(&form.get(F_AMOUNT)) {
            Ok(a) => Some(a),
            Err(m) => {
                form.set_error(F_AMOUNT, &m);
                None
            }
        };
        let (Ok(date), Ok(org), Ok(dir), Ok(cat), Some(amount), true) =
            (date, org, dir, cat, amount, ok)
        else {
            form.focus_first_error();
            return Err("有需要修改的栏目，已停在第一处；填写的内容都还在".to_string());
        };
        let f = FundEntry {
            id: base.id,
            date,
            org_id: org,
            direction: dir,
            category: cat,
            amount,
            voucher: form.get(F_VOUCHER),
            handler: form.get(F_HANDLER),
            summary: form.get(F_SUMMARY),
        };
        let iss = validate::fund_entry(&f);
        if !iss.is_ok() {
            for er in &iss.errors {
                form.set_error_labelled(er.field, &er.message);
            }
            form.focus_first_error();
            return Err(iss.error_lines().join("；"));
        }
        Ok(f)
    }

    pub(super) fn render_funds(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) {
        let theme = cx.theme;
        let block = theme.block(format!(" 经费收支 {} ", self.month.label()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let t = self.totals;
        let headline = if self.failed.is_some() {
            "全镇 本月金额无法计算".to_string()
        } else {
            format!(
                "全镇 上月结余 {}  本月收入 {}  支出 {}  本月结余 {}{}",
                t.opening.yuan_grouped(),
                t.income.yuan_grouped(),
                t.expense.yuan_grouped(),
                t.closing.yuan_grouped(),
                if t.closing.0 < 0 { " 负数!" } else { "" }
            )
        };
        let mut lines = vec![
            Line::from(truncate_width(&headline, w)),
            Line::from(Span::styled(
                truncate_width(
                    "  日期  党组织           收支 类别       金额        组织结余   全镇结余  摘要",
                    w,
                ),
                theme.header(),
            )),
        ];
        let list_h = (inner.height as usize).saturating_sub(lines.len());
        if let Some(m) = &self.failed {
            for l in wrap_width(m, w.saturating_sub(2)) {
                lines.push(Line::from(Span::styled(format!("  {l}"), theme.warn())));
            }
        } else if self.rows.is_empty() {
            lines.push(Line::from(Span::styled(
                "  本月还没有经费收支，按 F5 新增",
                theme.dim(),
            )));
        }
        crate::tui::widgets::keep_in_view(&mut self.top, self.sel, list_h);
        for (i, r) in self.rows.iter().enumerate().skip(self.top).take(list_h) {
            let sel = i == self.sel;
            let e = &r.entry;
            let org = match e.org_id {
                Some(id) => cx.lookups.name(RefKind::Org, id),
                None => TOWNSHIP.to_string(),
            };
            let neg = r.org_after.0 < 0;
            let t = format!(
                "{}{} {} {} {} {} {}{} {} {}",
                if sel { ">" } else { " " },
                e.date.format("%m-%d"),
                pad_right(&truncate_width(&org, 16), 16),
                e.direction.label(),
                pad_right(e.category.label(), 8),
                pad_left(&e.amount.yuan_grouped(), 10),
                pad_left(&r.org_after.yuan_grouped(), 10),
                if neg { "负" } else { "  " },
                pad_left(&r.town_after.yuan_grouped(), 10),
                e.summary
            );
            let t = pad_right(&truncate_width(&t, w), w);
            let style = if sel {
                theme.selected()
            } else if neg {
                theme.warn()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::from(Span::styled(t, style)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }

    /// A key on the fund list.
    pub(super) fn funds_key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        match key {
            Key::Up => self.sel = self.sel.saturating_sub(1),
            Key::Down => self.sel = (self.sel + 1).min(self.rows.len().saturating_sub(1)),
            Key::End => self.sel = self.rows.len().saturating_sub(1),
            Key::F(5) | Key::Insert => {
                if let Some(why) = cx.read_only {
                    out.push(Msg::Status(why.to_string()));
                } else {
                    self.open_fund(None, cx);
                }
            }
            Key::Enter => {
                if let Some(r) = self.rows.get(self.sel) {
                    let e = r.entry.clone();
                    self.open_fund(Some(e), cx);
                }
            }
            Key::F(8) | Key::Delete => {
                if let Some(r) = self.rows.get(self.sel) {
                    out.push(Msg::AskVoid {
                        table: "fund_entries",
                        kind: "经费",
                        id: r.entry.id,
                        title: crate::store::Record::title(&r.entry),
                    });
                }
            }
            _ => return false,
        }
        true
    }
}
