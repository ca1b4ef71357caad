//! The meeting editor of 6 三会一课: the fields, the minutes
//! (ratatui-textarea) and the attendance grid, prefilled with the org's
//! active members (the committee for a 支部委员会), all 出席. Its texts
//! and keys are the screen's (`mod.rs`).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::*;
use crate::domain::enums::{AttendStatus, KindsInput, MeetingKind};
use crate::domain::records::{Attendance, Meeting, Member};
use crate::domain::rules::needs_quorum;
use crate::domain::text::truncate_width;
use crate::tui::drafts::Draft;
use crate::tui::event::Key;
use crate::tui::screens::Ctx;
use crate::tui::screens::register::read;
use crate::tui::widgets::attendance::{Grid, GridRow};
use crate::tui::widgets::fields::{Field, FieldKind, RefKind};
use crate::tui::widgets::form::Form;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Fields,
    Minutes,
    Grid,
}

/// The meeting being edited.
pub struct Editor {
    pub form: Form,
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
    MeetingKind::parse_list(s, KindsInput::Typed).map_err(|e| e.join("；"))
}

pub(super) fn kinds_text(k: &[MeetingKind]) -> String {
    k.iter().map(|k| k.label()).collect::<Vec<_>>().join("、")
}

impl Editor {
    pub(super) fn new(base: Meeting, cx: &Ctx, title: String) -> Self {
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
            form,
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
        self.form.dirty()
            || self.minutes.lines().join("\n") != self.original_minutes
            || (self.built_for.is_some() && self.grid.snapshot() != self.original_grid)
    }

    pub(super) fn kinds(&self) -> Vec<MeetingKind> {
        parse_kinds(&self.form.get(F_KINDS)).unwrap_or_default()
    }

    /// (org, committee only, date) the grid should show, when the org can
    /// be read.
    pub fn wants_members(&self, cx: &Ctx) -> Option<(i64, bool, NaiveDate)> {
        let org = cx
            .lookups
            .resolve(RefKind::Org, &self.form.get(F_ORG))
            .ok()?;
        let kinds = self.kinds();
        let committee = kinds == [MeetingKind::BranchCommittee];
        let date = self
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
        let f = &mut self.form;
        f.set(F_KINDS, &kinds_text(&last.kinds));
        f.set(F_PLACE, &last.place);
        f.set(F_HOST, &last.host);
        f.set(F_RECORDER, &last.recorder);
        f.set(F_LECTURER, &last.lecturer);
    }

    /// Reads everything back into a meeting; messages go on the fields.
    pub fn build(&mut self, cx: &Ctx) -> std::result::Result<Meeting, String> {
        let form = &mut self.form;
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
                if !form.set_error_labelled(e.field, &e.message) {
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
        if !self.dirty() || self.form.read_only {
            return None;
        }
        let mut fields = self.form.draft_values();
        fields.insert(K_MINUTES.to_string(), self.minutes.lines().join("\n"));
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
        fields.insert(K_ATTENDANCE.to_string(), serde_json::to_string(&att).ok()?);
        let d = Draft {
            table: "meetings".to_string(),
            id: self.base.id,
            title: self.form.title.clone(),
            fields,
            values: Vec::new(),
            parent: None,
        };
        Some((draft_key(self.base.id), serde_json::to_string(&d).ok()?))
    }

    /// Why a 支部党员大会 has no quorum (DOMAIN.md), if it has none.
    pub fn no_quorum(&self, m: &Meeting) -> Option<String> {
        if !needs_quorum(&m.kinds) {
            return None;
        }
        let q = self.grid.formal_tally();
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

pub(super) fn render_editor(
    e: &mut Editor,
    f: &mut Frame,
    area: Rect,
    cx: &Ctx,
) -> Option<(u16, u16)> {
    let theme = cx.theme;
    let quorum = e.kinds().contains(&MeetingKind::MembersAssembly);
    if e.part == Part::Grid {
        let org = e.form.get(F_ORG);
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
    let form_h = (e.form.fields.len() as u16 + 4).min(area.height.saturating_sub(6));
    let [top, bottom] =
        Layout::vertical([Constraint::Length(form_h), Constraint::Min(4)]).areas(area);
    let (n, p, l, a) = e.grid.tally();
    let mut notes = vec![T_KINDS_HINT.to_string()];
    notes.push(format!("出勤（F3）：应到 {n} 实到 {p} 请假 {l} 缺席 {a}"));
    e.form.notes = notes;
    let cur = e.form.render(f, top, &theme, cx.today);
    let cur = if e.part == Part::Fields { cur } else { None };
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
pub(super) fn textarea_input(k: Key) -> Option<ratatui_textarea::Input> {
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
