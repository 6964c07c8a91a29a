//! Orders as the shopper, the merchant and the platform see them: shared by the Leptos pages and
//! the mini-program API. Amounts in fen; times in epoch ms.

use serde::{Deserialize, Serialize};

use crate::domain::order::{Delivery, OrderAction, OrderStatus, TradeStatus};

/// The order tabs of the shopper (全部 / 待付款 / 待发货 / 待收货 / 待评价 / 售后) and, without the
/// last two, of the merchant console.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderTab {
    #[default]
    All,
    Unpaid,
    ToShip,
    Shipped,
    /// for the shopper, completed orders with a line waiting for a review (待评价); for the
    /// console, every completed order (已完成)
    ToReview,
    /// orders with an after-sale request
    AfterSale,
    Cancelled,
}

impl OrderTab {
    pub const SHOPPER: [OrderTab; 6] = [
        OrderTab::All,
        OrderTab::Unpaid,
        OrderTab::ToShip,
        OrderTab::Shipped,
        OrderTab::ToReview,
        OrderTab::AfterSale,
    ];
    pub const CONSOLE: [OrderTab; 6] = [
        OrderTab::All,
        OrderTab::Unpaid,
        OrderTab::ToShip,
        OrderTab::Shipped,
        OrderTab::ToReview,
        OrderTab::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderTab::All => "all",
            OrderTab::Unpaid => "unpaid",
            OrderTab::ToShip => "to_ship",
            OrderTab::Shipped => "shipped",
            OrderTab::ToReview => "to_review",
            OrderTab::AfterSale => "after_sale",
            OrderTab::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Self {
        [Self::SHOPPER.as_slice(), &[OrderTab::Cancelled]]
            .concat()
            .into_iter()
            .find(|t| t.as_str() == s)
            .unwrap_or_default()
    }

    /// The shopper's words for the tab.
    pub fn label(self) -> &'static str {
        match self {
            OrderTab::All => "全部",
            OrderTab::Unpaid => "待付款",
            OrderTab::ToShip => "待发货",
            OrderTab::Shipped => "待收货",
            OrderTab::ToReview => "待评价",
            OrderTab::AfterSale => "售后",
            OrderTab::Cancelled => "已取消",
        }
    }

