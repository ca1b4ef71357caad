//! The application: state of every screen, the message queue, and
//! `update`, the only place that calls the store (one transaction per user
//! action) and reloads what changed.

mod timers;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::dates::Month;
use crate::domain::records::*;
use crate::domain::text::{pad_right, truncate_width, width};
use crate::error::Result;
use crate::exchange::SettingsChoice;
use crate::report::MonthlyReport;
use crate::store::{BinAction, ListFilter, Store};
use crate::tui::drafts::{self, DraftWriter};
use crate::tui::event::{Input, Key, fold_digit};
use crate::tui::figures::Figures;
use crate::tui::keymap::{DIALOG_KEYS, HELP_KEYS};
use crate::tui::screens::funds::Funds;
use crate::tui::screens::meetings::Meetings;
use crate::tui::screens::overview::Overview;
use crate::tui::screens::recycle::Recycle;
use crate::tui::screens::register::{Draft, RegList, Register};
use crate::tui::screens::reports::Reports;
use crate::tui::screens::settings::SettingsScreen;
use crate::tui::screens::{Ctx, GLOBAL_HELP, Lookups, ScreenId};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{Dialog, TextView, choice};
use crate::tui::widgets::fields::RefKind;
use crate::tui::widgets::fkey_bar;
use crate::tui::widgets::help::Help;

pub use crate::tui::msg::{Msg, Output, SubKind};

pub enum Sub {
    Coverage(RegList<Coverage>),
    Assignments(RegList<Assignment>),
    Visits(RegList<Visit>),
    Assessments(RegList<InstructorAssessment>),
}

