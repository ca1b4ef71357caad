//! The form drafts written by a worker thread (its own `DraftSink`
//! connection), so that a slow disk's fsync never holds up a key. The app
//! hands it the newest draft of a form (`keep`); before anything that
//! deletes or reads drafts on the main connection (a save, a discard, the
//! draft offer) it waits until every draft handed over is written
//! (`flush`), so a draft can never land after its form was saved. Dropped,
//! it writes what it was given and ends. `Draft` is what one draft holds:
//! the form's values by field key.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use std::collections::BTreeMap;

use crate::store::DraftSink;
use crate::tui::widgets::form::Form;

enum Job {
    Keep(String, String),
    Flush(Sender<()>),
}

pub struct DraftWriter {
    tx: Option<Sender<Job>>,
    worker: Option<JoinHandle<()>>,
    /// Why the worker's last draft could not be written, until the app
    /// takes it to the status line.
    failed: Arc<Mutex<Option<String>>>,
}

/// The status line when a draft cannot be written (the form is still on
/// screen: saving it is the way out).
pub fn not_kept(reason: &str) -> String {
    format!("草稿未能保存：{reason}；表单内容仍在屏幕上，请尽快按 F6 保存")
}

/// The status line when a draft cannot be deleted (it would be offered
/// again at the next start).
pub fn not_deleted(reason: &str) -> String {
    format!("草稿未能删除：{reason}；下次启动时如再提示恢复这份草稿，可按 丢弃")
}

impl DraftWriter {
    /// The writer for the ledger at `path` (opened when the first draft
    /// comes).
    pub fn start(path: &Path) -> DraftWriter {
        let (tx, rx) = channel::<Job>();
        let path = path.to_path_buf();
        let failed = Arc::new(Mutex::new(None));
        let report = failed.clone();
        let worker = std::thread::Builder::new()
            .name("djtz-drafts".into())
            .spawn(move || work(&path, rx, &report))
            .ok();
        DraftWriter {
            tx: worker.is_some().then_some(tx),
            worker,
            failed,
        }
    }

    /// Hands over a draft; gives it back when there is no worker (the
    /// caller then writes it itself).
    pub fn keep(&self, key: String, json: String) -> Result<(), (String, String)> {
        match &self.tx {
            Some(tx) => tx.send(Job::Keep(key, json)).map_err(|e| match e.0 {
                Job::Keep(k, j) => (k, j),
                Job::Flush(_) => (String::new(), String::new()),
            }),
            None => Err((key, json)),
        }
    }

    /// Why the last draft handed over could not be written, once.
    pub fn take_failure(&self) -> Option<String> {
        self.failed.lock().ok().and_then(|mut f| f.take())
    }

    /// Waits until every draft handed over is written.
    pub fn flush(&self) {
        let Some(tx) = &self.tx else {
            return;
        };
        let (done_tx, done_rx) = channel();
        if tx.send(Job::Flush(done_tx)).is_ok() {
            // An error means the worker is gone: nothing is pending then.
            let _ = done_rx.recv();
        }
    }
}

impl Drop for DraftWriter {
    fn drop(&mut self) {
        self.tx = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

fn work(path: &Path, rx: Receiver<Job>, failed: &Mutex<Option<String>>) {
    let fail = |reason: String| {
        if let Ok(mut f) = failed.lock() {
            *f = Some(reason);
        }
    };
    let mut sink: Option<DraftSink> = None;
    while let Ok(job) = rx.recv() {
        // Of several drafts waiting only each form's newest is written.
        let mut jobs = vec![job];
        jobs.extend(rx.try_iter());
        let mut newest: Vec<(String, String)> = Vec::new();
        let mut done = Vec::new();
        for j in jobs {
            match j {
                Job::Keep(k, json) => match newest.iter_mut().find(|(nk, _)| *nk == k) {
                    Some(slot) => slot.1 = json,
                    None => newest.push((k, json)),
                },
                Job::Flush(reply) => done.push(reply),
            }
        }
        if !newest.is_empty() && sink.is_none() {
            match DraftSink::open(path) {
                Ok(s) => sink = Some(s),
                Err(e) => fail(e.message),
            }
        }
        if let Some(s) = &sink {
            for (k, json) in &newest {
                // The form itself is still on screen; the clerk is told.
                if let Err(e) = s.save(k, json) {
                    fail(e.message);
                }
            }
        }
        for reply in done {
            let _ = reply.send(());
        }
    }
}

/// A draft as kept in the ledger.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    pub table: String,
    pub id: i64,
    pub title: String,
    /// The form's values by field key (a meeting adds its minutes and
    /// attendance under their own keys).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The values in field order, as drafts were kept before field keys
    /// (read, never written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The parent of a sub-list record (org of a coverage …).
    #[serde(default)]
    pub parent: Option<i64>,
}

impl Draft {
    /// Puts the draft's values into the form: by field key, or in field
    /// order for a draft kept by an older version.
    pub fn restore_into(&self, form: &mut Form) {
        if self.fields.is_empty() {
            form.restore_in_order(&self.values);
        } else {
            form.restore_draft(&self.fields);
        }
    }
}

#[cfg(test)]
mod draft_tests {
    use super::*;
    use crate::tui::widgets::fields::{Field, FieldId, FieldKind};

    const A: FieldId = FieldId::new("name", "名称");
    const B: FieldId = FieldId::new("phone", "联系电话");

    fn form(order: &[FieldId]) -> Form {
        let fields = order
            .iter()
            .map(|id| Field::new(*id, FieldKind::Text, false, ""))
            .collect();
        Form::new("单位", fields)
    }

    /// A draft keeps each value under its field's key, so a form whose
    /// fields come in another order (a newer version) gets them back in the
    /// right places, and a key it no longer has is skipped.
    #[test]
    fn a_draft_is_restored_by_field_key() {
        let mut f = form(&[A, B]);
        f.set(A, "甲公司");
        f.set(B, "13800000000");
        let mut fields = f.draft_values();
        fields.insert("gone".to_string(), "x".to_string());
        let d = Draft {
            table: "units".to_string(),
            id: 0,
            title: "新增单位".to_string(),
            fields,
            values: Vec::new(),
            parent: None,
        };
        let json = serde_json::to_string(&d).unwrap_or_default();
        assert!(json.contains(r#""name":"甲公司""#), "{json}");
        assert!(!json.contains(r#""values""#), "{json}");
        let back: Draft = serde_json::from_str(&json).unwrap_or(d);
        let mut g = form(&[B, A]);
        back.restore_into(&mut g);
        assert_eq!(g.get(A), "甲公司");
        assert_eq!(g.get(B), "13800000000");
    }

    /// A draft an older version kept (values in field order) still comes
    /// back after the upgrade.
    #[test]
    fn an_older_draft_in_field_order_is_restored() {
        let json = r#"{"table":"units","id":0,"title":"新增单位","values":["乙公司","0793"]}"#;
        let d: Result<Draft, _> = serde_json::from_str(json);
        let Ok(d) = d else {
            panic!("an older draft is read: {d:?}");
        };
        let mut f = form(&[A, B]);
        d.restore_into(&mut f);
        assert_eq!(f.get(A), "乙公司");
        assert_eq!(f.get(B), "0793");
    }
}
