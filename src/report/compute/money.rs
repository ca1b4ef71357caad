//! Money: the township's 党建工作经费 (opening, the month's income and
//! expense by category, each holder's balance) and the month's 党费
//! (DOMAIN.md "Funds", "Dues").

use std::collections::HashMap;

use super::{Ctx, TOWNSHIP_LEVEL, Warnings, add, by_name, sum};
use crate::domain::dates::Month;
use crate::domain::enums::*;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::domain::rules::{Balances, closing, dues_paid, owes_dues};
use crate::error::{Error, Result};
use crate::report::model::*;

impl Ctx<'_> {
    #[allow(clippy::type_complexity)]
    pub(super) fn funds(
        &self,
        w: &mut Warnings,
    ) -> Result<(FundFigures, (Fen, LabelMap<Fen>, LabelMap<Fen>))> {
        let overflow = Error::money_overflow;
        let jan = Month::new(self.month.year(), 1)
            .unwrap_or(self.month)
            .first_day();
        let entries: Vec<&FundEntry> = self
            .l
            .fund_entries
            .iter()
            .filter(|e| e.date <= self.end)
            .collect();
        // Each holder's balance: what the ledger brought forward, then the
        // entries before M (the opening), then those of M (month end).
        let mut balance = Balances::opening(&self.l.fund_opening).ok_or_else(overflow)?;
        let mut year_opening = balance.township().ok_or_else(overflow)?;
        for e in entries.iter().filter(|e| e.date < self.first) {
            balance.post(e).ok_or_else(overflow)?;
        }
        let opening = balance.township().ok_or_else(overflow)?;
        let cats = FundCategory::ALL.len();
        let (mut in_month, mut in_year) = (vec![Fen::ZERO; cats], vec![Fen::ZERO; cats]);
        for e in &entries {
            if e.date >= self.first {
                balance.post(e).ok_or_else(overflow)?;
                add(&mut in_month[e.category.index()], e.amount)?;
            }
            if e.date < jan {
                add(&mut year_opening, e.signed())?;
            } else {
                add(&mut in_year[e.category.index()], e.amount)?;
            }
        }
        let mut negative: Vec<(String, i64, Fen)> = balance
            .negative()
            .map(|(org, v)| match org {
                Some(id) => (self.org_name(id), id, v),
                None => (TOWNSHIP_LEVEL.to_string(), 0, v),
            })
            .collect();
        negative.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        for (name, _, v) in negative {
            w.push(
                WarningCode::FundNegativeBalance,
                &name,
                format!(
                    "{}末党建工作经费余额为 {} 元，支出超过收入",
                    self.month.label(),
                    v
                ),
            );
        }
        let split = |v: &[Fen], d: FundDirection| -> LabelMap<Fen> {
            LabelMap(
                FundCategory::for_direction(d)
                    .into_iter()
                    .map(|c| (c.label().to_string(), v[c.index()]))
                    .collect(),
            )
        };
        let total = |v: &[Fen], d: FundDirection| {
            sum(FundCategory::for_direction(d).iter().map(|c| v[c.index()]))
        };
        let income = total(&in_month, FundDirection::Income)?;
        let expense = total(&in_month, FundDirection::Expense)?;
        let closing_fen = closing(opening, income, expense).ok_or_else(overflow)?;
        // The year's totals and closing balance, which the printed report
        // adds up from `PrintExtras`, are checked here once.
        let year_income = total(&in_year, FundDirection::Income)?;
        let year_expense = total(&in_year, FundDirection::Expense)?;
        closing(year_opening, year_income, year_expense).ok_or_else(overflow)?;
        Ok((
            FundFigures {
                opening_fen: opening,
                income_fen: income,
                expense_fen: expense,
                closing_fen,
                income_by_category: split(&in_month, FundDirection::Income),
                expense_by_category: split(&in_month, FundDirection::Expense),
            },
            (
                year_opening,
                split(&in_year, FundDirection::Income),
                split(&in_year, FundDirection::Expense),
            ),
        ))
    }

    pub(super) fn dues(&self, w: &mut Warnings) -> Result<DuesFigures> {
        let rows: Vec<&Dues> = self
            .l
            .dues
            .iter()
            .filter(|d| d.month == self.month)
            .collect();
        let by_member: HashMap<i64, &Dues> = rows.iter().map(|d| (d.member_id, *d)).collect();
        let mut due_members = 0;
        let mut paid_members = 0;
        let mut unpaid = Vec::new();
        for m in &self.l.members {
            if !owes_dues(m, self.orgs.get(&m.org_id).copied(), self.month) {
                continue;
            }
            due_members += 1;
            let row = by_member.get(&m.id).copied();
            match row {
                _ if dues_paid(row) => paid_members += 1,
                Some(d) => {
                    unpaid.push((m.name.clone(), m.id, m.name.clone()));
                    w.push(
                        WarningCode::DuesUnpaid,
                        &m.name,
                        format!(
                            "{}党费应交 {} 元，实交 {} 元，未交清（{}）",
                            self.month.label(),
                            d.due,
                            d.paid,
                            self.org_name(m.org_id)
                        ),
                    );
                }
                None => {
                    unpaid.push((m.name.clone(), m.id, m.name.clone()));
                    w.push(
                        WarningCode::DuesUnpaid,
                        &m.name,
                        format!(
                            "{}党费未登记交纳（{}）",
                            self.month.label(),
                            self.org_name(m.org_id)
                        ),
                    );
                }
            }
        }
        Ok(DuesFigures {
            members_due: due_members,
            members_paid: paid_members,
            due_fen: sum(rows.iter().map(|d| d.due))?,
            paid_fen: sum(rows.iter().map(|d| d.paid))?,
            unpaid: by_name(unpaid),
        })
    }
}