#[derive(Debug, Clone)]
enum Pending {
    Void(&'static str, i64),
    Purge(&'static str, i64, String),
    PurgeAgain(&'static str, i64),
    Leave,
    Quit,
    Draft(Box<Draft>),
    Import(PathBuf),
    /// The import's confirmation that also asks about the settings.
    ImportSettings(PathBuf),
    SaveMeeting(Box<Meeting>),
    /// The writer has quit: switch this read-only copy to editing?
    SwitchWritable,
}

/// The import confirmation when the file's 设置 sheet differs.
const T_SETTINGS_DIFFER: &str = "文件“设置”表与台账现有设置不同：";
const T_SETTINGS_CHOICE: &str =
    "1 替换：改用文件中的设置；2 保留现有设置：只补上尚未设置的项；Esc 返回，不导入。";

/// Shown in a form opened from a pick list.
const T_NESTED_NOTE: &str = "保存（F6）后回到原来的表单并选中它；Esc 返回不选";

/// A form opened from a pick list (F5) over the form it was opened from.
struct Nested {
    kind: RefKind,
    /// The screen of the original form.
    from: ScreenId,
    /// The sub-list the original form is in, kept aside meanwhile.
    sub: Option<Sub>,
    /// The original form when it is of the same kind (上级党组织 of an org).
    org_form: Option<crate::tui::screens::register::Editing<PartyOrg>>,
}

/// The screen whose form adds a record of a kind.
fn screen_of(k: RefKind) -> ScreenId {
    match k {
        RefKind::Unit => ScreenId::Units,
        RefKind::Org => ScreenId::Orgs,
        RefKind::Instructor => ScreenId::Instructors,
    }
}

/// Runs `$body` with `$l` bound to the register list in front, if any.
macro_rules! on_list {
    ($app:ident, $l:ident => $body:expr, _ => $other:expr) => {
        match (&mut $app.sub, $app.screen) {
            (Some(Sub::Coverage($l)), _) => $body,
            (Some(Sub::Assignments($l)), _) => $body,
            (Some(Sub::Visits($l)), _) => $body,
            (Some(Sub::Assessments($l)), _) => $body,
            (None, ScreenId::Units) => {
                let $l = &mut $app.units;
                $body
            }
            (None, ScreenId::Orgs) => {
                let $l = &mut $app.orgs;
                $body
            }
            (None, ScreenId::Members) => {
                let $l = &mut $app.members;
                $body
            }
            (None, ScreenId::Instructors) => {
                let $l = &mut $app.instructors;
                $body
            }
            _ => $other,
        }
    };
}

/// The read-only context screens get.
macro_rules! ctx {
    ($app:ident) => {
        Ctx {
            today: $app.today,
            lookups: &$app.lookups,
            settings: &$app.settings,
            theme: $app.theme,
            read_only: $app.store.read_only().map(|r| r.message()),
        }
    };
}

pub struct App {
    pub store: Store,
    pub today: NaiveDate,
    pub settings: Settings,
    pub theme: Theme,
    pub lookups: Lookups,
    pub screen: ScreenId,
    back_to: ScreenId,
    pub overview: Overview,
    pub units: RegList<Unit>,
    pub orgs: RegList<PartyOrg>,
    pub members: RegList<Member>,
    pub instructors: RegList<Instructor>,
    pub meetings: Meetings,
    pub funds: Funds,
    pub reports: Reports,
    pub sub: Option<Sub>,
    pub recycle: Recycle,
    pub settings_screen: SettingsScreen,
    dialog: Option<(Dialog, Pending)>,
    help: Option<Help>,
    view: Option<TextView>,
    pub status: Option<String>,
    pub quit: bool,
    /// The ledger in use is the demo ledger.
    pub demo: bool,
    /// Heavy data (lookups, figures) loaded: false for the very first frame.
    pub loaded: bool,
    /// When the oldest change not yet kept in a draft was typed.
    draft_since: Option<Instant>,
    /// Writes the drafts off this thread.
    drafts: DraftWriter,
    /// The time of the input being handled (`handle_at`).
    now: Instant,
    /// Other copies of the program: see timers.rs.
    watch: timers::Watch,
    pub size: (u16, u16),
    /// The month's figures, computed by a worker thread.
    figures: Figures,
    /// Bumped after every write: figures of an older version are stale.
    version: u64,
    /// The report the org facts shown were taken from.
    orgs_report: Option<Arc<MonthlyReport>>,
    /// The same for the facts beside a unit and an instructor.
    units_report: Option<Arc<MonthlyReport>>,
    instructors_report: Option<Arc<MonthlyReport>>,
    /// A form opened from a pick list, over the original form.
    nested: Option<Nested>,
}

/// The demo ledger beside the real one: `djtz.db` → `djtz-演示.db`.
pub fn demo_path(real: &Path) -> PathBuf {
    let stem = real
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "djtz".into());
    let ext = real
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    real.with_file_name(format!("{stem}-演示{ext}"))
}

/// Whether a ledger file is a demo ledger (by its name).
pub fn is_demo_path(p: &Path) -> bool {
    p.file_stem()
        .is_some_and(|s| s.to_string_lossy().ends_with("-演示"))
}

impl App {
    /// A new app on an open store; nothing heavy is read yet.
    pub fn new(store: Store, today: NaiveDate) -> Self {
        let demo = is_demo_path(store.path());
        let figures = Figures::start(store.path());
        let drafts = DraftWriter::start(store.path());
        App {
            store,
            today,
            settings: Settings::default(),
            theme: Theme::new(false),
            lookups: Lookups::default(),
            screen: ScreenId::Overview,
            back_to: ScreenId::Overview,
            overview: Overview::new(Month::of(today)),
            units: RegList::new(),
            orgs: RegList::new(),
            members: RegList::new(),
            instructors: RegList::new(),
            meetings: Meetings::new(Month::of(today)),
            funds: Funds::new(Month::of(today)),
            reports: Reports::new(Month::of(today)),
            sub: None,
            recycle: Recycle::default(),
            settings_screen: SettingsScreen::default(),
            dialog: None,
            help: None,
            view: None,
            status: None,
            quit: false,
            demo,
            loaded: false,
            draft_since: None,
            drafts,
            now: Instant::now(),
            watch: timers::Watch::new(),
            size: (80, 24),
            figures,
            version: 0,
            orgs_report: None,
            units_report: None,
            instructors_report: None,
            nested: None,
        }
    }

    /// Reads settings, names and figures, and offers back a draft left by
    /// a crash. Called after the first frame.
    pub fn load(&mut self) {
        if let Err(e) = self.load_inner() {
            self.status = Some(e.message);
        }
        self.loaded = true;
        self.offer_draft();
        self.refresh();
    }

    fn load_inner(&mut self) -> Result<()> {
        self.watch.reset(&self.store);
        self.settings = self.store.settings()?;
        self.theme = Theme::new(self.settings.unicode_borders);
        self.load_lookups()?;
        self.overview.stale = true;
        Ok(())
    }

    fn load_lookups(&mut self) -> Result<()> {
        self.lookups = Lookups {
            orgs: self.store.names::<PartyOrg>()?,
            units: self.store.names::<Unit>()?,
            instructors: self.store.names::<Instructor>()?,
        };
        Ok(())
    }

    fn offer_draft(&mut self) {
        self.drafts.flush();
        let Ok(drafts) = self.store.drafts() else {
            return;
        };
        let Some(d) = drafts
            .iter()
            .find_map(|(_, j)| serde_json::from_str::<Draft>(j).ok())
        else {
            return;
        };
        let lines = vec![
            "上次有未保存的内容（可能是程序意外退出或断电）：".to_string(),
            format!("  {}", d.title),
            "恢复后请核对，再按 F6 保存。".to_string(),
        ];
        self.dialog = Some((
            Dialog::new(
                "发现草稿",
                lines,
                vec![
                    choice('Y', "恢复"),
                    choice('N', "丢弃"),
                    choice('\u{1b}', "以后再说"),
                ],
                '\u{1b}',
            ),
            Pending::Draft(Box::new(d)),
        ));
        if let Some((dl, _)) = &mut self.dialog {
            dl.selected = 0;
        }
    }

    // ----- input -----

    pub fn handle(&mut self, input: Input) {
        self.handle_at(input, Instant::now());
    }

    /// Handles one input that came at `now` (tests and benches give the
    /// time; `handle` takes the clock's). A tick keeps the draft that is
    /// due and looks at the ledger for other copies (timers.rs).
    pub fn handle_at(&mut self, input: Input, now: Instant) {
        self.now = now;
        match input {
            Input::Resize(w, h) => self.size = (w, h),
            Input::Tick => {
                if self.draft_since.is_some() {
                    self.keep_draft();
                }
                self.watch_ledger();
            }
            Input::Paste(s) => self.paste(&s),
            Input::Key(k) => {
                let mut out = Vec::new();
                self.key(k, &mut out);
                for m in out {
                    self.update(m);
                }
            }
        }
        self.timers_due();
        self.draft_failure_to_status();
        self.refresh();
    }

    /// Takes the figures the worker finished; true when the screen in
    /// front changed (the run loop then draws).
    pub fn poll_figures(&mut self) -> bool {
        if self.figures.poll() {
            self.refresh();
            return true;
        }
        false
    }

    /// Figures are being computed (the run loop wakes sooner meanwhile).
    pub fn figures_pending(&self) -> bool {
        self.figures.pending()
    }

    /// Waits until the figures the screen in front needs are in, and shows
    /// them (tests and benches: the same screen every run).
    pub fn settle(&mut self) {
        self.drafts.flush();
        self.draft_failure_to_status();
        while self.figures.pending() {
            self.figures.wait();
            self.refresh();
        }
    }

    fn too_small(&self) -> bool {
        self.size.0 < 80 || self.size.1 < 24
    }

    fn text_focus(&self) -> bool {
        match (&self.sub, self.screen) {
            (Some(Sub::Coverage(l)), _) => l.text_focus(),
            (Some(Sub::Assignments(l)), _) => l.text_focus(),
            (Some(Sub::Visits(l)), _) => l.text_focus(),
            (Some(Sub::Assessments(l)), _) => l.text_focus(),
            (None, ScreenId::Units) => self.units.text_focus(),
            (None, ScreenId::Orgs) => self.orgs.text_focus(),
            (None, ScreenId::Members) => self.members.text_focus(),
            (None, ScreenId::Instructors) => self.instructors.text_focus(),
            (None, ScreenId::Settings) => true,
            (None, ScreenId::Overview) => self.overview.text_focus(),
            (None, ScreenId::Recycle) => false,
            (None, ScreenId::Meetings) => self.meetings.text_focus(),
            (None, ScreenId::Funds) => self.funds.text_focus(),
            (None, ScreenId::Reports) => self.reports.text_focus(),
        }
    }

    /// Something typed and not saved, anywhere.
    pub fn unsaved(&self) -> bool {
        let sub = match &self.sub {
            Some(Sub::Coverage(l)) => l.dirty(),
            Some(Sub::Assignments(l)) => l.dirty(),
            Some(Sub::Visits(l)) => l.dirty(),
            Some(Sub::Assessments(l)) => l.dirty(),
            None => false,
        };
        sub || self.units.dirty()
            || self.orgs.dirty()
            || self.members.dirty()
            || self.instructors.dirty()
            || self.settings_screen.dirty()
            || self.meetings.dirty()
            || self.funds.dirty()
    }

    /// The screen in front takes digits as input (the dues sheet).
    fn digits_taken(&self) -> bool {
        self.screen == ScreenId::Funds && self.funds.takes_digits()
    }

    fn is_list_screen(&self) -> bool {
        matches!(
            self.screen,
            ScreenId::Units
                | ScreenId::Orgs
                | ScreenId::Members
                | ScreenId::Instructors
                | ScreenId::Meetings
                | ScreenId::Funds
        )
    }

    fn key(&mut self, k: Key, out: &mut Vec<Msg>) {
        if self.too_small() {
            if matches!(k, Key::F(10) | Key::Esc) {
                out.push(Msg::Quit);
            }
            return;
        }
        if let Some((d, _)) = &mut self.dialog {
            if let Some(answer) = d.key(k)
                && let Some((_, p)) = self.dialog.take()
            {
                self.answer(p, answer, out);
            }
            return;
        }
        if let Some(h) = &mut self.help {
            if !h.key(k) {
                self.help = None;
            }
            return;
        }
        if let Some(v) = &mut self.view {
            match k {
                Key::Esc | Key::F(10) => self.view = None,
                other => v.key(other),
            }
            return;
        }
        let text = self.text_focus();
        match k {
            Key::F(10) => return out.push(Msg::Quit),
            Key::F(1) => return self.open_help(),
            Key::Char(c) if !text && fold_digit(c) == '?' => return self.open_help(),
            // The dues sheet takes digits as the amount paid.
            Key::Char(c) if !text && !self.digits_taken() => {
                if let Some(s) = ScreenId::from_digit(fold_digit(c)) {
                    return out.push(Msg::Goto(s));
                }
            }
            Key::Ctrl('z') if !text => return out.push(Msg::Undo),
            Key::Ctrl('y') if !text => return out.push(Msg::Redo),
            Key::F(2) if !text && self.is_list_screen() => {
                self.back_to = self.screen;
                return out.push(Msg::Goto(ScreenId::Recycle));
            }
            _ => {}
        }
        let cx = ctx!(self);
        let used = match self.screen {
            ScreenId::Overview => self.overview.key(k, &cx, out),
            ScreenId::Recycle => self.recycle.key(k, &cx, out),
            ScreenId::Settings => self.settings_screen.key(k, &cx, out),
            ScreenId::Meetings => self.meetings.key(k, &cx, out),
            ScreenId::Funds => self.funds.key(k, &cx, out),
            ScreenId::Reports => self.reports.key(k, &cx, out),
            _ => {
                let sub_tab = matches!(k, Key::Tab | Key::BackTab)
                    && self.sub.is_some()
                    && !text
                    && self.screen == ScreenId::Instructors;
                if sub_tab {
                    self.cycle_sub(k == Key::Tab);
                    return;
                }
                on_list!(self, l => l.key(k, &cx, out), _ => false)
            }
        };
        if !used && k == Key::Esc && self.screen == ScreenId::Recycle {
            out.push(Msg::Goto(self.back_to));
        }
    }

    fn paste(&mut self, s: &str) {
        if let Some(h) = &mut self.help {
            for c in s.chars().filter(|c| !c.is_control()) {
                h.key(Key::Char(c));
            }
            return;
        }
        if self.dialog.is_some() || self.view.is_some() {
            return;
        }
        match self.screen {
            ScreenId::Settings => self.settings_screen.paste(s),
            ScreenId::Overview => self.overview.paste(s),
            ScreenId::Meetings => self.meetings.paste(s),
            ScreenId::Funds => self.funds.paste(s),
            ScreenId::Reports => self.reports.paste(s),
            ScreenId::Recycle => {}
            _ => on_list!(self, l => l.paste(s), _ => ()),
        }
        self.draft_soon();
    }

    fn open_help(&mut self) {
        let mut entries: Vec<(String, String)> = match self.screen {
            ScreenId::Overview => self.overview.help(),
            ScreenId::Recycle => self.recycle.help(),
            ScreenId::Settings => self.settings_screen.help(),
            ScreenId::Meetings => self.meetings.help(),
            ScreenId::Funds => self.funds.help(),
            ScreenId::Reports => self.reports.help(),
            _ => on_list!(self, l => l.help(), _ => Vec::new()),
        };
        if self.sub.is_some() && self.screen == ScreenId::Instructors {
            entries.push(("Tab".into(), "切换 联系单位 / 走访记录 / 年度考核".into()));
        }
        entries.extend(
            GLOBAL_HELP
                .iter()
                .map(|(k, d)| (k.to_string(), d.to_string())),
        );
        self.help = Some(Help::new(self.screen_title(), entries));
    }

    fn cycle_sub(&mut self, forward: bool) {
        let Some(sub) = &self.sub else {
            return;
        };
        let (id, name) = match sub {
            Sub::Assignments(l) => l.parent.clone(),
            Sub::Visits(l) => l.parent.clone(),
            Sub::Assessments(l) => l.parent.clone(),
            Sub::Coverage(_) => return,
        }
        .unwrap_or_default();
        let order = [SubKind::Assignments, SubKind::Visits, SubKind::Assessments];
        let cur = match sub {
            Sub::Assignments(_) => 0,
            Sub::Visits(_) => 1,
            _ => 2,
        };
        let next = if forward {
            (cur + 1) % 3
        } else {
            (cur + 2) % 3
        };
        self.open_sub(order[next], id, &name);
    }

    fn open_sub(&mut self, kind: SubKind, id: i64, name: &str) {
        self.sub = Some(match kind {
            SubKind::Coverage => Sub::Coverage(RegList::with_parent(
                id,
                name,
                ListFilter::CoverageOfOrg(id),
            )),
            SubKind::Assignments => Sub::Assignments(RegList::with_parent(
                id,
                name,
                ListFilter::AssignmentOfInstructor(id),
            )),
            SubKind::Visits => {
                let mut l = RegList::with_parent(id, name, ListFilter::VisitOfInstructor(id));
                l.suggest = self
                    .store
                    .least_recently_visited(id, self.today)
                    .ok()
                    .flatten()
                    .map(|(u, _)| u);
                Sub::Visits(l)
            }
            SubKind::Assessments => Sub::Assessments(RegList::with_parent(
                id,
                name,
                ListFilter::AssessmentOfInstructor(id),
            )),
        });
    }

    // ----- update -----

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Goto(s) => self.goto(s),
            Msg::GotoFiltered {
                screen: s,
                filter: f,
                label,
            } => {
                if s == ScreenId::Members {
                    self.members.fixed = vec![(label, f)];
                    self.members.sel = 0;
                    self.members.reload();
                }
                self.goto(s);
            }
            Msg::OpenSub { kind, id, name } => self.open_sub(kind, id, &name),
            Msg::CloseSub => {
                self.sub = None;
                self.mark_stale();
            }
            Msg::AskVoid {
                table,
                kind,
                id,
                title,
            } => {
                if self.refused_read_only() {
                    return;
                }
                self.dialog = Some((
                    Dialog::new(
                        "作废",
                        vec![
                            format!("作废{kind}“{title}”？"),
                            "作废后不再计入任何统计，可在回收站（F2）恢复。".to_string(),
                        ],
                        vec![choice('Y', "作废"), choice('N', "取消")],
                        'N',
                    ),
                    Pending::Void(table, id),
                ));
            }
            Msg::FormChanged => self.draft_soon(),
            Msg::KeepDraft => self.keep_draft(),
            Msg::SaveForm => {
                self.save_form();
            }
            Msg::LeaveForm => self.leave_form(),
            Msg::AddReferenced { kind, name } => self.add_referenced(kind, &name),
            Msg::Status(s) => self.status = Some(s),
            Msg::Undo | Msg::Redo => self.undo_redo(msg == Msg::Undo),
            Msg::Restore { table, id, title } => {
                match self.store.bin_action(table, id, BinAction::Restore) {
                    Ok(()) => {
                        self.status = Some(format!("已恢复：{title}"));
                        self.after_change();
                    }
                    Err(e) => self.status = Some(e.message),
                }
            }
            Msg::AskPurge { table, id, title } => {
                let mut lines = vec![format!("彻底删除“{title}”？")];
                lines.extend(super::screens::recycle::purge_note(table));
                lines.push(
                    "删除后不能恢复（操作日志中仍有记录）。按 Y 继续，回车为取消。".to_string(),
                );
                let mut d = Dialog::new(
                    "彻底删除",
                    lines,
                    vec![choice('Y', "彻底删除"), choice('N', "取消")],
                    'N',
                );
                d.enter_picks = false;
                self.dialog = Some((d, Pending::Purge(table, id, title)));
            }
            Msg::SaveSettings(s) => match self.store.save_settings(&s) {
                Ok(()) => {
                    self.settings = *s;
                    self.theme = Theme::new(self.settings.unicode_borders);
                    self.settings_screen.saved();
                    self.overview.stale = true;
                    // Settings (township, limits, rules) change the figures.
                    self.version += 1;
                    self.status = Some("设置已保存".to_string());
                }
                Err(e) => self.settings_screen.failed(&e.message),
            },
            Msg::OpenSettings => {
                let cx = ctx!(self);
                self.settings_screen.open(&self.settings, &cx);
                self.goto(ScreenId::Settings);
            }
            Msg::NewUnit => {
                self.goto(ScreenId::Units);
                if !self.refused_read_only() {
                    let cx = ctx!(self);
                    self.units.open_form(None, &cx);
                }
            }
            Msg::StartDemo => self.start_demo(),
            Msg::AskImport => self.overview.ask_import(),
            Msg::Import { path, dry_run } => self.import(&path, dry_run, SettingsChoice::Keep),
            Msg::ImportWith { path, settings } => self.import(&path, false, settings),
            Msg::OpenNamed { screen, name } => self.open_named(screen, &name),
            Msg::OverviewMonth(m) => {
                self.overview.month = m;
                self.overview.stale = true;
            }
            Msg::CopyLastMeeting { org_id: org } => match self.store.last_meeting_of(org) {
                Ok(Some(m)) => {
                    if let Some(e) = &mut self.meetings.editor {
                        e.copy_setup(&m);
                    }
                    self.draft_soon();
                    self.status = Some(format!("已沿用 {} 的会议设置", m.date));
                }
                Ok(None) => self.status = Some("该党组织还没有会议记录可沿用".to_string()),
                Err(e) => self.status = Some(e.message),
            },
            Msg::SaveFund(mut r) => {
                self.drafts.flush();
                let saved = match self.funds.draft_key() {
                    Some(key) => self.store.save_form(&mut *r, &key),
                    None => self.store.save(&mut *r),
                };
                match saved {
                    Ok(()) => {
                        self.draft_since = None;
                        self.status = Some(format!(
                            "已保存：经费 {}（Ctrl+Z 可撤销）",
                            crate::store::Record::title(&*r)
                        ));
                        self.funds.saved_fund(*r);
                        self.after_change();
                    }
                    Err(e) => {
                        self.funds.save_failed(&e.message);
                        self.status = Some(e.message);
                    }
                }
            }
            Msg::SaveDues(mut r) => match self.store.save(&mut *r) {
                Ok(()) => {
                    if self.funds.editor.is_some() {
                        self.status = Some("已保存党费（Ctrl+Z 可撤销）".to_string());
                    }
                    self.funds.saved();
                    // No names change with a payment: only the lists reload.
                    self.version += 1;
                    self.mark_stale();
                }
                Err(e) => {
                    self.funds.save_failed(&e.message);
                    self.status = Some(e.message);
                }
            },
            Msg::GenerateDues { org_id: org, month } => {
                let farmer = self.settings.farmer_dues_fen;
                match self.store.generate_dues(org, month, farmer) {
                    Ok(0) => {
                        self.status = Some(format!(
                            "{}的党费记录已齐全（或该组织为临时组建，不收党费）",
                            month.label()
                        ))
                    }
                    Ok(n) => {
                        self.status = Some(format!(
                            "已生成{}党费 {n} 人，应交按标准计算（Ctrl+Z 可撤销）",
                            month.label()
                        ));
                        self.funds.saved();
                        self.after_change();
                    }
                    Err(e) => self.status = Some(e.message),
                }
            }
            Msg::ReportOut { month, way, dir } => self.report_out(month, way, &dir),
            Msg::ShowIssued => self.show_issued(),
            Msg::UndoImport => {
                if self.refused_read_only() {
                    return;
                }
                match self.store.undo_last_import() {
                    Ok(Some(s)) => {
                        self.status = Some(format!("已撤销：{}", s.description));
                        self.reports.stale = true;
                        self.after_change();
                    }
                    Ok(None) => self.status = Some("没有可撤销的导入".to_string()),
                    Err(e) => self.status = Some(e.message),
                }
            }
            Msg::SaveMeeting {
                meeting: m,
                no_quorum: None,
            } => {
                self.store_meeting(*m);
            }
            Msg::SaveMeeting {
                meeting: m,
                no_quorum: Some(why),
            } => {
                self.dialog = Some((
                    Dialog::new(
                        "不足法定人数",
                        vec![
                            why,
                            "支部党员大会须有半数以上正式党员到会。".to_string(),
                            "仍要保存吗？（月报中将提示“党员大会不足法定人数”）".to_string(),
                        ],
                        vec![choice('Y', "仍然保存"), choice('N', "返回修改")],
                        'N',
                    ),
                    Pending::SaveMeeting(m),
                ));
            }
            Msg::Quit => {
                if self.unsaved() {
                    self.dialog = Some((
                        Dialog::new(
                            "退出",
                            vec!["有未保存的内容。".to_string()],
                            vec![
                                choice('Y', "保存"),
                                choice('N', "不保存"),
                                choice('\u{1b}', "返回"),
                            ],
                            '\u{1b}',
                        ),
                        Pending::Quit,
                    ));
                } else {
                    self.quit = true;
                }
            }
        }
    }

