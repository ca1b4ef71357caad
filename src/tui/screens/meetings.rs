//! 6 三会一课: a month per org — the kinds required this month (DOMAIN.md,
//! from `report::compute`, the same figures as the printed report) with
//! 已开 / 未开 and the meetings held; the township's compliance on top.
//! The meeting editor: the fields, the minutes (ratatui-textarea) and the
//! attendance grid, prefilled with the org's active members (the committee
//! for a 支部委员会), all 出席.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::Ctx;
use super::work::{MONTH_COMMAND, PickForm, month_key};
use crate::domain::dates::Month;
use crate::domain::enums::{AttendStatus, MeetingKind};
use crate::domain::records::{Attendance, Meeting, Member};
use crate::domain::rules::{Quorum, needs_quorum};
use crate::domain::text::{fold_input, pad_right, truncate_width};
use crate::report::MonthlyReport;
use crate::report::compute::percent;
use crate::report::layout::kind_short;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, Rec};
use crate::tui::screen::{Changed, Command, Data, FormHost, Screen, Want};
use crate::tui::screens::register::{Draft, read};
use crate::tui::widgets::attendance::{Grid, GridResult, GridRow};
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::{Form, FormAction};

// UI text of this screen.
const T_TITLE: &str = "三会一课";
const F_ORG: &str = "党组织";
const F_KINDS: &str = "类型";
const F_DATE: &str = "日期";
const F_PLACE: &str = "地点";
const F_HOST: &str = "主持人";
const F_RECORDER: &str = "记录人";
const F_LECTURER: &str = "授课人";
const F_TOPIC: &str = "主题";
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Fields,
    Minutes,
    Grid,
}

/// The meeting being edited.
pub struct Editor {
    pub pf: PickForm,
    pub minutes: TextArea<'static>,
    pub grid: Grid,
    pub part: Part,
    pub base: Meeting,
    /// The org's members as loaded for the grid.
    pub members: Vec<Member>,
    /// (org, committee only, date) the grid was built for.
    pub built_for: Option<(i64, bool, NaiveDate)>,
    original_minutes: String,
    original_grid: Vec<(i64, AttendStatus, String)>,
}

/// Parses the 类型 field: digits 1–7, labels or short labels, separated by
/// 、，, or spaces.
pub fn parse_kinds(s: &str) -> std::result::Result<Vec<MeetingKind>, String> {
    let t = fold_input(s);
    let mut out: Vec<MeetingKind> = Vec::new();
    let mut push = |k: MeetingKind| {
        if !out.contains(&k) {
            out.push(k);
        }
    };
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        for c in t.chars().filter(|c| c.is_ascii_digit()) {
            let i = c.to_digit(10).unwrap_or(0) as usize;
            match i.checked_sub(1).and_then(|i| MeetingKind::ALL.get(i)) {
                Some(k) => push(*k),
                None => return Err(format!("“{c}”不是会议类型的编号（1–7）")),
            }
        }
    } else {
        for part in t
            .split(['、', '，', ',', ' ', ';', '；', '+'])
            .filter(|p| !p.is_empty())
        {
            let k = MeetingKind::ALL
                .iter()
                .find(|k| k.label() == part || kind_short(**k) == part)
                .copied();
            match k {
                Some(k) => push(k),
                None => {
                    return Err(format!(
                        "“{part}”不是会议类型，可写数字 1–7 或名称，如 支部委员会"
                    ));
                }
            }
        }
    }
    if out.is_empty() {
        return Err("必填，至少一种会议类型（可写数字，如 2）".to_string());
    }
    out.sort_by_key(|k| k.index());
    Ok(out)
}

fn kinds_text(k: &[MeetingKind]) -> String {
    k.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
}

