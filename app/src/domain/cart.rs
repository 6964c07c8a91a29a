//! What the shopper sees of the cart and of a checkout before paying: shared by the H5 pages and
//! the mini-program API. Amounts are fen, computed on the server.

use serde::{Deserialize, Serialize};

use crate::domain::address::AddressView;
use crate::domain::coupon::MyCoupon;
use crate::domain::order::{Delivery, OrderAmounts};

/// One cart line with the SKU as it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CartLine {
    /// the cart item id (for quantity, selection and removal)
    pub id: i64,
    pub sku_id: i64,
    pub product_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub price: i64,
    pub qty: i64,
    pub stock: i64,
    pub selected: bool,
    /// why the line cannot be bought now (下架, 已售罄, ...); `None` when it can
    pub invalid: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CartShop {
    pub merchant_id: i64,
    pub shop_name: String,
    pub lines: Vec<CartLine>,
    /// the shop's running full-reductions over the selected lines: 「已减¥10.00」 or the nudge
    /// 「再买¥12.00减¥20.00」 (one per promotion that covers a line of the shop)
    #[serde(default)]
    pub promotion_hints: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CartView {
    /// buyable lines grouped by shop, the most recently added shop first
    pub shops: Vec<CartShop>,
    /// lines that cannot be bought now (off shelf, sold out, shop closed)
    pub invalid: Vec<CartLine>,
    /// selected buyable units and their goods amount
    pub selected_qty: i64,
    pub selected_goods: i64,
}

/// A line to check out: from the cart or from 立即购买.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineRequest {
    pub sku_id: i64,
    /// 1–999 units
    #[cfg_attr(feature = "ssr", schema(minimum = 1, maximum = 999))]
    pub qty: i64,
}

/// The shopper's choices for one shop's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShopChoice {
    pub merchant_id: i64,
    pub delivery: Delivery,
    /// a note to the shop, at most 100 characters
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(max_length = 100))]
    pub remark: String,
    /// the shop coupon (a copy id from 我的优惠券): absent for the one that takes off most, 0 for
    /// none
    #[serde(default)]
    pub coupon_id: Option<i64>,
}

/// What a checkout asks for. The client sends SKUs and quantities only: prices come from the
/// database, at preview and again at submit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckoutRequest {
    /// at most 50 lines (a cart holds no more)
    #[cfg_attr(feature = "ssr", schema(max_items = 50))]
    pub lines: Vec<LineRequest>,
    /// `None`: the default address
    #[serde(default)]
    pub address_id: Option<i64>,
    /// per shop; shops not named get express delivery and no remark
    #[serde(default)]
    pub shops: Vec<ShopChoice>,
    /// the lines come from the cart (they leave it once the trade is created)
    #[serde(default)]
    pub from_cart: bool,
    /// the platform coupon (a copy id): absent for the one that takes off most, 0 for none
    #[serde(default)]
    pub platform_coupon_id: Option<i64>,
    /// 立即抢购: the one line is bought as this flash-sale item (its price, limits and
    /// activity stock; no shop discounts); absent for a normal purchase
    #[serde(default)]
    pub flash_sale_item_id: Option<i64>,
    /// 拼团: the one line is bought in this group-buy activity at its group price (no shop
    /// discounts), opening a new group, or joining `group_id`; absent for a normal purchase
    #[serde(default)]
    pub group_buy_id: Option<i64>,
    /// 拼团: the open group to join (with `group_buy_id`); absent to open a new group
    #[serde(default)]
    pub group_id: Option<i64>,
    /// 预售: the one line is bought in this presale at its presale price (no shop discounts)
    /// and carries its ship promise; absent for a normal purchase
    #[serde(default)]
    pub presale_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PreviewLine {
    pub sku_id: i64,
    pub product_id: i64,
    pub title: String,
    pub spec_label: String,
    pub image: String,
    pub unit_price: i64,
    pub qty: i64,
    /// every discount on the line (fen): full-reduction, shop and platform coupons
    pub discount: i64,
    /// unit_price × qty − discount
    pub pay_amount: i64,
}

/// A coupon the shopper holds, as it fares on this checkout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CouponChoice {
    pub coupon: MyCoupon,
    /// fen it takes off if chosen (given the steps before it); 0 when it does not apply
    pub discount: i64,
    /// why it does not apply to this basket (「还差¥12.00可用」); `None` when it does
    pub reason: Option<String>,
    pub chosen: bool,
}