    fn answer(&mut self, p: Pending, a: char, out: &mut Vec<Msg>) {
        match (p, a) {
            (Pending::Void(table, id), 'Y') => {
                match self.store.bin_action(table, id, BinAction::Void) {
                    Ok(()) => {
                        self.status = Some("已作废，可在回收站（F2）恢复；Ctrl+Z 撤销".to_string());
                        self.after_change();
                    }
                    Err(e) => self.status = Some(e.message),
                }
            }
            (Pending::Void(..), _) => self.status = Some("已取消".to_string()),
            (Pending::Purge(table, id, title), 'Y') => {
                let mut d = Dialog::new(
                    "再次确认",
                    vec![format!("真的要彻底删除“{title}”吗？此操作不能恢复。")],
                    vec![choice('Y', "彻底删除"), choice('N', "取消")],
                    'N',
                );
                d.enter_picks = false;
                self.dialog = Some((d, Pending::PurgeAgain(table, id)));
            }
            (Pending::PurgeAgain(table, id), 'Y') => {
                match self.store.bin_action(table, id, BinAction::Purge) {
                    Ok(()) => {
                        self.status = Some("已彻底删除".to_string());
                        self.after_change();
                    }
                    Err(e) => self.status = Some(e.message),
                }
            }
            (Pending::Purge(..) | Pending::PurgeAgain(..), _) => {
                self.status = Some("已取消，记录仍在回收站".to_string())
            }
            (Pending::Leave, 'Y') => {
                // Settings leave for the overview once saved; a form with an
                // error stays open with the error shown.
                if self.save_form() && self.screen == ScreenId::Settings {
                    self.settings_screen.discard();
                    self.goto(ScreenId::Overview);
                }
            }
            (Pending::Leave, 'N') => self.discard_form(),
            (Pending::Leave, _) => {}
            (Pending::Quit, 'Y') => {
                if self.save_form() && !self.unsaved() {
                    self.quit = true;
                }
            }
            (Pending::Quit, 'N') => {
                self.discard_form();
                self.settings_screen.discard();
                self.quit = true;
            }
            (Pending::Quit, _) => {}
            (Pending::Draft(d), 'Y') => self.restore_draft(&d),
            (Pending::Draft(d), 'N') => {
                self.drafts.flush();
                self.status = Some(
                    match self.store.delete_draft(&format!("{}:{}", d.table, d.id)) {
                        Ok(()) => "草稿已丢弃".to_string(),
                        Err(e) => drafts::not_deleted(&e.message),
                    },
                );
                self.offer_draft();
            }
            (Pending::Draft(_), _) => {}
            (Pending::SwitchWritable, 'Y') => self.switch_writable(),
            (Pending::SwitchWritable, _) => self.stay_read_only(),
            (Pending::Import(path), 'Y') => out.push(Msg::Import {
                path,
                dry_run: false,
            }),
            (Pending::ImportSettings(path), 'Y') => out.push(Msg::ImportWith {
                path,
                settings: SettingsChoice::Replace,
            }),
            (Pending::ImportSettings(path), 'N') => out.push(Msg::ImportWith {
                path,
                settings: SettingsChoice::Keep,
            }),
            (Pending::Import(_) | Pending::ImportSettings(_), _) => {
                self.status = Some("已取消导入，台账未改动".to_string())
            }
            (Pending::SaveMeeting(m), 'Y') => {
                self.store_meeting(*m);
            }
            (Pending::SaveMeeting(_), _) => {
                self.status = Some("未保存；可修改出勤后再按 F6".to_string())
            }
        }
    }

