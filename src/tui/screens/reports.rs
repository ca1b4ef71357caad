//! 8 报表: the month's report as printed, page by page (the txt
//! renderer's A4 pages, the same figures as every other format); F9 prints
//! it or exports PDF / XLSX / HTML / CSV / TXT into a folder the clerk
//! chooses; F4 lists the issued reports with what changed since; F7 imports
//! an Excel ledger (checked first, every error listed), F8 undoes the last
//! import.

use std::path::PathBuf;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Ctx;
use super::form_keys;
use super::month::{MONTH_COMMAND, month_key};
use crate::domain::dates::Month;
use crate::domain::text::{pad_right, truncate_width};
use crate::report::{Format, MonthlyReport};
use crate::tui::event::Key;
use crate::tui::msg::{Msg, Output};
use crate::tui::screen::{Changed, Command, Data, Screen, Want};
use crate::tui::widgets::fields::FieldId;
use crate::tui::widgets::fields::{Field, FieldKind};
use crate::tui::widgets::path_prompt::{PathPrompt, Prompted};

// UI text of this screen.
const F_WAY: FieldId = FieldId::new("way", "方式");
const F_DIR: FieldId = FieldId::new("folder", "保存到文件夹");
const T_IMPORT: &str = "从 Excel 导入台账";
const T_NO_DIR: &str = "请填写保存的文件夹";
const T_OUT_PRINT: &str = "打印：生成 PDF 并发送到默认打印机（PDF 也保存在该文件夹）";
const T_OUT_ARCHIVED: &str = "出具的月报都会存档，可按 F4 查看此后变化的数字";
const WAYS: &[&str] = &["打印", "PDF", "XLSX", "HTML", "CSV", "TXT"];

const COMMANDS: &[Command] = &[
    Command::keys("左右", "上一页 / 下一页"),
    Command::keys("上下", "在本页内滚动"),
    MONTH_COMMAND,
    Command::f(4, "已出具", "F4", "已出具的月报，以及此后变化了的数字"),
    Command::f(
        7,
        "导入",
        "F7",
        "导入 Excel 台账（先检查，列出全部错误，确认后才写入）",
    ),
    Command::f(8, "撤销导入", "F8", "撤销最近一次导入"),
    Command::f(
        9,
        "打印导出",
        "F9",
        "打印（PDF 发送到默认打印机，同时保存文件）或导出 PDF/XLSX/HTML/CSV/TXT",
    ),
];
const IMPORT_COMMANDS: &[Command] = &[
    Command::keys("输入", "文件路径（.xlsx 或 .csv，可带引号）"),
    Command::f(6, "检查", "F6 回车", "检查文件：列出全部错误，确认后才写入"),
    Command::keys("Esc", "返回，不导入"),
];
const OUT_COMMANDS: &[Command] = &[
    Command::keys("空格 / 数字", "方式：打印或导出的格式"),
    Command::keys("Tab 上下", "在 方式 / 文件夹 之间移动"),
    Command::f(6, "确定", "F6 回车", "打印或导出到所填文件夹"),
    Command::keys("Esc", "返回，不打印"),
];

pub struct Reports {
    pub month: Month,
    pub stale: bool,
    /// The figures the pages show (None while they are being computed).
    report: Option<Arc<MonthlyReport>>,
    pages: Vec<Vec<String>>,
    pub page: usize,
    scroll: usize,
    view_h: usize,
    /// F9: how and where.
    pub out: Option<PathPrompt>,
    /// F7: the file to import.
    pub import: Option<PathPrompt>,
}

/// The Documents folder (`directories::UserDirs`), else home, else here.
pub fn default_folder() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| {
            u.document_dir()
                .map(|d| d.to_path_buf())
                .or_else(|| Some(u.home_dir().to_path_buf()))
        })
        .unwrap_or_else(|| PathBuf::from("."))
}

impl Reports {
    pub fn new(month: Month) -> Self {
        Reports {
            month,
            stale: true,
            report: None,
            pages: Vec::new(),
            page: 0,
            scroll: 0,
            view_h: 20,
            out: None,
            import: None,
        }
    }

    pub fn pages(&self) -> usize {
        self.pages.len()
    }

    pub fn import_failed(&mut self, msg: &str) {
        self.import
            .get_or_insert_with(|| PathPrompt::import(T_IMPORT))
            .failed(msg);
    }

    pub fn import_done(&mut self) {
        self.import = None;
        self.stale = true;
    }

    fn open_import(&mut self) {
        self.import = Some(PathPrompt::import(T_IMPORT));
    }

    /// Opens the F9 form (default folder: Documents).
    pub fn open_out(&mut self, folder: &std::path::Path) {
        let fields = vec![
            Field::new(F_WAY, FieldKind::Choice(WAYS.to_vec()), true, "XLSX"),
            Field::new(F_DIR, FieldKind::Text, true, &folder.display().to_string()),
        ];
        let title = format!("打印或导出 {} 月报", self.month.label());
        self.out = Some(
            PathPrompt::new(title, fields, F_DIR, T_NO_DIR)
                .with_notes(&[T_OUT_PRINT, T_OUT_ARCHIVED]),
        );
    }

    /// The output is done (or failed): the form closes.
    pub fn out_done(&mut self) {
        self.out = None;
    }

