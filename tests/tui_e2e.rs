//! End to end: the real binary in a pseudo-terminal (tmux, 80×24, through
//! ../shared/tools/tmux-drive.sh): create a unit by keys, quit, start
//! again, the unit is there.

// Not built for the cross targets of scripts/release-check.sh: on Windows
// there is no tmux to drive the console, and the musl builds are tested
// under qemu-user, where tmux cannot start the foreign-architecture binary.
// release-check.sh drives the real ARM64 binary in tmux through qemu instead.
#![cfg(all(unix, not(target_env = "musl")))]

mod common;
use common::{drive, drive_command};

type R = Result<(), Box<dyn std::error::Error>>;

#[test]
fn create_unit_quit_and_find_it_again() -> R {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("台账.db");
    let first = drive(
        "wait 欢迎使用党建台账\n\
         key F5\n\
         wait 新增单位\n\
         text 西湖新材料有限公司\n\
         key Tab\n\
         text 91350100M000100Y43\n\
         cursor\n\
         key F6\n\
         wait 已保存\n\
         snap\n\
         key F10\n\
         sleep 1\n",
        &db,
    )?;
    assert!(first.contains("西湖新材料有限公司"), "{first}");
    assert!(first.contains("pane: exited 0"), "{first}");
    let second = drive(
        "wait 概览\n\
         key 2\n\
         wait 西湖新材料有限公司\n\
         snap\n\
         key F10\n\
         sleep 1\n",
        &db,
    )?;
    assert!(second.contains("第 1/1 条"), "{second}");
    assert!(second.contains("pane: exited 0"), "{second}");
    Ok(())
}

/// Issue 11 point 8: a 0-byte ledger file (a copy that may have failed) is
/// never initialised unasked: the TUI says so; Esc leaves it as it is, F6
/// makes a new ledger there.
#[test]
fn an_empty_ledger_file_is_asked_about_first() -> R {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("空台账.db");
    std::fs::write(&db, b"")?;
    let left = drive(
        "wait 台账文件是空的\n\
         snap\n\
         key Escape\n\
         sleep 1\n",
        &db,
    )?;
    assert!(left.contains("请按 F6"), "{left}");
    assert!(left.contains("空文件未改动"), "{left}");
    assert!(left.contains("pane: exited 2"), "{left}");
    assert_eq!(std::fs::metadata(&db)?.len(), 0);
    let made = drive(
        "wait 台账文件是空的\n\
         key F6\n\
         wait 欢迎使用党建台账\n\
         key F10\n\
         sleep 1\n",
        &db,
    )?;
    assert!(made.contains("pane: exited 0"), "{made}");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_djtz"))
        .arg("--db")
        .arg(&db)
        .arg("check")
        .output()?;
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Ok(())
}

/// Issue 11, point 3, in the TUI: memory running out while importing (a
/// 44 MB CSV under a 300 MB address-space cap) ends with the Chinese
/// message on the normal screen, the terminal out of raw mode (`stty`
/// after it shows `icanon` and `echo`, not `-icanon -echo`) and the crash
/// log beside the ledger.
#[cfg(target_os = "linux")]
#[test]
fn out_of_memory_in_the_tui_gives_the_terminal_back() -> R {
    use std::io::Write;
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("台账.db");
    let csv = dir.path().join("单位.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv)?);
    writeln!(f, "名称,类型")?;
    for i in 0..1_500_000 {
        writeln!(f, "甲公司{i},非公企业")?;
    }
    f.into_inner()?.sync_all()?;
    let script = format!(
        "wait 欢迎使用党建台账\nkey F7\nwait 文件路径\ntext {}\nkey F6\nwait modes:\n",
        csv.display()
    );
    let shell = r#"ulimit -v 300000; "$0" --db "$1"; echo "rc=$?";
        echo modes: $(stty -a | tr ' ;' '\n\n' | grep -x -e -icanon -e icanon -e -echo -e echo)"#;
    let out = drive_command(
        &script,
        &[
            "bash".as_ref(),
            "-c".as_ref(),
            shell.as_ref(),
            env!("CARGO_BIN_EXE_djtz").as_ref(),
            db.as_os_str(),
        ],
    )?;
    let flat: String = out.lines().collect();
    assert!(flat.contains("内存不足，程序意外退出"), "{out}");
    assert!(!flat.contains("memory allocation"), "{out}");
    assert!(out.contains("rc=1"), "{out}");
    assert!(out.contains("modes: icanon echo"), "{out}");
    let logs = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("djtz-crash-"))
        .count();
    assert_eq!(logs, 1, "{out}");
    Ok(())
}
