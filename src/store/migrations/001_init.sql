-- djtz ledger schema, version 1.
-- Money is INTEGER fen; dates are ISO 'YYYY-MM-DD' text; months 'YYYY-MM'.
-- Every record table has voided_at: NULL = live, else the time it went to
-- the recycle bin (回收站).


CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    credit_code   TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL,
    industry      TEXT NOT NULL DEFAULT '',
    village       TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    investor      TEXT NOT NULL DEFAULT '',
    contact       TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    employees     INTEGER CHECK (employees IS NULL OR employees >= 0),
    status        TEXT NOT NULL DEFAULT '正常',
    has_union     INTEGER,
    has_league    INTEGER,
    has_women     INTEGER,
    no_org_reason TEXT NOT NULL DEFAULT '',
    needs         TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    voided_at     TEXT
);
CREATE UNIQUE INDEX units_name ON units (name) WHERE voided_at IS NULL;

CREATE TABLE party_orgs (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    org_type      TEXT NOT NULL,
    formation     TEXT NOT NULL,
    parent_id     INTEGER REFERENCES party_orgs (id),
    established   TEXT NOT NULL,
    dissolved     TEXT CHECK (dissolved IS NULL OR dissolved >= established),
    elected       TEXT,
    secretary     TEXT NOT NULL DEFAULT '',
    has_committee INTEGER NOT NULL DEFAULT 0,
    group_count   INTEGER NOT NULL DEFAULT 0 CHECK (group_count >= 0),
    note          TEXT NOT NULL DEFAULT '',
    voided_at     TEXT
);
CREATE UNIQUE INDEX party_orgs_name ON party_orgs (name) WHERE voided_at IS NULL;

CREATE TABLE coverages (
    id        INTEGER PRIMARY KEY,
    org_id    INTEGER NOT NULL REFERENCES party_orgs (id),
    unit_id   INTEGER NOT NULL REFERENCES units (id),
    from_date TEXT NOT NULL,
    to_date   TEXT CHECK (to_date IS NULL OR to_date >= from_date),
    voided_at TEXT
);
CREATE INDEX coverages_org ON coverages (org_id);
CREATE INDEX coverages_unit ON coverages (unit_id);

CREATE TABLE members (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL CHECK (name <> ''),
    gender         TEXT,
    birth          TEXT,
    id_number      TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    org_id         INTEGER NOT NULL REFERENCES party_orgs (id),
    unit_id        INTEGER REFERENCES units (id),
    category       TEXT NOT NULL,
    joined         TEXT,
    confirmed      TEXT,
    status         TEXT NOT NULL DEFAULT '在册',
    left_date      TEXT,
    floating       INTEGER NOT NULL DEFAULT 0,
    reported       TEXT,
    new_employment TEXT,
    party_post     TEXT,
    note           TEXT NOT NULL DEFAULT '',
    voided_at      TEXT
);
CREATE INDEX members_org ON members (org_id);
CREATE INDEX members_unit ON members (unit_id);
CREATE INDEX members_name ON members (name);
CREATE UNIQUE INDEX members_id_number ON members (id_number)
    WHERE id_number <> '' AND voided_at IS NULL;

CREATE TABLE instructors (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL CHECK (name <> ''),
    gender    TEXT,
    phone     TEXT NOT NULL DEFAULT '',
    source    TEXT NOT NULL,
    workplace TEXT NOT NULL DEFAULT '',
    appointed TEXT NOT NULL,
    left_date TEXT CHECK (left_date IS NULL OR left_date >= appointed),
    note      TEXT NOT NULL DEFAULT '',
    voided_at TEXT
);
CREATE UNIQUE INDEX instructors_name ON instructors (name) WHERE voided_at IS NULL;

CREATE TABLE assignments (
    id            INTEGER PRIMARY KEY,
    instructor_id INTEGER NOT NULL REFERENCES instructors (id),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    start_date    TEXT NOT NULL,
    end_date      TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    voided_at     TEXT
);
CREATE INDEX assignments_instructor ON assignments (instructor_id);
CREATE INDEX assignments_unit ON assignments (unit_id);

CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    instructor_id INTEGER NOT NULL REFERENCES instructors (id),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    date          TEXT NOT NULL,
    mode          TEXT NOT NULL DEFAULT '走访',
    content       TEXT NOT NULL DEFAULT '',
    problems      TEXT NOT NULL DEFAULT '',
    resolved      INTEGER,
    voided_at     TEXT
);
CREATE INDEX visits_instructor ON visits (instructor_id, date);
CREATE INDEX visits_date ON visits (date);

