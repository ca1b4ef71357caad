//! The printed form of the monthly report as a format-neutral document:
//! title, header line, sections 一…七 (one table each, plus notes), and the
//! sign-off. Every renderer (txt, csv, html, and later xlsx, pdf) walks the
//! same document, so the formats show the same figures in the same places.

use std::fmt;

use super::compute::percent;
use super::model::*;
use crate::domain::enums::{Formation, MeetingKind, UnitKind, kind_short};
use crate::domain::money::Fen;
use crate::domain::records::Settings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One cell, typed so that spreadsheet renderers can keep numbers numeric.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// Shown in 元 with two decimals and thousands separators.
    Money(Fen),
    /// Shown as a percentage with one decimal; `-` when there is none.
    Rate(Option<f64>),
    /// Figure not available (a report read back from the archive lacks the
    /// print-only extras).
    NotAvailable,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Text(s) => f.write_str(s),
            Cell::Int(n) => write!(f, "{n}"),
            Cell::Money(v) => f.write_str(&v.yuan_grouped()),
            Cell::Rate(r) => f.write_str(&percent(*r)),
            Cell::NotAvailable => f.write_str("-"),
        }
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Width in display columns in the text layout (CJK = 2).
    pub width: usize,
    pub align: Align,
}

fn col(header: &str, width: usize, align: Align) -> Column {
    Column {
        header: header.to_string(),
        width,
        align,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// `一、两个覆盖`.
    pub title: String,
    pub table: Table,
    /// Sentences printed under the table.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `{乡镇} {YYYY年M月} 党建工作月报`.
    pub title: String,
    /// 编制单位, 所属期间, 金额单位.
    pub header: String,
    pub sections: Vec<Section>,
    /// 制表人/审核人/负责人, then 日期 and (盖章).
    pub signoff: Vec<String>,
}

/// Text width of the printed page (80 columns).
pub const PAGE_WIDTH: usize = 80;

fn short_of(label: &str) -> String {
    MeetingKind::parse(label)
        .map(|k| kind_short(k).to_string())
        .unwrap_or_else(|_| label.to_string())
}

/// Builds the printed document. `settings` gives the sign-off names.
pub fn document(r: &MonthlyReport, settings: &Settings) -> Document {
    let township = if r.township.trim().is_empty() {
        settings.township.trim().to_string()
    } else {
        r.township.trim().to_string()
    };
    let title = format!("{} {} 党建工作月报", township, r.month.label())
        .trim()
        .to_string();
    let header = format!(
        "编制单位：{}    所属期间：{}    金额单位：元",
        if township.is_empty() { "-" } else { &township },
        r.month.label()
    );
    let date = r
        .generated_at
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(|d| d.format("%Y年%-m月%-d日").to_string())
        .unwrap_or_default();
    let name = |s: &str| {
        if s.trim().is_empty() {
            "__________".to_string()
        } else {
            s.trim().to_string()
        }
    };
    Document {
        title,
        header,
        sections: vec![
            coverage(r),
            orgs_members(r),
            meetings(r),
            instructors(r),
            funds(r),
            dues(r),
            problems(r),
        ],
        signoff: vec![
            format!(
                "制表人：{}    审核人：{}    负责人：{}",
                name(&settings.preparer),
                name(&settings.reviewer),
                name(&settings.head)
            ),
            format!("日期：{date}"),
            "（盖章）".to_string(),
        ],
    }
}

fn coverage(r: &MonthlyReport) -> Section {
    let c = &r.coverage;
    let ex = r.extras.as_ref();
    let mut rows = Vec::new();
    for (i, k) in c.by_kind.iter().enumerate() {
        let alone = ex
            .and_then(|e| e.standalone_by_kind.get(i))
            .map_or(Cell::NotAvailable, |n| Cell::Int(*n));
        rows.push(vec![
            t(k.kind.clone()),
            Cell::Int(k.total),
            Cell::Int(k.org_covered),
            alone,
            Cell::Int(k.work_covered),
            Cell::Int(k.total - k.org_covered - k.work_covered),
            Cell::Rate(super::compute::rate(k.org_covered, k.total)),
            Cell::Rate(super::compute::rate(
                k.org_covered + k.work_covered,
                k.total,
            )),
        ]);
    }
    rows.push(vec![
        t("合计"),
        Cell::Int(c.units_total),
        Cell::Int(c.units_org_covered),
        Cell::Int(c.units_standalone),
        Cell::Int(c.units_work_covered),
        Cell::Int(c.units_uncovered),
        Cell::Rate(c.org_coverage_rate),
        Cell::Rate(c.work_coverage_rate),
    ]);
    debug_assert_eq!(c.by_kind.len(), UnitKind::ALL.len());
    Section {
        title: "一、两个覆盖".to_string(),
        table: Table {
            columns: vec![
                col("单位类型", 14, Align::Left),
                col("总数", 6, Align::Right),
                col("组织覆盖", 8, Align::Right),
                col("单独组建", 8, Align::Right),
                col("工作覆盖", 8, Align::Right),
                col("空白", 6, Align::Right),
                col("组织覆盖率", 10, Align::Right),
                col("工作覆盖率", 10, Align::Right),
            ],
            rows,
        },
        notes: vec![
            format!(
                "单独组建率 {}；有党员未建党组织的单位 {} 个；“七个清”信息完整的单位 {} 个。",
                percent(c.standalone_rate),
                c.units_with_members_no_org,
                c.units_facts_complete
            ),
            "注：只统计经营状态为“正常”的单位；工作覆盖率含组织覆盖的单位。".to_string(),
        ],
    }
}

fn kv(label: &str, v: Cell) -> Vec<Cell> {
    vec![t(label), v]
}

fn orgs_members(r: &MonthlyReport) -> Section {
    let o = &r.party_orgs;
    let m = &r.members;
    let mut rows = vec![kv("党组织总数（个，月末）", Cell::Int(o.total))];
    for f in Formation::ALL {
        rows.push(kv(
            &format!("  其中：{}", f.label()),
            Cell::Int(o.by_formation.get(f.label())),
        ));
    }
    rows.extend([
        kv("本月新建党组织（个）", Cell::Int(o.established_in_month)),
        kv("本月撤销党组织（个）", Cell::Int(o.dissolved_in_month)),
        kv("党员总数（名，月末）", Cell::Int(m.total)),
        kv("  其中：正式党员", Cell::Int(m.formal)),
        kv("        预备党员", Cell::Int(m.probationary)),
        kv("新就业群体党员（名）", Cell::Int(m.new_employment)),
        kv("本月发展党员（名）", Cell::Int(m.joined_in_month)),
        kv(
            "本月亮身份报到党员（名）",
            Cell::Int(m.pocket_reported_in_month),
        ),
    ]);
    Section {
        title: "二、党组织和党员".to_string(),
        table: Table {
            columns: vec![col("项目", 40, Align::Left), col("数量", 10, Align::Right)],
            rows,
        },
        notes: Vec::new(),
    }
}

fn meetings(r: &MonthlyReport) -> Section {
    let g = &r.meetings;
    let ex = r.extras.as_ref();
    let mut columns = vec![
        col("党组织", 16, Align::Left),
        col("方式", 4, Align::Left),
        col("党员", 4, Align::Right),
    ];
    for k in MeetingKind::ALL {
        columns.push(col(kind_short(*k), 4, Align::Right));
    }
    columns.push(col("出勤率", 6, Align::Right));
    columns.push(col("缺项", 11, Align::Left));
    let mut rows = Vec::new();
    for (i, o) in g.orgs.iter().enumerate() {
        let (formation, size) = match ex.and_then(|e| e.org_rows.get(i)) {
            Some((f, n)) => (t(f.chars().take(2).collect::<String>()), Cell::Int(*n)),
            None => (Cell::NotAvailable, Cell::NotAvailable),
        };
        let mut row = vec![t(o.org.clone()), formation, size];
        for k in MeetingKind::ALL {
            let label = k.label();
            if o.required.iter().any(|x| x == label) {
                row.push(Cell::Int(o.held.get(label)));
            } else {
                row.push(t("-"));
            }
        }
        row.push(Cell::Rate(o.attendance_rate));
        row.push(t(o
            .missing
            .iter()
            .map(|m| short_of(m))
            .collect::<Vec<_>>()
            .join("、")));
        rows.push(row);
    }
    let held: Vec<String> = g
        .held_by_kind
        .0
        .iter()
        .map(|(k, n)| format!("{k} {n} 次"))
        .collect();
    Section {
        title: "三、三会一课落实情况".to_string(),
        table: Table { columns, rows },
        notes: vec![
            format!(
                "应考核党支部 {} 个，全部落实 {} 个，落实率 {}；本月会议出勤率 {}。",
                g.orgs_required,
                g.orgs_compliant,
                percent(g.compliance_rate),
                percent(g.attendance_rate)
            ),
            format!("本月各党组织召开：{}。", held.join("，")),
            "注：大会=支部党员大会（按季度），支委=支部委员会，小组=党小组会，党课（按设定周期），党日=主题党日，生活=组织生活会、评议=民主评议党员（按年度，12月考核）；“-”表示本月不考核。".to_string(),
        ],
    }
}

fn instructors(r: &MonthlyReport) -> Section {
    let i = &r.instructors;
    let rows = vec![
        kv("在岗指导员（名）", Cell::Int(i.active)),
        kv("联系单位（个）", Cell::Int(i.assigned_units)),
        kv("本月已走访的联系单位（个）", Cell::Int(i.visited_units)),
        kv("走访覆盖率", Cell::Rate(i.visit_coverage_rate)),
        kv("本月走访（次）", Cell::Int(i.visits_in_month)),
        kv(
            "本月未走访任何联系单位的指导员（名）",
            Cell::Int(i.without_visit.len() as i64),
        ),
    ];
    let notes = if i.without_visit.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "本月未走访任何联系单位的指导员：{}。",
            i.without_visit.join("、")
        )]
    };
    Section {
        title: "四、指导员履职".to_string(),
        table: Table {
            columns: vec![col("项目", 40, Align::Left), col("数量", 10, Align::Right)],
            rows,
        },
        notes,
    }
}

