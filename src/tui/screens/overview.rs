//! 1 概览: this month's figures (from `report::compute`, the same function
//! as the printed report) and the to-do list of its warnings, grouped;
//! Enter opens what a line names. On an empty ledger: the welcome.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::form_keys;
use super::{Ctx, ScreenId};
use crate::domain::dates::Month;
use crate::domain::text::{pad_right, truncate_width};
use crate::report::MonthlyReport;
use crate::report::compute::percent;
use crate::report::model::{WarningCode, WarningRecord};
use crate::tui::event::{Key, fold_digit};
use crate::tui::msg::Msg;
use crate::tui::screen::{Changed, Command, Data, Screen, Want};
use crate::tui::widgets::path_prompt::PathPrompt;

const T_WELCOME: &str = "欢迎使用党建台账";
const T_EMPTY: &str = "这个台账还是空的。可以：";
const WELCOME_ITEMS: &[&str] = &[
    "导入 Excel 台账（.xlsx/.csv；模板可用 djtz template 生成）",
    "新增单位（从头录入）",
    "试用演示账本（另建一个演示文件，不影响正式台账）",
];
const T_TODO: &str = "本月待办";
const T_NO_TODO: &str = "本月没有待办事项。";
const T_IMPORT: &str = "导入 Excel 台账";

const COMMANDS: &[Command] = &[
    Command::keys("上下", "在待办事项间移动"),
    Command::keys("回车", "打开待办事项所指的记录"),
    Command::keys("PgUp PgDn [ ]", "上个月 / 下个月；Home 回到本月"),
    SETTINGS,
    IMPORT,
];
const WELCOME_COMMANDS: &[Command] = &[
    Command::keys("上下 回车", "选择并执行：导入、新增单位或试用演示账本"),
    SETTINGS,
    Command::f(5, "新增单位", "F5 Insert", "新增单位"),
    IMPORT,
    Command::f(
        9,
        "演示账本",
        "F9",
        "试用演示账本（单独的文件，标题显示【演示账本】）",
    ),
];
const IMPORT_COMMANDS: &[Command] = &[
    Command::keys("输入", "文件路径（.xlsx 或 .csv，可带引号）"),
    Command::f(6, "检查", "F6 回车", "检查文件：列出全部错误，确认后才写入"),
    Command::keys("Esc", "返回，不导入"),
];
const SETTINGS: Command = Command::f(
    4,
    "设置",
    "F4",
    "设置：乡镇名称、制表人、审核人、负责人、边框、本地规则",
);
const IMPORT: Command = Command::f(
    7,
    "导入",
    "F7",
    "导入 Excel 台账（先检查，列出全部错误，确认后才写入）",
);
/// Shown while the worker computes the month's figures.
pub const T_COMPUTING: &str = "正在计算本月数字……";

/// One line of the to-do list: a group header or a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Todo {
    Header(String),
    Item {
        screen: Option<ScreenId>,
        subject: String,
        text: String,
    },
}

/// The to-do group of a warning: its heading on the overview and the
/// screen that opens its record (from the one warning table, report/model.rs).
fn group(code: WarningCode) -> (&'static str, Option<ScreenId>) {
    let screen = match code.record() {
        WarningRecord::Unit => ScreenId::Units,
        WarningRecord::Org => ScreenId::Orgs,
        WarningRecord::Member => ScreenId::Members,
        WarningRecord::Instructor => ScreenId::Instructors,
    };
    (code.list_heading(), Some(screen))
}

#[derive(Debug, Clone)]
pub struct Overview {
    pub month: Month,
    pub stale: bool,
    pub empty: bool,
    /// The figures shown (None while they are being computed).
    report: Option<Arc<MonthlyReport>>,
    todo: Vec<Todo>,
    sel: usize,
    top: usize,
    /// The import path, while asking for it.
    import: Option<PathPrompt>,
}

impl Overview {
    pub fn new(month: Month) -> Self {
        Overview {
            month,
            stale: true,
            empty: false,
            report: None,
            todo: Vec::new(),
            sel: 0,
            top: 0,
            import: None,
        }
    }

    pub fn ask_import(&mut self) {
        self.import = Some(PathPrompt::import(T_IMPORT));
    }

    pub fn import_failed(&mut self, msg: &str) {
        self.import
            .get_or_insert_with(|| PathPrompt::import(T_IMPORT))
            .failed(msg);
    }

    pub fn import_done(&mut self) {
        self.import = None;
        self.stale = true;
    }

    /// Whether the ledger is empty, read again after a change.
    fn set_empty(&mut self, empty: bool) {
        self.stale = false;
        self.empty = empty;
        if self.empty {
            self.report = None;
            self.todo.clear();
            self.sel = 0;
        }
    }

