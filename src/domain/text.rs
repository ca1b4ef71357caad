//! Text helpers: folding full-width input, display width for the terminal,
//! and splitting list cells (FORMATS.md "Reading rules").

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Folds full-width ASCII variants (U+FF01..=U+FF5E) to ASCII and the
/// ideographic space (U+3000) to a plain space. Nothing else changes.
pub fn fold_fullwidth(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Normalises what a clerk typed into a form field or what a cell holds:
/// full-width folding, Chinese punctuation that stands for ASCII
/// punctuation, then trimming.
pub fn fold_input(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '。' => '.',
            '？' => '?',
            '：' => ':',
            '、' | '，' => ',',
            '－' | '—' => '-',
            '＋' => '+',
            '￥' => '¥',
            other => fold_char(other),
        })
        .collect();
    folded.trim().to_string()
}

/// Display width in terminal columns (CJK characters count 2).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Pads with spaces on the right up to display width `w`; a wider string is
/// returned unchanged.
pub fn pad_right(s: &str, w: usize) -> String {
    let have = width(s);
    let mut out = String::with_capacity(s.len() + w.saturating_sub(have));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(have)));
    out
}

/// Pads with spaces on the left up to display width `w`; a wider string is
/// returned unchanged.
pub fn pad_left(s: &str, w: usize) -> String {
    let have = width(s);
    let mut out = String::with_capacity(s.len() + w.saturating_sub(have));
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(have)));
    out.push_str(s);
    out
}

/// Cuts `s` to at most display width `w`. When something is cut, `..` is
/// appended (included in the width); for `w < 2` there is no room for the
/// marker and the string is simply cut.
pub fn truncate_width(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let (budget, marker) = if w >= 2 { (w - 2, "..") } else { (w, "") };
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if used + cw > budget {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push_str(marker);
    out
}

/// Splits a list cell on `、` `，` `,` `;` `；`, trimming every item and
/// dropping empty ones.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', ';', '；'])
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// The longest name (单位, 党组织, 姓名, 指导员) in characters (FORMATS.md).
pub const MAX_NAME_CHARS: usize = 100;
/// The longest other text (备注, 地址, 摘要 …) in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The longest 内容摘要 (a meeting's minutes) in characters.
pub const MAX_MINUTES_CHARS: usize = 20_000;

/// How many characters of a text a message quotes.
const QUOTED_CHARS: usize = 40;

/// `s` for quoting in a message: at most 40 characters, `…` when cut.
pub fn quote_cut(s: &str) -> String {
    let mut out: String = s.chars().take(QUOTED_CHARS).collect();
    if s.chars().nth(QUOTED_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// Ok when `s` has at most `max` characters, else the Chinese reason
/// quoting the text cut to 40 characters.
pub fn check_length(s: &str, max: usize) -> Result<(), String> {
    let n = s.chars().count();
    if n <= max {
        Ok(())
    } else {
        Err(format!(
            "长度 {n} 个字，超过上限 {max} 个字：“{}”，请删减",
            quote_cut(s)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_folds_ascii_range_and_space() {
        assert_eq!(fold_fullwidth("１２３ＡＢＣａｂｃ"), "123ABCabc");
        assert_eq!(fold_fullwidth("！～"), "!~");
        assert_eq!(fold_fullwidth("张\u{3000}三"), "张 三");
        // Outside the range: unchanged (、 and ￥ are not in FF01..FF5E).
        assert_eq!(fold_fullwidth("、￥。"), "、￥。");
        assert_eq!(fold_fullwidth(""), "");
    }

    #[test]
    fn input_folds_punctuation_and_trims() {
        assert_eq!(fold_input("　１０。１５　"), "10.15");
        assert_eq!(fold_input("１２０＋３５。５"), "120+35.5");
        assert_eq!(fold_input("a？b：c、d，e"), "a?b:c,d,e");
        assert_eq!(fold_input("－3"), "-3");
        assert_eq!(fold_input("—3"), "-3");
        assert_eq!(fold_input("￥12"), "¥12");
        assert_eq!(fold_input("   "), "");
    }

    #[test]
    fn display_width() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("党员"), 4);
        assert_eq!(width("a党"), 3);
        assert_eq!(width(""), 0);
    }

    #[test]
    fn padding() {
        assert_eq!(pad_right("党员", 6), "党员  ");
        assert_eq!(pad_left("党员", 6), "  党员");
        assert_eq!(pad_right("abc", 2), "abc");
        assert_eq!(pad_left("abc", 3), "abc");
        assert_eq!(pad_left("", 2), "  ");
    }

    #[test]
    fn truncation() {
        assert_eq!(truncate_width("abcdef", 6), "abcdef");
        assert_eq!(truncate_width("abcdefg", 6), "abcd..");
        // 党员党员 is width 8; budget 5 - 2 = 3 fits one CJK char (2), not two.
        assert_eq!(truncate_width("党员党员", 5), "党..");
        assert_eq!(width(&truncate_width("党员党员", 5)), 4);
        assert_eq!(truncate_width("党员党员", 6), "党员..");
        assert_eq!(truncate_width("abc", 1), "a");
        assert_eq!(truncate_width("党员", 1), "");
        assert_eq!(truncate_width("abc", 0), "");
        assert_eq!(truncate_width("abc", 2), "..");
    }

    #[test]
    fn lengths_and_quotes() {
        assert_eq!(quote_cut("短"), "短");
        assert_eq!(quote_cut(&"字".repeat(40)), "字".repeat(40));
        assert_eq!(quote_cut(&"字".repeat(41)), format!("{}…", "字".repeat(40)));
        assert!(check_length(&"名".repeat(100), MAX_NAME_CHARS).is_ok());
        let e = check_length(&"名".repeat(101), MAX_NAME_CHARS).unwrap_err();
        assert_eq!(
            e,
            format!(
                "长度 101 个字，超过上限 100 个字：“{}…”，请删减",
                "名".repeat(40)
            )
        );
        // Characters, not bytes.
        assert!(check_length(&"é".repeat(2000), MAX_TEXT_CHARS).is_ok());
    }

    #[test]
    fn list_splitting() {
        assert_eq!(
            split_list("张三、李四，王五,赵六;钱七；孙八"),
            vec!["张三", "李四", "王五", "赵六", "钱七", "孙八"]
        );
        assert_eq!(
            split_list(" 张三 、、 ,李四(出差) "),
            vec!["张三", "李四(出差)"]
        );
        assert!(split_list("").is_empty());
        assert!(split_list(" 、 ,; ").is_empty());
    }
}