    fn goto(&mut self, s: ScreenId) {
        if s != self.screen {
            if self.unsaved() && s != ScreenId::Recycle {
                self.status = Some("请先保存（F6）或按 Esc 离开正在编辑的表单".to_string());
                return;
            }
            if s != ScreenId::Recycle {
                self.sub = None;
            }
            if s == ScreenId::Settings || s == ScreenId::Recycle {
                self.back_to =
                    if self.screen == ScreenId::Settings || self.screen == ScreenId::Recycle {
                        self.back_to
                    } else {
                        self.screen
                    };
            }
            self.screen = s;
        }
        if s == ScreenId::Recycle {
            self.recycle.stale = true;
        }
    }

    fn mark_stale(&mut self) {
        self.units.reload();
        self.orgs.reload();
        self.members.reload();
        self.instructors.reload();
        match &mut self.sub {
            Some(Sub::Coverage(l)) => l.reload(),
            Some(Sub::Assignments(l)) => l.reload(),
            Some(Sub::Visits(l)) => l.reload(),
            Some(Sub::Assessments(l)) => l.reload(),
            None => {}
        }
        self.recycle.stale = true;
        self.overview.stale = true;
        self.meetings.stale = true;
        self.funds.stale = true;
        self.reports.stale = true;
    }

    /// After any write: names, lists and figures are read again.
    fn after_change(&mut self) {
        self.version += 1;
        // An import or an undo may have changed the settings too.
        if let Ok(s) = self.store.settings() {
            self.theme = Theme::new(s.unicode_borders);
            self.settings = s;
        }
        if let Err(e) = self.load_lookups() {
            self.status = Some(e.message);
        }
        self.mark_stale();
    }

    fn keep_draft(&mut self) {
        self.draft_since = None;
        let d = match self.screen {
            ScreenId::Meetings => self.meetings.draft(),
            ScreenId::Funds => self.funds.draft(),
            _ => on_list!(self, l => l.draft(), _ => None),
        };
        if let Some((key, json)) = d
            && self.store.read_only().is_none()
        {
            // Written by the drafts worker; by this thread when there is none.
            if let Err((key, json)) = self.drafts.keep(key, json)
                && let Err(e) = self.store.save_draft(&key, &json)
            {
                self.status = Some(drafts::not_kept(&e.message));
            }
        }
    }

    /// Saves the form in front; true when it was saved.
    fn save_form(&mut self) -> bool {
        if self.screen == ScreenId::Settings {
            let mut out = Vec::new();
            self.settings_screen.key(Key::F(6), &ctx!(self), &mut out);
            for m in out {
                self.update(m);
            }
            return !self.settings_screen.dirty();
        }
        if self.screen == ScreenId::Meetings {
            return self.save_meeting();
        }
        if self.screen == ScreenId::Funds {
            let cx = ctx!(self);
            if let Some(why) = cx.read_only {
                self.status = Some(why.to_string());
                return false;
            }
            return match self.funds.build(&cx) {
                Ok(m) => {
                    self.update(m);
                    !self.funds.dirty()
                }
                Err(m) => {
                    self.status = Some(m);
                    false
                }
            };
        }
        // The drafts worker first: the save deletes the form's draft.
        self.drafts.flush();
        let cx = ctx!(self);
        let store = &mut self.store;
        let result: Option<std::result::Result<String, String>> = on_list!(self, l => {
            save_list(store, l, &cx)
        }, _ => None);
        match result {
            Some(Ok(title)) => {
                self.draft_since = None;
                self.status = Some(format!("已保存：{title}（Ctrl+Z 可撤销）"));
                self.after_change();
                self.nested_done(true);
                true
            }
            Some(Err(m)) => {
                self.status = Some(m);
                false
            }
            None => false,
        }
    }

