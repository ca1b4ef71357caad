//! 6 三会一课: a month per org — the kinds required this month (DOMAIN.md,
//! from `report::compute`, the same figures as the printed report) with
//! 已开 / 未开 and the meetings held; the township's compliance on top.
//! The meeting editor: the fields, the minutes (ratatui-textarea) and the
//! attendance grid, prefilled with the org's active members (the committee
//! for a 支部委员会), all 出席.

//!
//! `mod.rs` is the month view and what the screen shows and answers;
//! `editor.rs` the meeting editor (fields, minutes, attendance grid).

mod editor;

pub use editor::{Editor, Part, draft_key};
use editor::{render_editor, textarea_input};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::Ctx;
use super::form_keys::{fill_added, fill_reference, form_key};
use super::month::{MONTH_COMMAND, month_key};
use crate::domain::dates::Month;
use crate::domain::enums::{MeetingKind, kind_short};
use crate::domain::records::{Attendance, Meeting};
use crate::domain::text::{pad_right, truncate_width};
use crate::report::MonthlyReport;
use crate::report::compute::percent;
use crate::tui::drafts::Draft;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, PickFor, Rec};
use crate::tui::screen::{Changed, Command, Data, FormHost, Screen, Want};
use crate::tui::widgets::attendance::GridResult;
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::RefKind;
use crate::tui::widgets::form::FormAction;

// UI text of this screen.
const T_TITLE: &str = "三会一课";
/// What a meeting's draft keeps besides the form's fields.
const K_MINUTES: &str = "minutes";
const K_ATTENDANCE: &str = "attendance";
/// The editor's fields: the key a draft keeps and the label shown.
const F_ORG: FieldId = FieldId::new("org", "党组织");
const F_KINDS: FieldId = FieldId::new("kind", "类型");
const F_DATE: FieldId = FieldId::new("date", "日期");
const F_PLACE: FieldId = FieldId::new("place", "地点");
const F_HOST: FieldId = FieldId::new("host", "主持人");
const F_RECORDER: FieldId = FieldId::new("recorder", "记录人");
const F_LECTURER: FieldId = FieldId::new("lecturer", "授课人");
const F_TOPIC: FieldId = FieldId::new("topic", "主题");
const T_MINUTES: &str = "内容摘要（会议记录）";
const T_KINDS_HINT: &str = "类型可写数字：1党员大会 2支委会 3党小组会 4党课 5主题党日 6组织生活会 7民主评议（可多选，如 45）";
const T_NO_ORGS: &str = "本月没有需要开展三会一课的党支部，也没有会议记录。按 F5 新增会议。";
const T_LECTURER_NEEDED: &str = "党课请填写授课人";

const COMMANDS: &[Command] = &[
    Command::keys("上下", "在党组织和会议间移动"),
    Command::keys("回车", "打开会议（在党组织行上：为该组织新增会议）"),
    MONTH_COMMAND,
    Command::f(5, "新增", "F5 Insert", "新增会议（党组织取所在行）"),
    Command::f(8, "作废", "F8 Delete", "作废会议（可在回收站恢复）"),
];

const EDIT_COMMANDS: &[Command] = &[
    Command::keys("Tab 回车 上下", "在栏目间移动；主题栏回车进入会议记录"),
    Command::f(3, "出勤表", "F3", "切换 基本信息 / 出勤表"),
    COPY_LAST,
    SAVE,
    Command::f(7, "选择", "F7", "党组织栏：选择列表"),
    Command::keys(
        "会议记录",
        "可多行输入；Tab 到出勤表，Shift+Tab 回到基本信息",
    ),
    LEAVE,
];

const GRID_COMMANDS: &[Command] = &[
    Command::keys(
        "1 2 3 空格",
        "出勤表：出席 / 请假 / 缺席 / 切换，并移到下一人",
    ),
    Command::keys("回车", "出勤表：请假并填写事由"),
    Command::f(2, "全部出席", "F2", "出勤表：全部出席"),
    Command::f(3, "基本信息", "F3", "切换 基本信息 / 出勤表"),
    COPY_LAST,
    SAVE,
    Command::keys("Tab Shift+Tab", "回到会议记录"),
    LEAVE,
];

