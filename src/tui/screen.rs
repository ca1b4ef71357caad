//! The contract between the app and every screen (gitui's `Component`,
//! taken as an idea): a screen takes keys and says whether it used them,
//! lists its commands once (the F-key bar and the F1 help are both drawn
//! from that one list, so they cannot drift apart), says what data it needs
//! (`wants`) and is handed it (`give`): only the app reads the store. A
//! screen with a form open offers it as a `FormHost`.

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::domain::dates::Month;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, PickFor, Rec};
use crate::tui::screens::Ctx;
use crate::tui::widgets::fields::RefKind;

/// One command of a screen: its F-key (shown on the bar with `label`), the
/// keys the help names and what the help says it does. A command without
/// an F-key is a help line only (arrows, Enter, typing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Command {
    pub fkey: Option<u8>,
    /// The bar's short label (`新增`).
    pub label: &'static str,
    /// The keys as the help lists them (`F5 Insert`).
    pub keys: &'static str,
    /// What the help says the command does.
    pub help: &'static str,
}

impl Command {
    /// A command on an F-key: on the bar and in the help.
    pub const fn f(n: u8, label: &'static str, keys: &'static str, help: &'static str) -> Self {
        Command {
            fkey: Some(n),
            label,
            keys,
            help,
        }
    }

    /// Keys without an F-key: in the help only.
    pub const fn keys(keys: &'static str, help: &'static str) -> Self {
        Command {
            fkey: None,
            label: "",
            keys,
            help,
        }
    }
}

/// The F-key bar of a command list: each F-key once (the first command
/// that names it), in key order.
pub fn bar(cmds: &[Command]) -> Vec<(u8, &'static str)> {
    let mut v: Vec<(u8, &'static str)> = Vec::new();
    for c in cmds {
        if let Some(n) = c.fkey
            && !v.iter().any(|(k, _)| *k == n)
        {
            v.push((n, c.label));
        }
    }
    v.sort_by_key(|k| k.0);
    v
}

/// The F1 help lines of a command list, in the list's order; an F-key
/// named twice is listed once, as the bar shows it (the first command).
pub fn help_lines(cmds: &[Command]) -> Vec<(String, String)> {
    let mut seen: Vec<u8> = Vec::new();
    let mut v = Vec::new();
    for c in cmds {
        if let Some(n) = c.fkey {
            if seen.contains(&n) {
                continue;
            }
            seen.push(n);
        }
        v.push((c.keys.to_string(), c.help.to_string()));
    }
    v
}

/// What a screen needs from the ledger to show itself; the app reads it
/// and hands it over with `Screen::give`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The month's figures (computed by the worker).
    Figures(Month),
    /// Whether the ledger holds nothing yet (the welcome).
    LedgerEmpty,
    /// The voided records.
    RecycleBin,
    /// The meetings held in a month.
    MonthMeetings(Month),
    /// The members of an org, for an attendance grid.
    OrgMembers(i64),
    /// The fund entries of a month, with the balances brought forward.
    MonthFunds(Month),
    /// The last fund entry (a new one starts from it).
    LastFundEntry,
    /// An org's dues sheet for a month (no org yet: an empty sheet).
    DuesSheet { org_id: Option<i64>, month: Month },
}

/// What the app hands a screen for a `Want`.
#[derive(Debug, Clone)]
pub enum Data {
    Figures(Option<std::sync::Arc<crate::report::MonthlyReport>>),
    LedgerEmpty(bool),
    RecycleBin(Vec<crate::store::RecycleItem>),
    MonthMeetings(Vec<crate::domain::records::Meeting>),
    OrgMembers(i64, Vec<crate::domain::records::Member>),
    MonthFunds {
        /// Each org's balance brought forward (None: the township's own).
        opening: Vec<(Option<i64>, crate::domain::money::Fen)>,
        entries: Vec<crate::domain::records::FundEntry>,
    },
    LastFundEntry(Option<crate::domain::records::FundEntry>),
    DuesSheet {
        org_id: Option<i64>,
        rows: Vec<(crate::domain::records::Dues, String)>,
    },
}

