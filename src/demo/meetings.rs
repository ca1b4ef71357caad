//! 三会一课: each branch's meetings of a month (the kinds due, topics,
//! attendance, planted missing meetings and assemblies without quorum).

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::rng::{day_in, month_of, yyyymm};
use super::words::{
    ASSEMBLY_TOPICS, COMMITTEE_TOPICS, DATED_THEMES, FLOATING_REASONS, GROUP_TOPICS, LEAVE_REASONS,
    LESSON_TOPICS, MONTH_THEMES, RED_BASES, THEMES,
};
use super::{AP, BC, GM, Gen, LM, MA, PL, TD};
use crate::domain::dates::Month;
use crate::domain::enums::{AttendStatus, MeetingKind, PartyPost};
use crate::domain::records::Attendance;
use crate::error::Result;
use crate::store::Change;

impl Gen {
    pub(super) fn branch_meetings(
        &mut self,
        ch: &mut Change<'_>,
        o: usize,
        m: Month,
    ) -> Result<()> {
        let today = self.today;
        let first = m.first_day();
        let last = m.last_day().min(today);
        let est = self.orgs[o].rec.established;
        if est > last {
            return Ok(());
        }
        if let Some(d) = self.orgs[o].rec.dissolved
            && d <= m.last_day()
        {
            return Ok(());
        }
        if m.contains(est) {
            if est >= self.window_start() {
                let topic = "党支部成立大会暨第一次党员大会，选举产生支部班子";
                self.emit(ch, o, est, MA, Who::All, topic, Attend::Full)?;
            }
            return Ok(());
        }
        let skip = self.orgs[o]
            .skips
            .iter()
            .filter(|(sm, _)| *sm == m)
            .fold(0u8, |acc, (_, k)| acc | k);
        let first_full = Month::of(est).next().max(self.start);
        let qf = m.quarter_first_month();
        let lesson_month = qf.add_months(self.orgs[o].lesson_offset).max(first_full);
        let lesson_now = lesson_month == m;
        let q_end = m.is_quarter_end();
        let with_theme = self.orgs[o].lesson_with_theme;

        // 支部委员会
        if self.orgs[o].rec.has_committee && skip & BC == 0 {
            let d = day_in(m, self.rng.range(1, 6) as u32, today);
            let topic = self.topic(COMMITTEE_TOPICS, d, false);
            self.emit(ch, o, d, BC, Who::Committee, topic, Attend::Usual)?;
            if self.rng.chance(300) {
                let d = day_in(m, self.rng.range(16, 26) as u32, today);
                let topic = self.topic(COMMITTEE_TOPICS, d, false);
                self.emit(ch, o, d, BC, Who::Committee, topic, Attend::Usual)?;
            }
        }
        // 党小组会, one per group
        if skip & GM == 0 {
            for g in 0..self.orgs[o].groups {
                let d = day_in(m, self.rng.range(8, 14) as u32 + u32::from(g), today);
                let topic = self.topic(GROUP_TOPICS, d, false);
                self.emit(ch, o, d, GM, Who::Group(g), topic, Attend::Usual)?;
            }
        }
        // 主题党日 (often also the quarter's 党课)
        let mut theme_mask = TD;
        if (lesson_now && with_theme) || self.rng.chance(150) {
            theme_mask |= PL;
        }
        theme_mask &= !skip;
        if theme_mask != 0 {
            let d = day_in(m, self.orgs[o].theme_day, today);
            let topic = if theme_mask & TD != 0 {
                self.topic(THEMES, d, true)
            } else {
                self.topic(LESSON_TOPICS, d, false)
            };
            self.emit(ch, o, d, theme_mask, Who::All, topic, Attend::Usual)?;
            // Some months a second activity (volunteering, study visit).
            if theme_mask & TD != 0 && self.rng.chance(150) {
                let d = day_in(m, self.rng.range(22, 28) as u32, today);
                let topic = self.topic(THEMES, d, false);
                self.emit(ch, o, d, TD, Who::All, topic, Attend::Usual)?;
            }
        }
        // A separate 党课 when it is not given at the 主题党日 or the assembly
        let lesson_with_assembly =
            !with_theme && q_end && lesson_now && self.orgs[o].lesson_offset == 2;
        if lesson_now && !with_theme && !lesson_with_assembly {
            let d = day_in(m, self.rng.range(15, 22) as u32, today);
            let topic = self.topic(LESSON_TOPICS, d, false);
            self.emit(ch, o, d, PL, Who::All, topic, Attend::Usual)?;
        }
        // 支部党员大会 every quarter
        if q_end {
            let mut mask = MA;
            if lesson_with_assembly {
                mask |= PL;
            }
            mask &= !skip;
            if mask != 0 {
                let d = day_in(m, self.rng.range(20, 27) as u32, today);
                let topic = if mask & MA != 0 {
                    self.topic(ASSEMBLY_TOPICS, d, false)
                } else {
                    self.topic(LESSON_TOPICS, d, false)
                };
                self.emit(ch, o, d, mask, Who::All, topic, Attend::Usual)?;
            }
        }
        // An extra 支部党员大会 for member development business (not in a
        // branch whose quarterly assembly is planted as missing).
        let assembly_planted = self.orgs[o].skips.iter().any(|(_, k)| k & MA != 0);
        if !q_end && !assembly_planted && self.rng.chance(250) {
            let d = day_in(m, self.rng.range(16, 26) as u32, today);
            let topic = *self.rng.pick(&[
                "讨论确定入党积极分子",
                "讨论确定发展对象",
                "讨论接收预备党员",
                "讨论预备党员转正",
                "推荐优秀党员和先进党组织",
            ]);
            self.emit(ch, o, d, MA, Who::All, topic, Attend::Usual)?;
        }
        // Election of the current committee
        if let Some(e) = self.orgs[o].rec.elected
            && m.contains(e)
            && e > est
        {
            let topic = if self.orgs[o].rec.has_committee {
                "换届选举，选举产生新一届支部委员会"
            } else {
                "换届选举，选举产生新一届支部书记"
            };
            self.emit(ch, o, e, MA, Who::All, topic, Attend::Usual)?;
        }
        // 组织生活会 and 民主评议党员 once a year
        let nov = month_of(m.year(), 11);
        let yearly_month = if self.orgs[o].yearly_in_november && first_full <= nov {
            nov
        } else {
            month_of(m.year(), 12)
        };
        if yearly_month == m {
            let dec = month_of(m.year(), 12);
            let dec_skip = self.orgs[o]
                .skips
                .iter()
                .filter(|(sm, _)| *sm == dec)
                .fold(0u8, |acc, (_, k)| acc | k);
            let mask = (LM | AP) & !dec_skip;
            if mask != 0 {
                let d = day_in(m, self.rng.range(15, 28) as u32, today);
                self.emit(ch, o, d, mask, Who::All, "", Attend::Usual)?;
            }
        }
        // Planted: an assembly without quorum
        if self.orgs[o].no_quorum.contains(&m) {
            let d = day_in(m, self.rng.range(2, 12) as u32, today).max(first);
            self.emit(
                ch,
                o,
                d,
                MA,
                Who::All,
                "讨论接收预备党员（到会党员未过半数，会议改期）",
                Attend::NoQuorum,
            )?;
        }
        Ok(())
    }

