//! The mapping between record types and their tables. Every record kind
//! implements `Record`, so inserting, updating, voiding, auditing and undoing
//! are written once, generically, in `change.rs`.

use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{Connection, Row, ToSql, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::domain::records::*;

pub trait Record: Serialize + DeserializeOwned + Clone {
    /// SQL table name.
    const TABLE: &'static str;
    /// What a clerk calls it (单位, 党员 …), for messages and the recycle bin.
    const KIND: &'static str;
    /// Columns after `id`, in the order of `values` and `from_row`.
    const COLUMNS: &'static [&'static str];
    /// Tables holding rows that belong to a record (meeting attendance).
    const CHILD_TABLES: &'static [&'static str] = &[];
    /// Fields (JSON keys) holding personal data that 彻底删除 erases from
    /// the audit log, with what they become (see `privacy.rs`).
    const PERSONAL: &'static [(&'static str, Erased)] = &[];

    fn id(&self) -> i64;
    fn set_id(&mut self, id: i64);
    /// The column values in `COLUMNS` order, borrowing the record's text.
    fn values(&self) -> Vec<ToSqlOutput<'_>>;
    /// Builds the record from `SELECT id, COLUMNS… FROM TABLE`.
    fn from_row(row: &Row) -> rusqlite::Result<Self>;
    /// A short human title (the name, or date and topic).
    fn title(&self) -> String;

    /// Writes rows of child tables (meeting attendance); the parent row
    /// exists. `fresh`: the parent was just inserted, so it has no children
    /// to replace yet.
    fn save_children(&self, _conn: &Connection, _fresh: bool) -> rusqlite::Result<()> {
        Ok(())
    }
    /// Puts the record in its stored order (attendance by member id), so the
    /// JSON written to the audit log equals what a later read gives back.
    fn normalize(&mut self) {}
    /// Reads rows of child tables after `from_row`.
    fn load_children(&mut self, _conn: &Connection) -> rusqlite::Result<()> {
        Ok(())
    }
    /// Removes rows of child tables before the record itself is deleted.
    fn delete_children(_conn: &Connection, _id: i64) -> rusqlite::Result<()> {
        Ok(())
    }
}

/// What an erased personal field becomes in the audit JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erased {
    /// Text: "".
    Empty,
    /// An optional value (a date): null.
    Null,
}

/// Any `ToSql` value for binding, borrowing text where it can.
pub fn val<T: ToSql + ?Sized>(x: &T) -> ToSqlOutput<'_> {
    // Our types never fail to convert; store NULL rather than panic.
    x.to_sql().unwrap_or(ToSqlOutput::Owned(Value::Null))
}

pub fn select_sql<R: Record>() -> String {
    format!("SELECT id, {} FROM {}", R::COLUMNS.join(", "), R::TABLE)
}

impl Record for Unit {
    const TABLE: &'static str = "units";
    const KIND: &'static str = "单位";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "credit_code",
        "kind",
        "industry",
        "village",
        "address",
        "investor",
        "contact",
        "phone",
        "employees",
        "status",
        "has_union",
        "has_league",
        "has_women",
        "no_org_reason",
        "needs",
        "note",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.name),
            val(&self.credit_code),
            val(&self.kind),
            val(&self.industry),
            val(&self.village),
            val(&self.address),
            val(&self.investor),
            val(&self.contact),
            val(&self.phone),
            val(&self.employees),
            val(&self.status),
            val(&self.has_union),
            val(&self.has_league),
            val(&self.has_women),
            val(&self.no_org_reason),
            val(&self.needs),
            val(&self.note),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Unit {
            id: r.get(0)?,
            name: r.get(1)?,
            credit_code: r.get(2)?,
            kind: r.get(3)?,
            industry: r.get(4)?,
            village: r.get(5)?,
            address: r.get(6)?,
            investor: r.get(7)?,
            contact: r.get(8)?,
            phone: r.get(9)?,
            employees: r.get(10)?,
            status: r.get(11)?,
            has_union: r.get(12)?,
            has_league: r.get(13)?,
            has_women: r.get(14)?,
            no_org_reason: r.get(15)?,
            needs: r.get(16)?,
            note: r.get(17)?,
        })
    }
    fn title(&self) -> String {
        self.name.clone()
    }
}

