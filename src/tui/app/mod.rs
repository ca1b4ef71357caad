//! The application: a router. It holds every screen, sends each key to the
//! top layer (a question, a pick list, the help, a text) or else to the
//! screen in front (`front`), queues what they ask for (`Msg`) and drains
//! the queue in one loop (`update.rs`): the only place that writes the
//! store, one transaction per user action. It reads the store for the
//! screens, too (`data.rs`): a screen says what it wants, the app hands it
//! over.
//!
//! - `update.rs`: the messages, the questions and their answers;
//! - `forms.rs`: saving, leaving and the drafts of the form in front, and
//!   the form opened from a pick list;
//! - `data.rs` and `facts.rs`: what screens are handed, the facts beside a
//!   record (rule warnings from the month's report);
//! - `draw.rs`: the title, the status line and the F-key bar;
//! - `report.rs`: printing, exporting and the issued reports; the import
//!   and the demo ledger;
//! - `layers.rs`, `timers.rs`: what lies over the screen; what happens as
//!   time passes.

mod data;
mod draw;
mod facts;
mod forms;
mod layers;
mod report;
mod timers;
mod update;

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;

use crate::domain::dates::Month;
use crate::domain::records::*;
use crate::error::Result;
use crate::report::MonthlyReport;
use crate::store::Store;
use crate::tui::drafts::DraftWriter;
use crate::tui::event::{Input, Key, fold_digit};
use crate::tui::figures::Figures;
use crate::tui::keymap::{BIN_COMMAND, GLOBAL_COMMANDS, HELP_COMMAND, UNDO_COMMAND};
use crate::tui::screen::{Command, Screen, help_lines};
use crate::tui::screens::funds::Funds;
use crate::tui::screens::meetings::Meetings;
use crate::tui::screens::overview::Overview;
use crate::tui::screens::recycle::Recycle;
use crate::tui::screens::register::RegList;
use crate::tui::screens::reports::Reports;
use crate::tui::screens::settings::SettingsScreen;
use crate::tui::screens::{Ctx, Lookups, ScreenId};
use crate::tui::theme::Theme;
use crate::tui::widgets::help::Help;
use layers::{Layer, Layers, Routed};

pub use crate::tui::msg::{Msg, Output, SubKind};
pub use facts::Facts;

/// A sub-list opened from a record (覆盖单位 of an org; 联系单位, 走访记录,
/// 年度考核 of an instructor): in front of its screen while open.
pub enum Sub {
    Coverage(RegList<Coverage>),
    Assignments(RegList<Assignment>),
    Visits(RegList<Visit>),
    Assessments(RegList<InstructorAssessment>),
}

impl Sub {
    fn screen(&self) -> &dyn Screen {
        match self {
            Sub::Coverage(l) => l,
            Sub::Assignments(l) => l,
            Sub::Visits(l) => l,
            Sub::Assessments(l) => l,
        }
    }

    fn screen_mut(&mut self) -> &mut dyn Screen {
        match self {
            Sub::Coverage(l) => l,
            Sub::Assignments(l) => l,
            Sub::Visits(l) => l,
            Sub::Assessments(l) => l,
        }
    }
}

/// What the read-only context of the screens is made of, held apart from
/// the app so that a screen can be borrowed mutably beside it.
struct CtxData {
    today: NaiveDate,
    lookups: Arc<Lookups>,
    settings: Arc<Settings>,
    theme: Theme,
    read_only: Option<&'static str>,
}

impl CtxData {
    fn cx(&self) -> Ctx<'_> {
        Ctx {
            today: self.today,
            lookups: &self.lookups,
            settings: &self.settings,
            theme: self.theme,
            read_only: self.read_only,
        }
    }
}

