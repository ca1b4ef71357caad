//! 经费: the fund entries of a month, for the township (乡镇本级) and
//! each branch, with vouchers and balances kept.

use chrono::{Datelike, NaiveDate};

use super::rng::{add_days, day_in};
use super::{Gen, OrgRole};
use crate::domain::dates::Month;
use crate::domain::enums::{FundCategory, FundDirection};
use crate::domain::money::Fen;
use crate::domain::records::FundEntry;
use crate::error::Result;
use crate::store::Change;

impl Gen {
    /// Writes one fund entry and keeps the balance. Expenses are cut to the
    /// balance (skipped below 100 元) unless `force`.
    #[allow(clippy::too_many_arguments)]
    fn fund(
        &mut self,
        ch: &mut Change<'_>,
        date: NaiveDate,
        org: Option<usize>,
        cat: FundCategory,
        fen: i64,
        summary: String,
        force: bool,
    ) -> Result<()> {
        let income = cat.direction() == FundDirection::Income;
        let balance = match org {
            Some(o) => self.orgs[o].balance,
            None => self.town_balance,
        };
        let mut amount = fen;
        if !income && !force && amount > balance {
            if balance < 10_000 {
                return Ok(());
            }
            amount = balance * self.rng.range(50, 90) / 100;
        }
        if amount <= 0 {
            return Ok(());
        }
        let (voucher, handler) = match org {
            Some(o) => {
                let g = &mut self.orgs[o];
                if g.voucher_year != date.year() {
                    g.voucher_year = date.year();
                    g.voucher_seq = 0;
                }
                g.voucher_seq += 1;
                g.balance += if income { amount } else { -amount };
                (
                    format!("{}-{:03}", date.year(), g.voucher_seq),
                    g.rec.secretary.clone(),
                )
            }
            None => {
                if self.town_voucher.0 != date.year() {
                    self.town_voucher = (date.year(), 0);
                }
                self.town_voucher.1 += 1;
                self.town_balance += if income { amount } else { -amount };
                (
                    format!("记{}-{:03}", date.year(), self.town_voucher.1),
                    self.preparer.clone(),
                )
            }
        };
        let mut e = FundEntry {
            id: 0,
            date,
            org_id: org.map(|o| self.orgs[o].rec.id),
            direction: cat.direction(),
            category: cat,
            amount: Fen(amount),
            voucher,
            handler,
            summary,
        };
        ch.insert_quiet(&mut e)?;
        self.summary.fund_entries += 1;
        Ok(())
    }

    /// Fund entries of month `m`: the township level, then every branch.
    pub(super) fn funds(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        self.town_funds(ch, m)?;
        for o in 0..self.orgs.len() {
            if self.orgs[o].is_branch() {
                self.branch_funds(ch, o, m)?;
            }
        }
        Ok(())
    }

