//! Orders: the state machines of a trade and its orders, how a checkout is priced per shop, and how much
//! an after-sale may give back. Pure rules (see docs/money.md).

use serde::{Deserialize, Serialize};

use crate::domain::shipping::{shipping_fee, ShippedLine, ShippingTemplate};
use crate::domain::state_machine::{mv, Actor, Move, StateMachine};
use crate::error::AppError;

/// Most units of one SKU in one order.
pub const MAX_QTY: i64 = 999;
/// Most lines in one checkout (and in a cart).
pub const MAX_LINES: usize = 50;

crate::named_enum! {
    /// A trade: one payment for the orders of one checkout.
    ///
    /// unpaid ─ shopper pays ─▶ paid
    /// unpaid ─ shopper cancels, or the payment times out ─▶ closed
    pub enum TradeStatus {
        Unpaid = "unpaid" "待付款",
        Paid = "paid" "已付款",
        Closed = "closed" "已关闭",
    }
}

crate::named_enum! {
    pub enum TradeAction {
        /// the shopper's payment, as the provider's notification reports it
        Pay = "pay" "付款",
        Cancel = "cancel" "取消",
        TimeOut = "time_out" "超时关闭",
    }
}

impl StateMachine for TradeStatus {
    type Action = TradeAction;
    const MOVES: &'static [Move<Self, TradeAction>] = {
        use Actor::*;
        use TradeAction::*;
        use TradeStatus::*;
        &[
            mv(Unpaid, Pay, Shopper, Paid),
            mv(Unpaid, Cancel, Shopper, Closed),
            mv(Unpaid, TimeOut, System, Closed),
        ]
    };
    const NOUN: &'static str = "交易";
}

crate::named_enum! {
    /// One shop's order of a trade.
    ///
    /// unpaid ─ shopper pays ─▶ to_ship ─ merchant ships ─▶ shipped ─ shopper confirms, or the
    /// timer after `auto_confirm_days` ─▶ completed
    /// unpaid ─ shopper pays a 拼团 order ─▶ grouping ─ the group succeeds ─▶ to_ship
    /// unpaid ─ shopper pays a 预售 deposit ─▶ awaiting_balance ─ shopper pays the balance ─▶
    /// to_ship; awaiting_balance ─ the balance window closes unpaid ─▶ cancelled
    /// grouping ─ the group failed, or the shopper left it (refunded) ─▶ cancelled
    /// unpaid ─ shopper cancels, or the payment times out ─▶ cancelled
    /// to_ship / shipped ─ every unit refunded ─▶ cancelled
    pub enum OrderStatus {
        Unpaid = "unpaid" "待付款",
        /// 拼团: paid, waiting for the group to fill (cannot be shipped)
        Grouping = "grouping" "待成团",
        /// 预售 定金+尾款: the deposit is paid, the balance is not (cannot be shipped)
        AwaitingBalance = "awaiting_balance" "待付尾款",
        ToShip = "to_ship" "待发货",
        Shipped = "shipped" "待收货",
        Completed = "completed" "已完成",
        /// 已取消 (by the shopper, the payment timed out, or everything was refunded)
        Cancelled = "cancelled" "已取消",
    }
}

crate::named_enum! {
    pub enum OrderAction {
        /// the shopper pays the trade (the order moves when the payment is confirmed)
        Pay = "pay" "付款",
        /// the order's group filled (or was filled with virtual members at its end)
        GroupSucceeded = "group_succeeded" "拼团成功",
        /// the shopper paid a 预售 order's balance
        PayBalance = "pay_balance" "支付尾款",
        /// a 预售 order's balance window closed unpaid
        MissBalance = "miss_balance" "逾期未付尾款",
        Cancel = "cancel" "取消订单",
        TimeOut = "time_out" "超时关闭",
        Ship = "ship" "发货",
        ConfirmReceipt = "confirm_receipt" "确认收货",
        AutoConfirm = "auto_confirm" "自动确认收货",
        /// the last unit is refunded before the order completed
        RefundAll = "refund_all" "全部退款关闭",
        /// the shopper asks for an after-sale (the order's state stays; which kinds, and until
        /// when, is `domain::after_sale::may_request`)
        RequestAfterSale = "request_after_sale" "申请售后",
    }
}

