//! Money as integer fen (分). Parsing never goes through floats; the only
//! float path is [`from_excel_number`], because Excel stores numbers as
//! doubles.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

use crate::domain::text::{fold_fullwidth, fold_input};

/// The largest amount of one fund entry: 1 亿元 (FORMATS.md).
pub const MAX_ENTRY_FEN: i64 = 10_000_000_000;
/// The largest 计算基数, 应交 or 实交 of one member's dues: 100 万元.
pub const MAX_DUES_FEN: i64 = 100_000_000;

/// An amount in fen (1 元 = 100 分).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Yuan with two decimals and `,` thousands separators: `1,234.50`.
    pub fn yuan_grouped(self) -> String {
        let (sign, yuan, fen) = self.parts();
        let digits = yuan.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped}.{fen:02}")
    }

    /// Sign, whole yuan and remaining fen (absolute values).
    fn parts(self) -> (&'static str, u64, u64) {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        (sign, abs / 100, abs % 100)
    }
}

impl fmt::Display for Fen {
    /// Yuan with two decimals, no grouping: `1234.50`, `-3.05`, `0.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (sign, yuan, fen) = self.parts();
        write!(f, "{sign}{yuan}.{fen:02}")
    }
}

// Arithmetic never wraps and never panics: the operators and `Sum`
// saturate at the ends of i64. No real amount comes near them (one entry is
// at most `MAX_ENTRY_FEN`, and i64 holds 92 million such entries), so a
// saturated value only arises from a ledger holding amounts beyond reason.
// Every total a clerk sees (the report, the funds and dues screens) is
// added with `checked_add` / `try_sum` instead and fails with
// [`OVERFLOW_MESSAGE`] rather than show a saturated or wrapped figure.

impl Fen {
    /// `self + rhs`, or None when the sum is beyond i64.
    pub fn checked_add(self, rhs: Fen) -> Option<Fen> {
        self.0.checked_add(rhs.0).map(Fen)
    }

    /// `self − rhs`, or None when the difference is beyond i64.
    pub fn checked_sub(self, rhs: Fen) -> Option<Fen> {
        self.0.checked_sub(rhs.0).map(Fen)
    }

    /// The exact sum, or None when it is beyond i64 (at any step).
    pub fn try_sum<I: IntoIterator<Item = Fen>>(iter: I) -> Option<Fen> {
        iter.into_iter()
            .try_fold(Fen::ZERO, |acc, f| acc.checked_add(f))
    }
}

/// What a clerk is told when a total of money cannot be computed exactly
/// (the ledger holds amounts beyond the bounds of FORMATS.md, written by an
/// old version or by another program).
pub const OVERFLOW_MESSAGE: &str = "金额合计超出可计算的范围（台账中有超过上限的异常金额），无法计算；请运行 djtz check 检查台账并更正这些金额";

impl Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0.saturating_add(rhs.0))
    }
}

impl Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0.saturating_sub(rhs.0))
    }
}

impl AddAssign for Fen {
    fn add_assign(&mut self, rhs: Fen) {
        *self = *self + rhs;
    }
}

impl SubAssign for Fen {
    fn sub_assign(&mut self, rhs: Fen) {
        *self = *self - rhs;
    }
}

impl Neg for Fen {
    type Output = Fen;
    fn neg(self) -> Fen {
        Fen(self.0.saturating_neg())
    }
}

impl Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |acc, f| acc + f)
    }
}

impl<'a> Sum<&'a Fen> for Fen {
    fn sum<I: Iterator<Item = &'a Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |acc, f| acc + *f)
    }
}

impl ToSql for Fen {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Fen {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(v).map(Fen)
    }
}

/// The bound of FORMATS.md in words: `100,000,000.00 元（1 亿元）`.
fn bound_text(max: i64) -> String {
    let words = match max {
        MAX_ENTRY_FEN => "（1 亿元）",
        MAX_DUES_FEN => "（100 万元）",
        _ => "",
    };
    format!("{} 元{words}", Fen(max).yuan_grouped())
}

