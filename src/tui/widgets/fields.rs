//! One form field: a single-line text input (tui-input, display-width
//! cursor) plus what kind of value it holds, how it is parsed and what is
//! shown beside it (the parsed date with its weekday, the sum of a money
//! expression, the choices of an enum).

use chrono::{Days, NaiveDate};
use tui_input::{Input, InputRequest};

use crate::domain::dates::{parse_date_input, weekday_cn};
use crate::domain::money::parse_yuan_expr;
use crate::domain::text::fold_input;
use crate::tui::event::Key;

/// What a reference field points at (F7 pick list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefKind {
    Org,
    Unit,
    Instructor,
}

impl RefKind {
    pub fn what(self) -> &'static str {
        match self {
            RefKind::Org => "党组织",
            RefKind::Unit => "单位",
            RefKind::Instructor => "指导员",
        }
    }
}

/// Which field of a form: a stable key (what a draft keeps the value
/// under) and the Chinese label shown. Screens declare theirs as constants,
/// so a misspelt field does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldId {
    pub key: &'static str,
    pub label: &'static str,
}

impl FieldId {
    pub const fn new(key: &'static str, label: &'static str) -> Self {
        FieldId { key, label }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Date,
    Money,
    Int,
    /// One of a few labels; Space cycles, a digit picks the n-th.
    Choice(Vec<&'static str>),
    Ref(RefKind),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    /// The label shown (the id's).
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    pub input: Input,
    pub error: Option<String>,
}

/// What a key did to a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldResult {
    Changed,
    Moved,
    Ignored,
}

impl Field {
    pub fn new(id: FieldId, kind: FieldKind, required: bool, value: &str) -> Self {
        Field {
            id,
            label: id.label,
            kind,
            required,
            input: Input::new(value.to_string()),
            error: None,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set(&mut self, v: &str) {
        self.input = Input::new(v.to_string());
    }

    /// Takes printable keys and editing keys; everything else is left to
    /// the form.
    pub fn key(&mut self, key: Key) -> FieldResult {
        match (&self.kind, key) {
            (FieldKind::Choice(opts), Key::Char(' ')) => {
                let opts = opts.clone();
                let cur = opts.iter().position(|o| *o == self.value());
                let next = match (cur, self.required) {
                    (None, _) => Some(0),
                    (Some(i), _) if i + 1 < opts.len() => Some(i + 1),
                    (Some(_), true) => Some(0),
                    (Some(_), false) => None,
                };
                self.set(next.and_then(|i| opts.get(i)).copied().unwrap_or(""));
                FieldResult::Changed
            }
            (FieldKind::Choice(opts), Key::Char(c)) => {
                let c = crate::tui::event::fold_digit(c);
                if let Some(n) = c.to_digit(10)
                    && n >= 1
                    && let Some(o) = opts.get(n as usize - 1)
                {
                    let o = *o;
                    self.set(o);
                    return FieldResult::Changed;
                }
                if c == '0' && !self.required {
                    self.set("");
                    return FieldResult::Changed;
                }
                FieldResult::Ignored
            }
            (FieldKind::Choice(_), Key::Backspace | Key::Delete) if !self.required => {
                self.set("");
                FieldResult::Changed
            }
            (FieldKind::Choice(_), _) => FieldResult::Ignored,
            (FieldKind::Date, Key::Char(c @ ('=' | '-' | '＝' | '－'))) => {
                let step_back = c == '-' || c == '－';
                let v = self.value().to_string();
                if v.len() == 10
                    && let Ok(d) = NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                {
                    let moved = if step_back {
                        d.checked_sub_days(Days::new(1))
                    } else {
                        d.checked_add_days(Days::new(1))
                    };
                    if let Some(m) = moved {
                        self.set(&m.to_string());
                        self.error = None;
                        return FieldResult::Changed;
                    }
                }
                self.edit(InputRequest::InsertChar(c))
            }
            (_, Key::Char(c)) => {
                if c == '\n' || c == '\r' || c.is_control() {
                    return FieldResult::Ignored;
                }
                self.edit(InputRequest::InsertChar(c))
            }
            (_, Key::Backspace) => self.edit(InputRequest::DeletePrevChar),
            (_, Key::Delete) => self.edit(InputRequest::DeleteNextChar),
            (_, Key::Left) => self.moved(InputRequest::GoToPrevChar),
            (_, Key::Right) => self.moved(InputRequest::GoToNextChar),
            (_, Key::Home) => self.moved(InputRequest::GoToStart),
            (_, Key::End) => self.moved(InputRequest::GoToEnd),
            (_, Key::Ctrl('u')) => self.edit(InputRequest::DeleteLine),
            _ => FieldResult::Ignored,
        }
    }

    /// Inserts pasted text (line breaks become spaces). Never saves.
    pub fn paste(&mut self, s: &str) -> FieldResult {
        if matches!(self.kind, FieldKind::Choice(_)) {
            return FieldResult::Ignored;
        }
        for c in s.chars() {
            let c = if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            };
            if !c.is_control() {
                self.input.handle(InputRequest::InsertChar(c));
            }
        }
        FieldResult::Changed
    }

    fn edit(&mut self, r: InputRequest) -> FieldResult {
        match self.input.handle(r) {
            Some(st) if st.value => {
                self.error = None;
                FieldResult::Changed
            }
            Some(_) => FieldResult::Moved,
            None => FieldResult::Ignored,
        }
    }

    fn moved(&mut self, r: InputRequest) -> FieldResult {
        self.input.handle(r);
        FieldResult::Moved
    }

    /// Checks the text; on leaving the field a date or an amount is written
    /// out in full. What was typed stays when it is wrong.
    pub fn check(&mut self, today: NaiveDate, normalise: bool) -> bool {
        let v = self.value().trim().to_string();
        self.error = None;
        if v.is_empty() {
            if self.required {
                self.error = Some(match self.kind {
                    FieldKind::Ref(k) => format!("必填，请按 F7 选择{}", k.what()),
                    FieldKind::Choice(_) => "必填，请按空格选择".to_string(),
                    _ => "必填，请填写".to_string(),
                });
                return false;
            }
            return true;
        }
        match &self.kind {
            FieldKind::Date => match parse_date_input(&v, today) {
                Ok(d) => {
                    if normalise {
                        self.set(&d.to_string());
                    }
                }
                Err(e) => self.error = Some(e),
            },
            FieldKind::Money => match parse_yuan_expr(&v) {
                Ok(f) => {
                    if normalise {
                        self.set(&f.to_string());
                    }
                }
                Err(e) => self.error = Some(e),
            },
            FieldKind::Int => match fold_input(&v).parse::<i64>() {
                Ok(n) if n >= 0 => {
                    if normalise {
                        self.set(&n.to_string());
                    }
                }
                _ => self.error = Some(format!("“{v}”不是整数，请填写如 12")),
            },
            _ => {}
        }
        self.error.is_none()
    }

    /// The parsed date, when the field holds one.
    pub fn date(&self, today: NaiveDate) -> Option<NaiveDate> {
        let v = self.value().trim();
        if v.is_empty() {
            return None;
        }
        parse_date_input(v, today).ok()
    }

    /// What is shown beside the field: the parsed date and weekday, the
    /// amount, the choices.
    pub fn hint(&self, today: NaiveDate, focused: bool) -> String {
        let v = self.value().trim();
        match &self.kind {
            FieldKind::Date if !v.is_empty() => match parse_date_input(v, today) {
                Ok(d) => format!("{} {}", d.format("%Y年%m月%d日"), weekday_cn(d)),
                Err(_) => String::new(),
            },
            FieldKind::Money if !v.is_empty() => match parse_yuan_expr(v) {
                Ok(f) => format!("= {} 元", f.yuan_grouped()),
                Err(_) => String::new(),
            },
            FieldKind::Choice(opts) if focused => {
                let mut s = String::from("空格切换:");
                for (i, o) in opts.iter().enumerate().take(9) {
                    s.push_str(&format!(" {}{}", i + 1, o));
                }
                s
            }
            FieldKind::Ref(_) if focused => "F7 选择".to_string(),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, 20).unwrap_or_default()
    }

    #[test]
    fn date_steps_and_hint() {
        let mut f = Field::new(
            FieldId::new("date", "日期"),
            FieldKind::Date,
            true,
            "2026-10-15",
        );
        f.key(Key::Char('='));
        assert_eq!(f.value(), "2026-10-16");
        f.key(Key::Char('-'));
        f.key(Key::Char('-'));
        assert_eq!(f.value(), "2026-10-14");
        assert_eq!(f.hint(today(), true), "2026年10月14日 星期三");
        f.set("");
        f.key(Key::Char('-'));
        f.key(Key::Char('3'));
        assert_eq!(f.value(), "-3");
        assert!(f.check(today(), true));
        assert_eq!(f.value(), "2026-10-17");
    }

    #[test]
    fn bad_date_keeps_text() {
        let mut f = Field::new(FieldId::new("date", "日期"), FieldKind::Date, true, "");
        for c in "13月45日".chars() {
            f.key(Key::Char(c));
        }
        assert!(!f.check(today(), true));
        assert_eq!(f.value(), "13月45日");
        assert!(f.error.is_some());
    }

    #[test]
    fn choice_cycles_and_digits() {
        let mut f = Field::new(
            FieldId::new("gender", "性别"),
            FieldKind::Choice(vec!["男", "女"]),
            false,
            "",
        );
        f.key(Key::Char(' '));
        assert_eq!(f.value(), "男");
        f.key(Key::Char(' '));
        assert_eq!(f.value(), "女");
        f.key(Key::Char(' '));
        assert_eq!(f.value(), "");
        f.key(Key::Char('２'));
        assert_eq!(f.value(), "女");
        assert_eq!(f.key(Key::Char('x')), FieldResult::Ignored);
    }

    #[test]
    fn money_expression() {
        let mut f = Field::new(
            FieldId::new("amount", "金额"),
            FieldKind::Money,
            true,
            "120+35.5",
        );
        assert_eq!(f.hint(today(), true), "= 155.50 元");
        assert!(f.check(today(), true));
        assert_eq!(f.value(), "155.50");
    }
}