    /// Checks the meeting in the editor; saves it, or asks first when a
    /// 支部党员大会 lacks a quorum. True when it was saved.
    fn save_meeting(&mut self) -> bool {
        let cx = ctx!(self);
        if let Some(why) = cx.read_only {
            self.status = Some(why.to_string());
            return false;
        }
        let Some(e) = &mut self.meetings.editor else {
            return false;
        };
        match e.build(&cx) {
            Err(m) => {
                self.status = Some(m);
                false
            }
            Ok(m) => match e.no_quorum(&m) {
                Some(why) => {
                    self.update(Msg::SaveMeeting {
                        meeting: Box::new(m),
                        no_quorum: Some(why),
                    });
                    false
                }
                None => self.store_meeting(m),
            },
        }
    }

    fn store_meeting(&mut self, mut m: Meeting) -> bool {
        self.drafts.flush();
        let saved = match self.meetings.draft_key() {
            Some(key) => self.store.save_form(&mut m, &key),
            None => self.store.save(&mut m),
        };
        match saved {
            Ok(()) => {
                self.draft_since = None;
                self.status = Some(format!(
                    "已保存：会议 {}（Ctrl+Z 可撤销）",
                    crate::store::Record::title(&m)
                ));
                self.meetings.saved();
                self.after_change();
                true
            }
            Err(e) => {
                self.meetings.save_failed(&e.message);
                self.status = Some(e.message);
                false
            }
        }
    }

    fn leave_form(&mut self) {
        let dirty = on_list!(self, l => l.dirty(), _ => false)
            || self.meetings.dirty()
            || self.funds.dirty()
            || (self.screen == ScreenId::Settings && self.settings_screen.dirty());
        if dirty {
            self.dialog = Some((
                Dialog::new(
                    "离开表单",
                    vec!["表单有未保存的修改。".to_string()],
                    vec![
                        choice('Y', "保存"),
                        choice('N', "不保存"),
                        choice('\u{1b}', "返回"),
                    ],
                    '\u{1b}',
                ),
                Pending::Leave,
            ));
        } else {
            self.discard_form();
        }
    }

    fn discard_form(&mut self) {
        self.drafts.flush();
        if self.screen == ScreenId::Settings {
            self.settings_screen.discard();
            self.goto(ScreenId::Overview);
        }
        if self.screen == ScreenId::Meetings {
            if let Some(k) = self.meetings.draft_key() {
                self.forget_draft(&k);
            }
            self.meetings.close();
        }
        if self.screen == ScreenId::Funds {
            if let Some(k) = self.funds.draft_key() {
                self.forget_draft(&k);
            }
            self.funds.close();
        }
        let key = on_list!(self, l => {
            let k = l.editing.as_ref().map(|e| e.draft_key());
            l.close_form();
            k
        }, _ => None);
        if let Some(k) = key {
            self.forget_draft(&k);
        }
        self.draft_since = None;
        self.nested_done(false);
    }

    /// The one read-only guard of a change: true (and the reason in the
    /// status line) when this copy may not write the ledger.
    fn refused_read_only(&mut self) -> bool {
        match self.store.read_only() {
            Some(r) => {
                self.status = Some(r.message().to_string());
                true
            }
            None => false,
        }
    }

    /// Deletes a discarded form's draft; a failure goes to the status line.
    fn forget_draft(&mut self, key: &str) {
        if let Err(e) = self.store.delete_draft(key) {
            self.status = Some(drafts::not_deleted(&e.message));
        }
    }

    /// Shows why the drafts worker could not write a draft, if it could not.
    fn draft_failure_to_status(&mut self) {
        if let Some(reason) = self.drafts.take_failure() {
            self.status = Some(drafts::not_kept(&reason));
        }
    }

    /// F5 in a pick list: the full form of that kind, the name typed
    /// filled in, over the form the pick list came from.
    fn add_referenced(&mut self, k: RefKind, name: &str) {
        if self.refused_read_only() {
            return;
        }
        if self.nested.is_some() {
            self.status = Some(format!(
                "请先保存或退出正在新增的{}，再新增别的记录",
                k.what()
            ));
            return;
        }
        let target = screen_of(k);
        let org_form = if target == ScreenId::Orgs && self.sub.is_none() {
            self.orgs.editing.take()
        } else {
            None
        };
        self.nested = Some(Nested {
            kind: k,
            from: self.screen,
            sub: self.sub.take(),
            org_form,
        });
        self.screen = target;
        let cx = ctx!(self);
        let label = match k {
            RefKind::Instructor => "姓名",
            _ => "名称",
        };
        macro_rules! open {
            ($l:ident) => {{
                self.$l.open_form(None, &cx);
                if let Some(e) = &mut self.$l.editing {
                    e.form.set(label, name);
                    e.form.message = Some(T_NESTED_NOTE.to_string());
                }
            }};
        }
        match k {
            RefKind::Unit => open!(units),
            RefKind::Org => open!(orgs),
            RefKind::Instructor => open!(instructors),
        }
        self.draft_soon();
    }

    /// The form opened from a pick list was saved (`saved`) or left: back
    /// to the original form, with the new record picked when saved.
    fn nested_done(&mut self, saved: bool) {
        let Some(n) = &self.nested else {
            return;
        };
        let still_open = match n.kind {
            RefKind::Unit => self.units.editing.is_some(),
            RefKind::Org => self.orgs.editing.is_some(),
            RefKind::Instructor => self.instructors.editing.is_some(),
        };
        if self.screen != screen_of(n.kind) || still_open {
            return;
        }
        let Some(n) = self.nested.take() else {
            return;
        };
        let name = match n.kind {
            RefKind::Unit => self.units.last_saved.as_ref().map(|r| r.name.clone()),
            RefKind::Org => self.orgs.last_saved.as_ref().map(|r| r.name.clone()),
            RefKind::Instructor => self.instructors.last_saved.as_ref().map(|r| r.name.clone()),
        };
        self.screen = n.from;
        self.sub = n.sub;
        if n.org_form.is_some() {
            self.orgs.editing = n.org_form;
        }
        let Some(name) = name.filter(|_| saved) else {
            self.status = Some(format!("未新增{}，回到原表单", n.kind.what()));
            return;
        };
        let k = n.kind;
        on_list!(self, l => l.referenced_added(k, &name), _ => ());
        if self.screen == ScreenId::Meetings {
            self.meetings.referenced_added(&name);
        }
        if self.screen == ScreenId::Funds {
            self.funds.referenced_added(&name);
        }
        self.draft_soon();
        self.status = Some(format!("已新增{}“{name}”并选中（Ctrl+Z 可撤销）", k.what()));
    }

    fn undo_redo(&mut self, undo: bool) {
        if self.refused_read_only() {
            return;
        }
        let r = if undo {
            self.store.undo()
        } else {
            self.store.redo()
        };
        match r {
            Ok(Some(s)) => {
                self.status = Some(format!("已{}", s.description));
                self.after_change();
            }
            Ok(None) => {
                self.status = Some(
                    if undo {
                        "没有可撤销的修改"
                    } else {
                        "没有可重做的修改"
                    }
                    .to_string(),
                )
            }
            Err(e) => self.status = Some(e.message),
        }
    }

    fn restore_draft(&mut self, d: &Draft) {
        macro_rules! open {
            ($screen:expr, $list:ident, $t:ty) => {{
                self.screen = $screen;
                let rec = if d.id > 0 {
                    self.store.get::<$t>(d.id).ok().flatten()
                } else {
                    None
                };
                let cx = ctx!(self);
                self.$list.open_draft(rec, &d.values, &cx);
            }};
        }
        macro_rules! open_sub {
            ($screen:expr, $kind:expr, $variant:ident, $t:ty, $pt:ty) => {{
                let pid = d.parent.unwrap_or(0);
                let pname = self.store.id_name::<$pt>(pid).unwrap_or_default();
                self.screen = $screen;
                self.open_sub($kind, pid, &pname);
                let rec = if d.id > 0 {
                    self.store.get::<$t>(d.id).ok().flatten()
                } else {
                    None
                };
                let cx = ctx!(self);
                if let Some(Sub::$variant(l)) = &mut self.sub {
                    l.open_draft(rec, &d.values, &cx);
                }
            }};
        }
        match d.table.as_str() {
            "units" => open!(ScreenId::Units, units, Unit),
            "party_orgs" => open!(ScreenId::Orgs, orgs, PartyOrg),
            "members" => open!(ScreenId::Members, members, Member),
            "instructors" => open!(ScreenId::Instructors, instructors, Instructor),
            "coverages" => open_sub!(
                ScreenId::Orgs,
                SubKind::Coverage,
                Coverage,
                Coverage,
                PartyOrg
            ),
            "assignments" => open_sub!(
                ScreenId::Instructors,
                SubKind::Assignments,
                Assignments,
                Assignment,
                Instructor
            ),
            "visits" => open_sub!(
                ScreenId::Instructors,
                SubKind::Visits,
                Visits,
                Visit,
                Instructor
            ),
            "meetings" => {
                self.screen = ScreenId::Meetings;
                let rec = if d.id > 0 {
                    self.store.get::<Meeting>(d.id).ok().flatten()
                } else {
                    None
                };
                let cx = ctx!(self);
                self.meetings.open_draft(rec, &d.values, &cx);
            }
            "fund_entries" => {
                self.screen = ScreenId::Funds;
                let rec = if d.id > 0 {
                    self.store.get::<FundEntry>(d.id).ok().flatten()
                } else {
                    None
                };
                let cx = ctx!(self);
                self.funds.open_draft(rec, &d.values, &cx);
            }
            "assessments" => open_sub!(
                ScreenId::Instructors,
                SubKind::Assessments,
                Assessments,
                InstructorAssessment,
                Instructor
            ),
            _ => {}
        }
    }