/// What a write changed, so that only the screens it touches reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    /// Records of any kind (a save, a void, an undo, an import): names,
    /// lists and figures.
    Records,
    /// Dues payments only: the dues sheet and the figures, no names.
    Dues,
    /// The settings: the figures (township, limits, rules) and the welcome.
    Settings,
}

/// Every screen, as the app sees it.
pub trait Screen {
    /// Handles a key; false when the screen has no use for it.
    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool;
    /// Text pasted (bracketed paste) into the field with focus.
    fn paste(&mut self, _s: &str) {}
    /// The commands of the screen in its present state (list, form, pick
    /// list): the F-key bar and the F1 help.
    fn commands(&self) -> Vec<Command>;
    /// The screen's part of the status line.
    fn status(&self) -> String;
    /// Draws the screen; returns where the caret goes.
    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)>;
    /// The title when it is not the tab's (a sub-list: 党组织 / 覆盖单位).
    fn title(&self) -> Option<&'static str> {
        None
    }
    /// A text field has focus: digits and letters are typed, not commands.
    fn text_focus(&self) -> bool {
        false
    }
    /// The screen takes digits as input although no text field has focus
    /// (the dues sheet's amount paid).
    fn takes_digits(&self) -> bool {
        false
    }
    /// F2 opens the recycle bin here (a list, not a form).
    fn bin_key(&self) -> bool {
        false
    }
    /// The month the screen shows (the status line says it).
    fn month(&self) -> Option<Month> {
        None
    }
    /// What the screen needs from the ledger now.
    fn wants(&self, _cx: &Ctx) -> Vec<Want> {
        Vec::new()
    }
    /// The data asked for with `wants`; Err: why it cannot be shown (the
    /// app puts it in the status line).
    fn give(&mut self, _data: Data, _cx: &Ctx) -> Result<(), String> {
        Ok(())
    }
    /// The data asked for could not be read (the app shows why in the
    /// status line; a screen may show it in place of its list).
    fn failed(&mut self, _msg: &str) {}
    /// A write changed the ledger: mark what must be read again.
    fn changed(&mut self, _what: Changed) {}
    /// A name picked from the pick list this screen asked for (`Msg::Pick`).
    fn picked(&mut self, _target: PickFor, _id: i64, _name: &str, _out: &mut Vec<Msg>) {}
    /// The form open on this screen, if any.
    fn form(&self) -> Option<&dyn FormHost> {
        None
    }
    fn form_mut(&mut self) -> Option<&mut dyn FormHost> {
        None
    }
}

/// A form the app saves, keeps drafts of and closes, whatever its screen.
pub trait FormHost {
    /// Something typed and not saved.
    fn dirty(&self) -> bool;
    /// The draft to keep now: (key, JSON).
    fn draft(&self) -> Option<(String, String)> {
        None
    }
    /// Where the form's draft is kept (deleted in the save's commit).
    fn draft_key(&self) -> Option<String> {
        None
    }
    /// Checks the form and builds the message that saves it; Err: what to
    /// correct (already shown in the form).
    fn save(&mut self, cx: &Ctx) -> Result<Msg, String>;
    /// The record was saved: close or reset the form; returns what the
    /// status line says.
    fn saved(&mut self, rec: Rec) -> Option<String>;
    /// The store refused the save: the reason, shown in the form.
    fn save_failed(&mut self, msg: &str);
    /// Closes the form without saving.
    fn discard(&mut self);
    /// A record added from a pick list (F5) is picked in the field.
    fn referenced_added(&mut self, _kind: RefKind, _name: &str) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::records::Settings;
    use crate::store::RecycleItem;
    use crate::tui::keymap::{FORM_COMMANDS, GLOBAL_COMMANDS, LIST_COMMANDS, PICK_COMMANDS};
    use crate::tui::screens::Lookups;
    use crate::tui::screens::recycle::Recycle;
    use crate::tui::theme::Theme;