impl Editor {
    fn new(base: Meeting, cx: &Ctx, title: String) -> Self {
        let m = &base;
        let fields = vec![
            Field::new(
                F_ORG,
                FieldKind::Ref(RefKind::Org),
                true,
                &if m.org_id > 0 {
                    cx.lookups.name(RefKind::Org, m.org_id)
                } else {
                    String::new()
                },
            ),
            Field::new(F_KINDS, FieldKind::Text, true, &kinds_text(&m.kinds)),
            Field::new(F_DATE, FieldKind::Date, true, &m.date.to_string()),
            Field::new(F_PLACE, FieldKind::Text, false, &m.place),
            Field::new(F_HOST, FieldKind::Text, false, &m.host),
            Field::new(F_RECORDER, FieldKind::Text, false, &m.recorder),
            Field::new(F_LECTURER, FieldKind::Text, false, &m.lecturer),
            Field::new(F_TOPIC, FieldKind::Text, true, &m.topic),
        ];
        let mut form = Form::new(title, fields);
        form.read_only = cx.read_only.is_some();
        let lines: Vec<String> = if m.summary.is_empty() {
            vec![String::new()]
        } else {
            m.summary.lines().map(str::to_string).collect()
        };
        let mut minutes = TextArea::new(lines);
        minutes.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        let original_minutes = minutes.lines().join("\n");
        Editor {
            pf: PickForm::new(form),
            minutes,
            grid: Grid::new(Vec::new()),
            part: Part::Fields,
            base,
            members: Vec::new(),
            built_for: None,
            original_minutes,
            original_grid: Vec::new(),
        }
    }

    pub fn dirty(&self) -> bool {
        self.pf.form.dirty()
            || self.minutes.lines().join("\n") != self.original_minutes
            || (self.built_for.is_some() && self.grid.snapshot() != self.original_grid)
    }

    fn kinds(&self) -> Vec<MeetingKind> {
        parse_kinds(&self.pf.form.get(F_KINDS)).unwrap_or_default()
    }

    /// (org, committee only, date) the grid should show, when the org can
    /// be read.
    pub fn wants_members(&self, cx: &Ctx) -> Option<(i64, bool, NaiveDate)> {
        let org = cx
            .lookups
            .resolve(RefKind::Org, &self.pf.form.get(F_ORG))
            .ok()?;
        let kinds = self.kinds();
        let committee = kinds == [MeetingKind::BranchCommittee];
        let date = self
            .pf
            .form
            .field(F_DATE)
            .and_then(|f| f.date(cx.today))
            .unwrap_or(self.base.date);
        Some((org, committee, date))
    }

    /// Builds the grid from the org's members: the stored attendance of an
    /// existing meeting, else the active members (the committee for a
    /// 支部委员会 alone) all 出席; statuses already set are kept.
    pub fn set_members(&mut self, key: (i64, bool, NaiveDate), members: Vec<Member>) {
        let (org, committee, date) = key;
        let first = self.built_for.is_none();
        let keep: Vec<(i64, AttendStatus, String)> = if first && self.base.org_id == org {
            self.base
                .attendance
                .iter()
                .map(|a| (a.member_id, a.status, a.reason.clone()))
                .collect()
        } else {
            self.grid.snapshot()
        };
        let stored = first && self.base.id > 0 && self.base.org_id == org;
        let mut rows: Vec<GridRow> = members
            .iter()
            .filter(|m| {
                if stored {
                    keep.iter().any(|k| k.0 == m.id)
                } else {
                    m.active_on(date) && (!committee || m.on_committee())
                }
            })
            .map(|m| {
                let k = keep.iter().find(|k| k.0 == m.id);
                GridRow {
                    member_id: m.id,
                    name: m.name.clone(),
                    formal: m.formal_on(date),
                    status: k.map_or(AttendStatus::Present, |k| k.1),
                    reason: k.map(|k| k.2.clone()).unwrap_or_default(),
                }
            })
            .collect();
        // A committee without posts recorded: everyone, so nobody is lost.
        if rows.is_empty() && committee && !stored {
            rows = members
                .iter()
                .filter(|m| m.active_on(date))
                .map(|m| GridRow {
                    member_id: m.id,
                    name: m.name.clone(),
                    formal: m.formal_on(date),
                    status: AttendStatus::Present,
                    reason: String::new(),
                })
                .collect();
        }
        self.grid = Grid::new(rows);
        if first {
            self.original_grid = if self.base.id > 0 {
                self.grid.snapshot()
            } else {
                Vec::new()
            };
        }
        self.members = members;
        self.built_for = Some(key);
    }

