//! 7 经费: the month's fund entries with the running balance of each org
//! and of the whole township (a balance below zero is marked at once), and
//! the dues sheet of one org for the month: 生成本月党费, Enter marks a row
//! paid in full, digits type the amount paid; unpaid rows say 未交.
//!
//! `mod.rs` is the screen (its texts and keys, the form both modes share);
//! `entries.rs` the fund list and entry form; `dues.rs` the dues sheet.

use ratatui::Frame;
use ratatui::layout::Rect;
use tui_input::{Input, InputRequest};

use super::Ctx;
use super::form_keys::{fill_added, fill_reference, form_key};
use super::month::{MONTH_COMMAND, month_key};
use crate::domain::dates::Month;
use crate::domain::enums::FundDirection;
use crate::domain::money::{Fen, parse_yuan_expr};
use crate::domain::records::{Dues, FundEntry};
use crate::tui::drafts::Draft;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, PickFor, Rec};
use crate::tui::screen::{Changed, Command, Data, FormHost, Screen, Want};
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::RefKind;
use crate::tui::widgets::form::{Form, FormAction};

mod dues;
mod entries;

use dues::fold_input_dots;
use entries::{FundRow, FundTotals, cat_field, wrap_width};

// UI text of this screen.
const F_DATE: FieldId = FieldId::new("date", "日期");
const F_ORG: FieldId = FieldId::new("org", "党组织");
const F_DIR: FieldId = FieldId::new("direction", "收支");
const F_CAT: FieldId = FieldId::new("category", "类别");
const F_AMOUNT: FieldId = FieldId::new("amount", "金额");
const F_VOUCHER: FieldId = FieldId::new("voucher", "凭证号");
const F_HANDLER: FieldId = FieldId::new("handler", "经办人");
const F_SUMMARY: FieldId = FieldId::new("summary", "摘要");
const F_PTYPE: FieldId = FieldId::new("person_type", "人员类型");
const F_BASE: FieldId = FieldId::new("base", "计算基数");
const F_DUE: FieldId = FieldId::new("due", "应交");
const F_PAID: FieldId = FieldId::new("paid", "实交");
const F_PAID_DATE: FieldId = FieldId::new("paid_on", "交纳日期");
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Funds,
    Dues,
}

/// A fund entry or a dues row being edited.
pub struct Editor {
    pub form: Form,
    pub fund: Option<FundEntry>,
    pub dues: Option<(Dues, String)>,
    dir: String,
}

impl Editor {
    pub fn dirty(&self) -> bool {
        self.form.dirty() && !self.form.read_only
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
        }
    }

    /// Opens the fund form on a draft kept after a crash.
    pub fn open_draft(&mut self, rec: Option<FundEntry>, d: &Draft, cx: &Ctx) {
        self.mode = Mode::Funds;
        self.open_fund(rec, cx);
        if let Some(e) = &mut self.editor {
            d.restore_into(&mut e.form);
            e.dir = String::new();
            e.form.message = Some("已恢复上次未保存的草稿，请核对后按 F6 保存".to_string());
        }
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

    fn editor_key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        let Some(e) = &mut self.editor else {
            return false;
        };
        match form_key(&mut e.form, key, cx.today, out) {
            FormAction::Save => out.push(Msg::SaveForm),
            FormAction::Leave => out.push(Msg::LeaveForm),
            FormAction::FieldLeft => out.push(Msg::KeepDraft),
            _ => {}
        }
        if e.fund.is_some() {
            // 收支 changed: the categories follow.
            let dir = e.form.get(F_DIR);
            if dir != e.dir {
                e.dir = dir.clone();
                if let Ok(d) = FundDirection::parse(&dir) {
                    let cur = e.form.get(F_CAT);
                    if let Some(f) = e.form.field_mut(F_CAT) {
                        *f = cat_field(d, &cur);
                    }
                }
            }
            // `..` copies the previous 摘要.
            if e.form.focused().map(|f| f.id) == Some(F_SUMMARY)
                && fold_input_dots(&e.form.get(F_SUMMARY))
                && let Some(prev) = self.last.as_ref().map(|l| l.summary.clone())
            {
                e.form.set(F_SUMMARY, &prev);
                if let Some(f) = e.form.field_mut(F_SUMMARY) {
                    f.input.handle(InputRequest::GoToEnd);
                }
            }
        }
        true
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
            title: e.form.title.clone(),
            fields: e.form.draft_values(),
            values: Vec::new(),
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
            e.form.message = Some(msg.to_string());
        }
    }

    fn referenced_added(&mut self, kind: RefKind, name: &str) {
        if let Some(e) = &mut self.editor {
            fill_added(&mut e.form, kind, name);
        }
    }
}

impl Screen for Funds {
    /// A reference picked in the fund form, or the dues sheet's org.
    fn picked(&mut self, target: PickFor, id: i64, name: &str, out: &mut Vec<Msg>) {
        let filled = match (&mut self.editor, target) {
            (Some(e), PickFor::Field(idx)) => fill_reference(&mut e.form, idx, name),
            (None, PickFor::Choice) => {
                self.dues_org = Some(id);
                self.stale = true;
                self.dsel = 0;
                false
            }
            _ => false,
        };
        if filled {
            out.push(Msg::FormChanged);
        }
    }

    fn commands(&self) -> Vec<Command> {
        use crate::tui::keymap::FORM_COMMANDS;
        if self.editor.is_some() {
            return FORM_COMMANDS.to_vec();
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
            Mode::Funds => self.funds_key(key, cx, out),
            Mode::Dues => self.dues_key(key, cx, out),
        }
    }

    fn paste(&mut self, s: &str) {
        if let Some(e) = &mut self.editor {
            e.form.paste(s);
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
            e.form.notes = notes;
            return e.form.render(f, area, &cx.theme, cx.today);
        }
        match self.mode {
            Mode::Funds => {
                self.render_funds(f, area, cx);
                None
            }
            Mode::Dues => self.render_dues(f, area, cx),
        }
    }

    fn text_focus(&self) -> bool {
        self.editor.is_some() || self.amount.is_some()
    }

    /// Digits type the amount paid (the dues sheet); Esc goes back to the
    /// fund list, where digits switch screens again.
    fn takes_digits(&self) -> bool {
        self.mode == Mode::Dues
    }
}