    /// A topic for a meeting on `d`: dated and month topics first when
    /// `timely`, else from `list`.
    fn topic(&mut self, list: &'static [&'static str], d: NaiveDate, timely: bool) -> &'static str {
        if timely {
            let ym = yyyymm(d);
            let r = self.rng.below(100);
            if r < 30 {
                let n = DATED_THEMES
                    .iter()
                    .filter(|(_, a, b)| *a <= ym && ym <= *b)
                    .count();
                if n > 0 {
                    let i = self.rng.below(n);
                    if let Some((t, _, _)) = DATED_THEMES
                        .iter()
                        .filter(|(_, a, b)| *a <= ym && ym <= *b)
                        .nth(i)
                    {
                        return t;
                    }
                }
            } else if r < 45
                && let Some((t, _)) = MONTH_THEMES.iter().find(|(_, mo)| *mo == d.month())
            {
                return t;
            }
        }
        self.rng.word(list)
    }

    /// Writes one meeting with its attendance.
    #[allow(clippy::too_many_arguments)]
    fn emit(
        &mut self,
        ch: &mut Change<'_>,
        o: usize,
        date: NaiveDate,
        mask: u8,
        who: Who,
        topic: &str,
        mode: Attend,
    ) -> Result<()> {
        let org = &self.orgs[o];
        let mt = &mut self.meeting;
        mt.id = 0;
        mt.org_id = org.rec.id;
        mt.date = date;
        mt.kinds.clear();
        for k in MeetingKind::ALL {
            if mask & (1 << k.index()) != 0 {
                mt.kinds.push(*k);
            }
        }
        let sec = org
            .members
            .first()
            .map_or("", |&m| self.members[m].rec.name.as_str());
        let second = org
            .members
            .get(1)
            .map_or(sec, |&m| self.members[m].rec.name.as_str());
        mt.host.clear();
        mt.recorder.clear();
        mt.lecturer.clear();
        mt.place.clear();
        mt.topic.clear();
        mt.summary.clear();
        match who {
            Who::Group(g) => {
                let leader = org
                    .members
                    .iter()
                    .map(|&m| &self.members[m])
                    .find(|m| m.group == g && m.rec.party_post == Some(PartyPost::GroupLeader))
                    .map_or(sec, |m| m.rec.name.as_str());
                mt.host.push_str(leader);
            }
            _ => mt.host.push_str(sec),
        }
        mt.place.push_str(&org.home_place);
        mt.recorder.push_str(second);
        if mask & PL != 0 {
            let r = self.rng.below(10);
            mt.lecturer.push_str(match r {
                0..=5 => sec,
                6..=7 => second,
                _ => &self.head,
            });
        }
        // Topic, place and summary.
        if mask & (LM | AP) != 0 && topic.is_empty() {
            let y = date.year();
            if mask & LM != 0 && mask & AP != 0 {
                let _ = write!(mt.topic, "{y}年度组织生活会暨民主评议党员");
            } else if mask & LM != 0 {
                let _ = write!(mt.topic, "{y}年度组织生活会");
            } else {
                let _ = write!(mt.topic, "{y}年度民主评议党员");
            }
        } else if mask & TD != 0 && self.rng.chance(120) {
            let base = *self.rng.pick(RED_BASES);
            mt.place.clear();
            mt.place.push_str(base);
            let _ = write!(mt.topic, "赴{base}开展党性教育");
        } else {
            mt.topic.push_str(topic);
        }

        // Attendance.
        mt.attendance.clear();
        self.formal_buf.clear();
        for &mi in &org.members {
            let m = &self.members[mi];
            if !m.rec.active_on(date) {
                continue;
            }
            match who {
                Who::Committee if !m.committee => continue,
                Who::Group(g) if m.group != g => continue,
                _ => {}
            }
            let quiet = m.quiet_from.is_some_and(|q| date >= q);
            let (status, reason) = if quiet {
                if self.rng.chance(800) {
                    (AttendStatus::Leave, *self.rng.pick(FLOATING_REASONS))
                } else {
                    (AttendStatus::Absent, "")
                }
            } else if mode == Attend::Full || self.rng.below(1000) < usize::from(m.reliability) {
                (AttendStatus::Present, "")
            } else if self.rng.chance(750) {
                let r = if m.rec.floating {
                    *self.rng.pick(FLOATING_REASONS)
                } else {
                    *self.rng.pick(LEAVE_REASONS)
                };
                (AttendStatus::Leave, r)
            } else {
                (AttendStatus::Absent, "")
            };
            mt.attendance.push(Attendance {
                member_id: m.rec.id,
                status,
                reason: reason.to_string(),
            });
            self.formal_buf.push((m.rec.formal_on(date), quiet));
        }
        if mask & MA != 0 {
            let expected = self.formal_buf.iter().filter(|(f, _)| *f).count();
            let mut present = mt
                .attendance
                .iter()
                .zip(&self.formal_buf)
                .filter(|(a, (f, _))| *f && a.status == AttendStatus::Present)
                .count();
            if mode == Attend::NoQuorum {
                // Fewer than half of the formal members came: the rest were away.
                let allowed = expected / 2;
                for (a, (f, _)) in mt.attendance.iter_mut().zip(&self.formal_buf) {
                    if *f && a.status == AttendStatus::Present && present > allowed {
                        a.status = AttendStatus::Leave;
                        a.reason = (*self.rng.pick(&["出差", "外出务工", "加班", "外地项目驻场"]))
                            .to_string();
                        present -= 1;
                    }
                }
            } else {
                // A real branch reschedules until it has a quorum.
                for (a, (f, q)) in mt.attendance.iter_mut().zip(&self.formal_buf) {
                    if present * 2 > expected {
                        break;
                    }
                    if *f && !*q && a.status != AttendStatus::Present {
                        a.status = AttendStatus::Present;
                        a.reason.clear();
                        present += 1;
                    }
                }
            }
        }
        let (exp, pres, leave, _) = mt.tally();
        let host = mt.host.clone();
        let topic = mt.topic.clone();
        let s = &mut mt.summary;
        if mask & (LM | AP) != 0 {
            let _ = write!(
                s,
                "{host}主持召开{topic}，通报支部年度工作，党员逐一开展批评和自我批评"
            );
            if mask & AP != 0 {
                let _ = write!(s, "，进行民主评议，评议结果报上级党组织");
            }
            s.push('。');
        } else if mode == Attend::NoQuorum {
            let _ = write!(
                s,
                "应到{exp}人，实到{pres}人，请假{leave}人；到会正式党员未过半数，会议不作决定，改期召开。"
            );
        } else if mask & MA != 0 {
            let _ = write!(
                s,
                "{host}主持召开支部党员大会，{topic}，应到{exp}人，实到{pres}人。"
            );
        } else if mask & BC != 0 {
            let _ = write!(
                s,
                "{host}主持召开支委会，{topic}，支委逐一发表意见，形成会议决定。"
            );
        } else if mask & GM != 0 {
            let _ = write!(s, "党小组长{host}组织学习，{topic}，组员交流发言。");
        } else if mask & TD != 0 {
            let _ = write!(s, "{host}带领党员开展主题党日活动：{topic}。");
            if mask & PL != 0 {
                let _ = write!(s, "{}讲授专题党课。", mt.lecturer);
            }
        } else {
            let _ = write!(
                s,
                "{}以“{topic}”为题讲授专题党课，党员结合岗位实际交流发言。",
                mt.lecturer
            );
        }
        ch.insert_quiet(&mut self.meeting)?;
        self.summary.meetings += 1;
        self.summary.attendance_rows += self.meeting.attendance.len();
        Ok(())
    }
}

/// How a meeting's attendance is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Attend {
    /// By each member's reliability; assemblies always reach a quorum.
    Usual,
    /// Everybody who is not away for months comes (founding meetings).
    Full,
    /// Planted: formal members present are at most half.
    NoQuorum,
}

/// Who is expected at a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    All,
    Committee,
    Group(u8),
}
