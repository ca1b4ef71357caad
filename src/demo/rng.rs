//! Deterministic random numbers (SplitMix64) and the date helpers of the
//! demo: nothing depends on the clock or on the platform.

use chrono::{Datelike, NaiveDate, TimeDelta};

use crate::domain::dates::Month;

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        let mut r = Rng(seed ^ 0x6A09_E667_F3BC_C909);
        r.next_u64();
        r
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when n is 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi` (`lo` when hi < lo).
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u128 + 1;
        lo + ((u128::from(self.next_u64()) * span) >> 64) as i64
    }

    /// True with probability `permille`/1000.
    pub(super) fn chance(&mut self, permille: usize) -> bool {
        self.below(1000) < permille
    }

    /// One element of a non-empty slice.
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One word of a non-empty word list.
    pub(super) fn word(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    pub(super) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    /// A date in `a..=b` (a when b < a).
    pub(super) fn date(&mut self, a: NaiveDate, b: NaiveDate) -> NaiveDate {
        add_days(a, self.range(0, (b - a).num_days()))
    }
}

/// A date, the day clamped to the month's length.
pub(super) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    let last = Month::new(y, m).map_or(28, |mm| mm.last_day().day());
    NaiveDate::from_ymd_opt(y, m, d.clamp(1, last)).unwrap_or_default()
}

pub(super) fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(n)).unwrap_or(d)
}

pub(super) fn add_years(d: NaiveDate, n: i32) -> NaiveDate {
    ymd(d.year() + n, d.month(), d.day())
}

pub(super) fn month_of(y: i32, m: u32) -> Month {
    Month::new(y, m).unwrap_or_else(|| Month::of(NaiveDate::default()))
}

/// Day `day` of month `m`, never after `today`.
pub(super) fn day_in(m: Month, day: u32, today: NaiveDate) -> NaiveDate {
    ymd(m.year(), m.month(), day).min(today)
}

/// `yyyymm` of a date, for dated topics.
pub(super) fn yyyymm(d: NaiveDate) -> u32 {
    d.year().max(0) as u32 * 100 + d.month()
}

pub(super) fn cn_ordinal(n: usize) -> &'static str {
    const N: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    N[n.min(9)]
}
