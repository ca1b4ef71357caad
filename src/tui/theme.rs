//! Colours and borders. Only the 16 named colours and reverse video; every
//! state is also shown by text (【作废】, `>`, `[未保存]`), never by colour alone.
//! Borders are ASCII by default: box drawing is double width in the Chinese
//! Windows console and breaks the layout.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;
use ratatui::widgets::{Block, BorderType, Borders};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub unicode: bool,
}

/// `+ - |` borders.
pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn new(unicode: bool) -> Self {
        Theme { unicode }
    }

    /// A bordered block with a title.
    pub fn block<'a>(&self, title: impl Into<ratatui::text::Line<'a>>) -> Block<'a> {
        let b = Block::default().borders(Borders::ALL).title(title);
        if self.unicode {
            b.border_type(BorderType::Plain)
        } else {
            b.border_set(ASCII_BORDER)
        }
    }

    /// The separator used between table columns and in lines.
    pub fn hline(&self) -> &'static str {
        if self.unicode { "─" } else { "-" }
    }

    pub fn title(&self) -> Style {
        Style::default()
            .fg(Color::White)
            .bg(Color::Blue)
            .add_modifier(Modifier::BOLD)
    }

    pub fn tab_active(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn focus(&self) -> Style {
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        Style::default()
            .fg(Color::LightRed)
            .add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        Style::default().fg(Color::Yellow)
    }

    pub fn hint(&self) -> Style {
        Style::default().fg(Color::Green)
    }

    pub fn dim(&self) -> Style {
        Style::default().fg(Color::DarkGray)
    }

    pub fn status(&self) -> Style {
        Style::default().fg(Color::Black).bg(Color::Gray)
    }

    pub fn fkey_num(&self) -> Style {
        Style::default()
            .fg(Color::White)
            .add_modifier(Modifier::BOLD)
    }

    pub fn fkey_label(&self) -> Style {
        Style::default().fg(Color::Black).bg(Color::Cyan)
    }

    pub fn field(&self) -> Style {
        Style::default().add_modifier(Modifier::UNDERLINED)
    }
}
