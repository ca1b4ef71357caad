//! 7 经费: the month's fund entries with the running balance of each org
//! and of the whole township (a balance below zero is marked at once), and
//! the dues sheet of one org for the month: 生成本月党费, Enter marks a row
//! paid in full, digits type the amount paid; unpaid rows say 未交.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use super::Ctx;
use super::work::{MONTH_COMMAND, PickForm, month_key};
use crate::domain::dates::Month;
use crate::domain::dues::{check_pay_window, standard_due};
use crate::domain::enums::{FundCategory, FundDirection, PersonType};
use crate::domain::money::{Fen, parse_yuan_expr};
use crate::domain::records::{Dues, FundEntry};
use crate::domain::rules::{Balances, closing};
use crate::domain::text::{pad_left, pad_right, truncate_width, width};
use crate::domain::validate;
use crate::error::{Error, Result};
use crate::tui::event::{Key, fold_digit};
use crate::tui::msg::{Msg, Rec};
use crate::tui::screen::{Changed, Command, Data, FormHost, Screen, Want};
use crate::tui::screens::register::{Draft, read};
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::{Form, FormAction};
use crate::tui::widgets::pick_list::{PickList, PickResult};

// UI text of this screen.
const F_DATE: &str = "日期";
const F_ORG: &str = "党组织";
const F_DIR: &str = "收支";
const F_CAT: &str = "类别";
const F_AMOUNT: &str = "金额";
const F_VOUCHER: &str = "凭证号";
const F_HANDLER: &str = "经办人";
const F_SUMMARY: &str = "摘要";
const F_PTYPE: &str = "人员类型";
const F_BASE: &str = "计算基数";
const F_DUE: &str = "应交";
const F_PAID: &str = "实交";
const F_PAID_DATE: &str = "交纳日期";
const TOWNSHIP: &str = "乡镇本级";
const T_PAID: &str = "已交";
const T_UNPAID: &str = "未交";
const T_SHORT: &str = "少交";

const FUND_COMMANDS: &[Command] = &[
    Command::keys("上下", "移动"),
    Command::keys("回车", "打开这一笔"),
    MONTH_COMMAND,
    Command::f(4, "党费", "F4", "切换到 党费"),
    Command::f(
        5,
        "新增",
        "F5 Insert",
        "新增一笔（党组织、收支、类别沿用上一笔；摘要栏写 .. 沿用上一笔的摘要）",
    ),
    Command::f(8, "作废", "F8 Delete", "作废（可在回收站恢复）"),
];

const DUES_COMMANDS: &[Command] = &[
    Command::keys("上下", "移动"),
    Command::keys("回车", "按应交全额交纳（交纳日期为今天）"),
    Command::keys("数字", "输入实交金额，回车确定（可写 20+15.5）"),
    Command::keys("左右", "换党组织"),
    MONTH_COMMAND,
    Command::f(
        3,
        "修改",
        "F3",
        "修改人员类型、计算基数、应交、实交、交纳日期",
    ),
    Command::f(4, "经费", "F4 Esc", "切换到 经费收支"),
    Command::f(
        5,
        "生成本月",
        "F5 Insert",
        "生成本月党费：为本组织每名应交党员建一行，应交按标准计算",
    ),
    Command::f(7, "选组织", "F7", "从列表选择党组织"),
    Command::f(8, "作废", "F8 Delete", "作废（可在回收站恢复）"),
];

