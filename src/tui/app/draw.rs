//! Drawing: the title with the tabs, the screen in front and the layers
//! over it, the status line and the F-key bar.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::App;
use crate::domain::dates::Month;
use crate::domain::text::{pad_right, truncate_width, width};
use crate::tui::keymap::DIALOG_KEYS;
use crate::tui::screen::bar;
use crate::tui::screens::ScreenId;
use crate::tui::widgets::fkey_bar;

impl App {
    /// The title of the screen in front (a sub-list's: 党组织 / 覆盖单位).
    pub(super) fn screen_title(&self) -> String {
        self.front()
            .title()
            .unwrap_or(self.screen.label())
            .to_string()
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        self.size = (area.width, area.height);
        if self.too_small() {
            let msg = "窗口太小，请调整到至少 80×24";
            let hint = "（F10 或 Esc 退出）";
            let y = area.height / 2;
            let lines = vec![Line::from(msg), Line::from(hint)];
            let r = Rect {
                x: area.x,
                y: area.y + y.saturating_sub(1),
                width: area.width,
                height: 2.min(area.height),
            };
            f.render_widget(
                Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
                r,
            );
            return;
        }
        let [top, main, status, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_title(f, top);
        let d = self.ctx_data();
        let cx = d.cx();
        let cursor = if !self.loaded {
            f.render_widget(
                Paragraph::new(Line::from(Span::styled("正在打开台账……", self.theme.dim()))),
                main,
            );
            None
        } else {
            self.front_mut().render(f, main, &cx)
        };
        let cursor = self.layers.render(f, main, &self.theme, cursor);
        self.draw_status(f, status);
        let fkeys = self.fkeys();
        fkey_bar::render(f, keys, &self.theme, &fkeys);
        if let Some((x, y)) = cursor
            && y < keys.y
        {
            f.set_cursor_position((x, y));
        }
    }

    fn draw_title(&self, f: &mut Frame, area: Rect) {
        let mut marks = String::new();
        if self.demo {
            marks.push_str(" 【演示账本】");
        }
        if self.store.read_only().is_some() {
            marks.push_str(" 【只读】");
        }
        let tabs_full: usize = ScreenId::TABS
            .iter()
            .map(|(_, s)| width(s.label()) + 2)
            .sum();
        let mut left = String::from(" 党建台账");
        // The township gives way when the marks and all eight tabs would not fit.
        if !self.settings.township.is_empty()
            && width(&left) + width(&self.settings.township) + 1 + width(&marks) + tabs_full
                <= area.width as usize
        {
            left.push_str(&format!(" {}", self.settings.township));
        }
        left.push_str(&marks);
        let mut spans = vec![Span::styled(left.clone(), self.theme.title())];
        let mut used = width(&left);
        let tabs: Vec<(String, bool)> = ScreenId::TABS
            .iter()
            .map(|(d, s)| (format!("{d}{}", s.label()), *s == self.screen))
            .collect();
        let tabs_w: usize = tabs.iter().map(|(t, _)| width(t) + 1).sum();
        let gap = (area.width as usize).saturating_sub(used + tabs_w);
        spans.push(Span::styled(" ".repeat(gap), self.theme.title()));
        used += gap;
        for (t, active) in tabs {
            if used + width(&t) + 1 > area.width as usize {
                break;
            }
            used += width(&t) + 1;
            spans.push(Span::raw(" "));
            spans.push(if active {
                Span::styled(t, self.theme.tab_active())
            } else {
                Span::raw(t)
            });
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_status(&self, f: &mut Frame, area: Rect) {
        let front = self.front();
        let month = front.month().unwrap_or(Month::of(self.today));
        let mut s = format!(
            " {} | {} | {}",
            self.screen_title(),
            month.label(),
            front.status()
        );
        if let Some(m) = &self.status {
            s.push_str(&format!(" | {m}"));
        }
        let w = area.width as usize;
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                pad_right(&truncate_width(&s, w), w),
                self.theme.status(),
            ))),
            area,
        );
    }

    /// The bar at the bottom: the top layer's keys, else the commands in
    /// front (the same list as the F1 help).
    fn fkeys(&self) -> Vec<(u8, &'static str)> {
        if self.too_small() {
            return DIALOG_KEYS.to_vec();
        }
        self.layers.bar().unwrap_or_else(|| bar(&self.commands()))
    }
}
