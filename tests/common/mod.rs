//! Helpers shared by the integration tests: the in-process TUI harness
//! (`tui`) and, here, the end-to-end drive of the real binary in tmux.
//! Each test binary uses only part of them, hence `dead_code` allowed.
#![allow(dead_code)]

pub mod tui;

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs the real binary on `db` in a private tmux at 80×24 through
/// ../shared/tools/tmux-drive.sh, feeds it `script` and returns what the
/// tool printed (the screens asked for and the last one).
pub fn drive(script: &str, db: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    let bin = std::ffi::OsStr::new(env!("CARGO_BIN_EXE_djtz"));
    drive_command(script, &[bin, "--db".as_ref(), db.as_os_str()])
}

/// Like `drive`, for any command line (a shell around the binary).
pub fn drive_command(
    script: &str,
    command: &[&std::ffi::OsStr],
) -> Result<String, Box<dyn std::error::Error>> {
    let tool =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/tmux-drive.sh");
    assert!(tool.is_file(), "missing {}", tool.display());
    let mut child = Command::new("bash")
        .arg(&tool)
        .args(["-x", "80", "-y", "24", "-t", "20", "-"])
        .args(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(script.as_bytes())?;
    let out = child.wait_with_output()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "tmux-drive failed: {}\n{text}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(text)
}

/// Makes every deletion of a draft in the ledger at `p` fail (`on`), or
/// lets it go again, through a connection of its own: what a kill between
/// saving a record and deleting its draft would leave if the two were
/// separate commits.
pub fn drafts_undeletable(p: &std::path::Path, on: bool) -> Result<(), Box<dyn std::error::Error>> {
    let c = rusqlite::Connection::open(p)?;
    if on {
        c.execute_batch(
            "CREATE TRIGGER keep_drafts BEFORE DELETE ON drafts
             BEGIN SELECT RAISE(ABORT, 'drafts kept'); END",
        )?;
    } else {
        c.execute_batch("DROP TRIGGER keep_drafts")?;
    }
    Ok(())
}
