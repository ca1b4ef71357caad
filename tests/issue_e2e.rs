//! Issuing a report is one rule for the command line and the report
//! screen (src/ops/issue.rs): a report is archived as issued once its file
//! is written and, when printed, the printer took it. Here the real binary
//! in tmux (../shared/tools/tmux-drive.sh), with no `lp` on its PATH,
//! prints from the report screen: the PDF stays, the screen says it was not
//! archived, and `djtz report --issued` finds nothing, as after a failed
//! `djtz report --print` (tests/report_formats.rs).

// Not built for the cross targets of scripts/release-check.sh (no tmux on
// Windows; under qemu-user tmux cannot start the foreign binary).
#![cfg(all(unix, not(target_env = "musl")))]

use std::ffi::OsStr;
use std::process::Command;

use djtz::domain::dates::Month;

mod common;
use common::drive_command;

type R = Result<(), Box<dyn std::error::Error>>;

fn djtz(args: &[&str], db: &std::path::Path) -> std::io::Result<std::process::Output> {
    Command::new(env!("CARGO_BIN_EXE_djtz"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
}

#[test]
fn a_print_that_fails_in_the_report_screen_is_not_issued() -> R {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("t.db");
    let out = dir.path().join("out");
    let no_lp = dir.path().join("empty");
    std::fs::create_dir_all(&out)?;
    std::fs::create_dir_all(&no_lp)?;
    assert!(djtz(&["demo"], &db)?.status.success());
    let month = Month::of(chrono::Local::now().date_naive());

    let path = format!("PATH={}", no_lp.display());
    let script = format!(
        "wait 概览\n\
         key 8\n\
         wait 党建工作月报\n\
         key F9\n\
         wait 方式\n\
         text 1\n\
         key Tab C-u\n\
         text {}\n\
         key Enter\n\
         wait 未能打印\n\
         snap\n\
         key Escape\n\
         key F10\n\
         sleep 1\n",
        out.display()
    );
    let screen = drive_command(
        &script,
        &[
            OsStr::new("/usr/bin/env"),
            OsStr::new(&path),
            OsStr::new(env!("CARGO_BIN_EXE_djtz")),
            OsStr::new("--db"),
            db.as_os_str(),
        ],
    )?;
    assert!(screen.contains("找不到打印命令 lp"), "{screen}");
    assert!(screen.contains("本次出具未存档：未能打印"), "{screen}");
    assert!(!screen.contains("已存档为出具的月报"), "{screen}");
    assert!(screen.contains("pane: exited 0"), "{screen}");
    let pdf = out.join(format!("党建工作月报-{month}.pdf"));
    assert!(std::fs::read(&pdf)?.starts_with(b"%PDF-"));

    // Not printed, so not issued.
    let issued = djtz(&["report", "--month", &month.to_string(), "--issued"], &db)?;
    assert!(!issued.status.success());
    let err = String::from_utf8_lossy(&issued.stderr);
    assert!(err.contains("还没有出具过"), "{err}");
    Ok(())
}
