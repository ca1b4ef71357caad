//! The terminal user interface (`djtz` with no command). Sets the terminal
//! up and restores it on every exit path, panic included; on Windows it
//! also switches the console to UTF-8 and VT mode and puts it back.

pub mod app;
mod console;
pub(crate) mod drafts;
mod empty_ledger;
pub mod event;
pub(crate) mod figures;
pub(crate) mod keymap;
pub(crate) mod msg;
pub(crate) mod screen;
pub(crate) mod screens;
pub use screens::ScreenId;
pub(crate) mod theme;
pub(crate) mod widgets;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};

use crate::error::{Error, Result};
use crate::store::Store;
use app::App;
use event::{Input, KeyReader};

/// How long a lone Esc waits for a digit (Esc 5 = F5).
const ESC_WAIT: Duration = Duration::from_millis(300);

/// Where a crash log goes: next to the ledger.
fn crash_log_path(ledger: &Path) -> PathBuf {
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    ledger.with_file_name(format!("djtz-crash-{stamp}.log"))
}

/// Writes the panic to a crash log beside the ledger (before ratatui's own
/// hook restores the terminal).
fn install_crash_hook(ledger: &Path) {
    let ledger = ledger.to_path_buf();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let path = crash_log_path(&ledger);
        let bt = std::backtrace::Backtrace::force_capture();
        let _ = std::fs::write(
            &path,
            format!(
                "djtz {} 意外退出\n时间：{}\n台账：{}\n{info}\n\n{bt}\n",
                env!("CARGO_PKG_VERSION"),
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S"),
                ledger.display()
            ),
        );
        let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
        previous(info);
        eprintln!(
            "程序意外退出，详情已记录到 {}；正在编辑的内容已存为草稿，下次启动时可恢复。",
            path.display()
        );
    }));
}

/// Runs the TUI on the ledger at `path`.
pub fn run(path: &Path) -> Result<()> {
    let console = console::Console::setup();
    // A 0-byte file is never initialised unasked (it may be a failed copy).
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        if !empty_ledger::ask(path)? {
            return Err(empty_ledger::left_untouched(path));
        }
        Store::create_over_empty(path)?;
    }
    let store = Store::open(path)?;
    // The daily backup comes first: it is quick and must not be skipped.
    let backup_note = match store.daily_backup() {
        Ok(_) => None,
        Err(e) => Some(format!("今日自动备份失败：{}", e.message)),
    };
    install_crash_hook(path);
    crate::crash::arm(path, crate::crash::Mode::Tui);
    let mut terminal =
        ratatui::try_init().map_err(|e| Error::fail("terminal", format!("无法初始化终端：{e}")))?;
    crate::crash::terminal_taken(true);
    let _ = crossterm::execute!(std::io::stdout(), EnableBracketedPaste);
    let result = run_loop(&mut terminal, store, backup_note, console.note());
    let _ = crossterm::execute!(std::io::stdout(), DisableBracketedPaste);
    ratatui::restore();
    crate::crash::terminal_taken(false);
    // `console` is restored when it goes out of scope, after the terminal.
    let _ = std::io::stdout().flush();
    result
}

fn run_loop(
    terminal: &mut ratatui::DefaultTerminal,
    store: Store,
    backup_note: Option<String>,
    console_note: Option<&'static str>,
) -> Result<()> {
    let io = |e: std::io::Error| Error::fail("terminal", format!("终端读写出错：{e}"));
    let today = chrono::Local::now().date_naive();
    let mut app = App::new(store, today);
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    // First frame before anything heavy.
    terminal.draw(|f| app.draw(f)).map_err(io)?;
    app.load();
    if let Some(n) = backup_note.or(console_note.map(str::to_string)) {
        app.status = Some(n);
    }
    let mut reader = KeyReader::new();
    // When a lone Esc stops waiting for a digit.
    let mut esc_until: Option<Instant> = None;
    while !app.quit {
        terminal.draw(|f| app.draw(f)).map_err(io)?;
        let now = Instant::now();
        // The app says when its next tick is due (a draft, a look at the
        // ledger for other copies: app/timers.rs).
        let mut wait = app.wake_in(now);
        if let Some(t) = esc_until {
            wait = wait.min(t.saturating_duration_since(now));
        } else if app.figures_pending() {
            // Wake soon to show the figures the worker is computing.
            wait = wait.min(Duration::from_millis(50));
        }
        if crossterm::event::poll(wait).map_err(io)? {
            // Take everything waiting, then draw once.
            loop {
                let ev = crossterm::event::read().map_err(io)?;
                for input in reader.read(ev) {
                    app.handle(input);
                }
                if app.quit || !crossterm::event::poll(Duration::ZERO).map_err(io)? {
                    break;
                }
            }
            esc_until = match (reader.pending(), esc_until) {
                (false, _) => None,
                (true, None) => Some(Instant::now() + ESC_WAIT),
                (true, t) => t,
            };
        } else if esc_until.is_some_and(|t| Instant::now() >= t) {
            esc_until = None;
            if let Some(esc) = reader.flush() {
                app.handle(esc);
            }
        } else {
            app.handle(Input::Tick);
        }
        app.poll_figures();
    }
    Ok(())
}
