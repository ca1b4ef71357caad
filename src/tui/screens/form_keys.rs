//! What every record form does with a key, whatever its screen: the
//! field takes it, F7 on a reference asks the app for the pick list (a
//! layer over the screen), a change is reported so the draft is kept.

use crate::tui::event::Key;
use crate::tui::msg::{Msg, PickFor};
use crate::tui::widgets::fields::{FieldKind, RefKind};
use crate::tui::widgets::form::{Form, FormAction};
use crate::tui::widgets::path_prompt::{PathPrompt, Prompted};

/// Hands the key to the form; F7 becomes `Msg::Pick` for the focused
/// reference field and a change `Msg::FormChanged`. Returns what the form
/// wants (Save, Leave …).
pub fn form_key(
    form: &mut Form,
    key: Key,
    today: chrono::NaiveDate,
    out: &mut Vec<Msg>,
) -> FormAction {
    let a = form.key(key, today);
    match a {
        FormAction::Pick => {
            if let Some(f) = form.fields.get(form.focus)
                && let FieldKind::Ref(kind) = f.kind
            {
                out.push(Msg::Pick {
                    kind,
                    filter: f.value().to_string(),
                    target: PickFor::Field(form.focus),
                });
            }
            FormAction::Handled
        }
        FormAction::Changed => {
            out.push(Msg::FormChanged);
            a
        }
        other => other,
    }
}

/// A name picked (or a record added from the pick list) goes into the
/// reference field at `idx`, clearing its error.
pub fn fill_reference(form: &mut Form, idx: usize, name: &str) -> bool {
    match form.fields.get_mut(idx) {
        Some(f) if matches!(f.kind, FieldKind::Ref(_)) => {
            f.set(name);
            f.error = None;
            true
        }
        _ => false,
    }
}

/// A record of `kind` added from the pick list (F5): its name goes into the
/// focused field when that field refers to `kind`.
pub fn fill_added(form: &mut Form, kind: RefKind, name: &str) {
    let idx = form.focus;
    if form
        .focused()
        .is_some_and(|f| f.kind == FieldKind::Ref(kind))
    {
        fill_reference(form, idx, name);
    }
}

/// The import's path prompt in `slot` (概览 and 报表), when open, takes the
/// key: a path given asks the app to check the workbook first (a dry run),
/// Esc closes it. False when no prompt is open.
pub fn import_key(
    slot: &mut Option<PathPrompt>,
    key: Key,
    today: chrono::NaiveDate,
    out: &mut Vec<Msg>,
) -> bool {
    let Some(p) = slot else {
        return false;
    };
    match p.key(key, today) {
        Prompted::Path(path) => out.push(Msg::Import {
            path,
            dry_run: true,
        }),
        Prompted::Closed => *slot = None,
        Prompted::Open => {}
    }
    true
}
