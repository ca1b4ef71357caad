//! Printing, exporting and the issued reports of the report screen (done
//! by `ops::issue`, shown here); the import (check first, then ask) and
//! the demo ledger.

use std::path::Path;

use super::layers::{Ask, Layer};
use super::{App, demo_path};
use crate::domain::dates::Month;
use crate::error::Result;
use crate::exchange::SettingsChoice;
use crate::ops::issue::{self, Output};
use crate::store::Store;
use crate::tui::drafts::DraftWriter;
use crate::tui::figures::Figures;
use crate::tui::msg::Msg;
use crate::tui::screen::Changed;
use crate::tui::screens::ScreenId;
use crate::tui::screens::register::RegList;
use crate::tui::widgets::dialogs::{Dialog, TextView, choice};

/// The import confirmation when the file's 设置 sheet differs.
const T_SETTINGS_DIFFER: &str = "文件“设置”表与台账现有设置不同：";
const T_SETTINGS_CHOICE: &str =
    "1 替换：改用文件中的设置；2 保留现有设置：只补上尚未设置的项；Esc 返回，不导入。";
const T_IMPORT_CANCELLED: &str = "已取消导入，台账未改动";

impl App {
    /// The month's report now (the same `compute` as everywhere).
    pub(super) fn current_report(&self, month: Month) -> Result<crate::report::MonthlyReport> {
        issue::current_report(&self.store, month)
    }

    /// Prints or exports the month's report into `dir` (`ops::issue`:
    /// archived as issued unless the printing failed) and says where the
    /// file went.
    pub(super) fn report_out(&mut self, month: Month, way: Output, dir: &Path) {
        let file = dir.join(crate::report::default_file_name(month, way.format()));
        let issued = self.current_report(month).and_then(|r| {
            crate::files::make_output_dir(dir, &self.store.protected())?;
            issue::issue(&self.store, &r, &self.settings, way, &file)
        });
        let done = match issued {
            Ok(d) => d,
            Err(e) => {
                self.status = Some(e.message);
                return;
            }
        };
        let mut lines = Vec::new();
        match &done.printed {
            Some(printed) => {
                lines.push(match printed {
                    Ok(p) => p.message().to_string(),
                    Err(e) => format!("未能打印：{}", e.message),
                });
                lines.push(format!("PDF 已保存为：{}", file.display()));
            }
            None => {
                lines.push(format!("{} 月报已导出到：", month.label()));
                lines.push(file.display().to_string());
            }
        }
        match done.archived {
            Ok(()) => lines.push("已存档为出具的月报（F4 查看此后变化的数字）".to_string()),
            Err(e) => lines.push(format!("本次出具未存档：{}", e.message)),
        }
        self.status = Some(format!("已导出到 {}", file.display()));
        self.reports.out_done();
        self.layers.push(Layer::View(TextView::new(
            if way == Output::Print {
                "打印"
            } else {
                "导出"
            },
            lines,
            "Esc 关闭",
        )));
    }

    /// The issued reports, newest first, each with the figures that
    /// changed since it was issued.
    pub(super) fn show_issued(&mut self) {
        let list = match issue::history(&self.store) {
            Ok(l) => l,
            Err(e) => {
                self.status = Some(e.message);
                return;
            }
        };
        if list.is_empty() {
            self.status = Some("还没有出具过月报（打印或导出后自动存档）".to_string());
            return;
        }
        let mut lines = Vec::new();
        for (it, changes) in &list {
            lines.push(format!(
                "{} 月报  {} 出具（{}）",
                it.month, it.issued_at, it.format
            ));
            match changes {
                Some(d) if d.is_empty() => lines.push("    此后数字没有变化".to_string()),
                Some(d) => {
                    lines.push(format!("    此后有 {} 项数字变化：", d.len()));
                    lines.extend(d.iter().map(|l| format!("      {l}")));
                }
                None => lines.push("    无法比较（存档无法读取）".to_string()),
            }
        }
        self.layers.push(Layer::View(TextView::new(
            format!("已出具的月报（{} 份）", list.len()),
            lines,
            "上下 PgUp PgDn 滚动；Esc 关闭",
        )));
    }

