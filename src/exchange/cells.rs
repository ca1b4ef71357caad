//! One cell as the export, the template and the 设置 sheet write it.

use chrono::NaiveDate;

use crate::domain::enums::yes_no;
use crate::domain::money::Fen;
use crate::domain::text::width;

/// One cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Empty,
    Text(String),
    Date(NaiveDate),
    Money(Fen),
    Int(i64),
}

impl Out {
    pub(super) fn text(s: &str) -> Out {
        if s.is_empty() {
            Out::Empty
        } else {
            Out::Text(s.to_string())
        }
    }

    pub(super) fn date(d: Option<NaiveDate>) -> Out {
        d.map_or(Out::Empty, Out::Date)
    }

    pub(super) fn yes_no(b: Option<bool>) -> Out {
        b.map_or(Out::Empty, |b| Out::Text(yes_no(b).to_string()))
    }

    pub(super) fn label<T: std::fmt::Display>(v: Option<T>) -> Out {
        v.map_or(Out::Empty, |v| Out::Text(v.to_string()))
    }

    /// Display width, for the column widths.
    pub(super) fn width(&self) -> usize {
        match self {
            Out::Empty => 0,
            Out::Text(s) => s.lines().map(width).max().unwrap_or(0),
            Out::Date(_) => 10,
            Out::Money(f) => f.to_string().len(),
            Out::Int(i) => i.to_string().len(),
        }
    }
}