    fn open_named(&mut self, s: ScreenId, name: &str) {
        self.goto(s);
        if self.screen != s {
            return;
        }
        on_list!(self, l => {
            l.filter = tui_input::Input::new(name.to_string());
            l.filtering = false;
            l.preset = 0;
            l.fixed.clear();
            l.sel = 0;
            l.reload();
        }, _ => ());
    }

    /// The month's report now (the same `compute` as everywhere).
    fn current_report(&self, month: Month) -> Result<crate::report::MonthlyReport> {
        let ledger = crate::report::Ledger::load_for_month(&self.store, month)?;
        crate::report::compute(&ledger, month, chrono::Local::now().fixed_offset())
    }

    /// Prints or exports the month's report into `dir`, archives it as
    /// issued and says where the file went.
    fn report_out(&mut self, month: Month, way: Output, dir: &Path) {
        let format = match way {
            Output::Print => crate::report::Format::Pdf,
            Output::File(f) => f,
        };
        let file = dir.join(crate::report::default_file_name(month, format));
        let written = self.current_report(month).and_then(|r| {
            let protected = self.store.protected();
            crate::files::make_output_dir(dir, &protected)?;
            let bytes = crate::report::render(&r, &self.settings, format)?;
            crate::files::write_file(&file, &bytes, &protected)?;
            Ok(r)
        });
        let r = match written {
            Ok(r) => r,
            Err(e) => {
                self.status = Some(e.message);
                return;
            }
        };
        let mut lines = Vec::new();
        if way == Output::Print {
            match crate::report::print::print_file(&file) {
                Ok(p) => lines.push(p.message().to_string()),
                Err(e) => {
                    lines.push(format!("未能打印：{}", e.message));
                }
            }
            lines.push(format!("PDF 已保存为：{}", file.display()));
        } else {
            lines.push(format!("{} 月报已导出到：", month.label()));
            lines.push(file.display().to_string());
        }
        let archived = serde_json::to_string(&r)
            .map_err(|e| e.to_string())
            .and_then(|j| {
                self.store
                    .archive_report(month, format.extension(), &j)
                    .map_err(|e| e.message)
            });
        match archived {
            Ok(_) => lines.push("已存档为出具的月报（F4 查看此后变化的数字）".to_string()),
            Err(m) => lines.push(format!("本次出具未存档：{m}")),
        }
        self.status = Some(format!("已导出到 {}", file.display()));
        self.reports.out_done();
        self.view = Some(TextView::new(
            if way == Output::Print {
                "打印"
            } else {
                "导出"
            },
            lines,
            "Esc 关闭",
        ));
    }

    /// The issued reports, newest first, each with the figures that
    /// changed since it was issued.
    fn show_issued(&mut self) {
        let list = match self.store.issued_reports() {
            Ok(l) => l,
            Err(e) => {
                self.status = Some(e.message);
                return;
            }
        };
        if list.is_empty() {
            self.status = Some("还没有出具过月报（打印或导出后自动存档）".to_string());
            return;
        }
        let mut now: Vec<(String, Option<serde_json::Value>)> = Vec::new();
        let mut lines = Vec::new();
        for it in &list {
            let cur = match now.iter().find(|(m, _)| *m == it.month) {
                Some((_, v)) => v.clone(),
                None => {
                    let v = Month::parse(&it.month)
                        .ok()
                        .and_then(|m| self.current_report(m).ok())
                        .and_then(|r| serde_json::to_value(&r).ok());
                    now.push((it.month.clone(), v.clone()));
                    v
                }
            };
            lines.push(format!(
                "{} 月报  {} 出具（{}）",
                it.month, it.issued_at, it.format
            ));
            let old: Option<serde_json::Value> = serde_json::from_str(&it.json).ok();
            match (old, cur) {
                (Some(o), Some(c)) => {
                    let d = crate::report::diff::diff(&o, &c);
                    if d.is_empty() {
                        lines.push("    此后数字没有变化".to_string());
                    } else {
                        lines.push(format!("    此后有 {} 项数字变化：", d.len()));
                        lines.extend(d.into_iter().map(|l| format!("      {l}")));
                    }
                }
                _ => lines.push("    无法比较（存档无法读取）".to_string()),
            }
        }
        self.view = Some(TextView::new(
            format!("已出具的月报（{} 份）", list.len()),
            lines,
            "上下 PgUp PgDn 滚动；Esc 关闭",
        ));
    }

    fn start_demo(&mut self) {
        let path = demo_path(self.store.path());
        let opened = Store::open(&path).and_then(|mut s| {
            if s.read_only().is_none() && s.is_empty()? {
                crate::demo::fill(
                    &mut s,
                    crate::demo::Scale::Small,
                    1,
                    &mut |_line: &str| {},
                    self.today,
                )?;
            }
            Ok(s)
        });
        match opened {
            Ok(s) => {
                self.figures = Figures::start(s.path());
                self.drafts = DraftWriter::start(s.path());
                self.version += 1;
                self.store = s;
                self.demo = true;
                self.sub = None;
                self.units = RegList::new();
                self.orgs = RegList::new();
                self.members = RegList::new();
                self.instructors = RegList::new();
                self.status = Some(match self.load_inner() {
                    Ok(()) => format!(
                        "已打开演示账本 {}（与正式台账分开，可随意试用）",
                        path.display()
                    ),
                    Err(e) => format!("演示账本已打开，但读取时出错：{}", e.message),
                });
            }
            Err(e) => self.status = Some(format!("无法建立演示账本：{}", e.message)),
        }
    }

    /// Checks (`dry`) or imports a file. The check takes the 设置 sheet as
    /// if replacing, so that its summary and `settings_conflicts` show what
    /// the file would change; the confirmation then asks.
    fn import(&mut self, path: &Path, dry: bool, settings: SettingsChoice) {
        if self.refused_read_only() {
            return;
        }
        let mut opts = crate::exchange::ImportOptions::new(self.today);
        opts.dry_run = dry;
        opts.settings = if dry {
            SettingsChoice::Replace
        } else {
            settings
        };
        match crate::exchange::import_file(&mut self.store, path, &opts) {
            Err(e) if self.screen == ScreenId::Reports => self.reports.import_failed(&e.message),
            Err(e) => self.overview.import_failed(&e.message),
            Ok(rep) if !rep.errors.is_empty() => {
                let n = rep.errors.total();
                self.view = Some(TextView::new(
                    format!("导入检查：{n} 处错误，台账未改动"),
                    rep.errors.lines(),
                    "请在 Excel 中改正后再导入；Esc 关闭",
                ));
            }
            Ok(rep) if dry => {
                let mut lines: Vec<String> = rep
                    .sheets
                    .iter()
                    .map(|s| {
                        format!(
                            "{}：新增 {}，修改 {}，不变 {}",
                            s.sheet, s.added, s.updated, s.unchanged
                        )
                    })
                    .collect();
                lines.extend(rep.notes.iter().cloned());
                let asks = !rep.settings_conflicts.is_empty();
                if asks {
                    lines.push(T_SETTINGS_DIFFER.to_string());
                    lines.extend(rep.settings_conflicts.iter().map(|c| format!("  {c}")));
                    lines.push(T_SETTINGS_CHOICE.to_string());
                }
                lines.push(format!("共 {} 行。确定导入吗？", rep.rows()));
                self.dialog = Some(if asks {
                    (
                        Dialog::new(
                            "导入检查通过",
                            lines,
                            vec![
                                choice('Y', "1 替换"),
                                choice('N', "2 保留现有设置"),
                                choice('\u{1b}', "返回"),
                            ],
                            '\u{1b}',
                        ),
                        Pending::ImportSettings(path.to_path_buf()),
                    )
                } else {
                    (
                        Dialog::new(
                            "导入检查通过",
                            lines,
                            vec![choice('Y', "导入"), choice('N', "取消")],
                            'N',
                        ),
                        Pending::Import(path.to_path_buf()),
                    )
                });
            }
            Ok(rep) => {
                self.overview.import_done();
                self.reports.import_done();
                self.status = Some(format!("已导入 {} 行（Ctrl+Z 可整体撤销）", rep.rows()));
                self.after_change();
            }
        }
    }

