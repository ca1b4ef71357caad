//! What changed between an issued report and now: the two JSON documents
//! compared leaf by leaf, each change one line `路径: 旧 → 新` with the
//! path in Chinese terms (`两个覆盖/组织覆盖率: 50.0% → 60.0%`). Money is
//! shown in 元, rates as percentages; in lists, an added item shows
//! `（无） → 项`, a removed one `项 → （无）`.

use std::collections::HashSet;

use serde_json::Value;

use super::compute::percent;
use super::model::warning_heading;
use crate::domain::money::Fen;

const NONE: &str = "（无）";

/// The Chinese name of a JSON key (category and kind names stay as they are).
fn label(key: &str) -> &str {
    match key {
        "month" => "月份",
        "township" => "乡镇",
        "coverage" => "两个覆盖",
        "units_total" => "单位总数",
        "units_org_covered" => "组织覆盖单位",
        "units_work_covered" => "工作覆盖单位",
        "units_uncovered" => "空白单位",
        "units_standalone" => "单独组建单位",
        "units_with_members_no_org" => "有党员未建组织单位",
        "units_facts_complete" => "七个清完整单位",
        "org_coverage_rate" => "组织覆盖率",
        "standalone_rate" => "单独组建率",
        "work_coverage_rate" => "工作覆盖率",
        "by_kind" => "按单位类型",
        "total" => "总数",
        "org_covered" => "组织覆盖",
        "work_covered" => "工作覆盖",
        "party_orgs" => "党组织",
        "by_formation" => "按组建方式",
        "established_in_month" => "本月新建",
        "dissolved_in_month" => "本月撤销",
        "members" => "党员",
        "formal" => "正式党员",
        "probationary" => "预备党员",
        "new_employment" => "新就业群体党员",
        "joined_in_month" => "本月发展党员",
        "pocket_reported_in_month" => "本月亮身份报到",
        "meetings" => "三会一课",
        "orgs_required" => "应考核党支部",
        "orgs_compliant" => "全部落实党支部",
        "compliance_rate" => "落实率",
        "attendance_rate" => "出勤率",
        "held_by_kind" => "本月召开",
        "orgs" => "各党支部",
        "required" => "应开",
        "held" => "已开",
        "missing" => "缺项",
        "instructors" => "指导员",
        "active" => "在岗指导员",
        "assigned_units" => "联系单位",
        "visited_units" => "已走访单位",
        "visits_in_month" => "本月走访次数",
        "visit_coverage_rate" => "走访覆盖率",
        "without_visit" => "未走访的指导员",
        "funds" => "经费",
        "opening_fen" => "期初余额",
        "income_fen" => "本月收入",
        "expense_fen" => "本月支出",
        "closing_fen" => "期末余额",
        "income_by_category" => "收入",
        "expense_by_category" => "支出",
        "dues" => "党费",
        "members_due" => "应交党员",
        "members_paid" => "已交清党员",
        "due_fen" => "应交金额",
        "paid_fen" => "实交金额",
        "unpaid" => "未交清名单",
        "warnings" => "问题清单",
        other => other,
    }
}

/// How a leaf is shown, from its key and its parent's key.
fn show(v: Option<&Value>, key: &str, parent: &str) -> String {
    let Some(v) = v else {
        return NONE.to_string();
    };
    let money = key.ends_with("_fen") || parent.ends_with("_by_category");
    match v {
        Value::Null => "-".to_string(),
        Value::Number(n) if money => n.as_i64().map_or(n.to_string(), |f| Fen(f).to_string()),
        Value::Number(n) if key.ends_with("_rate") => percent(n.as_f64()),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every changed figure, one line each; empty when nothing changed.
/// `generated_at` is not a figure and is ignored.
pub fn diff(old: &Value, new: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(&mut Vec::new(), "", "", Some(old), Some(new), &mut out);
    out
}

fn walk(
    path: &mut Vec<String>,
    key: &str,
    parent: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<String>,
) {
    if key == "generated_at" {
        return;
    }
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let mut keys: Vec<&String> = b.keys().collect();
            keys.extend(a.keys().filter(|k| !b.contains_key(*k)));
            for k in keys {
                path.push(label(k).to_string());
                walk(path, k, key, a.get(k), b.get(k), out);
                path.pop();
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => list(path, key, a, b, out),
        (o, n) => {
            if o != n {
                out.push(format!(
                    "{}: {} → {}",
                    path.join("/"),
                    show(o, key, parent),
                    show(n, key, parent)
                ));
            }
        }
    }
}

/// Lists: objects keyed by their name (`kind`, `org`), warnings by code
/// and text, plain names as sets.
fn list(path: &mut Vec<String>, key: &str, a: &[Value], b: &[Value], out: &mut Vec<String>) {
    let name_key = ["kind", "org"]
        .into_iter()
        .find(|k| a.iter().chain(b).all(|v| v.get(k).is_some()) && !(a.is_empty() && b.is_empty()));
    if let Some(nk) = name_key {
        let name = |v: &Value| v.get(nk).and_then(Value::as_str).unwrap_or("").to_string();
        let mut names: Vec<String> = b.iter().map(name).collect();
        names.extend(
            a.iter()
                .map(name)
                .filter(|n| !b.iter().any(|v| name(v) == *n)),
        );
        for n in names {
            let o = a.iter().find(|v| name(v) == n);
            let m = b.iter().find(|v| name(v) == n);
            path.push(n);
            match (o, m) {
                (Some(_), Some(_)) => walk(path, "", key, o, m, out),
                _ => out.push(format!(
                    "{}: {} → {}",
                    path.join("/"),
                    if o.is_some() { "有" } else { NONE },
                    if m.is_some() { "有" } else { NONE }
                )),
            }
            path.pop();
        }
        return;
    }
    let text = |v: &Value| -> (String, String) {
        match v {
            Value::String(s) => (String::new(), s.clone()),
            Value::Object(_) if key == "warnings" => (
                warning_heading(v.get("code").and_then(Value::as_str).unwrap_or("")).to_string(),
                format!(
                    "{}：{}",
                    v.get("subject").and_then(Value::as_str).unwrap_or(""),
                    v.get("message").and_then(Value::as_str).unwrap_or("")
                ),
            ),
            other => (String::new(), other.to_string()),
        }
    };
    let ta: Vec<(String, String)> = a.iter().map(text).collect();
    let tb: Vec<(String, String)> = b.iter().map(text).collect();
    let prefix = path.join("/");
    let at = |group: &str| {
        if group.is_empty() {
            prefix.clone()
        } else {
            format!("{prefix}/{group}")
        }
    };
    let sa: HashSet<&(String, String)> = ta.iter().collect();
    let sb: HashSet<&(String, String)> = tb.iter().collect();
    for (g, x) in ta.iter().filter(|x| !sb.contains(x)) {
        out.push(format!("{}: {x} → {NONE}", at(g)));
    }
    for (g, x) in tb.iter().filter(|x| !sa.contains(x)) {
        out.push(format!("{}: {NONE} → {x}", at(g)));
    }
}
