//! End to end: the real binary in a pseudo-terminal (tmux, 80×24, through
//! ../shared/tools/tmux-drive.sh): create a unit by keys, quit, start
//! again, the unit is there.

use std::io::Write;
use std::process::{Command, Stdio};

type R = Result<(), Box<dyn std::error::Error>>;

fn drive(script: &str, db: &std::path::Path) -> Result<String, Box<dyn std::error::Error>> {
    let tool =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/tmux-drive.sh");
    assert!(tool.is_file(), "missing {}", tool.display());
    let mut child = Command::new("bash")
        .arg(&tool)
        .args(["-x", "80", "-y", "24", "-t", "20", "-"])
        .arg(env!("CARGO_BIN_EXE_djtz"))
        .arg("--db")
        .arg(db)
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
