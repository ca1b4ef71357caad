//! The 党员 sheet.

use std::collections::{HashMap, HashSet};

use super::plan::{MemberRef, Plan};
use super::row::{Header, Row};
use crate::domain::enums::*;
use crate::domain::ids::validate_id_number;
use crate::domain::records::*;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn members_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        // Existing members by (org, name), for rows without an ID number.
        let mut by_org_name: HashMap<(i64, String), Vec<i64>> = HashMap::new();
        for m in self.members.existing.values() {
            by_org_name
                .entry((m.org_id, m.name.clone()))
                .or_default()
                .push(m.id);
        }
        let mut seen_idno: HashMap<String, usize> = HashMap::new();
        let mut seen_name: HashMap<(i64, String), usize> = HashMap::new();
        let mut taken: HashSet<i64> = HashSet::new();
        for row in rows {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("姓名");
            let org_id = Self::required_lookup(&mut r, "所在党组织", &self.org_by_name, "党组织");
            let category = r.required_choice("类别", MemberCategory::parse);
            let idno = if r.has("身份证号") {
                let t = r.text("身份证号");
                if t.is_empty() {
                    Some(t)
                } else {
                    match validate_id_number(&t, self.today) {
                        Ok(n) => Some(n),
                        Err(e) => {
                            r.err("身份证号", e);
                            None
                        }
                    }
                }
            } else {
                None
            };
            let (Some(org_id), Some(category)) = (org_id, category) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            // Which member this row is.
            let given = idno.clone().filter(|s| !s.is_empty());
            if let Some(n) = &given {
                if let Some(first) = seen_idno.insert(n.clone(), row.0) {
                    r.err(
                        "身份证号",
                        format!("与第 {first} 行的身份证号相同，同一党员只能写一行"),
                    );
                    continue;
                }
            } else if let Some(first) = seen_name.insert((org_id, name.clone()), row.0) {
                r.err(
                    "姓名",
                    format!("与第 {first} 行同为本党组织的“{name}”，同名党员请填写身份证号区分"),
                );
                continue;
            }
            let by_name = || -> Vec<i64> {
                by_org_name
                    .get(&(org_id, name.clone()))
                    .cloned()
                    .unwrap_or_default()
            };
            let existing_id = match &given {
                Some(n) => match self.member_by_idno.get(n) {
                    Some(id) if *id > 0 => Some(*id),
                    Some(_) => None,
                    None => {
                        // An existing member of the same name in the org,
                        // still without an ID number, gets it now.
                        let cands: Vec<i64> = by_name()
                            .into_iter()
                            .filter(|id| {
                                !taken.contains(id)
                                    && self
                                        .members
                                        .existing
                                        .get(id)
                                        .is_some_and(|m| m.id_number.is_empty())
                            })
                            .collect();
                        (cands.len() == 1).then(|| cands[0])
                    }
                },
                None => {
                    let cands = by_name();
                    if cands.len() > 1 {
                        r.err(
                            "姓名",
                            format!(
                                "台账中本党组织有 {} 名“{name}”，请填写身份证号区分",
                                cands.len()
                            ),
                        );
                        continue;
                    }
                    cands.first().copied()
                }
            };
            if let Some(id) = existing_id
                && !taken.insert(id)
            {
                r.err("姓名", format!("“{name}”在本表中出现了不止一次"));
                continue;
            }
            let mut m = match existing_id.and_then(|id| self.members.existing.get(&id)) {
                Some(m) => m.clone(),
                None => {
                    let mut m = Member::new(&name, org_id, category);
                    m.id = self.members.reserve();
                    m
                }
            };
            m.name = name;
            m.org_id = org_id;
            m.category = category;
            if let Some(n) = idno {
                m.id_number = n;
            }
            if r.has("性别") {
                m.gender = r.choice("性别", Gender::parse);
            }
            r.set_date("出生日期", &mut m.birth);
            r.phone("手机", &mut m.phone);
            if r.has("所在单位") {
                m.unit_id = Self::lookup(&mut r, "所在单位", &self.unit_by_name, "单位");
            }
            r.set_date("入党日期", &mut m.joined);
            r.set_date("转正日期", &mut m.confirmed);
            if r.has("状态") {
                m.status = r
                    .choice("状态", MemberStatus::parse)
                    .unwrap_or(MemberStatus::Registered);
            }
            r.set_date("离开日期", &mut m.left);
            if r.has("流动党员") {
                m.floating = r.yes_no("流动党员").unwrap_or(false);
            }
            r.set_date("亮身份报到日期", &mut m.reported);
            r.set_choice("新就业群体", &mut m.new_employment, NewEmployment::parse);
            r.set_choice("党内职务", &mut m.party_post, PartyPost::parse);
            r.set_text("备注", &mut m.note);
            let mut check = m.clone();
            check.org_id = check.org_id.abs();
            r.issues(validate::member(&check, self.today));
            if !r.ok {
                continue;
            }
            if !m.id_number.is_empty() {
                self.member_by_idno.insert(m.id_number.clone(), m.id);
            }
            self.member_refs.insert(
                m.id,
                MemberRef {
                    org_id: m.org_id,
                    name: m.name.clone(),
                },
            );
            self.member_index = None;
            summary.count(self.members.put(m));
        }
    }
}