/// `f` itself when it is at most `max` (`MAX_ENTRY_FEN` for a fund entry,
/// `MAX_DUES_FEN` for 计算基数, 应交 and 实交), else the Chinese reason.
pub fn check_max(f: Fen, max: i64) -> Result<Fen, String> {
    if f.0 > max {
        Err(format!(
            "金额 {} 元超过上限 {}，请核对",
            f.yuan_grouped(),
            bound_text(max)
        ))
    } else {
        Ok(f)
    }
}

fn not_a_number(s: &str) -> String {
    format!("金额“{s}”不是有效的数字，请填写元，如 1234.50")
}

fn too_large(s: &str) -> String {
    format!("金额“{s}”过大，请核对")
}

/// Parses yuan as written in a cell or a form field: `1234.5`, `1,234.50`,
/// `¥1234.50`, `RMB 12`, `12元`. At most two decimals (extra trailing
/// zeros such as `1.230` are harmless and accepted), no sign, thousands
/// separators only in proper groups of three.
pub fn parse_yuan(s: &str) -> Result<Fen, String> {
    let folded = fold_fullwidth(s);
    let shown = folded.trim();
    if shown.is_empty() {
        return Err("金额不能为空，请填写元，如 1234.50".to_string());
    }
    let mut t = shown;
    if let Some(rest) = t.strip_prefix('¥').or_else(|| t.strip_prefix('￥')) {
        t = rest.trim_start();
    } else if t.len() >= 3 && t.is_char_boundary(3) && t[..3].eq_ignore_ascii_case("RMB") {
        t = t[3..].trim_start();
    }
    if let Some(rest) = t.strip_suffix('元') {
        t = rest.trim_end();
    }
    if t.starts_with('-') {
        return Err(format!("金额“{shown}”不能为负数，请填写0或正数"));
    }
    if t.is_empty() {
        return Err(not_a_number(shown));
    }

    let (int_part, frac_part) = match t.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (t, None),
    };

    // Integer part: plain digits, or digits grouped by commas in threes.
    let int_digits: String = if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || !all_digits(first) {
            return Err(bad_grouping(shown));
        }
        let mut digits = first.to_string();
        for g in groups {
            if g.len() != 3 || !all_digits(g) {
                return Err(bad_grouping(shown));
            }
            digits.push_str(g);
        }
        digits
    } else {
        if !all_digits(int_part) {
            return Err(not_a_number(shown));
        }
        int_part.to_string()
    };

    let frac = match frac_part {
        None => "",
        Some(f) => {
            if f.is_empty() || !all_digits(f) {
                return Err(not_a_number(shown));
            }
            f
        }
    };
    if int_digits.is_empty() && frac.is_empty() {
        return Err(not_a_number(shown));
    }
    let (kept, extra) = frac.split_at(frac.len().min(2));
    if extra.bytes().any(|b| b != b'0') {
        return Err(format!(
            "金额最多两位小数：“{shown}”有{}位小数，请精确到分，如 1234.50",
            frac.len()
        ));
    }

    let mut fen: i64 = 0;
    for b in int_digits.bytes() {
        fen = fen
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or_else(|| too_large(shown))?;
    }
    let mut cents: i64 = 0;
    for i in 0..2 {
        let d = kept.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        cents = cents * 10 + d;
    }
    fen.checked_mul(100)
        .and_then(|v| v.checked_add(cents))
        .map(Fen)
        .ok_or_else(|| too_large(shown))
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn bad_grouping(s: &str) -> String {
    format!("金额“{s}”的千位分隔符“,”位置不对，请写成 1,234.50 或 1234.50")
}

