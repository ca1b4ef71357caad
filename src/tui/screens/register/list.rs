//! The register screen: the list paged through the database, its filters
//! and sorting, the facts of the selected record, and the record's form
//! (validation in place, drafts, the leave guard).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};

use super::super::form_keys::{fill_added, fill_reference, form_key};
use super::{Editing, Register};
use crate::domain::text::{pad_right, truncate_width};
use crate::store::{ListFilter, Page};
use crate::tui::drafts::Draft;
use crate::tui::event::Key;
use crate::tui::msg::{Msg, PickFor, Rec};
use crate::tui::screen::{Changed, Command, FormHost, Screen};
use crate::tui::screens::Ctx;
use crate::tui::theme::Theme;
use crate::tui::widgets::fields::RefKind;
use crate::tui::widgets::form::{Form, FormAction};
use crate::tui::widgets::table::{self};
const PAGE_MARGIN: i64 = 40;

pub struct RegList<R: Register> {
    /// Rows loaded: positions `loaded_from ..` of the filtered list.
    pub rows: Vec<R>,
    pub loaded_from: i64,
    pub total: i64,
    pub sel: i64,
    top: i64,
    view_h: i64,
    pub filter: Input,
    pub filtering: bool,
    pub preset: usize,
    presets: Vec<(String, ListFilter)>,
    /// Filters that come with the list (sub-list parent, "this org's members").
    pub fixed: Vec<(String, ListFilter)>,
    /// 0 = in entry order; then each sortable column ascending, descending.
    pub sort: usize,
    pub stale: bool,
    pub facts: Vec<String>,
    pub facts_for: Option<i64>,
    pub editing: Option<Editing<R>>,
    /// The record last saved here (a new one is prefilled from it).
    pub last_saved: Option<R>,
    /// The parent record of a sub-list (org id of coverages …).
    pub parent: Option<(i64, String)>,
    /// A record a new one refers to by default (the unit visited least recently).
    pub suggest: Option<i64>,
    pub message: Option<String>,
}

impl<R: Register> Default for RegList<R> {
    fn default() -> Self {
        Self::new()
    }
}

impl<R: Register> RegList<R> {
    pub fn new() -> Self {
        RegList {
            rows: Vec::new(),
            loaded_from: 0,
            total: 0,
            sel: 0,
            top: 0,
            view_h: 15,
            filter: Input::default(),
            filtering: false,
            preset: 0,
            presets: R::presets(),
            fixed: Vec::new(),
            sort: 0,
            stale: true,
            facts: Vec::new(),
            facts_for: None,
            editing: None,
            last_saved: None,
            parent: None,
            suggest: None,
            message: None,
        }
    }

    pub fn with_parent(id: i64, name: &str, filter: ListFilter) -> Self {
        let mut l = Self::new();
        l.parent = Some((id, name.to_string()));
        l.fixed.push((String::new(), filter));
        l
    }

    /// The filters in force (fixed ones and the F4 preset).
    pub fn filters(&self) -> Vec<ListFilter> {
        let mut v: Vec<ListFilter> = self.fixed.iter().map(|(_, f)| *f).collect();
        if self.preset > 0
            && let Some((_, f)) = self.presets.get(self.preset - 1)
        {
            v.push(*f);
        }
        v
    }

    pub fn sort_spec(&self) -> Option<(usize, bool)> {
        if self.sort == 0 {
            return None;
        }
        let sortable: Vec<usize> = R::columns()
            .iter()
            .enumerate()
            .filter(|(_, c)| c.sort.is_some())
            .map(|(i, _)| i)
            .collect();
        let k = self.sort - 1;
        sortable.get(k / 2).map(|&i| (i, k % 2 == 1))
    }

    pub fn sort_sql(&self) -> Option<(String, bool)> {
        let (i, desc) = self.sort_spec()?;
        R::columns()[i].sort.map(|c| (c.to_string(), desc))
    }

    /// Which rows to load (offset, limit), when a reload is due.
    pub fn wants_page(&self) -> Option<(i64, i64)> {
        let inside = self.sel >= self.loaded_from
            && self.sel < self.loaded_from + self.rows.len() as i64
            && self.top >= self.loaded_from
            && self.top + self.view_h <= self.loaded_from + self.rows.len() as i64 + 1;
        if self.stale || (!inside && self.total > 0) {
            let from = (self.top - PAGE_MARGIN).max(0);
            Some((from, self.view_h + 2 * PAGE_MARGIN))
        } else {
            None
        }
    }

