//! Admission to a 秒杀 item's checkout, in this instance's memory (`services::flash_sales`
//! admits, `services::checkout` holds the ticket while it writes).
//!
//! The database stays the one authority: a checkout takes activity stock with a guarded update
//! under lock, so nothing here can oversell. What the gate decides is who may *try*. In a rush
//! of thousands for 100 units, without it every request in flight before the 100th sale priced
//! and queued for the writer only to be refused there, and the sold-out answers waited behind
//! the write path. With it, the units not yet sold are shared out in memory: while the tickets
//! in flight cover every unit left, later buyers are answered 已抢光 at once; a ticket whose
//! checkout fails gives its units back to the gate for the next buyer. No crate offers this
//! (it is a counter beside a cached read, specific to activity stock); several instances share
//! it in Redis later.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::futures::OwnedNotified;
use tokio::sync::Notify;

/// Admission counters per flash-sale item (`flash_sale_items.id`).
#[derive(Debug)]
pub struct FlashGate {
    entries: Mutex<HashMap<i64, Entry>>,
    /// how long a read of unsold units is believed ([`FRESH_FOR`] but in tests)
    fresh_for: Duration,
}

impl Default for FlashGate {
    fn default() -> Self {
        Self::believing_reads_for(FRESH_FOR)
    }
}

#[derive(Debug)]
struct Entry {
    /// units unsold when last read from the database, less what this instance sold since
    left: i64,
    /// when `left` was read; `None` once units came back (a closed trade), so the next buyer
    /// reads again
    read_at: Option<Instant>,
    /// since when one buyer is reading `left` again for everyone (the others keep the old
    /// figure meanwhile, so a rush does not read the row once per buyer)
    reading_since: Option<Instant>,
    /// units admitted to checkouts still running
    in_flight: i64,
    /// checkout keys (`trades.idempotency_key`) of the trades holding units of the item, as
    /// of the read plus this instance's sales since: a key among them may be a winner asking
    /// again, who must get their trade
    keys: HashSet<String>,
    /// checkout keys with a checkout of the item running (how many)
    buying: HashMap<String, u32>,
    /// wakes the buyers waiting for a read when there is no figure to use meanwhile (the
    /// first wave of a rush, or units given back): one reads, the rest wait for it
    learned: Arc<Notify>,
    /// whether `keys` was ever read (a sold-out mark needs them, [`FlashGate::gone_for`]
    /// trusts them)
    known: bool,
}

/// How long a read of an item's unsold units is believed. Another instance's sales or closed
/// trades reach this one's gate within this time; sales refused by the database meanwhile
/// are safe (the guarded update refuses them), a unit given back elsewhere waits this long.
pub const FRESH_FOR: Duration = Duration::from_secs(2);

/// What the gate answers a buyer.
#[derive(Debug)]
pub enum Admission {
    /// may check out; the units stay reserved until the ticket is dropped
    Admitted(Ticket),
    /// every unit left is sold or reserved by checkouts in flight
    SoldOut,
    /// the gate does not know the item's units: read them, [`FlashGate::learn`] (or
    /// [`FlashGate::read_failed`]), ask again
    Unknown,
    /// another buyer is reading the item's units and there is no figure to use meanwhile:
    /// await this (bounded by a timeout; the reader may fail), then ask again
    Wait(OwnedNotified),
}

/// Units of one item reserved for one running checkout. Dropping it gives them back to the
/// gate, unless [`Ticket::sold`] said they were sold.
#[derive(Debug)]
pub struct Ticket {
    gate: Arc<FlashGate>,
    item: i64,
    key: String,
    qty: i64,
    sold: bool,
}