CREATE TABLE assessments (
    id            INTEGER PRIMARY KEY,
    instructor_id INTEGER NOT NULL REFERENCES instructors (id),
    year          INTEGER NOT NULL,
    grade         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    voided_at     TEXT
);
CREATE UNIQUE INDEX assessments_year ON assessments (instructor_id, year)
    WHERE voided_at IS NULL;

CREATE TABLE meetings (
    id        INTEGER PRIMARY KEY,
    org_id    INTEGER NOT NULL REFERENCES party_orgs (id),
    kinds     INTEGER NOT NULL CHECK (kinds > 0 AND kinds < 128),
    date      TEXT NOT NULL,
    place     TEXT NOT NULL DEFAULT '',
    host      TEXT NOT NULL DEFAULT '',
    recorder  TEXT NOT NULL DEFAULT '',
    lecturer  TEXT NOT NULL DEFAULT '',
    topic     TEXT NOT NULL DEFAULT '',
    summary   TEXT NOT NULL DEFAULT '',
    voided_at TEXT
);
CREATE INDEX meetings_org_date ON meetings (org_id, date);
CREATE INDEX meetings_date ON meetings (date);

CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id),
    status     TEXT NOT NULL CHECK (status IN ('出席', '请假', '缺席')),
    reason     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;
CREATE INDEX attendance_member ON attendance (member_id);

CREATE TABLE fund_entries (
    id        INTEGER PRIMARY KEY,
    date      TEXT NOT NULL,
    org_id    INTEGER REFERENCES party_orgs (id),
    direction TEXT NOT NULL CHECK (direction IN ('收入', '支出')),
    category  TEXT NOT NULL,
    amount    INTEGER NOT NULL CHECK (amount > 0),
    voucher   TEXT NOT NULL DEFAULT '',
    handler   TEXT NOT NULL DEFAULT '',
    summary   TEXT NOT NULL DEFAULT '',
    voided_at TEXT
);
CREATE INDEX fund_entries_date ON fund_entries (date);
CREATE INDEX fund_entries_org ON fund_entries (org_id);

CREATE TABLE dues (
    id          INTEGER PRIMARY KEY,
    month       TEXT NOT NULL,
    member_id   INTEGER NOT NULL REFERENCES members (id),
    org_id      INTEGER NOT NULL REFERENCES party_orgs (id),
    base        INTEGER CHECK (base IS NULL OR base >= 0),
    person_type TEXT,
    due         INTEGER NOT NULL CHECK (due >= 0),
    due_manual  INTEGER NOT NULL DEFAULT 0,
    paid        INTEGER NOT NULL CHECK (paid >= 0),
    paid_date   TEXT,
    voided_at   TEXT
);
CREATE UNIQUE INDEX dues_member_month ON dues (member_id, month) WHERE voided_at IS NULL;
CREATE INDEX dues_month ON dues (month);
CREATE INDEX dues_org_month ON dues (org_id, month);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per user action (a save, a void, an import, an undo …).
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('edit', 'import', 'demo', 'undo', 'redo')),
    description TEXT NOT NULL,
    reverts     INTEGER REFERENCES changes (id),
    reverted_by INTEGER REFERENCES changes (id)
);

-- 操作日志: every insert, update, void, restore and purge with before/after.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    change_id  INTEGER NOT NULL REFERENCES changes (id),
    at         TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('insert', 'update', 'void', 'restore', 'purge')),
    table_name TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    before     TEXT,
    after      TEXT,
    -- For a purge: when the purged record had been voided (NULL = it was live).
    voided_at  TEXT
);
CREATE INDEX audit_change ON audit (change_id);
CREATE INDEX audit_record ON audit (table_name, record_id);

-- Forms being edited, offered back after a crash.
CREATE TABLE drafts (
    key      TEXT PRIMARY KEY,
    json     TEXT NOT NULL,
    saved_at TEXT NOT NULL
);

-- Reports as issued (printed or written to a file).
CREATE TABLE issued_reports (
    id        INTEGER PRIMARY KEY,
    month     TEXT NOT NULL,
    format    TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    json      TEXT NOT NULL
);
CREATE INDEX issued_reports_month ON issued_reports (month, issued_at);
