//! The shopper's buying: checkout, paying, orders and after-sales (signed-in shoppers only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::after_sale::AfterSaleView;
use crate::domain::cart::CheckoutPreview;
use crate::domain::order_view::{OrderDetail, OrderPage, TradeToPay};
use crate::error::AppError;

/// A shop's remark as the checkout form posts it (`remarks[0][merchant_id]`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemarkForm {
    pub merchant_id: i64,
    pub remark: String,
}

/// The coupons a checkout page chose, as its links and form carry them: `merchant:copy` pairs
/// (`5:12,7:0`; copy 0 for none; a shop not named gets the best), the platform's under merchant
/// 0 (`0:9`; absent for the best).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouponPicks {
    pub shops: Vec<(i64, i64)>,
    pub platform: Option<i64>,
}

impl CouponPicks {
    pub fn text(&self) -> String {
        self.shops
            .iter()
            .copied()
            .chain(self.platform.map(|c| (0, c)))
            .map(|(m, c)| format!("{m}:{c}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads `5:12,7:0,0:9`; anything malformed is dropped (the checkout then picks the best).
    pub fn parse(text: &str) -> CouponPicks {
        let pairs = text.split(',').filter_map(|pair| {
            let (m, c) = pair.trim().split_once(':')?;
            Some((m.parse::<i64>().ok()?, c.parse::<i64>().ok()?))
        });
        let mut picks = CouponPicks::default();
        for (m, c) in pairs {
            match m {
                0 => picks.platform = Some(c),
                m => picks.shops.push((m, c)),
            }
        }
        picks
    }
}

#[cfg(feature = "ssr")]
fn checkout_request(
    items: &str,
    from_cart: bool,
    address_id: Option<i64>,
    pickup: Option<&str>,
    remarks: &[RemarkForm],
    picks: &CouponPicks,
) -> Result<crate::domain::cart::CheckoutRequest, AppError> {
    use crate::domain::cart::{
        parse_items, split_flash_sale, split_group_buy, split_presale, CheckoutRequest, ShopChoice,
    };
    use crate::domain::order::Delivery;
    let (flash_sale_item_id, items) = split_flash_sale(items);
    let (group_buy, items) = split_group_buy(items);
    let (presale_id, items) = split_presale(items);
    let lines = parse_items(items).ok_or_else(|| AppError::bad_request("商品参数不正确"))?;
    let pickup = crate::api::id_list(pickup.unwrap_or_default())?;
    let mut shops: Vec<ShopChoice> = pickup
        .iter()
        .map(|m| ShopChoice {
            merchant_id: *m,
            delivery: Delivery::Pickup,
            remark: String::new(),
            coupon_id: None,
        })
        .collect();
    let shop = |shops: &mut Vec<ShopChoice>, merchant_id: i64| -> usize {
        match shops.iter().position(|s| s.merchant_id == merchant_id) {
            Some(i) => i,
            None => {
                shops.push(ShopChoice {
                    merchant_id,
                    delivery: Delivery::Express,
                    remark: String::new(),
                    coupon_id: None,
                });
                shops.len() - 1
            }
        }
    };
    for r in remarks {
        let i = shop(&mut shops, r.merchant_id);
        shops[i].remark = r.remark.clone();
    }
    for &(merchant_id, copy) in &picks.shops {
        let i = shop(&mut shops, merchant_id);
        shops[i].coupon_id = Some(copy);
    }
    Ok(CheckoutRequest {
        lines,
        address_id,
        shops,
        from_cart,
        platform_coupon_id: picks.platform,
        flash_sale_item_id,
        group_buy_id: group_buy.map(|g| g.0),
        group_id: group_buy.and_then(|g| g.1),
        presale_id,
    })
}

/// Prices a checkout: `items` is `sku x qty` pairs (`12x2,15x1`; `f7:12x1` buys the one line
/// as flash-sale item 7, `domain::cart::split_flash_sale`; `g3:12x1` opens a group of group-buy
/// activity 3 and `g3.45:12x1` joins group 45, `domain::cart::split_group_buy`; `p5:21x2` buys in presale 5,
/// `domain::cart::split_presale`); `pickup` the shops (ids,
/// comma-separated) the shopper collects from; `coupons` the coupons chosen ([`CouponPicks`];
/// absent: the best).
#[server(prefix = "/api", endpoint = "checkout/preview")]
pub async fn preview_checkout(
    items: String,
    address_id: Option<i64>,
    pickup: Option<String>,
    coupons: Option<String>,
) -> Result<CheckoutPreview, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let picks = CouponPicks::parse(coupons.as_deref().unwrap_or_default());
        let req = checkout_request(&items, false, address_id, pickup.as_deref(), &[], &picks)?;
        crate::services::checkout::preview(&c.st, c.me.account_id, &req).await
    })
}

