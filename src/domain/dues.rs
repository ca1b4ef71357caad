//! Party dues (党费) standards and the back-pay/prepay window
//! (DOMAIN.md "Dues", 党费收缴使用管理规定 2008).

use chrono::NaiveDate;

use crate::domain::dates::Month;
use crate::domain::enums::PersonType;
use crate::domain::money::Fen;

/// Back-pay and prepay are allowed for at most this many months.
pub const MAX_ADVANCE_MONTHS: i32 = 6;

/// Fixed monthly due of 学生 and 失业或低保 members: 0.20 元.
pub const FIXED_DUE_FEN: i64 = 20;

/// Rate in per mille (‰) for a monthly base in fen. Each entry is an
/// inclusive upper bound and its rate; above the last bound, the last rate.
const EMPLOYED_BANDS: [(i64, i64); 4] = [
    (300_000, 5),    // ≤ 3000 元: 0.5%
    (500_000, 10),   // ≤ 5000 元: 1%
    (1_000_000, 15), // ≤ 10000 元: 1.5%
    (i64::MAX, 20),  // > 10000 元: 2%
];
const RETIRED_BANDS: [(i64, i64); 4] = [
    (300_000, 5),    // ≤ 3000 元: 0.5%
    (500_000, 5),    // ≤ 5000 元: 0.5%
    (1_000_000, 10), // ≤ 10000 元: 1%
    (i64::MAX, 10),  // > 10000 元: 1%
];

/// The whole base at its band's rate (not progressive), in fen, rounded
/// half up. A negative base has no standard.
fn banded(base: Fen, bands: &[(i64, i64)]) -> Option<Fen> {
    if base.0 < 0 {
        return None;
    }
    let per_mille = bands.iter().find(|(upper, _)| base.0 <= *upper)?.1;
    let due = (i128::from(base.0) * i128::from(per_mille) + 500) / 1000;
    i64::try_from(due).ok().map(Fen)
}

/// The standard monthly due, or `None` when there is none and it must be
/// entered (其他; 在职/离退休 without a base). `farmer_fen` is the 农民
/// setting (default 20 fen).
pub fn standard_due(kind: PersonType, base: Option<Fen>, farmer_fen: i64) -> Option<Fen> {
    match kind {
        PersonType::Employed => banded(base?, &EMPLOYED_BANDS),
        PersonType::Retired => banded(base?, &RETIRED_BANDS),
        PersonType::Student | PersonType::Unemployed => Some(Fen(FIXED_DUE_FEN)),
        PersonType::Farmer => Some(Fen(farmer_fen)),
        PersonType::Other => None,
    }
}

