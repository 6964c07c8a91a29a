//! After-sales: what a shopper may ask for, the state machine a request goes through (the table
//! in `MOVES` below), and what the parties see of it.
//!
//! pending ─ merchant approves ─▶ refunding ─ provider confirms ─▶ refunded      (refund only)
//! pending ─ merchant approves ─▶ awaiting_return ─ shopper sends ─▶ returned
//!         ─ merchant receives ─▶ refunding ─▶ refunded                          (return and refund)
//! pending ─ merchant rejects ─▶ rejected ─ shopper appeals ─▶ arbitrating
//!         ─ platform decides ─▶ refunding / awaiting_return, or closed
//! pending / awaiting_return ─ shopper withdraws ─▶ closed

use serde::{Deserialize, Serialize};

use crate::domain::order::{OrderAction, OrderStatus};
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::error::AppError;

crate::named_enum! {
    pub enum AfterSaleKind {
        RefundOnly = "refund_only" "仅退款",
        ReturnRefund = "return_refund" "退货退款",
    }
}

crate::named_enum! {
    pub enum AfterSaleStatus {
        Pending = "pending" "待商家处理",
        Rejected = "rejected" "商家已拒绝",
        Arbitrating = "arbitrating" "平台介入中",
        AwaitingReturn = "awaiting_return" "待买家退货",
        Returned = "returned" "待商家收货",
        Refunding = "refunding" "退款中",
        Refunded = "refunded" "退款成功",
        Closed = "closed" "已关闭",
    }
}

crate::named_enum! {
    pub enum AfterSaleAction {
        /// to refunding (refund only) or awaiting_return (return and refund)
        Approve = "approve" "同意",
        Reject = "reject" "拒绝",
        /// the shopper enters the return parcel's tracking number
        SendBack = "send_back" "填写退货物流",
        ConfirmReturned = "confirm_returned" "确认收到退货",
        Withdraw = "withdraw" "撤销申请",
        Appeal = "appeal" "申请平台介入",
        /// the platform decides for the shopper: as an approval
        ArbitrateForShopper = "arbitrate_for_shopper" "支持买家",
        /// the platform decides for the merchant: closed
        ArbitrateForMerchant = "arbitrate_for_merchant" "支持商家",
        /// the provider confirms the refund
        ConfirmRefund = "confirm_refund" "退款到账",
    }
}

impl StateMachine for AfterSaleStatus {
    type Action = AfterSaleAction;
    const MOVES: &'static [Move<Self, AfterSaleAction>] = {
        use Actor::*;
        use AfterSaleAction::*;
        use AfterSaleStatus::*;
        &[
            mv(Pending, Approve, Merchant, Refunding),
            mv(Pending, Approve, Merchant, AwaitingReturn),
            mv(Pending, Reject, Merchant, Rejected),
            mv(Pending, Withdraw, Shopper, Closed),
            mv(AwaitingReturn, SendBack, Shopper, Returned),
            mv(AwaitingReturn, Withdraw, Shopper, Closed),
            mv(Returned, ConfirmReturned, Merchant, Refunding),
            mv(Returned, Reject, Merchant, Rejected),
            mv(Rejected, Appeal, Shopper, Arbitrating),
            mv(Arbitrating, ArbitrateForShopper, Platform, Refunding),
            mv(Arbitrating, ArbitrateForShopper, Platform, AwaitingReturn),
            mv(Arbitrating, ArbitrateForMerchant, Platform, Closed),
            mv(Refunding, ConfirmRefund, System, Refunded),
        ]
    };
    const NOUN: &'static str = "售后单";
}

impl AfterSaleStatus {
    /// Still holding the units it claims (rejected ones gave them back): the one definition of
    /// an open after-sale, in Rust and (through [`AfterSaleStatus::open`]) in SQL.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            AfterSaleStatus::Rejected | AfterSaleStatus::Refunded | AfterSaleStatus::Closed
        )
    }

    /// The open states.
    pub fn open() -> impl Iterator<Item = AfterSaleStatus> {
        Self::ALL.into_iter().filter(|s| s.is_open())
    }

    /// Holds what it claimed of the order's money: open, or refunded. A new claim may take only
    /// what no such after-sale holds (shipping included: it goes back at most once).
    pub fn holds_claim(self) -> bool {
        self.is_open() || self == AfterSaleStatus::Refunded
    }

    /// Where an approval (by the merchant, or the platform deciding for the shopper) leads.
    pub fn approved(kind: AfterSaleKind) -> AfterSaleStatus {
        match kind {
            AfterSaleKind::RefundOnly => AfterSaleStatus::Refunding,
            AfterSaleKind::ReturnRefund => AfterSaleStatus::AwaitingReturn,
        }
    }
}

/// Whether a shopper may ask for `kind` on an order in `order`: the order table must offer
/// `RequestAfterSale` (to ship, shipped, completed; the window after completion is checked with
/// the clock by the service), and goods not yet shipped can only be refunded. The error says
/// why not (409 for the order's state, 400 for the kind).
pub fn may_request(order: OrderStatus, kind: AfterSaleKind) -> Result<(), AppError> {
    order.check(OrderAction::RequestAfterSale, Actor::Shopper, order)?;
    if order == OrderStatus::ToShip && kind == AfterSaleKind::ReturnRefund {
        return Err(AppError::bad_request("商品还未发货，请选择“仅退款”"));
    }
    Ok(())
}

/// One line of a request: units of an order item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AfterSaleLine {
    pub order_item_id: i64,
    pub qty: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AfterSaleRequest {
    pub order_id: i64,
    pub kind: AfterSaleKind,
    pub lines: Vec<AfterSaleLine>,
    /// 2–200 characters
    #[cfg_attr(feature = "ssr", schema(min_length = 2, max_length = 200))]
    pub reason: String,
    /// uploaded image keys, at most 6
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_items = 6))]
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AfterSaleItemView {
    pub order_item_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub qty: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AfterSaleView {
    pub id: i64,
    pub after_sale_no: String,
    pub order_id: i64,
    pub order_no: String,
    pub shop_id: i64,
    pub shop_name: String,
    pub kind: AfterSaleKind,
    pub status: AfterSaleStatus,
    pub reason: String,
    pub photos: Vec<String>,
    pub items: Vec<AfterSaleItemView>,
    /// goods part plus `shipping_amount`
    pub amount: i64,
    pub shipping_amount: i64,
    pub reject_reason: String,
    pub return_carrier: String,
    pub return_tracking: String,
    pub refunded_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// what became of the order's coupons when it refunded (「部分退款，优惠券不退回」); empty
    /// when the order used none or it has not refunded
    pub coupon_note: String,
    /// what the party reading it may do now (from the after-sale state machine's table)
    pub actions: Vec<AfterSaleAction>,
}
