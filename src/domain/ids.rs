//! Identifiers of DOMAIN.md "Identifiers": unified social credit code,
//! resident ID number, mobile number; plus masking for display.

use chrono::NaiveDate;

use crate::domain::text::fold_fullwidth;

/// Characters of a unified social credit code; a character's value is its
/// index (I, O, S, V and Z are never used).
const CREDIT_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Result of checking a credit code that has the right shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCheck {
    /// Valid; the normalised code.
    Ok(String),
    /// Right length and characters but the check character does not match
    /// (early codes fail it): a warning, not a rejection. The normalised code.
    BadCheck(String),
}

fn credit_value(c: char) -> Option<u32> {
    CREDIT_CHARSET
        .chars()
        .position(|x| x == c)
        .and_then(|i| u32::try_from(i).ok())
}

/// The check character for the first 17 characters of a credit code, or
/// `None` if `first17` is not 17 characters of the charset.
pub fn credit_check_char(first17: &str) -> Option<char> {
    let mut sum = 0u32;
    let mut n = 0;
    for (c, w) in first17.chars().zip(CREDIT_WEIGHTS) {
        sum += credit_value(c)? * w;
        n += 1;
    }
    if n != 17 || first17.chars().count() != 17 {
        return None;
    }
    let check = (31 - sum % 31) % 31;
    CREDIT_CHARSET.chars().nth(check as usize)
}

/// Checks a 统一社会信用代码: normalises it (half-width, trimmed,
/// upper-case), rejects a wrong length or a character outside the charset,
/// and reports a wrong check character as [`CreditCheck::BadCheck`].
pub fn check_credit_code(s: &str) -> Result<CreditCheck, String> {
    let code = fold_fullwidth(s).trim().to_uppercase();
    let n = code.chars().count();
    if n != 18 {
        return Err(format!(
            "统一社会信用代码“{code}”应为18位，现为{n}位，请核对营业执照"
        ));
    }
    if let Some(bad) = code.chars().find(|c| credit_value(*c).is_none()) {
        return Err(format!(
            "统一社会信用代码“{code}”含有无效字符“{bad}”，只能是数字和大写字母（不含 I、O、S、V、Z），请核对营业执照"
        ));
    }
    let (first17, last) = code.split_at(17);
    if credit_check_char(first17).is_some_and(|c| last.starts_with(c)) {
        Ok(CreditCheck::Ok(code))
    } else {
        Ok(CreditCheck::BadCheck(code))
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECKS: &[u8; 11] = b"10X98765432";

/// The check character for the first 17 digits of a resident ID number,
/// or `None` if `first17` is not exactly 17 ASCII digits.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ID_CHECKS.get((sum % 11) as usize).map(|b| char::from(*b))
}

/// The birth date in digits 7–14, if it is a real date (not checked
/// against today or the check digit).
pub fn birth_date_from_id(id: &str) -> Option<NaiveDate> {
    let id = id.trim();
    if id.len() != 18 || !id.is_char_boundary(6) || !id.is_char_boundary(14) {
        return None;
    }
    let s = &id[6..14];
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s[..4].parse().ok()?;
    let m: u32 = s[4..6].parse().ok()?;
    let d: u32 = s[6..].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `Some(true)` for male (17th digit odd), `Some(false)` for female.
pub fn gender_from_id(id: &str) -> Option<bool> {
    let id = id.trim();
    if id.len() != 18 {
        return None;
    }
    let b = *id.as_bytes().get(16)?;
    b.is_ascii_digit().then(|| (b - b'0') % 2 == 1)
}

/// Validates a 居民身份证号 and returns it normalised (half-width, no
/// spaces, `X` upper-case). The birth date must be real, from 1900 on and
/// not after `today`; the check character must match.
pub fn validate_id_number(s: &str, today: NaiveDate) -> Result<String, String> {
    let id: String = fold_fullwidth(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let n = id.chars().count();
    if n != 18 {
        return Err(format!("身份证号应为18位，“{id}”为{n}位，请核对"));
    }
    let (first17, last) = id.split_at(id.char_indices().nth(17).map_or(id.len(), |(i, _)| i));
    if !first17.bytes().all(|b| b.is_ascii_digit())
        || !(last == "X" || last.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "身份证号“{id}”只能由数字组成，最后一位可以是X，请核对"
        ));
    }
    match birth_date_from_id(&id) {
        Some(b) if b <= today && b >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(b) => {}
        _ => {
            return Err(format!(
                "身份证号中的出生日期无效：“{id}”第7—14位“{}”不是合理的出生日期，请核对",
                &id[6..14]
            ));
        }
    }
    if id_check_char(first17).is_some_and(|c| last.starts_with(c)) {
        Ok(id)
    } else {
        Err(format!("身份证号校验位错误，请核对：“{id}”"))
    }
}

/// Normalises a mobile number: half-width, spaces and `-` removed, a
/// leading `+86` / `0086` / `86` dropped when 11 digits follow; the result
/// must be `1[3-9]` + 9 digits.
pub fn normalize_mobile(s: &str) -> Result<String, String> {
    let folded = fold_fullwidth(s);
    let shown = folded.trim();
    let compact: String = shown
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let mut num = compact.as_str();
    for prefix in ["+86", "0086", "86"] {
        if let Some(rest) = num.strip_prefix(prefix)
            && rest.len() == 11
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            num = rest;
            break;
        }
    }
    let b = num.as_bytes();
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(|x| x.is_ascii_digit());
    if ok {
        Ok(num.to_string())
    } else {
        Err(format!(
            "手机号“{shown}”应为11位、以1开头的号码，如 13800138000"
        ))
    }
}

