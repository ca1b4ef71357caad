//! Instructors (党建工作指导员): who they are, the units each is assigned
//! to, the visits of a month and the yearly assessments.

use chrono::Datelike;

use super::rng::{add_days, ymd};
use super::words::{
    INSTRUCTOR_DEPTS, INSTRUCTOR_POSTS, STATE_FIRMS, VISIT_CONTENT, VISIT_PROBLEMS,
};
use super::{AssignmentGen, Gen, InstructorGen, OrgPlant, OrgRole, UnitRole};
use crate::domain::dates::Month;
use crate::domain::enums::{Assessment, Gender, InstructorSource, UnitStatus, VisitMode};
use crate::domain::records::{Assignment, Instructor, InstructorAssessment, Visit};
use crate::error::Result;
use crate::store::Change;

impl Gen {
    pub(super) fn build_instructors(&mut self) {
        let ws = self.window_start();
        let n = self.cfg.instructors;
        let departed = (n / 12).max(1);
        let small_town = self.town.clone();
        for i in 0..n {
            let female = self.rng.chance(300);
            let name = self.unique_person(female);
            let source = *self.rng.pick(&[
                InstructorSource::Government,
                InstructorSource::Government,
                InstructorSource::Hired,
                InstructorSource::Grassroots,
                InstructorSource::RetiredCadre,
                InstructorSource::StateEnterprise,
                InstructorSource::Township,
                InstructorSource::Township,
            ]);
            let workplace = match source {
                InstructorSource::Government => {
                    let d = self.rng.pick(INSTRUCTOR_DEPTS);
                    let p = self.rng.pick(INSTRUCTOR_POSTS);
                    if self.cfg.large {
                        format!("上饶经开区{d}{p}")
                    } else {
                        format!("{}{d}{p}", self.county)
                    }
                }
                InstructorSource::Hired => "专职党建工作指导员".to_string(),
                InstructorSource::Grassroots => {
                    let v = self.rng.below(self.villages.len());
                    format!("{}党组织委员", self.villages[v])
                }
                InstructorSource::RetiredCadre => {
                    if self.cfg.large {
                        "原经开区管委会调研员".to_string()
                    } else {
                        format!("原{small_town}人大主席")
                    }
                }
                InstructorSource::StateEnterprise => self.rng.pick(STATE_FIRMS).to_string(),
                InstructorSource::Township => {
                    let post = self.rng.pick(&[
                        "党政办副主任",
                        "党建办干事",
                        "社会事务办干事",
                        "经济发展办副主任",
                    ]);
                    format!("{small_town}{post}")
                }
            };
            let appointed = self.rng.date(ymd(2017, 3, 1), add_days(ws, -60));
            let mut rec = Instructor {
                id: 0,
                name,
                gender: Some(if female { Gender::Female } else { Gender::Male }),
                phone: self.mobile(),
                source,
                workplace,
                appointed,
                left: None,
                note: String::new(),
            };
            if i < departed {
                let d = self.rng.date(add_days(ws, 60), add_days(self.today, -45));
                rec.left = Some(d);
                rec.note = "工作调动离任".to_string();
            }
            self.instructors.push(InstructorGen { rec });
        }
        // Successors take over on the day their predecessor left.
        for i in 0..departed {
            let s = departed + i;
            if s >= n {
                break;
            }
            if let Some(d) = self.instructors[i].rec.left {
                let pred = self.instructors[i].rec.name.clone();
                self.instructors[s].rec.appointed = d;
                self.instructors[s].rec.note = format!("接替{pred}");
            }
        }

        // Units to assign: every work-covered unit, one inactive one, and a few
        // covered units whose branch is new or joint (guidance).
        let mut list: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::WorkCovered)
            .collect();
        if let Some(u) = (0..self.units.len()).find(|&u| {
            self.units[u].role == UnitRole::Inactive
                && self.units[u].rec.status == UnitStatus::Abnormal
        }) {
            list.push(u);
        }
        let guided: Vec<usize> = self
            .orgs
            .iter()
            .filter(|o| {
                o.role == OrgRole::Joint && o.plant == OrgPlant::None
                    || o.rec.established >= ws && o.role == OrgRole::Standalone
            })
            .flat_map(|o| o.units.iter().map(|(u, _, _)| *u))
            .collect();
        let want = (n * 3 / 2).max(list.len());
        let mut gi = guided.clone();
        self.rng.shuffle(&mut gi);
        for u in gi {
            if list.len() >= want {
                break;
            }
            if !list.contains(&u) {
                list.push(u);
            }
        }
        self.rng.shuffle(&mut list);
        // Successors get their units from their predecessors only.
        let assignable: Vec<usize> = (0..n)
            .filter(|&i| i < departed || i >= 2 * departed)
            .collect();
        if assignable.is_empty() {
            return;
        }
        for (j, u) in list.into_iter().enumerate() {
            let i = assignable[j % assignable.len()];
            let appointed = self.instructors[i].rec.appointed;
            let start = add_days(appointed, self.rng.range(0, 20));
            let end = self.instructors[i].rec.left;
            self.assignments.push(AssignmentGen {
                rec: Assignment {
                    id: 0,
                    instructor_id: 0,
                    unit_id: 0,
                    start,
                    end,
                },
                instructor: i,
                unit: u,
                skip: Vec::new(),
            });
            if let Some(d) = end {
                let s = i + departed;
                if s < n && s >= departed {
                    self.assignments.push(AssignmentGen {
                        rec: Assignment {
                            id: 0,
                            instructor_id: 0,
                            unit_id: 0,
                            start: d,
                            end: None,
                        },
                        instructor: s,
                        unit: u,
                        skip: Vec::new(),
                    });
                }
            }
        }
    }

    pub(super) fn visits(&mut self, ch: &mut Change<'_>, m: Month) -> Result<()> {
        let first = m.first_day();
        let last = m.last_day().min(self.today);
        for a in 0..self.assignments.len() {
            let g = &self.assignments[a];
            if g.skip.contains(&m) {
                continue;
            }
            let from = g.rec.start.max(first);
            let to = match g.rec.end {
                Some(e) => add_days(e, -1).min(last),
                None => last,
            };
            if from > to {
                continue;
            }
            let n = if self.rng.chance(150) { 2 } else { 1 };
            for _ in 0..n {
                let date = self.rng.date(from, to);
                let (mode, contents) = *self.rng.pick(VISIT_CONTENT);
                let mode = VisitMode::parse(mode).unwrap_or(VisitMode::Visit);
                let content = (*self.rng.pick(contents)).to_string();
                let (problems, resolved) = if self.rng.chance(250) {
                    let p = (*self.rng.pick(VISIT_PROBLEMS)).to_string();
                    (p, Some(self.rng.chance(600)))
                } else {
                    (String::new(), None)
                };
                let g = &self.assignments[a];
                let mut v = Visit {
                    id: 0,
                    instructor_id: self.instructors[g.instructor].rec.id,
                    unit_id: self.units[g.unit].rec.id,
                    date,
                    mode,
                    content,
                    problems,
                    resolved,
                };
                ch.insert_quiet(&mut v)?;
                self.summary.visits += 1;
            }
        }
        Ok(())
    }

    pub(super) fn insert_assessments(&mut self, ch: &mut Change<'_>) -> Result<()> {
        for i in 0..self.instructors.len() {
            for y in self.start.year()..self.today.year() {
                let rec = &self.instructors[i].rec;
                if rec.appointed > ymd(y, 10, 1) || rec.left.is_some_and(|l| l <= ymd(y, 12, 31)) {
                    continue;
                }
                let r = self.rng.below(100);
                let grade = match r {
                    0..=21 => Assessment::Excellent,
                    22..=95 => Assessment::Competent,
                    _ => Assessment::Basic,
                };
                let mut a = InstructorAssessment {
                    id: 0,
                    instructor_id: rec.id,
                    year: y,
                    grade,
                    note: String::new(),
                };
                ch.insert_quiet(&mut a)?;
            }
        }
        Ok(())
    }
}
