//! Matching a typed filter against record text (lists, pick lists):
//! Chinese substrings, and pinyin through ib-matcher: initials (`xhq` →
//! 西湖区), full pinyin (`xihu`), mixed (`xihuq`), every reading of a
//! polyphone (`cq` → 重庆, `sx` → 单县).

use std::cell::RefCell;
use std::sync::OnceLock;

use ib_matcher::matcher::{IbMatcher, PinyinMatchConfig};
use ib_matcher::pinyin::{PinyinData, PinyinNotation};

fn notations() -> PinyinNotation {
    PinyinNotation::Ascii | PinyinNotation::AsciiFirstLetter
}

fn pinyin_data() -> &'static PinyinData {
    static DATA: OnceLock<PinyinData> = OnceLock::new();
    DATA.get_or_init(|| PinyinData::new(notations()))
}

thread_local! {
    /// The last query as typed, folded, and its compiled matcher: SQLite
    /// calls `djtz_match` once per row and column with the same query, so
    /// folding and compiling happen once per query, not once per row.
    static LAST: RefCell<Option<(String, String, Option<IbMatcher<'static>>)>> =
        const { RefCell::new(None) };
}

fn build(q: &str) -> IbMatcher<'static> {
    IbMatcher::builder(q)
        .case_insensitive(true)
        .is_pattern_partial(true)
        .pinyin(
            PinyinMatchConfig::builder(notations())
                .data(pinyin_data())
                .build(),
        )
        .build()
}

/// True when `text` contains `query`, ignoring case and full-width forms,
/// or when the query spells part of the text in pinyin (initials, full or
/// mixed). An empty query matches everything.
pub fn matches_filter(query: &str, text: &str) -> bool {
    LAST.with(|cell| {
        let mut slot = cell.borrow_mut();
        if !matches!(&*slot, Some((k, _, _)) if k == query) {
            let q = super::text::fold_fullwidth(query).trim().to_lowercase();
            let has_letters = q.bytes().any(|b| b.is_ascii_alphabetic());
            let m = has_letters.then(|| build(&q));
            *slot = Some((query.to_string(), q, m));
        }
        let Some((_, q, m)) = slot.as_ref() else {
            return true;
        };
        if q.is_empty() {
            return true;
        }
        match m {
            // One pass: literal text (any case) and pinyin alike.
            Some(m) => m.is_match(text),
            None => text.contains(q.as_str()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_and_case() {
        assert!(matches_filter("", "任何"));
        assert!(matches_filter("湖", "西湖区"));
        assert!(matches_filter("abc", "xABCx"));
        assert!(matches_filter("ＡＢＣ", "abc"));
        assert!(!matches_filter("东", "西湖区"));
    }

    #[test]
    fn pinyin_initials_full_and_mixed() {
        assert!(matches_filter("xhq", "西湖区"));
        assert!(matches_filter("XHQ", "西湖区"));
        assert!(matches_filter("xihu", "西湖区党委"));
        assert!(matches_filter("xihuq", "西湖区"));
        assert!(matches_filter("xi", "西湖区"));
        assert!(matches_filter("hq", "杭州西湖区"));
        assert!(!matches_filter("dhq", "西湖区"));
        assert!(!matches_filter("xhq", "abc"));
    }

    #[test]
    fn polyphones() {
        assert!(matches_filter("cq", "重庆"));
        assert!(matches_filter("zq", "重庆"));
        assert!(matches_filter("sx", "单县"));
        assert!(matches_filter("yh", "银行"));
    }

    #[test]
    fn digits_do_not_go_through_pinyin() {
        assert!(matches_filter("1381", "13812345678"));
        assert!(!matches_filter("99", "西湖区"));
    }
}
