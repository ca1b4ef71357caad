//! The month keys of the month-based screens (三会一课, 经费, 报表).

use super::Ctx;
use crate::domain::dates::Month;
use crate::tui::event::{Key, fold_digit};
use crate::tui::screen::Command;

/// `[` `]` PgUp PgDn Home: the month a month-based screen shows.
pub fn month_key(key: Key, month: Month, cx: &Ctx) -> Option<Month> {
    match key {
        Key::PageUp => Some(month.prev()),
        Key::PageDown => Some(month.next()),
        Key::Home => Some(Month::of(cx.today)),
        Key::Char(c) if matches!(fold_digit(c), '[' | '【') => Some(month.prev()),
        Key::Char(c) if matches!(fold_digit(c), ']' | '】') => Some(month.next()),
        _ => None,
    }
}

/// The help line of the month keys.
pub const MONTH_COMMAND: Command = Command::keys("PgUp PgDn [ ]", "上个月 / 下个月；Home 回到本月");