/// 提交订单: creates the trade (once per `key`) and goes to the pay page.
#[server(prefix = "/api", endpoint = "checkout/submit")]
pub async fn submit_order(
    items: String,
    from_cart: Option<String>,
    address_id: Option<i64>,
    pickup: Option<String>,
    remarks: Option<Vec<RemarkForm>>,
    coupons: Option<String>,
    key: String,
) -> Result<String, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let picks = CouponPicks::parse(coupons.as_deref().unwrap_or_default());
        let req = checkout_request(
            &items,
            from_cart.is_some(),
            address_id,
            pickup.as_deref(),
            &remarks.unwrap_or_default(),
            &picks,
        )?;
        let trade = crate::services::checkout::submit(&c.st, c.me.account_id, &req, &key).await?;
        leptos_axum::redirect(&format!("/pay/{}", trade.trade_no));
        Ok(trade.trade_no)
    })
}

#[server(prefix = "/api", endpoint = "pay/trade")]
pub async fn fetch_trade_to_pay(trade_no: String) -> Result<TradeToPay, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::payments::trade_to_pay(&c.st, c.me.account_id, &trade_no).await
    })
}

/// 确认支付 on the simulated provider's page.
#[server(prefix = "/api", endpoint = "pay/simulated")]
pub async fn pay_simulated(trade_no: String) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::payments::pay_simulated(&c.st, c.me.account_id, &trade_no).await?;
        // a 拼团 payment leads to its group's page, to invite friends
        let group =
            crate::services::group_buys::group_of_trade(&c.st, c.me.account_id, &trade_no).await?;
        // a 预售 deposit or balance leads to its order, which says what comes next
        let presale = crate::services::presale_balances::order_of_trade(&c.st, &trade_no).await?;
        match (group, presale) {
            (Some(id), _) => leptos_axum::redirect(&format!("/group/{id}")),
            (None, Some(id)) => leptos_axum::redirect(&format!("/orders/{id}")),
            (None, None) => leptos_axum::redirect("/orders?tab=to_ship"),
        }
        Ok(())
    })
}

#[server(prefix = "/api", endpoint = "orders")]
pub async fn fetch_my_orders(
    tab: Option<String>,
    page: Option<u32>,
) -> Result<OrderPage, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let tab = crate::domain::order_view::OrderTab::parse(tab.as_deref().unwrap_or_default());
        crate::services::orders::list(
            &c.st,
            crate::domain::reader::Reader::Shopper(c.me.account_id),
            tab,
            page.unwrap_or(1),
        )
        .await
    })
}

/// An order with its after-sales, and its group when it is a 拼团 order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyOrderData {
    pub order: OrderDetail,
    pub after_sales: Vec<AfterSaleView>,
    /// the 拼团 group the order holds a seat in (its share page, `/group/{id}`)
    pub group_id: Option<i64>,
}

#[server(prefix = "/api", endpoint = "orders/detail")]
pub async fn fetch_my_order(id: i64) -> Result<MyOrderData, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let me = c.me.account_id;
        let order =
            crate::services::orders::detail(&c.st, crate::domain::reader::Reader::Shopper(me), id)
                .await?;
        let after_sales = crate::services::after_sales::of_order(
            &c.st,
            crate::domain::reader::Reader::Shopper(me),
            id,
        )
        .await?;
        let group_id = crate::services::group_buys::group_of_order(
            &c.st,
            crate::domain::reader::Reader::Shopper(me),
            id,
        )
        .await?;
        Ok(MyOrderData {
            order,
            after_sales,
            group_id,
        })
    })
}