    /// The merchant's words for the tab.
    pub fn console_label(self) -> &'static str {
        match self {
            OrderTab::ToReview => "已完成",
            OrderTab::Shipped => "已发货",
            other => other.label(),
        }
    }

    /// The order statuses shown under the tab (empty: all). A shopper's 待发货 holds their
    /// 拼团 orders waiting for the group (待成团) too; a console's holds only what can be
    /// shipped. 待付款 holds 预售 orders whose balance is due (待付尾款).
    pub fn statuses(self, for_shopper: bool) -> &'static [OrderStatus] {
        match self {
            OrderTab::All | OrderTab::AfterSale => &[],
            OrderTab::Unpaid => &[OrderStatus::Unpaid, OrderStatus::AwaitingBalance],
            OrderTab::ToShip if for_shopper => &[OrderStatus::Grouping, OrderStatus::ToShip],
            OrderTab::ToShip => &[OrderStatus::ToShip],
            OrderTab::Shipped => &[OrderStatus::Shipped],
            OrderTab::ToReview => &[OrderStatus::Completed],
            OrderTab::Cancelled => &[OrderStatus::Cancelled],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderItemView {
    pub id: i64,
    pub product_id: i64,
    pub sku_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub unit_price: i64,
    pub qty: i64,
    /// what was paid for this line (after discounts)
    pub pay_amount: i64,
    /// units and amount claimed by after-sales
    pub refund_qty: i64,
    pub refund_amount: i64,
    /// commission rate fixed at checkout, in basis points; for the merchant and the platform
    /// only (`None`, and absent from the JSON, in the shopper's views)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission_bps: Option<i64>,
    /// the commission in fen at that rate on the merchant's revenue (before any refund); like
    /// `commission_bps`, never sent to shoppers
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commission: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderSummary {
    pub id: i64,
    pub order_no: String,
    pub trade_no: String,
    pub status: OrderStatus,
    pub shop_id: i64,
    pub shop_name: String,
    pub items: Vec<OrderItemView>,
    pub goods_amount: i64,
    pub discount: i64,
    pub shipping_fee: i64,
    pub pay_amount: i64,
    pub refunded_amount: i64,
    pub delivery: Delivery,
    pub created_at: i64,
    /// unpaid orders: pay before this
    pub pay_deadline: Option<i64>,
    /// the shop's ship promise (预售), and whether it is broken
    pub ship_promise: Option<crate::domain::presale::ShipPromiseView>,
    /// a 预售 deposit order's deposit and balance (`pay_amount` is their sum)
    pub balance: Option<crate::domain::presale_deposit::BalanceView>,
    /// an after-sale of this order is open
    pub after_sale_open: bool,
    /// a line of the completed order waits for the shopper's review (评价)
    pub to_review: bool,
    /// what the party reading it may do now (from the order state machine's table)
    pub actions: Vec<OrderAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderEventView {
    pub kind: String,
    pub label: String,
    pub note: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderDetail {
    pub summary: OrderSummary,
    pub receiver: String,
    /// full number for the shopper and the shipping merchant; masked for the platform
    pub phone: String,
    /// province city district and street
    pub address: String,
    pub pickup_address: String,
    pub remark: String,
    pub carrier: String,
    pub tracking_no: String,
    pub paid_at: Option<i64>,
    pub shipped_at: Option<i64>,
    pub auto_confirm_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub cancel_reason: String,
    pub timeline: Vec<OrderEventView>,
    /// the order's discounts by source and who funds them (fen)
    pub discounts: Vec<OrderDiscount>,
}

/// One discount of an order: its source, name, funder and amount over the order's lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderDiscount {
    pub source: crate::domain::pricing::DiscountSource,
    /// the promotion's title or the coupon's name
    pub name: String,
    pub funder: crate::domain::pricing::Funder,
    /// fen
    pub amount: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderPage {
    pub orders: Vec<OrderSummary>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

impl OrderPage {
    /// How many pages the total fills (at least one).
    pub fn pages(&self) -> u32 {
        let size = i64::from(self.page_size.max(1));
        u32::try_from(((self.total + size - 1) / size).max(1)).unwrap_or(u32::MAX)
    }

    /// Whether a page follows this one.
    pub fn has_more(&self) -> bool {
        self.page < self.pages()
    }
}

/// The timeline's words for an order event.
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "placed" => "提交订单",
        "paid" => "支付成功",
        "shipped" => "商家已发货",
        "completed" => "确认收货",
        "auto_completed" => "超时自动确认收货",
        "cancelled" => "订单取消",
        "timed_out" => "超时未支付，订单关闭",
        "after_sale" => "申请售后",
        "refunded" => "退款成功",
        "group_joined" => "参团成功",
        "group_left" => "退出拼团",
        "group_succeeded" => "拼团成功",
        "balance_paid" => "尾款支付成功",
        "balance_missed" => "逾期未付尾款，订单关闭",
        _ => "订单更新",
    }
}

/// Common carriers offered when shipping (any other name may be typed).
pub const CARRIERS: [&str; 8] = [
    "顺丰速运",
    "中通快递",
    "圆通速递",
    "韵达快递",
    "申通快递",
    "极兔速递",
    "京东物流",
    "中国邮政",
];

/// What the pay page shows of a trade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TradeToPay {
    pub trade_no: String,
    pub amount: i64,
    pub status: TradeStatus,
    pub pay_deadline: i64,
    /// (shop name, its part of the amount)
    pub shops: Vec<(String, i64)>,
    /// the simulated provider is on: the page can take the payment itself
    pub simulated: bool,
}
