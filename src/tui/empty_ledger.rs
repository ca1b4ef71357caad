//! The question asked before the TUI opens a ledger file of 0 bytes: it
//! may be a copy or a save that did not finish (then the data is to be
//! restored from a backup, and the file must stay as it is), or the clerk
//! made the empty file on purpose to start a new ledger there. Only F6
//! creates (a key pressed on purpose, never a digit typed out of habit);
//! Esc or F10 leaves the file untouched.

use std::path::Path;

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Theme;
use super::widgets::fkey_bar;
use crate::error::{Error, Result};

/// Every text of this screen.
mod text {
    pub const TITLE: &str = " 台账文件是空的 ";
    pub const FILE: &str = "文件：";
    pub const BODY: &[&str] = &[
        "",
        "这个台账文件的大小为 0 字节，里面没有任何数据。",
        "它可能是复制、下载或保存没有完成的文件：原来的数据请从备份恢复",
        "（djtz restore 备份文件），不要在这里新建，以免覆盖。",
        "",
        "如果您本来就想在这里新建一个台账，请按 F6。",
        "按 Esc 或 F10 退出，文件不会被改动。",
    ];
    pub const KEYS: &[(u8, &str)] = &[(6, "新建台账"), (10, "退出")];
    pub const LEFT: &str = "没有新建台账，空文件未改动";
}

/// Asks; true when the clerk chose to create a new ledger there.
pub fn ask(path: &Path) -> Result<bool> {
    let io = |e: std::io::Error| Error::fail("terminal", format!("终端读写出错：{e}"));
    let mut terminal =
        ratatui::try_init().map_err(|e| Error::fail("terminal", format!("无法初始化终端：{e}")))?;
    let theme = Theme::new(false);
    let file = format!("{}{}", text::FILE, path.display());
    let answer = loop {
        let drawn = terminal.draw(|f| {
            let [main, bar] =
                Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(f.area());
            let mut lines = vec![Line::from(file.as_str())];
            lines.extend(text::BODY.iter().map(|l| Line::from(*l)));
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(theme.block(text::TITLE)),
                main,
            );
            fkey_bar::render(f, bar, &theme, text::KEYS);
        });
        if let Err(e) = drawn {
            break Err(io(e));
        }
        match crossterm::event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::F(6) => break Ok(true),
                KeyCode::F(10) | KeyCode::Esc => break Ok(false),
                KeyCode::Char('c' | 'q') if k.modifiers.contains(KeyModifiers::CONTROL) => {
                    break Ok(false);
                }
                _ => {}
            },
            Ok(_) => {}
            Err(e) => break Err(io(e)),
        }
    };
    ratatui::restore();
    answer
}

/// The error when the clerk left without creating.
pub fn left_untouched(path: &Path) -> Error {
    Error::input(
        "empty-ledger",
        format!("台账文件是空的（{}）：{}", path.display(), text::LEFT),
    )
}
