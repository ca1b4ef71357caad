//! The attendance grid of a meeting: one row per expected member in two
//! columns (34 members visible at 80×24), the words 到 假 缺 as markers,
//! `1` `2` `3` and Space set 出席/请假/缺席 and move down, F2 sets everyone
//! 出席, Enter edits the reason of a 请假; the footer counts
//! `应到 实到 请假 缺席`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use crate::domain::enums::AttendStatus;
use crate::domain::rules::Quorum;
use crate::domain::text::{pad_right, truncate_width};
use crate::tui::event::{Key, fold_digit};
use crate::tui::theme::Theme;

const T_REASON: &str = "请假事由：";
const T_REASON_HINT: &str = "（回车确定）";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridRow {
    pub member_id: i64,
    pub name: String,
    /// Formal on the meeting's date (quorum of a 支部党员大会).
    pub formal: bool,
    pub status: AttendStatus,
    pub reason: String,
}

/// The marker word of a status (never a symbol).
pub fn marker(s: AttendStatus) -> &'static str {
    match s {
        AttendStatus::Present => "到",
        AttendStatus::Leave => "假",
        AttendStatus::Absent => "缺",
    }
}

#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub rows: Vec<GridRow>,
    pub sel: usize,
    /// Rows per column, as last drawn.
    per_col: usize,
    /// The reason being typed for the selected row.
    pub reason: Option<Input>,
}

/// What a key did to the grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridResult {
    Changed,
    Moved,
    NotMine,
}

impl Grid {
    pub fn new(rows: Vec<GridRow>) -> Self {
        Grid {
            rows,
            sel: 0,
            per_col: 17,
            reason: None,
        }
    }

    /// 应到, 实到, 请假, 缺席.
    pub fn tally(&self) -> (usize, usize, usize, usize) {
        let mut t = (self.rows.len(), 0, 0, 0);
        for r in &self.rows {
            match r.status {
                AttendStatus::Present => t.1 += 1,
                AttendStatus::Leave => t.2 += 1,
                AttendStatus::Absent => t.3 += 1,
            }
        }
        t
    }

    /// Formal members expected and present (quorum).
    pub fn formal_tally(&self) -> Quorum {
        Quorum::tally(self.rows.iter().map(|r| (r.formal, r.status)))
    }

    /// The state that matters for "unsaved".
    pub fn snapshot(&self) -> Vec<(i64, AttendStatus, String)> {
        self.rows
            .iter()
            .map(|r| (r.member_id, r.status, r.reason.clone()))
            .collect()
    }

    fn set(&mut self, s: AttendStatus) {
        if let Some(r) = self.rows.get_mut(self.sel) {
            r.status = s;
            if s != AttendStatus::Leave {
                r.reason.clear();
            }
        }
        self.down();
    }

    fn down(&mut self) {
        if self.sel + 1 < self.rows.len() {
            self.sel += 1;
        }
    }

    pub fn editing_reason(&self) -> bool {
        self.reason.is_some()
    }

    pub fn key(&mut self, key: Key) -> GridResult {
        if let Some(inp) = &mut self.reason {
            match key {
                Key::Enter | Key::Esc | Key::Tab => {
                    let v = inp.value().trim().to_string();
                    if let Some(r) = self.rows.get_mut(self.sel) {
                        r.reason = v;
                    }
                    self.reason = None;
                    self.down();
                    return GridResult::Changed;
                }
                Key::Char(c) if !c.is_control() => {
                    inp.handle(InputRequest::InsertChar(c));
                }
                Key::Backspace => {
                    inp.handle(InputRequest::DeletePrevChar);
                }
                Key::Left => {
                    inp.handle(InputRequest::GoToPrevChar);
                }
                Key::Right => {
                    inp.handle(InputRequest::GoToNextChar);
                }
                Key::Ctrl('u') => {
                    inp.handle(InputRequest::DeleteLine);
                }
                _ => return GridResult::Moved,
            }
            return GridResult::Moved;
        }
        let n = self.rows.len();
        match key {
            Key::Up => self.sel = self.sel.saturating_sub(1),
            Key::Down => self.down(),
            Key::Left => self.sel = self.sel.saturating_sub(self.per_col.max(1)),
            Key::Right => self.sel = (self.sel + self.per_col.max(1)).min(n.saturating_sub(1)),
            Key::Home => self.sel = 0,
            Key::End => self.sel = n.saturating_sub(1),
            Key::PageDown => {
                self.sel = (self.sel + 2 * self.per_col.max(1)).min(n.saturating_sub(1))
            }
            Key::PageUp => self.sel = self.sel.saturating_sub(2 * self.per_col.max(1)),
            Key::F(2) => {
                for r in &mut self.rows {
                    r.status = AttendStatus::Present;
                    r.reason.clear();
                }
                return GridResult::Changed;
            }
            Key::Enter => {
                let Some(r) = self.rows.get_mut(self.sel) else {
                    return GridResult::Moved;
                };
                r.status = AttendStatus::Leave;
                self.reason = Some(Input::new(r.reason.clone()));
                return GridResult::Changed;
            }
            Key::Char(c) => match fold_digit(c) {
                '1' => {
                    self.set(AttendStatus::Present);
                    return GridResult::Changed;
                }
                '2' => {
                    self.set(AttendStatus::Leave);
                    return GridResult::Changed;
                }
                '3' => {
                    self.set(AttendStatus::Absent);
                    return GridResult::Changed;
                }
                ' ' | '　' => {
                    let next = match self.rows.get(self.sel).map(|r| r.status) {
                        Some(AttendStatus::Present) => AttendStatus::Leave,
                        Some(AttendStatus::Leave) => AttendStatus::Absent,
                        _ => AttendStatus::Present,
                    };
                    self.set(next);
                    return GridResult::Changed;
                }
                _ => return GridResult::Moved,
            },
            _ => return GridResult::NotMine,
        }
        GridResult::Moved
    }

