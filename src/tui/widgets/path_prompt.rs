//! A small form asking for a path: the workbook to import, the folder a
//! report goes to. Both screens that import (概览, 报表) and the report
//! output use it, so a path is read the same way everywhere: the quotes
//! Windows' 复制文件地址 puts around a pasted path are dropped, an empty path
//! is refused in place, and what the app found wrong with it shows under
//! the field until the clerk types again or leaves.

use std::path::PathBuf;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::fields::{Field, FieldId, FieldKind};
use super::form::{Form, FormAction};
use crate::tui::event::Key;
use crate::tui::theme::Theme;

/// The import's path field and texts (one place for both screens).
const F_WORKBOOK: FieldId = FieldId::new("path", "文件路径");
const T_NO_WORKBOOK: &str = "请填写要导入的文件路径，如 D:\\台账.xlsx";
const T_IMPORT_NOTE: &str = "回车：先检查（不写入），列出全部错误；无误后再确认导入";

/// What a key did to the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompted {
    /// Still asking.
    Open,
    /// Esc: the clerk gave up.
    Closed,
    /// Enter or F6 with a path.
    Path(PathBuf),
}

#[derive(Debug, Clone)]
pub struct PathPrompt {
    pub form: Form,
    path: FieldId,
    /// Said under the field when Enter is pressed on an empty path.
    empty: &'static str,
    /// What the app could not do with the path given.
    error: Option<String>,
}

impl PathPrompt {
    /// A prompt with `fields` (the path field among them, named `path`).
    pub fn new(
        title: impl Into<String>,
        fields: Vec<Field>,
        path: FieldId,
        empty: &'static str,
    ) -> Self {
        PathPrompt {
            form: Form::new(title, fields),
            path,
            empty,
            error: None,
        }
    }

    /// The workbook to import, under `title`.
    pub fn import(title: &str) -> Self {
        let mut p = PathPrompt::new(
            title,
            vec![Field::new(F_WORKBOOK, FieldKind::Text, true, "")],
            F_WORKBOOK,
            T_NO_WORKBOOK,
        );
        p.form.notes = vec![T_IMPORT_NOTE.to_string()];
        p
    }

    /// Lines under the fields.
    pub fn with_notes(mut self, notes: &[&str]) -> Self {
        self.form.notes = notes.iter().map(|n| n.to_string()).collect();
        self
    }

    /// What the app found wrong with the path (shown until the next key).
    pub fn failed(&mut self, msg: &str) {
        self.error = Some(msg.to_string());
    }

    pub fn key(&mut self, key: Key, today: NaiveDate) -> Prompted {
        match self.form.key(key, today) {
            FormAction::Leave => Prompted::Closed,
            FormAction::Save => {
                let p = unquote(&self.form.get(self.path));
                if p.is_empty() {
                    self.form.set_error(self.path, self.empty);
                    Prompted::Open
                } else {
                    Prompted::Path(p.into())
                }
            }
            FormAction::Changed => {
                self.error = None;
                Prompted::Open
            }
            _ => Prompted::Open,
        }
    }

    pub fn paste(&mut self, s: &str) {
        self.form.paste(s.trim());
    }

    pub fn render(
        &mut self,
        f: &mut Frame,
        area: Rect,
        theme: &Theme,
        today: NaiveDate,
    ) -> Option<(u16, u16)> {
        self.form.message = self.error.clone();
        self.form.render(f, area, theme, today)
    }
}

/// A path without the quotes a copied Windows path comes in.
fn unquote(s: &str) -> String {
    s.trim()
        .trim_matches('"')
        .trim_matches('\'')
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
    }

    /// A path pasted with Windows' quotes is taken without them; an empty
    /// one is refused under the field and nothing is sent.
    #[test]
    fn a_pasted_windows_path_loses_its_quotes() {
        let mut p = PathPrompt::import("导入");
        assert_eq!(p.key(Key::Enter, today()), Prompted::Open);
        assert_eq!(
            p.form.field(F_WORKBOOK).and_then(|f| f.error.clone()),
            Some(T_NO_WORKBOOK.to_string())
        );
        p.paste("  \"D:\\台账 2026.xlsx\"\n");
        assert_eq!(
            p.key(Key::Enter, today()),
            Prompted::Path(PathBuf::from("D:\\台账 2026.xlsx"))
        );
        assert_eq!(p.key(Key::Esc, today()), Prompted::Closed);
    }

    /// The app's complaint about the path stays until the clerk types.
    #[test]
    fn the_error_goes_when_the_path_is_changed() {
        let mut p = PathPrompt::import("导入");
        p.failed("找不到文件");
        assert_eq!(p.error.as_deref(), Some("找不到文件"));
        p.key(Key::Char('x'), today());
        assert_eq!(p.error, None);
    }
}
