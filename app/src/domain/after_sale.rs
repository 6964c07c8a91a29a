//! After-sales: what a shopper may ask for, the states a request goes through, and what the
//! parties see of it.
//!
//! pending ─ merchant approves ─▶ refunding ─ provider confirms ─▶ refunded      (refund only)
//! pending ─ merchant approves ─▶ awaiting_return ─ shopper sends ─▶ returned
//!         ─ merchant receives ─▶ refunding ─▶ refunded                          (return and refund)
//! pending ─ merchant rejects ─▶ rejected ─ shopper appeals ─▶ arbitrating
//!         ─ platform decides ─▶ refunding / awaiting_return, or closed
//! pending / awaiting_return ─ shopper withdraws ─▶ closed

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AfterSaleKind {
    /// 仅退款
    RefundOnly,
    /// 退货退款
    ReturnRefund,
}

impl AfterSaleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AfterSaleKind::RefundOnly => "refund_only",
            AfterSaleKind::ReturnRefund => "return_refund",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "refund_only" => Some(AfterSaleKind::RefundOnly),
            "return_refund" => Some(AfterSaleKind::ReturnRefund),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AfterSaleKind::RefundOnly => "仅退款",
            AfterSaleKind::ReturnRefund => "退货退款",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AfterSaleStatus {
    Pending,
    Rejected,
    Arbitrating,
    AwaitingReturn,
    Returned,
    Refunding,
    Refunded,
    Closed,
}

impl AfterSaleStatus {
    pub const ALL: [AfterSaleStatus; 8] = [
        AfterSaleStatus::Pending,
        AfterSaleStatus::Rejected,
        AfterSaleStatus::Arbitrating,
        AfterSaleStatus::AwaitingReturn,
        AfterSaleStatus::Returned,
        AfterSaleStatus::Refunding,
        AfterSaleStatus::Refunded,
        AfterSaleStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AfterSaleStatus::Pending => "pending",
            AfterSaleStatus::Rejected => "rejected",
            AfterSaleStatus::Arbitrating => "arbitrating",
            AfterSaleStatus::AwaitingReturn => "awaiting_return",
            AfterSaleStatus::Returned => "returned",
            AfterSaleStatus::Refunding => "refunding",
            AfterSaleStatus::Refunded => "refunded",
            AfterSaleStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AfterSaleStatus::Pending => "待商家处理",
            AfterSaleStatus::Rejected => "商家已拒绝",
            AfterSaleStatus::Arbitrating => "平台介入中",
            AfterSaleStatus::AwaitingReturn => "待买家退货",
            AfterSaleStatus::Returned => "待商家收货",
            AfterSaleStatus::Refunding => "退款中",
            AfterSaleStatus::Refunded => "退款成功",
            AfterSaleStatus::Closed => "已关闭",
        }
    }

    /// Still holding the units it claims (rejected ones gave them back).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            AfterSaleStatus::Rejected | AfterSaleStatus::Refunded | AfterSaleStatus::Closed
        )
    }

    /// Holds what it claimed of the order's money: open, or refunded. A new claim may take only
    /// what no such after-sale holds (shipping included: it goes back at most once).
    pub fn holds_claim(self) -> bool {
        self.is_open() || self == AfterSaleStatus::Refunded
    }
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
}