/// Converts a number cell of a workbook (a double) to fen. Rejects
/// non-finite, negative and values with more than two decimals.
pub fn from_excel_number(v: f64) -> Result<Fen, String> {
    if !v.is_finite() {
        return Err("金额不是有效的数字，请填写元，如 1234.50".to_string());
    }
    if v < 0.0 {
        return Err(format!("金额“{v}”不能为负数，请填写0或正数"));
    }
    let x = v * 100.0;
    let r = x.round();
    if (x - r).abs() > 1e-6 {
        return Err(format!(
            "金额最多两位小数：“{v}”超过两位小数，请精确到分，如 1234.50"
        ));
    }
    // 2^63 is exactly representable; anything at or above it overflows i64.
    if r >= 9_223_372_036_854_775_808.0 {
        return Err(too_large(&v.to_string()));
    }
    Ok(Fen(r as i64))
}

/// Parses a money form field that may be a small sum: `120+35.5`,
/// `100-20.5`. Every term is read by [`parse_yuan`]; the result must not
/// be negative.
pub fn parse_yuan_expr(s: &str) -> Result<Fen, String> {
    let t = fold_input(s);
    if t.is_empty() {
        return Err("金额不能为空，请填写元，如 1234.50".to_string());
    }
    if t.starts_with('-') {
        return Err(format!("金额“{t}”不能为负数，请填写0或正数"));
    }
    let mut total: i64 = 0;
    let mut sign: i64 = 1;
    let mut rest = t.as_str();
    loop {
        let end = rest.find(['+', '-']).unwrap_or(rest.len());
        let term = rest[..end].trim();
        if term.is_empty() {
            return Err(format!(
                "金额算式“{t}”不完整，请在“+”“-”两边都填写金额，如 120+35.5"
            ));
        }
        let v = parse_yuan(term)?;
        total =
            v.0.checked_mul(sign)
                .and_then(|x| total.checked_add(x))
                .ok_or_else(|| too_large(&t))?;
        if end == rest.len() {
            break;
        }
        sign = if rest[end..].starts_with('+') { 1 } else { -1 };
        rest = &rest[end + 1..];
    }
    if total < 0 {
        return Err(format!(
            "金额算式“{t}”的结果为{}，不能为负数，请核对",
            Fen(total)
        ));
    }
    Ok(Fen(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_plain_and_grouped() {
        assert_eq!(Fen(123450).to_string(), "1234.50");
        assert_eq!(Fen(-305).to_string(), "-3.05");
        assert_eq!(Fen(0).to_string(), "0.00");
        assert_eq!(Fen(7).to_string(), "0.07");
        assert_eq!(Fen(-7).to_string(), "-0.07");
        assert_eq!(Fen(123450).yuan_grouped(), "1,234.50");
        assert_eq!(Fen(12345).yuan_grouped(), "123.45");
        assert_eq!(Fen(100_000).yuan_grouped(), "1,000.00");
        assert_eq!(Fen(12_345_678_901).yuan_grouped(), "123,456,789.01");
        assert_eq!(Fen(-100_000_000).yuan_grouped(), "-1,000,000.00");
        assert_eq!(Fen(0).yuan_grouped(), "0.00");
        assert_eq!(Fen(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn arithmetic() {
        let mut a = Fen(100) + Fen(50) - Fen(30);
        assert_eq!(a, Fen(120));
        a += Fen(5);
        a -= Fen(25);
        assert_eq!(a, Fen(100));
        assert_eq!(-a, Fen(-100));
        let v = [Fen(1), Fen(2), Fen(3)];
        assert_eq!(v.iter().sum::<Fen>(), Fen(6));
        assert_eq!(v.into_iter().sum::<Fen>(), Fen(6));
        assert_eq!(Vec::<Fen>::new().into_iter().sum::<Fen>(), Fen(0));
    }

    #[test]
    fn arithmetic_never_wraps() {
        let big = Fen(i64::MAX - 1);
        assert_eq!(big + Fen(5), Fen(i64::MAX));
        assert_eq!(Fen(i64::MIN + 1) - Fen(5), Fen(i64::MIN));
        assert_eq!(-Fen(i64::MIN), Fen(i64::MAX));
        let mut a = big;
        a += big;
        assert_eq!(a, Fen(i64::MAX));
        assert_eq!([big, big].iter().sum::<Fen>(), Fen(i64::MAX));
        assert_eq!(big.checked_add(Fen(1)), Some(Fen(i64::MAX)));
        assert_eq!(big.checked_add(Fen(2)), None);
        assert_eq!(Fen(i64::MIN).checked_sub(Fen(1)), None);
        assert_eq!(Fen(5).checked_sub(Fen(7)), Some(Fen(-2)));
        assert_eq!(Fen::try_sum([Fen(1), Fen(2)]), Some(Fen(3)));
        assert_eq!(Fen::try_sum([big, Fen(1), Fen(1)]), None);
        assert_eq!(Fen::try_sum([]), Some(Fen(0)));
    }

    #[test]
    fn bounds() {
        assert_eq!(
            check_max(Fen(MAX_ENTRY_FEN), MAX_ENTRY_FEN),
            Ok(Fen(MAX_ENTRY_FEN))
        );
        let e = check_max(Fen(MAX_ENTRY_FEN + 1), MAX_ENTRY_FEN).unwrap_err();
        assert_eq!(
            e,
            "金额 100,000,000.01 元超过上限 100,000,000.00 元（1 亿元），请核对"
        );
        let e = check_max(Fen(i64::MAX), MAX_DUES_FEN).unwrap_err();
        assert!(e.contains("超过上限 1,000,000.00 元（100 万元）"), "{e}");
        assert!(check_max(Fen(MAX_DUES_FEN), MAX_DUES_FEN).is_ok());
    }

    #[test]
    fn parse_accepts_the_formats() {
        assert_eq!(parse_yuan("1234.5"), Ok(Fen(123450)));
        assert_eq!(parse_yuan("1,234.50"), Ok(Fen(123450)));
        assert_eq!(parse_yuan("¥1234.50"), Ok(Fen(123450)));
        assert_eq!(parse_yuan("￥1234.50"), Ok(Fen(123450)));
        assert_eq!(parse_yuan("RMB 12"), Ok(Fen(1200)));
        assert_eq!(parse_yuan("rmb12.3"), Ok(Fen(1230)));
        assert_eq!(parse_yuan("12元"), Ok(Fen(1200)));
        assert_eq!(parse_yuan(" ¥ 1,000 元 "), Ok(Fen(100000)));
        assert_eq!(parse_yuan("１２３４．５"), Ok(Fen(123450)));
        assert_eq!(parse_yuan("0"), Ok(Fen(0)));
        assert_eq!(parse_yuan("0.01"), Ok(Fen(1)));
        assert_eq!(parse_yuan(".5"), Ok(Fen(50)));
        assert_eq!(parse_yuan("1.230"), Ok(Fen(123)));
        assert_eq!(parse_yuan("1,234,567.89"), Ok(Fen(123456789)));
        assert_eq!(parse_yuan("007"), Ok(Fen(700)));
    }

    #[test]
    fn parse_rejects_bad_input() {
        let e = parse_yuan("abc").unwrap_err();
        assert!(e.contains("abc") && e.contains("不是有效的数字"), "{e}");
        assert!(
            parse_yuan("1.234")
                .unwrap_err()
                .contains("金额最多两位小数")
        );
        assert!(
            parse_yuan("1.001")
                .unwrap_err()
                .contains("金额最多两位小数")
        );
        assert!(parse_yuan("-5").unwrap_err().contains("负数"));
        assert!(parse_yuan("¥-5").unwrap_err().contains("负数"));
        assert!(parse_yuan("+5").is_err());
        assert!(parse_yuan("12,34").unwrap_err().contains("千位分隔符"));
        assert!(parse_yuan("1234,567").is_err());
        assert!(parse_yuan(",123").is_err());
        assert!(parse_yuan("1,23,456").is_err());
        assert!(parse_yuan("1,234,").is_err());
        assert!(parse_yuan("").unwrap_err().contains("不能为空"));
        assert!(parse_yuan("   ").is_err());
        assert!(parse_yuan("¥").is_err());
        assert!(parse_yuan("元").is_err());
        assert!(parse_yuan(".").is_err());
        assert!(parse_yuan("5.").is_err());
        assert!(parse_yuan("1.2.3").is_err());
        assert!(parse_yuan("1e5").is_err());
        assert!(parse_yuan("1 234").is_err());
        assert!(parse_yuan("١٢").is_err());
    }

    #[test]
    fn parse_checks_overflow() {
        // i64::MAX = 9223372036854775807 fen = 92233720368547758.07 元.
        assert_eq!(parse_yuan("92233720368547758.07"), Ok(Fen(i64::MAX)));
        assert!(
            parse_yuan("92233720368547758.08")
                .unwrap_err()
                .contains("过大")
        );
        assert!(
            parse_yuan("99999999999999999999999")
                .unwrap_err()
                .contains("过大")
        );
    }

    #[test]
    fn excel_numbers() {
        assert_eq!(from_excel_number(1234.5), Ok(Fen(123450)));
        assert_eq!(from_excel_number(0.1 + 0.2), Ok(Fen(30)));
        assert_eq!(from_excel_number(1234.50000000001), Ok(Fen(123450)));
        assert_eq!(from_excel_number(0.0), Ok(Fen(0)));
        assert_eq!(from_excel_number(-0.0), Ok(Fen(0)));
        assert_eq!(from_excel_number(19.99), Ok(Fen(1999)));
        assert!(
            from_excel_number(1.234)
                .unwrap_err()
                .contains("金额最多两位小数")
        );
        assert!(from_excel_number(-1.0).unwrap_err().contains("负数"));
        assert!(from_excel_number(f64::NAN).is_err());
        assert!(from_excel_number(f64::INFINITY).is_err());
        assert!(from_excel_number(1e300).unwrap_err().contains("过大"));
    }

    #[test]
    fn expressions() {
        assert_eq!(parse_yuan_expr("120+35.5"), Ok(Fen(15550)));
        assert_eq!(parse_yuan_expr("100-20.5"), Ok(Fen(7950)));
        assert_eq!(parse_yuan_expr("１２０＋３５。５"), Ok(Fen(15550)));
        assert_eq!(parse_yuan_expr(" 1,000 + 1 - 0.01 "), Ok(Fen(100099)));
        assert_eq!(parse_yuan_expr("10—10"), Ok(Fen(0)));
        assert_eq!(parse_yuan_expr("66.6"), Ok(Fen(6660)));
        assert_eq!(parse_yuan_expr("5-10+10"), Ok(Fen(500)));
        let e = parse_yuan_expr("5-10").unwrap_err();
        assert!(e.contains("-5.00") && e.contains("负数"), "{e}");
        assert!(parse_yuan_expr("-5").unwrap_err().contains("负数"));
        assert!(parse_yuan_expr("120+").unwrap_err().contains("不完整"));
        assert!(parse_yuan_expr("120++5").unwrap_err().contains("不完整"));
        assert!(
            parse_yuan_expr("1.234+1")
                .unwrap_err()
                .contains("金额最多两位小数")
        );
        assert!(parse_yuan_expr("a+1").unwrap_err().contains("“a”"));
        assert!(parse_yuan_expr("").is_err());
    }

    #[test]
    fn sqlite_and_serde() -> Result<(), Box<dyn std::error::Error>> {
        let db = rusqlite::Connection::open_in_memory()?;
        db.execute("CREATE TABLE t (v INTEGER)", [])?;
        db.execute("INSERT INTO t VALUES (?1)", [Fen(-12345)])?;
        let (v, ty): (Fen, String) = db.query_row("SELECT v, typeof(v) FROM t", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        assert_eq!(v, Fen(-12345));
        assert_eq!(ty, "integer");
        assert_eq!(serde_json::to_string(&Fen(150))?, "150");
        assert_eq!(serde_json::from_str::<Fen>("150")?, Fen(150));
        Ok(())
    }
}
