//! Dates and report months: the spellings of FORMATS.md, the typing
//! shortcuts of UX.md, Excel serial dates and the `Month` type.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::text::fold_input;

/// Years accepted in typed or imported dates; anything else is a typo
/// (FORMATS.md: dates lie in 1900-01-01 … 2100-12-31).
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2100;

/// The Excel serial of 2100-12-31, the last date a ledger holds.
const MAX_SERIAL: u64 = 73_415;

/// `d` itself when it lies in 1900-01-01 … 2100-12-31, else the Chinese
/// reason.
pub fn check_date_range(d: NaiveDate) -> Result<NaiveDate, String> {
    if (MIN_YEAR..=MAX_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(format!(
            "日期 {d} 不合理（应在 {MIN_YEAR}-01-01 至 {MAX_YEAR}-12-31 之间），请核对"
        ))
    }
}

fn unrecognised(t: &str) -> String {
    format!("日期“{t}”无法识别，请写成 2026-10-15")
}

fn nonexistent(t: &str) -> String {
    format!("日期“{t}”不存在，请核对年、月、日")
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Builds a date from parsed numbers; `t` is the text for the message.
fn ymd(t: &str, y: u32, m: u32, d: u32) -> Result<NaiveDate, String> {
    let y = i32::try_from(y).map_err(|_| nonexistent(t))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(format!(
            "日期“{t}”的年份{y}不合理（应在{MIN_YEAR}—{MAX_YEAR}之间），请核对"
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| nonexistent(t))
}

/// Splits `M月D日` / `M月D` into month and day strings.
fn split_cn_month_day(s: &str) -> Option<(&str, &str)> {
    let (m, rest) = s.split_once('月')?;
    let d = rest.strip_suffix('日').unwrap_or(rest);
    Some((m, d))
}

/// Splits `a<sep>b<sep>c` (one separator kind) into its parts.
fn split_sep(s: &str) -> Option<Vec<&str>> {
    let sep = s.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    Some(s.split(sep).collect())
}

/// Parses the date part only (no time), `t` already folded.
fn parse_plain_date(t: &str, shown: &str) -> Result<NaiveDate, String> {
    if let Some((y, rest)) = t.split_once('年') {
        let (m, d) = split_cn_month_day(rest).ok_or_else(|| unrecognised(shown))?;
        return match (digits(y, 4, 4), digits(m, 1, 2), digits(d, 1, 2)) {
            (Some(y), Some(m), Some(d)) => ymd(shown, y, m, d),
            _ => Err(unrecognised(shown)),
        };
    }
    if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        return match (
            digits(&t[..4], 4, 4),
            digits(&t[4..6], 2, 2),
            digits(&t[6..], 2, 2),
        ) {
            (Some(y), Some(m), Some(d)) => ymd(shown, y, m, d),
            _ => Err(unrecognised(shown)),
        };
    }
    if let Some(parts) = split_sep(t)
        && parts.len() == 3
    {
        return match (
            digits(parts[0], 4, 4),
            digits(parts[1], 1, 2),
            digits(parts[2], 1, 2),
        ) {
            (Some(y), Some(m), Some(d)) => ymd(shown, y, m, d),
            _ => Err(unrecognised(shown)),
        };
    }
    Err(unrecognised(shown))
}

/// Whether `s` looks like a clock time: `00:00`, `00:00:00`, `0:00:00.000`.
fn is_time(s: &str) -> bool {
    let (hms, frac) = match s.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|p| digits(p, 1, 2).is_some())
        && frac.is_none_or(|f| digits(f, 1, 9).is_some())
}

/// Parses an absolute date as FORMATS.md spells it: `2026-10-15`,
/// `2026/10/15`, `2026.10.15`, `2026年10月15日` (日 optional), single-digit
/// month/day, `20261015`, and ISO date-times (the time is dropped).
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = fold_input(s);
    if t.is_empty() {
        return Err("日期不能为空，请写成 2026-10-15".to_string());
    }
    let (date_part, time_part) = match t.split_once([' ', 'T']) {
        Some((d, rest)) => (d, Some(rest.trim())),
        None => (t.as_str(), None),
    };
    if let Some(time) = time_part
        && !is_time(time)
    {
        return Err(unrecognised(&t));
    }
    parse_plain_date(date_part, &t)
}

