//! What the app reads from the store for the screen in front: the data
//! it `wants` (handed over with `give`), the pages of a register list and
//! the facts beside its selected record. Screens never read the store.

use std::sync::Arc;

use super::App;
use super::facts::{Facts, report_changed};
use crate::domain::dates::Month;
use crate::error::Result;
use crate::report::MonthlyReport;
use crate::store::Store;
use crate::tui::app::Sub;
use crate::tui::figures::Figures;
use crate::tui::screen::{Data, Want};
use crate::tui::screens::register::RegList;
use crate::tui::screens::{Ctx, ScreenId, ThisMonth};

/// Reads what a screen wants.
fn fetch(store: &Store, figures: &mut Figures, version: u64, w: Want) -> Result<Data> {
    Ok(match w {
        Want::Figures(m) => Data::Figures(figures.get((m, version))),
        Want::LedgerEmpty => Data::LedgerEmpty(store.is_empty()?),
        Want::RecycleBin => Data::RecycleBin(store.recycle_bin()?),
        Want::MonthMeetings(m) => Data::MonthMeetings(store.meetings_in_month(m)?),
        Want::OrgMembers(org) => Data::OrgMembers(org, store.org_members(org)?),
        Want::MonthFunds(m) => Data::MonthFunds {
            opening: store.fund_opening(m)?,
            entries: store.fund_entries_in_month(m)?,
        },
        Want::LastFundEntry => Data::LastFundEntry(store.last_fund_entry()?),
        Want::DuesSheet { org_id, month } => Data::DuesSheet {
            org_id,
            rows: match org_id {
                Some(org) => store.dues_sheet(org, month)?,
                None => Vec::new(),
            },
        },
    })
}

impl App {
    /// Loads what the screen in front needs: what it wants (asked again
    /// after each answer, as one piece of data may lead to the next: the
    /// welcome needs no figures), and a register list's page and facts.
    pub fn refresh(&mut self) {
        if !self.loaded {
            return;
        }
        let d = self.ctx_data();
        let cx = d.cx();
        let mut served: Vec<Want> = Vec::new();
        loop {
            let wants: Vec<Want> = self
                .front()
                .wants(&cx)
                .into_iter()
                .filter(|w| !served.contains(w))
                .collect();
            if wants.is_empty() {
                break;
            }
            for w in wants {
                served.push(w);
                match fetch(&self.store, &mut self.figures, self.version, w) {
                    Ok(data) => {
                        if let Err(m) = self.front_mut().give(data, &cx) {
                            self.status = Some(m);
                        }
                    }
                    Err(e) => {
                        self.front_mut().failed(&e.message);
                        self.status = Some(e.message);
                    }
                }
            }
        }
        if let Err(e) = self.load_front_list(&cx) {
            self.status = Some(e.message);
        }
        if let Some(m) = self.figures.error.take() {
            self.status = Some(m);
        }
    }

    /// The page and facts of the register list in front. The rule
    /// warnings beside an org, a unit and an instructor are this month's
    /// report's (one rule, one answer).
    fn load_front_list(&mut self, cx: &Ctx) -> Result<()> {
        let store = &self.store;
        let figures = &mut self.figures;
        let this_month = (Month::of(self.today), self.version);
        let failed = figures.failed_for(this_month);
        if failed != self.figures_failed {
            // The facts said "computing": now they say it failed (or back).
            self.figures_failed = failed;
            self.orgs.facts_for = None;
            self.units.facts_for = None;
            self.instructors.facts_for = None;
        }
        fn month(r: &Option<Arc<MonthlyReport>>, failed: bool) -> ThisMonth<'_> {
            match r {
                Some(r) => ThisMonth::Ready(r),
                None if failed => ThisMonth::Failed,
                None => ThisMonth::Computing,
            }
        }
        match (&mut self.sub, self.screen) {
            (Some(Sub::Coverage(l)), _) => load_list(store, l, cx, ThisMonth::Computing),
            (Some(Sub::Assignments(l)), _) => load_list(store, l, cx, ThisMonth::Computing),
            (Some(Sub::Visits(l)), _) => load_list(store, l, cx, ThisMonth::Computing),
            (Some(Sub::Assessments(l)), _) => load_list(store, l, cx, ThisMonth::Computing),
            (None, ScreenId::Orgs) => {
                let r = figures.get(this_month);
                if report_changed(&mut self.orgs_report, &r) {
                    self.orgs.facts_for = None;
                }
                load_list(store, &mut self.orgs, cx, month(&r, failed))
            }
            (None, ScreenId::Units) => {
                let r = figures.get(this_month);
                if report_changed(&mut self.units_report, &r) {
                    self.units.facts_for = None;
                }
                load_list(store, &mut self.units, cx, month(&r, failed))
            }
            (None, ScreenId::Instructors) => {
                let r = figures.get(this_month);
                if report_changed(&mut self.instructors_report, &r) {
                    self.instructors.facts_for = None;
                }
                load_list(store, &mut self.instructors, cx, month(&r, failed))
            }
            (None, ScreenId::Members) => {
                load_list(store, &mut self.members, cx, ThisMonth::Computing)
            }
            _ => Ok(()),
        }
    }
}

/// A register list's page, when it wants one, and its selected record's facts.
fn load_list<R: Facts>(
    store: &Store,
    l: &mut RegList<R>,
    cx: &Ctx,
    month: ThisMonth,
) -> Result<()> {
    if let Some((offset, limit)) = l.wants_page() {
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
        if let Some((offset, limit)) = l.wants_page() {
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
        let facts = R::facts(store, r, cx, month)?;
        l.set_facts(id, facts);
    }
    Ok(())
}