    /// Lays out the pages of the month's figures as they came from the
    /// worker; None: they are being computed.
    fn show(&mut self, r: Option<Arc<MonthlyReport>>, cx: &Ctx) {
        let same = match (&self.report, &r) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if same && !self.stale {
            return;
        }
        self.stale = false;
        self.pages = match &r {
            Some(r) => crate::report::pages(r, cx.settings),
            None => Vec::new(),
        };
        // The page turned to stays while the figures are recomputed.
        if r.is_some() {
            self.page = self.page.min(self.pages.len().saturating_sub(1));
        }
        self.report = r;
    }
}

impl Screen for Reports {
    fn commands(&self) -> Vec<Command> {
        if self.import.is_some() {
            IMPORT_COMMANDS.to_vec()
        } else if self.out.is_some() {
            OUT_COMMANDS.to_vec()
        } else {
            COMMANDS.to_vec()
        }
    }

    fn month(&self) -> Option<Month> {
        Some(self.month)
    }

    fn wants(&self, _cx: &Ctx) -> Vec<Want> {
        vec![Want::Figures(self.month)]
    }

    fn give(&mut self, data: Data, cx: &Ctx) -> std::result::Result<(), String> {
        if let Data::Figures(r) = data {
            self.show(r, cx);
        }
        Ok(())
    }

    fn changed(&mut self, _what: Changed) {
        self.stale = true;
    }

    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        if form_keys::import_key(&mut self.import, key, cx.today, out) {
            return true;
        }
        if let Some(p) = &mut self.out {
            match p.key(key, cx.today) {
                Prompted::Path(dir) => {
                    let way = match p.form.get(F_WAY).as_str() {
                        "打印" => Output::Print,
                        "PDF" => Output::File(Format::Pdf),
                        "HTML" => Output::File(Format::Html),
                        "CSV" => Output::File(Format::Csv),
                        "TXT" => Output::File(Format::Txt),
                        _ => Output::File(Format::Xlsx),
                    };
                    out.push(Msg::ReportOut {
                        month: self.month,
                        way,
                        dir,
                    });
                }
                Prompted::Closed => self.out = None,
                Prompted::Open => {}
            }
            return true;
        }
        if let Some(m) = month_key(key, self.month, cx) {
            self.month = m;
            self.stale = true;
            self.page = 0;
            self.scroll = 0;
            return true;
        }
        match key {
            Key::Left => {
                self.page = self.page.saturating_sub(1);
                self.scroll = 0;
            }
            Key::Right => {
                self.page = (self.page + 1).min(self.pages.len().saturating_sub(1));
                self.scroll = 0;
            }
            Key::Up => self.scroll = self.scroll.saturating_sub(1),
            Key::Down => self.scroll += 1,
            Key::End => self.scroll = usize::MAX,
            Key::F(9) => self.open_out(&default_folder()),
            Key::F(4) => out.push(Msg::ShowIssued),
            Key::F(7) => {
                if let Some(why) = cx.read_only {
                    out.push(Msg::Status(why.to_string()));
                } else {
                    self.open_import();
                }
            }
            Key::F(8) => out.push(Msg::UndoImport),
            _ => return false,
        }
        true
    }

    fn paste(&mut self, s: &str) {
        if let Some(p) = self.import.as_mut().or(self.out.as_mut()) {
            p.paste(s);
        }
    }

    fn status(&self) -> String {
        format!(
            "第 {}/{} 页 | 预览",
            (self.page + 1).min(self.pages.len()),
            self.pages.len()
        )
    }

    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        let theme = cx.theme;
        let w = area.width as usize;
        let mut lines = vec![Line::from(Span::styled(
            pad_right(
                &truncate_width(
                    &format!(
                        " 打印预览 {}  第 {}/{} 页（A4）  左右 翻页  上下 滚动  F9 打印/导出",
                        self.month.label(),
                        (self.page + 1).min(self.pages.len()),
                        self.pages.len()
                    ),
                    w,
                ),
                w,
            ),
            theme.header(),
        ))];
        self.view_h = (area.height as usize).saturating_sub(1);
        if self.report.is_none() {
            lines.push(Line::from(Span::styled(
                format!("  {}", super::overview::T_COMPUTING),
                theme.dim(),
            )));
        }
        if let Some(p) = self.pages.get(self.page) {
            let max = p.len().saturating_sub(self.view_h);
            self.scroll = self.scroll.min(max);
            for l in p.iter().skip(self.scroll).take(self.view_h) {
                lines.push(Line::from(truncate_width(l, w)));
            }
        }
        f.render_widget(Paragraph::new(lines), area);
        let overlay = |form: &mut PathPrompt, f: &mut Frame, h: u16| {
            let r = Rect {
                x: area.x,
                y: area.y + 2,
                width: area.width,
                height: h.min(area.height.saturating_sub(2)),
            };
            f.render_widget(ratatui::widgets::Clear, r);
            form.render(f, r, &theme, cx.today)
        };
        if let Some(form) = &mut self.import {
            return overlay(form, f, 6);
        }
        if let Some(form) = &mut self.out {
            return overlay(form, f, 7);
        }
        None
    }

    fn text_focus(&self) -> bool {
        self.out.is_some() || self.import.is_some()
    }
}
