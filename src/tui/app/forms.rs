//! The form in front, whatever its screen (`FormHost`): saving it,
//! leaving it, its drafts; and the form opened from a pick list (F5) over
//! the form it was opened from.

use super::layers::Ask;
use super::{App, Sub};
use crate::domain::records::*;
use crate::store::Record;
use crate::tui::drafts;
use crate::tui::drafts::Draft;
use crate::tui::msg::{Msg, Rec, SubKind};
use crate::tui::screen::Changed;
use crate::tui::screens::ScreenId;
use crate::tui::screens::register::{Editing, Register};
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{Dialog, choice};
use crate::tui::widgets::fields::RefKind;

/// Shown in a form opened from a pick list.
const T_NESTED_NOTE: &str = "保存（F6）后回到原来的表单并选中它；Esc 返回不选";

/// A form opened from a pick list (F5) over the form it was opened from.
pub(super) struct Nested {
    kind: RefKind,
    /// The screen of the original form.
    from: ScreenId,
    /// The sub-list the original form is in, kept aside meanwhile.
    sub: Option<Sub>,
    /// The original form when it is of the same kind (上级党组织 of an org).
    org_form: Option<Editing<PartyOrg>>,
}

/// The screen whose form adds a record of a kind.
fn screen_of(k: RefKind) -> ScreenId {
    match k {
        RefKind::Unit => ScreenId::Units,
        RefKind::Org => ScreenId::Orgs,
        RefKind::Instructor => ScreenId::Instructors,
    }
}

impl App {
    /// Asks the form in front for its save message and saves; true when
    /// it was saved (false: an error shown, or a question asked first).
    pub(super) fn save_front(&mut self) -> bool {
        let d = self.ctx_data();
        let Some(form) = self.front_mut().form_mut() else {
            return false;
        };
        match form.save(&d.cx()) {
            Ok(Msg::Save { record, draft_key }) => self.save_record(*record, draft_key),
            Ok(other) => {
                // A question first (a meeting without a quorum).
                self.queue.push_front(other);
                false
            }
            Err(m) => {
                if !m.is_empty() {
                    self.status = Some(m);
                }
                false
            }
        }
    }

