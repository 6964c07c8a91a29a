//! The in-memory counter of page views between two writes (`services::visits` counts into it
//! on every counted request and flushes it from the job): plain memory, so counting a view
//! costs no database work on the page's path.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::domain::time::china_day;
use crate::domain::visit::PageView;

/// Views kept in memory at most between two flushes; beyond it views are dropped (and
/// logged) rather than letting a flood of requests grow the heap without bound.
const MAX_PENDING: usize = 200_000;

/// Views not yet written, shared by every request of this server.
#[derive(Debug, Default)]
pub struct VisitCounter {
    pending: Mutex<Pending>,
}

/// What a flush takes: view counts by (China-time day, view), visitors by (day, view, id).
#[derive(Debug, Default)]
pub struct Pending {
    pub views: HashMap<(i64, PageView), i64>,
    pub visitors: HashSet<(i64, PageView, String)>,
    /// views refused because the buffer was full
    pub dropped: u64,
}

impl VisitCounter {
    /// Counts one view of `view` by `visitor` at `now_ms` (the mall's clock).
    pub fn record(&self, now_ms: i64, view: PageView, visitor: &str) {
        let Ok(mut p) = self.pending.lock() else {
            return;
        };
        if p.visitors.len() >= MAX_PENDING {
            p.dropped += 1;
            return;
        }
        let day = china_day(now_ms);
        *p.views.entry((day, view)).or_insert(0) += 1;
        p.visitors.insert((day, view, visitor.to_string()));
    }

    /// Everything counted so far, leaving the counter empty.
    pub fn take(&self) -> Pending {
        self.pending
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }

    /// Puts views back after a failed write, so a short database outage loses nothing.
    pub fn put_back(&self, back: Pending) {
        if let Ok(mut p) = self.pending.lock() {
            for (k, n) in back.views {
                *p.views.entry(k).or_insert(0) += n;
            }
            p.visitors.extend(back.visitors);
        }
    }
}
