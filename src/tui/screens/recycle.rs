//! 回收站: every voided record, marked 【作废】; F8 restores, Delete purges
//! after asking twice (never on Enter). Reached with F2 from every list.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::Ctx;
use crate::store::{RecycleItem, personal_labels};
use crate::tui::event::Key;
use crate::tui::msg::Msg;
use crate::tui::screen::{Changed, Command, Data, Screen, Want};
use crate::tui::widgets::table::{self, Column, col};

const COLUMNS: &[Column] = &[
    col("类别", 8, None),
    col("作废时间", 19, None),
    col("内容", 30, None),
];

/// What the purge dialog says of a record with personal data (a member,
/// an instructor): which fields the purge erases from the audit log, and
/// what stays there.
pub fn purge_note(table: &str) -> Option<String> {
    let labels = personal_labels(table);
    let fields = match labels.as_slice() {
        [] => return None,
        [one] => one.to_string(),
        [rest @ .., last] => format!("{}和{last}", rest.join("、")),
    };
    Some(format!(
        "彻底删除后：{fields}将从操作日志中抹去；操作日志仍保留“曾有此人、何时增删改”的记录。撤销也找不回这几项；已有的备份文件不受影响。"
    ))
}

const COMMANDS: &[Command] = &[
    Command::keys("上下 PgUp PgDn", "移动"),
    Command::f(8, "恢复", "F8", "恢复所选记录（Ctrl+Z 可撤销）"),
    Command::keys(
        "Delete",
        "彻底删除：要按两次 Y 确认，回车不会删除；党员、指导员的身份证号、手机号同时从操作日志中抹去",
    ),
    Command::keys("Esc", "返回原来的列表"),
];

#[derive(Debug, Clone, Default)]
pub struct Recycle {
    pub items: Vec<RecycleItem>,
    pub sel: usize,
    top: usize,
    pub stale: bool,
}

impl Screen for Recycle {
    fn commands(&self) -> Vec<Command> {
        COMMANDS.to_vec()
    }

    fn wants(&self, _cx: &Ctx) -> Vec<Want> {
        if self.stale {
            vec![Want::RecycleBin]
        } else {
            Vec::new()
        }
    }

    fn give(&mut self, data: Data, _cx: &Ctx) -> std::result::Result<(), String> {
        if let Data::RecycleBin(items) = data {
            self.items = items;
            self.stale = false;
            self.sel = self.sel.min(self.items.len().saturating_sub(1));
        }
        Ok(())
    }

    fn changed(&mut self, what: Changed) {
        if what == Changed::Records {
            self.stale = true;
        }
    }

    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        match key {
            Key::Up => self.sel = self.sel.saturating_sub(1),
            Key::Down => self.sel = (self.sel + 1).min(self.items.len().saturating_sub(1)),
            Key::PageUp => self.sel = self.sel.saturating_sub(10),
            Key::PageDown => self.sel = (self.sel + 10).min(self.items.len().saturating_sub(1)),
            Key::Home => self.sel = 0,
            Key::End => self.sel = self.items.len().saturating_sub(1),
            Key::F(8) | Key::Delete => {
                if let Some(why) = cx.read_only {
                    out.push(Msg::Status(why.to_string()));
                    return true;
                }
                if let Some(it) = self.items.get(self.sel) {
                    let title = format!("{}：{}", it.kind, it.title);
                    out.push(if key == Key::F(8) {
                        Msg::Restore {
                            table: it.table,
                            id: it.id,
                            title,
                        }
                    } else {
                        Msg::AskPurge {
                            table: it.table,
                            id: it.id,
                            title,
                        }
                    });
                }
            }
            _ => return false,
        }
        true
    }

    fn status(&self) -> String {
        if self.items.is_empty() {
            "回收站是空的".to_string()
        } else {
            format!("第 {}/{} 条", self.sel + 1, self.items.len())
        }
    }

    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        let block = cx.theme.block(format!(
            " 回收站（{} 条）F8 恢复  Delete 彻底删除  Esc 返回 ",
            self.items.len()
        ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let h = (inner.height as usize).saturating_sub(1).max(1);
        crate::tui::widgets::keep_in_view(&mut self.top, self.sel, h);
        let rows: Vec<Vec<String>> = self
            .items
            .iter()
            .skip(self.top)
            .take(h)
            .map(|it| {
                vec![
                    it.kind.to_string(),
                    it.voided_at.clone(),
                    format!("【作废】{}", it.title),
                ]
            })
            .collect();
        table::render(
            f,
            inner,
            &cx.theme,
            &table::View {
                cols: COLUMNS,
                rows: &rows,
                selected: Some(self.sel - self.top),
                sorted: None,
                empty_text: "回收站是空的",
            },
        );
        None
    }
}