fn funds(r: &MonthlyReport) -> Section {
    let f = &r.funds;
    let ex = r.extras.as_ref();
    let year =
        |g: &dyn Fn(&PrintExtras) -> Fen| ex.map_or(Cell::NotAvailable, |e| Cell::Money(g(e)));
    // `compute` has checked these year totals and the closing balance
    // exactly (it fails the report otherwise), so `Sum`, `+` and `-`
    // (which saturate rather than wrap) give the exact figures here.
    let sum = |m: &LabelMap<Fen>| m.0.iter().map(|(_, v)| *v).sum::<Fen>();
    let mut rows = vec![vec![
        t("期初余额"),
        Cell::Money(f.opening_fen),
        year(&|e| e.year_opening_fen),
    ]];
    for (k, v) in &f.income_by_category.0 {
        let k2 = k.clone();
        rows.push(vec![
            t(format!("  收入：{k}")),
            Cell::Money(*v),
            year(&move |e| e.year_income_by_category.get(&k2)),
        ]);
    }
    rows.push(vec![
        t("收入合计"),
        Cell::Money(f.income_fen),
        year(&|e| sum(&e.year_income_by_category)),
    ]);
    for (k, v) in &f.expense_by_category.0 {
        let k2 = k.clone();
        rows.push(vec![
            t(format!("  支出：{k}")),
            Cell::Money(*v),
            year(&move |e| e.year_expense_by_category.get(&k2)),
        ]);
    }
    rows.push(vec![
        t("支出合计"),
        Cell::Money(f.expense_fen),
        year(&|e| sum(&e.year_expense_by_category)),
    ]);
    rows.push(vec![
        t("期末余额"),
        Cell::Money(f.closing_fen),
        year(&|e| {
            e.year_opening_fen + sum(&e.year_income_by_category) - sum(&e.year_expense_by_category)
        }),
    ]);
    Section {
        title: "五、经费收支".to_string(),
        table: Table {
            columns: vec![
                col("项目", 30, Align::Left),
                col("本月合计", 16, Align::Right),
                col("本年累计", 16, Align::Right),
            ],
            rows,
        },
        notes: vec![
            "注：含各党组织和乡镇本级的党建工作经费；本年累计的期初余额为1月1日余额。".to_string(),
        ],
    }
}

