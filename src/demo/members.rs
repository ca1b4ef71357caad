//! Members: each branch's members with their dates, posts, groups,
//! attendance habits and dues bases.

use chrono::Datelike;

use super::rng::{add_days, add_years, ymd};
use super::{Flavor, Gen, MemberGen, MemberKind, OrgPlant, OrgRole, UnitRole};
use crate::domain::enums::{
    Gender, MemberCategory, MemberStatus, NewEmployment, PartyPost, PersonType,
};
use crate::domain::records::Member;

impl Gen {
    fn plan_sizes(&mut self) {
        for o in 0..self.orgs.len() {
            let (role, plant, n_units) = (
                self.orgs[o].role,
                self.orgs[o].plant,
                self.orgs[o].units.len(),
            );
            let size = match (role, plant) {
                (OrgRole::Top | OrgRole::Mid | OrgRole::EnterpriseGeneral, _) => 0,
                (OrgRole::EnterpriseSub, _) => self.orgs[o].size,
                (_, OrgPlant::TooLarge) => self.rng.range(52, 56) as usize,
                (_, OrgPlant::NeedsCommittee) => self.rng.range(8, 10) as usize,
                (_, OrgPlant::TooFew | OrgPlant::TooFewByTransfer) => 3,
                (OrgRole::Standalone, _) => {
                    let band = self.rng.below(100);
                    (match band {
                        0..=39 => self.rng.range(3, 8),
                        40..=69 => self.rng.range(9, 20),
                        70..=89 => self.rng.range(21, 35),
                        _ => self.rng.range(36, 48),
                    }) as usize
                }
                (OrgRole::Joint, OrgPlant::QualifiesStandalone) => {
                    3 + self.rng.range(2, 2 * (n_units as i64 - 1)) as usize
                }
                (OrgRole::Joint, _) => self.rng.range(3, 2 * n_units as i64) as usize,
                (OrgRole::Regional, _) => self.rng.range(6, 20) as usize,
                (OrgRole::Industry, _) => self.rng.range(8, 24) as usize,
                (OrgRole::Temporary, _) => self.rng.range(5, 12) as usize,
                (OrgRole::Dissolved, _) => self.rng.range(3, 8) as usize,
            };
            self.orgs[o].size = size;
        }
        // Hosts of the members of units without an org.
        let hosts: Vec<usize> = (0..self.orgs.len())
            .filter(|&o| self.orgs[o].role == OrgRole::Regional)
            .collect();
        let no_org: Vec<usize> = (0..self.units.len())
            .filter(|&u| self.units[u].role == UnitRole::NoOrg)
            .collect();
        for u in no_org {
            if hosts.is_empty() {
                self.units[u].role = UnitRole::Blank;
                continue;
            }
            let h = *self.rng.pick(&hosts);
            self.orgs[h].hosted.push(u);
        }
        // Hit the member target exactly by resizing ordinary standalone branches.
        let hosted_members = |g: &Gen| g.orgs.iter().map(|o| o.hosted.len() * 2).sum::<usize>();
        let mut total: usize =
            self.orgs.iter().map(|o| o.size).sum::<usize>() + hosted_members(self);
        let adjustable: Vec<usize> = (0..self.orgs.len())
            .filter(|&o| {
                self.orgs[o].role == OrgRole::Standalone && self.orgs[o].plant == OrgPlant::None
            })
            .collect();
        if adjustable.is_empty() {
            return;
        }
        let mut guard = 0;
        while total != self.cfg.members && guard < 1_000_000 {
            guard += 1;
            let o = *self.rng.pick(&adjustable);
            if total < self.cfg.members && self.orgs[o].size < 48 {
                self.orgs[o].size += 1;
                total += 1;
            } else if total > self.cfg.members && self.orgs[o].size > 3 {
                self.orgs[o].size -= 1;
                total -= 1;
            }
        }
    }

    /// Decides committee, groups and core size of every branch.
    fn plan_committees(&mut self) {
        for o in 0..self.orgs.len() {
            if !self.orgs[o].is_branch() {
                continue;
            }
            let size = self.orgs[o].size + 2 * self.orgs[o].hosted.len();
            let plant = self.orgs[o].plant;
            let has = match plant {
                OrgPlant::NeedsCommittee | OrgPlant::TooFew | OrgPlant::TooFewByTransfer => false,
                _ => size >= 7 || (size >= 5 && self.rng.chance(300)),
            };
            let comm = if !has {
                0
            } else if size >= 20 {
                5
            } else {
                3
            };
            let groups = if size >= 12 && plant != OrgPlant::NeedsCommittee {
                (size / 7).clamp(2, 5) as u8
            } else {
                0
            };
            let g = &mut self.orgs[o];
            g.rec.has_committee = has;
            g.rec.group_count = i64::from(groups);
            g.committee_size = comm;
            g.groups = groups;
        }
    }

