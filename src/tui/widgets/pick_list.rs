//! The F7 pick list of a reference field: type to filter (Chinese or
//! pinyin), ↑↓ to move, Enter to take, F5 to add a new item, Esc to cancel.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use tui_input::{Input, InputRequest};

use crate::domain::search::matches_filter;
use crate::domain::text::{pad_right, truncate_width};
use crate::tui::event::Key;
use crate::tui::theme::Theme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickResult {
    None,
    Picked(i64, String),
    AddNew,
    Cancel,
}

#[derive(Debug, Clone)]
pub struct PickList {
    pub title: String,
    items: Vec<(i64, String)>,
    shown: Vec<usize>,
    pub filter: Input,
    sel: usize,
    top: usize,
    /// F5 adds a record named by the filter (a form's reference field).
    can_add: bool,
}

impl PickList {
    pub fn new(title: impl Into<String>, items: Vec<(i64, String)>, filter: &str) -> Self {
        let mut p = PickList {
            title: title.into(),
            items,
            shown: Vec::new(),
            filter: Input::new(filter.to_string()),
            sel: 0,
            top: 0,
            can_add: true,
        };
        p.refilter();
        if p.shown.is_empty() {
            p.filter = Input::default();
            p.refilter();
        }
        p
    }

    /// A list choosing for a screen itself: F5 adds nothing.
    pub fn without_add(mut self) -> Self {
        self.can_add = false;
        self
    }

    fn refilter(&mut self) {
        let q = self.filter.value().to_string();
        self.shown = (0..self.items.len())
            .filter(|&i| matches_filter(&q, &self.items[i].1))
            .collect();
        self.sel = 0;
        self.top = 0;
    }

    pub fn key(&mut self, key: Key) -> PickResult {
        match key {
            Key::Esc => return PickResult::Cancel,
            Key::F(5) | Key::Insert => return PickResult::AddNew,
            Key::Enter => {
                return match self.shown.get(self.sel) {
                    Some(&i) => PickResult::Picked(self.items[i].0, self.items[i].1.clone()),
                    None => PickResult::None,
                };
            }
            Key::Up => self.sel = self.sel.saturating_sub(1),
            Key::Down if self.sel + 1 < self.shown.len() => self.sel += 1,
            Key::PageUp => self.sel = self.sel.saturating_sub(10),
            Key::PageDown => {
                self.sel = (self.sel + 10).min(self.shown.len().saturating_sub(1));
            }
            Key::Char(c) => {
                self.filter.handle(InputRequest::InsertChar(c));
                self.refilter();
            }
            Key::Backspace => {
                self.filter.handle(InputRequest::DeletePrevChar);
                self.refilter();
            }
            _ => {}
        }
        PickResult::None
    }

    pub fn paste(&mut self, s: &str) {
        for c in s.chars().filter(|c| !c.is_control()) {
            self.filter.handle(InputRequest::InsertChar(c));
        }
        self.refilter();
    }

    /// Draws a box in the middle of `area`; returns the caret position.
    pub fn render(&mut self, f: &mut Frame, area: Rect, theme: &Theme) -> Option<(u16, u16)> {
        let r = super::centred(area, 44, 16);
        f.render_widget(Clear, r);
        let block = theme.block(format!(" {}（{}项） ", self.title, self.shown.len()));
        let inner = block.inner(r);
        f.render_widget(block, r);
        if inner.height < 3 {
            return None;
        }
        let iw = inner.width as usize;
        let list_h = (inner.height as usize).saturating_sub(2);
        crate::tui::widgets::keep_in_view(&mut self.top, self.sel, list_h);
        let mut lines = vec![
            Line::from(vec![
                Span::styled("查找：", theme.header()),
                Span::styled(
                    pad_right(self.filter.value(), iw.saturating_sub(6)),
                    theme.field(),
                ),
            ]),
            Line::from(Span::styled(
                truncate_width(
                    if self.can_add {
                        "上下键移动 回车选定 F5新增 Esc取消"
                    } else {
                        "上下键移动 回车选定 Esc取消"
                    },
                    iw,
                ),
                theme.dim(),
            )),
        ];
        for (k, &i) in self.shown.iter().enumerate().skip(self.top).take(list_h) {
            let sel = k == self.sel;
            let s = pad_right(
                &truncate_width(
                    &format!("{}{}", if sel { "> " } else { "  " }, self.items[i].1),
                    iw,
                ),
                iw,
            );
            lines.push(if sel {
                Line::from(Span::styled(s, theme.selected()))
            } else {
                Line::from(s)
            });
        }
        if self.shown.is_empty() {
            lines.push(Line::from(Span::styled(
                "  没有匹配的项，按 F5 新增",
                theme.dim(),
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
        Some((inner.x + 6 + self.filter.visual_cursor() as u16, inner.y))
    }
}
