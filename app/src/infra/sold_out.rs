//! 秒杀 items known to be sold out (`services::flash_sales` marks and reads them): plain memory
//! of this instance, so a sold-out answer costs no database work.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// Items whose activity stock ran out, as this instance last saw it. A mark lasts
/// [`SOLD_OUT_MARK`] at most, so a mark set just after another checkout's closed trade gave
/// units back cannot hide them for long; a trade closed here clears its items' marks at once.
#[derive(Debug, Default)]
pub struct SoldOut(RwLock<HashMap<i64, Instant>>);

/// How long a sold-out mark is believed without reading the item again.
pub const SOLD_OUT_MARK: Duration = Duration::from_secs(2);

impl SoldOut {
    pub fn contains(&self, item_id: i64) -> bool {
        self.0
            .read()
            .is_ok_and(|s| s.get(&item_id).is_some_and(|t| t.elapsed() < SOLD_OUT_MARK))
    }

    pub fn mark(&self, item_id: i64) {
        if let Ok(mut s) = self.0.write() {
            s.insert(item_id, Instant::now());
        }
    }

    /// Units came back: the next checkout tries the database again.
    pub fn clear(&self, items: &[i64]) {
        if let Ok(mut s) = self.0.write() {
            for i in items {
                s.remove(i);
            }
        }
    }
}
