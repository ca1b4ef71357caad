//! Bad input changes nothing (issue 11, points 3, 9, 10, 12): workbooks
//! built here byte by byte with the faults a damaged copy or a stranger's
//! file has: a cell reference far beyond Excel's sheet (run under a memory
//! cap), shared-string indexes that are not indexes, a zeroed or broken
//! CRC, flipped bits; CSV files cut off mid-row; a file with a thousand bad
//! rows. Each is refused whole (or row by row for CSV), with a Chinese
//! message, and the ledger stays byte for byte as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use djtz::domain::enums::*;
use djtz::domain::records::*;
use djtz::exchange::{self, ImportOptions};
use djtz::store::Store;
use tempfile::TempDir;
use zip::write::SimpleFileOptions;

fn djtz() -> Command {
    let mut c = Command::cargo_bin("djtz").unwrap();
    c.env_remove("DJTZ_DB").env("RUST_BACKTRACE", "1");
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A ledger holding one unit with its details filled in.
fn ledger(dir: &Path) -> PathBuf {
    let path = dir.join("v.db");
    let mut s = Store::open(&path).unwrap();
    let mut u = Unit::new("鑫盛电子科技有限公司", UnitKind::NonPublic);
    u.industry = "电子制造".into();
    u.address = "工业园区3号".into();
    u.contact = "王经理".into();
    s.save(&mut u).unwrap();
    path
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

/// A whole workbook with one sheet `单位` whose `<sheetData>` rows are
/// `rows`, and the shared strings `shared`.
fn workbook(rows: &str, shared: &[&str], method: zip::CompressionMethod) -> Vec<u8> {
    let sst: String = shared
        .iter()
        .map(|s| format!("<si><t>{s}</t></si>"))
        .collect();
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">{sst}</sst>"#,
        shared.len()
    );
    workbook_with(rows, &sst, method)
}

/// The same with the shared-strings part as given.
fn workbook_with(rows: &str, sst: &str, method: zip::CompressionMethod) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = SimpleFileOptions::default().compression_method(method);
    let mut part = |name: &str, body: &str| {
        z.start_file(name, opts).unwrap();
        z.write_all(body.as_bytes()).unwrap();
    };
    part(
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
    );
    part(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="单位" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
    );
    part("xl/sharedStrings.xml", sst);
    part(
        "xl/worksheets/sheet1.xml",
        &format!("{SHEET_HEAD}{rows}{SHEET_TAIL}"),
    );
    z.finish().unwrap();
    out.into_inner()
}

/// The header 名称, 类型, 行业 (shared strings 0–2) and one row updating the
/// ledger's unit: `a2` is the cell holding its name.
fn unit_book(a2: &str) -> Vec<u8> {
    let rows = format!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2">{a2}<c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c></row>"#
    );
    workbook(
        &rows,
        &[
            "名称",
            "类型",
            "行业",
            "鑫盛电子科技有限公司",
            "非公企业",
            "改过的行业",
        ],
        zip::CompressionMethod::Stored,
    )
}

/// The units in the ledger `db`.
fn units(db: &Path) -> Vec<Unit> {
    Store::open(db).unwrap().all::<Unit>().unwrap()
}

/// Imports `bytes` as `name` into the ledger `db` through the CLI.
fn import(db: &Path, name: &str, bytes: &[u8]) -> Output {
    let file = db.with_file_name(name);
    std::fs::write(&file, bytes).unwrap();
    djtz()
        .arg("--db")
        .arg(db)
        .arg("import")
        .arg(&file)
        .output()
        .unwrap()
}

/// The import was refused as a damaged workbook and the ledger is as it
/// was.
fn refused_as_damaged(db: &Path, before: &[u8], out: &Output) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("工作簿已损坏"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // Chinese only: none of the libraries' English words.
    for english in [
        "nvalid",
        "hecksum",
        "rror",
        "xpected",
        "Xlsx",
        "ZipError",
        "archive",
        "attribute",
    ] {
        assert!(!err.contains(english), "English in: {err}");
    }
    assert_eq!(std::fs::read(db).unwrap(), before, "the ledger changed");
}

/// Imports `file` into `db` in a child process with 1 GiB of address space
/// (Linux), as on a small PC with little free: the old reader asked for
/// 10 GB.
fn import_capped(db: &Path, file: &Path) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("djtz");
    #[cfg(target_os = "linux")]
    let mut cmd = {
        let mut c = std::process::Command::new("sh");
        c.arg("-c")
            .arg("ulimit -v 1048576 && exec \"$0\" --db \"$1\" import \"$2\"")
            .arg(&bin)
            .arg(db)
            .arg(file);
        c
    };
    #[cfg(not(target_os = "linux"))]
    let mut cmd = {
        let mut c = std::process::Command::new(&bin);
        c.arg("--db").arg(db).arg("import").arg(file);
        c
    };
    cmd.env("RUST_BACKTRACE", "1").output().unwrap()
}

