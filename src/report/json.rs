//! The report as JSON, exactly the shape of FORMATS.md (pretty-printed,
//! keys in the documented order).

use super::model::MonthlyReport;
use crate::error::Result;

pub fn render(report: &MonthlyReport) -> Result<String> {
    let mut s = serde_json::to_string_pretty(report)?;
    s.push('\n');
    Ok(s)
}
