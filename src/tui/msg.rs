//! What screens ask the app to do (`Msg`), in one place every screen can
//! import without importing the app. Variants carry named fields where a
//! position alone would not say what a value means.

use std::path::PathBuf;

use crate::domain::dates::Month;
use crate::domain::records::*;
use crate::exchange::SettingsChoice;
use crate::report::Format;
use crate::store::ListFilter;
use crate::tui::screens::ScreenId;
use crate::tui::widgets::fields::RefKind;

/// The sub-lists opened from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubKind {
    Coverage,
    Assignments,
    Visits,
    Assessments,
}

/// What screens ask the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Goto(ScreenId),
    /// Go to a list showing only the records of one filter (this org's members).
    GotoFiltered {
        screen: ScreenId,
        filter: ListFilter,
        /// What the list's title says of the filter (`单位=…`).
        label: String,
    },
    /// A record's sub-list: `id` and `name` are the record's.
    OpenSub {
        kind: SubKind,
        id: i64,
        name: String,
    },
    CloseSub,
    AskVoid {
        table: &'static str,
        kind: &'static str,
        id: i64,
        title: String,
    },
    /// The form's text changed: keep a draft soon.
    FormChanged,
    /// Keep a draft now (focus moved to another field).
    KeepDraft,
    SaveForm,
    LeaveForm,
    /// F5 in a pick list: open the full form of that kind with the name
    /// typed; saved, it is picked in the form the pick list came from.
    AddReferenced {
        kind: RefKind,
        name: String,
    },
    Status(String),
    Undo,
    Redo,
    /// Take a record out of the recycle bin.
    Restore {
        table: &'static str,
        id: i64,
        title: String,
    },
    /// Ask before deleting a record in the recycle bin for good.
    AskPurge {
        table: &'static str,
        id: i64,
        title: String,
    },
    SaveSettings(Box<Settings>),
    OpenSettings,
    NewUnit,
    StartDemo,
    AskImport,
    /// Check (dry run) or import the file at the path.
    Import {
        path: PathBuf,
        dry_run: bool,
    },
    /// Import the file, replacing or keeping the settings already set that
    /// its 设置 sheet changes (the answer to the confirmation).
    ImportWith {
        path: PathBuf,
        settings: SettingsChoice,
    },
    /// Open the record a to-do line names.
    OpenNamed {
        screen: ScreenId,
        name: String,
    },
    /// The overview's month changed.
    OverviewMonth(Month),
    /// F4 in the meeting editor: copy the setup of the org's last meeting.
    CopyLastMeeting {
        org_id: i64,
    },
    /// Save a meeting; with the reason it lacks a quorum, ask first.
    SaveMeeting {
        meeting: Box<Meeting>,
        /// Why it lacks a quorum: the clerk is asked before it is saved.
        no_quorum: Option<String>,
    },
    SaveFund(Box<FundEntry>),
    SaveDues(Box<Dues>),
    /// 生成本月党费 for an org.
    GenerateDues {
        org_id: i64,
        month: Month,
    },
    /// F9 on the report screen: print or export the month's report into a folder.
    ReportOut {
        month: Month,
        way: Output,
        dir: PathBuf,
    },
    /// F4 on the report screen: the issued reports and what changed since.
    ShowIssued,
    /// F8 on the report screen: undo the last import.
    UndoImport,
    Quit,
}

/// The way out chosen in the report screen's F9 form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Print,
    File(Format),
}
