//! Organisational life (三会一课): the meetings held, each 党支部's
//! requirements, attendance, the quorum of a 支部党员大会 and the
//! six-month rule (DOMAIN.md "Organisational life").

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Ctx, Warnings, by_name, rate};
use crate::domain::dates::Month;
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::rules::{meeting_quorum, needs_quorum};
use crate::report::model::*;

impl Ctx<'_> {
    /// The first day of the period a kind is checked over, and whether it
    /// is required of `org` this month.
    fn requirement(&self, o: &PartyOrg, k: MeetingKind) -> (bool, NaiveDate) {
        let m = self.month;
        let every = match self.l.settings.lesson_every_months {
            n @ 1..=12 => n as u32,
            _ => 3,
        };
        let jan = Month::new(m.year(), 1).unwrap_or(m).first_day();
        match k {
            MeetingKind::BranchCommittee => (o.has_committee, self.first),
            MeetingKind::GroupMeeting => (o.group_count > 0, self.first),
            MeetingKind::ThemeDay => (true, self.first),
            MeetingKind::MembersAssembly => {
                (m.is_quarter_end(), m.quarter_first_month().first_day())
            }
            MeetingKind::PartyLesson => (
                m.month().is_multiple_of(every),
                m.add_months(1 - every as i32).first_day(),
            ),
            MeetingKind::LifeMeeting | MeetingKind::Appraisal => (m.month() == 12, jan),
        }
    }

    pub(super) fn meetings(&self, w: &mut Warnings) -> (MeetingFigures, Vec<(String, i64)>) {
        let six = self.month.add_months(-5).first_day();
        let mut held_by_kind = vec![0i64; MeetingKind::ALL.len()];
        let (mut rows, mut present) = (0i64, 0i64);
        // Per org: its meetings (in the loaded window), rows and 出席 in M.
        let mut by_org: HashMap<i64, Vec<&Meeting>> = HashMap::new();
        let mut org_att: HashMap<i64, (i64, i64)> = HashMap::new();
        // Six-month rule: attendance rows and 出席 per member over M−5..M.
        let mut six_rows: HashMap<i64, (i64, i64)> = HashMap::new();
        for mt in &self.l.meetings {
            if !self.orgs.contains_key(&mt.org_id) || mt.date > self.end {
                continue;
            }
            by_org.entry(mt.org_id).or_default().push(mt);
            if mt.date >= six {
                for a in &mt.attendance {
                    let e = six_rows.entry(a.member_id).or_default();
                    e.0 += 1;
                    if a.status == AttendStatus::Present {
                        e.1 += 1;
                    }
                }
            }
            if mt.date < self.first {
                continue;
            }
            for k in &mt.kinds {
                held_by_kind[k.index()] += 1;
            }
            let (n, p, _, _) = mt.tally();
            rows += n as i64;
            present += p as i64;
            let e = org_att.entry(mt.org_id).or_default();
            e.0 += n as i64;
            e.1 += p as i64;
            if needs_quorum(&mt.kinds) {
                self.quorum(mt, w);
            }
        }

        // Requirements of every 党支部 active for the whole month.
        let sizes = self.org_sizes();
        let mut orgs = Vec::new();
        let mut compliant = 0;
        for o in &self.l.orgs {
            let whole_month =
                o.established < self.first && o.dissolved.is_none_or(|d| d > self.end);
            if o.org_type != OrgType::Branch || !whole_month {
                continue;
            }
            let mine = by_org.get(&o.id).map(Vec::as_slice).unwrap_or(&[]);
            let mut required = Vec::new();
            let mut held = Vec::new();
            let mut missing = Vec::new();
            for &k in MeetingKind::ALL {
                let (req, from) = self.requirement(o, k);
                if !req {
                    continue;
                }
                let n = mine
                    .iter()
                    .filter(|m| m.date >= from && m.has_kind(k))
                    .count() as i64;
                required.push(k.label().to_string());
                held.push((k.label().to_string(), n));
                if n == 0 {
                    missing.push(k.label().to_string());
                }
            }
            if missing.is_empty() {
                compliant += 1;
            } else {
                w.push(
                    WarningCode::OrgMissingMeetings,
                    &o.name,
                    format!("{}应开未开：{}", self.month.label(), missing.join("、")),
                );
            }
            let (r, p) = org_att.get(&o.id).copied().unwrap_or((0, 0));
            let size = sizes.get(&o.id).map_or(0, |s| s.0);
            orgs.push((
                o.name.clone(),
                o.id,
                (
                    OrgMeetings {
                        org: o.name.clone(),
                        required,
                        held: LabelMap(held),
                        missing,
                        attendance_rate: rate(p, r),
                    },
                    (o.formation.label().to_string(), size),
                ),
            ));
        }
        let (orgs, org_rows): (Vec<_>, Vec<_>) = by_name(orgs).into_iter().unzip();

        // Six-month rule.
        for (member_id, (n, p)) in six_rows {
            let Some(m) = self.members.get(&member_id) else {
                continue;
            };
            let whole = m.joined.is_none_or(|j| j < six) && m.left.is_none_or(|l| l > self.end);
            if whole && n > 0 && p == 0 {
                w.push(
                    WarningCode::MemberNoActivity6m,
                    &m.name,
                    format!(
                        "{}至{}应参加组织生活 {n} 次，均未出席（{}）",
                        self.month.add_months(-5).label(),
                        self.month.label(),
                        self.org_name(m.org_id)
                    ),
                );
            }
        }

        let required = orgs.len() as i64;
        (
            MeetingFigures {
                orgs_required: required,
                orgs_compliant: compliant,
                compliance_rate: rate(compliant, required),
                attendance_rate: rate(present, rows),
                held_by_kind: LabelMap(
                    MeetingKind::ALL
                        .iter()
                        .map(|k| (k.label().to_string(), held_by_kind[k.index()]))
                        .collect(),
                ),
                orgs,
            },
            org_rows,
        )
    }

    /// A 支部党员大会 without a quorum (`rules::Quorum`) is warned about.
    fn quorum(&self, mt: &Meeting, w: &mut Warnings) {
        let q = meeting_quorum(mt, |id| self.members.get(&id).copied());
        if !q.reached() {
            w.push(
                WarningCode::MeetingNoQuorum,
                &self.org_name(mt.org_id),
                format!(
                    "{} 支部党员大会应到正式党员 {} 名，实到 {} 名，未超过半数",
                    mt.date, q.expected, q.present
                ),
            );
        }
    }
}