    /// F4: the setup of the org's last meeting.
    pub fn copy_setup(&mut self, last: &Meeting) {
        let f = &mut self.pf.form;
        f.set(F_KINDS, &kinds_text(&last.kinds));
        f.set(F_PLACE, &last.place);
        f.set(F_HOST, &last.host);
        f.set(F_RECORDER, &last.recorder);
        f.set(F_LECTURER, &last.lecturer);
    }

    /// Reads everything back into a meeting; messages go on the fields.
    pub fn build(&mut self, cx: &Ctx) -> std::result::Result<Meeting, String> {
        let form = &mut self.pf.form;
        form.message = None;
        let readable = form.check_all(cx.today);
        let org = read::reference(form, F_ORG, RefKind::Org, cx);
        let kinds = match parse_kinds(&form.get(F_KINDS)) {
            Ok(k) => {
                form.set(F_KINDS, &kinds_text(&k));
                Some(k)
            }
            Err(e) => {
                form.set_error(F_KINDS, &e);
                None
            }
        };
        let date = read::date(form, F_DATE, cx.today);
        let (Ok(org), Some(kinds), Ok(date), true) = (org, kinds, date, readable) else {
            form.focus_first_error();
            self.part = Part::Fields;
            return Err("有需要修改的栏目，已停在第一处；填写的内容都还在".to_string());
        };
        if kinds.contains(&MeetingKind::PartyLesson) && form.get(F_LECTURER).is_empty() {
            form.set_error(F_LECTURER, T_LECTURER_NEEDED);
            form.focus_first_error();
            self.part = Part::Fields;
            return Err(T_LECTURER_NEEDED.to_string());
        }
        if self.built_for.map(|b| b.0) != Some(org) {
            return Err("正在载入该党组织的党员，请稍候再保存".to_string());
        }
        let mut attendance: Vec<Attendance> = self
            .grid
            .rows
            .iter()
            .map(|r| Attendance {
                member_id: r.member_id,
                status: r.status,
                reason: if r.status == AttendStatus::Leave {
                    r.reason.clone()
                } else {
                    String::new()
                },
            })
            .collect();
        attendance.sort_by_key(|a| a.member_id);
        let m = Meeting {
            id: self.base.id,
            org_id: org,
            kinds,
            date,
            place: form.get(F_PLACE),
            host: form.get(F_HOST),
            recorder: form.get(F_RECORDER),
            lecturer: form.get(F_LECTURER),
            topic: form.get(F_TOPIC),
            summary: self.minutes.lines().join("\n").trim_end().to_string(),
            attendance,
        };
        let iss = crate::domain::validate::meeting(&m, &self.members);
        if !iss.is_ok() {
            for e in &iss.errors {
                if form.field(e.field).is_some() {
                    form.set_error(e.field, &e.message);
                } else {
                    form.message = Some(e.to_string());
                }
            }
            form.focus_first_error();
            self.part = Part::Fields;
            return Err(iss.error_lines().join("；"));
        }
        Ok(m)
    }