/// The most recent date ≤ `today` with the given month and day, looking
/// back far enough to find a 29 February.
fn recent_month_day(t: &str, m: u32, d: u32, today: NaiveDate) -> Result<NaiveDate, String> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(nonexistent(t));
    }
    (0..=8)
        .filter_map(|back| NaiveDate::from_ymd_opt(today.year() - back, m, d))
        .find(|date| *date <= today)
        .ok_or_else(|| nonexistent(t))
}

/// The most recent date ≤ `today` whose day of month is `d`, skipping
/// months that lack it.
fn recent_day(t: &str, d: u32, today: NaiveDate) -> Result<NaiveDate, String> {
    if !(1..=31).contains(&d) {
        return Err(format!("日期“{t}”不存在，日应为1—31"));
    }
    let (mut y, mut m) = (today.year(), today.month());
    for _ in 0..13 {
        if let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
            && date <= today
        {
            return Ok(date);
        }
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    Err(nonexistent(t))
}

/// Parses a date typed into a form field: everything [`parse_date`]
/// accepts plus the shortcuts of UX.md, relative to `today`:
/// `1015`, `10.15`, `10/15`, `10-15`, `10月15日`, `10月15` (most recent
/// past such date, today included), `15` (most recent past day 15),
/// `+3` / `-3` (days from today).
pub fn parse_date_input(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let t = fold_input(s);
    if t.is_empty() {
        return Err("日期不能为空，请写成 2026-10-15，或只写日如 15".to_string());
    }
    // +N / -N: days from today.
    if let Some((sign, rest)) = t
        .strip_prefix('+')
        .map(|r| (1, r))
        .or_else(|| t.strip_prefix('-').map(|r| (-1, r)))
    {
        let n = digits(rest.trim(), 1, 5).ok_or_else(|| unrecognised(&t))?;
        let moved = if sign > 0 {
            today.checked_add_days(Days::new(u64::from(n)))
        } else {
            today.checked_sub_days(Days::new(u64::from(n)))
        };
        return moved
            .ok_or_else(|| nonexistent(&t))
            .and_then(check_date_range);
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.len() {
            1 | 2 => {
                let d = digits(&t, 1, 2).ok_or_else(|| unrecognised(&t))?;
                if d == 0 {
                    return Err(unrecognised(&t));
                }
                recent_day(&t, d, today)
            }
            4 => match (digits(&t[..2], 2, 2), digits(&t[2..], 2, 2)) {
                (Some(m), Some(d)) => recent_month_day(&t, m, d, today),
                _ => Err(unrecognised(&t)),
            },
            _ => parse_date(&t),
        };
    }
    if !t.contains('年')
        && let Some((m, d)) = split_cn_month_day(&t)
    {
        return match (digits(m, 1, 2), digits(d, 1, 2)) {
            (Some(m), Some(d)) => recent_month_day(&t, m, d, today),
            _ => Err(unrecognised(&t)),
        };
    }
    if let Some(parts) = split_sep(&t)
        && parts.len() == 2
    {
        return match (digits(parts[0], 1, 2), digits(parts[1], 1, 2)) {
            (Some(m), Some(d)) => recent_month_day(&t, m, d, today),
            _ => Err(unrecognised(&t)),
        };
    }
    parse_date(&t)
}

/// The Chinese weekday name, `星期一` … `星期日`.
pub fn weekday_cn(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// Converts an Excel date serial (1900 date system) to a date; the time
/// of day (fraction) is ignored. Serial 1 is 1900-01-01; serial 60 is
/// Excel's fictitious 1900-02-29 and gives `None`, as do serials < 1 and
/// serials after 2100-12-31 (73415), the range of FORMATS.md.
pub fn from_excel_serial(v: f64) -> Option<NaiveDate> {
    if !(1.0..3_000_000.0).contains(&v) {
        return None;
    }
    let n = v.floor() as u64;
    match n {
        60 => None,
        n if n > MAX_SERIAL => None,
        1..=59 => NaiveDate::from_ymd_opt(1900, 1, 1)?.checked_add_days(Days::new(n - 1)),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(n)),
    }
}

/// A calendar month, the unit of reports and dues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Month {
    year: i32,
    month: u32,
}

const MONTH_MIN_YEAR: i32 = 1;
const MONTH_MAX_YEAR: i32 = 9999;