fn dues(r: &MonthlyReport) -> Section {
    let d = &r.dues;
    let rows = vec![
        kv("应交党费党员（名）", Cell::Int(d.members_due)),
        kv("已交清（名）", Cell::Int(d.members_paid)),
        kv("未交清（名）", Cell::Int(d.members_due - d.members_paid)),
        kv("应交金额（元）", Cell::Money(d.due_fen)),
        kv("实交金额（元）", Cell::Money(d.paid_fen)),
        kv(
            "收缴率（按人数）",
            Cell::Rate(super::compute::rate(d.members_paid, d.members_due)),
        ),
    ];
    let notes = if d.unpaid.is_empty() {
        Vec::new()
    } else {
        vec![format!("未交清名单：{}。", d.unpaid.join("、"))]
    };
    Section {
        title: "六、党费收缴".to_string(),
        table: Table {
            columns: vec![col("项目", 40, Align::Left), col("数值", 16, Align::Right)],
            rows,
        },
        notes,
    }
}

fn problems(r: &MonthlyReport) -> Section {
    let rows = r
        .warnings
        .iter()
        .enumerate()
        .map(|(i, w)| {
            vec![
                Cell::Int(i as i64 + 1),
                t(warning_heading(&w.code)),
                t(w.subject.clone()),
                t(w.message.clone()),
            ]
        })
        .collect();
    let mut counts: Vec<(String, usize)> = Vec::new();
    for w in &r.warnings {
        let h = warning_heading(&w.code).to_string();
        match counts.last_mut() {
            Some((last, n)) if *last == h => *n += 1,
            _ => counts.push((h, 1)),
        }
    }
    let summary = if counts.is_empty() {
        "本月未发现问题。".to_string()
    } else {
        format!(
            "共 {} 项：{}。",
            r.warnings.len(),
            counts
                .iter()
                .map(|(h, n)| format!("{h} {n} 项"))
                .collect::<Vec<_>>()
                .join("，")
        )
    };
    Section {
        title: "七、问题清单".to_string(),
        table: Table {
            columns: vec![
                col("序号", 4, Align::Right),
                col("问题类别", 14, Align::Left),
                col("对象", 22, Align::Left),
                col("说明", 37, Align::Left),
            ],
            rows,
        },
        notes: vec![summary],
    }
}
