//! Phase 2: the planned records of each sheet written in the import's
//! one transaction, placeholders replaced by the real ids as records are
//! inserted (in bulk, with the indexes rebuilt, for large sheets).

use super::plan::{Plan, Table};
use crate::domain::records::*;
use crate::error::{Error, Result};
use crate::exchange::spec::SheetSpec;
use crate::store::{Change, Record};

impl Plan {
    /// Writes the planned records of one sheet (the tables it fills), in
    /// the import's transaction. Sheets come in FORMATS.md order, so every
    /// record a sheet refers to by a placeholder is already written and has
    /// its real id. Returns whether anything was written.
    pub(super) fn apply_sheet(&mut self, ch: &mut Change<'_>, spec: &SheetSpec) -> Result<bool> {
        fn any<R: Record + PartialEq>(t: &Table<R>) -> bool {
            !t.adds.is_empty() || !t.updates.is_empty() || !t.voids.is_empty()
        }
        match spec.name {
            "单位" => {
                let wrote = any(&self.units);
                insert_all(ch, &mut self.units, |_| Ok(()))?;
                update_all(ch, &self.units.updates, |_| Ok(()))?;
                Ok(wrote)
            }
            "党组织" => {
                let wrote = any(&self.orgs) || any(&self.coverages);
                // A parent before its children.
                let n = self.orgs.adds.len();
                self.orgs.new_ids = vec![0; n];
                let mut done = vec![false; n];
                for k in 0..n {
                    insert_org(ch, &mut self.orgs, &mut done, k)?;
                }
                let orgs = &self.orgs;
                let org_updates: Vec<PartyOrg> = orgs
                    .updates
                    .iter()
                    .cloned()
                    .map(|mut o| {
                        if let Some(p) = o.parent_id {
                            o.parent_id = Some(orgs.real(p)?);
                        }
                        Ok(o)
                    })
                    .collect::<Result<_>>()?;
                update_all(ch, &org_updates, |_| Ok(()))?;
                for cid in &self.coverages.voids {
                    ch.void::<Coverage>(*cid)?;
                }
                let units = &self.units;
                insert_all(ch, &mut self.coverages, |c| {
                    c.org_id = orgs.real(c.org_id)?;
                    c.unit_id = units.real(c.unit_id)?;
                    Ok(())
                })?;
                Ok(wrote)
            }
            "党员" => {
                let wrote = any(&self.members);
                let (orgs, units) = (&self.orgs, &self.units);
                let fix = |m: &mut Member| -> Result<()> {
                    m.org_id = orgs.real(m.org_id)?;
                    if let Some(u) = m.unit_id {
                        m.unit_id = Some(units.real(u)?);
                    }
                    Ok(())
                };
                insert_all(ch, &mut self.members, fix)?;
                update_all(ch, &self.members.updates, fix)?;
                Ok(wrote)
            }
            "指导员" => {
                let wrote = any(&self.instructors);
                insert_all(ch, &mut self.instructors, |_| Ok(()))?;
                update_all(ch, &self.instructors.updates, |_| Ok(()))?;
                Ok(wrote)
            }
            "指导员联系单位" => {
                let wrote = any(&self.assignments);
                let (instructors, units) = (&self.instructors, &self.units);
                let fix = |a: &mut Assignment| -> Result<()> {
                    a.instructor_id = instructors.real(a.instructor_id)?;
                    a.unit_id = units.real(a.unit_id)?;
                    Ok(())
                };
                insert_all(ch, &mut self.assignments, fix)?;
                update_all(ch, &self.assignments.updates, fix)?;
                Ok(wrote)
            }
            "走访记录" => {
                let wrote = any(&self.visits);
                let (instructors, units) = (&self.instructors, &self.units);
                let fix = |v: &mut Visit| -> Result<()> {
                    v.instructor_id = instructors.real(v.instructor_id)?;
                    v.unit_id = units.real(v.unit_id)?;
                    Ok(())
                };
                insert_all(ch, &mut self.visits, fix)?;
                update_all(ch, &self.visits.updates, fix)?;
                Ok(wrote)
            }
            "会议" => {
                let wrote = any(&self.meetings);
                let (orgs, members) = (&self.orgs, &self.members);
                let fix = |m: &mut Meeting| -> Result<()> {
                    m.org_id = orgs.real(m.org_id)?;
                    for a in &mut m.attendance {
                        a.member_id = members.real(a.member_id)?;
                    }
                    m.attendance.sort_by_key(|a| a.member_id);
                    Ok(())
                };
                insert_all(ch, &mut self.meetings, fix)?;
                update_all(ch, &self.meetings.updates, fix)?;
                Ok(wrote)
            }
            "经费" => {
                let wrote = any(&self.funds);
                let orgs = &self.orgs;
                insert_all(ch, &mut self.funds, |f| {
                    if let Some(o) = f.org_id {
                        f.org_id = Some(orgs.real(o)?);
                    }
                    Ok(())
                })?;
                Ok(wrote)
            }
            _ => {
                let wrote = any(&self.dues);
                let (orgs, members) = (&self.orgs, &self.members);
                let fix = |d: &mut Dues| -> Result<()> {
                    d.member_id = members.real(d.member_id)?;
                    d.org_id = orgs.real(d.org_id)?;
                    Ok(())
                };
                insert_all(ch, &mut self.dues, fix)?;
                update_all(ch, &self.dues.updates, fix)?;
                Ok(wrote)
            }
        }
    }
}

