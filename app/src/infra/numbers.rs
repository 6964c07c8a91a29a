//! Trade, order, after-sale, refund and withdrawal numbers: unique, sortable by time, digits
//! only (safe in any provider's path).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use rand::Rng;

use crate::domain::time::ChinaTime;
use crate::infra::clock::wall_ms;

/// A trade or order number: China time to the second, this process's 4-digit node number and a
/// 6-digit counter (24 digits, unique per process up to a million a second; the column's unique
/// constraint guards the rest).
pub fn new_number() -> String {
    static NODE: OnceLock<u32> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let node = *NODE.get_or_init(|| rand::thread_rng().gen_range(0..10_000));
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % 1_000_000;
    format!("{}{node:04}{n:06}", ChinaTime::of_ms(wall_ms()).compact())
}
