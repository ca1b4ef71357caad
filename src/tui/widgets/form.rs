//! A record form: labelled fields in one column, scrolling to keep the
//! focused one visible, the error in Chinese right under its field, the
//! parsed value beside it, and `[未保存]` in the title while it differs
//! from the stored record.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use std::collections::BTreeMap;

use super::fields::{Field, FieldId, FieldKind, FieldResult};
use crate::domain::text::{pad_right, truncate_width, width};
use crate::tui::event::Key;
use crate::tui::theme::Theme;

/// What the form wants after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    /// The key was not for the form (quick actions of a screen).
    NotMine,
    /// Handled, nothing for the app.
    Handled,
    /// The text changed.
    Changed,
    /// Focus moved to another field (a good moment to keep a draft).
    FieldLeft,
    /// Save (F6, Ctrl+S, or Enter on the last field).
    Save,
    /// Leave (Esc); the app asks first when something is unsaved.
    Leave,
    /// Open the pick list for the focused reference field (F7).
    Pick,
}

#[derive(Debug, Clone)]
pub struct Form {
    /// 新增单位, 单位：某某公司 …
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The values as loaded, to tell whether anything is unsaved.
    pub original: Vec<String>,
    pub scroll: usize,
    /// A message for the whole form (not tied to one field).
    pub message: Option<String>,
    /// Lines shown under the fields: rule warnings, related records.
    pub notes: Vec<String>,
    pub read_only: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Self {
        let original = fields.iter().map(|f| f.value().to_string()).collect();
        Form {
            title: title.into(),
            fields,
            focus: 0,
            original,
            scroll: 0,
            message: None,
            notes: Vec::new(),
            read_only: false,
        }
    }

