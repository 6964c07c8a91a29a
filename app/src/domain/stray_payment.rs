//! Stray payments: money a trade cannot keep, and the state machine of sending it back. A
//! payment that arrives after its trade closed is `late`; a second, different payment of a
//! trade already paid is a `duplicate`. Either goes back in full the way it came (原路退回).
//!
//! refunding ─ the provider confirms the refund ─▶ refunded

use crate::domain::state_machine::{mv, Actor, Move, StateMachine};

crate::named_enum! {
    /// Why a payment is stray (`stray_payments.kind`).
    pub enum StrayKind {
        /// paid after the trade closed
        Late = "late" "超时付款",
        /// paid again after the trade was paid
        Duplicate = "duplicate" "重复付款",
    }
}

impl StrayKind {
    /// What the shopper and the refund request are told.
    pub fn reason(self) -> &'static str {
        match self {
            StrayKind::Late => "订单超时已关闭，款项原路退回",
            StrayKind::Duplicate => "订单重复支付，款项原路退回",
        }
    }
}

crate::named_enum! {
    /// Where sending a stray payment back stands (`stray_payments.status`).
    pub enum StrayStatus {
        Refunding = "refunding" "退款中",
        Refunded = "refunded" "已原路退回",
    }
}

crate::named_enum! {
    pub enum StrayAction {
        /// the provider's refund notification (or its synchronous answer) says the money is back
        ConfirmRefund = "confirm_refund" "退款到账",
    }
}

impl StateMachine for StrayStatus {
    type Action = StrayAction;
    const MOVES: &'static [Move<Self, StrayAction>] = &[mv(
        StrayStatus::Refunding,
        StrayAction::ConfirmRefund,
        Actor::System,
        StrayStatus::Refunded,
    )];
    const NOUN: &'static str = "异常支付";
}