const ORG_PICK_COMMANDS: &[Command] = &[
    Command::keys("输入文字", "筛选：中文、拼音首字母或全拼"),
    Command::keys("上下 回车", "移动 / 选中"),
    Command::keys("Esc", "返回，不换组织"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Funds,
    Dues,
}

/// One line of the fund list: the entry and the balances after it.
#[derive(Debug, Clone)]
struct FundRow {
    entry: FundEntry,
    org_after: Fen,
    town_after: Fen,
}

/// The township's figures of the month on the fund list.
#[derive(Debug, Clone, Copy, Default)]
struct FundTotals {
    opening: Fen,
    income: Fen,
    expense: Fen,
    closing: Fen,
}

/// `s` cut into lines of at most display width `w` (a message in place of
/// a list).
fn wrap_width(s: &str, w: usize) -> Vec<String> {
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
fn add(a: Fen, b: Fen) -> Result<Fen> {
    a.checked_add(b).ok_or_else(Error::money_overflow)
}

/// The month's rows with each org's and the township's balance after each
/// entry, and the township's totals; every sum exact.
fn fund_rows(
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

/// A fund entry or a dues row being edited.
pub struct Editor {
    pub pf: PickForm,
    pub fund: Option<FundEntry>,
    pub dues: Option<(Dues, String)>,
    dir: String,
}

impl Editor {
    pub fn dirty(&self) -> bool {
        self.pf.form.dirty() && !self.pf.form.read_only
    }
}

/// Where a fund form's draft is kept.
pub fn draft_key(id: i64) -> String {
    format!("fund_entries:{id}")
}

pub struct Funds {
    pub month: Month,
    pub mode: Mode,
    pub stale: bool,
    rows: Vec<FundRow>,
    opening: Vec<(Option<i64>, Fen)>,
    totals: FundTotals,
    /// Σ 应交, Σ 实交 of the dues sheet.
    dues_totals: (Fen, Fen),
    /// Why the month's figures could not be computed (shown in place of
    /// the list).
    failed: Option<String>,
    sel: usize,
    top: usize,
    /// The newest entry (a new one takes org, 收支, 类别 from it).
    last: Option<FundEntry>,
    pub editor: Option<Editor>,
    pub dues_org: Option<i64>,
    sheet: Vec<(Dues, String)>,
    dsel: usize,
    dtop: usize,
    pub amount: Option<Input>,
    pick: Option<PickList>,
}

fn cat_field(dir: FundDirection, value: &str) -> Field {
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
    pub fn new(month: Month) -> Self {
        Funds {
            month,
            mode: Mode::Funds,
            stale: true,
            rows: Vec::new(),
            opening: Vec::new(),
            totals: FundTotals::default(),
            dues_totals: (Fen::ZERO, Fen::ZERO),
            failed: None,
            sel: 0,
            top: 0,
            last: None,
            editor: None,
            dues_org: None,
            sheet: Vec::new(),
            dsel: 0,
            dtop: 0,
            amount: None,
            pick: None,
        }
    }

    /// Opens the fund form on a draft kept after a crash.
    pub fn open_draft(&mut self, rec: Option<FundEntry>, values: &[String], cx: &Ctx) {
        self.mode = Mode::Funds;
        self.open_fund(rec, cx);
        if let Some(e) = &mut self.editor {
            e.pf.form.restore_values(values);
            e.dir = String::new();
            e.pf.form.message = Some("已恢复上次未保存的草稿，请核对后按 F6 保存".to_string());
        }
    }

    /// The org's balance at the end of the month as loaded, leaving out
    /// the entry `skip`; None when it is beyond i64.
    fn balance_without(&self, org: Option<i64>, skip: i64) -> Option<Fen> {
        let mut b = Balances::opening(&self.opening)?;
        for r in &self.rows {
            if r.entry.org_id == org && r.entry.id != skip {
                b.post(&r.entry)?;
            }
        }
        Some(b.of(org))
    }

    /// Nothing half-computed stays on the screen: the list is cleared and
    /// the reason shown in its place.
    fn show_failure(&mut self, msg: &str) {
        self.rows.clear();
        self.opening.clear();
        self.totals = FundTotals::default();
        self.sheet.clear();
        self.dues_totals = (Fen::ZERO, Fen::ZERO);
        self.failed = Some(msg.to_string());
    }

    fn set_funds(
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

    fn set_sheet(&mut self, sheet: Vec<(Dues, String)>) -> Result<()> {
        let total = |f: fn(&Dues) -> Fen| {
            Fen::try_sum(sheet.iter().map(|(d, _)| f(d))).ok_or_else(Error::money_overflow)
        };
        self.dues_totals = (total(|d| d.due)?, total(|d| d.paid)?);
        self.sheet = sheet;
        self.dsel = self.dsel.min(self.sheet.len().saturating_sub(1));
        Ok(())
    }

    fn open_fund(&mut self, rec: Option<FundEntry>, cx: &Ctx) {
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
            pf: PickForm::new(form),
            fund: Some(base),
            dues: None,
        });
    }

    fn open_dues(&mut self, cx: &Ctx) {
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
            pf: PickForm::new(form),
            fund: None,
            dues: Some((d, name)),
            dir: String::new(),
        });
    }

    /// Live notes of the fund form: the org's balance after this entry.
    fn fund_notes(&self, cx: &Ctx) -> Vec<String> {
        let Some(e) = &self.editor else {
            return Vec::new();
        };
        let Some(base) = &e.fund else {
            return Vec::new();
        };
        let f = &e.pf.form;
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

    fn build_fund(&mut self, cx: &Ctx) -> std::result::Result<FundEntry, String> {
        let Some(e) = &mut self.editor else {
            return Err(String::new());
        };
        let Some(base) = e.fund.clone() else {
            return Err(String::new());
        };
        let form = &mut e.pf.form;
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
                form.set_error(er.field, &er.message);
            }
            form.focus_first_error();
            return Err(iss.error_lines().join("；"));
        }
        Ok(f)
    }

    fn build_dues(&mut self, cx: &Ctx) -> std::result::Result<Dues, String> {
        let Some(e) = &mut self.editor else {
            return Err(String::new());
        };
        let Some((base, _)) = e.dues.clone() else {
            return Err(String::new());
        };
        let form = &mut e.pf.form;
        form.message = None;
        let ok = form.check_all(cx.today);
        let ptype = read::opt_choice(form, F_PTYPE, PersonType::parse);
        let money = |form: &mut Form, l: &str| -> std::result::Result<Option<Fen>, ()> {
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
                if form.field(er.field).is_some() {
                    form.set_error(er.field, &er.message);
                } else {
                    form.message = Some(er.message.clone());
                }
            }
            form.focus_first_error();
            return Err(iss.error_lines().join("；"));
        }
        Ok(d)
    }

    /// Marks the selected dues row paid with `amount` (None: in full) today.
    fn pay(&mut self, amount: Option<Fen>, cx: &Ctx, out: &mut Vec<Msg>) {
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

    fn editor_key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        let Some(e) = &mut self.editor else {
            return false;
        };
        match e.pf.key(key, cx, out) {
            FormAction::Save => out.push(Msg::SaveForm),
            FormAction::Leave => out.push(Msg::LeaveForm),
            FormAction::FieldLeft => out.push(Msg::KeepDraft),
            _ => {}
        }
        if e.fund.is_some() {
            // 收支 changed: the categories follow.
            let dir = e.pf.form.get(F_DIR);
            if dir != e.dir {
                e.dir = dir.clone();
                if let Ok(d) = FundDirection::parse(&dir) {
                    let cur = e.pf.form.get(F_CAT);
                    if let Some(f) = e.pf.form.field_mut(F_CAT) {
                        *f = cat_field(d, &cur);
                    }
                }
            }
            // `..` copies the previous 摘要.
            if e.pf.form.focused().map(|f| f.label) == Some(F_SUMMARY)
                && fold_input_dots(&e.pf.form.get(F_SUMMARY))
                && let Some(prev) = self.last.as_ref().map(|l| l.summary.clone())
            {
                e.pf.form.set(F_SUMMARY, &prev);
                if let Some(f) = e.pf.form.field_mut(F_SUMMARY) {
                    f.input.handle(InputRequest::GoToEnd);
                }
            }
        }
        true
    }

    fn render_funds(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) {
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

    fn render_dues(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
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
}

impl FormHost for Funds {
    fn save(&mut self, cx: &Ctx) -> std::result::Result<Msg, String> {
        if let Some(why) = cx.read_only {
            return Err(why.to_string());
        }
        let draft_key = FormHost::draft_key(self);
        let record = match &self.editor {
            Some(e) if e.fund.is_some() => Rec::Fund(self.build_fund(cx)?),
            Some(_) => Rec::Dues(self.build_dues(cx)?),
            None => return Err(String::new()),
        };
        Ok(Msg::Save {
            record: Box::new(record),
            draft_key,
        })
    }

    fn saved(&mut self, rec: Rec) -> Option<String> {
        let status = match rec {
            Rec::Fund(f) => {
                let s = format!(
                    "已保存：经费 {}（Ctrl+Z 可撤销）",
                    crate::store::Record::title(&f)
                );
                self.last = Some(f);
                s
            }
            Rec::Dues(_) => "已保存党费（Ctrl+Z 可撤销）".to_string(),
            _ => return None,
        };
        self.editor = None;
        self.amount = None;
        self.stale = true;
        Some(status)
    }

    fn discard(&mut self) {
        self.editor = None;
    }

    fn dirty(&self) -> bool {
        self.editor.as_ref().is_some_and(|e| e.dirty())
    }

    /// The draft of the fund entry being edited (dues rows are a few
    /// fields and keep none).
    fn draft(&self) -> Option<(String, String)> {
        let e = self.editor.as_ref()?;
        let f = e.fund.as_ref()?;
        if !e.dirty() {
            return None;
        }
        let d = Draft {
            table: "fund_entries".to_string(),
            id: f.id,
            title: e.pf.form.title.clone(),
            values: e.pf.form.values(),
            parent: None,
        };
        Some((draft_key(f.id), serde_json::to_string(&d).ok()?))
    }

    /// The draft key of the fund entry being edited.
    fn draft_key(&self) -> Option<String> {
        let e = self.editor.as_ref()?;
        e.fund.as_ref().map(|f| draft_key(f.id))
    }

    fn save_failed(&mut self, msg: &str) {
        if let Some(e) = &mut self.editor {
            e.pf.form.message = Some(msg.to_string());
        }
    }

    fn referenced_added(&mut self, _kind: RefKind, name: &str) {
        if let Some(e) = &mut self.editor {
            e.pf.referenced_added(name);
        }
    }
}

impl Screen for Funds {
    fn commands(&self) -> Vec<Command> {
        use crate::tui::keymap::{FORM_COMMANDS, PICK_COMMANDS};
        match &self.editor {
            Some(e) if e.pf.pick.is_some() => return PICK_COMMANDS.to_vec(),
            Some(_) => return FORM_COMMANDS.to_vec(),
            None => {}
        }
        if self.pick.is_some() {
            return ORG_PICK_COMMANDS.to_vec();
        }
        match self.mode {
            Mode::Funds => FUND_COMMANDS.to_vec(),
            Mode::Dues => DUES_COMMANDS.to_vec(),
        }
    }

    fn bin_key(&self) -> bool {
        !self.text_focus()
    }

    fn month(&self) -> Option<Month> {
        Some(self.month)
    }

    /// The month's entries and balances brought forward (and the newest
    /// entry, once), or the dues sheet of the org shown.
    fn wants(&self, cx: &Ctx) -> Vec<Want> {
        if !self.stale {
            return Vec::new();
        }
        match self.mode {
            Mode::Funds => {
                let mut v = vec![Want::MonthFunds(self.month)];
                if self.last.is_none() {
                    v.push(Want::LastFundEntry);
                }
                v
            }
            Mode::Dues => vec![Want::DuesSheet {
                org_id: self.dues_org.or(cx.lookups.orgs.first().map(|o| o.0)),
                month: self.month,
            }],
        }
    }

    fn give(&mut self, data: Data, _cx: &Ctx) -> std::result::Result<(), String> {
        let r = match data {
            Data::MonthFunds { opening, entries } => {
                self.stale = false;
                self.failed = None;
                self.set_funds(opening, entries)
            }
            Data::LastFundEntry(last) => {
                self.last = last;
                Ok(())
            }
            Data::DuesSheet { org_id, rows } => {
                self.stale = false;
                self.failed = None;
                self.dues_org = org_id;
                self.set_sheet(rows)
            }
            _ => Ok(()),
        };
        if let Err(e) = &r {
            self.show_failure(&e.message);
        }
        r.map_err(|e| e.message)
    }

    fn failed(&mut self, msg: &str) {
        self.stale = false;
        self.show_failure(msg);
    }

    fn changed(&mut self, _what: Changed) {
        self.stale = true;
    }

    fn form(&self) -> Option<&dyn FormHost> {
        self.editor.as_ref().map(|_| self as &dyn FormHost)
    }

    fn form_mut(&mut self) -> Option<&mut dyn FormHost> {
        match self.editor {
            Some(_) => Some(self as &mut dyn FormHost),
            None => None,
        }
    }

    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        if self.editor.is_some() {
            return self.editor_key(key, cx, out);
        }
        if let Some(p) = &mut self.pick {
            match p.key(key) {
                PickResult::Picked(id, _) => {
                    self.dues_org = Some(id);
                    self.pick = None;
                    self.stale = true;
                    self.dsel = 0;
                }
                PickResult::Cancel | PickResult::AddNew => self.pick = None,
                PickResult::None => {}
            }
            return true;
        }
        if let Some(a) = &mut self.amount {
            match key {
                Key::Enter => {
                    let v = a.value().to_string();
                    match parse_yuan_expr(&v) {
                        Ok(f) => {
                            self.amount = None;
                            self.pay(Some(f), cx, out);
                        }
                        Err(m) => out.push(Msg::Status(m)),
                    }
                }
                Key::Esc => self.amount = None,
                Key::Backspace => {
                    a.handle(InputRequest::DeletePrevChar);
                }
                Key::Char(c) if !c.is_control() => {
                    a.handle(InputRequest::InsertChar(c));
                }
                _ => {}
            }
            return true;
        }
        if let Some(m) = month_key(key, self.month, cx) {
            self.month = m;
            self.stale = true;
            self.sel = 0;
            self.dsel = 0;
            return true;
        }
        if key == Key::F(4) {
            self.mode = match self.mode {
                Mode::Funds => Mode::Dues,
                Mode::Dues => Mode::Funds,
            };
            self.stale = true;
            return true;
        }
        match self.mode {
            Mode::Funds => match key {
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
            },
            Mode::Dues => match key {
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
                Key::F(7) => {
                    self.pick = Some(PickList::new("选择党组织", cx.lookups.orgs.clone(), ""));
                }
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
            },
        }
        true
    }

    fn paste(&mut self, s: &str) {
        if let Some(e) = &mut self.editor {
            e.pf.form.paste(s);
        } else if let Some(a) = &mut self.amount {
            for c in s.chars().filter(|c| !c.is_control()) {
                a.handle(InputRequest::InsertChar(c));
            }
        }
    }

    fn status(&self) -> String {
        let mode = if self.editor.is_some() {
            "编辑"
        } else if self.amount.is_some() {
            "输入实交"
        } else {
            "浏览"
        };
        match self.mode {
            Mode::Funds => format!(
                "经费 第 {}/{} 笔 | {mode}",
                (self.sel + 1).min(self.rows.len()),
                self.rows.len()
            ),
            Mode::Dues => format!(
                "党费 第 {}/{} 人 | {mode}",
                (self.dsel + 1).min(self.sheet.len()),
                self.sheet.len()
            ),
        }
    }

    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        if self.editor.is_some() {
            let notes = self.fund_notes(cx);
            let e = self.editor.as_mut()?;
            e.pf.form.notes = notes;
            return e.pf.render(f, area, cx);
        }
        let cur = match self.mode {
            Mode::Funds => {
                self.render_funds(f, area, cx);
                None
            }
            Mode::Dues => self.render_dues(f, area, cx),
        };
        if let Some(p) = &mut self.pick {
            return p.render(f, area, &cx.theme);
        }
        cur
    }

    fn text_focus(&self) -> bool {
        self.editor.is_some() || self.amount.is_some() || self.pick.is_some()
    }

    /// Digits type the amount paid (the dues sheet); Esc goes back to the
    /// fund list, where digits switch screens again.
    fn takes_digits(&self) -> bool {
        self.mode == Mode::Dues
    }
}

fn fold_input_dots(s: &str) -> bool {
    matches!(s.trim(), ".." | "。。" | "．．")
}