impl StateMachine for OrderStatus {
    type Action = OrderAction;
    const MOVES: &'static [Move<Self, OrderAction>] = {
        use Actor::*;
        use OrderAction::*;
        use OrderStatus::*;
        &[
            mv(Unpaid, Pay, Shopper, ToShip),
            mv(Unpaid, Pay, Shopper, Grouping),
            mv(Grouping, GroupSucceeded, System, ToShip),
            mv(Grouping, RefundAll, System, Cancelled),
            mv(Unpaid, Pay, Shopper, AwaitingBalance),
            mv(AwaitingBalance, PayBalance, Shopper, ToShip),
            mv(AwaitingBalance, MissBalance, System, Cancelled),
            mv(Unpaid, Cancel, Shopper, Cancelled),
            mv(Unpaid, TimeOut, System, Cancelled),
            mv(ToShip, Ship, Merchant, Shipped),
            mv(Shipped, ConfirmReceipt, Shopper, Completed),
            mv(Shipped, AutoConfirm, System, Completed),
            mv(ToShip, RefundAll, System, Cancelled),
            mv(Shipped, RefundAll, System, Cancelled),
            mv(ToShip, RequestAfterSale, Shopper, ToShip),
            mv(Shipped, RequestAfterSale, Shopper, Shipped),
            mv(Completed, RequestAfterSale, Shopper, Completed),
        ]
    };
    const NOUN: &'static str = "订单";
}

impl OrderStatus {
    /// The only state whose money may be settled to the merchant (the settlement run also waits
    /// for the after-sale window and for every open after-sale of the order).
    pub const SETTLEABLE: OrderStatus = OrderStatus::Completed;
}

crate::named_enum! {
    pub enum Delivery {
        /// 快递
        Express = "express" "快递配送",
        Pickup = "pickup" "到店自提",
    }
}

/// One line of a checkout as priced from the database (never from the client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    pub sku_id: i64,
    pub product_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub unit_price: i64,
    pub qty: i64,
    pub weight_g: i64,
    pub shipping_template_id: i64,
}

impl PricedLine {
    pub fn gross(&self) -> i64 {
        self.unit_price * self.qty
    }
}

/// The money of one shop's order.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAmounts {
    pub goods: i64,
    pub merchant_discount: i64,
    pub platform_discount: i64,
    pub shipping: i64,
    /// goods − discounts + shipping
    pub payable: i64,
}

/// One line's discounts from the pricing pipeline (`domain::pricing`), fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineDiscount {
    /// Dm: shop-funded (full-reduction, shop coupon, the shop's share of a platform coupon)
    pub merchant: i64,
    /// Dp: platform-funded
    pub platform: i64,
}

/// Prices one shop's lines after the pricing pipeline's discounts (one [`LineDiscount`] per
/// line): goods, discounts, shipping to `province` (step 7: on the goods after discounts; none
/// for pickup or when `free_shipping`), payable. `None` when the shop's shipping templates do
/// not deliver to `province`.
pub fn price_order(
    lines: &[PricedLine],
    discounts: &[LineDiscount],
    free_shipping: bool,
    templates: &[ShippingTemplate],
    delivery: Delivery,
    province: &str,
) -> Option<OrderAmounts> {
    let goods: i64 = lines.iter().map(PricedLine::gross).sum();
    let merchant_discount: i64 = discounts.iter().map(|d| d.merchant).sum();
    let platform_discount: i64 = discounts.iter().map(|d| d.platform).sum();
    let shipping = match delivery {
        Delivery::Pickup => 0,
        Delivery::Express => {
            let shipped: Vec<ShippedLine> = lines
                .iter()
                .zip(
                    discounts
                        .iter()
                        .chain(std::iter::repeat(&LineDiscount::default())),
                )
                .map(|(l, d)| ShippedLine {
                    template_id: l.shipping_template_id,
                    qty: l.qty,
                    weight_g: l.weight_g,
                    gross: l.gross() - d.merchant - d.platform,
                })
                .collect();
            // the address must still be one the shop delivers to, even when shipping is free
            let fee = shipping_fee(templates, &shipped, province).ok()?;
            if free_shipping {
                0
            } else {
                fee
            }
        }
    };
    Some(OrderAmounts {
        goods,
        merchant_discount,
        platform_discount,
        shipping,
        payable: goods - merchant_discount - platform_discount + shipping,
    })
}

