//! Computed 概览s kept a short while (`services::dashboards` reads through it): plain memory
//! of this instance, in moka's cache.

use std::sync::Arc;
use std::time::Duration;

use crate::domain::dashboard::Dashboard;
use crate::error::AppResult;

/// Computed 概览s, kept `dashboards.cache_seconds` per reader (the platform, or one shop) and
/// range, so a busy console does not recount a year of payers on every load: a period's
/// distinct payers and buyers cannot come from the daily aggregates. Concurrent misses of one
/// key count once and share the result. Only figures are kept; the to-dos are always live.
#[derive(Clone)]
pub struct Cache(Option<moka::future::Cache<CacheKey, Arc<Dashboard>>>);

/// (shop id, or 0 for the platform; first day; last day)
pub type CacheKey = (i64, i64, i64);

/// At most this many computed 概览s are kept (a busy platform: every shop, a few ranges each).
const CACHE_ENTRIES: u64 = 20_000;

impl Cache {
    /// Keeps each 概览 `seconds`; 0 keeps none.
    pub fn new(seconds: u64) -> Self {
        Self((seconds > 0).then(|| {
            moka::future::Cache::builder()
                .max_capacity(CACHE_ENTRIES)
                .time_to_live(Duration::from_secs(seconds))
                .build()
        }))
    }

    /// The kept 概览 of `key`, or the one `count` makes (kept from now on; an error is not
    /// kept).
    pub async fn get_or_count(
        &self,
        key: CacheKey,
        count: impl std::future::Future<Output = AppResult<Dashboard>>,
    ) -> AppResult<Dashboard> {
        let Some(cache) = &self.0 else {
            return count.await;
        };
        cache
            .try_get_with(key, async { count.await.map(Arc::new) })
            .await
            .map(|d| (*d).clone())
            .map_err(|e| (*e).clone())
    }
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(c) => write!(f, "Cache({} 概览s)", c.entry_count()),
            None => f.write_str("Cache(off)"),
        }
    }
}
