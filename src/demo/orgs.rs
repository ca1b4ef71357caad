//! Party organisations: the committees, general branches and branches of
//! every formation (单独组建, 联合, 区域, 行业, 临时), the units they
//! cover, the uncovered units, and the planned sizes.

use chrono::{Datelike, NaiveDate};

use super::rng::{add_days, cn_ordinal, ymd};
use super::words::{COMPANY_PLACES, NO_ORG_REASONS};
use super::{Flavor, Gen, OrgGen, OrgPlant, OrgRole, Parents, UnitRole};
use crate::domain::enums::{Formation, NewEmployment, OrgType, UnitKind, UnitStatus};
use crate::domain::records::PartyOrg;

impl Gen {
    fn unique_org_name(&mut self, make: &dyn Fn(usize) -> String) -> String {
        let mut n = 0;
        loop {
            let name = make(n);
            if self.org_names.insert(name.clone()) {
                return name;
            }
            n += 1;
        }
    }

    fn add_org(
        &mut self,
        name: String,
        org_type: OrgType,
        formation: Formation,
        established: NaiveDate,
        role: OrgRole,
        parent: Option<usize>,
    ) -> usize {
        let rec = PartyOrg::new(&name, org_type, formation, established);
        let theme_day = *self.rng.pick(&[1u32, 5, 8, 10, 10, 15, 15, 18, 20, 25]);
        let lesson_offset = self.rng.range(0, 2) as i32;
        let lesson_with_theme = self.rng.chance(350);
        let yearly_in_november = self.rng.chance(200);
        self.orgs.push(OrgGen {
            rec,
            role,
            plant: OrgPlant::None,
            parent,
            units: Vec::new(),
            hosted: Vec::new(),
            members: Vec::new(),
            size: 0,
            committee_size: 0,
            groups: 0,
            ne_kind: None,
            home_place: String::new(),
            theme_day,
            lesson_offset,
            lesson_with_theme,
            yearly_in_november,
            skips: Vec::new(),
            no_quorum: Vec::new(),
            overspend: None,
            frozen: false,
            balance: 0,
            voucher_year: 0,
            voucher_seq: 0,
            enterprise_money: false,
        });
        self.orgs.len() - 1
    }

    /// Founding date of a branch: years before the span, or (when `recent`)
    /// inside it.
    fn founding(&mut self, earliest_year: i32, recent: bool) -> NaiveDate {
        let ws = self.window_start();
        if recent {
            let a = add_days(ws, 35);
            let b = add_days(self.today, -50);
            return self.rng.date(a, b);
        }
        let a = ymd(earliest_year.min(ws.year() - 2), 1, 1);
        self.rng.date(a, add_days(ws, -120))
    }

    fn cover(&mut self, o: usize, u: usize) {
        let from = self.orgs[o].rec.established;
        let to = self.orgs[o].rec.dissolved;
        self.orgs[o].units.push((u, from, to));
        self.units[u].role = UnitRole::Covered;
    }

    /// Builds units, party orgs and coverage.
    pub(super) fn build_structure(&mut self) {
        self.build_committees();
        for _ in 0..self.cfg.enterprise_general {
            self.build_enterprise_general();
        }
        let mut industry_no = 0usize;
        for (role, plant) in self.branch_specs() {
            match role {
                OrgRole::Standalone | OrgRole::Dissolved => self.build_standalone(role, plant),
                OrgRole::Joint => self.build_joint(plant),
                OrgRole::Regional => self.build_regional(),
                OrgRole::Industry => {
                    self.build_industry(industry_no);
                    industry_no += 1;
                }
                OrgRole::Temporary => self.build_temporary(),
                _ => {}
            }
        }
        self.build_uncovered_units();
    }

