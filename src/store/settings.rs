//! Township settings, kept as key/value rows. A key without a row is not
//! set (its default of DOMAIN.md applies); an import's 设置 sheet takes a
//! setting not yet set without asking (`exchange::settings_sheet`).

use rusqlite::{Connection, params};
use serde_json::Value;

use super::{Change, ChangeKind, Store};
use crate::domain::records::Settings;
use crate::error::{Error, Result};

/// Every settings key with its value in `s`, as stored.
fn pairs(s: &Settings) -> [(&'static str, String); 9] {
    [
        ("township", s.township.clone()),
        ("preparer", s.preparer.clone()),
        ("reviewer", s.reviewer.clone()),
        ("head", s.head.clone()),
        ("joint_branch_limit", s.joint_branch_limit.to_string()),
        ("lesson_every_months", s.lesson_every_months.to_string()),
        ("visits_per_month", s.visits_per_month.to_string()),
        ("farmer_dues_fen", s.farmer_dues_fen.to_string()),
        (
            "unicode_borders",
            if s.unicode_borders { "1" } else { "0" }.into(),
        ),
    ]
}

/// The keys of the names on the report: empty counts as not set.
const TEXT_KEYS: [&str; 4] = ["township", "preparer", "reviewer", "head"];

/// The settings (defaults for anything not set) and the keys that are set.
fn load(conn: &Connection) -> Result<(Settings, Vec<&'static str>)> {
    let mut s = Settings::default();
    let mut set = Vec::new();
    let mut st = conn.prepare_cached("SELECT key, value FROM settings")?;
    let rows: Vec<(String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (k, v) in rows {
        let Some(key) = pairs(&s).map(|(k, _)| k).into_iter().find(|x| *x == k) else {
            continue;
        };
        let int = |d: i64| v.parse::<i64>().unwrap_or(d);
        match key {
            "township" => s.township = v.clone(),
            "preparer" => s.preparer = v.clone(),
            "reviewer" => s.reviewer = v.clone(),
            "head" => s.head = v.clone(),
            "joint_branch_limit" => s.joint_branch_limit = int(5),
            "lesson_every_months" => s.lesson_every_months = int(3),
            "visits_per_month" => s.visits_per_month = int(1),
            "farmer_dues_fen" => s.farmer_dues_fen = int(20),
            _ => s.unicode_borders = v == "1",
        }
        if !(TEXT_KEYS.contains(&key) && v.is_empty()) {
            set.push(key);
        }
    }
    Ok((s, set))
}

/// The settings as an audit row holds them: their JSON, plus under
/// `unset` the keys not set at that moment (undo and redo remove those
/// rows again, so "not yet set" comes back exactly).
fn state_json(conn: &Connection) -> Result<String> {
    let (s, set) = load(conn)?;
    let unset: Vec<&str> = pairs(&s)
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| !set.contains(k))
        .collect();
    let mut v = serde_json::to_value(&s)?;
    if let Value::Object(map) = &mut v
        && !unset.is_empty()
    {
        map.insert("unset".into(), serde_json::to_value(unset)?);
    }
    Ok(serde_json::to_string(&v)?)
}

/// Writes `keys` of `s` (all when None), then removes the rows of `unset`.
fn write(conn: &Connection, s: &Settings, keys: Option<&[&str]>, unset: &[String]) -> Result<()> {
    let mut st = conn.prepare_cached(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?;
    for (k, v) in pairs(s) {
        if keys.is_none_or(|ks| ks.contains(&k)) {
            st.execute(params![k, v])?;
        }
    }
    for k in unset {
        conn.execute("DELETE FROM settings WHERE key = ?1", [k])?;
    }
    Ok(())
}

impl Store {
    /// The settings, with the defaults of DOMAIN.md for anything not set.
    pub fn settings(&self) -> Result<Settings> {
        Ok(load(&self.conn)?.0)
    }

    /// The settings and the keys set in this ledger (a name that is empty
    /// is not set).
    pub fn settings_and_set_keys(&self) -> Result<(Settings, Vec<&'static str>)> {
        load(&self.conn)
    }

    /// Saves the settings in one audited change.
    pub fn save_settings(&mut self, s: &Settings) -> Result<()> {
        validate_settings(s)?;
        let ch = self.change(ChangeKind::Edit, "修改设置")?;
        if ch.set_settings(s, None)? {
            ch.commit()
        } else {
            // Nothing changed: no empty change to undo (dropped: rolled back).
            Ok(())
        }
    }
}

impl Change<'_> {
    /// Sets `keys` of `s` (every setting when None) in this change, with
    /// one audit row. Returns whether anything changed.
    pub fn set_settings(&self, s: &Settings, keys: Option<&[&str]>) -> Result<bool> {
        let before = state_json(self.conn())?;
        write(self.conn(), s, keys, &[])?;
        let after = state_json(self.conn())?;
        if after == before {
            return Ok(false);
        }
        self.audit_raw("update", "settings", 0, Some(&before), Some(&after))?;
        Ok(true)
    }

    /// Undoes one settings audit row: the settings as they were before
    /// it, the keys not set then removed again; audited the other way.
    pub(crate) fn reverse_settings_row(
        &self,
        before: Option<&str>,
        after: Option<&str>,
    ) -> Result<()> {
        let json = before.unwrap_or("{}");
        let old: Settings = serde_json::from_str(json)?;
        let unset: Vec<String> = match serde_json::from_str::<Value>(json)?.get("unset") {
            Some(v) => serde_json::from_value(v.clone())?,
            None => Vec::new(),
        };
        write(self.conn(), &old, None, &unset)?;
        self.audit_raw("update", "settings", 0, after, before)
    }
}

/// The ranges allowed for the [L] settings.
pub fn validate_settings(s: &Settings) -> Result<()> {
    if !(1..=20).contains(&s.joint_branch_limit) {
        return Err(Error::input(
            "bad-setting",
            "联合党支部覆盖单位上限应在 1 到 20 之间",
        ));
    }
    if ![1, 3, 6, 12].contains(&s.lesson_every_months) {
        return Err(Error::input(
            "bad-setting",
            "党课频次应为每 1、3、6 或 12 个月一次",
        ));
    }
    if !(1..=10).contains(&s.visits_per_month) {
        return Err(Error::input(
            "bad-setting",
            "指导员每月走访次数应在 1 到 10 之间",
        ));
    }
    if !(20..=100).contains(&s.farmer_dues_fen) {
        return Err(Error::input(
            "bad-setting",
            "农民党费应在 0.20 元到 1.00 元之间",
        ));
    }
    // Names of the township and of the people signing: at most 100
    // characters, as the 设置 sheet of an import allows.
    for (label, value) in [
        ("乡镇名称", &s.township),
        ("制表人", &s.preparer),
        ("审核人", &s.reviewer),
        ("负责人", &s.head),
    ] {
        crate::domain::text::check_length(value, crate::domain::text::MAX_NAME_CHARS)
            .map_err(|e| Error::input("bad-setting", format!("{label}{e}")))?;
    }
    Ok(())
}