    pub fn set_page(&mut self, page: Page<R>) {
        self.total = page.total;
        self.loaded_from = page.offset;
        self.rows = page.rows;
        self.stale = false;
        self.clamp();
        // A page shorter than expected (rows removed): load again around sel.
        if self.sel >= self.loaded_from + self.rows.len() as i64 && self.total > 0 {
            self.loaded_from = 0;
        }
        // Nothing selected (a filter that matches nothing): no facts of a
        // record the list no longer shows.
        if self.total == 0 {
            self.facts.clear();
            self.facts_for = None;
        }
    }

    fn clamp(&mut self) {
        self.sel = self.sel.clamp(0, (self.total - 1).max(0));
        if self.sel < self.top {
            self.top = self.sel;
        }
        if self.sel >= self.top + self.view_h {
            self.top = self.sel - self.view_h + 1;
        }
        self.top = self.top.max(0);
    }

    pub fn selected(&self) -> Option<&R> {
        let i = self.sel - self.loaded_from;
        if i < 0 {
            return None;
        }
        self.rows.get(i as usize)
    }

    /// The record whose facts should be loaded, when they are not yet.
    pub fn wants_facts(&self) -> Option<&R> {
        if self.editing.is_some() {
            return None;
        }
        let r = self.selected()?;
        (self.facts_for != Some(r.id())).then_some(r)
    }

    pub fn set_facts(&mut self, id: i64, facts: Vec<String>) {
        self.facts_for = Some(id);
        self.facts = facts;
    }

    pub fn reload(&mut self) {
        self.stale = true;
        self.facts_for = None;
    }

    fn move_to(&mut self, sel: i64) {
        self.sel = sel;
        self.clamp();
    }

    pub fn open_form(&mut self, rec: Option<R>, cx: &Ctx) {
        let (base, title) = match rec {
            Some(r) => {
                let t = format!("{}：{}", R::NAME, r.title());
                (r, t)
            }
            None => {
                let parent = self.parent.as_ref().map(|p| p.0);
                let r = R::blank(cx, self.last_saved.as_ref(), parent, self.suggest);
                (r, format!("新增{}", R::NAME))
            }
        };
        let title = match &self.parent {
            Some((_, p)) => format!("{p} / {title}"),
            None => title,
        };
        let mut form = Form::new(title, base.fields(cx));
        form.read_only = cx.read_only.is_some();
        self.editing = Some(Editing { form, base });
    }

    /// Opens the form with a draft's values over the record (or a new one).
    pub fn open_draft(&mut self, rec: Option<R>, d: &Draft, cx: &Ctx) {
        self.open_form(rec, cx);
        if let Some(e) = &mut self.editing {
            d.restore_into(&mut e.form);
            e.form.message = Some("已恢复上次未保存的草稿，请核对后按 F6 保存".to_string());
        }
    }

    /// The commands of the list or the form shown.
    fn shown_commands(&self) -> Vec<Command> {
        use crate::tui::keymap::{FORM_COMMANDS, LIST_COMMANDS, SUB_LIST_BACK};
        let mut v: Vec<Command> = Vec::new();
        match &self.editing {
            Some(_) => {
                v.extend_from_slice(R::form_commands());
                v.extend_from_slice(FORM_COMMANDS);
            }
            None => {
                v.extend_from_slice(R::list_commands());
                v.extend_from_slice(LIST_COMMANDS);
                if self.parent.is_some() {
                    v.push(SUB_LIST_BACK);
                }
            }
        }
        v
    }

    pub fn close_form(&mut self) {
        self.editing = None;
        self.facts_for = None;
    }