impl FlashGate {
    /// A gate that reads an item's unsold units again once a read is `fresh_for` old.
    pub fn believing_reads_for(fresh_for: Duration) -> Self {
        Self {
            entries: Mutex::default(),
            fresh_for,
        }
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<i64, Entry>> {
        // a panic while holding this lock leaves plain counters, still usable
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reserves `qty` units of `item` for the checkout keyed `key` (its idempotency key; at
    /// most the units left less those reserved), or answers sold out when none are free. A
    /// key whose checkout of the item is running (a double tap) is let through without
    /// reserving: the database answers it with the same trade.
    pub fn admit(self: &Arc<Self>, item: i64, key: &str, qty: i64) -> Admission {
        let mut entries = self.entries();
        let e = entries.entry(item).or_insert_with(Entry::unknown);
        let fresh = e.read_at.is_some_and(|t| t.elapsed() < self.fresh_for);
        if !fresh {
            let someone_reading = e
                .reading_since
                .is_some_and(|t| t.elapsed() < self.fresh_for);
            if !someone_reading {
                e.reading_since = Some(Instant::now());
                return Admission::Unknown;
            }
            if e.read_at.is_none() {
                // created under the lock, so the reader's wake-up cannot slip by before it
                return Admission::Wait(e.learned.clone().notified_owned());
            }
        }
        let free = e.left - e.in_flight;
        let qty = if e.buying.contains_key(key) {
            0
        } else if free <= 0 {
            return Admission::SoldOut;
        } else {
            // a buyer asking more than is free is let through to hear the real answer (the
            // per-order limit, or what the database's take says) holding only what is free
            qty.clamp(1, free)
        };
        e.in_flight += qty;
        *e.buying.entry(key.to_owned()).or_default() += 1;
        Admission::Admitted(Ticket {
            gate: self.clone(),
            item,
            key: key.to_owned(),
            qty,
            sold: false,
        })
    }

    /// Whether the checkout keyed `key` may hear 已抢光 for `item` before any read, even of
    /// who is asking: as of a fresh read no unit is free, and no trade holding units was made
    /// with that key nor is a checkout with it running (a winner asking again gets their
    /// trade). Nothing private is told: the sold-out state is public, and keys are random.
    /// Several instances: a buyer who won on another one in the last [`FRESH_FOR`] and asks
    /// again with the same key hears 已抢光 here, their trade stays in 待付款.
    pub fn gone_for(&self, item: i64, key: &str) -> bool {
        self.entries().get(&item).is_some_and(|e| {
            e.read_at.is_some_and(|t| t.elapsed() < self.fresh_for)
                && e.left - e.in_flight <= 0
                && !e.keys.contains(key)
                && !e.buying.contains_key(key)
        })
    }

    /// What the database says of `item` just now: its unsold units (`quantity - sold`) and
    /// the checkout keys of the trades holding some.
    pub fn learn(&self, item: i64, left: i64, keys: impl IntoIterator<Item = String>) {
        let mut entries = self.entries();
        let e = entries.entry(item).or_insert_with(Entry::unknown);
        e.left = left;
        e.keys = keys.into_iter().collect();
        e.read_at = Some(Instant::now());
        e.reading_since = None;
        e.known = true;
        e.learned.notify_waiters();
    }

    /// The buyer told to read `item` could not (an error, or the item is not there): the next
    /// buyer reads instead, and those waiting ask again now.
    pub fn read_failed(&self, item: i64) {
        if let Some(e) = self.entries().get_mut(&item) {
            e.reading_since = None;
            e.learned.notify_waiters();
        }
    }

    /// Whether `item` is known, as of a fresh read, to have nothing unsold (reservations not
    /// counted: a preview shows the item buyable while others are checking out).
    pub fn sold_out(&self, item: i64) -> bool {
        self.entries()
            .get(&item)
            .is_some_and(|e| e.left <= 0 && e.read_at.is_some_and(|t| t.elapsed() < self.fresh_for))
    }

    /// The database refused a take or showed nothing unsold: the item is sold out.
    pub fn mark_sold_out(&self, item: i64) {
        let mut entries = self.entries();
        if let Some(e) = entries.get_mut(&item).filter(|e| e.known) {
            e.left = 0;
            e.read_at = Some(Instant::now());
        }
    }

    /// Units came back to these items (closed trades): the next buyer reads them again.
    pub fn returned(&self, items: &[i64]) {
        let mut entries = self.entries();
        for i in items {
            if let Some(e) = entries.get_mut(i) {
                e.read_at = None;
            }
        }
    }
}

impl Entry {
    /// An item nobody has read yet: no figure, nobody reading.
    fn unknown() -> Self {
        Self {
            left: 0,
            read_at: None,
            reading_since: None,
            in_flight: 0,
            keys: HashSet::new(),
            buying: HashMap::new(),
            learned: Arc::new(Notify::new()),
            known: false,
        }
    }
}

impl Ticket {
    /// The checkout committed: the units are sold, not given back.
    pub fn sold(mut self) {
        self.sold = true;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut entries = self.gate.entries();
        if let Some(e) = entries.get_mut(&self.item) {
            e.in_flight -= self.qty;
            if let Some(n) = e.buying.get_mut(&self.key) {
                *n -= 1;
                if *n == 0 {
                    e.buying.remove(&self.key);
                }
            }
            if self.sold {
                e.left = (e.left - self.qty).max(0);
                e.keys.insert(std::mem::take(&mut self.key));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|k| k.to_string()).collect()
    }

    fn admitted(a: Admission) -> Ticket {
        match a {
            Admission::Admitted(t) => t,
            other => panic!("expected a ticket, got {other:?}"),
        }
    }

    #[test]
    fn reserves_no_more_than_is_left_and_takes_back_what_failed() {
        let gate = Arc::new(FlashGate::default());
        assert!(matches!(gate.admit(7, "k1", 1), Admission::Unknown));
        gate.learn(7, 2, keys(&[]));
        let a = admitted(gate.admit(7, "k1", 1));
        let b = admitted(gate.admit(7, "k2", 1));
        assert!(matches!(gate.admit(7, "k3", 1), Admission::SoldOut));
        assert!(gate.gone_for(7, "k3"));
        assert!(!gate.sold_out(7), "reserved is not sold");
        drop(b); // that checkout failed: its unit is free again
        assert!(!gate.gone_for(7, "k3"));
        let c = admitted(gate.admit(7, "k3", 1));
        a.sold();
        c.sold();
        assert!(gate.sold_out(7));
        assert!(matches!(gate.admit(7, "k4", 1), Admission::SoldOut));
        assert!(gate.gone_for(7, "k2"), "2 holds none");
        assert!(
            !gate.gone_for(7, "k1"),
            "1 holds one: their key may have made a trade"
        );
    }

    #[test]
    fn a_buyer_asking_more_than_is_free_holds_only_what_is_free() {
        let gate = Arc::new(FlashGate::default());
        gate.learn(1, 2, keys(&[]));
        let big = admitted(gate.admit(1, "k1", 5));
        assert!(matches!(gate.admit(1, "k2", 1), Admission::SoldOut));
        drop(big); // refused by its per-order limit
        admitted(gate.admit(1, "k2", 2)).sold();
        assert!(gate.sold_out(1));
    }

    #[test]
    fn a_double_tap_is_let_through_for_the_database_to_answer() {
        let gate = Arc::new(FlashGate::default());
        gate.learn(4, 1, keys(&[]));
        let first = admitted(gate.admit(4, "k9", 1));
        assert!(!gate.gone_for(4, "k9"));
        let second = admitted(gate.admit(4, "k9", 1));
        assert!(matches!(gate.admit(4, "k8", 1), Admission::SoldOut));
        drop(second);
        first.sold();
        assert!(gate.sold_out(4));
    }

    #[test]
    fn units_given_back_are_read_again() {
        let gate = Arc::new(FlashGate::default());
        gate.learn(3, 0, keys(&["k5"]));
        assert!(matches!(gate.admit(3, "k6", 1), Admission::SoldOut));
        assert!(gate.gone_for(3, "k6") && !gate.gone_for(3, "k5"));
        gate.returned(&[3]);
        assert!(!gate.sold_out(3) && !gate.gone_for(3, "k6"));
        assert!(matches!(gate.admit(3, "k6", 1), Admission::Unknown));
        gate.learn(3, 1, keys(&[]));
        drop(admitted(gate.admit(3, "k6", 1)));
        gate.mark_sold_out(3);
        assert!(matches!(gate.admit(3, "k6", 1), Admission::SoldOut));
    }

    #[test]
    fn an_old_read_is_read_again_by_one_buyer_while_the_others_use_it() {
        let fresh_for = Duration::from_millis(30);
        let gate = Arc::new(FlashGate::believing_reads_for(fresh_for));
        gate.learn(5, 0, keys(&[]));
        assert!(gate.sold_out(5));
        std::thread::sleep(fresh_for * 2);
        assert!(
            !gate.sold_out(5),
            "another instance may have given units back"
        );
        assert!(!gate.gone_for(5, "k1"));
        assert!(
            matches!(gate.admit(5, "k1", 1), Admission::Unknown),
            "the first reads"
        );
        assert!(
            matches!(gate.admit(5, "k2", 1), Admission::SoldOut),
            "the rest keep the old read"
        );
        gate.learn(5, 1, keys(&[]));
        admitted(gate.admit(5, "k1", 1)).sold();
        assert!(gate.sold_out(5));
    }

    #[tokio::test]
    async fn the_first_wave_waits_for_one_read() {
        let gate = Arc::new(FlashGate::default());
        assert!(
            matches!(gate.admit(2, "k1", 1), Admission::Unknown),
            "1 reads"
        );
        let Admission::Wait(second) = gate.admit(2, "k2", 1) else {
            panic!("2 should wait for the read of 1");
        };
        let Admission::Wait(third) = gate.admit(2, "k3", 1) else {
            panic!("3 should wait for the read of 1");
        };
        assert!(
            !gate.gone_for(2, "k2") && !gate.sold_out(2),
            "nothing known yet"
        );
        gate.mark_sold_out(2); // no holders read: not a sold-out mark to answer from
        assert!(!gate.gone_for(2, "k2"));
        gate.read_failed(2);
        second.await; // woken by the failure: 2 reads now
        assert!(matches!(gate.admit(2, "k2", 1), Admission::Unknown));
        gate.learn(2, 1, keys(&["k9"]));
        third.await;
        admitted(gate.admit(2, "k3", 1)).sold();
        assert!(matches!(gate.admit(2, "k1", 1), Admission::SoldOut));
        assert!(gate.gone_for(2, "k1") && !gate.gone_for(2, "k9"));
    }
}
