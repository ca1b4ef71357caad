//! Writing the FORMATS.md workbook: the empty template and the export of
//! the whole ledger, with the same header styling, drop-downs and widths.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::cells::Out;
use super::settings_sheet::{self, SETTINGS};
use super::spec::{self, Kind, SheetSpec};
use crate::domain::enums::*;
use crate::domain::money::Fen;
use crate::domain::records::*;
use crate::domain::text::width;
use crate::error::{Error, Result};
use crate::files::{self, Protected};
use crate::store::Store;

/// Rows written per sheet by an export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub sheets: Vec<(&'static str, usize)>,
}

impl ExportSummary {
    pub fn rows(&self) -> usize {
        self.sheets.iter().map(|(_, n)| n).sum()
    }
}

/// Rows with more data rows than this use constant-memory mode.
const CONSTANT_MEMORY_ROWS: usize = 5_000;
/// Rows that get the drop-downs in an empty template.
const TEMPLATE_ROWS: u32 = 5_000;
/// Widest column, in character units.
const MAX_WIDTH: usize = 60;

fn xlsx_error(path: &Path, e: XlsxError) -> Error {
    match e {
        XlsxError::IoError(io) => Error::input(
            "cannot-write",
            format!(
                "无法写入 {}：{io}（文件是否正在 Excel/WPS 中打开，或文件夹不可写？）",
                path.display()
            ),
        ),
        other => Error::fail(
            "xlsx",
            format!("生成工作簿 {} 出错：{other}", path.display()),
        ),
    }
}