impl Record for PartyOrg {
    const TABLE: &'static str = "party_orgs";
    const KIND: &'static str = "党组织";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "org_type",
        "formation",
        "parent_id",
        "established",
        "dissolved",
        "elected",
        "secretary",
        "has_committee",
        "group_count",
        "note",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.name),
            val(&self.org_type),
            val(&self.formation),
            val(&self.parent_id),
            val(&self.established),
            val(&self.dissolved),
            val(&self.elected),
            val(&self.secretary),
            val(&self.has_committee),
            val(&self.group_count),
            val(&self.note),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(PartyOrg {
            id: r.get(0)?,
            name: r.get(1)?,
            org_type: r.get(2)?,
            formation: r.get(3)?,
            parent_id: r.get(4)?,
            established: r.get(5)?,
            dissolved: r.get(6)?,
            elected: r.get(7)?,
            secretary: r.get(8)?,
            has_committee: r.get(9)?,
            group_count: r.get(10)?,
            note: r.get(11)?,
        })
    }
    fn title(&self) -> String {
        self.name.clone()
    }
}

impl Record for Coverage {
    const TABLE: &'static str = "coverages";
    const KIND: &'static str = "覆盖关系";
    const COLUMNS: &'static [&'static str] = &["org_id", "unit_id", "from_date", "to_date"];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.org_id),
            val(&self.unit_id),
            val(&self.from),
            val(&self.to),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Coverage {
            id: r.get(0)?,
            org_id: r.get(1)?,
            unit_id: r.get(2)?,
            from: r.get(3)?,
            to: r.get(4)?,
        })
    }
    fn title(&self) -> String {
        format!(
            "党组织#{} 覆盖 单位#{}（自{}）",
            self.org_id, self.unit_id, self.from
        )
    }
}

impl Record for Member {
    const TABLE: &'static str = "members";
    const KIND: &'static str = "党员";
    const PERSONAL: &'static [(&'static str, Erased)] = &[
        ("id_number", Erased::Empty),
        ("phone", Erased::Empty),
        ("birth", Erased::Null),
    ];
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "gender",
        "birth",
        "id_number",
        "phone",
        "org_id",
        "unit_id",
        "category",
        "joined",
        "confirmed",
        "status",
        "left_date",
        "floating",
        "reported",
        "new_employment",
        "party_post",
        "note",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.name),
            val(&self.gender),
            val(&self.birth),
            val(&self.id_number),
            val(&self.phone),
            val(&self.org_id),
            val(&self.unit_id),
            val(&self.category),
            val(&self.joined),
            val(&self.confirmed),
            val(&self.status),
            val(&self.left),
            val(&self.floating),
            val(&self.reported),
            val(&self.new_employment),
            val(&self.party_post),
            val(&self.note),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Member {
            id: r.get(0)?,
            name: r.get(1)?,
            gender: r.get(2)?,
            birth: r.get(3)?,
            id_number: r.get(4)?,
            phone: r.get(5)?,
            org_id: r.get(6)?,
            unit_id: r.get(7)?,
            category: r.get(8)?,
            joined: r.get(9)?,
            confirmed: r.get(10)?,
            status: r.get(11)?,
            left: r.get(12)?,
            floating: r.get(13)?,
            reported: r.get(14)?,
            new_employment: r.get(15)?,
            party_post: r.get(16)?,
            note: r.get(17)?,
        })
    }
    fn title(&self) -> String {
        self.name.clone()
    }
}

