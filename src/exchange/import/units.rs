//! The 单位 sheet.

use super::plan::Plan;
use super::row::{Header, Row};
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn units_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let ids = Self::reserve_names(
            &mut self.errors,
            spec,
            header,
            rows,
            "名称",
            &mut self.units,
            &mut self.unit_by_name,
        );
        for (row, id) in rows.iter().zip(ids) {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("名称");
            let kind = r.required_choice("类型", UnitKind::parse);
            let (Some(id), Some(kind)) = (id, kind) else {
                continue;
            };
            let mut u = self
                .units
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Unit::new(&name, kind));
            u.id = id;
            u.name = name;
            u.kind = kind;
            r.set_text("统一社会信用代码", &mut u.credit_code);
            u.credit_code = u.credit_code.to_uppercase();
            r.set_text("行业", &mut u.industry);
            r.set_text("所在村社区", &mut u.village);
            r.set_text("地址", &mut u.address);
            r.set_text("出资人", &mut u.investor);
            r.set_text("联系人", &mut u.contact);
            r.phone("联系电话", &mut u.phone);
            if r.has("职工人数") {
                u.employees = r.int("职工人数");
            }
            if r.has("经营状态") {
                u.status = r
                    .choice("经营状态", UnitStatus::parse)
                    .unwrap_or(UnitStatus::Normal);
            }
            if r.has("有工会") {
                u.has_union = r.yes_no("有工会");
            }
            if r.has("有共青团") {
                u.has_league = r.yes_no("有共青团");
            }
            if r.has("有妇联") {
                u.has_women = r.yes_no("有妇联");
            }
            r.set_text("未建党组织原因", &mut u.no_org_reason);
            r.set_text("发展需求", &mut u.needs);
            r.set_text("备注", &mut u.note);
            r.issues(validate::unit(&u));
            if r.ok {
                summary.count(self.units.put(u));
            }
        }
    }
}
