//! The plan of an import: per record kind the planned inserts (under
//! placeholder ids), updates and voids (`Table`), the name and key indexes
//! rows are matched by, and what every sheet reader shares.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::data_rows;
use super::row::{Header, Row};
use crate::domain::records::*;
use crate::error::{Error, Result};
use crate::exchange::errors::ErrorList;
use crate::exchange::read::{Cell, Sheet};
use crate::exchange::settings_sheet::SettingsPlan;
use crate::exchange::spec::{SheetSpec, SheetSummary};
use crate::store::{Record, Store};

/// Planned writes for one record kind. New records are `adds[k]`, known
/// meanwhile by the placeholder id `-(k + 1)`.
pub(super) struct Table<R> {
    pub(super) existing: HashMap<i64, R>,
    pub(super) adds: Vec<Option<R>>,
    pub(super) updates: Vec<R>,
    pub(super) voids: Vec<i64>,
    pub(super) new_ids: Vec<i64>,
}

impl<R: Record + PartialEq> Table<R> {
    pub(super) fn new(existing: Vec<R>) -> Self {
        Table {
            existing: existing.into_iter().map(|r| (r.id(), r)).collect(),
            adds: Vec::new(),
            updates: Vec::new(),
            voids: Vec::new(),
            new_ids: Vec::new(),
        }
    }

    pub(super) fn reserve(&mut self) -> i64 {
        self.adds.push(None);
        -(self.adds.len() as i64)
    }

    /// Plans `r` (whose id is a placeholder or an existing id). Returns
    /// whether it is added, updated or unchanged.
    pub(super) fn put(&mut self, r: R) -> Outcome {
        let id = r.id();
        if id < 0 {
            let k = (-id - 1) as usize;
            if let Some(slot) = self.adds.get_mut(k) {
                *slot = Some(r);
            }
            Outcome::Added
        } else if self.existing.get(&id) == Some(&r) {
            Outcome::Unchanged
        } else {
            self.updates.push(r);
            Outcome::Updated
        }
    }