    /// 乡镇本级: the yearly appropriation, subsidies, returned dues;
    /// instructors' allowances, training, venues, relief.
    fn town_funds(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        let today = self.today;
        let y = m.year();
        let mo = m.month();
        let branches = self.orgs.iter().filter(|o| o.is_branch()).count() as i64;
        let yearly = branches * 600_000 + 8_000_000;

        // Township level.
        if m == self.start {
            let rest_of_year = i64::from(13 - mo) % 12;
            let amount = yearly * self.rng.range(15, 25) / 100 + yearly * rest_of_year / 12;
            self.fund(
                ch,
                day_in(m, 2, today),
                None,
                FundCategory::OtherIncome,
                amount,
                "上年度两新组织党建工作经费结余结转".to_string(),
                false,
            )?;
        }
        if mo == 1 {
            let amount = yearly * self.rng.range(95, 110) / 100 / 1000 * 1000;
            let d = day_in(m, self.rng.range(8, 20) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::Appropriation,
                amount,
                format!("{y}年度两新组织党建工作经费（财政拨款）"),
                false,
            )?;
        }
        if mo == 3 {
            let amount = yearly * self.rng.range(8, 15) / 100 / 100 * 100;
            let d = day_in(m, self.rng.range(10, 25) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::HigherSubsidy,
                amount,
                "上级组织部门下拨新兴领域党建工作补助".to_string(),
                false,
            )?;
        }
        if mo == 6 {
            let amount = yearly * self.rng.range(4, 8) / 100 / 100 * 100;
            let d = day_in(m, self.rng.range(5, 20) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::DuesReturn,
                amount,
                "上级党委返还党费".to_string(),
                false,
            )?;
        }
        if m.is_quarter_end() {
            let n = self
                .instructors
                .iter()
                .filter(|i| i.rec.active_on(m.last_day()))
                .count() as i64;
            let d = day_in(m, self.rng.range(20, 28) as u32, today);
            self.fund(
                ch,
                d,
                None,
                FundCategory::PostAllowance,
                n * 60_000,
                format!("{y}年第{}季度党建工作指导员工作补贴", m.quarter()),
                false,
            )?;
        }
        let town_expense: Option<(FundCategory, i64, String)> = match mo {
            4 => Some((
                FundCategory::Venue,
                yearly * self.rng.range(8, 15) / 100,
                format!("{}党群服务中心阵地提升", self.town),
            )),
            5 | 10 => Some((
                FundCategory::Training,
                yearly * self.rng.range(3, 6) / 100,
                "两新组织党组织书记和党建工作指导员培训班".to_string(),
            )),
            1 => Some((
                FundCategory::Relief,
                yearly * self.rng.range(2, 4) / 100,
                "春节走访慰问困难党员和老党员".to_string(),
            )),
            7 => Some((
                FundCategory::Relief,
                yearly * self.rng.range(2, 4) / 100,
                "“七一”走访慰问和“夏送清凉”关爱新就业群体".to_string(),
            )),
            _ => None,
        };
        if let Some((cat, amount, s)) = town_expense {
            let d = day_in(m, self.rng.range(10, 26) as u32, today);
            self.fund(ch, d, None, cat, amount / 100 * 100, s, false)?;
        }
        if self.rng.chance(500) {
            let d = day_in(m, self.rng.range(3, 27) as u32, today);
            let amount = yearly * self.rng.range(5, 15) / 1000 / 100 * 100;
            let s = *self.rng.pick(&[
                "订阅党报党刊",
                "制作党建宣传展板",
                "两新组织党建工作推进会",
                "购置党建学习资料",
            ]);
            let cat = if s.contains("资料") || s.contains("党刊") {
                FundCategory::Materials
            } else {
                FundCategory::Activities
            };
            self.fund(ch, d, None, cat, amount, s.to_string(), false)?;
        }

        Ok(())
    }