impl Record for Instructor {
    const TABLE: &'static str = "instructors";
    const KIND: &'static str = "指导员";
    const PERSONAL: &'static [(&'static str, Erased)] = &[("phone", Erased::Empty)];
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "gender",
        "phone",
        "source",
        "workplace",
        "appointed",
        "left_date",
        "note",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.name),
            val(&self.gender),
            val(&self.phone),
            val(&self.source),
            val(&self.workplace),
            val(&self.appointed),
            val(&self.left),
            val(&self.note),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Instructor {
            id: r.get(0)?,
            name: r.get(1)?,
            gender: r.get(2)?,
            phone: r.get(3)?,
            source: r.get(4)?,
            workplace: r.get(5)?,
            appointed: r.get(6)?,
            left: r.get(7)?,
            note: r.get(8)?,
        })
    }
    fn title(&self) -> String {
        self.name.clone()
    }
}

impl Record for Assignment {
    const TABLE: &'static str = "assignments";
    const KIND: &'static str = "联系单位";
    const COLUMNS: &'static [&'static str] =
        &["instructor_id", "unit_id", "start_date", "end_date"];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.instructor_id),
            val(&self.unit_id),
            val(&self.start),
            val(&self.end),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Assignment {
            id: r.get(0)?,
            instructor_id: r.get(1)?,
            unit_id: r.get(2)?,
            start: r.get(3)?,
            end: r.get(4)?,
        })
    }
    fn title(&self) -> String {
        format!(
            "指导员#{} 联系 单位#{}（自{}）",
            self.instructor_id, self.unit_id, self.start
        )
    }
}

impl Record for Visit {
    const TABLE: &'static str = "visits";
    const KIND: &'static str = "走访记录";
    const COLUMNS: &'static [&'static str] = &[
        "instructor_id",
        "unit_id",
        "date",
        "mode",
        "content",
        "problems",
        "resolved",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.instructor_id),
            val(&self.unit_id),
            val(&self.date),
            val(&self.mode),
            val(&self.content),
            val(&self.problems),
            val(&self.resolved),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Visit {
            id: r.get(0)?,
            instructor_id: r.get(1)?,
            unit_id: r.get(2)?,
            date: r.get(3)?,
            mode: r.get(4)?,
            content: r.get(5)?,
            problems: r.get(6)?,
            resolved: r.get(7)?,
        })
    }
    fn title(&self) -> String {
        format!("{} {}", self.date, self.content)
    }
}

impl Record for InstructorAssessment {
    const TABLE: &'static str = "assessments";
    const KIND: &'static str = "年度考核";
    const COLUMNS: &'static [&'static str] = &["instructor_id", "year", "grade", "note"];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.instructor_id),
            val(&self.year),
            val(&self.grade),
            val(&self.note),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(InstructorAssessment {
            id: r.get(0)?,
            instructor_id: r.get(1)?,
            year: r.get(2)?,
            grade: r.get(3)?,
            note: r.get(4)?,
        })
    }
    fn title(&self) -> String {
        format!("{}年度 {}", self.year, self.grade)
    }
}