#[server(prefix = "/api", endpoint = "orders/cancel")]
pub async fn cancel_order(id: i64) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::orders::cancel_unpaid(&c.st, c.me.account_id, id).await?;
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    })
}

#[server(prefix = "/api", endpoint = "orders/confirm")]
pub async fn confirm_order(id: i64) -> Result<(), AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::orders::confirm_receipt(&c.st, c.me.account_id, id).await?;
        leptos_axum::redirect(&format!("/orders/{id}"));
        Ok(())
    })
}

/// One line of an after-sale form (`lines[0][order_item_id]`, `lines[0][qty]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterSaleLineForm {
    pub order_item_id: i64,
    pub qty: i64,
}

/// 申请售后. `photos` are image keys separated by spaces (the upload widget fills it); lines
/// with quantity 0 are ignored.
#[server(prefix = "/api", endpoint = "after-sales/request")]
pub async fn request_after_sale(
    order_id: i64,
    kind: String,
    lines: Option<Vec<AfterSaleLineForm>>,
    reason: String,
    photos: Option<String>,
) -> Result<i64, AppError> {
    session_respond!({
        use crate::domain::after_sale::{AfterSaleKind, AfterSaleLine, AfterSaleRequest};
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let kind = AfterSaleKind::parse(&kind)
            .ok_or_else(|| AppError::invalid("kind", "请选择售后类型"))?;
        let req = AfterSaleRequest {
            order_id,
            kind,
            lines: lines
                .unwrap_or_default()
                .into_iter()
                .filter(|l| l.qty > 0)
                .map(|l| AfterSaleLine {
                    order_item_id: l.order_item_id,
                    qty: l.qty,
                })
                .collect(),
            reason,
            photos: crate::services::storefront::keys(&photos.unwrap_or_default()),
        };
        let id = crate::services::after_sales::request(&c.st, c.me.account_id, &req).await?;
        leptos_axum::redirect(&format!("/after-sales/{id}"));
        Ok(id)
    })
}

#[server(prefix = "/api", endpoint = "after-sales/mine")]
pub async fn fetch_my_after_sale(id: i64) -> Result<AfterSaleView, AppError> {
    session_respond!({
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        crate::services::after_sales::view(
            &c.st,
            crate::domain::reader::Reader::Shopper(c.me.account_id),
            id,
        )
        .await
    })
}

/// The shopper's actions on an after-sale: `withdraw`, `appeal`, or `return` (with the
/// return's carrier and tracking number).
#[server(prefix = "/api", endpoint = "after-sales/act")]
pub async fn act_on_after_sale(
    id: i64,
    action: String,
    carrier: Option<String>,
    tracking_no: Option<String>,
) -> Result<(), AppError> {
    session_respond!({
        use crate::services::after_sales as svc;
        let c = crate::api::call(crate::domain::account::Realm::Shopper).await?;
        let me = c.me.account_id;
        match action.as_str() {
            "withdraw" => svc::withdraw(&c.st, me, id).await?,
            "appeal" => svc::appeal(&c.st, me, id).await?,
            "return" => {
                svc::return_sent(
                    &c.st,
                    me,
                    id,
                    carrier.as_deref().unwrap_or_default(),
                    tracking_no.as_deref().unwrap_or_default(),
                )
                .await?
            }
            _ => return Err(AppError::bad_request("不支持的操作")),
        }
        leptos_axum::redirect(&format!("/after-sales/{id}"));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::CouponPicks;

    #[test]
    fn coupon_picks_survive_a_link() {
        let picks = CouponPicks {
            shops: vec![(5, 12), (7, 0)],
            platform: Some(9),
        };
        assert_eq!(picks.text(), "5:12,7:0,0:9");
        assert_eq!(CouponPicks::parse("5:12,7:0,0:9"), picks);
        // malformed pairs are dropped: those shops get the best coupon
        assert_eq!(
            CouponPicks::parse("5:x,:3,8:1"),
            CouponPicks {
                shops: vec![(8, 1)],
                platform: None
            }
        );
        assert_eq!(CouponPicks::parse(""), CouponPicks::default());
    }
}