    /// The township-level committee and, in the zone, the chain and sector
    /// committees and area general branches below it.
    fn build_committees(&mut self) {
        let top_name = if self.cfg.large {
            format!("{}非公有制企业和社会组织综合党委", self.town)
        } else {
            format!("{}两新组织综合党委", self.town)
        };
        self.org_names.insert(top_name.clone());
        let top_est = ymd(2012, 6, self.rng.range(1, 28) as u32);
        let top = self.add_org(
            top_name,
            OrgType::Committee,
            Formation::Regional,
            top_est,
            OrgRole::Top,
            None,
        );
        self.parents = Parents {
            top,
            chain: [top; 4],
            express: top,
            social: top,
            areas: Vec::new(),
        };
        if !self.cfg.large {
            return;
        }
        const MIDS: [&str; 5] = [
            "电子信息产业链党委",
            "光伏新能源产业链党委",
            "汽车及零部件产业链党委",
            "快递物流行业党委",
            "社会组织综合党委",
        ];
        for (i, n) in MIDS.iter().enumerate() {
            let name = format!("{}{n}", self.town);
            self.org_names.insert(name.clone());
            let est = ymd(
                self.rng.range(2016, 2019) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            );
            let o = self.add_org(
                name,
                OrgType::Committee,
                Formation::Industry,
                est,
                OrgRole::Mid,
                Some(top),
            );
            match i {
                0..=2 => self.parents.chain[i + 1] = o,
                3 => self.parents.express = o,
                _ => self.parents.social = o,
            }
        }
        for v in 0..6 {
            let name = format!("{}片区两新组织党总支", self.village_short(v));
            self.org_names.insert(name.clone());
            let est = ymd(
                self.rng.range(2015, 2019) as i32,
                self.rng.range(1, 12) as u32,
                self.rng.range(1, 28) as u32,
            );
            let o = self.add_org(
                name,
                OrgType::GeneralBranch,
                Formation::Regional,
                est,
                OrgRole::Mid,
                Some(top),
            );
            self.parents.areas.push(o);
        }
    }

    /// The committee or general branch a unit's branch reports to.
    fn parent_of(&self, u: usize) -> usize {
        let unit = &self.units[u];
        match unit.flavor.kind() {
            UnitKind::Social => self.parents.social,
            UnitKind::NewEconomy => self.parents.express,
            _ if unit.chain > 0 => self.parents.chain[usize::from(unit.chain)],
            _ => self.area_parent(unit.village),
        }
    }

    /// The area general branch of a village (the top committee in a town).
    fn area_parent(&self, village: usize) -> usize {
        match self.parents.areas.len() {
            0 => self.parents.top,
            n => self.parents.areas[village % n],
        }
    }

    /// A big enterprise with a general branch and three sub-branches.
    fn build_enterprise_general(&mut self) {
        let v = self.rng.below(self.villages.len());
        let u = self.make_unit(Flavor::BigEnterprise, v, UnitRole::Covered);
        let uname = self.units[u].rec.name.clone();
        let est = self.founding(2008, false);
        let name = self.unique_org_name(&|n| {
            if n == 0 {
                format!("{uname}党总支")
            } else {
                format!("{uname}党总支{n}")
            }
        });
        let p = self.parent_of(u);
        let o = self.add_org(
            name,
            OrgType::GeneralBranch,
            Formation::Standalone,
            est,
            OrgRole::EnterpriseGeneral,
            Some(p),
        );
        self.cover(o, u);
        self.orgs[o].enterprise_money = true;
        let mut depts = vec![
            "生产一部",
            "生产二部",
            "研发中心",
            "质量管理部",
            "行政后勤",
            "销售中心",
            "设备动力部",
        ];
        self.rng.shuffle(&mut depts);
        for d in depts.iter().take(3) {
            let name = format!("{uname}{d}党支部");
            self.org_names.insert(name.clone());
            let sest = add_days(est, self.rng.range(0, 60));
            let s = self.add_org(
                name,
                OrgType::Branch,
                Formation::Standalone,
                sest,
                OrgRole::EnterpriseSub,
                Some(o),
            );
            self.orgs[s].home_place = format!("{d}党员活动室");
            self.orgs[s].size = self.rng.range(18, 42) as usize;
            self.orgs[s].enterprise_money = true;
        }
    }