    /// Loads what the screen in front needs (pages, facts, figures).
    pub fn refresh(&mut self) {
        if !self.loaded {
            return;
        }
        let cx = ctx!(self);
        let store = &self.store;
        let version = self.version;
        let figures = &mut self.figures;
        let r: Result<()> = match self.screen {
            ScreenId::Overview => self.overview.refresh(store, &cx).map(|()| {
                if let Some(m) = self.overview.wants() {
                    self.overview.show(figures.get((m, version)));
                }
            }),
            ScreenId::Recycle => self.recycle.refresh(store),
            ScreenId::Settings => Ok(()),
            ScreenId::Meetings => {
                let r = self
                    .meetings
                    .wants()
                    .and_then(|m| figures.get((m, version)));
                self.meetings.refresh(store, &cx, r)
            }
            ScreenId::Funds => self.funds.refresh(store, &cx),
            ScreenId::Reports => {
                self.reports
                    .show(figures.get((self.reports.month, version)), &cx);
                Ok(())
            }
            // The rule warnings beside an org, a unit and an instructor are
            // this month's report's (one rule, one answer: issue 12).
            ScreenId::Orgs if self.sub.is_none() => {
                let r = figures.get((Month::of(self.today), version));
                if report_changed(&mut self.orgs_report, &r) {
                    self.orgs.facts_for = None;
                }
                load_list(store, &mut self.orgs, &cx, r.as_deref())
            }
            ScreenId::Units if self.sub.is_none() => {
                let r = figures.get((Month::of(self.today), version));
                if report_changed(&mut self.units_report, &r) {
                    self.units.facts_for = None;
                }
                load_list(store, &mut self.units, &cx, r.as_deref())
            }
            ScreenId::Instructors if self.sub.is_none() => {
                let r = figures.get((Month::of(self.today), version));
                if report_changed(&mut self.instructors_report, &r) {
                    self.instructors.facts_for = None;
                }
                load_list(store, &mut self.instructors, &cx, r.as_deref())
            }
            _ => on_list!(self, l => load_list(store, l, &cx, None), _ => Ok(())),
        };
        if let Err(e) = r {
            self.status = Some(e.message);
        }
        if let Some(m) = self.figures.error.take() {
            self.status = Some(m);
        }
    }

    // ----- drawing -----

    fn screen_title(&self) -> String {
        match (&self.sub, self.screen) {
            (Some(Sub::Coverage(_)), _) => "党组织 / 覆盖单位".to_string(),
            (Some(Sub::Assignments(_)), _) => "指导员 / 联系单位".to_string(),
            (Some(Sub::Visits(_)), _) => "指导员 / 走访记录".to_string(),
            (Some(Sub::Assessments(_)), _) => "指导员 / 年度考核".to_string(),
            (None, s) => s.label().to_string(),
        }
    }

    pub fn draw(&mut self, f: &mut Frame) {
        let area = f.area();
        self.size = (area.width, area.height);
        if self.too_small() {
            let msg = "窗口太小，请调整到至少 80×24";
            let hint = "（F10 或 Esc 退出）";
            let y = area.height / 2;
            let lines = vec![Line::from(msg), Line::from(hint)];
            let r = Rect {
                x: area.x,
                y: area.y + y.saturating_sub(1),
                width: area.width,
                height: 2.min(area.height),
            };
            f.render_widget(
                Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
                r,
            );
            return;
        }
        let [top, main, status, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.draw_title(f, top);
        let cx = ctx!(self);
        let mut cursor = if !self.loaded {
            f.render_widget(
                Paragraph::new(Line::from(Span::styled("正在打开台账……", self.theme.dim()))),
                main,
            );
            None
        } else {
            match self.screen {
                ScreenId::Overview => self.overview.render(f, main, &cx),
                ScreenId::Recycle => self.recycle.render(f, main, &cx),
                ScreenId::Settings => self.settings_screen.render(f, main, &cx),
                ScreenId::Meetings => self.meetings.render(f, main, &cx),
                ScreenId::Funds => self.funds.render(f, main, &cx),
                ScreenId::Reports => self.reports.render(f, main, &cx),
                _ => on_list!(self, l => l.render(f, main, &cx), _ => None),
            }
        };
        if let Some((d, _)) = &self.dialog {
            d.render(f, main, &self.theme);
            cursor = None;
        }
        if let Some(h) = &mut self.help {
            cursor = h.render(f, main, &self.theme);
        }
        if let Some(v) = &self.view {
            v.render(f, main, &self.theme);
            cursor = None;
        }
        self.draw_status(f, status);
        let fkeys = self.fkeys();
        fkey_bar::render(f, keys, &self.theme, &fkeys);
        if let Some((x, y)) = cursor
            && y < keys.y
        {
            f.set_cursor_position((x, y));
        }
    }

    fn draw_title(&self, f: &mut Frame, area: Rect) {
        let mut marks = String::new();
        if self.demo {
            marks.push_str(" 【演示账本】");
        }
        if self.store.read_only().is_some() {
            marks.push_str(" 【只读】");
        }
        let tabs_full: usize = ScreenId::TABS
            .iter()
            .map(|(_, s)| width(s.label()) + 2)
            .sum();
        let mut left = String::from(" 党建台账");
        // The township gives way when the marks and all eight tabs would not fit.
        if !self.settings.township.is_empty()
            && width(&left) + width(&self.settings.township) + 1 + width(&marks) + tabs_full
                <= area.width as usize
        {
            left.push_str(&format!(" {}", self.settings.township));
        }
        left.push_str(&marks);
        let mut spans = vec![Span::styled(left.clone(), self.theme.title())];
        let mut used = width(&left);
        let tabs: Vec<(String, bool)> = ScreenId::TABS
            .iter()
            .map(|(d, s)| (format!("{d}{}", s.label()), *s == self.screen))
            .collect();
        let tabs_w: usize = tabs.iter().map(|(t, _)| width(t) + 1).sum();
        let gap = (area.width as usize).saturating_sub(used + tabs_w);
        spans.push(Span::styled(" ".repeat(gap), self.theme.title()));
        used += gap;
        for (t, active) in tabs {
            if used + width(&t) + 1 > area.width as usize {
                break;
            }
            used += width(&t) + 1;
            spans.push(Span::raw(" "));
            spans.push(if active {
                Span::styled(t, self.theme.tab_active())
            } else {
                Span::raw(t)
            });
        }
        f.render_widget(Paragraph::new(Line::from(spans)), area);
    }

    fn draw_status(&self, f: &mut Frame, area: Rect) {
        let month = match self.screen {
            ScreenId::Overview => self.overview.month,
            ScreenId::Meetings => self.meetings.month,
            ScreenId::Funds => self.funds.month,
            ScreenId::Reports => self.reports.month,
            _ => Month::of(self.today),
        };
        let part = match self.screen {
            ScreenId::Overview => self.overview.status(),
            ScreenId::Recycle => self.recycle.status(),
            ScreenId::Settings => self.settings_screen.status(),
            ScreenId::Meetings => self.meetings.status(),
            ScreenId::Funds => self.funds.status(),
            ScreenId::Reports => self.reports.status(),
            _ => match (&self.sub, self.screen) {
                (Some(Sub::Coverage(l)), _) => l.status(),
                (Some(Sub::Assignments(l)), _) => l.status(),
                (Some(Sub::Visits(l)), _) => l.status(),
                (Some(Sub::Assessments(l)), _) => l.status(),
                (None, ScreenId::Units) => self.units.status(),
                (None, ScreenId::Orgs) => self.orgs.status(),
                (None, ScreenId::Members) => self.members.status(),
                _ => self.instructors.status(),
            },
        };
        let mut s = format!(" {} | {} | {}", self.screen_title(), month.label(), part);
        if let Some(m) = &self.status {
            s.push_str(&format!(" | {m}"));
        }
        let w = area.width as usize;
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                pad_right(&truncate_width(&s, w), w),
                self.theme.status(),
            ))),
            area,
        );
    }

    fn fkeys(&self) -> Vec<(u8, &'static str)> {
        if self.too_small() || self.dialog.is_some() || self.view.is_some() {
            return DIALOG_KEYS.to_vec();
        }
        if self.help.is_some() {
            return HELP_KEYS.to_vec();
        }
        match self.screen {
            ScreenId::Overview => self.overview.keys(),
            ScreenId::Recycle => self.recycle.keys(),
            ScreenId::Settings => self.settings_screen.keys(),
            ScreenId::Meetings => self.meetings.keys(),
            ScreenId::Funds => self.funds.keys(),
            ScreenId::Reports => self.reports.keys(),
            _ => match (&self.sub, self.screen) {
                (Some(Sub::Coverage(l)), _) => l.keys(),
                (Some(Sub::Assignments(l)), _) => l.keys(),
                (Some(Sub::Visits(l)), _) => l.keys(),
                (Some(Sub::Assessments(l)), _) => l.keys(),
                (None, ScreenId::Units) => self.units.keys(),
                (None, ScreenId::Orgs) => self.orgs.keys(),
                (None, ScreenId::Members) => self.members.keys(),
                _ => self.instructors.keys(),
            },
        }
    }

    /// The dialog shown, if any (tests).
    pub fn dialog_title(&self) -> Option<&str> {
        self.dialog.as_ref().map(|(d, _)| d.title.as_str())
    }
}