impl Month {
    /// `None` unless `month` is 1–12 and `year` is 1–9999.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((MONTH_MIN_YEAR..=MONTH_MAX_YEAR).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    /// Parses `2026-10`, `2026-1`, `2026/10`, `2026.10`, `2026年10月`,
    /// `202610`, or a full date (its month is taken).
    pub fn parse(s: &str) -> Result<Month, String> {
        let t = fold_input(s);
        if t.is_empty() {
            return Err("月份不能为空，请写成 2026-10".to_string());
        }
        let bad = || format!("月份“{t}”无法识别，请写成 2026-10");
        let (y, m) = if let Some((y, rest)) = t.split_once('年') {
            match rest.strip_suffix('月') {
                Some(m) => (y, m),
                // Something after 月 (a day): a full date.
                None => return parse_date(&t).map(Month::of).map_err(|_| bad()),
            }
        } else if t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit()) {
            (&t[..4], &t[4..])
        } else if let Some(parts) = split_sep(&t)
            && parts.len() == 2
        {
            (parts[0], parts[1])
        } else {
            return parse_date(&t).map(Month::of).map_err(|e| {
                if e.contains("不存在") || e.contains("年份") {
                    e
                } else {
                    bad()
                }
            });
        };
        let (Some(y), Some(m)) = (digits(y, 4, 4), digits(m, 1, 2)) else {
            return Err(bad());
        };
        if !(1..=12).contains(&m) {
            return Err(format!("月份“{t}”不存在，月应为1—12"));
        }
        let y = i32::try_from(y).map_err(|_| bad())?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err(format!(
                "月份“{t}”的年份{y}不合理（应在{MIN_YEAR}—{MAX_YEAR}之间），请核对"
            ));
        }
        Month::new(y, m).ok_or_else(bad)
    }

    /// The month a date falls in.
    pub fn of(d: NaiveDate) -> Month {
        Month {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next_first = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)
        };
        next_first
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn contains(self, d: NaiveDate) -> bool {
        d.year() == self.year && d.month() == self.month
    }

    /// Months counted from year 0 (used for differences).
    fn ordinal(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// `self − earlier` in months (negative if `earlier` is later).
    pub fn months_since(self, earlier: Month) -> i64 {
        self.ordinal() - earlier.ordinal()
    }

    /// This month moved by `n` months; clamped to 0001-01 … 9999-12.
    pub fn add_months(self, n: i32) -> Month {
        let min = i64::from(MONTH_MIN_YEAR) * 12;
        let max = i64::from(MONTH_MAX_YEAR) * 12 + 11;
        let o = (self.ordinal() + i64::from(n)).clamp(min, max);
        Month {
            year: (o / 12) as i32,
            month: (o % 12) as u32 + 1,
        }
    }

    pub fn prev(self) -> Month {
        self.add_months(-1)
    }

    pub fn next(self) -> Month {
        self.add_months(1)
    }

    /// 1 ..= 4.
    pub fn quarter(self) -> u32 {
        (self.month - 1) / 3 + 1
    }

    /// March, June, September, December.
    pub fn is_quarter_end(self) -> bool {
        self.month.is_multiple_of(3)
    }

    /// The first month of this month's quarter (e.g. 2026-08 → 2026-07).
    pub fn quarter_first_month(self) -> Month {
        Month {
            year: self.year,
            month: (self.quarter() - 1) * 3 + 1,
        }
    }

    /// `2026年10月`.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

impl fmt::Display for Month {
    /// `2026-10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = String;
    fn from_str(s: &str) -> Result<Month, String> {
        Month::parse(s)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let s = String::deserialize(d)?;
        Month::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl ToSql for Month {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_string()))
    }
}

