//! F1 help: every key of the current screen, filterable as you type
//! (Chinese or pinyin), Esc or F1 closes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use tui_input::{Input, InputRequest};

use crate::domain::search::matches_filter;
use crate::domain::text::{pad_right, truncate_width};
use crate::tui::event::Key;
use crate::tui::theme::Theme;

#[derive(Debug, Clone)]
pub struct Help {
    pub title: String,
    entries: Vec<(String, String)>,
    pub filter: Input,
    top: usize,
}

impl Help {
    pub fn new(title: impl Into<String>, entries: Vec<(String, String)>) -> Self {
        Help {
            title: title.into(),
            entries,
            filter: Input::default(),
            top: 0,
        }
    }

    fn shown(&self) -> Vec<&(String, String)> {
        let q = self.filter.value();
        self.entries
            .iter()
            .filter(|(k, v)| matches_filter(q, k) || matches_filter(q, v))
            .collect()
    }

    /// False when the help closes.
    pub fn key(&mut self, key: Key) -> bool {
        match key {
            Key::Esc | Key::F(1) => return false,
            Key::Up => self.top = self.top.saturating_sub(1),
            Key::Down => self.top += 1,
            Key::PageUp => self.top = self.top.saturating_sub(10),
            Key::PageDown => self.top += 10,
            Key::Char(c) => {
                self.filter.handle(InputRequest::InsertChar(c));
                self.top = 0;
            }
            Key::Backspace => {
                self.filter.handle(InputRequest::DeletePrevChar);
                self.top = 0;
            }
            _ => {}
        }
        true
    }

    pub fn render(&mut self, f: &mut Frame, area: Rect, theme: &Theme) -> Option<(u16, u16)> {
        let r = super::centred(area, 70, area.height);
        f.render_widget(Clear, r);
        let block = theme.block(format!(" 帮助：{}（输入文字筛选，Esc 关闭） ", self.title));
        let inner = block.inner(r);
        f.render_widget(block, r);
        if inner.height < 3 {
            return None;
        }
        let iw = inner.width as usize;
        let list_h = inner.height as usize - 1;
        let n = self.shown().len();
        self.top = self.top.min(n.saturating_sub(list_h));
        let shown = self.shown();
        let mut lines = vec![Line::from(vec![
            Span::styled("查找：", theme.header()),
            Span::styled(
                pad_right(self.filter.value(), iw.saturating_sub(6)),
                theme.field(),
            ),
        ])];
        for (k, v) in shown.iter().skip(self.top).take(list_h) {
            lines.push(Line::from(vec![
                Span::styled(pad_right(&truncate_width(k, 18), 18), theme.focus()),
                Span::raw(truncate_width(v, iw.saturating_sub(19))),
            ]));
        }
        if shown.is_empty() {
            lines.push(Line::from(Span::styled(
                "  没有匹配的按键说明",
                theme.dim(),
            )));
        }
        f.render_widget(Paragraph::new(lines), inner);
        Some((inner.x + 6 + self.filter.visual_cursor() as u16, inner.y))
    }
}