    /// Unsaved: the text of some field differs from what was loaded.
    pub fn dirty(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.original)
            .any(|(f, o)| f.value() != o)
    }

    /// Marks the current values as saved.
    pub fn mark_saved(&mut self) {
        self.original = self.values();
    }

    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.value().to_string()).collect()
    }

    /// The values a draft keeps, by field key.
    pub fn draft_values(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|f| (f.id.key.to_string(), f.value().to_string()))
            .collect()
    }

    /// Puts back the values a draft kept, by field key (a key this form
    /// no longer has is skipped).
    pub fn restore_draft(&mut self, values: &BTreeMap<String, String>) {
        for f in &mut self.fields {
            if let Some(v) = values.get(f.id.key) {
                f.set(v);
            }
        }
    }

    /// Puts back the values of a draft kept by an older version, which
    /// listed them in field order.
    pub fn restore_in_order(&mut self, values: &[String]) {
        for (f, v) in self.fields.iter_mut().zip(values) {
            f.set(v);
        }
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    /// The trimmed text of a field ("" when there is no such field).
    pub fn get(&self, id: FieldId) -> String {
        self.field(id)
            .map(|f| f.value().trim().to_string())
            .unwrap_or_default()
    }

    pub fn set(&mut self, id: FieldId, v: &str) {
        if let Some(f) = self.field_mut(id) {
            f.set(v);
            f.error = None;
        }
    }

    pub fn set_error(&mut self, id: FieldId, msg: &str) {
        if let Some(f) = self.field_mut(id) {
            f.error = Some(msg.to_string());
        }
    }

    /// A problem the domain's checks found: they name the field by its
    /// label (the workbook's column, FORMATS.md), so it is found by label;
    /// false when no field of this form has it.
    pub fn set_error_labelled(&mut self, label: &str, msg: &str) -> bool {
        match self.fields.iter_mut().find(|f| f.label == label) {
            Some(f) => {
                f.error = Some(msg.to_string());
                true
            }
            None => false,
        }
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// Moves the focus to the first field with an error; true if any.
    pub fn focus_first_error(&mut self) -> bool {
        if let Some(i) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = i;
            return true;
        }
        false
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Checks every field's text (required, dates, amounts); true when all
    /// can be read.
    pub fn check_all(&mut self, today: NaiveDate) -> bool {
        let mut ok = true;
        for f in &mut self.fields {
            ok &= f.check(today, true);
        }
        ok
    }

    fn leave_field(&mut self, today: NaiveDate, to: usize) -> FormAction {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.check(today, true);
        }
        self.focus = to.min(self.fields.len().saturating_sub(1));
        FormAction::FieldLeft
    }

    pub fn key(&mut self, key: Key, today: NaiveDate) -> FormAction {
        let last = self.fields.len().saturating_sub(1);
        match key {
            Key::Tab | Key::Down => return self.leave_field(today, (self.focus + 1).min(last)),
            Key::BackTab | Key::Up => {
                return self.leave_field(today, self.focus.saturating_sub(1));
            }
            Key::Enter => {
                if self.focus >= last {
                    if let Some(f) = self.fields.get_mut(self.focus) {
                        f.check(today, true);
                    }
                    return FormAction::Save;
                }
                return self.leave_field(today, self.focus + 1);
            }
            Key::PageDown => return self.leave_field(today, last),
            Key::PageUp => return self.leave_field(today, 0),
            Key::F(6) | Key::Ctrl('s') => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.check(today, true);
                }
                return FormAction::Save;
            }
            Key::Esc => return FormAction::Leave,
            Key::F(7) => {
                return if matches!(self.focused().map(|f| &f.kind), Some(FieldKind::Ref(_))) {
                    FormAction::Pick
                } else {
                    FormAction::Handled
                };
            }
            _ => {}
        }
        let Some(f) = self.fields.get_mut(self.focus) else {
            return FormAction::NotMine;
        };
        let editing = matches!(
            key,
            Key::Char(_) | Key::Backspace | Key::Delete | Key::Ctrl('u')
        );
        if self.read_only && editing {
            return FormAction::NotMine;
        }
        match f.key(key) {
            FieldResult::Changed => FormAction::Changed,
            FieldResult::Moved => FormAction::Handled,
            FieldResult::Ignored => {
                if matches!(key, Key::Char(_)) {
                    FormAction::Handled
                } else {
                    FormAction::NotMine
                }
            }
        }
    }

    pub fn paste(&mut self, s: &str) -> bool {
        if self.read_only {
            return false;
        }
        match self.fields.get_mut(self.focus) {
            Some(f) => f.paste(s) == FieldResult::Changed,
            None => false,
        }
    }

    /// Title with the unsaved marker.
    pub fn full_title(&self) -> String {
        let mut t = format!(" {} ", self.title);
        if self.read_only {
            t.push_str("【只读】 ");
        } else if self.dirty() {
            t.push_str("[未保存] ");
        }
        t
    }

    /// Draws the form inside `area` (a block with borders) and returns
    /// where the terminal cursor goes: the caret of the focused field.
    pub fn render(
        &mut self,
        f: &mut Frame,
        area: Rect,
        theme: &Theme,
        today: NaiveDate,
    ) -> Option<(u16, u16)> {
        let block = theme.block(self.full_title());
        let inner = block.inner(area);
        f.render_widget(block, area);
        if inner.width < 20 || inner.height < 3 {
            return None;
        }
        let label_w = self
            .fields
            .iter()
            .map(|x| width(x.label) + 1)
            .max()
            .unwrap_or(8)
            .min(20);
        let avail = inner.width as usize;
        let input_w = 32usize.min(avail.saturating_sub(label_w + 3));
        // Rows: every field, plus one for each error under its field.
        let mut rows: Vec<(Line, Option<usize>)> = Vec::new();
        let mut cursor_row = None;
        let mut cursor_col = 0usize;
        for (i, fld) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let mark = if fld.required { "*" } else { " " };
            let label = format!("{}{}", pad_left_label(fld.label, label_w - 1), mark);
            let scroll = if focused {
                fld.input.visual_scroll(input_w.saturating_sub(1))
            } else {
                0
            };
            let shown = slice_cols(fld.value(), scroll, input_w);
            let hint = fld.hint(today, focused);
            let hint_w = avail.saturating_sub(label_w + 2 + input_w + 1);
            let lead = if focused { ">" } else { " " };
            let label_style = if focused {
                theme.focus()
            } else {
                ratatui::style::Style::default()
            };
            let line = Line::from(vec![
                Span::styled(lead, theme.focus()),
                Span::styled(label, label_style),
                Span::raw(" "),
                Span::styled(pad_right(&shown, input_w), theme.field()),
                Span::raw(" "),
                Span::styled(truncate_width(&hint, hint_w), theme.hint()),
            ]);
            if focused {
                cursor_row = Some(rows.len());
                cursor_col = 1 + label_w + 1 + fld.input.visual_cursor().saturating_sub(scroll);
            }
            rows.push((line, Some(i)));
            if let Some(e) = &fld.error {
                let msg = format!("{}  !! {}", " ".repeat(label_w), e);
                rows.push((
                    Line::from(Span::styled(truncate_width(&msg, avail), theme.error())),
                    None,
                ));
            }
        }
        if let Some(m) = &self.message {
            rows.push((
                Line::from(Span::styled(truncate_width(m, avail), theme.error())),
                None,
            ));
        }
        for n in &self.notes {
            rows.push((
                Line::from(Span::styled(truncate_width(n, avail), theme.warn())),
                None,
            ));
        }
        let h = inner.height as usize;
        // Keep the focused field and its error visible.
        if let Some(r) = cursor_row {
            let want_end = r + 2;
            if r < self.scroll {
                self.scroll = r;
            } else if want_end > self.scroll + h {
                self.scroll = want_end.saturating_sub(h);
            }
        }
        self.scroll = self.scroll.min(rows.len().saturating_sub(1));
        let visible: Vec<Line> = rows
            .into_iter()
            .skip(self.scroll)
            .take(h)
            .map(|(l, _)| l)
            .collect();
        f.render_widget(Paragraph::new(visible), inner);
        let r = cursor_row?;
        if r < self.scroll || r >= self.scroll + h {
            return None;
        }
        Some((
            inner.x + cursor_col.min(avail.saturating_sub(1)) as u16,
            inner.y + (r - self.scroll) as u16,
        ))
    }
}

fn pad_left_label(s: &str, w: usize) -> String {
    let t = truncate_width(s, w);
    crate::domain::text::pad_left(&t, w)
}

/// The part of `s` from display column `start`, at most `w` columns wide.
pub fn slice_cols(s: &str, start: usize, w: usize) -> String {
    let mut col = 0;
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if col < start {
            col += cw;
            continue;
        }
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out
}