/// Checks that dues for `due_month` paid on `paid_on` are within the
/// window: at most [`MAX_ADVANCE_MONTHS`] months late (补交) or early (预交),
/// counted between the payment date's month and the dues month.
pub fn check_pay_window(due_month: Month, paid_on: NaiveDate) -> Result<(), String> {
    let paid_month = Month::of(paid_on);
    let late = paid_month.months_since(due_month);
    let max = i64::from(MAX_ADVANCE_MONTHS);
    if late > max {
        Err(format!(
            "补交党费不能超过{MAX_ADVANCE_MONTHS}个月：{due_month}的党费在{paid_on}交纳，晚了{late}个月，请核对月份或交纳日期"
        ))
    } else if -late > max {
        Err(format!(
            "预交党费不能超过{MAX_ADVANCE_MONTHS}个月：{due_month}的党费在{paid_on}交纳，提前了{}个月，请核对月份或交纳日期",
            -late
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emp(fen: i64) -> Option<Fen> {
        standard_due(PersonType::Employed, Some(Fen(fen)), 20)
    }

    fn ret(fen: i64) -> Option<Fen> {
        standard_due(PersonType::Retired, Some(Fen(fen)), 20)
    }

    #[test]
    fn employed_band_edges() {
        // 3000.00 × 0.5% = 15.00
        assert_eq!(emp(300_000), Some(Fen(1500)));
        // 3000.01 × 1% = 30.0001 → 30.00
        assert_eq!(emp(300_001), Some(Fen(3000)));
        // 5000.00 × 1% = 50.00
        assert_eq!(emp(500_000), Some(Fen(5000)));
        // 5000.01 × 1.5% = 75.00015 → 75.00
        assert_eq!(emp(500_001), Some(Fen(7500)));
        // 10000.00 × 1.5% = 150.00
        assert_eq!(emp(1_000_000), Some(Fen(15000)));
        // 10000.01 × 2% = 200.0002 → 200.00
        assert_eq!(emp(1_000_001), Some(Fen(20000)));
        assert_eq!(emp(0), Some(Fen(0)));
    }

    #[test]
    fn retired_band_edges() {
        // 3000.00 and 5000.00 × 0.5% = 15.00, 25.00
        assert_eq!(ret(300_000), Some(Fen(1500)));
        assert_eq!(ret(500_000), Some(Fen(2500)));
        // 5000.01 × 1% = 50.0001 → 50.00
        assert_eq!(ret(500_001), Some(Fen(5000)));
        // 10000.00 × 1% = 100.00
        assert_eq!(ret(1_000_000), Some(Fen(10000)));
        // 10000.01 × 1% = 100.0001 → 100.00
        assert_eq!(ret(1_000_001), Some(Fen(10000)));
        // 20000.00 × 1% = 200.00
        assert_eq!(ret(2_000_000), Some(Fen(20000)));
    }

    #[test]
    fn rounding_half_up() {
        // 1234.50 × 0.5% = 6.1725 → 6.17
        assert_eq!(emp(123_450), Some(Fen(617)));
        assert_eq!(ret(123_450), Some(Fen(617)));
        // 1.00 × 0.5% = 0.005 → 0.01 (exact half goes up)
        assert_eq!(emp(100), Some(Fen(1)));
        // 0.99 × 0.5% = 0.00495 → 0.00
        assert_eq!(emp(99), Some(Fen(0)));
        // 4321.50 × 1% = 43.215 → 43.22
        assert_eq!(emp(432_150), Some(Fen(4322)));
        // 4321.49 × 1% = 43.2149 → 43.21
        assert_eq!(emp(432_149), Some(Fen(4321)));
        // 7001.00 × 1.5% = 105.015 → 105.02
        assert_eq!(emp(700_100), Some(Fen(10502)));
        // 10000.25 × 2% = 200.005 → 200.01
        assert_eq!(emp(1_000_025), Some(Fen(20001)));
        // 10000.24 × 2% = 200.0048 → 200.00
        assert_eq!(emp(1_000_024), Some(Fen(20000)));
        // 7654.50 retired × 1% = 76.545 → 76.55
        assert_eq!(ret(765_450), Some(Fen(7655)));
    }

    #[test]
    fn fixed_and_missing() {
        assert_eq!(standard_due(PersonType::Student, None, 20), Some(Fen(20)));
        assert_eq!(
            standard_due(PersonType::Unemployed, Some(Fen(500_000)), 50),
            Some(Fen(20))
        );
        assert_eq!(standard_due(PersonType::Farmer, None, 20), Some(Fen(20)));
        assert_eq!(standard_due(PersonType::Farmer, None, 100), Some(Fen(100)));
        assert_eq!(
            standard_due(PersonType::Other, Some(Fen(500_000)), 20),
            None
        );
        assert_eq!(standard_due(PersonType::Employed, None, 20), None);
        assert_eq!(standard_due(PersonType::Retired, None, 20), None);
        assert_eq!(emp(-1), None);
        // Huge bases do not overflow.
        assert_eq!(emp(i64::MAX), Some(Fen(184_467_440_737_095_516)));
    }

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap_or_else(|_| Month::of(NaiveDate::MIN))
    }

    fn day(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn pay_window() {
        let oct = m("2026-10");
        assert_eq!(check_pay_window(oct, day(2026, 10, 15)), Ok(()));
        // Back-pay: April 2027 is 6 months late, May 7.
        assert_eq!(check_pay_window(oct, day(2027, 4, 30)), Ok(()));
        let e = check_pay_window(oct, day(2027, 5, 1)).unwrap_err();
        assert!(e.starts_with("补交党费不能超过6个月"), "{e}");
        assert!(
            e.contains("2026-10") && e.contains("2027-05-01") && e.contains("7个月"),
            "{e}"
        );
        // Prepay: April 2026 is 6 months early, March 7.
        assert_eq!(check_pay_window(oct, day(2026, 4, 1)), Ok(()));
        let e = check_pay_window(oct, day(2026, 3, 31)).unwrap_err();
        assert!(e.starts_with("预交党费不能超过6个月"), "{e}");
        assert!(e.contains("7个月"), "{e}");
        // Across years the other way.
        assert_eq!(check_pay_window(m("2027-02"), day(2026, 8, 31)), Ok(()));
        assert!(check_pay_window(m("2027-02"), day(2026, 7, 31)).is_err());
    }
}
