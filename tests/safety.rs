//! Issue 11, "nothing lost, ever": the ways a clerk could lose the ledger
//! through the command line — an output onto the ledger, a backup or a
//! ledger carrying foreign schema, a damaged backup, a check that says
//! 完好 of a broken file, a FIFO as the ledger — each as the clerk would
//! meet it, through the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use djtz::domain::enums::*;
use djtz::domain::money::Fen;
use djtz::domain::records::*;
use djtz::store::Store;
use tempfile::TempDir;

fn djtz() -> Command {
    let mut c = Command::cargo_bin("djtz").unwrap();
    c.env_remove("DJTZ_DB").env("RUST_BACKTRACE", "1");
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    djtz().arg("--db").arg(db).args(args).output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// One line, Chinese, with a code word, no panic; returns it.
fn one_line(o: &Output) -> String {
    let s = stderr(o);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), 1, "stderr: {s}");
    assert!(lines[0].starts_with("错误："), "{s}");
    assert!(lines[0].ends_with(']'), "{s}");
    assert!(!s.contains("panicked"), "{s}");
    s
}

/// A ledger with a unit, an org and a fund entry.
fn ledger(dir: &Path) -> PathBuf {
    let path = dir.join("v.db");
    let mut s = Store::open(&path).unwrap();
    let mut u = Unit::new("鑫盛电子科技有限公司", UnitKind::NonPublic);
    s.save(&mut u).unwrap();
    let mut f = FundEntry {
        id: 0,
        date: chrono::NaiveDate::from_ymd_opt(2026, 10, 8).unwrap(),
        org_id: None,
        direction: FundDirection::Expense,
        category: FundCategory::Activities,
        amount: Fen(1234),
        voucher: String::new(),
        handler: String::new(),
        summary: "主题党日".into(),
    };
    s.save(&mut f).unwrap();
    path
}

fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn no_output_goes_over_the_ledger_or_its_companions() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let before = bytes(&db);
    let lock = PathBuf::from(format!("{}.lock", db.display()));
    let journal = PathBuf::from(format!("{}-journal", db.display()));
    #[cfg(unix)]
    let link = {
        let l = dir.path().join("看起来是报表.txt");
        std::os::unix::fs::symlink(&db, &l).unwrap();
        Some(l)
    };
    #[cfg(not(unix))]
    let link: Option<PathBuf> = None;
    let targets: Vec<PathBuf> = [
        Some(db.clone()),
        Some(lock.clone()),
        Some(journal.clone()),
        link,
    ]
    .into_iter()
    .flatten()
    .collect();
    for t in &targets {
        let t = t.to_str().unwrap();
        for args in [
            vec!["report", "--month", "2026-10", "--format", "txt", "-o", t],
            vec!["report", "--month", "2026-10", "--format", "csv", "-o", t],
        ] {
            let o = run(&db, &args);
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(one_line(&o).contains("[protected-file]"), "{args:?}");
        }
    }
    // export and template check the name too (a ledger named .xlsx).
    let xdb = dir.path().join("台账.xlsx");
    std::fs::copy(&db, &xdb).unwrap();
    let xbefore = bytes(&xdb);
    for args in [
        vec!["export", xdb.to_str().unwrap()],
        vec!["template", xdb.to_str().unwrap()],
    ] {
        let o = run(&xdb, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        one_line(&o);
    }
    assert_eq!(bytes(&xdb), xbefore);
    // A backup folder named like the journal would break every later save.
    let o = run(&db, &["backup", journal.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!journal.exists());
    assert_eq!(bytes(&db), before, "the ledger is untouched");
    assert!(!journal.exists());
    let o = run(&db, &["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn outputs_are_private_and_complete() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let out = dir.path().join("月报.csv");
    let o = run(
        &db,
        &[
            "report",
            "--month",
            "2026-10",
            "--format",
            "csv",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let xlsx = dir.path().join("导出.xlsx");
    assert!(
        run(&db, &["export", xlsx.to_str().unwrap()])
            .status
            .success()
    );
    let tpl = dir.path().join("模板.xlsx");
    assert!(
        run(&db, &["template", tpl.to_str().unwrap()])
            .status
            .success()
    );
    for f in [&out, &xlsx, &tpl] {
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
    assert!(bytes(&xlsx).starts_with(b"PK\x03\x04"));
    // No temporary file is left beside them.
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("djtz-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The crafted backup of the issue: a trigger that doubles every expense
/// and empties the audit log on the next import.
fn trigger_ledger(dir: &Path) -> PathBuf {
    let db = ledger(dir);
    let s = Store::open(&db).unwrap();
    s.conn()
        .execute_batch(
            "CREATE TRIGGER evil AFTER INSERT ON changes BEGIN
                 UPDATE fund_entries SET amount = amount * 2;
                 DELETE FROM audit;
             END;",
        )
        .unwrap();
    drop(s);
    db
}

#[test]
fn a_ledger_with_a_trigger_is_refused_everywhere() {
    let dir = TempDir::new().unwrap();
    let db = trigger_ledger(dir.path());
    let before = bytes(&db);
    let o = run(&db, &["report", "--month", "2026-10", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let line = one_line(&o);
    assert!(
        line.contains("触发器 evil") && line.contains("[foreign-schema]"),
        "{line}"
    );
    let o = run(&db, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("触发器 evil"), "{}", stderr(&o));
    assert_eq!(bytes(&db), before, "nothing changed");

    // The same file as a backup: restore refuses it, the ledger stays.
    let other = dir.path().join("b");
    std::fs::create_dir(&other).unwrap();
    let good = ledger(&other);
    let good_before = bytes(&good);
    let o = run(&good, &["restore", db.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(one_line(&o).contains("触发器 evil"));
    assert_eq!(bytes(&good), good_before);
}

#[test]
fn check_finds_every_kind_of_damage_and_changes_nothing() {
    let dir = TempDir::new().unwrap();
    type Damage = Box<dyn Fn(&Path)>;
    let cases: Vec<(&str, Damage)> = vec![
        ("空的", Box::new(|p: &Path| std::fs::write(p, b"").unwrap())),
        (
            "缺少表 dues",
            Box::new(|p: &Path| {
                let s = Store::open(p).unwrap();
                s.conn().execute_batch("DROP TABLE dues").unwrap();
            }),
        ),
        (
            "缺少索引 units_name",
            Box::new(|p: &Path| {
                let s = Store::open(p).unwrap();
                s.conn().execute_batch("DROP INDEX units_name").unwrap();
            }),
        ),
        (
            "视图 v",
            Box::new(|p: &Path| {
                let s = Store::open(p).unwrap();
                s.conn().execute_batch("CREATE VIEW v AS SELECT 1").unwrap();
            }),
        ),
        (
            "不完整",
            Box::new(|p: &Path| {
                let b = bytes(p);
                std::fs::write(p, &b[..b.len() - 1]).unwrap();
            }),
        ),
        (
            "amount",
            Box::new(|p: &Path| {
                let s = Store::open(p).unwrap();
                s.conn()
                    .execute_batch(
                        "PRAGMA ignore_check_constraints = ON;
                         UPDATE fund_entries SET amount = 'abc';",
                    )
                    .unwrap();
            }),
        ),
    ];
    for (i, (needle, damage)) in cases.iter().enumerate() {
        let sub = dir.path().join(format!("c{i}"));
        std::fs::create_dir(&sub).unwrap();
        let db = ledger(&sub);
        damage(&db);
        let before = bytes(&db);
        let o = run(&db, &["check"]);
        assert_eq!(o.status.code(), Some(1), "{needle}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{needle}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        assert_eq!(bytes(&db), before, "{needle}: check changed the file");
        assert!(
            !String::from_utf8_lossy(&o.stdout).contains("完好"),
            "{needle}"
        );
    }
}

#[test]
fn an_empty_ledger_file_is_refused_and_never_initialised() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("空.db");
    std::fs::write(&db, b"").unwrap();
    for args in [
        vec!["report", "--month", "2026-10"],
        vec!["import", "--undo-last"],
        vec!["backup"],
        vec!["demo"],
    ] {
        let o = run(&db, &args);
        assert_ne!(o.status.code(), Some(0), "{args:?}");
        assert!(
            one_line(&o).contains("台账文件是空的"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::metadata(&db).unwrap().len(),
            0,
            "{args:?} wrote to it"
        );
    }
    // A path that does not exist is a new ledger, made whole at once.
    let new = dir.path().join("新台账.db");
    let o = run(&new, &["check"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "check never creates: {}",
        stderr(&o)
    );
    assert!(!new.exists());
    let o = run(&new, &["demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(run(&new, &["check"]).status.success());
}

fn tamper(db: &Path, sql: &str) {
    let s = Store::open(db).unwrap();
    s.conn().execute_batch(sql).unwrap();
}

#[test]
fn restore_refuses_damaged_or_altered_backups_and_keeps_the_ledger() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let cases = [
        ("version0", "PRAGMA user_version = 0;"),
        ("version1", "PRAGMA user_version = 1;"),
        ("utf8", "UPDATE units SET name = CAST(X'E4B8' AS TEXT);"),
        (
            "money",
            "PRAGMA ignore_check_constraints = ON; UPDATE fund_entries SET amount = 'abc';",
        ),
        (
            "huge",
            "UPDATE fund_entries SET amount = 9223372036854775807;",
        ),
        ("date", "UPDATE fund_entries SET date = '2026-02-30';"),
        (
            "dangling",
            "PRAGMA foreign_keys = OFF; UPDATE fund_entries SET org_id = 999;",
        ),
    ];
    let before = bytes(&db);
    for (name, sql) in cases {
        let sub = dir.path().join(name);
        std::fs::create_dir(&sub).unwrap();
        let backup = ledger(&sub);
        tamper(&backup, sql);
        let o = run(&db, &["restore", backup.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        let line = one_line(&o);
        assert!(line.contains("未做任何改动"), "{name}: {line}");
        assert_eq!(bytes(&db), before, "{name}: the ledger changed");
        assert!(run(&db, &["check"]).status.success(), "{name}");
    }
    // A backup cut short (a USB stick pulled out).
    let sub = dir.path().join("cut");
    std::fs::create_dir(&sub).unwrap();
    let backup = ledger(&sub);
    let b = bytes(&backup);
    std::fs::write(&backup, &b[..b.len() - 4096]).unwrap();
    let o = run(&db, &["restore", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    one_line(&o);
    assert_eq!(bytes(&db), before);
}

#[test]
fn restore_replaces_a_damaged_ledger_and_keeps_the_damaged_file() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let o = run(&db, &["backup", dir.path().join("bk").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let backup = std::fs::read_dir(dir.path().join("bk"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // A report written over the ledger by an old version.
    std::fs::write(&db, "党建工作月报\n").unwrap();
    let o = run(&db, &["restore", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("已损坏"));
    assert!(run(&db, &["check"]).status.success());
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.path().join("备份"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(
        kept.iter()
            .any(|p| std::fs::read(p).unwrap() == "党建工作月报\n".as_bytes()),
        "{kept:?}"
    );
}

#[cfg(unix)]
#[test]
fn backups_are_private_files_in_a_private_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let o = run(&db, &["backup"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let folder = dir.path().join("备份");
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    let files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}: no journal, no temporary file");
    let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// Waits for `child`; a hang is the defect: after ample time it is killed
/// and the test fails.
#[cfg(unix)]
fn finished_within_10_s(
    mut child: std::process::Child,
    what: &str,
) -> (std::process::ExitStatus, Output) {
    let mut waited = 0;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if waited > 200 {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    };
    let out = child.wait_with_output().unwrap();
    let status = status.unwrap_or_else(|| panic!("{what} hangs on a FIFO"));
    (status, out)
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_ledger_is_refused_at_once() {
    let dir = TempDir::new().unwrap();
    let fifo = dir.path().join("管道.db");
    let ok = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(ok.success());
    for args in [
        vec!["check"],
        vec!["report", "--month", "2026-10"],
        vec!["backup"],
    ] {
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_djtz"))
            .arg("--db")
            .arg(&fifo)
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (status, out) = finished_within_10_s(child, &format!("{args:?}"));
        assert_eq!(status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("不是普通文件"));
    }

    // A FIFO given to import (named like a workbook or a CSV) is refused as
    // well, before the ledger is touched.
    let db = ledger(dir.path());
    for name in ["单位.csv", "台账.xlsx"] {
        let file = dir.path().join(name);
        let ok = std::process::Command::new("mkfifo")
            .arg(&file)
            .status()
            .unwrap();
        assert!(ok.success());
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_djtz"))
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let (status, out) = finished_within_10_s(child, &format!("import of {name}"));
        assert_eq!(status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("不是普通文件"), "{err}");
        assert!(err.contains("要导入的文件"), "{err}");
    }
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_is_quiet() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    for args in [vec!["check"], vec!["report", "--month", "2026-10"]] {
        // `djtz check | head -0`: the pipe is closed before djtz writes.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "\"{}\" --db \"{}\" {} | head -c 0",
                env!("CARGO_BIN_EXE_djtz"),
                db.display(),
                args.join(" ")
            ))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("failed printing"),
            "{args:?}: {err}"
        );
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
