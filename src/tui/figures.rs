//! The month's report computed off the UI thread. `Ledger::load_for_month`
//! plus `report::compute` take most of a second on a large ledger; a worker
//! thread with its own read-only connection does them, keeps nothing but
//! the `MonthlyReport` (the loaded `Ledger` is dropped at once), and the app
//! picks the result up when it arrives. Every request carries the month and
//! the app's data version (bumped after each write): a result for another
//! month or an older version is dropped, never shown.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::time::Duration;

use crate::domain::dates::Month;
use crate::domain::ledger::Ledger;
use crate::report::MonthlyReport;
use crate::store::Store;

/// Which report: the month and the data version it was computed from.
pub type Key = (Month, u64);

/// How many reports are kept (the overview's, the report screen's and the
/// meetings screen's month may differ).
const KEEP: usize = 3;

/// How long `wait` waits for the worker at most (tests, benches).
const WAIT_LIMIT: Duration = Duration::from_secs(120);

struct Reply {
    key: Key,
    result: std::result::Result<MonthlyReport, String>,
}

/// The worker and what came back from it.
pub struct Figures {
    tx: Option<Sender<Key>>,
    rx: Receiver<Reply>,
    /// The last request sent and not yet answered.
    pending: Option<Key>,
    /// Results of the current data version, newest first.
    kept: Vec<(Key, Arc<MonthlyReport>)>,
    /// Why the last computation failed (shown by the app once).
    pub error: Option<String>,
    /// The request that failed: not asked again until the data changes
    /// (a new version), or every refresh would ask and fail again.
    failed: Option<Key>,
}

impl Figures {
    /// Starts the worker for the ledger at `path` (which this process has
    /// open already; the worker opens it again read-only when first asked).
    pub fn start(path: &Path) -> Figures {
        let (tx, req_rx) = channel::<Key>();
        let (reply_tx, rx) = channel::<Reply>();
        let path = path.to_path_buf();
        let spawned = std::thread::Builder::new()
            .name("djtz-figures".into())
            .spawn(move || worker(path, req_rx, reply_tx));
        Figures {
            tx: spawned.ok().map(|_| tx),
            rx,
            pending: None,
            kept: Vec::new(),
            error: None,
            failed: None,
        }
    }

    /// The report for `key` if it is in, else asks the worker for it (once)
    /// and returns None.
    pub fn get(&mut self, key: Key) -> Option<Arc<MonthlyReport>> {
        self.kept.retain(|(k, _)| k.1 == key.1);
        if let Some((_, r)) = self.kept.iter().find(|(k, _)| *k == key) {
            return Some(r.clone());
        }
        if self.failed == Some(key) {
            return None;
        }
        if self.pending != Some(key) {
            match &self.tx {
                Some(tx) if tx.send(key).is_ok() => self.pending = Some(key),
                _ => {
                    self.pending = None;
                    self.error = Some("无法启动统计线程，本月数字暂不能显示".to_string());
                }
            }
        }
        None
    }

    /// A computation is under way.
    /// The figures for `key` could not be computed (or no worker runs):
    /// they will not come until the data changes.
    pub fn failed_for(&self, key: Key) -> bool {
        self.tx.is_none() || self.failed == Some(key)
    }

    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Takes whatever the worker has sent; true when the pending result
    /// came in (so the screen in front should be refreshed).
    pub fn poll(&mut self) -> bool {
        let mut arrived = false;
        loop {
            match self.rx.try_recv() {
                Ok(reply) => arrived |= self.take(reply),
                Err(TryRecvError::Empty) => return arrived,
                Err(TryRecvError::Disconnected) => {
                    arrived |= self.lost();
                    return arrived;
                }
            }
        }
    }

    /// Blocks until the pending result is in (or the worker is gone); for
    /// tests and benches, which must see the same screen every run.
    pub fn wait(&mut self) -> bool {
        let mut arrived = false;
        while self.pending.is_some() {
            match self.rx.recv_timeout(WAIT_LIMIT) {
                Ok(reply) => arrived |= self.take(reply),
                Err(RecvTimeoutError::Timeout) => {
                    self.error = Some("统计超时".to_string());
                    self.pending = None;
                    return true;
                }
                Err(RecvTimeoutError::Disconnected) => return self.lost() || arrived,
            }
        }
        arrived
    }

