//! What screens ask the app to do (`Msg`), in one place every screen can
//! import without importing the app. Variants carry named fields where a
//! position alone would not say what a value means.

use std::path::PathBuf;

use crate::domain::dates::Month;
use crate::domain::records::*;
use crate::exchange::SettingsChoice;
pub use crate::ops::issue::Output;
use crate::store::ListFilter;
use crate::tui::drafts::Draft;
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

/// Where the name picked from a pick list goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    /// The form field at this position (F5 in the list adds a record).
    Field(usize),
    /// The screen's own choice (the dues sheet's org); F5 adds nothing.
    Choice,
}

/// A record a form hands the app to save.
#[derive(Debug, Clone, PartialEq)]
pub enum Rec {
    Unit(Unit),
    Org(PartyOrg),
    Member(Member),
    Instructor(Instructor),
    Coverage(Coverage),
    Assignment(Assignment),
    Visit(Visit),
    Assessment(InstructorAssessment),
    Meeting(Meeting),
    Fund(FundEntry),
    Dues(Dues),
    Settings(Settings),
}

/// What screens (and the answers of dialogs) ask the app to do.
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
    /// 作废 confirmed.
    Void {
        table: &'static str,
        id: i64,
    },
    /// The form's text changed: keep a draft soon.
    FormChanged,
    /// Keep a draft now (focus moved to another field).
    KeepDraft,
    /// F6 in a form: the app asks the form for its save message.
    SaveForm,
    /// Save a record (built by the form); its draft, if it has one, is
    /// deleted in the same commit.
    Save {
        record: Box<Rec>,
        draft_key: Option<String>,
    },
    /// Esc in a form: ask first when something is unsaved.
    LeaveForm,
    /// 保存 in the leave dialog: save, and leave when it was saved.
    SaveAndLeave,
    /// 不保存: close the form, its draft deleted.
    DiscardForm,
    /// 保存 in the quit dialog: save, and quit when nothing is unsaved.
    SaveAndQuit,
    /// 不保存 in the quit dialog.
    DiscardAndQuit,
    /// 恢复 in the draft offer.
    RestoreDraft(Box<Draft>),
    /// 丢弃 in the draft offer: delete it, then offer the next one.
    DropDraft {
        key: String,
    },
    /// F7 on a reference: open the pick list of `kind` over the screen,
    /// its filter starting with `filter`; the name picked goes to `target`.
    Pick {
        kind: RefKind,
        filter: String,
        target: PickFor,
    },
    /// A name picked from a pick list, for the screen in front.
    Picked {
        target: PickFor,
        id: i64,
        name: String,
    },
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
    /// The first purge question answered yes: ask once more.
    AskPurgeAgain {
        table: &'static str,
        id: i64,
        title: String,
    },
    /// Both purge questions answered yes.
    Purge {
        table: &'static str,
        id: i64,
    },
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
    /// A 支部党员大会 without a quorum: ask before it is saved.
    AskNoQuorum {
        meeting: Box<Meeting>,
        draft_key: Option<String>,
        /// Why it lacks a quorum.
        why: String,
    },
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
    /// The writer has quit: switch this read-only copy to editing.
    SwitchWritable,
    /// 继续只读: not asked again.
    StayReadOnly,
    Quit,
}