fn missing_add<R: Record>() -> Error {
    Error::fail("import", format!("导入计划中有未完成的{}记录", R::KIND))
}

/// New records of one kind from which an import rebuilds the kind's
/// indexes instead of updating them (when the table is not larger already).
pub(super) const BULK_ROWS: usize = 20_000;

fn insert_all<R: Record + PartialEq>(
    ch: &mut Change<'_>,
    table: &mut Table<R>,
    fix: impl Fn(&mut R) -> Result<()>,
) -> Result<()> {
    let adds = std::mem::take(&mut table.adds);
    table.new_ids = Vec::with_capacity(adds.len());
    // A bulk load (a whole ledger's dues or meetings): building the
    // secondary indexes once afterwards beats updating them row by row.
    let bulk = adds.len() >= BULK_ROWS && adds.len() >= table.existing.len();
    let suspended = if bulk {
        Some(ch.suspend_indexes::<R>()?)
    } else {
        None
    };
    for slot in adds {
        let mut r = slot.ok_or_else(missing_add::<R>)?;
        fix(&mut r)?;
        r.set_id(0);
        let id = ch.insert_ranged(&mut r)?;
        table.new_ids.push(id);
    }
    if let Some(s) = suspended {
        ch.rebuild_indexes(s)?;
    }
    Ok(())
}

fn update_all<R: Record + PartialEq>(
    ch: &mut Change<'_>,
    records: &[R],
    fix: impl Fn(&mut R) -> Result<()>,
) -> Result<()> {
    for r in records {
        let mut r = r.clone();
        fix(&mut r)?;
        ch.update(&r)?;
    }
    Ok(())
}

fn insert_org(
    ch: &mut Change<'_>,
    orgs: &mut Table<PartyOrg>,
    done: &mut [bool],
    k: usize,
) -> Result<()> {
    if done.get(k).copied().unwrap_or(true) {
        return Ok(());
    }
    done[k] = true;
    let mut o = orgs
        .adds
        .get(k)
        .cloned()
        .flatten()
        .ok_or_else(missing_add::<PartyOrg>)?;
    if let Some(p) = o.parent_id {
        if p < 0 {
            let pk = (-p - 1) as usize;
            insert_org(ch, orgs, done, pk)?;
        }
        o.parent_id = Some(if p < 0 {
            let pk = (-p - 1) as usize;
            orgs.new_ids
                .get(pk)
                .copied()
                .ok_or_else(missing_add::<PartyOrg>)?
        } else {
            p
        });
    }
    o.set_id(0);
    let id = ch.insert_ranged(&mut o)?;
    orgs.new_ids[k] = id;
    Ok(())
}