/// Facts shown under the list for the selected record (read by the app,
/// never by the screen).
pub trait Facts: Register {
    /// `report`: this month's figures, where the screen shows rule
    /// warnings from them (None while they are being computed).
    fn facts(
        _store: &Store,
        _r: &Self,
        _cx: &Ctx,
        _report: Option<&MonthlyReport>,
    ) -> Result<Vec<String>> {
        Ok(Vec::new())
    }
}

impl Facts for Unit {
    fn facts(
        store: &Store,
        u: &Self,
        cx: &Ctx,
        report: Option<&MonthlyReport>,
    ) -> Result<Vec<String>> {
        let f = store.unit_facts(u.id, cx.today)?;
        let cover = match f.state() {
            crate::store::CoverState::OrgCovered => format!(
                "组织覆盖（{}）",
                f.orgs
                    .iter()
                    .map(|(n, k)| format!("{n}，{k}"))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            crate::store::CoverState::WorkCovered => {
                format!("工作覆盖（指导员 {}）", f.instructors.join("、"))
            }
            crate::store::CoverState::Uncovered => "空白（未覆盖）".to_string(),
        };
        let mut out = vec![
            format!("覆盖：{cover}"),
            format!(
                "党员 {} 人（正式 {}）  出资人：{}  联系人：{} {}",
                f.members,
                f.formal,
                dash(&u.investor),
                dash(&u.contact),
                crate::domain::ids::mask_phone(&u.phone)
            ),
        ];
        // The 七个清 warning is the report's (coverage at month end), not
        // worked out again from today's coverage.
        match report {
            Some(r) => out.extend(
                report_warnings(
                    r,
                    crate::report::model::WarningCode::UnitFactsIncomplete,
                    |s| s == u.name,
                )
                .map(|w| format!("! {}", w.message)),
            ),
            None if u.counted() => out.push(FACTS_PENDING.to_string()),
            None => {}
        }
        Ok(out)
    }
}

impl Facts for PartyOrg {
    fn facts(
        store: &Store,
        o: &Self,
        cx: &Ctx,
        report: Option<&MonthlyReport>,
    ) -> Result<Vec<String>> {
        let f = store.org_facts(o, cx.today)?;
        Ok(crate::tui::screens::orgs::org_facts_lines(o, &f, report))
    }
}

impl Facts for Member {
    fn facts(
        _store: &Store,
        m: &Self,
        cx: &Ctx,
        _report: Option<&MonthlyReport>,
    ) -> Result<Vec<String>> {
        Ok(vec![format!(
            "所在单位：{}  入党：{}  转正：{}  新就业群体：{}  职务：{}",
            dash(&cx.lookups.opt_name(RefKind::Unit, m.unit_id)),
            m.joined
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            m.confirmed
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into()),
            m.new_employment.map_or("-", |x| x.label()),
            m.party_post.map_or("-", |x| x.label()),
        )])
    }
}

impl Facts for Instructor {
    fn facts(
        store: &Store,
        i: &Self,
        cx: &Ctx,
        report: Option<&MonthlyReport>,
    ) -> Result<Vec<String>> {
        let f = store.instructor_facts(i.id, cx.today)?;
        let mut out = vec![format!(
            "联系单位 {} 个：{}",
            f.units.len(),
            f.units.join("、")
        )];
        out.push(format!(
            "本月走访 {} 次  最近走访：{}  年度考核：{}",
            f.visits_in_month,
            f.last_visit
                .map(|d| d.to_string())
                .unwrap_or_else(|| "无".into()),
            f.assessment
                .map(|(y, g)| format!("{y}年 {g}"))
                .unwrap_or_else(|| "无".into())
        ));
        // Per assignment, fewer than visits_per_month: the report's rule.
        let prefix = format!("{} → ", i.name);
        match report {
            Some(r) => out.extend(
                report_warnings(
                    r,
                    crate::report::model::WarningCode::InstructorNoVisit,
                    |s| s.starts_with(&prefix),
                )
                .map(|w| {
                    format!(
                        "! {}：{}",
                        w.subject.strip_prefix(&prefix).unwrap_or(&w.subject),
                        w.message
                    )
                }),
            ),
            None if !f.units.is_empty() => out.push(FACTS_PENDING.to_string()),
            None => {}
        }
        Ok(out)
    }
}

impl Facts for Coverage {}
impl Facts for Assignment {}
impl Facts for Visit {}
impl Facts for InstructorAssessment {}

/// Keeps `r` in `slot`; true when it is another report than before (the
/// facts shown beside the list are then worked out again).
fn report_changed(slot: &mut Option<Arc<MonthlyReport>>, r: &Option<Arc<MonthlyReport>>) -> bool {
    let same = match (r, &*slot) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    };
    if !same {
        *slot = r.clone();
    }
    !same
}

/// What the facts say while this month's figures are being computed: the
/// rule warnings come from them only, never from a second copy of a rule.
const FACTS_PENDING: &str = "本月提示：正在计算……";

/// The report's warnings with `code` whose subject `matches`.
fn report_warnings<'a>(
    report: &'a MonthlyReport,
    code: crate::report::model::WarningCode,
    matches: impl Fn(&str) -> bool + 'a,
) -> impl Iterator<Item = &'a crate::report::model::Warning> + 'a {
    report
        .warnings
        .iter()
        .filter(move |w| w.code == code && matches(&w.subject))
}

fn dash(s: &str) -> &str {
    if s.trim().is_empty() { "-" } else { s }
}

fn load_list<R: Facts>(
    store: &Store,
    l: &mut RegList<R>,
    cx: &Ctx,
    report: Option<&MonthlyReport>,
) -> Result<()> {
    if let Some((offset, limit)) = l.wants() {
        let filter = l.filter.value().to_string();
        let page = store.page_filtered::<R>(
            &filter,
            &l.filters(),
            cx.today,
            offset,
            limit,
            l.sort_sql(),
        )?;
        l.set_page(page);
        if let Some((offset, limit)) = l.wants() {
            let page = store.page_filtered::<R>(
                &filter,
                &l.filters(),
                cx.today,
                offset,
                limit,
                l.sort_sql(),
            )?;
            l.set_page(page);
        }
    }
    if let Some(r) = l.wants_facts() {
        let id = r.id();
        let facts = R::facts(store, r, cx, report)?;
        l.set_facts(id, facts);
    }
    Ok(())
}

/// Saves the form of a list, its draft deleted in the same commit:
/// Ok(title) or the message.
fn save_list<R: Register>(
    store: &mut Store,
    l: &mut RegList<R>,
    cx: &Ctx,
) -> Option<std::result::Result<String, String>> {
    let key = l.editing.as_ref()?.draft_key();
    let mut rec = match l.try_save(cx) {
        Ok(r) => r,
        Err(m) => return Some(Err(m)),
    };
    match store.save_form(&mut rec, &key) {
        Ok(()) => {
            let title = format!("{} {}", R::NAME, rec.title());
            l.saved(rec);
            Some(Ok(title))
        }
        Err(e) => {
            l.save_failed(&e.message);
            Some(Err(e.message))
        }
    }
}