const COPY_LAST: Command = Command::f(
    4,
    "沿用上次",
    "F4",
    "沿用本组织上次会议的地点、主持人、记录人、授课人、类型",
);
const SAVE: Command = Command::f(
    6,
    "保存",
    "F6 Ctrl+S",
    "保存（党员大会不足法定人数时先询问）",
);
const LEAVE: Command = Command::keys("Esc", "离开；有未保存内容时询问");

/// A line of the month view.
#[derive(Debug, Clone)]
enum Row {
    Org {
        id: i64,
        name: String,
        text: String,
        missing: bool,
    },
    Meeting(Box<Meeting>),
}

pub struct Meetings {
    pub month: Month,
    pub stale: bool,
    /// The month's figures (None while they are being computed).
    report: Option<std::sync::Arc<MonthlyReport>>,
    /// The meetings held in the month, as loaded.
    held: Vec<Meeting>,
    rows: Vec<Row>,
    sel: usize,
    top: usize,
    pub editor: Option<Editor>,
}

impl Meetings {
    pub fn new(month: Month) -> Self {
        Meetings {
            month,
            stale: true,
            report: None,
            held: Vec::new(),
            rows: Vec::new(),
            sel: 0,
            top: 0,
            editor: None,
        }
    }

    fn sel_org(&self) -> Option<i64> {
        // The selected line or the nearest org line above it (no line at
        // all while the month is empty).
        self.rows
            .iter()
            .take(self.sel.saturating_add(1))
            .rev()
            .map(|r| match r {
                Row::Org { id, .. } => *id,
                Row::Meeting(m) => m.org_id,
            })
            .next()
    }

    /// Opens the editor: a meeting, or a new one for `org`.
    pub fn open(&mut self, m: Option<Meeting>, org: Option<i64>, cx: &Ctx) {
        let (base, title) = match m {
            Some(m) => {
                let t = format!("会议：{}", crate::store::Record::title(&m));
                (m, t)
            }
            None => {
                let date = if self.month.contains(cx.today) {
                    cx.today
                } else {
                    self.month.first_day()
                };
                (
                    Meeting::new(org.unwrap_or(0), Vec::new(), date),
                    "新增会议".to_string(),
                )
            }
        };
        let mut e = Editor::new(base, cx, title);
        if org.is_some() && e.base.id == 0 {
            e.form.focus = 1;
        }
        self.editor = Some(e);
    }

    /// Opens the editor on a draft kept after a crash.
    pub fn open_draft(&mut self, rec: Option<Meeting>, d: &Draft, cx: &Ctx) {
        self.open(rec, None, cx);
        let Some(e) = &mut self.editor else {
            return;
        };
        d.restore_into(&mut e.form);
        // An older draft listed the minutes and attendance after the fields.
        let n = e.form.fields.len();
        let extra = |key: &str, i: usize| d.fields.get(key).or_else(|| d.values.get(n + i));
        if let Some(m) = extra(K_MINUTES, 0) {
            let lines: Vec<String> = m.lines().map(str::to_string).collect();
            e.minutes = TextArea::new(if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            });
            e.minutes
                .set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        if let Some(att) =
            extra(K_ATTENDANCE, 1).and_then(|j| serde_json::from_str::<Vec<Attendance>>(j).ok())
            && let Ok(org) = cx.lookups.resolve(RefKind::Org, &e.form.get(F_ORG))
        {
            e.base.org_id = org;
            e.base.attendance = att;
            e.built_for = None;
        }
        e.form.message = Some("已恢复上次未保存的草稿，请核对后按 F6 保存".to_string());
    }