pub struct App {
    pub store: Store,
    pub today: NaiveDate,
    pub settings: Arc<Settings>,
    pub theme: Theme,
    pub lookups: Arc<Lookups>,
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
    /// Questions, the help and texts over the screen.
    layers: Layers,
    /// What the screens and the answers asked for, not yet done.
    queue: VecDeque<Msg>,
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
    /// The reports the facts beside an org, a unit and an instructor were
    /// taken from.
    orgs_report: Option<Arc<MonthlyReport>>,
    units_report: Option<Arc<MonthlyReport>>,
    instructors_report: Option<Arc<MonthlyReport>>,
    /// This month's figures could not be computed (the facts say so).
    figures_failed: bool,
    /// A form opened from a pick list, over the original form.
    nested: Option<forms::Nested>,
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
            settings: Arc::new(Settings::default()),
            theme: Theme::new(false),
            lookups: Arc::new(Lookups::default()),
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
            layers: Layers::default(),
            queue: VecDeque::new(),
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
            figures_failed: false,
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
        self.settings = Arc::new(self.store.settings()?);
        self.theme = Theme::new(self.settings.unicode_borders);
        self.load_lookups()?;
        self.overview.stale = true;
        Ok(())
    }

    fn load_lookups(&mut self) -> Result<()> {
        self.lookups = Arc::new(Lookups {
            orgs: self.store.names::<PartyOrg>()?,
            units: self.store.names::<Unit>()?,
            instructors: self.store.names::<Instructor>()?,
        });
        Ok(())
    }

    /// The context screens are given (cheap: shared names and settings).
    fn ctx_data(&self) -> CtxData {
        CtxData {
            today: self.today,
            lookups: self.lookups.clone(),
            settings: self.settings.clone(),
            theme: self.theme,
            read_only: self.store.read_only().map(|r| r.message()),
        }
    }

    /// The screen in front: the sub-list when one is open, else the tab's.
    pub fn front(&self) -> &dyn Screen {
        if let Some(s) = &self.sub {
            return s.screen();
        }
        self.screen_of(self.screen)
    }

    pub fn front_mut(&mut self) -> &mut dyn Screen {
        let screen = self.screen;
        match self.sub {
            Some(ref mut s) => s.screen_mut(),
            None => self.screen_of_mut(screen),
        }
    }

    fn screen_of(&self, s: ScreenId) -> &dyn Screen {
        match s {
            ScreenId::Overview => &self.overview,
            ScreenId::Units => &self.units,
            ScreenId::Orgs => &self.orgs,
            ScreenId::Members => &self.members,
            ScreenId::Instructors => &self.instructors,
            ScreenId::Meetings => &self.meetings,
            ScreenId::Funds => &self.funds,
            ScreenId::Reports => &self.reports,
            ScreenId::Recycle => &self.recycle,
            ScreenId::Settings => &self.settings_screen,
        }
    }

    fn screen_of_mut(&mut self, s: ScreenId) -> &mut dyn Screen {
        match s {
            ScreenId::Overview => &mut self.overview,
            ScreenId::Units => &mut self.units,
            ScreenId::Orgs => &mut self.orgs,
            ScreenId::Members => &mut self.members,
            ScreenId::Instructors => &mut self.instructors,
            ScreenId::Meetings => &mut self.meetings,
            ScreenId::Funds => &mut self.funds,
            ScreenId::Reports => &mut self.reports,
            ScreenId::Recycle => &mut self.recycle,
            ScreenId::Settings => &mut self.settings_screen,
        }
    }

    /// Every screen (the sub-list too), for what concerns them all.
    fn each_screen(&mut self, mut f: impl FnMut(&mut dyn Screen)) {
        const ALL: [ScreenId; 10] = [
            ScreenId::Overview,
            ScreenId::Units,
            ScreenId::Orgs,
            ScreenId::Members,
            ScreenId::Instructors,
            ScreenId::Meetings,
            ScreenId::Funds,
            ScreenId::Reports,
            ScreenId::Recycle,
            ScreenId::Settings,
        ];
        for s in ALL {
            f(self.screen_of_mut(s));
        }
        if let Some(s) = &mut self.sub {
            f(s.screen_mut());
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
            Input::Key(k) => self.key(k),
        }
        self.drain();
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

    /// Something typed and not saved, anywhere.
    pub fn unsaved(&self) -> bool {
        let sub = self
            .sub
            .as_ref()
            .is_some_and(|s| s.screen().form().is_some_and(|f| f.dirty()));
        sub || [
            ScreenId::Units,
            ScreenId::Orgs,
            ScreenId::Members,
            ScreenId::Instructors,
            ScreenId::Settings,
            ScreenId::Meetings,
            ScreenId::Funds,
        ]
        .iter()
        .any(|s| self.screen_of(*s).form().is_some_and(|f| f.dirty()))
    }

    /// A key: the top layer's, else the app's own (F1, F10, digits, undo,
    /// F2), else the screen's.
    fn key(&mut self, k: Key) {
        if self.too_small() {
            if matches!(k, Key::F(10) | Key::Esc) {
                self.queue.push_back(Msg::Quit);
            }
            return;
        }
        // F1 over a pick list: the pick list's keys (help over it).
        if matches!(k, Key::F(1)) && self.layers.commands().is_some() {
            return self.open_help();
        }
        match self.layers.key(k) {
            Routed::NoLayer => {}
            Routed::Taken => return,
            Routed::Answer(m) => return self.queue.push_back(m),
        }
        let front = self.front();
        let text = front.text_focus();
        let digits_taken = front.takes_digits();
        let bin_key = front.bin_key();
        let global = match k {
            Key::F(10) => Some(Msg::Quit),
            Key::F(1) => return self.open_help(),
            Key::Char(c) if !text && fold_digit(c) == '?' => return self.open_help(),
            // The dues sheet takes digits as the amount paid.
            Key::Char(c) if !text && !digits_taken => {
                ScreenId::from_digit(fold_digit(c)).map(Msg::Goto)
            }
            Key::Ctrl('z') if !text => Some(Msg::Undo),
            Key::Ctrl('y') if !text => Some(Msg::Redo),
            Key::F(2) if bin_key => {
                self.back_to = self.screen;
                Some(Msg::Goto(ScreenId::Recycle))
            }
            _ => None,
        };
        if let Some(m) = global {
            return self.queue.push_back(m);
        }
        // Tab in an instructor's sub-list: the next sub-list.
        if matches!(k, Key::Tab | Key::BackTab)
            && !text
            && self.screen == ScreenId::Instructors
            && self.sub.is_some()
        {
            return self.cycle_sub(k == Key::Tab);
        }
        let d = self.ctx_data();
        let mut out = Vec::new();
        let used = self.front_mut().key(k, &d.cx(), &mut out);
        self.queue.extend(out);
        if !used && k == Key::Esc && self.screen == ScreenId::Recycle {
            self.queue.push_back(Msg::Goto(self.back_to));
        }
    }

    fn paste(&mut self, s: &str) {
        if self.layers.paste(s) {
            return;
        }
        self.front_mut().paste(s);
        self.draft_soon();
    }

    /// The commands in front: the screen's, then the app's own (F2, undo,
    /// F1, digits, F10).
    fn commands(&self) -> Vec<Command> {
        if let Some(mut v) = self.layers.commands() {
            v.push(HELP_COMMAND);
            return v;
        }
        let front = self.front();
        let mut v = front.commands();
        if front.bin_key() {
            v.push(BIN_COMMAND);
        }
        if !front.text_focus() {
            v.push(UNDO_COMMAND);
        }
        v.push(HELP_COMMAND);
        v.extend_from_slice(GLOBAL_COMMANDS);
        v
    }

    fn open_help(&mut self) {
        let entries = help_lines(&self.commands());
        self.layers
            .push(Layer::Help(Help::new(self.screen_title(), entries)));
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

    /// The dialog shown, if any (tests).
    pub fn dialog_title(&self) -> Option<&str> {
        self.layers.question()
    }
}
