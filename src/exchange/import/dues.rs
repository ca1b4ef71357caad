//! The 党费 sheet.

use std::collections::HashMap;

use super::plan::Plan;
use super::row::{Header, Row};
use crate::domain::dates::Month;
use crate::domain::dues::standard_due;
use crate::domain::enums::*;
use crate::domain::ids::validate_id_number;
use crate::domain::money::MAX_DUES_FEN;
use crate::domain::records::*;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn dues_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let existing: HashMap<(i64, Month), i64> = self
            .dues
            .existing
            .values()
            .map(|d| ((d.member_id, d.month), d.id))
            .collect();
        self.member_index();
        let members = self.member_index.take().unwrap_or_default();
        // Members by name over the whole ledger (for a member who has moved
        // to another org since paying).
        let mut by_name: HashMap<&str, Vec<i64>> = HashMap::new();
        for (id, m) in &self.member_refs {
            by_name.entry(m.name.as_str()).or_default().push(*id);
        }
        let mut seen: HashMap<(i64, Month), usize> = HashMap::new();
        let mut planned = Vec::new();
        for row in rows {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let month = r.month("月份");
            let name = r.required_text("姓名");
            let org_id = Self::required_lookup(&mut r, "所在党组织", &self.org_by_name, "党组织");
            let idno = r.text("身份证号");
            let base = r.money("计算基数", MAX_DUES_FEN);
            let person_type = r.choice("人员类型", PersonType::parse);
            let due = r.money("应交", MAX_DUES_FEN);
            let paid = r.required_money("实交", MAX_DUES_FEN);
            let paid_date = r.date("交纳日期");
            let (Some(month), Some(org_id), Some(paid)) = (month, org_id, paid) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let member_id = if !idno.is_empty() {
                let n = match validate_id_number(&idno, self.today) {
                    Ok(n) => n,
                    Err(e) => {
                        r.err("身份证号", e);
                        continue;
                    }
                };
                match self.member_by_idno.get(&n) {
                    Some(id) => *id,
                    None => {
                        r.err(
                            "身份证号",
                            format!("找不到身份证号为 {n} 的党员，请先在“党员”表中登记"),
                        );
                        continue;
                    }
                }
            } else {
                let in_org = members
                    .get(&org_id)
                    .and_then(|m| m.get(&name))
                    .cloned()
                    .unwrap_or_default();
                let cands = if in_org.is_empty() {
                    by_name.get(name.as_str()).cloned().unwrap_or_default()
                } else {
                    in_org
                };
                match cands.as_slice() {
                    [id] => *id,
                    [] => {
                        r.err(
                            "姓名",
                            format!("找不到党员“{name}”，请核对姓名或先在“党员”表中登记"),
                        );
                        continue;
                    }
                    _ => {
                        r.err(
                            "姓名",
                            format!("有 {} 名党员叫“{name}”，请填写身份证号区分", cands.len()),
                        );
                        continue;
                    }
                }
            };
            if let Some(first) = seen.insert((member_id, month), row.0) {
                r.err(
                    "月份",
                    format!("“{name}”{month}的党费与第 {first} 行重复，每人每月只能一行"),
                );
                continue;
            }
            let standard = person_type.and_then(|t| standard_due(t, base, self.farmer_fen));
            let (due, due_manual) = match (due, standard) {
                (Some(d), Some(s)) => (d, d != s),
                (Some(d), None) => (d, true),
                (None, Some(s)) => (s, false),
                (None, None) => {
                    r.err(
                        "应交",
                        "为空时按人员类型和计算基数自动计算，但这一行算不出（在职、离退休须填计算基数；“其他”须直接填应交）",
                    );
                    continue;
                }
            };
            let id = existing.get(&(member_id, month)).copied().unwrap_or(0);
            let mut d = Dues {
                id,
                month,
                member_id,
                org_id,
                base,
                person_type,
                due,
                due_manual,
                paid,
                paid_date,
            };
            let mut check = d.clone();
            check.member_id = check.member_id.abs();
            r.issues(validate::dues(&check));
            if r.ok {
                if d.id == 0 {
                    d.id = self.dues.reserve();
                }
                planned.push(d);
            }
        }
        self.member_index = Some(members);
        for d in planned {
            summary.count(self.dues.put(d));
        }
    }
}
