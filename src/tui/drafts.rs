//! The form drafts written by a worker thread (its own `DraftSink`
//! connection), so that a slow disk's fsync never holds up a key. The app
//! hands it the newest draft of a form (`keep`); before anything that
//! deletes or reads drafts on the main connection (a save, a discard, the
//! draft offer) it waits until every draft handed over is written
//! (`flush`), so a draft can never land after its form was saved. Dropped,
//! it writes what it was given and ends.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::store::DraftSink;

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
