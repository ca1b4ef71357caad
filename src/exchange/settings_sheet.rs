//! The 设置 sheet of FORMATS.md: one row per setting (项目, 值), written by
//! the export and the template, read back by the import.
//!
//! What moves with a ledger: the names on the report (乡镇名称, 制表人, 审核人,
//! 负责人) and the [L] rules of DOMAIN.md, by the names the settings screen
//! shows. The border style is left out: it belongs to the PC's console, not
//! to the ledger.
//!
//! Reading: an empty 值 leaves that setting as it is (the template lists
//! every 项目 with an empty 值); a value is checked like the settings screen
//! does (the store's `validate_settings`, names at most 100 characters on
//! one line). A value equal to the current one is no change; a setting not
//! yet set (no value saved, or an empty name) is taken without asking; a
//! setting already set that the file would change is a conflict, decided by
//! [`SettingsChoice`]. An unknown 项目 is reported and ignored, like an
//! unknown column.

use super::cells::Out;
use super::errors::ErrorList;
use super::read::{Cell, Sheet, fold_cell};
use super::spec::{Kind::Choice, Kind::Text, SheetSpec, SheetSummary, c};
use crate::domain::money::{Fen, from_excel_number, parse_yuan};
use crate::domain::records::Settings;
use crate::error::Result;
use crate::store::{Change, Store, validate_settings};

/// 设置: the township's settings, one row per setting (the rows are
/// `ITEMS`). Not one of `SHEETS`: it holds no records and
/// is read before them.
pub const SETTINGS: SheetSpec = SheetSpec {
    name: "设置",
    about: "乡镇名称、报表签名和本地规则，每行一项；值空着表示不改这项设置。台账中已有的不同设置，导入时须确认（命令行加 --settings）才会替换",
    cols: &[
        c(
            "项目",
            true,
            Choice(setting_names),
            "设置的名称，每项一行，见下面各行",
            "乡镇名称",
        ),
        c("值", false, Text, "空着表示不改这项设置", "城关镇"),
    ],
};

fn setting_names() -> Vec<&'static str> {
    ITEMS.iter().map(|i| i.name).collect()
}

/// What an import does with settings already set that the file changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SettingsChoice {
    /// They are an error of the 设置 sheet that says how to choose (the
    /// CLI without `--settings`): nothing is written.
    #[default]
    Refuse,
    /// The file's values replace them (`--settings`, the TUI's 替换).
    Replace,
    /// They stay; the records and the settings not yet set are imported
    /// (the TUI's 保留现有设置).
    Keep,
}

#[derive(Clone, Copy)]
enum Kind {
    /// A name on the report: text on one line.
    Name,
    /// A whole number.
    Count,
    /// Yuan, stored as fen.
    Yuan,
}

/// One row of the sheet.
pub struct Item {
    /// 项目: as on the settings screen.
    pub name: &'static str,
    /// The settings key (store).
    key: &'static str,
    kind: Kind,
    /// For the 说明 sheet.
    pub help: &'static str,
    pub example: &'static str,
}

const fn item(
    name: &'static str,
    key: &'static str,
    kind: Kind,
    help: &'static str,
    example: &'static str,
) -> Item {
    Item {
        name,
        key,
        kind,
        help,
        example,
    }
}

/// Every row of the sheet, in order.
pub const ITEMS: [Item; 8] = [
    item(
        "乡镇名称",
        "township",
        Kind::Name,
        "报表标题和“编制单位”",
        "城关镇",
    ),
    item("制表人", "preparer", Kind::Name, "报表末尾的签名", "林小梅"),
    item("审核人", "reviewer", Kind::Name, "报表末尾的签名", "陈主任"),
    item("负责人", "head", Kind::Name, "报表末尾的签名", "周书记"),
    item(
        "联合支部最多单位数",
        "joint_branch_limit",
        Kind::Count,
        "1 到 20 的整数，默认 5",
        "5",
    ),
    item(
        "党课至少每几个月",
        "lesson_every_months",
        Kind::Count,
        "1、3、6 或 12，默认 3（每季度）",
        "3",
    ),
    item(
        "指导员每月走访次数",
        "visits_per_month",
        Kind::Count,
        "1 到 10 的整数，默认 1",
        "1",
    ),
    item(
        "农民党费（元/月）",
        "farmer_dues_fen",
        Kind::Yuan,
        "0.20 到 1.00 元，默认 0.20",
        "0.20",
    ),
];

