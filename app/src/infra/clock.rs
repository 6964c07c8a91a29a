//! Time as stored: integer milliseconds since the Unix epoch (portable across SQLite and
//! PostgreSQL), read from one [`Clock`] per [`AppState`](crate::state::AppState).
//!
//! Every rule that reads the time (pay deadlines, automatic confirmation, after-sale windows,
//! refund retries, settlement periods and cycles, ledger periods, token expiry, the dashboards'
//! days, shoppers' sign-up days among them) and every stamp such a rule later reads take it from
//! the state's clock, so a test moves time forward with [`Clock::advance`] instead of sleeping
//! or editing rows. [`wall_ms`] is left for what no rule reads back (the bookkeeping
//! `created_at`/`updated_at` of staff and admin accounts, addresses, carts, products, shops and
//! audit rows) and for signatures checked by another party (WeChat Pay, the
//! simulated provider's notifications), whose peer reads the wall clock.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The wall clock in milliseconds since the Unix epoch (UTC).
pub fn wall_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The mall's clock: the wall clock plus an offset that starts at zero. Clones share the
/// offset, so advancing a state's clock moves it for every handler and job of that state (and
/// for no other state: parallel tests each have their own).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Milliseconds since the Unix epoch (UTC), as the mall sees it.
    pub fn now_ms(&self) -> i64 {
        wall_ms() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// A clock that reads `start_ms` now and runs on from there: for living through a history
    /// before today (`seed-demo --history-days`); the serving mall's clock is the default one.
    pub fn starting_at(start_ms: i64) -> Self {
        Clock {
            offset_ms: Arc::new(AtomicI64::new(start_ms - wall_ms())),
        }
    }

    /// Moves this clock forward; time never goes back. Tests use it to reach a deadline; nothing
    /// in the serving mall calls it.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_every_clone_and_no_other_clock() {
        let clock = Clock::default();
        let shared = clock.clone();
        let other = Clock::default();
        let before = clock.now_ms();
        shared.advance(Duration::from_secs(3600));
        assert!(clock.now_ms() - before >= 3_600_000);
        assert!(other.now_ms() - before < 3_600_000);
    }
}