    pub(super) fn start_demo(&mut self) {
        let path = demo_path(self.store.path());
        let opened = Store::open(&path).and_then(|mut s| {
            if s.read_only().is_none() && s.is_empty()? {
                crate::demo::fill(
                    &mut s,
                    crate::demo::Scale::Small,
                    1,
                    &mut |_line: &str| {},
                    self.today,
                )?;
            }
            Ok(s)
        });
        match opened {
            Ok(s) => {
                self.figures = Figures::start(s.path());
                self.drafts = DraftWriter::start(s.path());
                self.version += 1;
                self.store = s;
                self.demo = true;
                self.sub = None;
                self.units = RegList::new();
                self.orgs = RegList::new();
                self.members = RegList::new();
                self.instructors = RegList::new();
                self.status = Some(match self.load_inner() {
                    Ok(()) => format!(
                        "已打开演示账本 {}（与正式台账分开，可随意试用）",
                        path.display()
                    ),
                    Err(e) => format!("演示账本已打开，但读取时出错：{}", e.message),
                });
            }
            Err(e) => self.status = Some(format!("无法建立演示账本：{}", e.message)),
        }
    }

    /// Checks (`dry`) or imports a file. The check takes the 设置 sheet as
    /// if replacing, so that its summary and `settings_conflicts` show what
    /// the file would change; the confirmation then asks.
    pub(super) fn import(&mut self, path: &Path, dry: bool, settings: SettingsChoice) {
        if self.refused_read_only() {
            return;
        }
        let mut opts = crate::exchange::ImportOptions::new(self.today);
        opts.dry_run = dry;
        opts.settings = if dry {
            SettingsChoice::Replace
        } else {
            settings
        };
        match crate::exchange::import_file(&mut self.store, path, &opts) {
            Err(e) if self.screen == ScreenId::Reports => self.reports.import_failed(&e.message),
            Err(e) => self.overview.import_failed(&e.message),
            Ok(rep) if !rep.errors.is_empty() => {
                let n = rep.errors.total();
                self.layers.push(Layer::View(TextView::new(
                    format!("导入检查：{n} 处错误，台账未改动"),
                    rep.errors.lines(),
                    "请在 Excel 中改正后再导入；Esc 关闭",
                )));
            }
            Ok(rep) if dry => {
                let mut lines: Vec<String> = rep
                    .sheets
                    .iter()
                    .map(|s| {
                        format!(
                            "{}：新增 {}，修改 {}，不变 {}",
                            s.sheet, s.added, s.updated, s.unchanged
                        )
                    })
                    .collect();
                lines.extend(rep.notes.iter().cloned());
                let asks = !rep.settings_conflicts.is_empty();
                if asks {
                    lines.push(T_SETTINGS_DIFFER.to_string());
                    lines.extend(rep.settings_conflicts.iter().map(|c| format!("  {c}")));
                    lines.push(T_SETTINGS_CHOICE.to_string());
                }
                lines.push(format!("共 {} 行。确定导入吗？", rep.rows()));
                let cancelled = Msg::Status(T_IMPORT_CANCELLED.to_string());
                let path = path.to_path_buf();
                self.ask(if asks {
                    Ask::new(Dialog::new(
                        "导入检查通过",
                        lines,
                        vec![
                            choice('Y', "1 替换"),
                            choice('N', "2 保留现有设置"),
                            choice('\u{1b}', "返回"),
                        ],
                        '\u{1b}',
                    ))
                    .on(
                        'Y',
                        Msg::ImportWith {
                            path: path.clone(),
                            settings: SettingsChoice::Replace,
                        },
                    )
                    .on(
                        'N',
                        Msg::ImportWith {
                            path,
                            settings: SettingsChoice::Keep,
                        },
                    )
                    .on('\u{1b}', cancelled)
                } else {
                    Ask::new(Dialog::new(
                        "导入检查通过",
                        lines,
                        vec![choice('Y', "导入"), choice('N', "取消")],
                        'N',
                    ))
                    .on(
                        'Y',
                        Msg::Import {
                            path,
                            dry_run: false,
                        },
                    )
                    .on('N', cancelled)
                });
            }
            Ok(rep) => {
                self.overview.import_done();
                self.reports.import_done();
                self.status = Some(format!("已导入 {} 行（Ctrl+Z 可整体撤销）", rep.rows()));
                self.after_change(Changed::Records);
            }
        }
    }
}
