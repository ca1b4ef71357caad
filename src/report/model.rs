//! The monthly report as data: exactly the JSON shape of FORMATS.md
//! ("Monthly report as JSON"). Field order here is the key order written.
//!
//! Counts are integers, money integer fen, rates `Option<f64>` in 0..1
//! (`None` → `null` when the denominator is 0). Lists are sorted by
//! `compute` so that two runs give the same bytes.
//!
//! A few figures the printed form shows but the JSON does not carry
//! (standalone units per kind, each org's formation and size, year-to-date
//! funds) live in [`PrintExtras`], which is never serialised: a report read
//! back from the archive simply prints without them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::dates::Month;
use crate::domain::money::Fen;
/// The warning codes are domain's; re-exported where the report's data is.
pub use crate::domain::warnings::{WarningCode, WarningRecord, warning_heading, warning_rank};

/// A JSON object whose keys keep the order given (Chinese labels in the
/// order of FORMATS.md, not sorted by bytes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelMap<V>(pub Vec<(String, V)>);

impl<V: Copy + Default> LabelMap<V> {
    pub fn get(&self, key: &str) -> V {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    }
}

impl<V: Serialize> Serialize for LabelMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for LabelMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V2<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for V2<V> {
            type Value = LabelMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, V>()? {
                    out.push((k, v));
                }
                Ok(LabelMap(out))
            }
        }
        d.deserialize_map(V2(PhantomData))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthlyReport {
    pub month: Month,
    pub township: String,
    /// RFC 3339.
    pub generated_at: String,
    pub coverage: CoverageFigures,
    pub party_orgs: OrgFigures,
    pub members: MemberFigures,
    pub meetings: MeetingFigures,
    pub instructors: InstructorFigures,
    pub funds: FundFigures,
    pub dues: DuesFigures,
    pub warnings: Vec<Warning>,
    /// Print-only figures; not part of the JSON.
    #[serde(skip)]
    pub extras: Option<PrintExtras>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageFigures {
    pub units_total: i64,
    pub units_org_covered: i64,
    pub units_work_covered: i64,
    pub units_uncovered: i64,
    pub units_standalone: i64,
    pub units_with_members_no_org: i64,
    pub units_facts_complete: i64,
    pub org_coverage_rate: Option<f64>,
    pub standalone_rate: Option<f64>,
    pub work_coverage_rate: Option<f64>,
    pub by_kind: Vec<KindCoverage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindCoverage {
    pub kind: String,
    pub total: i64,
    pub org_covered: i64,
    pub work_covered: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgFigures {
    pub total: i64,
    pub by_formation: LabelMap<i64>,
    pub established_in_month: i64,
    pub dissolved_in_month: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberFigures {
    pub total: i64,
    pub formal: i64,
    pub probationary: i64,
    pub new_employment: i64,
    pub joined_in_month: i64,
    pub pocket_reported_in_month: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingFigures {
    pub orgs_required: i64,
    pub orgs_compliant: i64,
    pub compliance_rate: Option<f64>,
    pub attendance_rate: Option<f64>,
    pub held_by_kind: LabelMap<i64>,
    pub orgs: Vec<OrgMeetings>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgMeetings {
    pub org: String,
    /// Kinds checked this month, in the order of `MeetingKind::ALL`.
    pub required: Vec<String>,
    /// For each required kind: meetings held in the period it is checked
    /// over (the month, the quarter/lesson period, or the year).
    pub held: LabelMap<i64>,
    pub missing: Vec<String>,
    pub attendance_rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstructorFigures {
    pub active: i64,
    pub assigned_units: i64,
    pub visited_units: i64,
    pub visits_in_month: i64,
    pub visit_coverage_rate: Option<f64>,
    pub without_visit: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundFigures {
    pub opening_fen: Fen,
    pub income_fen: Fen,
    pub expense_fen: Fen,
    pub closing_fen: Fen,
    pub income_by_category: LabelMap<Fen>,
    pub expense_by_category: LabelMap<Fen>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuesFigures {
    pub members_due: i64,
    pub members_paid: i64,
    pub due_fen: Fen,
    pub paid_fen: Fen,
    pub unpaid: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: WarningCode,
    pub subject: String,
    pub message: String,
}

/// Figures the printed form shows beyond the JSON.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PrintExtras {
    /// Standalone-covered counted units per unit kind (same order as
    /// `coverage.by_kind`).
    pub standalone_by_kind: Vec<i64>,
    /// Per row of `meetings.orgs`: the org's 组建方式 and its members
    /// active at month end.
    pub org_rows: Vec<(String, i64)>,
    /// Funds from 1 January of the report's year to month end.
    pub year_opening_fen: Fen,
    pub year_income_by_category: LabelMap<Fen>,
    pub year_expense_by_category: LabelMap<Fen>,
}