    /// Shows the month's figures as they came from the worker; None: they
    /// are being computed.
    fn show(&mut self, r: Option<Arc<MonthlyReport>>) {
        let same = match (&self.report, &r) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        let Some(r) = r else {
            self.report = None;
            self.todo.clear();
            return;
        };
        let mut todo = Vec::new();
        let mut groups: Vec<(&str, Option<ScreenId>, Vec<&crate::report::model::Warning>)> =
            Vec::new();
        for w in &r.warnings {
            let (title, screen) = group(w.code);
            match groups.iter_mut().find(|g| g.0 == title) {
                Some(g) => g.2.push(w),
                None => groups.push((title, screen, vec![w])),
            }
        }
        for (title, screen, ws) in groups {
            todo.push(Todo::Header(format!("{title}（{}）", ws.len())));
            for w in ws {
                let subject = w
                    .subject
                    .split(" → ")
                    .next()
                    .unwrap_or(&w.subject)
                    .to_string();
                todo.push(Todo::Item {
                    screen,
                    subject,
                    text: format!("{}：{}", w.subject, w.message),
                });
            }
        }
        self.todo = todo;
        self.report = Some(r);
        self.sel = self
            .todo
            .iter()
            .position(|t| matches!(t, Todo::Item { .. }))
            .unwrap_or(0);
        self.top = 0;
    }

    fn step(&mut self, down: bool) {
        let mut i = self.sel as i64;
        loop {
            i += if down { 1 } else { -1 };
            if i < 0 || i as usize >= self.todo.len() {
                return;
            }
            if matches!(self.todo[i as usize], Todo::Item { .. }) {
                self.sel = i as usize;
                return;
            }
        }
    }
}

impl Screen for Overview {
    fn commands(&self) -> Vec<Command> {
        if self.import.is_some() {
            IMPORT_COMMANDS.to_vec()
        } else if self.empty {
            WELCOME_COMMANDS.to_vec()
        } else {
            COMMANDS.to_vec()
        }
    }

    fn month(&self) -> Option<Month> {
        Some(self.month)
    }

    /// Whether the ledger is empty (after a change), then the month's
    /// figures (none for the welcome).
    fn wants(&self, _cx: &Ctx) -> Vec<Want> {
        if self.stale {
            vec![Want::LedgerEmpty]
        } else if self.empty {
            Vec::new()
        } else {
            vec![Want::Figures(self.month)]
        }
    }

    fn give(&mut self, data: Data, _cx: &Ctx) -> std::result::Result<(), String> {
        match data {
            Data::LedgerEmpty(e) => self.set_empty(e),
            Data::Figures(r) => self.show(r),
            _ => {}
        }
        Ok(())
    }