/// One discount of an order, by source: 「满减活动 · 店庆满减 −¥10.00」.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DiscountLine {
    pub source: crate::domain::pricing::DiscountSource,
    /// the promotion's title or the coupon's name
    pub name: String,
    /// fen
    pub amount: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ShopPreview {
    pub merchant_id: i64,
    pub shop_name: String,
    pub delivery: Delivery,
    /// false when the shop does not deliver to the address's province: the shop's amounts then
    /// have no shipping, and submitting is refused (422 on `address_id`) until the shopper picks
    /// another address or, where `pickup_address` is set, 到店自提
    pub delivers: bool,
    /// the store address for 到店自提; empty when the shop offers no pickup
    pub pickup_address: String,
    pub remark: String,
    pub lines: Vec<PreviewLine>,
    pub amounts: OrderAmounts,
    /// the shop's coupons and how each fares; the chosen one's copy id
    pub coupons: Vec<CouponChoice>,
    pub coupon_id: Option<i64>,
    /// this order's discounts by source (its share of the platform coupon included)
    pub discounts: Vec<DiscountLine>,
    /// a reached full-reduction tier waives the shipping
    pub free_shipping: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckoutPreview {
    pub address: Option<AddressView>,
    pub shops: Vec<ShopPreview>,
    pub goods: i64,
    pub shipping: i64,
    pub discount: i64,
    /// what the one payment will be
    pub total: i64,
    /// the platform coupons and how each fares; the chosen one's copy id
    pub platform_coupons: Vec<CouponChoice>,
    pub platform_coupon_id: Option<i64>,
    /// sent back with 提交订单: however often it is sent, one trade is made
    pub submit_key: String,
    /// a 定金 预售 checkout: the trade takes the deposit now, the balance is paid later
    pub deposit: Option<DepositPreview>,
}

/// What a 定金 预售 checkout pays now and later (fen); `deposit + balance` is `total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DepositPreview {
    /// paid with the trade now
    pub deposit: i64,
    /// 定金膨胀 in `discount`
    pub inflation: i64,
    /// paid in the balance window
    pub balance: i64,
    /// the balance window, epoch ms, and as `12-11 00:00 ~ 12-13 23:59`
    pub balance_starts_at: i64,
    pub balance_ends_at: i64,
    pub balance_window: String,
    /// 逾期未付尾款，定金不退 / …定金原路退回
    pub missed_label: String,
}

/// The trade created by a submit: pay it before `pay_deadline` (epoch ms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TradeCreated {
    pub trade_no: String,
    pub amount: i64,
    pub pay_deadline: i64,
    pub order_ids: Vec<i64>,
}

/// Lines as they travel in a checkout link or form: `12x2,15x1` (SKU × quantity).
pub fn items_text(lines: &[LineRequest]) -> String {
    lines
        .iter()
        .map(|l| format!("{}x{}", l.sku_id, l.qty))
        .collect::<Vec<_>>()
        .join(",")
}

/// `f7:12x1` (立即抢购 of SKU 12 as flash-sale item 7) → `(Some(7), "12x1")`; other item
/// lists pass unchanged. The checkout link's way of naming a 秒杀 purchase.
pub fn split_flash_sale(items: &str) -> (Option<i64>, &str) {
    items
        .strip_prefix('f')
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(id, lines)| Some((Some(id.parse().ok()?), lines)))
        .unwrap_or((None, items))
}

/// `g3:12x1` (open a group of group-buy activity 3 with SKU 12) → `(Some((3, None)), "12x1")`,
/// `g3.45:12x1` (join group 45) → `(Some((3, Some(45))), "12x1")`; other item lists pass
/// unchanged. The checkout link's way of naming a 拼团 purchase.
pub fn split_group_buy(items: &str) -> (Option<(i64, Option<i64>)>, &str) {
    let parsed = items
        .strip_prefix('g')
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(ids, lines)| {
            let (activity, group) = match ids.split_once('.') {
                Some((a, g)) => (a.parse().ok()?, Some(g.parse().ok()?)),
                None => (ids.parse().ok()?, None),
            };
            Some((Some((activity, group)), lines))
        });
    parsed.unwrap_or((None, items))
}

/// `p5:21x2` (buy SKU 21 in presale 5) → `(Some(5), "21x2")`; other item lists pass unchanged.
/// The checkout link's way of naming a 预售 purchase.
pub fn split_presale(items: &str) -> (Option<i64>, &str) {
    items
        .strip_prefix('p')
        .and_then(|rest| rest.split_once(':'))
        .and_then(|(id, lines)| Some((Some(id.parse().ok()?), lines)))
        .unwrap_or((None, items))
}

/// Reads `12x2,15x1` back; `None` for anything malformed (quantities are checked at checkout).
pub fn parse_items(text: &str) -> Option<Vec<LineRequest>> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|pair| {
            let (sku, qty) = pair.trim().split_once('x')?;
            Some(LineRequest {
                sku_id: sku.parse().ok()?,
                qty: qty.parse().ok()?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkout_lines_survive_a_link() {
        let lines = vec![
            LineRequest { sku_id: 12, qty: 2 },
            LineRequest { sku_id: 15, qty: 1 },
        ];
        assert_eq!(items_text(&lines), "12x2,15x1");
        assert_eq!(parse_items("12x2,15x1"), Some(lines));
        assert_eq!(parse_items("12x"), None);
        assert_eq!(split_flash_sale("f7:12x1"), (Some(7), "12x1"));
        assert_eq!(split_flash_sale("12x1"), (None, "12x1"));
        assert_eq!(split_flash_sale("fx:12x1"), (None, "fx:12x1"));
        assert_eq!(split_group_buy("g3:12x1"), (Some((3, None)), "12x1"));
        assert_eq!(split_group_buy("g3.45:12x1"), (Some((3, Some(45))), "12x1"));
        assert_eq!(split_group_buy("g3.x:12x1"), (None, "g3.x:12x1"));
        assert_eq!(split_group_buy("12x1"), (None, "12x1"));
        assert_eq!(split_presale("p5:21x2"), (Some(5), "21x2"));
        assert_eq!(split_presale("px:21x2"), (None, "px:21x2"));
        assert_eq!(split_presale("21x2"), (None, "21x2"));
        assert_eq!(parse_items("x2"), None);
        assert_eq!(parse_items(""), Some(vec![]));
    }
}
