//! Names of records: the (id, name) lists of the pick lists and the title
//! of one record by id.

use super::record::Record;
use super::{Store, get_in};
use crate::error::Result;

impl Store {
    /// Live (id, name) pairs of units, orgs or instructors, by name.
    pub fn names<R: Record>(&self) -> Result<Vec<(i64, String)>> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT id, name FROM {} WHERE voided_at IS NULL ORDER BY name",
            R::TABLE
        ))?;
        let out = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(out)
    }

    /// The title of a record by id ("" when there is none).
    pub fn id_name<R: Record>(&self, id: i64) -> Result<String> {
        Ok(get_in::<R>(&self.conn, id)?
            .map(|r| r.title())
            .unwrap_or_default())
    }
}