    /// Every branch to build with its planted rule warning, shuffled so the
    /// plants are spread through the lists.
    fn branch_specs(&mut self) -> Vec<(OrgRole, OrgPlant)> {
        let k = self.cfg.k;
        let mut specs: Vec<(OrgRole, OrgPlant)> = Vec::new();
        let too_large = k.div_ceil(2);
        let too_few = k;
        let needs_committee = k;
        for i in 0..self.cfg.standalone {
            let plant = if i < too_large {
                OrgPlant::TooLarge
            } else if i < too_large + needs_committee {
                OrgPlant::NeedsCommittee
            } else if i < too_large + needs_committee + too_few {
                if (i - too_large - needs_committee).is_multiple_of(2) {
                    OrgPlant::TooFew
                } else {
                    OrgPlant::TooFewByTransfer
                }
            } else {
                OrgPlant::None
            };
            specs.push((OrgRole::Standalone, plant));
        }
        let too_many = k.div_ceil(3);
        for i in 0..self.cfg.joint {
            let plant = if i < too_many {
                OrgPlant::TooManyUnits
            } else if i < too_many + k {
                OrgPlant::QualifiesStandalone
            } else {
                OrgPlant::None
            };
            specs.push((OrgRole::Joint, plant));
        }
        for (role, n) in [
            (OrgRole::Regional, self.cfg.regional),
            (OrgRole::Industry, self.cfg.industry),
            (OrgRole::Temporary, self.cfg.temporary),
            (OrgRole::Dissolved, self.cfg.dissolved),
        ] {
            specs.extend(std::iter::repeat_n((role, OrgPlant::None), n));
        }
        self.rng.shuffle(&mut specs);
        specs
    }

