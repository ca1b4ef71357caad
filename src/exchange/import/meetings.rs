//! The 会议 sheet: the meetings, their kinds and the attendance lists
//! (出席, 请假 with its reasons, 缺席).

use std::collections::HashMap;

use super::plan::{KeyIndex, Plan};
use super::row::{Header, Row};
use crate::domain::enums::*;
use crate::domain::records::*;
use crate::domain::validate;
use crate::exchange::read::Cell;
use crate::exchange::spec::{SheetSpec, SheetSummary};

impl Plan {
    pub(super) fn meetings_sheet(
        &mut self,
        spec: &'static SheetSpec,
        header: &Header,
        rows: &[&(usize, Vec<Cell>)],
        summary: &mut SheetSummary,
    ) {
        let mut index = KeyIndex::new(&self.meetings.existing, |m: &Meeting| {
            (m.org_id, m.date, kinds_to_mask(&m.kinds))
        });
        self.member_index();
        let org_names: HashMap<i64, String> = self
            .org_by_name
            .iter()
            .map(|(n, id)| (*id, n.clone()))
            .collect();
        for row in rows {
            let members = self.member_index.take().unwrap_or_default();
            let mut r = Row::new(&mut self.errors, &mut self.notes, spec, header, row);
            let org_id = Self::required_lookup(&mut r, "党组织", &self.org_by_name, "党组织");
            let kinds = parse_kinds(&mut r);
            let date = r.required_date("日期");
            let topic = r.required_text("主题");
            let mut attendance: Vec<Attendance> = Vec::new();
            if let Some(org_id) = org_id {
                let org_name = org_names.get(&org_id).cloned().unwrap_or_default();
                let empty = HashMap::new();
                let of_org = members.get(&org_id).unwrap_or(&empty);
                let mut seen: HashMap<i64, &'static str> = HashMap::new();
                for (col, status) in [
                    ("出席", AttendStatus::Present),
                    ("请假", AttendStatus::Leave),
                    ("缺席", AttendStatus::Absent),
                ] {
                    let cell = r.text(col);
                    for item in split_names(&cell) {
                        let (name, reason) = split_reason(&item);
                        if !reason.is_empty() && status != AttendStatus::Leave {
                            r.err(col, format!("“{item}”：只有请假可以在括号里写原因"));
                            continue;
                        }
                        let ids = of_org.get(&name).map(Vec::as_slice).unwrap_or(&[]);
                        let id = match ids {
                            [] => {
                                r.err(col, format!("“{name}”不是“{org_name}”的党员，请核对姓名或先在“党员”表中登记"));
                                continue;
                            }
                            [id] => *id,
                            _ => {
                                r.err(col, format!("“{org_name}”有 {} 名党员叫“{name}”，无法区分，请在软件中逐一登记出勤", ids.len()));
                                continue;
                            }
                        };
                        if let Some(prev) = seen.insert(id, col) {
                            if prev == col {
                                r.err(col, format!("“{name}”在{col}中写了两次"));
                            } else {
                                r.err(
                                    col,
                                    format!("“{name}”同时出现在{prev}和{col}中，每人只能在一处"),
                                );
                            }
                            continue;
                        }
                        attendance.push(Attendance {
                            member_id: id,
                            status,
                            reason,
                        });
                    }
                }
            }
            self.member_index = Some(members);
            let (Some(org_id), Some(kinds), Some(date)) = (org_id, kinds, date) else {
                continue;
            };
            if topic.is_empty() {
                continue;
            }
            let mask = kinds_to_mask(&kinds);
            let id = index
                .take(&(org_id, date, mask))
                .unwrap_or_else(|| self.meetings.reserve());
            let mut m = self
                .meetings
                .existing
                .get(&id)
                .cloned()
                .unwrap_or_else(|| Meeting {
                    id,
                    ..Meeting::new(org_id, kinds.clone(), date)
                });
            m.topic = topic;
            r.set_text("地点", &mut m.place);
            r.set_text("主持人", &mut m.host);
            r.set_text("记录人", &mut m.recorder);
            r.set_text("授课人", &mut m.lecturer);
            r.set_text("内容摘要", &mut m.summary);
            if r.has("出席") || r.has("请假") || r.has("缺席") {
                // As the store reads it back: ordered by member id.
                attendance.sort_by_key(|a| a.member_id);
                m.attendance = attendance;
            }
            let mut check = m.clone();
            check.org_id = check.org_id.abs();
            r.issues(validate::meeting_fields(&check));
            if r.ok {
                summary.count(self.meetings.put(m));
            }
        }
    }
}

/// The meeting kinds of a row: a list of labels, each once
/// (`MeetingKind::parse_list`); a bad cell has had its error already.
fn parse_kinds(r: &mut Row<'_>) -> Option<Vec<MeetingKind>> {
    let cell = r.text("类型");
    if matches!(r.cell("类型"), Cell::Bad(_)) {
        return None;
    }
    match MeetingKind::parse_list(&cell, KindsInput::Cell) {
        Ok(kinds) => Some(kinds),
        Err(problems) => {
            for p in problems {
                r.err("类型", p);
            }
            None
        }
    }
}

/// Splits a list of names; separators inside brackets (a 请假 reason)
/// do not split.
fn split_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    for ch in s.chars() {
        match ch {
            '(' | '（' => {
                depth += 1;
                cur.push(ch);
            }
            ')' | '）' => {
                depth = depth.saturating_sub(1);
                cur.push(ch);
            }
            '、' | '，' | ',' | ';' | '；' if depth == 0 => {
                let t = cur.trim().to_string();
                if !t.is_empty() {
                    out.push(t);
                }
                cur.clear();
            }
            _ => cur.push(ch),
        }
    }
    let t = cur.trim().to_string();
    if !t.is_empty() {
        out.push(t);
    }
    out
}

/// `张三(出差)` / `张三（出差）` → ("张三", "出差").
fn split_reason(item: &str) -> (String, String) {
    if let Some(i) = item.find(['(', '（']) {
        let name = item[..i].trim().to_string();
        let rest = &item[i..];
        let inner = rest
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）'])
            .trim()
            .to_string();
        (name, inner)
    } else {
        (item.trim().to_string(), String::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_reasons() {
        assert_eq!(
            split_names("张三（出差，外地）、李四;王五(病假)"),
            vec!["张三（出差，外地）", "李四", "王五(病假)"]
        );
        assert_eq!(
            split_reason("张三（出差，外地）"),
            ("张三".into(), "出差，外地".into())
        );
        assert_eq!(split_reason("王五(病假)"), ("王五".into(), "病假".into()));
        assert_eq!(split_reason("李四"), ("李四".into(), String::new()));
    }
}