#[test]
fn the_test_workbook_itself_imports() {
    // The builder is right: the same book with a good index updates the
    // unit, so each refusal below is the fault's doing.
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let out = import(
        &db,
        "好.xlsx",
        &unit_book(r#"<c r="A2" t="s"><v>3</v></c>"#),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let units = units(&db);
    assert_eq!(units.len(), 1);
    assert_eq!(units[0].industry, "改过的行业");
}

#[test]
fn a_cell_reference_beyond_excel_is_refused_within_a_memory_cap() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    let book = unit_book(r#"<c r="A2" t="s"><v>3</v></c><c r="ZZZZZZ2" t="s"><v>3</v></c>"#);
    assert!(book.len() < 4096);
    let file = dir.path().join("炸弹.xlsx");
    std::fs::write(&file, &book).unwrap();
    // 1 GiB of address space, as on a small PC with little free: the old
    // reader asked for 10 GB here.
    let out = import_capped(&db, &file);
    refused_as_damaged(&db, &before, &out);
    assert!(stderr(&out).contains("ZZZZZZ2"), "{}", stderr(&out));

    // A shared-strings part that declares four billion strings (calamine
    // would reserve room for them before reading one).
    let huge = workbook_with(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4000000000" uniqueCount="4000000000"><si><t>名称</t></si></sst>"#,
        zip::CompressionMethod::Deflated,
    );
    std::fs::write(&file, &huge).unwrap();
    let out = import_capped(&db, &file);
    refused_as_damaged(&db, &before, &out);
    assert!(
        stderr(&out).contains("登记了 4000000000 个共享文本"),
        "{}",
        stderr(&out)
    );

    // Within Excel's columns but far away in every row of a small file:
    // refused as well, memory proportional to the file.
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="XFD1" t="s"><v>2</v></c></row>"#,
    );
    for r in 2..20_000 {
        rows.push_str(&format!(
            r#"<row r="{r}"><c r="XFD{r}" t="s"><v>5</v></c></row>"#
        ));
    }
    let sparse = workbook(
        &rows,
        &[
            "名称",
            "类型",
            "行业",
            "鑫盛电子科技有限公司",
            "非公企业",
            "x",
        ],
        zip::CompressionMethod::Deflated,
    );
    std::fs::write(&file, &sparse).unwrap();
    let out = import_capped(&db, &file);
    refused_as_damaged(&db, &before, &out);
}

#[test]
fn a_shared_string_index_that_is_not_one_refuses_the_workbook() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    for bad in [
        "-1",
        "abc",
        "1e3",
        "0.5",
        "18446744073709551616",
        "6",
        " 3",
        "",
    ] {
        let out = import(
            &db,
            "坏索引.xlsx",
            &unit_book(&format!(r#"<c r="A2" t="s"><v>{bad}</v></c>"#)),
        );
        if bad.is_empty() {
            // An empty shared-string cell is an empty cell: 名称 required.
            assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
            assert!(stderr(&out).contains("名称"), "{}", stderr(&out));
            assert_eq!(std::fs::read(&db).unwrap(), before);
            continue;
        }
        refused_as_damaged(&db, &before, &out);
        let err = stderr(&out);
        assert!(err.contains("共享文本编号"), "{bad}: {err}");
        assert!(err.contains("工作表“单位” 单元格 A2"), "{bad}: {err}");
    }
    // Other structural faults: a cell type that does not exist, a number
    // that is not one, a broken tag.
    for (cell, why) in [
        (r#"<c r="A2" t="q"><v>3</v></c>"#, "单元格类型"),
        (r#"<c r="A2"><v>十二</v></c>"#, "不是数字"),
        (r#"<c r="A2" t="s"><v>3</c>"#, "XML 结构错误"),
        (r#"<c r="A0" t="s"><v>3</v></c>"#, "单元格位置"),
    ] {
        let out = import(&db, "坏单元格.xlsx", &unit_book(cell));
        refused_as_damaged(&db, &before, &out);
        assert!(stderr(&out).contains(why), "{cell}: {}", stderr(&out));
    }
}

/// The offsets of `needle` in `hay`.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn a_zeroed_crc_or_a_flipped_bit_refuses_the_workbook() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    let good = unit_book(r#"<c r="A2" t="s"><v>3</v></c>"#);
    // The CRC of the worksheet entry, zeroed in its local header (offset 14)
    // and its central directory record (offset 16).
    let name = b"xl/worksheets/sheet1.xml";
    let mut zeroed = good.clone();
    for at in find_all(&good, b"PK\x03\x04") {
        if good[at + 30..].starts_with(name) {
            zeroed[at + 14..at + 18].fill(0);
        }
    }
    for at in find_all(&good, b"PK\x01\x02") {
        if good[at + 46..].starts_with(name) {
            zeroed[at + 16..at + 20].fill(0);
        }
    }
    assert_ne!(zeroed, good);
    let out = import(&db, "零校验.xlsx", &zeroed);
    refused_as_damaged(&db, &before, &out);
    assert!(stderr(&out).contains("CRC"), "{}", stderr(&out));

    // One bit flipped in the shared strings' text ("改过的行业" stays
    // well-formed XML: only the CRC can tell).
    let text = "改过的行业".as_bytes();
    let at = find_all(&good, text)[0];
    let mut flipped = good.clone();
    flipped[at + 1] ^= 0x01;
    let out = import(&db, "翻转.xlsx", &flipped);
    refused_as_damaged(&db, &before, &out);

    // A flipped bit anywhere in a deflated book is refused or, where it
    // falls in a part nobody reads, harmless: never a changed ledger with
    // other values, never a panic.
    let deflated = workbook(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c></row>"#,
        &[
            "名称",
            "类型",
            "行业",
            "鑫盛电子科技有限公司",
            "非公企业",
            "改过的行业",
        ],
        zip::CompressionMethod::Deflated,
    );
    let mut store = Store::open(&dir.path().join("flip.db")).unwrap();
    let mut u = Unit::new("鑫盛电子科技有限公司", UnitKind::NonPublic);
    store.save(&mut u).unwrap();
    let opts = ImportOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap());
    for bit in (0..deflated.len() * 8).step_by(7) {
        let mut b = deflated.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        let mut dry = opts.clone();
        dry.dry_run = true;
        if let Ok(book) = exchange::read_bytes("flip.xlsx", &b)
            && let Ok(report) = exchange::import_book(&mut store, "flip.xlsx", book, &dry)
            && report.errors.is_empty()
        {
            // Accepted: only a bit outside every part's content (a
            // header's file time, an unused field) may allow that.
            let rows: usize = report.rows();
            assert_eq!(rows, 1, "bit {bit}");
        }
    }
}

const UNITS_HEAD: &str = "名称,类型,行业,地址,联系人\n";

#[test]
fn a_csv_cut_off_mid_row_is_an_error_of_that_row() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    // The copy ends in the middle of the unit's row: its 地址 and 联系人
    // would be blanked if the short row were read as empty values.
    let cut = format!("{UNITS_HEAD}鑫盛电子科技有限公司,非公企业,电子制造");
    let out = import(&db, "单位.csv", cut.as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("单位!2 整行"), "{err}");
    assert!(err.contains("只有 3 个字段，表头有 5 个"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);

    // An unterminated quote swallowing the rest of the file.
    let open = format!("{UNITS_HEAD}鑫盛电子科技有限公司,非公企业,电子制造,\"工业园区3号,王经理\n");
    let out = import(&db, "单位.csv", open.as_bytes());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("引号没有结束"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&db).unwrap(), before);

    // The whole row imports (the check above is not a blanket refusal).
    let whole = format!("{UNITS_HEAD}鑫盛电子科技有限公司,非公企业,电子制造,工业园区5号,王经理\n");
    let out = import(&db, "单位.csv", whole.as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    let units = units(&db);
    assert_eq!(units[0].address, "工业园区5号");
    assert_eq!(units[0].contact, "王经理");
}

#[test]
fn a_thousand_bad_rows_list_two_hundred_and_a_count() {
    let dir = TempDir::new().unwrap();
    let db = ledger(dir.path());
    let before = std::fs::read(&db).unwrap();
    let long = "很".repeat(5_000);
    let mut csv = String::from(UNITS_HEAD);
    for i in 0..1000 {
        // An unknown 类型, quoted in the message: cut to 40 characters.
        csv.push_str(&format!("单位{i},{long},,,\n"));
    }
    let out = import(&db, "单位.csv", csv.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    let listed: Vec<&str> = err.lines().filter(|l| l.starts_with("单位!")).collect();
    assert_eq!(listed.len(), 200, "{}", &err[..err.len().min(2000)]);
    assert!(
        err.contains("另有 800 处错误未列出（共 1000 处）"),
        "{}",
        err.lines().last().unwrap_or("")
    );
    assert!(
        err.contains("有 1000 处错误"),
        "{}",
        err.lines().last().unwrap_or("")
    );
    assert!(err.len() < 100_000, "stderr is {} bytes", err.len());
    for l in &listed {
        assert!(l.chars().count() < 300, "{l}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