    /// A 单独组建 branch of one unit; `Dissolved`: its unit closed and the
    /// branch was dissolved during the span.
    fn build_standalone(&mut self, role: OrgRole, plant: OrgPlant) {
        let flavor = match plant {
            OrgPlant::TooLarge => Flavor::BigEnterprise,
            OrgPlant::None => self.random_flavor(),
            _ => Flavor::Enterprise,
        };
        let v = self.rng.below(self.villages.len());
        let u = self.make_unit(flavor, v, UnitRole::Covered);
        let uname = self.units[u].rec.name.clone();
        let earliest = match flavor.kind() {
            UnitKind::Social => 2014,
            UnitKind::NewEconomy => 2018,
            _ => 2008,
        };
        let recent = plant == OrgPlant::None && role == OrgRole::Standalone && self.rng.chance(90);
        let est = self.founding(earliest, recent);
        let name = self.unique_org_name(&|n| {
            if n == 0 {
                format!("{uname}党支部")
            } else {
                format!("{uname}第{}党支部", cn_ordinal(n))
            }
        });
        let p = self.parent_of(u);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Standalone,
            est,
            role,
            Some(p),
        );
        self.orgs[o].plant = plant;
        self.orgs[o].home_place = match flavor.kind() {
            UnitKind::Social => "单位会议室".to_string(),
            UnitKind::NewEconomy => "站点党员活动室".to_string(),
            _ => self.rng.word(COMPANY_PLACES).to_string(),
        };
        self.orgs[o].enterprise_money =
            matches!(flavor.kind(), UnitKind::NonPublic | UnitKind::Mixed);
        if role == OrgRole::Dissolved {
            let a = add_days(self.window_start(), 90);
            let b = add_days(self.today, -75);
            let d = self.rng.date(a, b);
            self.orgs[o].rec.dissolved = Some(d);
            self.orgs[o].rec.note = "所在单位注销，党组织撤销，党员组织关系转出".to_string();
            self.units[u].rec.status = UnitStatus::Closed;
            self.units[u].rec.note = format!("{}已注销", d.format("%Y年%m月"));
        }
        self.cover(o, u);
        if role == OrgRole::Dissolved {
            self.units[u].role = UnitRole::Inactive;
        }
    }

    /// A 联合组建 branch of small neighbouring enterprises or social
    /// organisations (2–5 units; 6 when planted).
    fn build_joint(&mut self, plant: OrgPlant) {
        let max = if self.cfg.large { 5 } else { 4 };
        let n = match plant {
            OrgPlant::TooManyUnits => 6,
            _ => self.rng.range(2, max) as usize,
        };
        let v = self.rng.below(self.villages.len());
        let social = self.rng.chance(200);
        let mut us = Vec::with_capacity(n);
        for _ in 0..n {
            let f = if social {
                *self.rng.pick(&[
                    Flavor::Association,
                    Flavor::ServiceCentre,
                    Flavor::School,
                    Flavor::Chamber,
                ])
            } else if self.rng.chance(120) {
                Flavor::Streaming
            } else {
                Flavor::Enterprise
            };
            us.push(self.make_unit(f, v, UnitRole::Covered));
        }
        let vs = self.village_short(v).to_string();
        let sector = if social {
            "社会组织"
        } else {
            "非公企业"
        };
        let name = self.unique_org_name(&|i| {
            if i == 0 {
                format!("{vs}{sector}联合党支部")
            } else {
                format!("{vs}{sector}第{}联合党支部", cn_ordinal(i))
            }
        });
        let recent = plant == OrgPlant::None && self.rng.chance(100);
        let est = self.founding(2012, recent);
        let p = self.parent_of(us[0]);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Joint,
            est,
            OrgRole::Joint,
            Some(p),
        );
        self.orgs[o].plant = plant;
        self.orgs[o].home_place = format!("{}党群服务中心", self.villages[v]);
        for u in us {
            self.cover(o, u);
        }
    }

    /// A 区域联建 branch of a community, industrial park or shopping area.
    fn build_regional(&mut self) {
        let v = self.rng.below(self.villages.len());
        let max = if self.cfg.large { 7 } else { 5 };
        let n = self.rng.range(3, max) as usize;
        let mut us = Vec::with_capacity(n);
        for _ in 0..n {
            let f = self.random_flavor();
            us.push(self.make_unit(f, v, UnitRole::Covered));
        }
        let vname = self.villages[v].clone();
        let vs = self.village_short(v).to_string();
        let style = self.rng.below(3);
        let name = self.unique_org_name(&|i| {
            let base = match style {
                0 => format!("{vname}两新组织区域联合党支部"),
                1 => format!("{vs}产业园区域党支部"),
                _ => format!("{vs}商圈党支部"),
            };
            if i == 0 {
                base
            } else {
                base.replacen("党支部", &format!("第{}党支部", cn_ordinal(i)), 1)
            }
        });
        let recent = self.rng.chance(100);
        let est = self.founding(2015, recent);
        let p = self.area_parent(v);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Regional,
            est,
            OrgRole::Regional,
            Some(p),
        );
        self.orgs[o].home_place = format!("{vname}党群服务中心");
        for u in us {
            self.cover(o, u);
        }
    }

    /// The `no`-th 行业统建 branch: express, delivery, ride-hailing, freight,
    /// streaming (new-employment groups), law firms, private schools.
    fn build_industry(&mut self, no: usize) {
        const KINDS: [(&str, Flavor, Option<NewEmployment>); 7] = [
            (
                "快递物流行业",
                Flavor::Courier,
                Some(NewEmployment::Courier),
            ),
            (
                "外卖配送行业",
                Flavor::Delivery,
                Some(NewEmployment::Delivery),
            ),
            (
                "网约车行业",
                Flavor::RideHailing,
                Some(NewEmployment::RideHailing),
            ),
            (
                "货运物流行业",
                Flavor::Freight,
                Some(NewEmployment::Trucker),
            ),
            (
                "网络直播行业",
                Flavor::Streaming,
                Some(NewEmployment::Streamer),
            ),
            ("律师行业", Flavor::LawFirm, None),
            ("民办教育行业", Flavor::School, None),
        ];
        let large = self.cfg.large;
        let (label, flavor, ne) = KINDS[no % KINDS.len()];
        let round = no / KINDS.len();
        let n = self.rng.range(3, if large { 6 } else { 4 }) as usize;
        let mut us = Vec::with_capacity(n);
        for _ in 0..n {
            let v = self.rng.below(self.villages.len());
            // A small town's one express branch covers delivery sites too.
            let f = if !large && flavor == Flavor::Courier && self.rng.chance(400) {
                Flavor::Delivery
            } else {
                flavor
            };
            us.push(self.make_unit(f, v, UnitRole::Covered));
        }
        let area = if round == 0 {
            self.town.clone()
        } else {
            format!("{}片区", self.village_short(round % self.villages.len()))
        };
        let name = self.unique_org_name(&|i| {
            if i == 0 {
                format!("{area}{label}党支部")
            } else {
                format!("{area}{label}第{}党支部", cn_ordinal(i))
            }
        });
        let est = self.founding(2018, false);
        let p = match flavor.kind() {
            UnitKind::Social => self.parents.social,
            _ => self.parents.express,
        };
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Industry,
            est,
            OrgRole::Industry,
            Some(p),
        );
        self.orgs[o].ne_kind = ne;
        self.orgs[o].home_place = if ne.is_some() {
            format!("{}新就业群体党群服务站", self.town)
        } else {
            "行业党建活动室".to_string()
        };
        for u in us {
            self.cover(o, u);
        }
    }

    /// A 临时组建 branch of a construction project.
    fn build_temporary(&mut self) {
        let v = self.rng.below(self.villages.len());
        let u = self.make_unit(Flavor::Project, v, UnitRole::Covered);
        let uname = self.units[u].rec.name.clone();
        let name = self.unique_org_name(&|i| {
            let base = uname
                .rsplit_once("有限公司")
                .map_or(uname.as_str(), |(_, p)| p)
                .trim_end_matches("项目部")
                .to_string();
            if i == 0 {
                format!("{base}项目临时党支部")
            } else {
                format!("{base}项目第{}临时党支部", cn_ordinal(i))
            }
        });
        let a = add_days(self.window_start(), 30);
        let b = add_days(self.today, -200);
        let est = if self.rng.chance(500) {
            self.rng.date(a, b)
        } else {
            self.founding(2019, false)
        };
        let p = self.area_parent(v);
        let o = self.add_org(
            name,
            OrgType::Branch,
            Formation::Temporary,
            est,
            OrgRole::Temporary,
            Some(p),
        );
        self.orgs[o].home_place = "项目部会议室".to_string();
        self.orgs[o].rec.note = "工程项目临时党组织，项目竣工后撤销".to_string();
        self.cover(o, u);
    }

    /// Marks a few covered units 异常 and creates the units without a
    /// party org: with members (planted), blank (planted), 异常/注销, and
    /// the rest reached by an instructor.
    fn build_uncovered_units(&mut self) {
        let k = self.cfg.k;
        let joint_units: Vec<usize> = self
            .orgs
            .iter()
            .filter(|o| o.role == OrgRole::Joint && o.plant == OrgPlant::None)
            .flat_map(|o| o.units.iter().map(|(u, _, _)| *u))
            .collect();
        for _ in 0..k.div_ceil(2) {
            if joint_units.is_empty() {
                break;
            }
            let u = *self.rng.pick(&joint_units);
            self.units[u].rec.status = UnitStatus::Abnormal;
            self.units[u].rec.note = "经营异常，已列入经营异常名录".to_string();
        }

        let rest = self.cfg.units.saturating_sub(self.units.len());
        let no_org = 2 * k + 1;
        let blank = 2 * k + 1;
        let inactive = self.cfg.inactive;
        for i in 0..rest {
            let role = if i < no_org {
                UnitRole::NoOrg
            } else if i < no_org + blank {
                UnitRole::Blank
            } else if i < no_org + blank + inactive {
                UnitRole::Inactive
            } else {
                UnitRole::WorkCovered
            };
            let v = self.rng.below(self.villages.len());
            let f = self.random_flavor();
            let u = self.make_unit(f, v, role);
            let reason = match role {
                UnitRole::NoOrg => "党员组织关系在社区党组织，正在筹建党组织".to_string(),
                UnitRole::Blank => "新设立单位，正在摸排".to_string(),
                _ => self.rng.word(NO_ORG_REASONS).to_string(),
            };
            let unit = &mut self.units[u].rec;
            unit.no_org_reason = reason;
            if role == UnitRole::Inactive {
                if i % 3 == 0 {
                    unit.status = UnitStatus::Closed;
                    unit.note = "已注销".to_string();
                } else {
                    unit.status = UnitStatus::Abnormal;
                    unit.note = "经营异常，实地核查无人办公".to_string();
                }
            }
        }
    }
}