    /// The real id of a placeholder, once the record is inserted.
    pub(super) fn real(&self, id: i64) -> Result<i64> {
        if id >= 0 {
            return Ok(id);
        }
        usize::try_from(-(id + 1))
            .ok()
            .and_then(|k| self.new_ids.get(k).copied())
            .ok_or_else(|| {
                Error::fail(
                    "import",
                    format!("导入时内部编号 {id} 无法对应到{}", R::KIND),
                )
            })
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Added,
    Updated,
    Unchanged,
}

impl SheetSummary {
    pub(super) fn count(&mut self, o: Outcome) {
        match o {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// Keys matched with multiset semantics: each existing record matches one
/// row at most.
pub(super) struct KeyIndex<K> {
    map: HashMap<K, Vec<i64>>,
}

impl<K: std::hash::Hash + Eq> KeyIndex<K> {
    pub(super) fn new<R: Record>(records: &HashMap<i64, R>, key: impl Fn(&R) -> K) -> Self {
        let mut ids: Vec<&R> = records.values().collect();
        ids.sort_by_key(|r| std::cmp::Reverse(r.id()));
        let mut map: HashMap<K, Vec<i64>> = HashMap::new();
        // Highest id first in each Vec, so `pop` takes the oldest.
        for r in ids {
            map.entry(key(r)).or_default().push(r.id());
        }
        KeyIndex { map }
    }

    pub(super) fn take(&mut self, k: &K) -> Option<i64> {
        self.map.get_mut(k).and_then(Vec::pop)
    }
}

/// A member as the ledger will hold it after the plan: for finding members
/// by name within an org and by ID number.
pub(super) struct MemberRef {
    pub(super) org_id: i64,
    pub(super) name: String,
}

pub(super) struct Plan {
    pub(super) today: NaiveDate,
    pub(super) farmer_fen: i64,
    pub(super) errors: ErrorList,
    pub(super) notes: Vec<String>,

    pub(super) units: Table<Unit>,
    pub(super) orgs: Table<PartyOrg>,
    pub(super) coverages: Table<Coverage>,
    pub(super) members: Table<Member>,
    pub(super) instructors: Table<Instructor>,
    pub(super) assignments: Table<Assignment>,
    pub(super) visits: Table<Visit>,
    pub(super) meetings: Table<Meeting>,
    pub(super) funds: Table<FundEntry>,
    pub(super) dues: Table<Dues>,

    pub(super) unit_by_name: HashMap<String, i64>,
    pub(super) org_by_name: HashMap<String, i64>,
    pub(super) instructor_by_name: HashMap<String, i64>,
    /// Final state of every member (existing, updated, new).
    pub(super) member_refs: HashMap<i64, MemberRef>,
    pub(super) member_by_idno: HashMap<String, i64>,
    /// Built when first needed after the members sheet: org → name → ids.
    pub(super) member_index: Option<HashMap<i64, HashMap<String, Vec<i64>>>>,
    /// A member row seen in this file: ID numbers and (org, name) keys.
    pub(super) org_parent: HashMap<i64, Option<i64>>,
    /// The 设置 sheet, read before the record sheets.
    pub(super) settings: SettingsPlan,
}

impl Plan {
    pub(super) fn load(store: &Store, today: NaiveDate) -> Result<Plan> {
        let units: Vec<Unit> = store.all()?;
        let orgs: Vec<PartyOrg> = store.all()?;
        let members: Vec<Member> = store.all()?;
        let instructors: Vec<Instructor> = store.all()?;
        let unit_by_name = units.iter().map(|u| (u.name.clone(), u.id)).collect();
        let org_by_name = orgs.iter().map(|o| (o.name.clone(), o.id)).collect();
        let org_parent = orgs.iter().map(|o| (o.id, o.parent_id)).collect();
        let instructor_by_name = instructors.iter().map(|i| (i.name.clone(), i.id)).collect();
        let member_refs = members
            .iter()
            .map(|m| {
                (
                    m.id,
                    MemberRef {
                        org_id: m.org_id,
                        name: m.name.clone(),
                    },
                )
            })
            .collect();
        let member_by_idno = members
            .iter()
            .filter(|m| !m.id_number.is_empty())
            .map(|m| (m.id_number.clone(), m.id))
            .collect();
        Ok(Plan {
            today,
            farmer_fen: store.settings()?.farmer_dues_fen,
            errors: ErrorList::new(),
            notes: Vec::new(),
            units: Table::new(units),
            orgs: Table::new(orgs),
            coverages: Table::new(store.all()?),
            members: Table::new(members),
            instructors: Table::new(instructors),
            assignments: Table::new(store.all()?),
            visits: Table::new(store.all()?),
            meetings: Table::new(store.all()?),
            funds: Table::new(store.all()?),
            dues: Table::new(store.all()?),
            unit_by_name,
            org_by_name,
            instructor_by_name,
            member_refs,
            member_by_idno,
            member_index: None,
            org_parent,
            settings: SettingsPlan::default(),
        })
    }

    pub(super) fn sheet(&mut self, spec: &'static SheetSpec, sheet: &Sheet) -> SheetSummary {
        let mut summary = SheetSummary {
            sheet: spec.name,
            ..Default::default()
        };
        sheet.broken_rows_into(spec.name, &mut self.errors);
        let Some(header) = Header::read(spec, sheet, &mut self.errors, &mut self.notes) else {
            return summary;
        };
        let rows: Vec<&(usize, Vec<Cell>)> = data_rows(sheet).collect();
        match spec.name {
            "单位" => self.units_sheet(spec, &header, &rows, &mut summary),
            "党组织" => self.orgs_sheet(spec, &header, &rows, &mut summary),
            "党员" => self.members_sheet(spec, &header, &rows, &mut summary),
            "指导员" => self.instructors_sheet(spec, &header, &rows, &mut summary),
            "指导员联系单位" => self.assignments_sheet(spec, &header, &rows, &mut summary),
            "走访记录" => self.visits_sheet(spec, &header, &rows, &mut summary),
            "会议" => self.meetings_sheet(spec, &header, &rows, &mut summary),
            "经费" => self.funds_sheet(spec, &header, &rows, &mut summary),
            _ => self.dues_sheet(spec, &header, &rows, &mut summary),
        }
        summary
    }

    /// Resolves a reference by name in `map`; unknown → error.
    pub(super) fn lookup(
        r: &mut Row<'_>,
        col: &str,
        map: &HashMap<String, i64>,
        what: &str,
    ) -> Option<i64> {
        let name = r.text(col);
        if name.is_empty() {
            return None;
        }
        match map.get(&name) {
            Some(id) => Some(*id),
            None => {
                r.err(
                    col,
                    format!("找不到{what}“{name}”，请先在“{what}”表中登记或核对名称"),
                );
                None
            }
        }
    }

    pub(super) fn required_lookup(
        r: &mut Row<'_>,
        col: &str,
        map: &HashMap<String, i64>,
        what: &str,
    ) -> Option<i64> {
        if r.cell(col).is_empty() {
            r.err(col, "必填，不能为空");
            return None;
        }
        Self::lookup(r, col, map, what)
    }

    /// First pass over a sheet of named records: every name gets its id
    /// (existing or placeholder) so rows may refer to rows further down.
    /// Returns the id per row (None when the row has no usable name).
    pub(super) fn reserve_names<R: Record + PartialEq>(
        errors: &mut ErrorList,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        col: &str,
        table: &mut Table<R>,
        by_name: &mut HashMap<String, i64>,
    ) -> Vec<Option<i64>> {
        let k = spec.cols.iter().position(|c| c.name == col);
        let pos = k.and_then(|k| header.pos[k]);
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (row, cells) in rows.iter().map(|r| (&r.0, &r.1)) {
            let name = pos
                .and_then(|p| cells.get(p))
                .map(Cell::text)
                .unwrap_or_default();
            if name.is_empty() {
                out.push(None);
                continue;
            }
            if let Some(first) = seen.get(&name) {
                errors.push(format!(
                    "{}!{row} {col}: “{name}”与第 {first} 行重复，同一{}只能写一行",
                    spec.name,
                    R::KIND
                ));
                out.push(None);
                continue;
            }
            seen.insert(name.clone(), *row);
            let id = match by_name.get(&name) {
                Some(id) => *id,
                None => {
                    let id = table.reserve();
                    by_name.insert(name, id);
                    id
                }
            };
            out.push(Some(id));
        }
        out
    }

    /// org → member name → member ids, over the final state.
    pub(super) fn member_index(&mut self) -> &HashMap<i64, HashMap<String, Vec<i64>>> {
        self.member_index.get_or_insert_with(|| {
            let mut idx: HashMap<i64, HashMap<String, Vec<i64>>> = HashMap::new();
            for (id, m) in &self.member_refs {
                idx.entry(m.org_id)
                    .or_default()
                    .entry(m.name.clone())
                    .or_default()
                    .push(*id);
            }
            for names in idx.values_mut() {
                for ids in names.values_mut() {
                    ids.sort_unstable();
                }
            }
            idx
        })
    }
}