    fn cx<'a>(lk: &'a Lookups, st: &'a Settings) -> Ctx<'a> {
        Ctx {
            today: chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default(),
            lookups: lk,
            settings: st,
            theme: Theme::new(false),
            read_only: None,
        }
    }

    /// Every F-key on the bar has its help line, naming that key.
    #[test]
    fn bar_and_help_come_from_one_list() {
        for list in [LIST_COMMANDS, FORM_COMMANDS, PICK_COMMANDS, GLOBAL_COMMANDS] {
            let help = help_lines(list);
            for (n, label) in bar(list) {
                assert!(!label.is_empty());
                let key = format!("F{n}");
                assert!(
                    help.iter()
                        .any(|(k, _)| k.split(' ').next() == Some(key.as_str())),
                    "{key} {label} has no help line"
                );
            }
        }
    }

    /// An F-key named twice is shown and explained once, as the first says.
    #[test]
    fn first_command_of_a_key_wins() {
        let cmds = [
            Command::f(4, "筛选", "F4", "按类型筛选"),
            Command::f(4, "筛选", "F4", "依次切换预设条件"),
            Command::keys("回车", "打开"),
        ];
        assert_eq!(bar(&cmds), vec![(4, "筛选")]);
        let help = help_lines(&cmds);
        assert_eq!(help.len(), 2);
        assert_eq!(help[0].1, "按类型筛选");
    }

    /// A screen given its data, keys in, the messages out: the recycle bin
    /// asks to restore the selected record on F8 and to purge it on Delete.
    #[test]
    fn recycle_bin_emits_restore_and_purge() {
        let (lk, st) = (Lookups::default(), Settings::default());
        let cx = cx(&lk, &st);
        let mut r = Recycle::default();
        assert_eq!(r.wants(&cx), Vec::new());
        r.changed(Changed::Records);
        assert_eq!(r.wants(&cx), vec![Want::RecycleBin]);
        let item = |id, title: &str| RecycleItem {
            table: "units",
            kind: "单位",
            id,
            title: title.to_string(),
            voided_at: "2026-12-01 10:00:00".to_string(),
        };
        let given = r.give(
            Data::RecycleBin(vec![item(3, "甲公司"), item(7, "乙公司")]),
            &cx,
        );
        assert_eq!(given, Ok(()));
        assert_eq!(r.wants(&cx), Vec::new(), "given once, not asked again");
        let mut out = Vec::new();
        assert!(r.key(Key::Down, &cx, &mut out));
        assert!(r.key(Key::F(8), &cx, &mut out));
        assert!(r.key(Key::Delete, &cx, &mut out));
        assert!(!r.key(Key::F(5), &cx, &mut out), "F5 is not the bin's");
        assert_eq!(
            out,
            vec![
                Msg::Restore {
                    table: "units",
                    id: 7,
                    title: "单位：乙公司".to_string()
                },
                Msg::AskPurge {
                    table: "units",
                    id: 7,
                    title: "单位：乙公司".to_string()
                },
            ]
        );
    }

    /// F7 on the dues sheet asks for the org pick list (a layer: nothing
    /// to add from it); the org picked is the sheet the screen then wants.
    #[test]
    fn dues_sheet_picks_its_org_through_the_app() {
        use crate::domain::dates::Month;
        use crate::tui::msg::PickFor;
        use crate::tui::screens::funds::Funds;
        use crate::tui::widgets::fields::RefKind;
        let lk = Lookups {
            orgs: vec![(1, "甲支部".to_string()), (2, "乙支部".to_string())],
            ..Lookups::default()
        };
        let st = Settings::default();
        let cx = cx(&lk, &st);
        let month = Month::of(cx.today);
        let mut f = Funds::new(month);
        let mut out = Vec::new();
        assert!(f.key(Key::F(4), &cx, &mut out), "F4: the dues sheet");
        assert!(f.key(Key::F(7), &cx, &mut out));
        assert_eq!(
            out,
            vec![Msg::Pick {
                kind: RefKind::Org,
                filter: String::new(),
                target: PickFor::Choice
            }]
        );
        assert!(
            !f.text_focus(),
            "the list is the app's layer, not the screen's"
        );
        out.clear();
        f.picked(PickFor::Choice, 2, "乙支部", &mut out);
        assert!(out.is_empty());
        assert_eq!(
            f.wants(&cx),
            vec![Want::DuesSheet {
                org_id: Some(2),
                month
            }]
        );
    }

