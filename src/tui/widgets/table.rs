//! A list window: a header and the rows of the current page, each cell
//! padded by display width (CJK counts two), the selected row in reverse
//! video and marked with `>` so it shows without colour too.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::text::{pad_right, truncate_width, width};
use crate::tui::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    /// Display width; the last column takes what is left.
    pub width: u16,
    /// The SQL column sorted by (see `Record::COLUMNS`), if sortable.
    pub sort: Option<&'static str>,
}

pub const fn col(title: &'static str, width: u16, sort: Option<&'static str>) -> Column {
    Column { title, width, sort }
}

/// What a table shows: `selected` indexes `rows`; `sorted` is the sorted
/// column and whether descending.
pub struct View<'a> {
    pub cols: &'a [Column],
    pub rows: &'a [Vec<String>],
    pub selected: Option<usize>,
    pub sorted: Option<(usize, bool)>,
    pub empty_text: &'a str,
}

/// Draws header and rows.
pub fn render(f: &mut Frame, area: Rect, theme: &Theme, v: &View) {
    let View {
        cols,
        rows,
        selected,
        sorted,
        empty_text,
    } = *v;
    if area.height == 0 {
        return;
    }
    let total_w = area.width as usize;
    let widths = widths(cols, total_w.saturating_sub(2));
    let mut lines = Vec::with_capacity(area.height as usize);
    let mut head = String::from("  ");
    for (i, (c, w)) in cols.iter().zip(&widths).enumerate() {
        let mut t = c.title.to_string();
        if let Some((s, desc)) = sorted
            && s == i
        {
            t.push_str(if desc { "v" } else { "^" });
        }
        head.push_str(&pad_right(&truncate_width(&t, *w), *w));
        if i + 1 < cols.len() {
            head.push(' ');
        }
    }
    lines.push(Line::from(Span::styled(
        truncate_width(&head, total_w),
        theme.header(),
    )));
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  {empty_text}"),
            theme.dim(),
        )));
    }
    for (ri, row) in rows.iter().enumerate() {
        let sel = selected == Some(ri);
        let mut s = String::from(if sel { "> " } else { "  " });
        for (i, w) in widths.iter().enumerate() {
            let cell = row.get(i).map(String::as_str).unwrap_or("");
            s.push_str(&pad_right(&truncate_width(cell, *w), *w));
            if i + 1 < widths.len() {
                s.push(' ');
            }
        }
        let s = pad_right(&truncate_width(&s, total_w), total_w);
        lines.push(if sel {
            Line::from(Span::styled(s, theme.selected()))
        } else {
            Line::from(s)
        });
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// Column widths fitting `avail` (one space between columns).
pub fn widths(cols: &[Column], avail: usize) -> Vec<usize> {
    let n = cols.len();
    let mut out: Vec<usize> = cols.iter().map(|c| c.width as usize).collect();
    if n == 0 {
        return out;
    }
    let fixed: usize = out[..n - 1].iter().sum::<usize>() + (n - 1);
    let last = avail.saturating_sub(fixed).max(width(cols[n - 1].title));
    out[n - 1] = last;
    out
}