    /// Keeps a reply if it answers the pending request; drops it otherwise
    /// (another month, or data that changed since).
    fn take(&mut self, reply: Reply) -> bool {
        if self.pending != Some(reply.key) {
            return false;
        }
        self.pending = None;
        match reply.result {
            Ok(r) => {
                self.kept
                    .retain(|(k, _)| k.1 == reply.key.1 && *k != reply.key);
                self.kept.insert(0, (reply.key, Arc::new(r)));
                self.kept.truncate(KEEP);
            }
            Err(m) => {
                self.error = Some(m);
                self.failed = Some(reply.key);
            }
        }
        true
    }

    fn lost(&mut self) -> bool {
        self.tx = None;
        let was = self.pending.take().is_some();
        if was {
            self.error = Some("统计线程意外退出，本月数字暂不能显示".to_string());
        }
        was
    }
}

/// Answers requests, always the newest one waiting (older ones are
/// superseded: the app only wants the last one it sent).
fn worker(path: PathBuf, rx: Receiver<Key>, tx: Sender<Reply>) {
    let mut store: Option<Store> = None;
    while let Ok(mut key) = rx.recv() {
        while let Ok(newer) = rx.try_recv() {
            key = newer;
        }
        let result = compute(&path, &mut store, key.0);
        if tx.send(Reply { key, result }).is_err() {
            return;
        }
    }
}

fn compute(
    path: &Path,
    store: &mut Option<Store>,
    month: Month,
) -> std::result::Result<MonthlyReport, String> {
    if store.is_none() {
        *store = Some(Store::open_reader(path).map_err(|e| e.message)?);
    }
    let Some(s) = store.as_ref() else {
        return Err("无法读取台账".to_string());
    };
    let ledger = Ledger::load_for_month(s, month).map_err(|e| e.message)?;
    let r = crate::report::compute(&ledger, month, chrono::Local::now().fixed_offset())
        .map_err(|e| e.message);
    // Only the report stays; the loaded month goes at once.
    drop(ledger);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: u32) -> Month {
        Month::new(2026, m).unwrap_or_else(|| Month::of(chrono::Local::now().date_naive()))
    }

    fn ledger() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let s = Store::open(&dir.path().join("t.db")).unwrap_or_else(|e| panic!("{e:?}"));
        (dir, s)
    }

    #[test]
    fn result_arrives_for_the_key_asked() {
        let (_d, s) = ledger();
        let mut f = Figures::start(s.path());
        assert!(f.get((month(10), 1)).is_none());
        assert!(f.pending());
        assert!(f.wait());
        let r = f.get((month(10), 1));
        assert_eq!(r.map(|r| r.month), Some(month(10)));
        assert!(!f.pending());
    }

    #[test]
    fn superseded_and_stale_results_are_dropped() {
        let (_d, s) = ledger();
        let mut f = Figures::start(s.path());
        // Asked for October, then November before anything came back.
        f.get((month(10), 1));
        f.get((month(11), 1));
        f.wait();
        assert!(f.kept.iter().all(|(k, _)| *k == (month(11), 1)));
        // A reply for an older version is never kept, even for the month.
        f.pending = Some((month(11), 2));
        assert!(!f.take(Reply {
            key: (month(11), 1),
            result: Err("old".into())
        }));
        assert!(f.error.is_none());
        // A new version forgets what the old one computed.
        assert!(f.get((month(11), 3)).is_none());
        assert!(f.kept.is_empty());
    }

    #[test]
    fn a_failed_request_is_not_asked_again_until_the_data_changes() {
        let (_d, s) = ledger();
        let mut f = Figures::start(s.path());
        f.pending = Some((month(10), 1));
        assert!(f.take(Reply {
            key: (month(10), 1),
            result: Err("金额合计超出可计算的范围".into())
        }));
        assert!(f.error.take().is_some());
        // The same request: no new computation (a refresh after the error
        // would otherwise ask, fail and refresh again for ever).
        assert!(f.get((month(10), 1)).is_none());
        assert!(!f.pending());
        // Data changed: asked again.
        assert!(f.get((month(10), 2)).is_none());
        assert!(f.pending());
    }
}