/// Checks a quantity asked for by a client.
pub fn check_qty(qty: i64) -> Result<(), AppError> {
    if (1..=MAX_QTY).contains(&qty) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "qty",
            format!("购买数量须在 1-{MAX_QTY} 之间"),
        ))
    }
}

/// Splits `total` over parts in proportion to `weights`, so the parts sum exactly to `total`
/// (largest remainder: each part gets its floor, then the parts with the largest remainders get
/// one fen more; ties go to the earlier part). All weights zero: equal shares.
pub fn apportion(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let sum: i128 = weights.iter().map(|w| *w as i128).sum();
    let (weights, sum): (Vec<i128>, i128) = if sum == 0 {
        (vec![1; weights.len()], weights.len() as i128)
    } else {
        (weights.iter().map(|w| *w as i128).collect(), sum)
    };
    let total = total as i128;
    let mut parts: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * weights[i]) % sum));
    let left = total - parts.iter().sum::<i128>();
    for &i in order.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts.into_iter().map(|p| p as i64).collect()
}

/// What an item has given back so far, and what it was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRefundState {
    pub qty: i64,
    pub pay_amount: i64,
    /// units and fen already claimed by open or finished after-sales
    pub refund_qty: i64,
    pub refund_amount: i64,
}

/// The refund for `units` more units of an item: its share of what was paid, rounded down and
/// never more than what is left; the claim taking the last units takes exactly what is left. So
/// the claims of an item never sum past what was paid for it (even when rejected claims are
/// released in between), and claiming every unit returns all of it.
pub fn item_refund(item: ItemRefundState, units: i64) -> Result<i64, AppError> {
    let left = item.qty - item.refund_qty;
    if units < 1 || units > left {
        return Err(AppError::invalid(
            "qty",
            format!("该商品最多可退 {left} 件"),
        ));
    }
    if units == left {
        return Ok(item.pay_amount - item.refund_amount);
    }
    let share = ((item.pay_amount as i128 * units as i128) / item.qty as i128) as i64;
    Ok(share.min(item.pay_amount - item.refund_amount))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn apportion_gives_the_remainder_to_the_largest_fractions() {
        assert_eq!(apportion(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(apportion(10, &[7, 2, 1]), vec![7, 2, 1]);
        assert_eq!(apportion(5, &[0, 0]), vec![3, 2]);
        assert_eq!(apportion(0, &[3, 4]), vec![0, 0]);
    }

    proptest! {
        #[test]
        fn apportioned_parts_sum_to_the_whole(
            total in 0i64..10_000_000,
            weights in proptest::collection::vec(0i64..1_000_000, 1..20),
        ) {
            let parts = apportion(total, &weights);
            prop_assert_eq!(parts.iter().sum::<i64>(), total);
            let sum: i64 = weights.iter().sum();
            for (p, w) in parts.iter().zip(&weights) {
                prop_assert!(*p >= 0);
                if sum > 0 {
                    // never more than one fen from the exact share
                    let exact = total as i128 * *w as i128;
                    prop_assert!((*p as i128 * sum as i128 - exact).abs() < sum as i128);
                }
            }
        }

        /// Any sequence of partial claims, with some released again, never passes what was
        /// paid, and claiming what is left returns exactly the rest.
        #[test]
        fn refunds_never_exceed_what_was_paid(
            qty in 1i64..50,
            pay_amount in 0i64..1_000_000,
            steps in proptest::collection::vec((1i64..10, any::<bool>()), 1..30),
        ) {
            let mut st = ItemRefundState { qty, pay_amount, refund_qty: 0, refund_amount: 0 };
            let mut open: Vec<(i64, i64)> = Vec::new();
            for (units, release) in steps {
                if release && !open.is_empty() {
                    let (u, a) = open.remove(0);
                    st.refund_qty -= u;
                    st.refund_amount -= a;
                    continue;
                }
                match item_refund(st, units) {
                    Ok(a) => {
                        prop_assert!(a >= 0);
                        st.refund_qty += units;
                        st.refund_amount += a;
                        open.push((units, a));
                    }
                    Err(_) => prop_assert!(units > qty - st.refund_qty),
                }
                prop_assert!(st.refund_amount <= pay_amount);
            }
            let rest = qty - st.refund_qty;
            if rest > 0 {
                let a = item_refund(st, rest).unwrap();
                prop_assert!(a >= 0);
                prop_assert_eq!(st.refund_amount + a, pay_amount);
            }
        }
    }
}