    pub(super) fn build_members(&mut self) {
        self.plan_sizes();
        self.plan_committees();
        for o in 0..self.orgs.len() {
            if !self.orgs[o].is_branch() {
                continue;
            }
            self.branch_members(o);
        }
        // Secretaries of the committees and general branches: the township's
        // head for the top one, a sub-branch secretary for an enterprise's
        // general branch, an official for the others.
        for o in 0..self.orgs.len() {
            if !self.orgs[o].rec.secretary.is_empty() {
                continue;
            }
            let name = match self.orgs[o].role {
                OrgRole::Top => self.head.clone(),
                OrgRole::EnterpriseGeneral => self
                    .orgs
                    .iter()
                    .find(|c| c.parent == Some(o) && !c.rec.secretary.is_empty())
                    .map(|c| c.rec.secretary.clone())
                    .unwrap_or_default(),
                _ => {
                    let female = self.rng.chance(300);
                    self.unique_person(female)
                }
            };
            self.orgs[o].rec.secretary = name;
        }
        // Pocket members who reported this month.
        let candidates: Vec<usize> = (0..self.members.len())
            .filter(|&m| {
                let g = &self.members[m];
                !g.committee
                    && g.rec.left.is_none()
                    && g.rec.joined.is_some_and(|j| j < self.window_start())
                    && self.orgs[g.org].role != OrgRole::Dissolved
            })
            .collect();
        for _ in 0..=self.cfg.k {
            if candidates.is_empty() {
                break;
            }
            let m = *self.rng.pick(&candidates);
            let d = self.rng.date(self.cur.first_day(), self.today);
            let rec = &mut self.members[m].rec;
            rec.reported = Some(d);
            rec.note = "口袋党员，本月主动亮明身份报到".to_string();
        }
    }

