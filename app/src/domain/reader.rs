//! Whose rows a call reads: a shopper their own, a shop its own, the platform all. Orders,
//! after-sales and their lists are read through one [`Reader`]; a row outside it is "not
//! found" (404), never another party's data.

use crate::domain::state_machine::Actor;

/// Who reads, and so which rows they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// a shopper (account id): their own orders and after-sales
    Shopper(i64),
    /// a shop's staff (merchant id): the shop's own
    Merchant(i64),
    /// the platform's admins: every row
    Platform,
}

impl Reader {
    /// The party reading, as the state machines name it (what actions it is offered).
    pub fn actor(self) -> Actor {
        match self {
            Reader::Shopper(_) => Actor::Shopper,
            Reader::Merchant(_) => Actor::Merchant,
            Reader::Platform => Actor::Platform,
        }
    }
}
