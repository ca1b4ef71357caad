//! The bottom row: the function keys that work here, with Chinese labels
//! (`1帮助 3查找 5新增 …`). Nothing is ever typed on this row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::text::width;
use crate::tui::theme::Theme;

pub fn render(f: &mut Frame, area: Rect, theme: &Theme, keys: &[(u8, &str)]) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (n, label) in keys {
        let num = n.to_string();
        let w = num.len() + width(label) + 1;
        if used + w > area.width as usize {
            break;
        }
        spans.push(Span::styled(num, theme.fkey_num()));
        spans.push(Span::styled(label.to_string(), theme.fkey_label()));
        spans.push(Span::raw(" "));
        used += w;
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}