/// Names on the report: at most this many characters (FORMATS.md).
const MAX_NAME: usize = 100;

/// A setting's value: text, or a number (fen for yuan).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Val {
    Text(String),
    Int(i64),
}

impl Item {
    /// The format of the 值, for the 说明 sheet.
    pub fn format(&self) -> &'static str {
        match self.kind {
            Kind::Name => "文字，一行",
            Kind::Count => "整数",
            Kind::Yuan => "金额（元），最多两位小数",
        }
    }

    fn get(&self, s: &Settings) -> Val {
        match self.key {
            "township" => Val::Text(s.township.clone()),
            "preparer" => Val::Text(s.preparer.clone()),
            "reviewer" => Val::Text(s.reviewer.clone()),
            "head" => Val::Text(s.head.clone()),
            "joint_branch_limit" => Val::Int(s.joint_branch_limit),
            "lesson_every_months" => Val::Int(s.lesson_every_months),
            "visits_per_month" => Val::Int(s.visits_per_month),
            _ => Val::Int(s.farmer_dues_fen),
        }
    }

    fn put(&self, s: &mut Settings, v: Val) {
        match (self.key, v) {
            ("township", Val::Text(t)) => s.township = t,
            ("preparer", Val::Text(t)) => s.preparer = t,
            ("reviewer", Val::Text(t)) => s.reviewer = t,
            ("head", Val::Text(t)) => s.head = t,
            ("joint_branch_limit", Val::Int(n)) => s.joint_branch_limit = n,
            ("lesson_every_months", Val::Int(n)) => s.lesson_every_months = n,
            ("visits_per_month", Val::Int(n)) => s.visits_per_month = n,
            ("farmer_dues_fen", Val::Int(n)) => s.farmer_dues_fen = n,
            _ => {}
        }
    }

    /// The value as the clerk reads it (yuan with two decimals).
    fn shown(&self, v: &Val) -> String {
        match (self.kind, v) {
            (_, Val::Text(t)) => t.clone(),
            (Kind::Yuan, Val::Int(n)) => Fen(*n).to_string(),
            (_, Val::Int(n)) => n.to_string(),
        }
    }

    /// The cell written by the export.
    fn out(&self, s: &Settings) -> Out {
        match (self.kind, self.get(s)) {
            (_, Val::Text(t)) if t.is_empty() => Out::Empty,
            (_, Val::Text(t)) => Out::Text(t),
            (Kind::Yuan, Val::Int(n)) => Out::Money(Fen(n)),
            (_, Val::Int(n)) => Out::Int(n),
        }
    }

    /// Reads and checks a non-empty value cell.
    fn read(&self, cell: &Cell) -> std::result::Result<Val, String> {
        if let Cell::Bad(what) = cell {
            return Err(format!("单元格是错误值“{what}”，请填写{}", self.help));
        }
        let v = match self.kind {
            Kind::Name => {
                let t = cell.text();
                let n = t.chars().count();
                if n > MAX_NAME {
                    return Err(format!("最多 {MAX_NAME} 个字，现有 {n} 个"));
                }
                if t.chars().any(char::is_control) {
                    return Err("只能写一行，不能有换行等控制字符".to_string());
                }
                return Ok(Val::Text(t));
            }
            Kind::Count => match cell {
                Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e9 => *x as i64,
                _ => cell
                    .text()
                    .parse::<i64>()
                    .map_err(|_| format!("应为整数（{}）", self.help))?,
            },
            Kind::Yuan => match cell {
                Cell::Number(x) => from_excel_number(*x)?.0,
                _ => parse_yuan(&cell.text())?.0,
            },
        };
        // The store's ranges, each rule on its own: the defaults of the
        // other settings are valid.
        let mut probe = Settings::default();
        self.put(&mut probe, Val::Int(v));
        validate_settings(&probe).map_err(|e| e.message)?;
        Ok(Val::Int(v))
    }
}

/// Whether a sheet (or a CSV file) of this name is the 设置 sheet.
pub fn is_settings_sheet(name: &str) -> bool {
    name == SETTINGS.name
}