    /// Creates the members of one branch.
    fn branch_members(&mut self, o: usize) {
        let size = self.orgs[o].size;
        let comm = self.orgs[o].committee_size;
        let groups = usize::from(self.orgs[o].groups);
        let core = comm.max(3) + groups;
        let role = self.orgs[o].role;
        let plant = self.orgs[o].plant;
        let units: Vec<usize> = self.orgs[o].units.iter().map(|(u, _, _)| *u).collect();

        // The unit of each member slot.
        let mut slots: Vec<Option<usize>> = Vec::with_capacity(size);
        match role {
            OrgRole::Joint => {
                let (first, others): (Option<usize>, &[usize]) =
                    if plant == OrgPlant::QualifiesStandalone {
                        (units.first().copied(), units.get(1..).unwrap_or(&[]))
                    } else {
                        (None, &units[..])
                    };
                if let Some(q) = first {
                    slots.extend([Some(q); 3]);
                }
                let mut per = vec![0usize; others.len()];
                let mut i = 0;
                while slots.len() < size && !others.is_empty() {
                    let j = i % others.len();
                    if per[j] < 2 {
                        per[j] += 1;
                        slots.push(Some(others[j]));
                    } else if per.iter().all(|&c| c >= 2) {
                        break;
                    }
                    i += 1;
                }
                while slots.len() < size {
                    slots.push(None);
                }
            }
            OrgRole::Regional | OrgRole::Industry | OrgRole::Temporary => {
                let mut per: Vec<(usize, usize)> = units
                    .iter()
                    .map(|&u| (u, self.rng.range(0, 2) as usize))
                    .collect();
                // Core members first: give the first units their members.
                for (u, n) in per.iter_mut() {
                    for _ in 0..*n {
                        if slots.len() < size {
                            slots.push(Some(*u));
                        }
                    }
                    *n = 0;
                }
                self.rng.shuffle(&mut slots);
                while slots.len() < size {
                    slots.push(None);
                }
            }
            _ => {
                let u = units.first().copied();
                slots.extend(std::iter::repeat_n(u, size));
            }
        }
        for (i, unit) in slots.into_iter().enumerate() {
            let kind = if plant == OrgPlant::TooFew && i == 2 {
                let a = self.cur.add_months(-10).first_day();
                let b = self.cur.add_months(-3).last_day();
                MemberKind::Fresh(a, b)
            } else if i < core || matches!(plant, OrgPlant::NeedsCommittee | OrgPlant::TooLarge) {
                MemberKind::Core
            } else if role == OrgRole::Dissolved {
                MemberKind::Stable
            } else {
                MemberKind::Normal
            };
            let m = self.new_member(o, unit, kind);
            let idx_in_org = self.orgs[o].members.len();
            self.orgs[o].members.push(m);
            let mg = &mut self.members[m];
            if groups > 0 {
                mg.group = (idx_in_org % groups) as u8;
            }
            if comm > 0 && idx_in_org < comm {
                mg.committee = true;
                mg.rec.party_post = Some(match (comm, idx_in_org) {
                    (_, 0) => PartyPost::Secretary,
                    (5, 1) => PartyPost::DeputySecretary,
                    (5, 2) | (3, 1) => PartyPost::Organisation,
                    (5, 3) | (3, 2) => PartyPost::Publicity,
                    (5, 4) => PartyPost::Discipline,
                    _ => PartyPost::CommitteeMember,
                });
            } else if idx_in_org == 0 {
                mg.rec.party_post = Some(PartyPost::Secretary);
            } else if groups > 0 && idx_in_org >= comm && idx_in_org < comm + groups {
                mg.rec.party_post = Some(PartyPost::GroupLeader);
            }
        }
        // Members of units without an org, kept in this (regional) branch.
        let hosted = self.orgs[o].hosted.clone();
        for u in hosted {
            for _ in 0..2 {
                let m = self.new_member(o, Some(u), MemberKind::Stable);
                let idx = self.orgs[o].members.len();
                self.orgs[o].members.push(m);
                if groups > 0 {
                    self.members[m].group = (idx % groups) as u8;
                }
                self.members[m].rec.note =
                    "组织关系在所在社区区域党支部，所在单位尚未建立党组织".to_string();
            }
        }
        if let Some(&sec) = self.orgs[o].members.first() {
            self.orgs[o].rec.secretary = self.members[sec].rec.name.clone();
        }

        // Dissolution: everybody transferred out on that day.
        if let Some(d) = self.orgs[o].rec.dissolved {
            for &m in &self.orgs[o].members {
                let rec = &mut self.members[m].rec;
                if rec.left.is_none_or(|l| l > d) {
                    rec.status = MemberStatus::TransferredOut;
                    rec.left = Some(d);
                    if rec.reported.is_some_and(|r| r >= d) {
                        rec.reported = None;
                        rec.note.clear();
                    }
                }
            }
        }
        // A branch that fell under three formal members last month.
        if plant == OrgPlant::TooFewByTransfer
            && let Some(&m) = self.orgs[o].members.get(2)
        {
            let prev = self.cur.prev();
            let d = self
                .rng
                .date(prev.first_day(), prev.last_day().min(self.today));
            let rec = &mut self.members[m].rec;
            rec.status = MemberStatus::TransferredOut;
            rec.left = Some(d);
            rec.note = "随工作调动转出组织关系".to_string();
        }
    }

