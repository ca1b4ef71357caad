//! What the app does as time passes, apart from keys:
//!
//! - the draft of the form being typed is kept at most `DRAFT_DELAY` after
//!   the first change it does not hold yet: while typing goes on, one write
//!   each half second (never one per key); when typing stops, the run loop
//!   wakes at that moment (`wake_in`) and the tick keeps it;
//! - every `WATCH_EVERY` the ledger is looked at for other copies of the
//!   program: in a read-only copy, what the writer saved is read again
//!   (`PRAGMA data_version` says another connection committed, the newest
//!   change id that it was a change, not a draft), and once that writer
//!   has quit the copy offers to switch to editing.

use std::time::{Duration, Instant};

use super::App;
use super::layers::Ask;
use crate::store::Store;
use crate::tui::msg::Msg;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{Dialog, choice};

/// A draft holds every key typed more than this long ago (issue 11).
pub const DRAFT_DELAY: Duration = Duration::from_millis(500);

/// How often the ledger is looked at for other copies' changes.
pub const WATCH_EVERY: Duration = Duration::from_secs(2);

const T_OFFER_TITLE: &str = "可以编辑了";
const T_OFFER: [&str; 2] = [
    "另一个窗口已经关闭了这个台账。",
    "切换为可编辑后，本窗口的修改会保存到台账。",
];
const T_SWITCHED: &str = "已切换为可编辑，修改会保存到台账";
const T_STILL_TAKEN: &str = "另一个窗口又打开了这个台账，本窗口仍为只读";
const T_STAY: &str = "继续只读；以后要编辑，请关闭本窗口后重新打开台账";

/// What the app knows of other copies of the program.
pub struct Watch {
    /// The last look at the ledger.
    at: Instant,
    /// `data_version` then (None before the first look).
    seen: Option<i64>,
    /// The newest change then.
    change: Option<i64>,
    /// The clerk answered 继续只读: not asked again.
    declined: bool,
}

impl Watch {
    pub fn new() -> Watch {
        Watch {
            at: Instant::now(),
            seen: None,
            change: None,
            declined: false,
        }
    }

    /// A (new) store: what it holds now is what is shown.
    pub fn reset(&mut self, store: &Store) {
        self.seen = store.data_version().ok();
        self.change = store.last_change_id().ok();
    }
}

impl App {
    /// The form's text changed: a draft is due `DRAFT_DELAY` from the
    /// first change not yet kept.
    pub(super) fn draft_soon(&mut self) {
        if self.draft_since.is_none() {
            self.draft_since = Some(self.now);
        }
    }

    /// How long the run loop may wait for input before a tick is due (the
    /// draft, the look at the ledger).
    pub fn wake_in(&self, now: Instant) -> Duration {
        let watch = (self.watch.at + WATCH_EVERY).saturating_duration_since(now);
        match self.draft_since {
            Some(t) => watch.min((t + DRAFT_DELAY).saturating_duration_since(now)),
            None => watch,
        }
    }

    /// After each input: what is due by now, even while keys keep coming.
    pub(super) fn timers_due(&mut self) {
        if self
            .draft_since
            .is_some_and(|t| self.now.saturating_duration_since(t) >= DRAFT_DELAY)
        {
            self.keep_draft();
        }
        if self.now.saturating_duration_since(self.watch.at) >= WATCH_EVERY {
            self.watch_ledger();
        }
    }

    /// Reads again what another copy changed; offers editing when the
    /// writer this copy gave way to has quit.
    pub(super) fn watch_ledger(&mut self) {
        self.watch.at = self.now;
        // Only a read-only copy has a writer besides itself. The writer's
        // drafts count as commits for `data_version` but not as changes.
        if self.store.read_only().is_some()
            && let Ok(v) = self.store.data_version()
            && self.watch.seen.is_none_or(|seen| seen != v)
        {
            self.watch.seen = Some(v);
            if let Ok(c) = self.store.last_change_id()
                && self.watch.change.is_some_and(|seen| seen != c)
            {
                self.outside_change();
            }
            self.watch.change = self.store.last_change_id().ok();
        }
        if !self.layers.asking() && !self.watch.declined && self.store.writer_gone() {
            self.ask(
                Ask::new(Dialog::new(
                    T_OFFER_TITLE,
                    T_OFFER.iter().map(|l| l.to_string()).collect(),
                    vec![choice('Y', "切换为可编辑"), choice('N', "继续只读")],
                    'N',
                ))
                .on('Y', Msg::SwitchWritable)
                .on('N', Msg::StayReadOnly),
            );
        }
    }

    /// Another copy committed: settings, names, lists and figures are
    /// read again (what is on screen stays where it is).
    fn outside_change(&mut self) {
        if let Ok(s) = self.store.settings() {
            self.theme = Theme::new(s.unicode_borders);
            self.settings = std::sync::Arc::new(s);
        }
        self.after_change(crate::tui::screen::Changed::Records);
    }

    /// 切换为可编辑: the ledger opened again through `Store::open` (lock,
    /// checks, migration), as at start.
    pub(super) fn switch_writable(&mut self) {
        let path = self.store.path().to_path_buf();
        match Store::open(&path) {
            Ok(s) if s.read_only().is_none() => {
                self.store = s;
                self.watch.reset(&self.store);
                self.outside_change();
                self.status = Some(T_SWITCHED.to_string());
            }
            Ok(_) => self.status = Some(T_STILL_TAKEN.to_string()),
            Err(e) => self.status = Some(e.message),
        }
    }

    pub(super) fn stay_read_only(&mut self) {
        self.watch.declined = true;
        self.status = Some(T_STAY.to_string());
    }
}
