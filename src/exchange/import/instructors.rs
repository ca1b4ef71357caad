//! The instructor sheets: 指导员, 指导员联系单位 and 走访记录.

use super::plan::{KeyIndex, Plan};
use super::row::{Header, Row};
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn instructors_sheet(
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
            "姓名",
            &mut self.instructors,
            &mut self.instructor_by_name,
        );
        for (row, id) in rows.iter().zip(ids) {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let name = r.required_text("姓名");
            let source = r.required_choice("来源", InstructorSource::parse);
            let appointed = r.required_date("选派日期");
            let (Some(id), Some(source), Some(appointed)) = (id, source, appointed) else {
                continue;
            };
            let mut i = self
                .instructors
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Instructor {
                    id,
                    name: String::new(),
                    gender: None,
                    phone: String::new(),
                    source,
                    workplace: String::new(),
                    appointed,
                    left: None,
                    note: String::new(),
                });
            i.id = id;
            i.name = name;
            i.source = source;
            i.appointed = appointed;
            r.set_choice("性别", &mut i.gender, Gender::parse);
            r.phone("手机", &mut i.phone);
            r.set_text("工作单位及职务", &mut i.workplace);
            r.set_date("离任日期", &mut i.left);
            r.set_text("备注", &mut i.note);
            r.issues(validate::instructor(&i));
            if r.ok {
                summary.count(self.instructors.put(i));
            }
        }
    }

    pub(super) fn assignments_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.assignments.existing, |a: &Assignment| {
            (a.instructor_id, a.unit_id, a.start)
        });
        for row in rows {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let instructor_id =
                Self::required_lookup(&mut r, "指导员", &self.instructor_by_name, "指导员");
            let unit_id = Self::required_lookup(&mut r, "单位", &self.unit_by_name, "单位");
            let start = r.required_date("开始日期");
            let end = r.date("结束日期");
            let (Some(instructor_id), Some(unit_id), Some(start)) = (instructor_id, unit_id, start)
            else {
                continue;
            };
            let id = index
                .take(&(instructor_id, unit_id, start))
                .unwrap_or_else(|| self.assignments.reserve());
            let mut a = self
                .assignments
                .existing
                .get(&id)
                .cloned()
                .unwrap_or(Assignment {
                    id,
                    instructor_id,
                    unit_id,
                    start,
                    end: None,
                });
            if r.has("结束日期") {
                a.end = end;
            }
            r.issues(validate::assignment(&with_positive_refs_assignment(&a)));
            if r.ok {
                summary.count(self.assignments.put(a));
            }
        }
    }

    pub(super) fn visits_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.visits.existing, |v: &Visit| {
            (v.instructor_id, v.unit_id, v.date, v.content.clone())
        });
        for row in rows {
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let instructor_id =
                Self::required_lookup(&mut r, "指导员", &self.instructor_by_name, "指导员");
            let unit_id = Self::required_lookup(&mut r, "单位", &self.unit_by_name, "单位");
            let date = r.required_date("日期");
            let content = r.required_text("内容");
            let mode = r
                .choice("方式", VisitMode::parse)
                .unwrap_or(VisitMode::Visit);
            let (Some(instructor_id), Some(unit_id), Some(date)) = (instructor_id, unit_id, date)
            else {
                continue;
            };
            if content.is_empty() {
                continue;
            }
            let id = index
                .take(&(instructor_id, unit_id, date, content.clone()))
                .unwrap_or_else(|| self.visits.reserve());
            let mut v = self.visits.existing.get(&id).cloned().unwrap_or(Visit {
                id,
                instructor_id,
                unit_id,
                date,
                mode,
                content: content.clone(),
                problems: String::new(),
                resolved: None,
            });
            if r.has("方式") {
                v.mode = mode;
            }
            r.set_text("收集问题", &mut v.problems);
            if r.has("是否解决") {
                v.resolved = r.yes_no("是否解决");
            }
            let mut check = v.clone();
            check.instructor_id = check.instructor_id.abs();
            check.unit_id = check.unit_id.abs();
            r.issues(validate::visit(&check));
            if r.ok {
                summary.count(self.visits.put(v));
            }
        }
    }
}

fn with_positive_refs_assignment(a: &Assignment) -> Assignment {
    let mut a = a.clone();
    a.instructor_id = a.instructor_id.abs();
    a.unit_id = a.unit_id.abs();
    a
}