impl FromSql for Month {
    fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
        let s = v.as_str()?;
        Month::parse(s).map_err(|e| FromSqlError::Other(e.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn absolute_spellings() {
        let want = Ok(d(2026, 10, 15));
        for s in [
            "2026-10-15",
            "2026/10/15",
            "2026.10.15",
            "2026年10月15日",
            "2026年10月15",
            "20261015",
            "2026-10-15 00:00:00",
            "2026-10-15T00:00:00",
            "2026-10-15T13:45",
            "2026-10-15 0:00:00.000",
            " ２０２６－１０－１５ ",
            "２０２６年１０月１５日",
            "2026。10。15",
        ] {
            assert_eq!(parse_date(s), want, "{s}");
        }
        assert_eq!(parse_date("2026-1-5"), Ok(d(2026, 1, 5)));
        assert_eq!(parse_date("2026年1月5日"), Ok(d(2026, 1, 5)));
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn absolute_errors() {
        let e = parse_date("2026-02-30").unwrap_err();
        assert!(e.contains("日期“2026-02-30”不存在"), "{e}");
        assert!(parse_date("2026-13-01").unwrap_err().contains("不存在"));
        assert!(parse_date("20260230").unwrap_err().contains("不存在"));
        assert!(parse_date("2025-02-29").unwrap_err().contains("不存在"));
        let e = parse_date("abc").unwrap_err();
        assert_eq!(e, "日期“abc”无法识别，请写成 2026-10-15");
        for s in [
            "2026-10",
            "2026-10/15",
            "26-10-15",
            "2026-100-15",
            "2026-10-15 noon",
            "2026-10-15T",
            "2026年10月",
            "2026年10",
            "1015",
            "10.15",
            "2026--10-15",
        ] {
            assert!(parse_date(s).unwrap_err().contains("无法识别"), "{s}");
        }
        assert!(parse_date("").unwrap_err().contains("不能为空"));
        assert!(parse_date("0026-10-15").unwrap_err().contains("年份"));
        // FORMATS.md: dates lie in 1900-01-01 … 2100-12-31.
        assert_eq!(parse_date("2100-12-31"), Ok(d(2100, 12, 31)));
        assert_eq!(parse_date("1900-01-01"), Ok(d(1900, 1, 1)));
        assert!(parse_date("2101-01-01").unwrap_err().contains("1900—2100"));
        assert!(parse_date("1899-12-31").unwrap_err().contains("年份"));
        assert!(check_date_range(d(2100, 12, 31)).is_ok());
        assert!(check_date_range(d(1900, 1, 1)).is_ok());
        assert!(check_date_range(d(2101, 1, 1)).is_err());
        assert!(check_date_range(d(1899, 12, 31)).is_err());
    }

    #[test]
    fn shortcuts_month_day() {
        let today = d(2026, 10, 15);
        for s in ["1015", "10.15", "10/15", "10-15", "10月15日", "10月15"] {
            assert_eq!(parse_date_input(s, today), Ok(today), "{s}");
        }
        // After today: previous year.
        assert_eq!(parse_date_input("1016", today), Ok(d(2025, 10, 16)));
        assert_eq!(parse_date_input("12.31", today), Ok(d(2025, 12, 31)));
        assert_eq!(parse_date_input("1.5", today), Ok(d(2026, 1, 5)));
        assert_eq!(parse_date_input("0101", today), Ok(d(2026, 1, 1)));
        // 29 February: the most recent one (2024).
        assert_eq!(parse_date_input("0229", today), Ok(d(2024, 2, 29)));
        assert_eq!(
            parse_date_input("2月29日", d(2024, 3, 1)),
            Ok(d(2024, 2, 29))
        );
        assert!(
            parse_date_input("0230", today)
                .unwrap_err()
                .contains("不存在")
        );
        assert!(
            parse_date_input("1301", today)
                .unwrap_err()
                .contains("不存在")
        );
        assert!(
            parse_date_input("13.01", today)
                .unwrap_err()
                .contains("不存在")
        );
        assert!(parse_date_input("10月", today).is_err());
        // Absolute forms still work and are not moved.
        assert_eq!(parse_date_input("2027-01-01", today), Ok(d(2027, 1, 1)));
        assert_eq!(parse_date_input("20261015", today), Ok(today));
    }

    #[test]
    fn shortcuts_day_only() {
        let today = d(2026, 10, 15);
        assert_eq!(parse_date_input("15", today), Ok(today));
        assert_eq!(parse_date_input("5", today), Ok(d(2026, 10, 5)));
        assert_eq!(parse_date_input("05", today), Ok(d(2026, 10, 5)));
        assert_eq!(parse_date_input("16", today), Ok(d(2026, 9, 16)));
        // September has no 31st: August.
        assert_eq!(parse_date_input("31", today), Ok(d(2026, 8, 31)));
        // Across the year boundary.
        assert_eq!(parse_date_input("20", d(2026, 1, 10)), Ok(d(2025, 12, 20)));
        // 30 from early March: February lacks it, January has it.
        assert_eq!(parse_date_input("30", d(2026, 3, 1)), Ok(d(2026, 1, 30)));
        assert!(
            parse_date_input("32", today)
                .unwrap_err()
                .contains("不存在")
        );
        assert!(parse_date_input("0", today).is_err());
        assert!(parse_date_input("00", today).is_err());
        assert!(parse_date_input("", today).is_err());
        assert!(parse_date_input("  ", today).is_err());
        assert!(parse_date_input("123", today).is_err());
    }

    #[test]
    fn shortcuts_relative() {
        let today = d(2026, 10, 15);
        assert_eq!(parse_date_input("+3", today), Ok(d(2026, 10, 18)));
        assert_eq!(parse_date_input("-3", today), Ok(d(2026, 10, 12)));
        assert_eq!(parse_date_input("－３", today), Ok(d(2026, 10, 12)));
        assert_eq!(parse_date_input("+0", today), Ok(today));
        assert_eq!(parse_date_input("+20", d(2026, 12, 20)), Ok(d(2027, 1, 9)));
        assert!(parse_date_input("+", today).is_err());
        assert!(parse_date_input("-x", today).is_err());
        assert!(parse_date_input("+3天", today).is_err());
        // Beyond 2100-12-31: refused like a typed year 2101.
        assert!(
            parse_date_input("+99999", today)
                .unwrap_err()
                .contains("2100-12-31")
        );
        assert_eq!(parse_date_input("+1", d(2100, 12, 30)), Ok(d(2100, 12, 31)));
    }

    #[test]
    fn weekdays() {
        assert_eq!(weekday_cn(d(2026, 10, 15)), "星期四");
        assert_eq!(weekday_cn(d(2026, 10, 18)), "星期日");
        assert_eq!(weekday_cn(d(2026, 10, 12)), "星期一");
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_excel_serial(1.0), Some(d(1900, 1, 1)));
        assert_eq!(from_excel_serial(59.0), Some(d(1900, 2, 28)));
        assert_eq!(from_excel_serial(60.0), None);
        assert_eq!(from_excel_serial(61.0), Some(d(1900, 3, 1)));
        assert_eq!(from_excel_serial(36526.0), Some(d(2000, 1, 1)));
        assert_eq!(from_excel_serial(46023.0), Some(d(2026, 1, 1)));
        assert_eq!(from_excel_serial(46310.75), Some(d(2026, 10, 15)));
        assert_eq!(from_excel_serial(0.0), None);
        assert_eq!(from_excel_serial(0.5), None);
        assert_eq!(from_excel_serial(-1.0), None);
        assert_eq!(from_excel_serial(f64::NAN), None);
        assert_eq!(from_excel_serial(f64::INFINITY), None);
        // Beyond 2100-12-31 (FORMATS.md's range): no date.
        assert_eq!(from_excel_serial(73415.0), Some(d(2100, 12, 31)));
        assert_eq!(from_excel_serial(73415.9), Some(d(2100, 12, 31)));
        assert_eq!(from_excel_serial(73416.0), None);
        assert_eq!(from_excel_serial(2_958_465.0), None);
    }

    #[test]
    fn month_parse() {
        let oct = Month::new(2026, 10);
        for s in [
            "2026-10",
            "2026/10",
            "2026.10",
            "2026年10月",
            "202610",
            "2026-10-15",
            "2026年10月1日",
            "20261031",
            "２０２６－１０",
        ] {
            assert_eq!(Month::parse(s).ok(), oct, "{s}");
        }
        assert_eq!(Month::parse("2026-1").ok(), Month::new(2026, 1));
        assert!(Month::parse("2026-13").unwrap_err().contains("不存在"));
        assert!(Month::parse("2026-00").unwrap_err().contains("不存在"));
        assert!(Month::parse("202613").unwrap_err().contains("不存在"));
        assert!(Month::parse("2026-02-30").unwrap_err().contains("不存在"));
        assert_eq!(
            Month::parse("十月").unwrap_err(),
            "月份“十月”无法识别，请写成 2026-10"
        );
        assert!(Month::parse("10-2026").is_err());
        assert!(Month::parse("2026").is_err());
        assert!(Month::parse("").is_err());
        assert!(Month::parse("0026-10").unwrap_err().contains("年份"));
        assert!(Month::parse("2101-01").unwrap_err().contains("年份"));
        assert!(Month::parse("2100-12").is_ok());
        assert_eq!("2026-10".parse::<Month>().ok(), oct);
    }

    #[test]
    fn month_calendar() -> Result<(), String> {
        let m = Month::parse("2026-10")?;
        assert_eq!((m.year(), m.month()), (2026, 10));
        assert_eq!(m.first_day(), d(2026, 10, 1));
        assert_eq!(m.last_day(), d(2026, 10, 31));
        assert_eq!(Month::parse("2024-02")?.last_day(), d(2024, 2, 29));
        assert_eq!(Month::parse("2026-02")?.last_day(), d(2026, 2, 28));
        assert_eq!(Month::parse("2026-12")?.last_day(), d(2026, 12, 31));
        assert!(m.contains(d(2026, 10, 1)) && m.contains(d(2026, 10, 31)));
        assert!(!m.contains(d(2026, 11, 1)) && !m.contains(d(2025, 10, 15)));
        assert_eq!(m.prev(), Month::parse("2026-09")?);
        assert_eq!(m.next().next().next(), Month::parse("2027-01")?);
        assert_eq!(Month::parse("2026-01")?.prev(), Month::parse("2025-12")?);
        assert_eq!(m.add_months(-10), Month::parse("2025-12")?);
        assert_eq!(m.add_months(-22), Month::parse("2024-12")?);
        assert_eq!(m.add_months(15), Month::parse("2028-01")?);
        assert_eq!(m.add_months(0), m);
        assert_eq!(Month::of(d(2026, 10, 15)), m);
        assert_eq!(m.months_since(Month::parse("2026-04")?), 6);
        assert_eq!(Month::parse("2026-04")?.months_since(m), -6);
        assert_eq!(m.months_since(Month::parse("2025-10")?), 12);
        // Clamped at the ends.
        assert_eq!(m.add_months(i32::MAX), Month::new(9999, 12).ok_or("x")?);
        assert_eq!(m.add_months(i32::MIN), Month::new(1, 1).ok_or("x")?);
        assert_eq!(Month::new(9999, 12).ok_or("x")?.last_day(), d(9999, 12, 31));
        assert!(Month::new(2026, 0).is_none() && Month::new(2026, 13).is_none());
        assert!(Month::new(0, 1).is_none() && Month::new(10000, 1).is_none());
        Ok(())
    }

    #[test]
    fn month_quarters_and_text() -> Result<(), String> {
        let q = |s: &str| Month::parse(s).map(|m| (m.quarter(), m.is_quarter_end()));
        assert_eq!(q("2026-01")?, (1, false));
        assert_eq!(q("2026-03")?, (1, true));
        assert_eq!(q("2026-04")?, (2, false));
        assert_eq!(q("2026-06")?, (2, true));
        assert_eq!(q("2026-09")?, (3, true));
        assert_eq!(q("2026-10")?, (4, false));
        assert_eq!(q("2026-12")?, (4, true));
        assert_eq!(
            Month::parse("2026-08")?.quarter_first_month(),
            Month::parse("2026-07")?
        );
        assert_eq!(
            Month::parse("2026-12")?.quarter_first_month(),
            Month::parse("2026-10")?
        );
        assert_eq!(
            Month::parse("2026-01")?.quarter_first_month(),
            Month::parse("2026-01")?
        );
        let m = Month::parse("2026-1")?;
        assert_eq!(m.to_string(), "2026-01");
        assert_eq!(m.label(), "2026年1月");
        assert_eq!(Month::parse("2026-10")?.label(), "2026年10月");
        assert!(Month::parse("2025-12")? < m);
        Ok(())
    }

    #[test]
    fn month_serde_and_sqlite() -> Result<(), Box<dyn std::error::Error>> {
        let m = Month::parse("2026-03")?;
        assert_eq!(serde_json::to_string(&m)?, "\"2026-03\"");
        assert_eq!(serde_json::from_str::<Month>("\"2026-03\"")?, m);
        assert!(serde_json::from_str::<Month>("\"2026-13\"").is_err());
        let db = rusqlite::Connection::open_in_memory()?;
        db.execute("CREATE TABLE t (m TEXT)", [])?;
        db.execute("INSERT INTO t VALUES (?1)", [m])?;
        let (back, raw): (Month, String) =
            db.query_row("SELECT m, m FROM t", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        assert_eq!(back, m);
        assert_eq!(raw, "2026-03");
        let bad: rusqlite::Result<Month> = db.query_row("SELECT 'xx'", [], |r| r.get(0));
        assert!(bad.is_err());
        Ok(())
    }
}