    fn changed(&mut self, _what: Changed) {
        self.stale = true;
    }

    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        if form_keys::import_key(&mut self.import, key, cx.today, out) {
            return true;
        }
        if self.empty {
            match key {
                Key::Up => self.sel = self.sel.saturating_sub(1),
                Key::Down => self.sel = (self.sel + 1).min(WELCOME_ITEMS.len() - 1),
                Key::Enter => out.push(match self.sel {
                    0 => Msg::AskImport,
                    1 => Msg::NewUnit,
                    _ => Msg::StartDemo,
                }),
                Key::F(5) | Key::Insert => out.push(Msg::NewUnit),
                Key::F(7) => out.push(Msg::AskImport),
                Key::F(9) => out.push(Msg::StartDemo),
                Key::F(4) => out.push(Msg::OpenSettings),
                _ => return false,
            }
            return true;
        }
        match key {
            Key::Up => self.step(false),
            Key::Down => self.step(true),
            Key::PageUp => out.push(Msg::OverviewMonth(self.month.prev())),
            Key::PageDown => out.push(Msg::OverviewMonth(self.month.next())),
            Key::Char(c) if fold_digit(c) == '[' => out.push(Msg::OverviewMonth(self.month.prev())),
            Key::Char(c) if fold_digit(c) == ']' => out.push(Msg::OverviewMonth(self.month.next())),
            Key::Home => out.push(Msg::OverviewMonth(Month::of(cx.today))),
            Key::F(4) => out.push(Msg::OpenSettings),
            Key::F(7) => out.push(Msg::AskImport),
            Key::Enter => {
                if let Some(Todo::Item {
                    screen: Some(s),
                    subject,
                    ..
                }) = self.todo.get(self.sel)
                {
                    out.push(Msg::OpenNamed {
                        screen: *s,
                        name: subject.clone(),
                    });
                }
            }
            _ => return false,
        }
        true
    }

    fn paste(&mut self, s: &str) {
        if let Some(p) = &mut self.import {
            p.paste(s);
        }
    }

    fn status(&self) -> String {
        if self.empty {
            return "空台账".to_string();
        }
        if self.report.is_none() {
            return "正在计算".to_string();
        }
        let n = self
            .todo
            .iter()
            .filter(|t| matches!(t, Todo::Item { .. }))
            .count();
        format!("待办 {n} 项")
    }

    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        let theme = cx.theme;
        if let Some(form) = &mut self.import {
            let h = 6.min(area.height);
            let r = Rect {
                x: area.x,
                y: area.y,
                width: area.width,
                height: h,
            };
            return form.render(f, r, &theme, cx.today);
        }
        if self.empty {
            let block = theme.block(format!(" {T_WELCOME} "));
            let inner = block.inner(area);
            f.render_widget(block, area);
            let mut lines = vec![
                Line::from(""),
                Line::from(format!("  {T_EMPTY}")),
                Line::from(""),
            ];
            for (i, it) in WELCOME_ITEMS.iter().enumerate() {
                let t = format!(
                    "  {} {}. {it}",
                    if i == self.sel { ">" } else { " " },
                    i + 1
                );
                lines.push(if i == self.sel {
                    Line::from(Span::styled(t, theme.selected()))
                } else {
                    Line::from(t)
                });
            }
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                "  上下键选择，回车确定；也可按 F7 导入、F5 新增单位、F9 演示账本",
                theme.dim(),
            )));
            f.render_widget(Paragraph::new(lines), inner);
            return None;
        }
        let block = theme.block(format!(" 概览 {} ", self.month.label()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(r) = &self.report {
            let c = &r.coverage;
            let m = &r.members;
            let mt = &r.meetings;
            let i = &r.instructors;
            let fu = &r.funds;
            let d = &r.dues;
            let fig = [
                format!(
                    "组织覆盖率 {}（{}/{}）  单独组建率 {}  工作覆盖率 {}  空白点 {}",
                    percent(c.org_coverage_rate),
                    c.units_org_covered,
                    c.units_total,
                    percent(c.standalone_rate),
                    percent(c.work_coverage_rate),
                    c.units_uncovered
                ),
                format!(
                    "党组织 {} 个  党员 {} 人（正式 {}，预备 {}）  新就业群体 {}",
                    r.party_orgs.total, m.total, m.formal, m.probationary, m.new_employment
                ),
                format!(
                    "三会一课达标 {}/{}（{}）  出勤率 {}",
                    mt.orgs_compliant,
                    mt.orgs_required,
                    percent(mt.compliance_rate),
                    percent(mt.attendance_rate)
                ),
                format!(
                    "指导员 {} 人  走访覆盖 {}（{}/{} 个单位）  本月走访 {} 次",
                    i.active,
                    percent(i.visit_coverage_rate),
                    i.visited_units,
                    i.assigned_units,
                    i.visits_in_month
                ),
                format!(
                    "经费结余 {} 元（本月收入 {}，支出 {}）",
                    fu.closing_fen.yuan_grouped(),
                    fu.income_fen.yuan_grouped(),
                    fu.expense_fen.yuan_grouped()
                ),
                format!(
                    "党费 已交齐 {}/{} 人  实交 {} / 应交 {} 元",
                    d.members_paid,
                    d.members_due,
                    d.paid_fen.yuan_grouped(),
                    d.due_fen.yuan_grouped()
                ),
            ];
            for l in fig {
                lines.push(Line::from(truncate_width(&l, w)));
            }
        } else {
            lines.push(Line::from(Span::styled(
                format!("  {T_COMPUTING}"),
                theme.dim(),
            )));
        }
        lines.push(Line::from(Span::styled(
            pad_right(&format!("{} {T_TODO} ", theme.hline().repeat(2)), w),
            theme.header(),
        )));
        let list_h = (inner.height as usize).saturating_sub(lines.len());
        if self.report.is_none() {
            // Nothing to list until the figures are in.
        } else if self.todo.is_empty() {
            lines.push(Line::from(Span::styled(
                format!("  {T_NO_TODO}"),
                theme.dim(),
            )));
        } else {
            if self.sel < self.top {
                self.top = self.sel.saturating_sub(1);
            } else if self.sel >= self.top + list_h {
                self.top = self.sel + 1 - list_h;
            }
            for (k, t) in self.todo.iter().enumerate().skip(self.top).take(list_h) {
                lines.push(match t {
                    Todo::Header(h) => Line::from(Span::styled(truncate_width(h, w), theme.warn())),
                    Todo::Item { text, .. } => {
                        let s = pad_right(
                            &truncate_width(
                                &format!("{} {text}", if k == self.sel { ">" } else { " " }),
                                w,
                            ),
                            w,
                        );
                        if k == self.sel {
                            Line::from(Span::styled(s, theme.selected()))
                        } else {
                            Line::from(s)
                        }
                    }
                });
            }
        }
        f.render_widget(Paragraph::new(lines), inner);
        None
    }

    fn text_focus(&self) -> bool {
        self.import.is_some()
    }
}