    /// The month view's rows: the orgs the month's figures require
    /// meetings of, and every org that held one, with the meetings held.
    fn rebuild(&mut self, cx: &Ctx) {
        let meetings = &self.held;
        let report = &self.report;
        let mut rows = Vec::new();
        let mut orgs: Vec<(i64, String)> = Vec::new();
        let required = report.as_ref().map_or(&[][..], |r| &r.meetings.orgs[..]);
        for o in required {
            if let Some((id, _)) = cx.lookups.orgs.iter().find(|(_, n)| *n == o.org) {
                orgs.push((*id, o.org.clone()));
            }
        }
        for m in meetings {
            if !orgs.iter().any(|(id, _)| *id == m.org_id) {
                orgs.push((m.org_id, cx.lookups.name(RefKind::Org, m.org_id)));
            }
        }
        orgs.sort_by(|a, b| a.1.cmp(&b.1));
        for (id, name) in orgs {
            let (text, missing) = match required.iter().find(|o| o.org == name) {
                Some(o) => {
                    let parts: Vec<String> = o
                        .required
                        .iter()
                        .map(|k| {
                            let short = MeetingKind::parse(k).map(kind_short).unwrap_or(k);
                            let state = if o.missing.contains(k) {
                                "未开"
                            } else {
                                "已开"
                            };
                            format!("{short}{state}")
                        })
                        .collect();
                    (parts.join(" "), !o.missing.is_empty())
                }
                None if report.is_none() => (super::overview::T_COMPUTING.to_string(), false),
                None => ("本月无要求".to_string(), false),
            };
            rows.push(Row::Org {
                id,
                name,
                text,
                missing,
            });
            for m in meetings.iter().filter(|m| m.org_id == id) {
                rows.push(Row::Meeting(Box::new(m.clone())));
            }
        }
        self.rows = rows;
        self.sel = self.sel.min(self.rows.len().saturating_sub(1));
    }

    fn editor_key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        let Some(e) = &mut self.editor else {
            return false;
        };
        // Keys of the whole editor.
        match key {
            Key::F(3) => {
                e.part = if e.part == Part::Grid {
                    Part::Fields
                } else {
                    Part::Grid
                };
                return true;
            }
            Key::F(6) | Key::Ctrl('s') if !e.grid.editing_reason() => {
                out.push(Msg::SaveForm);
                return true;
            }
            Key::F(4) => {
                match cx.lookups.resolve(RefKind::Org, &e.form.get(F_ORG)) {
                    Ok(id) => out.push(Msg::CopyLastMeeting { org_id: id }),
                    Err(_) => out.push(Msg::Status("请先填写党组织（F7 选择）".to_string())),
                }
                return true;
            }
            _ => {}
        }
        match e.part {
            Part::Fields => {
                let last = e.form.fields.len().saturating_sub(1);
                if matches!(key, Key::Enter | Key::Tab) && e.form.focus == last {
                    if let Some(f) = e.form.fields.get_mut(last) {
                        f.check(cx.today, true);
                    }
                    e.part = Part::Minutes;
                    out.push(Msg::KeepDraft);
                    return true;
                }
                match form_key(&mut e.form, key, cx.today, out) {
                    FormAction::Save => out.push(Msg::SaveForm),
                    FormAction::Leave => out.push(Msg::LeaveForm),
                    FormAction::FieldLeft => out.push(Msg::KeepDraft),
                    _ => {}
                }
            }
            Part::Minutes => match key {
                Key::Esc => out.push(Msg::LeaveForm),
                Key::Tab => e.part = Part::Grid,
                Key::BackTab => e.part = Part::Fields,
                other => {
                    if e.form.read_only {
                        return true;
                    }
                    if let Some(inp) = textarea_input(other) {
                        e.minutes.input(inp);
                        out.push(Msg::FormChanged);
                    }
                }
            },
            Part::Grid => {
                if !e.grid.editing_reason() {
                    match key {
                        Key::Esc => {
                            out.push(Msg::LeaveForm);
                            return true;
                        }
                        Key::BackTab | Key::Tab => {
                            e.part = Part::Minutes;
                            return true;
                        }
                        _ => {}
                    }
                }
                if e.form.read_only {
                    return true;
                }
                if e.grid.key(key) == GridResult::Changed {
                    out.push(Msg::FormChanged);
                }
            }
        }
        true
    }
}

impl FormHost for Meetings {
    /// Checks the meeting; a 支部党员大会 without a quorum is asked about
    /// before it is saved.
    fn save(&mut self, cx: &Ctx) -> Result<Msg, String> {
        if let Some(why) = cx.read_only {
            return Err(why.to_string());
        }
        let Some(e) = &mut self.editor else {
            return Err(String::new());
        };
        let m = e.build(cx)?;
        let draft_key = Some(draft_key(e.base.id));
        Ok(match e.no_quorum(&m) {
            Some(why) => Msg::AskNoQuorum {
                meeting: Box::new(m),
                draft_key,
                why,
            },
            None => Msg::Save {
                record: Box::new(Rec::Meeting(m)),
                draft_key,
            },
        })
    }

