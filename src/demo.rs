// TEMPORARY placeholder so the crate compiles while helper-2 writes the real generator; helper-2 overwrites this file.
use crate::error::Result;
use crate::store::Store;
pub enum Scale {
    Small,
    Large,
}
#[derive(Debug, Default)]
pub struct DemoSummary {
    pub units: usize,
    pub orgs: usize,
    pub members: usize,
    pub instructors: usize,
    pub meetings: usize,
    pub attendance_rows: usize,
    pub fund_entries: usize,
    pub dues_rows: usize,
}
pub fn fill(
    _s: &mut Store,
    _scale: Scale,
    _seed: u64,
    _p: &mut dyn FnMut(&str),
    _today: chrono::NaiveDate,
) -> Result<DemoSummary> {
    Ok(DemoSummary::default())
}
