//! Township settings, kept as key/value rows.

use rusqlite::params;

use super::{ChangeKind, Store};
use crate::domain::records::Settings;
use crate::error::{Error, Result};

impl Store {
    /// The settings, with the defaults of DOMAIN.md for anything not set.
    pub fn settings(&self) -> Result<Settings> {
        let mut s = Settings::default();
        let mut st = self
            .conn
            .prepare_cached("SELECT key, value FROM settings")?;
        let rows: Vec<(String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (k, v) in rows {
            let int = |d: i64| v.parse::<i64>().unwrap_or(d);
            match k.as_str() {
                "township" => s.township = v.clone(),
                "preparer" => s.preparer = v.clone(),
                "reviewer" => s.reviewer = v.clone(),
                "head" => s.head = v.clone(),
                "joint_branch_limit" => s.joint_branch_limit = int(5),
                "lesson_every_months" => s.lesson_every_months = int(3),
                "visits_per_month" => s.visits_per_month = int(1),
                "farmer_dues_fen" => s.farmer_dues_fen = int(20),
                "unicode_borders" => s.unicode_borders = v == "1",
                _ => {}
            }
        }
        Ok(s)
    }

    /// Saves the settings in one audited change.
    pub fn save_settings(&mut self, s: &Settings) -> Result<()> {
        validate_settings(s)?;
        let before = self.settings()?;
        let ch = self.change(ChangeKind::Edit, "修改设置")?;
        {
            let conn = ch.conn();
            let mut st = conn.prepare_cached(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?;
            let pairs: [(&str, String); 9] = [
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
            ];
            for (k, v) in pairs {
                st.execute(params![k, v])?;
            }
        }
        ch.audit_raw(
            "update",
            "settings",
            0,
            Some(&serde_json::to_string(&before)?),
            Some(&serde_json::to_string(s)?),
        )?;
        ch.commit()
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
            "农民党员党费应在 0.20 元到 1.00 元之间",
        ));
    }
    Ok(())
}
