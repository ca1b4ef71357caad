//! What 彻底删除 (purge) erases besides the record: the personal data of a
//! member or an instructor in the audit log and in the record's draft, as
//! the Personal Information Protection Law (PIPL, 个人信息保护法 art. 47)
//! expects of a deletion.
//!
//! Which fields (`Record::PERSONAL`): PIPL art. 4 counts as personal
//! information everything that identifies a natural person. The audit log
//! has to keep the fact of each change (action, time, table, record id)
//! and who it was about (the name: meetings, dues and issued reports name
//! the person too), so the name and the party facts stay. What is erased
//! is what singles the person out beyond the ledger's own purpose: the
//! 身份证号, the 手机 and the 出生日期 of a member (the birth date is also
//! digits 7–14 of the ID number, so keeping it would keep part of it), and
//! the 手机 of an instructor. 备注 and the other fields stay as written.
//!
//! How undo and redo behave: every audit row of the record is scrubbed the
//! same way (text fields become "", dates null), so the chain of before
//! and after states still matches itself. Undoing the purge brings the
//! record back into the recycle bin without those fields, undoing earlier
//! edits works as before on the scrubbed states, and redo purges again.
//! An undo that deletes a record (of an insert or an import) is not a
//! deletion the clerk asked for and erases nothing: redo must be able to
//! bring the record back whole.
//!
//! The file: while a purge of such a record runs, `PRAGMA secure_delete`
//! is on, so SQLite overwrites the cells it frees (the record, its index
//! entries, the old audit rows) with zeros. Stale copies SQLite left in
//! unused page space when it moved cells earlier can remain until that
//! space is reused; only a VACUUM would rewrite every page, far too slow on
//! a 200 MB ledger for one purge. Backups taken before the purge are not
//! touched (the purge dialog says so).

use rusqlite::params;
use serde_json::Value;

use super::Change;
use super::record::{Erased, Record};
use crate::error::Result;

/// `secure_delete` as it was before a purge turned it on.
#[must_use]
pub(crate) struct SecureDelete(Option<i64>);

impl Change<'_> {
    /// Turns on `secure_delete` before a record with personal data is
    /// deleted; [`Change::erase_personal`] turns it back.
    pub(crate) fn secure_delete_for<R: Record>(&self) -> Result<SecureDelete> {
        if R::PERSONAL.is_empty() {
            return Ok(SecureDelete(None));
        }
        let old: i64 = self
            .conn()
            .pragma_query_value(None, "secure_delete", |r| r.get(0))?;
        self.conn().pragma_update(None, "secure_delete", 1)?;
        Ok(SecureDelete(Some(old)))
    }

    /// Erases `R::PERSONAL` from every audit row of record `id` (its
    /// purge row included) and deletes its draft.
    pub(crate) fn erase_personal<R: Record>(&self, id: i64, secure: SecureDelete) -> Result<()> {
        if !R::PERSONAL.is_empty() {
            let conn = self.conn();
            let rows: Vec<(i64, Option<String>, Option<String>)> = {
                let mut st = conn.prepare_cached(
                    "SELECT id, before, after FROM audit WHERE table_name = ?1 AND record_id = ?2",
                )?;
                st.query_map(params![R::TABLE, id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?
            };
            let mut update =
                conn.prepare_cached("UPDATE audit SET before = ?2, after = ?3 WHERE id = ?1")?;
            for (audit_id, before, after) in rows {
                let b = before.as_deref().and_then(|j| scrub(j, R::PERSONAL));
                let a = after.as_deref().and_then(|j| scrub(j, R::PERSONAL));
                if b != before || a != after {
                    update.execute(params![audit_id, b, a])?;
                }
            }
            conn.execute(
                "DELETE FROM drafts WHERE key = ?1",
                [format!("{}:{id}", R::TABLE)],
            )?;
        }
        if let SecureDelete(Some(old)) = secure {
            self.conn().pragma_update(None, "secure_delete", old)?;
        }
        Ok(())
    }
}

/// The JSON with `fields` erased (text to "", optional values to null).
/// JSON that does not parse cannot be scrubbed and is dropped (None);
/// every row this program writes parses.
fn scrub(json: &str, fields: &[(&str, Erased)]) -> Option<String> {
    let mut v: Value = serde_json::from_str(json).ok()?;
    if let Value::Object(map) = &mut v {
        for (f, erased) in fields {
            if let Some(x) = map.get_mut(*f) {
                *x = match erased {
                    Erased::Empty => Value::String(String::new()),
                    Erased::Null => Value::Null,
                };
            }
        }
    }
    serde_json::to_string(&v).ok()
}

/// The labels of a table's personal fields, for the purge dialog.
pub fn personal_labels(table: &str) -> Vec<&'static str> {
    use crate::domain::records::{Instructor, Member};
    let fields = match table {
        "members" => Member::PERSONAL,
        "instructors" => Instructor::PERSONAL,
        _ => &[],
    };
    fields
        .iter()
        .map(|(f, _)| match *f {
            "id_number" => "身份证号",
            "phone" => "手机号",
            "birth" => "出生日期",
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::Member;

    #[test]
    fn scrub_empties_text_and_nulls_dates() {
        let j = r#"{"id":3,"name":"张三","birth":"1985-03-12","id_number":"110101198503120017","phone":"13900139000"}"#;
        let out: Value = serde_json::from_str(&scrub(j, Member::PERSONAL).unwrap()).unwrap();
        let want: Value = serde_json::from_str(
            r#"{"id":3,"name":"张三","birth":null,"id_number":"","phone":""}"#,
        )
        .unwrap();
        assert_eq!(out, want);
        assert_eq!(scrub("not json", Member::PERSONAL), None);
        assert_eq!(scrub("null", Member::PERSONAL).unwrap(), "null");
    }

    #[test]
    fn every_record_with_personal_data_has_labels() {
        assert_eq!(
            personal_labels("members"),
            ["身份证号", "手机号", "出生日期"]
        );
        assert_eq!(personal_labels("instructors"), ["手机号"]);
        assert!(personal_labels("units").is_empty());
    }
}
