//! Writing: the planned structure inserted in one demo change, then the
//! months walked from the oldest to today's, each generating its
//! meetings, visits, fund entries and dues.

use super::Gen;
use crate::domain::records::Coverage;
use crate::error::Result;
use crate::store::{Change, ChangeKind, Store};

/// Writes the plan and the months in one demo change.
pub(super) fn write_all(
    store: &mut Store,
    g: &mut Gen,
    progress: &mut dyn FnMut(&str),
) -> Result<()> {
    let mut ch = store.change(ChangeKind::Demo, "生成演示账本")?;
    progress(&format!(
        "正在写入单位 {} 个、党组织 {} 个、党员 {} 名、指导员 {} 名…",
        g.units.len(),
        g.orgs.len(),
        g.members.len(),
        g.instructors.len()
    ));
    g.insert_structure(&mut ch)?;
    g.generate_months(&mut ch, progress)?;
    g.insert_assessments(&mut ch)?;
    progress("正在保存到台账文件…");
    ch.commit()
}

impl Gen {
    fn insert_structure(&mut self, ch: &mut Change<'_>) -> Result<()> {
        for u in &mut self.units {
            ch.insert_quiet(&mut u.rec)?;
        }
        for o in 0..self.orgs.len() {
            let parent = self.orgs[o].parent.map(|p| self.orgs[p].rec.id);
            self.orgs[o].rec.parent_id = parent;
            ch.insert_quiet(&mut self.orgs[o].rec)?;
        }
        for o in &self.orgs {
            for &(u, from, to) in &o.units {
                let mut c = Coverage {
                    id: 0,
                    org_id: o.rec.id,
                    unit_id: self.units[u].rec.id,
                    from,
                    to,
                };
                ch.insert_quiet(&mut c)?;
            }
        }
        for m in &mut self.members {
            m.rec.org_id = self.orgs[m.org].rec.id;
            m.rec.unit_id = m.rec.unit_id.map(|u| self.units[u as usize].rec.id);
            ch.insert_quiet(&mut m.rec)?;
        }
        for i in &mut self.instructors {
            ch.insert_quiet(&mut i.rec)?;
        }
        for a in &mut self.assignments {
            a.rec.instructor_id = self.instructors[a.instructor].rec.id;
            a.rec.unit_id = self.units[a.unit].rec.id;
            ch.insert_quiet(&mut a.rec)?;
        }
        self.summary.units = self.units.len();
        self.summary.orgs = self.orgs.len();
        self.summary.members = self.members.len();
        self.summary.instructors = self.instructors.len();
        Ok(())
    }

    fn generate_months(
        &mut self,
        ch: &mut Change<'_>,
        progress: &mut dyn FnMut(&str),
    ) -> Result<()> {
        let mut m = self.start;
        let mut year = 0;
        for _ in 0..self.cfg.months {
            if m.year() != year {
                if year != 0 && self.cfg.large {
                    progress(&format!(
                        "  {year}年完成：累计会议 {} 次、出勤 {} 条、走访 {} 次、经费 {} 笔、党费 {} 条",
                        self.summary.meetings,
                        self.summary.attendance_rows,
                        self.summary.visits,
                        self.summary.fund_entries,
                        self.summary.dues_rows
                    ));
                }
                year = m.year();
                progress(&format!("正在生成{year}年的三会一课、走访、经费和党费…"));
            }
            for o in 0..self.orgs.len() {
                if self.orgs[o].is_branch() {
                    self.branch_meetings(ch, o, m)?;
                }
            }
            self.visits(ch, m)?;
            self.funds(ch, m)?;
            self.dues(ch, m)?;
            m = m.next();
        }
        progress(&format!(
            "  共生成会议 {} 次、出勤 {} 条、走访 {} 次、经费 {} 笔、党费 {} 条",
            self.summary.meetings,
            self.summary.attendance_rows,
            self.summary.visits,
            self.summary.fund_entries,
            self.summary.dues_rows
        ));
        Ok(())
    }
}
