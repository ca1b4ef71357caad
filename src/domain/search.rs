//! Matching a typed filter against record text (lists, pick lists).

/// True when `text` contains `query`, ignoring ASCII case and full-width
/// forms. An empty query matches everything.
pub fn matches_filter(query: &str, text: &str) -> bool {
    let q = super::text::fold_fullwidth(query).trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    text.to_lowercase().contains(&q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_and_case() {
        assert!(matches_filter("西湖", "西湖区鑫盛电子"));
        assert!(matches_filter("ABC", "abc公司"));
        assert!(matches_filter("ａｂｃ", "abc公司"));
        assert!(!matches_filter("东湖", "西湖区"));
        assert!(matches_filter("  ", "任何"));
    }
}