    /// Writes a record a form built (its draft deleted in the same
    /// commit); the form is told, and the screens the change touches
    /// reload. True when it was saved.
    pub(super) fn save_record(&mut self, rec: Rec, draft_key: Option<String>) -> bool {
        if self.refused_read_only() {
            return false;
        }
        // The drafts worker first: the save deletes the form's draft.
        self.drafts.flush();
        let key = draft_key.as_deref();
        let (result, changed) = match rec.clone() {
            Rec::Unit(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Unit(r)),
                Changed::Records,
            ),
            Rec::Org(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Org(r)),
                Changed::Records,
            ),
            Rec::Member(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Member(r)),
                Changed::Records,
            ),
            Rec::Instructor(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Instructor(r)),
                Changed::Records,
            ),
            Rec::Coverage(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Coverage(r)),
                Changed::Records,
            ),
            Rec::Assignment(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Assignment(r)),
                Changed::Records,
            ),
            Rec::Visit(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Visit(r)),
                Changed::Records,
            ),
            Rec::Assessment(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Assessment(r)),
                Changed::Records,
            ),
            Rec::Meeting(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Meeting(r)),
                Changed::Records,
            ),
            Rec::Fund(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Fund(r)),
                Changed::Records,
            ),
            // No names change with a payment: the lists and figures reload.
            Rec::Dues(mut r) => (
                self.write(&mut r, key).map(|()| Rec::Dues(r)),
                Changed::Dues,
            ),
            Rec::Settings(s) => (
                self.store.save_settings(&s).map(|()| Rec::Settings(s)),
                Changed::Settings,
            ),
        };
        match result {
            Ok(saved) => {
                if let Rec::Settings(s) = &saved {
                    self.theme = Theme::new(s.unicode_borders);
                    self.settings = std::sync::Arc::new(s.clone());
                }
                self.draft_since = None;
                let register = matches!(
                    saved,
                    Rec::Unit(_)
                        | Rec::Org(_)
                        | Rec::Member(_)
                        | Rec::Instructor(_)
                        | Rec::Coverage(_)
                        | Rec::Assignment(_)
                        | Rec::Visit(_)
                        | Rec::Assessment(_)
                );
                if let Some(form) = self.front_mut().form_mut()
                    && let Some(s) = form.saved(saved)
                {
                    self.status = Some(s);
                }
                self.after_change(changed);
                if register {
                    self.nested_done(true);
                }
                true
            }
            Err(e) => {
                if let Some(form) = self.front_mut().form_mut() {
                    form.save_failed(&e.message);
                }
                self.status = Some(e.message);
                false
            }
        }
    }

    /// A record into the store, with its form's draft when it has one.
    fn write<R: Record>(&mut self, r: &mut R, key: Option<&str>) -> crate::error::Result<()> {
        match key {
            Some(k) => self.store.save_form(r, k),
            None => self.store.save(r),
        }
    }

    /// Esc in a form: asks first when something is unsaved.
    pub(super) fn leave_form(&mut self) {
        if self.front().form().is_some_and(|f| f.dirty()) {
            self.ask(
                Ask::new(Dialog::new(
                    "离开表单",
                    vec!["表单有未保存的修改。".to_string()],
                    vec![
                        choice('Y', "保存"),
                        choice('N', "不保存"),
                        choice('\u{1b}', "返回"),
                    ],
                    '\u{1b}',
                ))
                .on('Y', Msg::SaveAndLeave)
                .on('N', Msg::DiscardForm),
            );
        } else {
            self.discard_form();
        }
    }

    /// Closes the form in front without saving; its draft is deleted.
    pub(super) fn discard_form(&mut self) {
        self.drafts.flush();
        let key = self.front_mut().form_mut().and_then(|f| {
            let k = f.draft_key();
            f.discard();
            k
        });
        if let Some(k) = key {
            self.forget_draft(&k);
        }
        if self.screen == ScreenId::Settings {
            self.goto(ScreenId::Overview);
        }
        self.draft_since = None;
        self.nested_done(false);
    }

    /// Keeps the draft of the form in front (off this thread when it can).
    pub(super) fn keep_draft(&mut self) {
        self.draft_since = None;
        let d = self.front().form().and_then(|f| f.draft());
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

    /// Deletes a discarded form's draft; a failure goes to the status line.
    fn forget_draft(&mut self, key: &str) {
        if let Err(e) = self.store.delete_draft(key) {
            self.status = Some(drafts::not_deleted(&e.message));
        }
    }

    /// Shows why the drafts worker could not write a draft, if it could not.
    pub(super) fn draft_failure_to_status(&mut self) {
        if let Some(reason) = self.drafts.take_failure() {
            self.status = Some(drafts::not_kept(&reason));
        }
    }

    /// Offers back the first draft a crash left (恢复 / 丢弃 / 以后再说).
    pub(super) fn offer_draft(&mut self) {
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
        let mut dialog = Dialog::new(
            "发现草稿",
            lines,
            vec![
                choice('Y', "恢复"),
                choice('N', "丢弃"),
                choice('\u{1b}', "以后再说"),
            ],
            '\u{1b}',
        );
        dialog.selected = 0;
        let key = format!("{}:{}", d.table, d.id);
        self.ask(
            Ask::new(dialog)
                .on('Y', Msg::RestoreDraft(Box::new(d)))
                .on('N', Msg::DropDraft { key }),
        );
    }

    /// F5 in a pick list: the full form of that kind, the name typed
    /// filled in, over the form the pick list came from.
    pub(super) fn add_referenced(&mut self, k: RefKind, name: &str) {
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
        let d = self.ctx_data();
        let cx = d.cx();
        macro_rules! open {
            ($l:ident, $t:ty) => {{
                self.$l.open_form(None, &cx);
                if let Some(e) = &mut self.$l.editing {
                    if let Some(id) = <$t as Register>::NAME_FIELD {
                        e.form.set(id, name);
                    }
                    e.form.message = Some(T_NESTED_NOTE.to_string());
                }
            }};
        }
        match k {
            RefKind::Unit => open!(units, Unit),
            RefKind::Org => open!(orgs, PartyOrg),
            RefKind::Instructor => open!(instructors, Instructor),
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
        if let Some(form) = self.front_mut().form_mut() {
            form.referenced_added(k, &name);
        }
        self.draft_soon();
        self.status = Some(format!("已新增{}“{name}”并选中（Ctrl+Z 可撤销）", k.what()));
    }

    pub(super) fn restore_draft(&mut self, d: &Draft) {
        macro_rules! open {
            ($screen:expr, $list:ident, $t:ty) => {{
                self.screen = $screen;
                let rec = if d.id > 0 {
                    self.store.get::<$t>(d.id).ok().flatten()
                } else {
                    None
                };
                let d2 = self.ctx_data();
                let cx = d2.cx();
                self.$list.open_draft(rec, &d, &cx);
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
                let d2 = self.ctx_data();
                let cx = d2.cx();
                if let Some(Sub::$variant(l)) = &mut self.sub {
                    l.open_draft(rec, &d, &cx);
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
                let d2 = self.ctx_data();
                let cx = d2.cx();
                self.meetings.open_draft(rec, d, &cx);
            }
            "fund_entries" => {
                self.screen = ScreenId::Funds;
                let rec = if d.id > 0 {
                    self.store.get::<FundEntry>(d.id).ok().flatten()
                } else {
                    None
                };
                let d2 = self.ctx_data();
                let cx = d2.cx();
                self.funds.open_draft(rec, d, &cx);
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
}