impl Record for Meeting {
    const TABLE: &'static str = "meetings";
    const KIND: &'static str = "会议";
    const COLUMNS: &'static [&'static str] = &[
        "org_id", "kinds", "date", "place", "host", "recorder", "lecturer", "topic", "summary",
    ];
    const CHILD_TABLES: &'static [&'static str] = &["attendance"];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.org_id),
            ToSqlOutput::Owned(Value::Integer(kinds_to_mask(&self.kinds))),
            val(&self.date),
            val(&self.place),
            val(&self.host),
            val(&self.recorder),
            val(&self.lecturer),
            val(&self.topic),
            val(&self.summary),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Meeting {
            id: r.get(0)?,
            org_id: r.get(1)?,
            kinds: kinds_from_mask(r.get(2)?),
            date: r.get(3)?,
            place: r.get(4)?,
            host: r.get(5)?,
            recorder: r.get(6)?,
            lecturer: r.get(7)?,
            topic: r.get(8)?,
            summary: r.get(9)?,
            attendance: Vec::new(),
        })
    }
    fn title(&self) -> String {
        let kinds: Vec<&str> = self.kinds.iter().map(|k| k.label()).collect();
        format!("{} {} {}", self.date, kinds.join("、"), self.topic)
    }
    fn normalize(&mut self) {
        self.attendance.sort_by_key(|a| a.member_id);
    }
    fn save_children(&self, conn: &Connection, fresh: bool) -> rusqlite::Result<()> {
        if !fresh {
            Self::delete_children(conn, self.id)?;
        }
        let mut st = conn.prepare_cached(
            "INSERT INTO attendance (meeting_id, member_id, status, reason) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for a in &self.attendance {
            st.execute(params![self.id, a.member_id, a.status, a.reason])?;
        }
        Ok(())
    }
    fn load_children(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let mut st = conn.prepare_cached(
            "SELECT member_id, status, reason FROM attendance WHERE meeting_id = ?1 ORDER BY member_id",
        )?;
        self.attendance = st
            .query_map([self.id], |r| {
                Ok(Attendance {
                    member_id: r.get(0)?,
                    status: r.get(1)?,
                    reason: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(())
    }
    fn delete_children(conn: &Connection, id: i64) -> rusqlite::Result<()> {
        conn.prepare_cached("DELETE FROM attendance WHERE meeting_id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

impl Record for FundEntry {
    const TABLE: &'static str = "fund_entries";
    const KIND: &'static str = "经费";
    const COLUMNS: &'static [&'static str] = &[
        "date",
        "org_id",
        "direction",
        "category",
        "amount",
        "voucher",
        "handler",
        "summary",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.date),
            val(&self.org_id),
            val(&self.direction),
            val(&self.category),
            val(&self.amount),
            val(&self.voucher),
            val(&self.handler),
            val(&self.summary),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(FundEntry {
            id: r.get(0)?,
            date: r.get(1)?,
            org_id: r.get(2)?,
            direction: r.get(3)?,
            category: r.get(4)?,
            amount: r.get(5)?,
            voucher: r.get(6)?,
            handler: r.get(7)?,
            summary: r.get(8)?,
        })
    }
    fn title(&self) -> String {
        format!(
            "{} {} {} {}元 {}",
            self.date, self.direction, self.category, self.amount, self.summary
        )
    }
}

impl Record for Dues {
    const TABLE: &'static str = "dues";
    const KIND: &'static str = "党费";
    const COLUMNS: &'static [&'static str] = &[
        "month",
        "member_id",
        "org_id",
        "base",
        "person_type",
        "due",
        "due_manual",
        "paid",
        "paid_date",
    ];
    fn id(&self) -> i64 {
        self.id
    }
    fn set_id(&mut self, id: i64) {
        self.id = id;
    }
    fn values(&self) -> Vec<ToSqlOutput<'_>> {
        vec![
            val(&self.month),
            val(&self.member_id),
            val(&self.org_id),
            val(&self.base),
            val(&self.person_type),
            val(&self.due),
            val(&self.due_manual),
            val(&self.paid),
            val(&self.paid_date),
        ]
    }
    fn from_row(r: &Row) -> rusqlite::Result<Self> {
        Ok(Dues {
            id: r.get(0)?,
            month: r.get(1)?,
            member_id: r.get(2)?,
            org_id: r.get(3)?,
            base: r.get(4)?,
            person_type: r.get(5)?,
            due: r.get(6)?,
            due_manual: r.get(7)?,
            paid: r.get(8)?,
            paid_date: r.get(9)?,
        })
    }
    fn title(&self) -> String {
        format!(
            "{} 党员#{} 应交{} 实交{}",
            self.month, self.member_id, self.due, self.paid
        )
    }
}