/// The rows of the sheet in an export: every item with its value.
pub fn export_rows(s: &Settings) -> Vec<Vec<Out>> {
    ITEMS
        .iter()
        .map(|i| vec![Out::Text(i.name.to_string()), i.out(s)])
        .collect()
}

/// The rows of the sheet in the template: every item, no value.
pub fn template_rows() -> Vec<Vec<Out>> {
    ITEMS
        .iter()
        .map(|i| vec![Out::Text(i.name.to_string()), Out::Empty])
        .collect()
}

/// What an import does with the 设置 sheet, decided before any record is
/// written so that an error in it stops the whole import.
#[derive(Debug, Clone, Default)]
pub struct SettingsPlan {
    /// The settings after the import.
    target: Settings,
    /// The keys the import sets.
    keys: Vec<&'static str>,
    summary: Option<SheetSummary>,
    conflicts: Vec<String>,
    /// Some value was given.
    given: bool,
}

impl SettingsPlan {
    /// Reads the sheet (None: the file has none), adding its problems to
    /// `errors` and `notes` as `设置!row column: reason`.
    pub fn read(
        sheet: Option<&Sheet>,
        store: &Store,
        choice: SettingsChoice,
        errors: &mut ErrorList,
        notes: &mut Vec<String>,
    ) -> Result<SettingsPlan> {
        let Some(sheet) = sheet else {
            return Ok(SettingsPlan::default());
        };
        let (current, set) = store.settings_and_set_keys()?;
        let mut plan = SettingsPlan {
            target: current.clone(),
            ..Default::default()
        };
        let mut summary = SheetSummary {
            sheet: SETTINGS.name,
            ..Default::default()
        };
        for (row, item, val) in given_values(sheet, errors, notes) {
            plan.given = true;
            let old = item.get(&current);
            if old == val {
                summary.unchanged += 1;
                continue;
            }
            if set.contains(&item.key) {
                let (was, new) = (item.shown(&old), item.shown(&val));
                plan.conflicts
                    .push(format!("{}：现为“{was}”，文件中为“{new}”", item.name));
                let at = format!("{}!{row} 值", SETTINGS.name);
                match choice {
                    SettingsChoice::Replace => summary.updated += 1,
                    SettingsChoice::Keep => {
                        summary.unchanged += 1;
                        notes.push(format!(
                            "{at}: 保留现有的{}“{was}”，没有用文件中的“{new}”",
                            item.name
                        ));
                        continue;
                    }
                    SettingsChoice::Refuse => {
                        errors.push(format!(
                            "{at}: {}现为“{was}”，文件中为“{new}”；要用文件中的设置替换现有设置，请加 --settings 重新导入（要保留现有设置，请删去工作簿中的“设置”表）",
                            item.name
                        ));
                        continue;
                    }
                }
            } else {
                summary.added += 1;
            }
            item.put(&mut plan.target, val);
            plan.keys.push(item.key);
        }
        plan.summary = Some(summary);
        Ok(plan)
    }

    /// The 农民 dues the import's computed 应交 use, when it changes them.
    pub fn farmer_fen(&self) -> Option<i64> {
        self.keys
            .contains(&"farmer_dues_fen")
            .then_some(self.target.farmer_dues_fen)
    }

    /// The sheet's line in the import summary (None: no sheet).
    pub fn summary(&self) -> Option<SheetSummary> {
        self.summary.clone()
    }

    /// Whether the sheet gave any value (a sheet of names only is empty).
    pub fn has_data(&self) -> bool {
        self.given
    }

    /// Settings already set that the file would change, as
    /// `乡镇名称：现为“…”，文件中为“…”` (whatever the choice).
    pub fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// Writes the settings in the import's change (audited, undone with
    /// it). Returns whether anything changed.
    pub fn apply(&self, ch: &Change<'_>) -> Result<bool> {
        if self.keys.is_empty() {
            return Ok(false);
        }
        ch.set_settings(&self.target, Some(&self.keys))
    }
}

