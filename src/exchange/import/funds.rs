//! The 经费 sheet.

use super::plan::{KeyIndex, Plan};
use super::row::{Header, Row};
use crate::domain::enums::*;
use crate::domain::money::MAX_ENTRY_FEN;
use crate::domain::records::*;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn funds_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.funds.existing, |f: &FundEntry| {
            (
                f.date,
                f.org_id,
                f.direction,
                f.category,
                f.amount,
                f.voucher.clone(),
                f.handler.clone(),
                f.summary.clone(),
            )
        });
        for row in rows {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let date = r.required_date("日期");
            let org_id = Self::lookup(&mut r, "党组织", &self.org_by_name, "党组织");
            let direction = r.required_choice("收支", FundDirection::parse);
            let category = r.required_choice("类别", FundCategory::parse);
            let amount = r.required_money("金额", MAX_ENTRY_FEN);
            let voucher = r.text("凭证号");
            let handler = r.text("经办人");
            let text = r.required_text("摘要");
            let (Some(date), Some(direction), Some(category), Some(amount)) =
                (date, direction, category, amount)
            else {
                continue;
            };
            let mut f = FundEntry {
                id: 0,
                date,
                org_id,
                direction,
                category,
                amount,
                voucher,
                handler,
                summary: text,
            };
            r.issues(validate::fund_entry(&f));
            if !r.ok {
                continue;
            }
            let key = (
                f.date,
                f.org_id,
                f.direction,
                f.category,
                f.amount,
                f.voucher.clone(),
                f.handler.clone(),
                f.summary.clone(),
            );
            f.id = index.take(&key).unwrap_or_else(|| self.funds.reserve());
            summary.count(self.funds.put(f));
        }
    }
}
