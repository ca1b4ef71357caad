//! Replays every input the fuzzers kept (fuzz/corpus/<target>/ and any
//! crash they found, fuzz/artifacts/<target>/) through the same bodies the
//! fuzz targets run (djtz::fuzzing): a case found once stays fixed.

use std::path::Path;

fn replay(target: &str, body: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() {
                let data = std::fs::read(&p).unwrap();
                let r = std::panic::catch_unwind(|| body(&data));
                assert!(r.is_ok(), "{target}: {} fails", p.display());
                n += 1;
            }
        }
    }
    n
}

#[test]
fn csv_corpus() {
    assert!(replay("csv", djtz::fuzzing::csv) > 0, "no csv corpus");
}

#[test]
fn xlsx_corpus() {
    assert!(replay("xlsx", djtz::fuzzing::xlsx) > 0, "no xlsx corpus");
}

#[test]
fn dates_corpus() {
    assert!(replay("dates", djtz::fuzzing::dates) > 0, "no dates corpus");
}

#[test]
fn money_corpus() {
    assert!(replay("money", djtz::fuzzing::money) > 0, "no money corpus");
}

#[test]
fn sheet_xml_corpus() {
    assert!(
        replay("sheet_xml", djtz::fuzzing::sheet_xml) > 0,
        "no sheet_xml corpus"
    );
}