    /// Draws the grid in `area` (no border); returns the caret of the
    /// reason being typed.
    pub fn render(
        &mut self,
        f: &mut Frame,
        area: Rect,
        theme: &Theme,
        quorum: bool,
    ) -> Option<(u16, u16)> {
        let w = area.width as usize;
        let h = area.height as usize;
        if h < 3 || w < 20 {
            return None;
        }
        let body_h = h - 2;
        self.per_col = body_h;
        let page = 2 * body_h;
        let first = (self.sel / page) * page;
        let col_w = (w - 1) / 2;
        let mut lines: Vec<Line> = Vec::with_capacity(h);
        for r in 0..body_h {
            let mut spans = Vec::new();
            for c in 0..2 {
                let i = first + c * body_h + r;
                let cell = match self.rows.get(i) {
                    Some(row) => {
                        let sel = i == self.sel;
                        let mut t = format!(
                            "{}{:>3} {} {}",
                            if sel { ">" } else { " " },
                            i + 1,
                            pad_right(&truncate_width(&row.name, 10), 10),
                            marker(row.status)
                        );
                        if !row.formal {
                            t.push_str("(预)");
                        }
                        if !row.reason.is_empty() {
                            t.push(' ');
                            t.push_str(&row.reason);
                        }
                        let t = pad_right(&truncate_width(&t, col_w), col_w);
                        let style = if sel {
                            theme.selected()
                        } else if row.status == AttendStatus::Present {
                            ratatui::style::Style::default()
                        } else {
                            theme.warn()
                        };
                        Span::styled(t, style)
                    }
                    None => Span::raw(" ".repeat(col_w)),
                };
                spans.push(cell);
                if c == 0 {
                    spans.push(Span::raw(" "));
                }
            }
            lines.push(Line::from(spans));
        }
        let (n, p, l, a) = self.tally();
        let mut foot = format!("应到 {n} 实到 {p} 请假 {l} 缺席 {a}");
        if quorum {
            let q = self.formal_tally();
            foot.push_str(&format!(
                "  正式党员 应到 {} 实到 {}",
                q.expected, q.present
            ));
            if !q.reached() {
                foot.push_str(" 不足半数");
            }
        }
        if self.rows.len() > page {
            foot.push_str(&format!(
                "  第 {}/{} 页",
                first / page + 1,
                self.rows.len().div_ceil(page)
            ));
        }
        lines.push(Line::from(Span::styled(
            pad_right(&truncate_width(&foot, w), w),
            theme.header(),
        )));
        let mut cursor = None;
        match &self.reason {
            Some(inp) => {
                let who = self
                    .rows
                    .get(self.sel)
                    .map(|r| r.name.clone())
                    .unwrap_or_default();
                let lead = format!("{who} {T_REASON}");
                let lw = crate::domain::text::width(&lead);
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.focus()),
                    Span::styled(inp.value().to_string(), theme.field()),
                    Span::styled(T_REASON_HINT, theme.dim()),
                ]));
                cursor = Some((
                    area.x + (lw + inp.visual_cursor()).min(w.saturating_sub(1)) as u16,
                    area.y + h as u16 - 1,
                ));
            }
            None => lines.push(Line::from(Span::styled(
                truncate_width(
                    "1 出席 2 请假 3 缺席 空格 切换（并下移） 回车 填请假事由 F2 全部出席 左右 换列",
                    w,
                ),
                theme.dim(),
            ))),
        }
        f.render_widget(Paragraph::new(lines), area);
        cursor
    }
}