    /// The draft of the editor: the fields, then the minutes, then the
    /// attendance as JSON.
    pub fn draft(&self) -> Option<(String, String)> {
        if !self.dirty() || self.pf.form.read_only {
            return None;
        }
        let mut values = self.pf.form.values();
        values.push(self.minutes.lines().join("\n"));
        let att: Vec<Attendance> = self
            .grid
            .rows
            .iter()
            .map(|r| Attendance {
                member_id: r.member_id,
                status: r.status,
                reason: r.reason.clone(),
            })
            .collect();
        values.push(serde_json::to_string(&att).ok()?);
        let d = Draft {
            table: "meetings".to_string(),
            id: self.base.id,
            title: self.pf.form.title.clone(),
            values,
            parent: None,
        };
        Some((draft_key(self.base.id), serde_json::to_string(&d).ok()?))
    }

    /// Why a 支部党员大会 has no quorum (DOMAIN.md), if it has none.
    pub fn no_quorum(&self, m: &Meeting) -> Option<String> {
        if !needs_quorum(&m.kinds) {
            return None;
        }
        let q = Quorum::tally(self.grid.rows.iter().map(|r| (r.formal, r.status)));
        (!q.reached()).then(|| {
            format!(
                "应到正式党员 {} 人，实到 {} 人，未超过半数，不足法定人数。",
                q.expected, q.present
            )
        })
    }
}