    /// Checks the form and, when it is right, the record to save.
    pub fn try_save(&mut self, cx: &Ctx) -> Result<R, String> {
        let Some(e) = &mut self.editing else {
            return Err(String::new());
        };
        if let Some(why) = cx.read_only {
            return Err(why.to_string());
        }
        e.form.message = None;
        let readable = e.form.check_all(cx.today);
        let rec = R::from_form(&mut e.form, &e.base, cx);
        let Some(rec) = rec.filter(|_| readable) else {
            e.form.focus_first_error();
            return Err(count_msg(&e.form));
        };
        let iss = rec.validate(cx.today);
        for err in &iss.errors {
            if !e.form.set_error_labelled(err.field, &err.message) {
                e.form.message = Some(err.to_string());
            }
        }
        if !iss.is_ok() {
            e.form.focus_first_error();
            return Err(count_msg(&e.form));
        }
        if let Some(w) = iss.warnings.first() {
            self.message = Some(format!("提示：{w}"));
        }
        Ok(rec)
    }

    /// The save went through.
    pub fn saved_record(&mut self, rec: R) {
        self.last_saved = Some(rec);
        self.close_form();
        self.reload();
    }

    fn filter_changed(&mut self) {
        self.sel = 0;
        self.top = 0;
        self.reload();
    }

    fn form_key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        let Some(e) = &mut self.editing else {
            return false;
        };
        if R::form_key(&mut e.form, key, cx) {
            out.push(Msg::FormChanged);
            return true;
        }
        match form_key(&mut e.form, key, cx.today, out) {
            FormAction::NotMine => {
                if e.form.read_only && matches!(key, Key::Char(_) | Key::Backspace | Key::Delete) {
                    out.push(Msg::Status(cx.read_only.unwrap_or("只读").to_string()));
                    return true;
                }
                false
            }
            FormAction::Handled | FormAction::Changed | FormAction::Pick => true,
            FormAction::FieldLeft => {
                out.push(Msg::KeepDraft);
                true
            }
            FormAction::Save => {
                out.push(Msg::SaveForm);
                true
            }
            FormAction::Leave => {
                out.push(Msg::LeaveForm);
                true
            }
        }
    }
}

impl<R: Register> FormHost for RegList<R> {
    fn draft_key(&self) -> Option<String> {
        self.editing.as_ref().map(|e| e.draft_key())
    }

    fn save(&mut self, cx: &Ctx) -> Result<Msg, String> {
        let key = self.editing.as_ref().map(|e| e.draft_key());
        let rec = self.try_save(cx)?;
        Ok(Msg::Save {
            record: Box::new(rec.into_rec()),
            draft_key: key,
        })
    }

    fn saved(&mut self, rec: Rec) -> Option<String> {
        let r = R::from_rec(rec)?;
        let status = format!("已保存：{} {}（Ctrl+Z 可撤销）", R::NAME, r.title());
        self.saved_record(r);
        Some(status)
    }

    fn discard(&mut self) {
        self.close_form();
    }

    fn dirty(&self) -> bool {
        self.editing.as_ref().is_some_and(|e| e.form.dirty())
    }

    /// The draft of the form being edited, as kept in the ledger.
    fn draft(&self) -> Option<(String, String)> {
        let e = self.editing.as_ref()?;
        if !e.form.dirty() || e.form.read_only {
            return None;
        }
        let d = Draft {
            table: R::TABLE.to_string(),
            id: e.base.id(),
            title: e.form.title.clone(),
            fields: e.form.draft_values(),
            values: Vec::new(),
            parent: self.parent.as_ref().map(|p| p.0),
        };
        serde_json::to_string(&d).ok().map(|j| (e.draft_key(), j))
    }

    /// The store refused the save (e.g. the name is taken): the form and
    /// its text stay.
    fn save_failed(&mut self, msg: &str) {
        if let Some(e) = &mut self.editing {
            e.form.message = Some(msg.to_string());
        }
    }

    /// A record added from the pick list: its name goes into the field.
    fn referenced_added(&mut self, k: RefKind, name: &str) {
        if let Some(e) = &mut self.editing {
            fill_added(&mut e.form, k, name);
        }
    }
}

impl<R: Register> Screen for RegList<R> {
    fn picked(&mut self, target: PickFor, _id: i64, name: &str, out: &mut Vec<Msg>) {
        if let (Some(e), PickFor::Field(idx)) = (&mut self.editing, target)
            && fill_reference(&mut e.form, idx, name)
        {
            out.push(Msg::FormChanged);
        }
    }

    fn commands(&self) -> Vec<Command> {
        self.shown_commands()
    }