    fn saved(&mut self, rec: Rec) -> Option<String> {
        let Rec::Meeting(m) = rec else {
            return None;
        };
        self.editor = None;
        self.stale = true;
        Some(format!(
            "已保存：会议 {}（Ctrl+Z 可撤销）",
            crate::store::Record::title(&m)
        ))
    }

    fn discard(&mut self) {
        self.editor = None;
    }

    fn dirty(&self) -> bool {
        self.editor
            .as_ref()
            .is_some_and(|e| e.dirty() && !e.form.read_only)
    }

    fn draft(&self) -> Option<(String, String)> {
        self.editor.as_ref().and_then(|e| e.draft())
    }

    /// The draft key of the meeting being edited.
    fn draft_key(&self) -> Option<String> {
        self.editor.as_ref().map(|e| draft_key(e.base.id))
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

impl Screen for Meetings {
    fn picked(&mut self, target: PickFor, _id: i64, name: &str, out: &mut Vec<Msg>) {
        if let (Some(e), PickFor::Field(idx)) = (&mut self.editor, target)
            && fill_reference(&mut e.form, idx, name)
        {
            out.push(Msg::FormChanged);
        }
    }

    fn commands(&self) -> Vec<Command> {
        match &self.editor {
            Some(e) if e.part == Part::Grid => GRID_COMMANDS.to_vec(),
            Some(_) => EDIT_COMMANDS.to_vec(),
            None => COMMANDS.to_vec(),
        }
    }

    fn bin_key(&self) -> bool {
        self.editor.is_none()
    }

    fn month(&self) -> Option<Month> {
        Some(self.month)
    }

    /// The editor: the org's members for the grid; the month view: the
    /// meetings held and the month's figures.
    fn wants(&self, cx: &Ctx) -> Vec<Want> {
        if let Some(e) = &self.editor {
            return match e.wants_members(cx) {
                Some(w) if e.built_for != Some(w) => vec![Want::OrgMembers(w.0)],
                _ => Vec::new(),
            };
        }
        let mut v = vec![Want::Figures(self.month)];
        if self.stale {
            v.insert(0, Want::MonthMeetings(self.month));
        }
        v
    }

    fn give(&mut self, data: Data, cx: &Ctx) -> std::result::Result<(), String> {
        match data {
            Data::OrgMembers(org, members) => {
                if let Some(e) = &mut self.editor
                    && let Some(w) = e.wants_members(cx)
                    && w.0 == org
                {
                    e.set_members(w, members);
                }
            }
            Data::MonthMeetings(held) => {
                self.held = held;
                self.stale = false;
                self.rebuild(cx);
            }
            Data::Figures(r) => {
                let same = match (&self.report, &r) {
                    (Some(a), Some(b)) => std::sync::Arc::ptr_eq(a, b),
                    (None, None) => true,
                    _ => false,
                };
                if !same {
                    self.report = r;
                    self.rebuild(cx);
                }
            }
            _ => {}
        }
        Ok(())
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
        if let Some(m) = month_key(key, self.month, cx) {
            self.month = m;
            self.stale = true;
            self.sel = 0;
            self.top = 0;
            return true;
        }
        match key {
            Key::Up => self.sel = self.sel.saturating_sub(1),
            Key::Down => self.sel = (self.sel + 1).min(self.rows.len().saturating_sub(1)),
            Key::End => self.sel = self.rows.len().saturating_sub(1),
            Key::F(5) | Key::Insert => {
                if let Some(why) = cx.read_only {
                    out.push(Msg::Status(why.to_string()));
                } else {
                    let org = self.sel_org();
                    self.open(None, org, cx);
                }
            }
            Key::Enter => match self.rows.get(self.sel) {
                Some(Row::Meeting(m)) => {
                    let m = (**m).clone();
                    self.open(Some(m), None, cx);
                }
                Some(Row::Org { id, .. }) if cx.read_only.is_none() => {
                    let id = *id;
                    self.open(None, Some(id), cx);
                }
                _ => {}
            },
            Key::F(8) | Key::Delete => {
                if let Some(Row::Meeting(m)) = self.rows.get(self.sel) {
                    out.push(Msg::AskVoid {
                        table: "meetings",
                        kind: "会议",
                        id: m.id,
                        title: crate::store::Record::title(&**m),
                    });
                }
            }
            _ => return false,
        }
        true
    }

    fn paste(&mut self, s: &str) {
        if let Some(e) = &mut self.editor {
            match e.part {
                Part::Fields => {
                    e.form.paste(s);
                }
                Part::Minutes => {
                    e.minutes.insert_str(s);
                }
                Part::Grid => {}
            }
        }
    }

    fn status(&self) -> String {
        match &self.editor {
            Some(e) => {
                let part = match e.part {
                    Part::Fields => "基本信息",
                    Part::Minutes => "会议记录",
                    Part::Grid => "出勤表",
                };
                let mode = if e.base.id == 0 { "新增" } else { "修改" };
                format!("{part} | {mode}")
            }
            None => {
                let n = self
                    .rows
                    .iter()
                    .filter(|r| matches!(r, Row::Meeting(_)))
                    .count();
                format!("本月会议 {n} 次 | 浏览")
            }
        }
    }

    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        let theme = cx.theme;
        if let Some(e) = &mut self.editor {
            return render_editor(e, f, area, cx);
        }
        let block = theme.block(format!(" {T_TITLE} {} ", self.month.label()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let w = inner.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        if let Some(r) = &self.report {
            let mt = &r.meetings;
            let held: Vec<String> = mt
                .held_by_kind
                .0
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| {
                    let s = MeetingKind::parse(k).map(kind_short).unwrap_or(k);
                    format!("{s}{n}")
                })
                .collect();
            lines.push(Line::from(truncate_width(
                &format!(
                    "全镇达标 {}/{}（{}）  出勤率 {}  本月召开：{}",
                    mt.orgs_compliant,
                    mt.orgs_required,
                    percent(mt.compliance_rate),
                    percent(mt.attendance_rate),
                    if held.is_empty() {
                        "无".to_string()
                    } else {
                        held.join(" ")
                    }
                ),
                w,
            )));
        } else {
            lines.push(Line::from(Span::styled(
                format!("  {}", super::overview::T_COMPUTING),
                theme.dim(),
            )));
        }
        lines.push(Line::from(Span::styled(
            pad_right(&theme.hline().repeat(w), w),
            theme.dim(),
        )));
        let list_h = (inner.height as usize).saturating_sub(lines.len());
        if self.rows.is_empty() {
            lines.push(Line::from(Span::styled(
                truncate_width(&format!("  {T_NO_ORGS}"), w),
                theme.dim(),
            )));
        }
        crate::tui::widgets::keep_in_view(&mut self.top, self.sel, list_h);
        for (i, row) in self.rows.iter().enumerate().skip(self.top).take(list_h) {
            let sel = i == self.sel;
            let lead = if sel { "> " } else { "  " };
            let (text, style) = match row {
                Row::Org {
                    name,
                    text,
                    missing,
                    ..
                } => {
                    let mark = if *missing { "!" } else { " " };
                    (
                        format!(
                            "{lead}{mark}{}  {text}",
                            pad_right(&truncate_width(name, 26), 26)
                        ),
                        if *missing {
                            theme.warn()
                        } else {
                            theme.header()
                        },
                    )
                }
                Row::Meeting(m) => {
                    let (n, p, l, a) = m.tally();
                    let kinds: Vec<&str> = m.kinds.iter().map(|k| kind_short(*k)).collect();
                    (
                        format!(
                            "{lead}    {} {} {}  应到{n} 实到{p} 假{l} 缺{a}",
                            m.date.format("%m-%d"),
                            pad_right(&kinds.join("+"), 10),
                            pad_right(&truncate_width(&m.topic, 24), 24),
                        ),
                        ratatui::style::Style::default(),
                    )
                }
            };
            let t = pad_right(&truncate_width(&text, w), w);
            lines.push(Line::from(Span::styled(
                t,
                if sel { theme.selected() } else { style },
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
        None
    }

    fn text_focus(&self) -> bool {
        self.editor.is_some()
    }
}
