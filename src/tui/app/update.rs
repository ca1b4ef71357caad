//! The queue of messages and what each does: `update` only queues; the
//! queue is drained in one loop (`drain`), so a message that asks for more
//! (a question's answer, a save) adds to the queue instead of calling
//! `update` again. Every write to the store starts here, and the reply of
//! a write says what it changed (`Changed`): only those screens reload.

use super::layers::{Ask, Layer, Pick};
use super::{App, Sub};
use crate::domain::dates::Month;
use crate::exchange::SettingsChoice;
use crate::store::{BinAction, ListFilter};
use crate::tui::drafts;
use crate::tui::msg::{Msg, PickFor, Rec, SubKind};
use crate::tui::screen::Changed;
use crate::tui::screens::ScreenId;
use crate::tui::screens::register::RegList;
use crate::tui::theme::Theme;
use crate::tui::widgets::dialogs::{Dialog, choice};
use crate::tui::widgets::pick_list::PickList;

/// What the app says in the status line and in its questions.
const T_CANCELLED: &str = "已取消";
const T_VOIDED: &str = "已作废，可在回收站（F2）恢复；Ctrl+Z 撤销";
const T_PURGED: &str = "已彻底删除";
const T_PURGE_CANCELLED: &str = "已取消，记录仍在回收站";
const T_NOT_SAVED_QUORUM: &str = "未保存；可修改出勤后再按 F6";
const T_SAVE_FIRST: &str = "请先保存（F6）或按 Esc 离开正在编辑的表单";
const T_NO_UNDO: &str = "没有可撤销的修改";
const T_NO_REDO: &str = "没有可重做的修改";
const T_NO_IMPORT: &str = "没有可撤销的导入";
const T_NO_LAST_MEETING: &str = "该党组织还没有会议记录可沿用";

impl App {
    /// Queues a message and does everything queued (tests and the run loop
    /// go through `handle`; this is for a message from outside a key).
    pub fn update(&mut self, msg: Msg) {
        self.queue.push_back(msg);
        self.drain();
    }

    /// Does every queued message, in order, including those they queue.
    pub(super) fn drain(&mut self) {
        while let Some(m) = self.queue.pop_front() {
            self.apply(m);
        }
    }

    /// Puts a question over the screen.
    pub(super) fn ask(&mut self, a: Ask) {
        self.layers.push(Layer::Ask(a));
    }

