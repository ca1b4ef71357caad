//! Small boxes over the screen: a question with lettered answers
//! (保存(Y) / 不保存(N) / 返回(Esc)), and a scrollable list of lines
//! (every error of an import).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::domain::text::{truncate_width, width};
use crate::tui::event::{Key, fold_digit};
use crate::tui::theme::Theme;

/// One answer: the letter that picks it (also its position as a digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub key: char,
    pub label: &'static str,
}

pub const fn choice(key: char, label: &'static str) -> Choice {
    Choice { key, label }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    pub title: String,
    pub lines: Vec<String>,
    pub choices: Vec<Choice>,
    /// The answer Enter gives (the safe one).
    pub selected: usize,
    /// What Esc answers.
    pub esc: char,
    /// When false, Enter answers only the safe default, never the
    /// selected answer (purging).
    pub enter_picks: bool,
}

impl Dialog {
    pub fn new(
        title: impl Into<String>,
        lines: Vec<String>,
        choices: Vec<Choice>,
        esc: char,
    ) -> Self {
        let selected = choices.iter().position(|c| c.key == esc).unwrap_or(0);
        Dialog {
            title: title.into(),
            lines,
            choices,
            selected,
            esc,
            enter_picks: true,
        }
    }

    /// The answer, when the key gives one. Letters work in either case;
    /// digits pick by position (the IME swallows letters).
    pub fn key(&mut self, key: Key) -> Option<char> {
        match key {
            Key::Esc => Some(self.esc),
            Key::Enter => {
                if self.enter_picks {
                    self.choices.get(self.selected).map(|c| c.key)
                } else {
                    Some(self.esc)
                }
            }
            Key::Left | Key::BackTab => {
                self.selected = self.selected.saturating_sub(1);
                None
            }
            Key::Right | Key::Tab => {
                if self.selected + 1 < self.choices.len() {
                    self.selected += 1;
                }
                None
            }
            Key::Char(c) => {
                let c = fold_digit(c).to_ascii_uppercase();
                if let Some(ch) = self.choices.iter().find(|x| x.key == c) {
                    return Some(ch.key);
                }
                if let Some(d) = c.to_digit(10)
                    && d >= 1
                    && let Some(ch) = self.choices.get(d as usize - 1)
                {
                    return Some(ch.key);
                }
                None
            }
            _ => None,
        }
    }

    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let text_w = self.lines.iter().map(|l| width(l)).max().unwrap_or(10);
        let w = (text_w + 4).clamp(36, area.width as usize) as u16;
        let body_h = self
            .lines
            .iter()
            .map(|l| {
                width(l)
                    .div_ceil((w as usize).saturating_sub(2).max(1))
                    .max(1)
            })
            .sum::<usize>();
        let r = super::centred(area, w, (body_h + 4) as u16);
        f.render_widget(Clear, r);
        let block = theme.block(format!(" {} ", self.title));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let mut lines: Vec<Line> = self.lines.iter().map(|l| Line::from(l.clone())).collect();
        lines.push(Line::from(""));
        let mut spans = Vec::new();
        for (i, c) in self.choices.iter().enumerate() {
            let key = if c.key == '\u{1b}' {
                "Esc".to_string()
            } else {
                c.key.to_string()
            };
            let t = format!("[{}({})]", c.label, key);
            spans.push(if i == self.selected {
                Span::styled(t, theme.selected())
            } else {
                Span::raw(t)
            });
            spans.push(Span::raw(" "));
        }
        lines.push(Line::from(spans));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}

/// A scrollable list of lines with a title (errors, summaries).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextView {
    pub title: String,
    pub lines: Vec<String>,
    pub top: usize,
    pub footer: String,
}

impl TextView {
    pub fn new(title: impl Into<String>, lines: Vec<String>, footer: impl Into<String>) -> Self {
        TextView {
            title: title.into(),
            lines,
            top: 0,
            footer: footer.into(),
        }
    }

    pub fn key(&mut self, key: Key) {
        match key {
            Key::Up => self.top = self.top.saturating_sub(1),
            Key::Down => self.top += 1,
            Key::PageUp => self.top = self.top.saturating_sub(10),
            Key::PageDown => self.top += 10,
            Key::Home => self.top = 0,
            Key::End => self.top = self.lines.len(),
            _ => {}
        }
        self.top = self.top.min(self.lines.len().saturating_sub(1));
    }

    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        f.render_widget(Clear, area);
        let block = theme.block(format!(
            " {}（共 {} 行，上下键翻看） ",
            self.title,
            self.lines.len()
        ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let h = inner.height.saturating_sub(1) as usize;
        let iw = inner.width as usize;
        let mut lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.top)
            .take(h)
            .map(|l| Line::from(truncate_width(l, iw)))
            .collect();
        while lines.len() < h {
            lines.push(Line::from(""));
        }
        lines.push(Line::from(Span::styled(
            truncate_width(&self.footer, iw),
            theme.focus(),
        )));
        f.render_widget(Paragraph::new(lines), inner);
    }
}
