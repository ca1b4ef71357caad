//! The screens. Register screens (单位, 党组织, 党员, 指导员 and their
//! sub-lists) share one generic list + form (`register.rs`); each record
//! kind says in its own file what its columns, fields and quick actions are.

pub mod form_keys;
pub mod funds;
pub mod instructors;
pub mod meetings;
pub mod members;
pub mod month;
pub mod orgs;
pub mod overview;
pub mod recycle;
pub mod register;
pub mod reports;
pub mod settings;
pub mod unit_link;
pub mod units;

use chrono::NaiveDate;

use crate::domain::records::Settings;
use crate::domain::search::matches_filter;
use crate::tui::theme::Theme;
use crate::tui::widgets::fields::RefKind;

/// Every screen the tab bar can show. Numbered screens come first, in the
/// order of UX.md; 三会一课, 经费 and 报表 join here with their digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScreenId {
    Overview,
    Units,
    Orgs,
    Members,
    Instructors,
    Meetings,
    Funds,
    Reports,
    Recycle,
    Settings,
}

impl ScreenId {
    /// The screens on the tab bar, with their digit.
    pub const TABS: &'static [(char, ScreenId)] = &[
        ('1', ScreenId::Overview),
        ('2', ScreenId::Units),
        ('3', ScreenId::Orgs),
        ('4', ScreenId::Members),
        ('5', ScreenId::Instructors),
        ('6', ScreenId::Meetings),
        ('7', ScreenId::Funds),
        ('8', ScreenId::Reports),
    ];

    pub fn label(self) -> &'static str {
        match self {
            ScreenId::Overview => "概览",
            ScreenId::Units => "单位",
            ScreenId::Orgs => "党组织",
            ScreenId::Members => "党员",
            ScreenId::Instructors => "指导员",
            ScreenId::Meetings => "三会一课",
            ScreenId::Funds => "经费",
            ScreenId::Reports => "报表",
            ScreenId::Recycle => "回收站",
            ScreenId::Settings => "设置",
        }
    }

    pub fn from_digit(c: char) -> Option<ScreenId> {
        Self::TABS.iter().find(|(d, _)| *d == c).map(|(_, s)| *s)
    }
}

/// Names of the records reference fields point at, loaded by the app.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    pub orgs: Vec<(i64, String)>,
    pub units: Vec<(i64, String)>,
    pub instructors: Vec<(i64, String)>,
}

impl Lookups {
    pub fn list(&self, k: RefKind) -> &[(i64, String)] {
        match k {
            RefKind::Org => &self.orgs,
            RefKind::Unit => &self.units,
            RefKind::Instructor => &self.instructors,
        }
    }

    pub fn name(&self, k: RefKind, id: i64) -> String {
        self.list(k)
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| {
                if id > 0 {
                    format!("#{id}")
                } else {
                    String::new()
                }
            })
    }

    pub fn opt_name(&self, k: RefKind, id: Option<i64>) -> String {
        id.map(|i| self.name(k, i)).unwrap_or_default()
    }

    /// The id of the record typed in a reference field: the exact name, or
    /// the only one the text matches (pinyin too).
    pub fn resolve(&self, k: RefKind, text: &str) -> Result<i64, String> {
        let t = text.trim();
        let list = self.list(k);
        if let Some((id, _)) = list.iter().find(|(_, n)| n == t) {
            return Ok(*id);
        }
        let hits: Vec<&(i64, String)> = list.iter().filter(|(_, n)| matches_filter(t, n)).collect();
        match hits.as_slice() {
            [one] => Ok(one.0),
            [] => Err(format!("没有名为“{t}”的{}，请按 F7 选择", k.what())),
            many => Err(format!(
                "“{t}”对应 {} 个{}，请按 F7 选择",
                many.len(),
                k.what()
            )),
        }
    }
}

/// This month's figures as far as the facts beside a record know them:
/// the rule warnings there come from them only.
#[derive(Debug, Clone, Copy)]
pub enum ThisMonth<'a> {
    Ready(&'a crate::report::MonthlyReport),
    /// Being computed (the warnings follow).
    Computing,
    /// They could not be computed (the status line said why): no warnings
    /// can be shown, and the facts say so instead of "computing" forever.
    Failed,
}

impl<'a> ThisMonth<'a> {
    pub fn report(self) -> Option<&'a crate::report::MonthlyReport> {
        match self {
            ThisMonth::Ready(r) => Some(r),
            _ => None,
        }
    }

    /// The line shown where the warnings would be, while there are none.
    pub fn waiting(self) -> Option<&'static str> {
        match self {
            ThisMonth::Ready(_) => None,
            ThisMonth::Computing => Some(T_FACTS_COMPUTING),
            ThisMonth::Failed => Some(T_FACTS_FAILED),
        }
    }
}

const T_FACTS_COMPUTING: &str = "本月提示：正在计算……";
const T_FACTS_FAILED: &str = "本月提示：本月数字未能计算（原因见状态栏），规则提示暂不显示";

/// What every screen may read while handling a key or drawing.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub today: NaiveDate,
    pub lookups: &'a Lookups,
    pub settings: &'a Settings,
    pub theme: Theme,
    /// Why the ledger cannot be written, if it cannot.
    pub read_only: Option<&'static str>,
}