fn stars(n: usize) -> String {
    "*".repeat(n)
}

/// Masks an ID number for display: `360102********1234` (first 6, eight
/// stars, last 4). Strings shorter than 15 characters keep only their last
/// 4; 4 characters or fewer are masked completely.
pub fn mask_id_number(s: &str) -> String {
    let chars: Vec<char> = s.trim().chars().collect();
    let n = chars.len();
    if n >= 15 {
        let head: String = chars[..6].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}********{tail}")
    } else if n > 4 {
        let tail: String = chars[n - 4..].iter().collect();
        format!("{}{tail}", stars(n - 4))
    } else {
        stars(n)
    }
}

/// Masks a phone number for display: `138****5678`. A valid mobile is
/// normalised first. Other strings of 8+ characters keep their first 3 and
/// last 4; shorter ones keep only their last 2 (if longer than 2).
pub fn mask_phone(s: &str) -> String {
    let num = normalize_mobile(s).unwrap_or_else(|_| s.trim().to_string());
    let chars: Vec<char> = num.chars().collect();
    let n = chars.len();
    if n >= 8 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}{}{tail}", stars(n - 7))
    } else if n > 2 {
        let tail: String = chars[n - 2..].iter().collect();
        format!("{}{tail}", stars(n - 2))
    } else {
        stars(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, 15).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn credit_check_character() {
        // Hand-computed: Σ = 1640, 1640 mod 31 = 28, (31 − 28) mod 31 = 3.
        assert_eq!(credit_check_char("91350100M000100Y4"), Some('3'));
        // All zeros: Σ = 0, check (31 − 0) mod 31 = 0.
        assert_eq!(credit_check_char("00000000000000000"), Some('0'));
        // "1" + 16 zeros: Σ = 1, check = 30 → 'Y'.
        assert_eq!(credit_check_char("10000000000000000"), Some('Y'));
        assert_eq!(credit_check_char("91350100M000100Y"), None);
        assert_eq!(credit_check_char("91350100M000100Y43"), None);
        assert_eq!(credit_check_char("91350100I000100Y4"), None);
    }

    #[test]
    fn credit_codes() {
        assert_eq!(
            check_credit_code("91350100M000100Y43"),
            Ok(CreditCheck::Ok("91350100M000100Y43".into()))
        );
        assert_eq!(
            check_credit_code(" ９１３５０１００ｍ０００１００ｙ４３　"),
            Ok(CreditCheck::Ok("91350100M000100Y43".into()))
        );
        assert_eq!(
            check_credit_code("91350100M000100Y44"),
            Ok(CreditCheck::BadCheck("91350100M000100Y44".into()))
        );
        let e = check_credit_code("91350100M000100Y4").unwrap_err();
        assert!(e.contains("应为18位") && e.contains("17位"), "{e}");
        let e = check_credit_code("91350100O000100Y43").unwrap_err();
        assert!(e.contains("无效字符“O”"), "{e}");
        assert!(check_credit_code("").is_err());
        assert!(check_credit_code("91350100M000100Y4Z").is_err());
    }

    #[test]
    fn id_check_character() {
        // Hand-computed: Σ = 167, 167 mod 11 = 2 → 'X'.
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        // Σ = 237, 237 mod 11 = 6 → '6'.
        assert_eq!(id_check_char("36010219900307123"), Some('6'));
        assert_eq!(id_check_char("1101051949123100"), None);
        assert_eq!(id_check_char("1101051949123100X"), None);
    }

    #[test]
    fn id_numbers() {
        assert_eq!(
            validate_id_number("11010519491231002x", today()),
            Ok("11010519491231002X".into())
        );
        assert_eq!(
            validate_id_number(" 360102 19900307 1236 ", today()),
            Ok("360102199003071236".into())
        );
        assert_eq!(
            validate_id_number("３６０１０２１９９００３０７１２３６", today()),
            Ok("360102199003071236".into())
        );
        let e = validate_id_number("36010219900307123", today()).unwrap_err();
        assert!(e.starts_with("身份证号应为18位"), "{e}");
        let e = validate_id_number("360102199003071235", today()).unwrap_err();
        assert!(e.starts_with("身份证号校验位错误，请核对"), "{e}");
        let e = validate_id_number("36010219900230123X", today()).unwrap_err();
        assert!(e.starts_with("身份证号中的出生日期无效"), "{e}");
        // A future birth date: 2026-10-16 is after today.
        let first17 = "36010220261016123";
        let future = format!("{first17}{}", id_check_char(first17).unwrap_or('0'));
        let e = validate_id_number(&future, today()).unwrap_err();
        assert!(e.contains("出生日期无效"), "{e}");
        // Born today is fine.
        let first17 = "36010220261015123";
        let born_today = format!("{first17}{}", id_check_char(first17).unwrap_or('0'));
        assert_eq!(validate_id_number(&born_today, today()), Ok(born_today));
        assert!(validate_id_number("3601021990030712X6", today()).is_err());
        assert!(validate_id_number("36010219900307123Y", today()).is_err());
        assert!(validate_id_number("", today()).is_err());
    }

    #[test]
    fn id_birth_and_gender() {
        assert_eq!(
            birth_date_from_id("11010519491231002X"),
            NaiveDate::from_ymd_opt(1949, 12, 31)
        );
        assert_eq!(birth_date_from_id("360102199002301236"), None);
        assert_eq!(birth_date_from_id("3601021990"), None);
        assert_eq!(gender_from_id("11010519491231002X"), Some(false));
        assert_eq!(gender_from_id("360102199003071236"), Some(true));
        assert_eq!(gender_from_id("36010219900307123"), None);
    }

    #[test]
    fn mobiles() {
        for s in [
            "13800138000",
            "138 0013 8000",
            "138-0013-8000",
            "+86 138 0013 8000",
            "+8613800138000",
            "008613800138000",
            "8613800138000",
            "１３８００１３８０００",
        ] {
            assert_eq!(normalize_mobile(s), Ok("13800138000".into()), "{s}");
        }
        assert_eq!(normalize_mobile("19912345678"), Ok("19912345678".into()));
        let e = normalize_mobile("12800138000").unwrap_err();
        assert_eq!(
            e,
            "手机号“12800138000”应为11位、以1开头的号码，如 13800138000"
        );
        assert!(normalize_mobile("1380013800").is_err());
        assert!(normalize_mobile("138001380001").is_err());
        assert!(normalize_mobile("0791-88888888").is_err());
        assert!(normalize_mobile("+85213800138000").is_err());
        assert!(normalize_mobile("1380013800a").is_err());
        assert!(normalize_mobile("").is_err());
        // "86" followed by 10 digits is not stripped.
        assert!(normalize_mobile("861380013800").is_err());
    }

    #[test]
    fn masking() {
        assert_eq!(mask_id_number("360102199003071234"), "360102********1234");
        assert_eq!(mask_id_number("360102900307123"), "360102********7123");
        assert_eq!(mask_id_number("12345678"), "****5678");
        assert_eq!(mask_id_number("1234"), "****");
        assert_eq!(mask_id_number(""), "");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("+86 138 1234 5678"), "138****5678");
        assert_eq!(mask_phone("0791-88888888"), "079******8888");
        assert_eq!(mask_phone("123456"), "****56");
        assert_eq!(mask_phone("12"), "**");
    }
}