    /// One branch in month `m`: start-up money, carried-over balance,
    /// quarterly returned dues and enterprise support, subsidies, a
    /// planted overspend, and most months an expense.
    fn branch_funds(&mut self, ch: &mut Change<'_>, o: usize, m: Month) -> Result<()> {
        let today = self.today;
        let mo = m.month();
        if !self.orgs[o].is_branch() {
            return Ok(());
        }
        let est = self.orgs[o].rec.established;
        if est > m.last_day().min(today) {
            return Ok(());
        }
        if self.orgs[o]
            .rec
            .dissolved
            .is_some_and(|d| d <= m.last_day())
        {
            return Ok(());
        }
        let size = self.orgs[o].members.len() as i64;
        if m.contains(est) {
            if est >= self.window_start() {
                let amount = self.rng.range(5, 10) * 100_000;
                let d = add_days(est, self.rng.range(3, 12))
                    .min(m.last_day())
                    .min(today);
                let name = self.orgs[o].rec.name.clone();
                self.fund(
                    ch,
                    d,
                    None,
                    FundCategory::OtherExpense,
                    amount,
                    format!("拨付{name}启动经费"),
                    true,
                )?;
                self.fund(
                    ch,
                    d,
                    Some(o),
                    FundCategory::StartUp,
                    amount,
                    "新成立党组织启动经费".to_string(),
                    false,
                )?;
            }
            return Ok(());
        }
        if m == self.start {
            let amount = self.rng.range(3, 20) * 10_000 * (1 + size / 10);
            self.fund(
                ch,
                day_in(m, 2, today),
                Some(o),
                FundCategory::OtherIncome,
                amount,
                "上年度党组织工作经费结余结转".to_string(),
                false,
            )?;
        }
        let frozen = self.orgs[o].frozen;
        if !frozen && matches!(mo, 1 | 4 | 7 | 10) {
            let d = day_in(m, self.rng.range(5, 15) as u32, today);
            let amount = size * self.rng.range(20, 50) * 100;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::DuesReturn,
                amount,
                "上级党委按规定返还党费".to_string(),
                false,
            )?;
            if self.orgs[o].enterprise_money && self.rng.chance(600) {
                let d = day_in(m, self.rng.range(10, 25) as u32, today);
                let amount = self.rng.range(20, 80) * 10_000;
                let uname = self.orgs[o]
                    .units
                    .first()
                    .map_or(String::new(), |(u, _, _)| self.units[*u].rec.name.clone());
                if self.rng.chance(500) {
                    self.fund(
                        ch,
                        d,
                        Some(o),
                        FundCategory::PreTax,
                        amount,
                        format!("{uname}按规定列支党组织工作经费"),
                        false,
                    )?;
                } else {
                    self.fund(
                        ch,
                        d,
                        Some(o),
                        FundCategory::EnterpriseSupport,
                        amount,
                        format!("{uname}支持党组织活动经费"),
                        false,
                    )?;
                }
            }
        }
        if !frozen
            && mo == 4
            && matches!(
                self.orgs[o].role,
                OrgRole::Joint | OrgRole::Regional | OrgRole::Industry | OrgRole::Temporary
            )
        {
            let d = day_in(m, self.rng.range(10, 25) as u32, today);
            let amount = self.rng.range(30, 80) * 10_000;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::HigherSubsidy,
                amount,
                "上级党委下拨联合党组织工作补助".to_string(),
                false,
            )?;
        }
        if !frozen && mo == 6 && self.rng.chance(250) {
            let d = day_in(m, self.rng.range(10, 25) as u32, today);
            let amount = self.rng.range(10, 30) * 10_000;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::DuesSubsidy,
                amount,
                "上级党委下拨党费补助（“七一”慰问）".to_string(),
                false,
            )?;
        }
        if self.orgs[o].overspend == Some(m) {
            let d = day_in(m, self.rng.range(5, 20) as u32, today);
            let amount = self.orgs[o].balance.max(0) + self.rng.range(30, 80) * 10_000;
            self.fund(
                ch,
                d,
                Some(o),
                FundCategory::Venue,
                amount,
                "党员活动室标准化建设（先行垫支，待上级补助到位后结算）".to_string(),
                true,
            )?;
            self.orgs[o].frozen = true;
            return Ok(());
        }
        if self.rng.chance(650) {
            let d = day_in(m, self.rng.range(3, 28) as u32, today);
            let r = self.rng.below(100);
            let (cat, s): (FundCategory, &str) = match r {
                _ if matches!(mo, 1 | 7) && r < 30 => (
                    FundCategory::Relief,
                    if mo == 1 {
                        "春节慰问困难党员"
                    } else {
                        "“七一”慰问老党员"
                    },
                ),
                0..=49 => (
                    FundCategory::Activities,
                    if matches!(mo, 6 | 7) && self.rng.chance(400) {
                        "“七一”建党节系列活动"
                    } else {
                        self.rng.word(&[
                            "开展主题党日活动",
                            "开展党员志愿服务活动",
                            "组织党员参观学习",
                            "党员先锋岗创建活动",
                        ])
                    },
                ),
                50..=69 => (
                    FundCategory::Training,
                    *self.rng.pick(&[
                        "组织党员赴方志敏纪念馆开展党性教育",
                        "党员教育培训",
                        "入党积极分子培训",
                    ]),
                ),
                70..=87 => (
                    FundCategory::Materials,
                    *self
                        .rng
                        .pick(&["购买党建学习资料", "订阅党报党刊", "购买党员学习读本"]),
                ),
                88..=94 => (FundCategory::Relief, "走访慰问困难党员"),
                _ => (
                    FundCategory::Venue,
                    *self
                        .rng
                        .pick(&["党员活动室制度上墙", "购置党员活动室桌椅", "更新党建宣传栏"]),
                ),
            };
            let amount = self.rng.range(200, 1200) * 100 * (15 + size) / 15;
            self.fund(
                ch,
                d,
                Some(o),
                cat,
                amount / 100 * 100,
                s.to_string(),
                false,
            )?;
        }
        Ok(())
    }
}
