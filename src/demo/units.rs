//! Units: their names (by flavour, village and industry chain), their
//! records, and the mix of flavours.

use super::words::{
    BRANDS, BUILDERS, CHAMBER_ORIGINS, COMMUNITY_TRADES, COMPANY_SUFFIXES, COURIER_BRANDS,
    COURIER_SITES, DELIVERY_BRANDS, DELIVERY_SITES, FREIGHT_BRANDS, INDUSTRIES, INDUSTRY_TRADES,
    NEEDS, PROJECTS, RIDE_BRANDS, SCHOOLS, SERVICE_CENTRES, SOCIAL_NOTES, UNIT_NOTES,
};
use super::{Flavor, Gen, UnitGen, UnitRole};
use crate::domain::enums::UnitKind;
use crate::domain::records::Unit;

impl Gen {
    fn brand(&mut self) -> &'static str {
        self.rng.word(BRANDS)
    }

    fn prefix(&mut self) -> String {
        let i = self.rng.below(self.name_prefixes.len());
        self.name_prefixes[i].clone()
    }

    /// The area an association or chamber is registered in.
    fn area_prefix(&mut self) -> String {
        let options: [&str; 3] = if self.cfg.large {
            ["上饶经开区", "上饶市", "上饶"]
        } else {
            [&self.county, &self.town, &self.county]
        };
        options[self.rng.below(3)].to_string()
    }

    pub(super) fn village_short(&self, v: usize) -> &str {
        self.villages[v]
            .trim_end_matches("社区")
            .trim_end_matches('村')
    }

    /// Name, 行业 and chain of a new unit; unique among units.
    fn unit_name(&mut self, flavor: Flavor, village: usize) -> (String, &'static str, u8) {
        for attempt in 0..400 {
            let (name, industry, chain) = self.unit_name_once(flavor, village, attempt);
            if self.unit_names.insert(name.clone()) {
                return (name, industry, chain);
            }
        }
        // Fall back to a numbered name (never reached with these lists).
        let (base, industry, chain) = self.unit_name_once(flavor, village, 0);
        let mut n = 2;
        loop {
            let name = format!("{base}（{n}）");
            if self.unit_names.insert(name.clone()) {
                return (name, industry, chain);
            }
            n += 1;
        }
    }

    fn unit_name_once(
        &mut self,
        flavor: Flavor,
        village: usize,
        attempt: usize,
    ) -> (String, &'static str, u8) {
        // After many collisions, use another village to make a site name unique.
        let v = if attempt > 20 {
            self.rng.below(self.villages.len())
        } else {
            village
        };
        let vshort = self.village_short(v).to_string();
        let area = if self.cfg.large {
            format!("上饶经开区{vshort}")
        } else {
            format!(
                "{}{vshort}",
                self.town.trim_end_matches("街道").trim_end_matches('镇')
            )
        };
        match flavor {
            Flavor::Enterprise | Flavor::Mixed => {
                let (ind, cat, chain) = *self.rng.pick(INDUSTRIES);
                let p = self.prefix();
                let b = self.brand();
                let suffix = if flavor == Flavor::Mixed {
                    "股份有限公司"
                } else {
                    self.rng.pick(COMPANY_SUFFIXES)
                };
                (format!("{p}{b}{ind}{suffix}"), cat, chain)
            }
            Flavor::BigEnterprise => {
                let (ind, cat, chain) = *self.rng.pick(&INDUSTRIES[..12]);
                let b = self.brand();
                let p = if self.rng.chance(500) {
                    "江西"
                } else {
                    "上饶"
                };
                let s = if self.rng.chance(500) {
                    "股份有限公司"
                } else {
                    "集团有限公司"
                };
                (format!("{p}{b}{ind}{s}"), cat, chain)
            }
            Flavor::Association => {
                if self.rng.chance(400) {
                    let t = self.rng.word(COMMUNITY_TRADES);
                    (format!("{}{t}协会", self.villages[v]), "社会组织", 0)
                } else {
                    let p = self.area_prefix();
                    let t = self.rng.word(INDUSTRY_TRADES);
                    (format!("{p}{t}协会"), "社会组织", 0)
                }
            }
            Flavor::Chamber => {
                let p = self.area_prefix();
                let o = self.rng.word(CHAMBER_ORIGINS);
                (format!("{p}{o}商会"), "社会组织", 0)
            }
            Flavor::ServiceCentre => {
                let s = self.rng.pick(SERVICE_CENTRES);
                if self.rng.chance(500) {
                    (
                        format!("{}{s}", self.villages[v]),
                        "居民服务、修理和其他服务业",
                        0,
                    )
                } else {
                    let p = self.prefix();
                    let b = self.brand();
                    (format!("{p}{b}{s}"), "居民服务、修理和其他服务业", 0)
                }
            }
            Flavor::School => {
                let s = self.rng.pick(SCHOOLS);
                let b = self.brand();
                let p = self.prefix();
                (format!("{p}{b}{s}"), "教育", 0)
            }
            Flavor::LawFirm => {
                let b = self.brand();
                if self.rng.chance(500) {
                    (format!("江西{b}律师事务所"), "租赁和商务服务业", 0)
                } else {
                    (format!("{b}（上饶）律师事务所"), "租赁和商务服务业", 0)
                }
            }
            Flavor::Courier => {
                let b = self.rng.pick(COURIER_BRANDS);
                let s = self.rng.pick(COURIER_SITES);
                (format!("{b}{area}{s}"), "交通运输、仓储和邮政业", 0)
            }
            Flavor::Delivery => {
                let b = self.rng.pick(DELIVERY_BRANDS);
                let s = self.rng.pick(DELIVERY_SITES);
                (format!("{b}{area}{s}"), "交通运输、仓储和邮政业", 0)
            }
            Flavor::RideHailing => {
                let b = self.rng.pick(RIDE_BRANDS);
                if self.rng.chance(400) {
                    (format!("{b}{area}司机之家"), "交通运输、仓储和邮政业", 0)
                } else {
                    let p = self.prefix();
                    let br = self.brand();
                    (
                        format!("{p}{br}网约车服务有限公司"),
                        "交通运输、仓储和邮政业",
                        0,
                    )
                }
            }
            Flavor::Freight => {
                if self.rng.chance(500) {
                    let b = self.rng.pick(FREIGHT_BRANDS);
                    (format!("{b}{area}服务站"), "交通运输、仓储和邮政业", 0)
                } else {
                    let p = self.prefix();
                    let b = self.brand();
                    (
                        format!("{p}{b}货运物流有限公司"),
                        "交通运输、仓储和邮政业",
                        0,
                    )
                }
            }
            Flavor::Streaming => {
                let p = self.prefix();
                let b = self.brand();
                let s = if self.rng.chance(500) {
                    "直播电商有限公司"
                } else {
                    "网络文化传媒有限公司"
                };
                (format!("{p}{b}{s}"), "信息传输、软件和信息技术服务业", 1)
            }
            Flavor::Project => {
                let b = self.brand();
                let bu = self.rng.pick(BUILDERS);
                let pr = self.rng.pick(PROJECTS);
                let prefix = if self.rng.chance(500) {
                    "江西"
                } else {
                    "浙江"
                };
                let t = if self.cfg.large {
                    "上饶经开区"
                } else {
                    self.town.as_str()
                };
                (format!("{prefix}{b}{bu}{t}{pr}项目部"), "建筑业", 0)
            }
        }
    }

    pub(super) fn make_unit(&mut self, flavor: Flavor, village: usize, role: UnitRole) -> usize {
        let (name, industry, chain) = self.unit_name(flavor, village);
        let kind = flavor.kind();
        let mut u = Unit::new(&name, kind);
        u.industry = industry.to_string();
        u.village = self.villages[village].clone();
        let road = self.rng.below(self.roads.len());
        let no = self.rng.range(1, 388);
        u.address = if self.cfg.large {
            format!("{}{no}号", self.roads[road])
        } else {
            format!("{}{}{no}号", self.town, self.roads[road])
        };
        let dept = match flavor {
            Flavor::Association | Flavor::Chamber => "51",
            Flavor::ServiceCentre | Flavor::School => "52",
            Flavor::LawFirm => "31",
            _ => "91",
        };
        if !(flavor.kind() == UnitKind::NewEconomy && self.rng.chance(80)) {
            u.credit_code = self.credit_code(dept);
        }
        let employees = match flavor {
            Flavor::BigEnterprise => self.rng.range(800, 3000),
            Flavor::Enterprise | Flavor::Mixed => {
                let band = self.rng.below(10);
                match band {
                    0..=4 => self.rng.range(8, 50),
                    5..=7 => self.rng.range(50, 200),
                    _ => self.rng.range(200, 800),
                }
            }
            Flavor::Project => self.rng.range(60, 400),
            Flavor::Courier | Flavor::Delivery => self.rng.range(8, 80),
            Flavor::RideHailing | Flavor::Freight | Flavor::Streaming => self.rng.range(5, 60),
            _ => self.rng.range(3, 40),
        };
        u.employees = Some(employees);
        u.investor = match flavor {
            Flavor::Association => format!("{}家会员单位共同发起", self.rng.range(12, 120)),
            Flavor::Chamber => format!("{}家会员企业共同发起", self.rng.range(30, 200)),
            Flavor::Mixed => {
                let p = self.person_name(false);
                format!("上饶投资控股集团有限公司、{p}")
            }
            Flavor::BigEnterprise => {
                let b = self.brand();
                let origin = self.rng.pick(&["浙江", "福建", "广东", "江西"]);
                format!("{origin}{b}控股集团有限公司")
            }
            Flavor::Courier | Flavor::Delivery | Flavor::Freight => {
                let p = self.person_name_p(200);
                format!("加盟商{p}")
            }
            _ => {
                let a = self.person_name_p(250);
                if self.rng.chance(300) {
                    let b = self.person_name_p(400);
                    format!("{a}、{b}")
                } else {
                    a
                }
            }
        };
        u.contact = self.person_name_p(450);
        u.phone = self.mobile();
        let big = employees >= 50;
        u.has_union = Some(if big {
            self.rng.chance(850)
        } else {
            self.rng.chance(300)
        });
        u.has_league = Some(if big {
            self.rng.chance(550)
        } else {
            self.rng.chance(150)
        });
        u.has_women = Some(if big {
            self.rng.chance(600)
        } else {
            self.rng.chance(200)
        });
        if self.rng.chance(40) {
            u.has_women = None;
        }
        let n_needs = self.rng.range(1, 3) as usize;
        let mut needs: Vec<&str> = Vec::with_capacity(3);
        for _ in 0..n_needs {
            let n = *self.rng.pick(NEEDS);
            if !needs.contains(&n) {
                needs.push(n);
            }
        }
        u.needs = needs.join("、");
        if self.rng.chance(150) {
            u.note = match kind {
                UnitKind::Social => self.rng.word(SOCIAL_NOTES),
                _ => self.rng.word(UNIT_NOTES),
            }
            .to_string();
        }
        self.units.push(UnitGen {
            rec: u,
            flavor,
            village,
            chain,
            role,
        });
        self.units.len() - 1
    }

    /// Any kind of unit, weighted roughly as in a county's register.
    pub(super) fn random_flavor(&mut self) -> Flavor {
        match self.rng.below(100) {
            0..=61 => Flavor::Enterprise,
            62..=66 => Flavor::Mixed,
            67..=71 => Flavor::Association,
            72..=74 => Flavor::Chamber,
            75..=80 => Flavor::ServiceCentre,
            81..=84 => Flavor::School,
            85..=86 => Flavor::LawFirm,
            87..=89 => Flavor::Courier,
            90..=93 => Flavor::Delivery,
            94..=95 => Flavor::Freight,
            96..=97 => Flavor::Streaming,
            _ => Flavor::RideHailing,
        }
    }
}