    /// F7 on a member's 所在党组织 asks for the org pick list starting with
    /// what is typed; the name picked fills that field and keeps a draft.
    #[test]
    fn member_form_picks_its_org_through_the_app() {
        use crate::domain::records::Member;
        use crate::tui::msg::PickFor;
        use crate::tui::screens::register::RegList;
        use crate::tui::widgets::fields::{FieldKind, RefKind};
        let lk = Lookups {
            orgs: vec![(1, "下溪产业园区域党支部".to_string())],
            ..Lookups::default()
        };
        let st = Settings::default();
        let cx = cx(&lk, &st);
        let mut l: RegList<Member> = RegList::new();
        l.open_form(None, &cx);
        assert!(l.form().is_some(), "the form is open");
        let idx = match l.editing.as_ref().map(|e| {
            e.form
                .fields
                .iter()
                .position(|f| f.kind == FieldKind::Ref(RefKind::Org))
        }) {
            Some(Some(i)) => i,
            _ => panic!("a member has an org field"),
        };
        let mut out = Vec::new();
        while l.editing.as_ref().map(|e| e.form.focus) != Some(idx) {
            assert!(l.key(Key::Tab, &cx, &mut out));
        }
        out.clear();
        for c in "xxcy".chars() {
            l.key(Key::Char(c), &cx, &mut out);
        }
        out.clear();
        assert!(l.key(Key::F(7), &cx, &mut out));
        assert_eq!(
            out,
            vec![Msg::Pick {
                kind: RefKind::Org,
                filter: "xxcy".to_string(),
                target: PickFor::Field(idx)
            }]
        );
        out.clear();
        l.picked(PickFor::Field(idx), 1, "下溪产业园区域党支部", &mut out);
        assert_eq!(out, vec![Msg::FormChanged]);
        let value = l
            .editing
            .as_ref()
            .and_then(|e| e.form.fields.get(idx))
            .map(|f| f.value().to_string());
        assert_eq!(value.as_deref(), Some("下溪产业园区域党支部"));
    }

    /// F5 on 三会一课 before any line is there (a month still computing, or
    /// one with nothing to list) opens a new meeting instead of panicking.
    #[test]
    fn a_new_meeting_on_an_empty_month_opens_the_editor() {
        use crate::domain::dates::Month;
        use crate::tui::screens::meetings::Meetings;
        let (lk, st) = (Lookups::default(), Settings::default());
        let cx = cx(&lk, &st);
        let mut m = Meetings::new(Month::of(cx.today).next());
        let mut out = Vec::new();
        assert!(m.key(Key::F(5), &cx, &mut out));
        assert!(m.form().is_some(), "the editor is open");
    }

    /// A filter that leaves no record selected also takes away the facts
    /// of the record selected before (they would describe a unit the list
    /// no longer shows).
    #[test]
    fn no_record_selected_no_facts_shown() {
        use crate::domain::enums::UnitKind;
        use crate::domain::records::Unit;
        use crate::store::Page;
        use crate::tui::screens::register::RegList;
        let mut l: RegList<Unit> = RegList::new();
        let mut u = Unit::new("甲公司", UnitKind::NonPublic);
        u.id = 5;
        l.set_page(Page {
            rows: vec![u],
            total: 1,
            offset: 0,
        });
        l.set_facts(5, vec!["覆盖：空白（未覆盖）".to_string()]);
        assert_eq!(l.facts.len(), 1);
        l.set_page(Page {
            rows: Vec::new(),
            total: 0,
            offset: 0,
        });
        assert!(l.facts.is_empty(), "{:?}", l.facts);
    }
}