struct Formats {
    header: Format,
    header_required: Format,
    date: Format,
    money: Format,
    text: Format,
    wrap: Format,
    title: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDEBF7))
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            header_required: header.clone().set_font_color(Color::RGB(0xC00000)),
            header,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            money: Format::new().set_num_format("0.00"),
            text: Format::new().set_num_format("@"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

/// The column's drop-down, if it has one.
fn validation(kind: Kind) -> Option<std::result::Result<DataValidation, XlsxError>> {
    let list: Vec<&str> = match kind {
        Kind::Choice(f) => f(),
        Kind::YesNo => vec!["是", "否"],
        _ => return None,
    };
    Some(
        DataValidation::new()
            .allow_list_strings(&list)
            .and_then(|v| v.set_error_title("输入值无效"))
            .and_then(|v| v.set_error_message(format!("请从下拉列表中选择：{}", list.join("、"))))
            .map(|v| v.set_error_style(DataValidationErrorStyle::Stop)),
    )
}

/// Header row, frozen; drop-downs; column formats; print setup.
fn prepare_sheet(
    ws: &mut Worksheet,
    spec: &SheetSpec,
    f: &Formats,
    last_row: u32,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(spec.name)?;
    for (i, col) in spec.cols.iter().enumerate() {
        let c = i as u16;
        let fmt = if col.required {
            &f.header_required
        } else {
            &f.header
        };
        ws.write_string_with_format(0, c, col.name, fmt)?;
        match col.kind {
            Kind::Code => {
                ws.set_column_format(c, &f.text)?;
            }
            Kind::Date => {
                ws.set_column_format(c, &f.date)?;
            }
            Kind::Money => {
                ws.set_column_format(c, &f.money)?;
            }
            _ => {}
        }
        if let Some(v) = validation(col.kind) {
            ws.add_data_validation(1, c, last_row.max(1), c, &v?)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.set_row_height(0, 20)?;
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Column widths from the display width of the header and the data (CJK
/// characters count two).
fn set_widths(
    ws: &mut Worksheet,
    spec: &SheetSpec,
    widths: &[usize],
) -> std::result::Result<(), XlsxError> {
    for (i, col) in spec.cols.iter().enumerate() {
        let w = widths
            .get(i)
            .copied()
            .unwrap_or(0)
            .max(width(col.name) + 2)
            .min(MAX_WIDTH);
        ws.set_column_width(i as u16, (w + 2) as f64)?;
    }
    Ok(())
}

fn write_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[Out],
    f: &Formats,
    widths: &mut [usize],
) -> std::result::Result<(), XlsxError> {
    for (i, cell) in cells.iter().enumerate() {
        let c = i as u16;
        if let Some(w) = widths.get_mut(i) {
            *w = (*w).max(cell.width());
        }
        match cell {
            Out::Empty => {}
            Out::Text(s) => {
                ws.write_string(row, c, s)?;
            }
            Out::Date(d) => {
                let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(row, c, &dt, &f.date)?;
            }
            Out::Money(m) => {
                ws.write_number_with_format(row, c, money_number(*m), &f.money)?;
            }
            Out::Int(n) => {
                ws.write_number(row, c, *n as f64)?;
            }
        }
    }
    Ok(())
}

/// Fen as the number a workbook cell holds: the one conversion to floating
/// point on the way out, exact for every amount below 2^53 fen; reading it
/// back with `from_excel_number` gives the same fen.
fn money_number(f: Fen) -> f64 {
    f.0 as f64 / 100.0
}

/// Saves a workbook the safe way (see `files`): temporary name, renamed
/// when complete; never over the ledger or its companions.
fn save_book(wb: &mut Workbook, path: &Path, protected: &Protected) -> Result<()> {
    files::write_with(path, protected, |f| {
        wb.save_to_writer(f).map_err(|e| match e {
            XlsxError::IoError(io) => io,
            other => std::io::Error::other(other.to_string()),
        })
    })?;
    Ok(())
}

/// Writes the empty import template.
pub fn write_template(path: &Path, protected: &Protected) -> Result<()> {
    files::prepare_target(path, protected)?;
    let mut wb = Workbook::new();
    let f = Formats::new();
    help_sheet(wb.add_worksheet(), &f).map_err(|e| xlsx_error(path, e))?;
    for spec in spec::SHEETS {
        let ws = wb.add_worksheet();
        prepare_sheet(ws, spec, &f, TEMPLATE_ROWS).map_err(|e| xlsx_error(path, e))?;
        let widths: Vec<usize> = spec.cols.iter().map(|c| width(c.example)).collect();
        set_widths(ws, spec, &widths).map_err(|e| xlsx_error(path, e))?;
    }
    // 设置: every 项目 listed, 值 left empty (= leave as it is).
    settings_sheet(wb.add_worksheet(), &f, settings_sheet::template_rows())
        .map_err(|e| xlsx_error(path, e))?;
    save_book(&mut wb, path, protected)
}

/// The 说明 sheet: every column of every sheet explained.
fn help_sheet(ws: &mut Worksheet, f: &Formats) -> std::result::Result<(), XlsxError> {
    ws.set_name(spec::HELP_SHEET)?;
    ws.write_string_with_format(0, 0, "党建台账导入模板说明", &f.title)?;
    let intro = [
        "1. 每张表第 1 行是表头，请勿修改表头文字；列的顺序可以调整，不需要的非必填列可以删除。",
        "2. 红色表头为必填列；带下拉箭头的列请从列表中选择。",
        "3. 日期写成 2026-10-15（也可 2026/10/15、2026.10.15、2026年10月15日），须在 1900-01-01 至 2100-12-31 之间，不要带时间；金额以元为单位，最多两位小数。",
        "4. 上限：一笔经费最多 100,000,000.00 元（1 亿元），党费的计算基数、应交、实交最多 1,000,000.00 元（100 万元）；单位、党组织的名称和姓名最多 100 个字，会议的内容摘要最多 20,000 个字，其他文字最多 2,000 个字。超过上限的单元格会报错。",
        "5. 表与表之间按名称对应：党员的“所在党组织”须与“党组织”表中的名称完全一致，依此类推。",
        "6. 已有的记录按名称（党员按身份证号或党组织内的姓名）更新，不会重复登记。",
        "7. 导入时任何一行有错，整个文件都不会导入，并列出所有出错的行，改正后重新导入即可。",
    ];
    for (i, line) in intro.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, *line)?;
    }
    let top = 2 + intro.len() as u32;
    let heads = ["表", "列", "必填", "格式", "说明", "示例"];
    for (i, h) in heads.iter().enumerate() {
        ws.write_string_with_format(top, i as u16, *h, &f.header)?;
    }
    let mut row = top + 1;
    let mut widths = heads.iter().map(|h| width(h)).collect::<Vec<_>>();
    for spec in spec::SHEETS.iter().copied().chain([&SETTINGS]) {
        for (k, col) in spec.cols.iter().enumerate() {
            let help = if k == 0 {
                if col.help.is_empty() {
                    spec.about.to_string()
                } else {
                    format!("{}。{}", col.help, spec.about)
                }
            } else {
                col.help.to_string()
            };
            let cells = [
                spec.name.to_string(),
                col.name.to_string(),
                if col.required { "是" } else { "" }.to_string(),
                spec::format_text(col.kind),
                help,
                col.example.to_string(),
            ];
            for (i, s) in cells.iter().enumerate() {
                let fmt = if i == 1 && col.required {
                    Some(&f.header_required)
                } else if i >= 3 {
                    Some(&f.wrap)
                } else {
                    None
                };
                match fmt {
                    Some(fm) => ws.write_string_with_format(row, i as u16, s, fm)?,
                    None => ws.write_string(row, i as u16, s)?,
                };
                widths[i] = widths[i].max(width(s));
            }
            row += 1;
        }
    }
    // The rows of 设置, one per 项目.
    for item in &settings_sheet::ITEMS {
        let cells = [
            SETTINGS.name,
            item.name,
            "",
            item.format(),
            item.help,
            item.example,
        ];
        for (i, s) in cells.iter().enumerate() {
            if i >= 3 {
                ws.write_string_with_format(row, i as u16, *s, &f.wrap)?;
            } else {
                ws.write_string(row, i as u16, *s)?;
            }
            widths[i] = widths[i].max(width(s));
        }
        row += 1;
    }
    for (i, w) in widths.iter().enumerate() {
        let w = if i >= 3 { (*w).min(44) } else { *w };
        ws.set_column_width(i as u16, (w + 2) as f64)?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Names of the ledger's records by id, for writing references.
struct Names {
    units: HashMap<i64, String>,
    orgs: HashMap<i64, String>,
    members: HashMap<i64, (String, String)>,
    instructors: HashMap<i64, String>,
}

/// The whole ledger (voided records left out) as rows per sheet, in
/// FORMATS.md order. Each sheet's rows are produced lazily by `visit`.
pub fn export_rows(
    store: &Store,
    mut visit: impl FnMut(&'static SheetSpec, usize, &mut dyn Iterator<Item = Vec<Out>>) -> Result<()>,
) -> Result<()> {
    let units: Vec<Unit> = store.all()?;
    let orgs: Vec<PartyOrg> = store.all()?;
    let members: Vec<Member> = store.all()?;
    let instructors: Vec<Instructor> = store.all()?;
    let names = Names {
        units: units.iter().map(|u| (u.id, u.name.clone())).collect(),
        orgs: orgs.iter().map(|o| (o.id, o.name.clone())).collect(),
        members: members
            .iter()
            .map(|m| (m.id, (m.name.clone(), m.id_number.clone())))
            .collect(),
        instructors: instructors.iter().map(|i| (i.id, i.name.clone())).collect(),
    };
    let name =
        |map: &HashMap<i64, String>, id: i64| map.get(&id).map_or(Out::Empty, |n| Out::text(n));

    visit(
        &spec::UNITS,
        units.len(),
        &mut units.iter().map(|u| {
            vec![
                Out::text(&u.name),
                Out::text(&u.credit_code),
                Out::Text(u.kind.label().into()),
                Out::text(&u.industry),
                Out::text(&u.village),
                Out::text(&u.address),
                Out::text(&u.investor),
                Out::text(&u.contact),
                Out::text(&u.phone),
                u.employees.map_or(Out::Empty, Out::Int),
                Out::Text(u.status.label().into()),
                Out::yes_no(u.has_union),
                Out::yes_no(u.has_league),
                Out::yes_no(u.has_women),
                Out::text(&u.no_org_reason),
                Out::text(&u.needs),
                Out::text(&u.note),
            ]
        }),
    )?;
    drop(units);

    let coverages: Vec<Coverage> = store.all()?;
    let mut covered: HashMap<i64, Vec<i64>> = HashMap::new();
    let dissolved: HashMap<i64, Option<NaiveDate>> =
        orgs.iter().map(|o| (o.id, o.dissolved)).collect();
    for c in &coverages {
        let d = dissolved.get(&c.org_id).copied().flatten();
        let current = c.to.is_none() || (d.is_some() && c.to >= d);
        if current && names.units.contains_key(&c.unit_id) {
            let list = covered.entry(c.org_id).or_default();
            if !list.contains(&c.unit_id) {
                list.push(c.unit_id);
            }
        }
    }
    visit(
        &spec::ORGS,
        orgs.len(),
        &mut orgs.iter().map(|o| {
            let units: Vec<&str> = covered
                .get(&o.id)
                .map(|l| {
                    l.iter()
                        .filter_map(|u| names.units.get(u).map(String::as_str))
                        .collect()
                })
                .unwrap_or_default();
            vec![
                Out::text(&o.name),
                Out::Text(o.org_type.label().into()),
                Out::Text(o.formation.label().into()),
                o.parent_id.map_or(Out::Empty, |p| name(&names.orgs, p)),
                Out::Date(o.established),
                Out::date(o.dissolved),
                Out::date(o.elected),
                Out::text(&o.secretary),
                Out::Text(yes_no(o.has_committee).into()),
                Out::Int(o.group_count),
                Out::text(&units.join("、")),
                Out::text(&o.note),
            ]
        }),
    )?;

    visit(
        &spec::MEMBERS,
        members.len(),
        &mut members.iter().map(|m| {
            vec![
                Out::text(&m.name),
                Out::label(m.gender),
                Out::date(m.birth),
                Out::text(&m.id_number),
                Out::text(&m.phone),
                name(&names.orgs, m.org_id),
                m.unit_id.map_or(Out::Empty, |u| name(&names.units, u)),
                Out::Text(m.category.label().into()),
                Out::date(m.joined),
                Out::date(m.confirmed),
                Out::Text(m.status.label().into()),
                Out::date(m.left),
                Out::Text(yes_no(m.floating).into()),
                Out::date(m.reported),
                Out::label(m.new_employment),
                Out::label(m.party_post),
                Out::text(&m.note),
            ]
        }),
    )?;
    drop(members);

    visit(
        &spec::INSTRUCTORS,
        instructors.len(),
        &mut instructors.iter().map(|i| {
            vec![
                Out::text(&i.name),
                Out::label(i.gender),
                Out::text(&i.phone),
                Out::Text(i.source.label().into()),
                Out::text(&i.workplace),
                Out::Date(i.appointed),
                Out::date(i.left),
                Out::text(&i.note),
            ]
        }),
    )?;

    let assignments: Vec<Assignment> = store.all()?;
    visit(
        &spec::ASSIGNMENTS,
        assignments.len(),
        &mut assignments.iter().map(|a| {
            vec![
                name(&names.instructors, a.instructor_id),
                name(&names.units, a.unit_id),
                Out::Date(a.start),
                Out::date(a.end),
            ]
        }),
    )?;
    drop(assignments);

    let visits: Vec<Visit> = store.all()?;
    visit(
        &spec::VISITS,
        visits.len(),
        &mut visits.iter().map(|v| {
            vec![
                name(&names.instructors, v.instructor_id),
                name(&names.units, v.unit_id),
                Out::Date(v.date),
                Out::Text(v.mode.label().into()),
                Out::text(&v.content),
                Out::text(&v.problems),
                Out::yes_no(v.resolved),
            ]
        }),
    )?;
    drop(visits);

    let meetings: Vec<Meeting> = store.all()?;
    visit(
        &spec::MEETINGS,
        meetings.len(),
        &mut meetings.iter().map(|m| {
            let list = |status: AttendStatus| -> Out {
                let items: Vec<String> = m
                    .attendance
                    .iter()
                    .filter(|a| a.status == status)
                    .filter_map(|a| {
                        let (n, _) = names.members.get(&a.member_id)?;
                        Some(if a.reason.is_empty() {
                            n.clone()
                        } else {
                            format!("{n}（{}）", a.reason)
                        })
                    })
                    .collect();
                Out::text(&items.join("、"))
            };
            let kinds: Vec<&str> = m.kinds.iter().map(|k| k.label()).collect();
            vec![
                name(&names.orgs, m.org_id),
                Out::Text(kinds.join("、")),
                Out::Date(m.date),
                Out::text(&m.place),
                Out::text(&m.host),
                Out::text(&m.recorder),
                Out::text(&m.lecturer),
                Out::text(&m.topic),
                list(AttendStatus::Present),
                list(AttendStatus::Leave),
                list(AttendStatus::Absent),
                Out::text(&m.summary),
            ]
        }),
    )?;
    drop(meetings);

    let funds: Vec<FundEntry> = store.all()?;
    visit(
        &spec::FUNDS,
        funds.len(),
        &mut funds.iter().map(|f| {
            vec![
                Out::Date(f.date),
                f.org_id.map_or(Out::Empty, |o| name(&names.orgs, o)),
                Out::Text(f.direction.label().into()),
                Out::Text(f.category.label().into()),
                Out::Money(f.amount),
                Out::text(&f.voucher),
                Out::text(&f.handler),
                Out::text(&f.summary),
            ]
        }),
    )?;
    drop(funds);

    let dues: Vec<Dues> = store.all()?;
    visit(
        &spec::DUES,
        dues.len(),
        &mut dues.iter().map(|d| {
            let (member, idno) = names
                .members
                .get(&d.member_id)
                .map_or((Out::Empty, Out::Empty), |(n, i)| {
                    (Out::text(n), Out::text(i))
                });
            vec![
                Out::Text(d.month.to_string()),
                member,
                idno,
                name(&names.orgs, d.org_id),
                d.base.map_or(Out::Empty, Out::Money),
                Out::label(d.person_type),
                Out::Money(d.due),
                Out::Money(d.paid),
                Out::date(d.paid_date),
            ]
        }),
    )?;
    Ok(())
}

/// The 设置 sheet with `rows` (项目, 值).
fn settings_sheet(
    ws: &mut Worksheet,
    f: &Formats,
    rows: Vec<Vec<Out>>,
) -> std::result::Result<(), XlsxError> {
    let spec = &SETTINGS;
    prepare_sheet(ws, spec, f, rows.len() as u32)?;
    let mut widths = vec![0usize; spec.cols.len()];
    for (n, cells) in rows.iter().enumerate() {
        write_row(ws, n as u32 + 1, cells, f, &mut widths)?;
    }
    set_widths(ws, spec, &widths)
}

/// Writes the whole ledger to `path` in the import format.
pub fn write_export(store: &Store, path: &Path) -> Result<ExportSummary> {
    let protected = store.protected();
    files::prepare_target(path, &protected)?;
    let mut wb = Workbook::new();
    let f = Formats::new();
    let mut summary = ExportSummary::default();
    export_rows(store, |spec, count, rows| {
        let ws = if count > CONSTANT_MEMORY_ROWS {
            wb.add_worksheet_with_constant_memory()
                .map_err(|e| xlsx_error(path, e))?
        } else {
            wb.add_worksheet()
        };
        let last = (count as u32).max(TEMPLATE_ROWS);
        prepare_sheet(ws, spec, &f, last).map_err(|e| xlsx_error(path, e))?;
        let mut widths = vec![0usize; spec.cols.len()];
        let mut n = 0u32;
        for cells in rows {
            n += 1;
            write_row(ws, n, &cells, &f, &mut widths).map_err(|e| xlsx_error(path, e))?;
        }
        set_widths(ws, spec, &widths).map_err(|e| xlsx_error(path, e))?;
        summary.sheets.push((spec.name, n as usize));
        Ok(())
    })?;
    let rows = settings_sheet::export_rows(&store.settings()?);
    summary.sheets.push((SETTINGS.name, rows.len()));
    settings_sheet(wb.add_worksheet(), &f, rows).map_err(|e| xlsx_error(path, e))?;
    save_book(&mut wb, path, &protected)?;
    Ok(summary)
}