    fn title(&self) -> Option<&'static str> {
        self.parent.as_ref().map(|_| R::sub_title())
    }

    fn bin_key(&self) -> bool {
        !self.text_focus()
    }

    fn changed(&mut self, _what: Changed) {
        self.reload();
    }

    fn form(&self) -> Option<&dyn FormHost> {
        self.editing.as_ref().map(|_| self as &dyn FormHost)
    }

    fn form_mut(&mut self) -> Option<&mut dyn FormHost> {
        match self.editing {
            Some(_) => Some(self as &mut dyn FormHost),
            None => None,
        }
    }

    /// Handles a key; false when it is not for this screen.
    fn key(&mut self, key: Key, cx: &Ctx, out: &mut Vec<Msg>) -> bool {
        if self.editing.is_some() {
            return self.form_key(key, cx, out);
        }
        if self.filtering {
            match key {
                Key::Char(c) => {
                    self.filter.handle(InputRequest::InsertChar(c));
                    self.filter_changed();
                    return true;
                }
                Key::Backspace => {
                    self.filter.handle(InputRequest::DeletePrevChar);
                    self.filter_changed();
                    return true;
                }
                Key::Left => {
                    self.filter.handle(InputRequest::GoToPrevChar);
                    return true;
                }
                Key::Right => {
                    self.filter.handle(InputRequest::GoToNextChar);
                    return true;
                }
                Key::Enter => {
                    self.filtering = false;
                    return true;
                }
                Key::Esc => {
                    self.filtering = false;
                    self.filter = Input::default();
                    self.filter_changed();
                    return true;
                }
                _ => {}
            }
        }
        match key {
            Key::Up => self.move_to(self.sel - 1),
            Key::Down => self.move_to(self.sel + 1),
            Key::PageUp => self.move_to(self.sel - self.view_h),
            Key::PageDown => self.move_to(self.sel + self.view_h),
            Key::Home => self.move_to(0),
            Key::End => self.move_to(self.total - 1),
            Key::F(3) | Key::Char('/') => self.filtering = true,
            Key::F(4) => {
                self.preset = (self.preset + 1) % (self.presets.len() + 1);
                self.sel = 0;
                self.reload();
            }
            Key::F(6) => {
                let n = R::columns().iter().filter(|c| c.sort.is_some()).count();
                self.sort = (self.sort + 1) % (2 * n + 1);
                self.reload();
            }
            Key::F(5) | Key::Insert => {
                if let Some(why) = cx.read_only {
                    out.push(Msg::Status(why.to_string()));
                } else {
                    self.open_form(None, cx);
                }
            }
            Key::Enter => {
                if let Some(r) = self.selected().cloned() {
                    self.open_form(Some(r), cx);
                }
            }
            Key::F(8) | Key::Delete => {
                if let Some(r) = self.selected() {
                    out.push(Msg::AskVoid {
                        table: R::TABLE,
                        kind: R::NAME,
                        id: r.id(),
                        title: r.title(),
                    });
                }
            }
            Key::Esc if self.parent.is_some() => out.push(Msg::CloseSub),
            Key::Char(c) if !c.is_ascii_digit() && c != '?' && c != '？' && !c.is_control() => {
                // Type-to-search: a letter or a Chinese character starts the filter.
                self.filtering = true;
                self.filter.handle(InputRequest::InsertChar(c));
                self.filter_changed();
            }
            other => {
                if let Some(r) = self.selected().cloned() {
                    return R::list_key(&r, other, out);
                }
                return false;
            }
        }
        true
    }

    fn paste(&mut self, s: &str) {
        if let Some(e) = &mut self.editing {
            e.form.paste(s);
        } else {
            self.filtering = true;
            for c in s.chars().filter(|c| !c.is_control()) {
                self.filter.handle(InputRequest::InsertChar(c));
            }
            self.filter_changed();
        }
    }

    /// Status line part: `第 i/n 条`, the filter, the mode.
    fn status(&self) -> String {
        let mut s = if self.total > 0 {
            format!("第 {}/{} 条", self.sel + 1, self.total)
        } else {
            "无记录".to_string()
        };
        let f = self.filter.value();
        if !f.is_empty() {
            s.push_str(&format!(" | 查找：{f}"));
        }
        let labels: Vec<String> = self
            .fixed
            .iter()
            .map(|(l, _)| l.clone())
            .filter(|l| !l.is_empty())
            .chain(
                (self.preset > 0)
                    .then(|| self.presets.get(self.preset - 1).map(|p| p.0.clone()))
                    .flatten(),
            )
            .collect();
        if !labels.is_empty() {
            s.push_str(&format!(" | 筛选：{}", labels.join("，")));
        }
        let mode = match &self.editing {
            Some(e) if e.form.read_only => "查看",
            Some(e) if e.base.id() == 0 => "新增",
            Some(_) => "修改",
            None if self.filtering => "查找",
            None => "浏览",
        };
        s.push_str(&format!(" | {mode}"));
        s
    }

    /// Draws the list (or the form) in `area`; returns the cursor position.
    fn render(&mut self, f: &mut Frame, area: Rect, cx: &Ctx) -> Option<(u16, u16)> {
        let theme = cx.theme;
        if let Some(e) = &mut self.editing {
            return e.form.render(f, area, &theme, cx.today);
        }
        let mut title = match &self.parent {
            Some((_, p)) => format!(" {p} / {}（{} 条） ", R::NAME, self.total),
            None => format!(" {}（{} 条） ", R::NAME, self.total),
        };
        if let Some(m) = &self.message {
            title.push_str(&format!("{m} "));
        }
        let block = theme.block(truncate_width(&title, area.width as usize - 2));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let facts_h = if self.facts.is_empty() {
            0
        } else {
            (self.facts.len() as u16 + 1).min(5)
        };
        let filter_h = if self.filtering || !self.filter.value().is_empty() {
            1
        } else {
            0
        };
        let [filter_area, table_area, facts_area] = Layout::vertical([
            Constraint::Length(filter_h),
            Constraint::Min(2),
            Constraint::Length(facts_h),
        ])
        .areas(inner);
        self.view_h = (table_area.height as i64 - 1).max(1);
        self.clamp();
        let rows: Vec<Vec<String>> = (self.top..(self.top + self.view_h).min(self.total))
            .filter_map(|i| {
                let k = i - self.loaded_from;
                if k < 0 {
                    return None;
                }
                self.rows.get(k as usize).map(|r| r.cells(cx.lookups))
            })
            .collect();
        let empty = if self.filter.value().is_empty() && self.filters().len() == self.fixed.len() {
            format!("还没有{}，按 F5 新增", R::NAME)
        } else {
            "没有符合条件的记录（Esc 清除查找，F4 切换筛选）".to_string()
        };
        table::render(
            f,
            table_area,
            &theme,
            &table::View {
                cols: R::columns(),
                rows: &rows,
                selected: Some((self.sel - self.top) as usize),
                sorted: self.sort_spec(),
                empty_text: &empty,
            },
        );
        if facts_h > 0 {
            render_facts(f, facts_area, &theme, &self.facts);
        }
        if filter_h > 0 {
            let line = Line::from(vec![
                Span::styled("查找：", theme.header()),
                Span::styled(self.filter.value().to_string(), theme.field()),
                Span::styled(
                    if self.filtering {
                        "  （回车确定，Esc 清除）"
                    } else {
                        ""
                    },
                    theme.dim(),
                ),
            ]);
            f.render_widget(Paragraph::new(line), filter_area);
            if self.filtering {
                return Some((
                    filter_area.x + 6 + self.filter.visual_cursor() as u16,
                    filter_area.y,
                ));
            }
        }
        None
    }

    /// True when typing goes into a text field here.
    fn text_focus(&self) -> bool {
        self.filtering || self.editing.is_some()
    }
}

fn count_msg(form: &Form) -> String {
    let n = form.fields.iter().filter(|f| f.error.is_some()).count();
    if n > 0 {
        format!("有 {n} 处需要修改，已停在第一处；填写的内容都还在")
    } else {
        form.message
            .clone()
            .unwrap_or_else(|| "请修改后再保存".to_string())
    }
}

fn render_facts(f: &mut Frame, area: Rect, theme: &Theme, facts: &[String]) {
    let w = area.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        theme.hline().repeat(w),
        theme.dim(),
    ))];
    for l in facts.iter().take(area.height as usize - 1) {
        let style = if l.starts_with('!') {
            theme.warn()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(
            pad_right(&truncate_width(l, w), w),
            style,
        )));
    }
    f.render_widget(Paragraph::new(lines), area);
}