    fn new_member(&mut self, o: usize, unit: Option<usize>, kind: MemberKind) -> usize {
        let ws = self.window_start();
        let flavor = unit.map(|u| self.units[u].flavor);
        let ne = match flavor.and_then(Flavor::new_employment) {
            Some(n) => Some(n),
            None if unit.is_none() => match self.orgs[o].ne_kind {
                Some(n) => Some(n),
                None if self.orgs[o].role == OrgRole::Regional && self.rng.chance(150) => {
                    Some(*self.rng.pick(&[
                        NewEmployment::Delivery,
                        NewEmployment::RideHailing,
                        NewEmployment::Trucker,
                        NewEmployment::Other,
                    ]))
                }
                None => None,
            },
            None => None,
        };
        let female_permille = match (flavor, ne) {
            (
                _,
                Some(NewEmployment::Courier | NewEmployment::Delivery | NewEmployment::Trucker),
            ) => 80,
            (Some(Flavor::ServiceCentre | Flavor::School | Flavor::Association), _) => 600,
            _ => 350,
        };
        let female = self.rng.chance(female_permille);
        let name = self.unique_person(female);

        // Joined (入党) and birth dates.
        let fresh = match kind {
            MemberKind::Fresh(a, b) => Some((a, b)),
            MemberKind::Normal if self.rng.chance(140) => {
                Some((add_days(ws, 20), add_days(self.today, -10)))
            }
            _ => None,
        };
        let (joined, birth) = match fresh {
            Some((a, b)) => {
                let joined = self.rng.date(a, b);
                let age = self.rng.range(20, 34) as i32;
                let latest_birth = add_years(joined, -18).min(ymd(2003, 12, 31));
                let birth = self
                    .rng
                    .date(add_years(joined, -age - 1), add_years(joined, -age))
                    .min(latest_birth);
                (joined, birth)
            }
            None => {
                let latest_join = add_days(ws, -400);
                let by = self.rng.range(
                    if ne.is_some() { 1972 } else { 1955 },
                    i64::from(latest_join.year() - 20).min(2000),
                ) as i32;
                let birth = self.rng.date(ymd(by, 1, 1), ymd(by, 12, 31));
                let age = self.rng.range(20, 38) as i32;
                let earliest = add_years(birth, 18).max(ymd(1975, 1, 1));
                let j = self
                    .rng
                    .date(add_years(birth, age), add_years(birth, age + 1));
                let j = if j > latest_join || j < earliest {
                    self.rng.date(earliest, latest_join.max(earliest))
                } else {
                    j
                };
                (j, birth)
            }
        };
        let mut rec = Member::new(&name, 0, MemberCategory::Formal);
        rec.gender = Some(if female { Gender::Female } else { Gender::Male });
        rec.birth = Some(birth);
        rec.id_number = self.id_number(birth, female);
        if !self.rng.chance(30) {
            rec.phone = self.mobile();
        }
        rec.unit_id = None;
        rec.joined = Some(joined);
        let confirmed = add_years(joined, 1);
        if confirmed <= self.today {
            rec.confirmed = Some(confirmed);
        } else {
            rec.category = MemberCategory::Probationary;
        }
        rec.new_employment = ne;

        let normal = kind == MemberKind::Normal;
        // Transfers out and deaths during the span.
        if normal && fresh.is_none() {
            if self.rng.chance(55) {
                let d = self.rng.date(add_days(ws, 30), add_days(self.today, -5));
                rec.status = MemberStatus::TransferredOut;
                rec.left = Some(d);
                rec.note = "组织关系转出".to_string();
            } else if birth.year() < 1962 && self.rng.chance(40) {
                let d = self.rng.date(add_days(ws, 30), add_days(self.today, -20));
                rec.status = MemberStatus::Deceased;
                rec.left = Some(d);
            }
        }
        let floating =
            normal && rec.left.is_none() && self.rng.chance(if ne.is_some() { 150 } else { 45 });
        rec.floating = floating;
        if floating && rec.note.is_empty() {
            rec.note = "流动党员，长期在外务工".to_string();
        }
        // Pocket members who reported to the org (亮身份).
        let pocket_permille = if ne.is_some() || self.orgs[o].role == OrgRole::Industry {
            300
        } else {
            70
        };
        if rec.left.is_none() && self.rng.chance(pocket_permille) {
            let from = joined.max(ws);
            let d = self.rng.date(from, add_days(self.today, -1));
            rec.reported = Some(d);
            if rec.note.is_empty() {
                rec.note = "口袋党员，亮身份报到".to_string();
            }
        }

        // Dues profile.
        let age_now = self.today.year() - birth.year();
        let retired_age = if female { 55 } else { 60 };
        let person = if unit.is_none() && self.orgs[o].role == OrgRole::Regional && ne.is_none() {
            let r = self.rng.below(100);
            match r {
                0..=34 => PersonType::Farmer,
                35..=39 => PersonType::Unemployed,
                40..=42 if age_now <= 24 => PersonType::Student,
                _ if age_now >= retired_age => PersonType::Retired,
                _ => PersonType::Employed,
            }
        } else if age_now >= retired_age && self.rng.chance(750) {
            PersonType::Retired
        } else {
            PersonType::Employed
        };
        let yuan = match person {
            PersonType::Employed => {
                let band = self.rng.below(100);
                let manager = kind == MemberKind::Core && self.rng.chance(400);
                match band {
                    _ if manager => self.rng.range(6000, 22000),
                    0..=24 => self.rng.range(1900, 3000),
                    25..=69 => self.rng.range(3000, 5000),
                    70..=91 => self.rng.range(5000, 10000),
                    _ => self.rng.range(10000, 20000),
                }
            }
            PersonType::Retired => self.rng.range(1800, 5500),
            _ => 0,
        };
        let base = yuan / 10 * 1000;
        let manual_due = if self.rng.chance(6) {
            Some(if self.rng.chance(400) { 0 } else { 100 })
        } else {
            None
        };
        let reliability = match kind {
            MemberKind::Core => self.rng.range(960, 995),
            _ if floating => self.rng.range(760, 880),
            _ => self.rng.range(900, 980),
        } as u16;
        self.members.push(MemberGen {
            rec,
            org: o,
            group: 0,
            committee: false,
            reliability,
            quiet_from: None,
            person,
            base,
            late_payer: floating,
            quarterly: person == PersonType::Retired && self.rng.chance(500),
            manual_due,
        });
        let m = self.members.len() - 1;
        self.members[m].rec.unit_id = unit.map(|u| u as i64); // index now, id at insert
        m
    }
}
