//! The one in-process TUI harness: a ledger in a temporary folder, the
//! `App` on it at 80×24 fed keys through its own event handler, the screen
//! drawn on a TestBackend and read back as text, and the insta settings
//! whose filters take the time of day and the temporary folder out of a
//! snapshot. Used by tests/tui.rs, tests/tui_work.rs and tests/bounds.rs
//! through `mod common;`; each of them seeds its own ledger.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use djtz::store::Store;
use djtz::tui::app::App;
use djtz::tui::event::{Input, Key};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub type E<T> = Result<T, Box<dyn std::error::Error>>;
pub type R = E<()>;

/// The terminal every test draws on.
pub const SIZE: (u16, u16) = (80, 24);

/// What a snapshot shows in place of a clock string (a void or issue time).
pub const CLOCK: &str = "YYYY-MM-DD hh:mm:ss";

/// What a snapshot shows in place of a test's temporary folder.
pub const TMP: &str = "<临时文件夹>";

/// What a snapshot shows in place of a duration (`1.5 秒`, `120 ms`).
pub const DURATION: &str = "<用时>";

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The day every app of these tests believes it is.
pub fn today() -> NaiveDate {
    day(2026, 10, 20)
}

/// A temporary folder and the path of a ledger in it (not yet created).
pub fn tmp() -> E<(tempfile::TempDir, PathBuf)> {
    let d = tempfile::tempdir()?;
    let p = d.path().join("台账.db");
    Ok((d, p))
}

/// The insta settings of every TUI snapshot: the current ones plus filters
/// for clock strings, durations and the temporary folder, so a snapshot
/// depends neither on the time of day nor on where the test ran. Bind them
/// for the test with `filters()`.
pub fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    // 2026-10-20 14:03:59, and the ISO form 2026-10-20T14:03:59.123+08:00.
    s.add_filter(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?",
        CLOCK,
    );
    s.add_filter(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}",
        CLOCK,
    );
    s.add_filter(r"[0-9]+(\.[0-9]+)? ?(ms\b|毫秒|秒)", DURATION);
    // tempfile names its folders `.tmp` and six letters or digits, inside
    // the system's temporary folder.
    let base = std::env::temp_dir();
    let base = base.to_string_lossy();
    let base = base.trim_end_matches(['/', '\\']);
    s.add_filter(
        &format!(r"{}[/\\]\.tmp[0-9A-Za-z]+", regex_escape(base)),
        TMP,
    );
    s
}

/// The guard that keeps the snapshot filters bound while it lives.
pub type Filters = insta::internals::SettingsBindDropGuard;

/// The filters of `snapshot_settings` bound until the guard is dropped:
/// `let _filters = filters();` first thing in a test that snapshots.
pub fn filters() -> Filters {
    snapshot_settings().bind_to_scope()
}

/// `text` with every character that means something to a regex escaped.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Opens the ledger at `path` for writing. The sidecar lock of a store
/// just dropped is now and then still held for a moment while tests run
/// in parallel: wait for it rather than test a read-only ledger.
fn writer_at(path: &Path) -> E<Store> {
    let mut store = Store::open(path)?;
    for _ in 0..100 {
        if store.read_only().is_none() {
            break;
        }
        drop(store);
        std::thread::sleep(std::time::Duration::from_millis(20));
        store = Store::open(path)?;
    }
    Ok(store)
}

fn app_on(store: Store) -> App {
    let mut app = App::new(store, today());
    app.size = SIZE;
    app.load();
    app
}

/// The app on the ledger at `path`, for writing, with the month's figures
/// in (they come from a worker thread: tests must see the same screen
/// every run).
pub fn app_at(path: &Path) -> E<App> {
    let mut app = app_on(writer_at(path)?);
    app.settle();
    Ok(app)
}

/// Like `app_at`, but before anything is taken from the worker thread.
pub fn app_unsettled(path: &Path) -> E<App> {
    Ok(app_on(writer_at(path)?))
}

/// The app on a ledger that another `Store` holds for writing: opened once,
/// read-only as found, figures in.
pub fn app_beside_writer(path: &Path) -> E<App> {
    let mut app = app_on(Store::open(path)?);
    app.settle();
    Ok(app)
}

/// Presses keys, each once the figures it asks for are in.
pub fn keys(app: &mut App, ks: &[Key]) {
    for k in ks {
        app.handle(Input::Key(*k));
        app.settle();
    }
}

/// Types `s` a character at a time, as `keys` presses them.
pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle(Input::Key(Key::Char(c)));
        app.settle();
    }
}

/// Draws the app at 80×24: the buffer as text (a wide character once, not
/// followed by its blank second cell) and the terminal cursor.
fn draw(app: &mut App) -> E<(String, (u16, u16))> {
    let mut t = Terminal::new(TestBackend::new(SIZE.0, SIZE.1))?;
    t.draw(|f| app.draw(f))?;
    let p = t.get_cursor_position()?;
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push('\n');
    }
    Ok((out, (p.x, p.y)))
}

/// The screen's text once the worker's figures are in.
pub fn text(app: &mut App) -> E<String> {
    app.settle();
    text_now(app)
}

/// The screen's text as it is, figures in or not.
pub fn text_now(app: &mut App) -> E<String> {
    Ok(draw(app)?.0)
}

/// Where the terminal cursor is shown (column, row).
pub fn cursor(app: &mut App) -> E<(u16, u16)> {
    Ok(draw(app)?.1)
}