/// The checked values of the sheet with their row numbers.
fn given_values(
    sheet: &Sheet,
    errors: &mut ErrorList,
    notes: &mut Vec<String>,
) -> Vec<(usize, &'static Item, Val)> {
    let name = SETTINGS.name;
    let [item_col, value_col] = [&SETTINGS.cols[0], &SETTINGS.cols[1]];
    sheet.broken_rows_into(name, errors);
    let Some((hrow, header)) = sheet.rows.first() else {
        return Vec::new();
    };
    let mut pos = [None, None];
    for (i, cell) in header.iter().enumerate() {
        let h = cell.text();
        let h = h.trim_end_matches(['*', '＊']).trim();
        match [item_col.name, value_col.name].iter().position(|c| *c == h) {
            Some(k) if pos[k].is_none() => pos[k] = Some(i),
            Some(_) => {
                errors.push(format!("{name}!{hrow} {h}: 这一列出现了两次，请删去一列"));
                return Vec::new();
            }
            None if h.is_empty() => {}
            None => notes.push(format!("{name}!{hrow} {h}: 不认识的列，已忽略")),
        }
    }
    let Some(item_at) = pos[0] else {
        errors.push(format!(
            "{name}!{hrow} {0}: 缺少必填列“{0}”，整张表无法导入；表头应为：{0}、{1}",
            item_col.name, value_col.name
        ));
        return Vec::new();
    };
    let names = || ITEMS.iter().map(|i| i.name).collect::<Vec<_>>().join("、");
    let mut seen: Vec<(&str, usize)> = Vec::new();
    let mut out = Vec::new();
    for (row, cells) in sheet.rows.iter().skip(1) {
        if sheet.is_broken(*row) {
            continue;
        }
        let at = |k: Option<usize>| k.and_then(|k| cells.get(k)).unwrap_or(&Cell::Empty);
        let label = fold_cell(&at(Some(item_at)).text());
        let value = at(pos[1]);
        if label.is_empty() {
            if !value.is_empty() {
                errors.push(format!(
                    "{name}!{row} {}: 必填：请写设置的名称（{}）",
                    item_col.name,
                    names()
                ));
            }
            continue;
        }
        let Some(item) = ITEMS.iter().find(|i| i.name == label) else {
            notes.push(format!(
                "{name}!{row} {}: 不认识的设置“{}”，已忽略；可用的项目：{}",
                item_col.name,
                label.chars().take(40).collect::<String>(),
                names()
            ));
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == item.name) {
            errors.push(format!(
                "{name}!{row} {}: “{}”出现了两次（第 {first} 行已有），请删去一行",
                item_col.name, item.name
            ));
            continue;
        }
        seen.push((item.name, *row));
        if value.is_empty() {
            continue;
        }
        match item.read(value) {
            Ok(v) => out.push((*row, item, v)),
            Err(why) => errors.push(format!(
                "{name}!{row} {}: {}：{why}",
                value_col.name, item.name
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_reads_back_what_the_export_writes() {
        let s = Settings {
            township: "城关镇".into(),
            preparer: "林小梅".into(),
            reviewer: String::new(),
            head: "周书记".into(),
            joint_branch_limit: 7,
            lesson_every_months: 6,
            visits_per_month: 3,
            farmer_dues_fen: 45,
            unicode_borders: true,
        };
        let mut back = Settings::default();
        for (item, row) in ITEMS.iter().zip(export_rows(&s)) {
            let cell = match &row[1] {
                Out::Empty | Out::Date(_) => continue,
                Out::Text(t) => Cell::Text(t.clone()),
                Out::Int(n) => Cell::Number(*n as f64),
                Out::Money(f) => Cell::Number(f.0 as f64 / 100.0),
            };
            let v = item.read(&cell).unwrap();
            item.put(&mut back, v);
        }
        back.unicode_borders = true;
        assert_eq!(back, s);
    }

    #[test]
    fn values_checked_like_the_settings_screen() {
        let lesson = &ITEMS[5];
        assert!(lesson.read(&Cell::Text("2".into())).is_err());
        assert!(lesson.read(&Cell::Number(12.0)).is_ok());
        assert!(lesson.read(&Cell::Number(1.5)).is_err());
        let farmer = &ITEMS[7];
        assert_eq!(farmer.read(&Cell::Text("¥0.35".into())), Ok(Val::Int(35)));
        assert!(farmer.read(&Cell::Number(0.1)).is_err());
        let town = &ITEMS[0];
        assert!(town.read(&Cell::Text("城关\n镇".into())).is_err());
    }
}
