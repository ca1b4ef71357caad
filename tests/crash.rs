//! Crash safety (issue 11): the real binary is killed with SIGKILL at
//! random moments during an import, an undo, a restore, a backup and a TUI
//! save, 30 times each. After every kill the ledger opens, passes the full
//! check, and holds either the state before or the state after — never
//! half of it; no backup's name holds a broken file; no draft survives a
//! save that completed.
//!
//! The seed is printed; `DJTZ_CRASH_SEED=N cargo test --test crash` runs
//! the same kill moments again.

#![cfg(all(unix, not(target_env = "musl")))]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use djtz::domain::records::*;
use djtz::store::Store;

const KILLS: usize = 30;

/// A small deterministic generator (xorshift), seeded per test.
struct Rng(u64);

impl Rng {
    fn new(name: &str) -> Rng {
        let seed = std::env::var("DJTZ_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        eprintln!("{name}: DJTZ_CRASH_SEED={seed}");
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_djtz")
}

fn djtz(db: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Runs djtz and kills it after `after`; true when it was killed (false:
/// it had already finished).
fn run_and_kill(db: &Path, args: &[&std::ffi::OsStr], after: Duration) -> bool {
    let mut child = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let killed = child.try_wait().unwrap().is_none();
    // SIGKILL: no destructor, no cleanup, as a power cut or Task Manager.
    let _ = child.kill();
    let _ = child.wait();
    killed
}

fn time_of(db: &Path, args: &[&std::ffi::OsStr]) -> Duration {
    let started = Instant::now();
    let out = Command::new(bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    started.elapsed()
}

/// What a ledger holds, counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    units: i64,
    members: i64,
    meetings: i64,
    dues: i64,
}

/// Opens the ledger as the next start would (rolling back an interrupted
/// save), runs the full check and counts.
fn open_and_check(db: &Path) -> Counts {
    let s = Store::open(db).unwrap_or_else(|e| panic!("{}: {e}", db.display()));
    let p = s.problems().unwrap();
    assert!(p.is_empty(), "{}: {}", db.display(), p.summary());
    Counts {
        units: s.count::<Unit>().unwrap(),
        members: s.count::<Member>().unwrap(),
        meetings: s.count::<Meeting>().unwrap(),
        dues: s.count::<Dues>().unwrap(),
    }
}

/// Every file in `dir` that carries a real name (not a temporary one) is a
/// whole ledger copy that opens and passes the check.
fn only_whole_backups(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.contains(djtz::files::TEMP_MARK) {
            continue;
        }
        assert!(
            name.ends_with(".db"),
            "{name}: only backups have a real name in {}",
            dir.display()
        );
        let copy =
            std::env::temp_dir().join(format!("djtz-crash-check-{}-{name}", std::process::id()));
        std::fs::copy(e.path(), &copy).unwrap();
        let s = Store::open_for_check(&copy).unwrap_or_else(|err| panic!("{name}: {err}"));
        let p = s.problems().unwrap();
        assert!(p.is_empty(), "{name}: {}", p.summary());
        drop(s);
        let _ = std::fs::remove_file(&copy);
        n += 1;
    }
    n
}

/// The small demo ledger, its export, and that export imported into a new
/// ledger (made once per test).
struct Fixture {
    dir: tempfile::TempDir,
    demo: PathBuf,
    book: PathBuf,
    imported: PathBuf,
    full: Counts,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.db");
    djtz(&demo, &["demo"]);
    let book = dir.path().join("台账.xlsx");
    djtz(&demo, &["export", book.to_str().unwrap()]);
    let imported = dir.path().join("imported.db");
    djtz(&imported, &["import", book.to_str().unwrap()]);
    let full = open_and_check(&imported);
    Fixture {
        dir,
        demo,
        book,
        imported,
        full,
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn empty_counts() -> Counts {
    Counts {
        units: 0,
        members: 0,
        meetings: 0,
        dues: 0,
    }
}

#[test]
fn killed_imports_leave_nothing_or_everything() {
    let fx = fixture();
    let mut rng = Rng::new("import");
    let args = [os("import"), fx.book.as_os_str()];
    let probe = fx.dir.path().join("probe.db");
    let span = time_of(&probe, &args);
    let (mut before, mut after) = (0, 0);
    for i in 0..KILLS {
        let db = fx.dir.path().join(format!("i{i}.db"));
        let wait = Duration::from_millis(rng.below(span.as_millis() as u64 + 50));
        run_and_kill(&db, &args, wait);
        if !db.exists() {
            // Killed before the new ledger was linked to its name.
            before += 1;
            continue;
        }
        let c = open_and_check(&db);
        if c == empty_counts() {
            before += 1;
        } else {
            assert_eq!(c, fx.full, "kill {i} after {wait:?}: half an import");
            after += 1;
        }
        let _ = std::fs::remove_file(&db);
    }
    eprintln!("import: {before} untouched, {after} complete");
}

#[test]
fn killed_undos_leave_the_import_or_nothing() {
    let fx = fixture();
    let mut rng = Rng::new("undo");
    let args = [os("import"), os("--undo-last")];
    let probe = fx.dir.path().join("probe.db");
    std::fs::copy(&fx.imported, &probe).unwrap();
    let span = time_of(&probe, &args);
    for i in 0..KILLS {
        let db = fx.dir.path().join(format!("u{i}.db"));
        std::fs::copy(&fx.imported, &db).unwrap();
        let wait = Duration::from_millis(rng.below(span.as_millis() as u64 + 50));
        run_and_kill(&db, &args, wait);
        let c = open_and_check(&db);
        assert!(
            c == fx.full || c == empty_counts(),
            "kill {i} after {wait:?}: half an undo: {c:?}"
        );
        let _ = std::fs::remove_file(&db);
    }
}

#[test]
fn killed_restores_leave_one_whole_ledger() {
    let fx = fixture();
    let mut rng = Rng::new("restore");
    // The backup to restore: the demo ledger; the ledger restored over:
    // one unit only, so the two states are told apart.
    let small = fx.dir.path().join("small.db");
    {
        let mut s = Store::open(&small).unwrap();
        let mut u = Unit::new("唯一的单位", djtz::domain::enums::UnitKind::Social);
        s.save(&mut u).unwrap();
    }
    let small_counts = open_and_check(&small);
    let demo_counts = open_and_check(&fx.demo);
    let args = [os("restore"), fx.demo.as_os_str()];
    let probe = fx.dir.path().join("probe.db");
    std::fs::copy(&small, &probe).unwrap();
    let span = time_of(&probe, &args);
    for i in 0..KILLS {
        let sub = fx.dir.path().join(format!("r{i}"));
        std::fs::create_dir(&sub).unwrap();
        let db = sub.join("台账.db");
        std::fs::copy(&small, &db).unwrap();
        let wait = Duration::from_millis(rng.below(span.as_millis() as u64 + 30));
        run_and_kill(&db, &args, wait);
        let c = open_and_check(&db);
        assert!(
            c == small_counts || c == demo_counts,
            "kill {i} after {wait:?}: {c:?}"
        );
        only_whole_backups(&sub.join("备份"));
        // The backup restored from is never written.
        assert_eq!(open_and_check(&fx.demo), demo_counts);
    }
}

#[test]
fn killed_backups_leave_no_broken_file_under_a_backup_name() {
    let fx = fixture();
    let mut rng = Rng::new("backup");
    let demo_counts = open_and_check(&fx.demo);
    let out = fx.dir.path().join("备份一");
    let args = [os("backup"), out.as_os_str()];
    let span = time_of(&fx.demo, &args);
    std::fs::remove_dir_all(&out).unwrap();
    let mut killed = 0;
    for _ in 0..KILLS {
        let wait = Duration::from_millis(rng.below(span.as_millis() as u64 + 10));
        if run_and_kill(&fx.demo, &args, wait) {
            killed += 1;
        }
    }
    let whole = only_whole_backups(&out);
    eprintln!("backup: {killed} killed mid-way, {whole} whole backups");
    assert_eq!(open_and_check(&fx.demo), demo_counts);
}

/// tmux on a private socket, for one TUI run.
struct Tmux {
    sock: String,
}

impl Tmux {
    fn start(db: &Path, n: usize) -> Tmux {
        let sock = format!("djtz-crash-{}-{n}", std::process::id());
        let cmd = format!("{} --db '{}'", bin(), db.display());
        let ok = Command::new("tmux")
            .args([
                "-u",
                "-L",
                &sock,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "80",
                "-y",
                "24",
            ])
            .args(["-e", "TERM=xterm-256color", "-e", "LANG=C.UTF-8"])
            .arg(cmd)
            .status()
            .unwrap();
        assert!(ok.success());
        Tmux { sock }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-u", "-L", &self.sock])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", text]);
    }

    fn wait_for(&self, text: &str) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if self.tmux(&["capture-pane", "-p", "-t", "0"]).contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "{text} not on screen:\n{}",
            self.tmux(&["capture-pane", "-p", "-t", "0"])
        );
    }

    fn pid(&self) -> i32 {
        self.tmux(&["list-panes", "-t", "0", "-F", "#{pane_pid}"])
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

#[test]
fn killed_tui_saves_keep_the_record_or_its_draft_never_both() {
    let fx = fixture();
    let mut rng = Rng::new("tui");
    let mut saved = 0;
    for i in 0..KILLS {
        let db = fx.dir.path().join(format!("t{i}.db"));
        std::fs::copy(&fx.demo, &db).unwrap();
        // Today's automatic backup exists already for every copy.
        let t = Tmux::start(&db, i);
        t.wait_for("概览");
        t.keys(&["2"]);
        t.wait_for("单位（");
        t.keys(&["F5"]);
        t.wait_for("新增单位");
        let name = format!("崩溃测试单位{i:02}");
        t.text(&name);
        // Long enough for the draft to be kept.
        std::thread::sleep(Duration::from_millis(700 + rng.below(300)));
        t.keys(&["F6"]);
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        let pid = t.pid();
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        drop(t);
        let s = Store::open(&db).unwrap();
        assert!(s.problems().unwrap().is_empty(), "kill {i}");
        let units = s.find_by_name::<Unit>(&name).unwrap();
        let drafts = s.drafts().unwrap();
        let draft = drafts.iter().any(|(_, json)| json.contains(&name));
        assert!(
            !(units.len() == 1 && draft),
            "kill {i}: the unit was saved and its draft kept (a second save would duplicate it)"
        );
        assert!(units.len() <= 1);
        if units.len() == 1 {
            saved += 1;
        }
        drop(s);
        let _ = std::fs::remove_file(&db);
    }
    eprintln!("tui: {saved} of {KILLS} saved before the kill");
}