/// Where the editor's draft is kept.
pub fn draft_key(id: i64) -> String {
    format!("meetings:{id}")
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
        self.rows[..=self.sel.min(self.rows.len().saturating_sub(1))]
            .iter()
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
            e.pf.form.focus = 1;
        }
        self.editor = Some(e);
    }

    /// Opens the editor on a draft kept after a crash.
    pub fn open_draft(&mut self, rec: Option<Meeting>, values: &[String], cx: &Ctx) {
        self.open(rec, None, cx);
        let Some(e) = &mut self.editor else {
            return;
        };
        let n = e.pf.form.fields.len();
        e.pf.form.restore_values(values);
        if let Some(m) = values.get(n) {
            let lines: Vec<String> = m.lines().map(str::to_string).collect();
            e.minutes = TextArea::new(if lines.is_empty() {
                vec![String::new()]
            } else {
                lines
            });
            e.minutes
                .set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        }
        if let Some(att) = values
            .get(n + 1)
            .and_then(|j| serde_json::from_str::<Vec<Attendance>>(j).ok())
            && let Ok(org) = cx.lookups.resolve(RefKind::Org, &e.pf.form.get(F_ORG))
        {
            e.base.org_id = org;
            e.base.attendance = att;
            e.built_for = None;
        }
        e.pf.form.message = Some("已恢复上次未保存的草稿，请核对后按 F6 保存".to_string());
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
        if e.pf.pick.is_some() {
            e.pf.key(key, cx, out);
            return true;
        }
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
                match cx.lookups.resolve(RefKind::Org, &e.pf.form.get(F_ORG)) {
                    Ok(id) => out.push(Msg::CopyLastMeeting { org_id: id }),
                    Err(_) => out.push(Msg::Status("请先填写党组织（F7 选择）".to_string())),
                }
                return true;
            }
            _ => {}
        }
        match e.part {
            Part::Fields => {
                let last = e.pf.form.fields.len().saturating_sub(1);
                if matches!(key, Key::Enter | Key::Tab) && e.pf.form.focus == last {
                    if let Some(f) = e.pf.form.fields.get_mut(last) {
                        f.check(cx.today, true);
                    }
                    e.part = Part::Minutes;
                    out.push(Msg::KeepDraft);
                    return true;
                }
                match e.pf.key(key, cx, out) {
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
                    if e.pf.form.read_only {
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
                if e.pf.form.read_only {
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
            .is_some_and(|e| e.dirty() && !e.pf.form.read_only)
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
            e.pf.form.message = Some(msg.to_string());
        }
    }

    fn referenced_added(&mut self, _kind: RefKind, name: &str) {
        if let Some(e) = &mut self.editor {
            e.pf.referenced_added(name);
        }
    }
}

impl Screen for Meetings {
    fn commands(&self) -> Vec<Command> {
        use crate::tui::keymap::PICK_COMMANDS;
        match &self.editor {
            Some(e) if e.pf.pick.is_some() => PICK_COMMANDS.to_vec(),
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
                    e.pf.form.paste(s);
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

fn render_editor(e: &mut Editor, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
    let theme = cx.theme;
    let quorum = e.kinds().contains(&MeetingKind::MembersAssembly);
    if e.part == Part::Grid {
        let org = e.pf.form.get(F_ORG);
        let kinds = kinds_text(&e.kinds());
        let mut title = format!(" 出勤表：{org} {kinds} ");
        if e.dirty() {
            title.push_str("[未保存] ");
        }
        let block = theme.block(truncate_width(&title, area.width as usize - 2));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if e.grid.rows.is_empty() {
            f.render_widget(
                Paragraph::new(Line::from(Span::styled(
                    "  该党组织没有在册党员（或党组织未填），出勤表为空",
                    theme.dim(),
                ))),
                inner,
            );
            return None;
        }
        return e.grid.render(f, inner, &theme, quorum);
    }
    let form_h = (e.pf.form.fields.len() as u16 + 4).min(area.height.saturating_sub(6));
    let [top, bottom] =
        Layout::vertical([Constraint::Length(form_h), Constraint::Min(4)]).areas(area);
    let (n, p, l, a) = e.grid.tally();
    let mut notes = vec![T_KINDS_HINT.to_string()];
    notes.push(format!("出勤（F3）：应到 {n} 实到 {p} 请假 {l} 缺席 {a}"));
    e.pf.form.notes = notes;
    let cur = if e.part == Part::Fields {
        e.pf.render(f, top, cx)
    } else {
        e.pf.form.render(f, top, &theme, cx.today);
        None
    };
    let focused = e.part == Part::Minutes;
    let title = format!(
        " {T_MINUTES}{} ",
        if focused { "  Tab 到出勤表" } else { "" }
    );
    let block = if focused {
        theme.block(Line::from(Span::styled(title, theme.focus())))
    } else {
        theme.block(title)
    };
    let inner = block.inner(bottom);
    f.render_widget(block, bottom);
    e.minutes
        .set_cursor_line_style(ratatui::style::Style::default());
    e.minutes.set_cursor_style(if focused {
        theme.selected()
    } else {
        ratatui::style::Style::default()
    });
    f.render_widget(&e.minutes, inner);
    if e.pf.pick.is_some() {
        return cur;
    }
    if focused {
        let sc = e.minutes.screen_cursor();
        let (top_row, left) = e.minutes.scroll_offset();
        let row = sc.row.saturating_sub(top_row as usize);
        let col = sc.col.saturating_sub(left as usize);
        if row < inner.height as usize {
            return Some((
                inner.x + (col as u16).min(inner.width.saturating_sub(1)),
                inner.y + row as u16,
            ));
        }
        return None;
    }
    cur
}

/// Our key as the text area's input.
fn textarea_input(k: Key) -> Option<ratatui_textarea::Input> {
    use ratatui_textarea::{Input, Key as TK};
    let (key, ctrl) = match k {
        Key::Char(c) => (TK::Char(c), false),
        Key::Enter => (TK::Enter, false),
        Key::Backspace => (TK::Backspace, false),
        Key::Delete => (TK::Delete, false),
        Key::Left => (TK::Left, false),
        Key::Right => (TK::Right, false),
        Key::Up => (TK::Up, false),
        Key::Down => (TK::Down, false),
        Key::Home => (TK::Home, false),
        Key::End => (TK::End, false),
        Key::PageUp => (TK::PageUp, false),
        Key::PageDown => (TK::PageDown, false),
        Key::Ctrl('u') => (TK::Char('u'), true),
        _ => return None,
    };
    Some(Input {
        key,
        ctrl,
        alt: false,
        shift: false,
    })
}