    fn apply(&mut self, msg: Msg) {
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
                self.changed(Changed::Records);
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
                self.ask(
                    Ask::new(Dialog::new(
                        "作废",
                        vec![
                            format!("作废{kind}“{title}”？"),
                            "作废后不再计入任何统计，可在回收站（F2）恢复。".to_string(),
                        ],
                        vec![choice('Y', "作废"), choice('N', "取消")],
                        'N',
                    ))
                    .on('Y', Msg::Void { table, id })
                    .on('N', Msg::Status(T_CANCELLED.to_string())),
                );
            }
            Msg::Void { table, id } => self.bin_action(table, id, BinAction::Void, T_VOIDED),
            Msg::FormChanged => self.draft_soon(),
            Msg::KeepDraft => self.keep_draft(),
            Msg::SaveForm => {
                self.save_front();
            }
            Msg::Save { record, draft_key } => {
                self.save_record(*record, draft_key);
            }
            Msg::LeaveForm => self.leave_form(),
            Msg::SaveAndLeave => {
                // Settings leave for the overview once saved; a form with
                // an error stays open with the error shown.
                if self.save_front() && self.screen == ScreenId::Settings {
                    self.discard_form();
                }
            }
            Msg::DiscardForm => self.discard_form(),
            Msg::SaveAndQuit => {
                if self.save_front() && !self.unsaved() {
                    self.quit = true;
                }
            }
            Msg::DiscardAndQuit => {
                self.discard_form();
                self.settings_screen.form = None;
                self.quit = true;
            }
            Msg::RestoreDraft(d) => self.restore_draft(&d),
            Msg::DropDraft { key } => {
                self.drafts.flush();
                self.status = Some(match self.store.delete_draft(&key) {
                    Ok(()) => "草稿已丢弃".to_string(),
                    Err(e) => drafts::not_deleted(&e.message),
                });
                self.offer_draft();
            }
            Msg::AddReferenced { kind, name } => self.add_referenced(kind, &name),
            Msg::Pick {
                kind,
                filter,
                target,
            } => {
                let items = self.lookups.list(kind).to_vec();
                let mut list = PickList::new(format!("选择{}", kind.what()), items, &filter);
                if target == PickFor::Choice {
                    list = list.without_add();
                }
                self.layers.push(Layer::Pick(Pick { list, kind, target }));
            }
            Msg::Picked { target, id, name } => {
                let mut out = Vec::new();
                self.front_mut().picked(target, id, &name, &mut out);
                self.queue.extend(out);
            }
            Msg::Status(s) => self.status = Some(s),
            Msg::Undo | Msg::Redo => self.undo_redo(msg == Msg::Undo),
            Msg::Restore { table, id, title } => {
                self.bin_action(table, id, BinAction::Restore, &format!("已恢复：{title}"))
            }
            Msg::AskPurge { table, id, title } => {
                let mut lines = vec![format!("彻底删除“{title}”？")];
                lines.extend(crate::tui::screens::recycle::purge_note(table));
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
                self.ask(
                    Ask::new(d)
                        .on('Y', Msg::AskPurgeAgain { table, id, title })
                        .on('N', Msg::Status(T_PURGE_CANCELLED.to_string())),
                );
            }
            Msg::AskPurgeAgain { table, id, title } => {
                let mut d = Dialog::new(
                    "再次确认",
                    vec![format!("真的要彻底删除“{title}”吗？此操作不能恢复。")],
                    vec![choice('Y', "彻底删除"), choice('N', "取消")],
                    'N',
                );
                d.enter_picks = false;
                self.ask(
                    Ask::new(d)
                        .on('Y', Msg::Purge { table, id })
                        .on('N', Msg::Status(T_PURGE_CANCELLED.to_string())),
                );
            }
            Msg::Purge { table, id } => self.bin_action(table, id, BinAction::Purge, T_PURGED),
            Msg::OpenSettings => {
                let d = self.ctx_data();
                self.settings_screen.open(&self.settings, &d.cx());
                self.goto(ScreenId::Settings);
            }
            Msg::NewUnit => {
                self.goto(ScreenId::Units);
                if !self.refused_read_only() {
                    let d = self.ctx_data();
                    self.units.open_form(None, &d.cx());
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
                Ok(None) => self.status = Some(T_NO_LAST_MEETING.to_string()),
                Err(e) => self.status = Some(e.message),
            },
            Msg::AskNoQuorum {
                meeting,
                draft_key,
                why,
            } => self.ask(
                Ask::new(Dialog::new(
                    "不足法定人数",
                    vec![
                        why,
                        "支部党员大会须有半数以上正式党员到会。".to_string(),
                        "仍要保存吗？（月报中将提示“党员大会不足法定人数”）".to_string(),
                    ],
                    vec![choice('Y', "仍然保存"), choice('N', "返回修改")],
                    'N',
                ))
                .on(
                    'Y',
                    Msg::Save {
                        record: Box::new(Rec::Meeting(*meeting)),
                        draft_key,
                    },
                )
                .on('N', Msg::Status(T_NOT_SAVED_QUORUM.to_string())),
            ),
            Msg::GenerateDues { org_id: org, month } => self.generate_dues(org, month),
            Msg::ReportOut { month, way, dir } => self.report_out(month, way, &dir),
            Msg::ShowIssued => self.show_issued(),
            Msg::UndoImport => {
                if self.refused_read_only() {
                    return;
                }
                match self.store.undo_last_import() {
                    Ok(Some(s)) => {
                        self.status = Some(format!("已撤销：{}", s.description));
                        self.after_change(Changed::Records);
                    }
                    Ok(None) => self.status = Some(T_NO_IMPORT.to_string()),
                    Err(e) => self.status = Some(e.message),
                }
            }
            Msg::SwitchWritable => self.switch_writable(),
            Msg::StayReadOnly => self.stay_read_only(),
            Msg::Quit => {
                if self.unsaved() {
                    self.ask(
                        Ask::new(Dialog::new(
                            "退出",
                            vec!["有未保存的内容。".to_string()],
                            vec![
                                choice('Y', "保存"),
                                choice('N', "不保存"),
                                choice('\u{1b}', "返回"),
                            ],
                            '\u{1b}',
                        ))
                        .on('Y', Msg::SaveAndQuit)
                        .on('N', Msg::DiscardAndQuit),
                    );
                } else {
                    self.quit = true;
                }
            }
        }
    }

    /// Voids, restores or purges a record; `done` goes to the status line.
    fn bin_action(&mut self, table: &'static str, id: i64, a: BinAction, done: &str) {
        match self.store.bin_action(table, id, a) {
            Ok(()) => {
                self.status = Some(done.to_string());
                self.after_change(Changed::Records);
            }
            Err(e) => self.status = Some(e.message),
        }
    }

    fn generate_dues(&mut self, org: i64, month: Month) {
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
                self.after_change(Changed::Dues);
            }
            Err(e) => self.status = Some(e.message),
        }
    }

    pub(super) fn goto(&mut self, s: ScreenId) {
        if s != self.screen {
            if self.unsaved() && s != ScreenId::Recycle {
                self.status = Some(T_SAVE_FIRST.to_string());
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

    pub(super) fn open_sub(&mut self, kind: SubKind, id: i64, name: &str) {
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

    /// Tells every screen what a write changed (they mark what they must
    /// read again).
    fn changed(&mut self, what: Changed) {
        self.each_screen(|s| s.changed(what));
    }

    /// After a write: the figures are stale; names and settings are read
    /// again when records changed (an import or an undo may change the
    /// settings too); then the screens the change touches reload.
    pub(super) fn after_change(&mut self, what: Changed) {
        self.version += 1;
        if what == Changed::Records {
            if let Ok(s) = self.store.settings() {
                self.theme = Theme::new(s.unicode_borders);
                self.settings = std::sync::Arc::new(s);
            }
            if let Err(e) = self.load_lookups() {
                self.status = Some(e.message);
            }
        }
        self.changed(what);
    }

    /// The one read-only guard of a change: true (and the reason in the
    /// status line) when this copy may not write the ledger.
    pub(super) fn refused_read_only(&mut self) -> bool {
        match self.store.read_only() {
            Some(r) => {
                self.status = Some(r.message().to_string());
                true
            }
            None => false,
        }
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
                self.after_change(Changed::Records);
            }
            Ok(None) => self.status = Some(if undo { T_NO_UNDO } else { T_NO_REDO }.to_string()),
            Err(e) => self.status = Some(e.message),
        }
    }

    fn open_named(&mut self, s: ScreenId, name: &str) {
        self.goto(s);
        if self.screen != s {
            return;
        }
        macro_rules! filter_by {
            ($l:expr) => {{
                let l = $l;
                l.filter = tui_input::Input::new(name.to_string());
                l.filtering = false;
                l.preset = 0;
                l.fixed.clear();
                l.sel = 0;
                l.reload();
            }};
        }
        match s {
            ScreenId::Units => filter_by!(&mut self.units),
            ScreenId::Orgs => filter_by!(&mut self.orgs),
            ScreenId::Members => filter_by!(&mut self.members),
            ScreenId::Instructors => filter_by!(&mut self.instructors),
            _ => {}
        }
    }
}
