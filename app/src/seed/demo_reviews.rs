//! The demo's first reviews: each demo shopper has bought from the shops (through checkout,
//! the simulated payment, shipping and receipt, as a real shopper would) and reviewed most
//! lines; the shops replied to some; one order of 茶友小王 still waits for its review, so 待评价
//! shows on first start.

use crate::domain::cart::{CheckoutRequest, LineRequest, ShopChoice};
use crate::domain::order::Delivery;
use crate::domain::review::{LineReviewInput, OrderReviewInput};
use crate::error::{AppError, AppResult};
use crate::services::merchants::MerchantScope;
use crate::services::{checkout, orders, payments, reviews};
use crate::state::AppState;

/// (goods stars, text) of the demo's reviews, used in turn.
const TEXTS: [(i64, &str); 8] = [
    (5, "包装很用心，东西和描述一致，已经回购第二次了。"),
    (5, "物流很快，隔天就到了，家里老人很喜欢。"),
    (4, "味道不错，就是分量比想象的少一点。"),
    (5, "老板人很好，还送了小样，好评！"),
    (3, "一般般吧，中规中矩，价格可以再实惠些。"),
    (5, "正宗的产地货，和超市买的完全不一样。"),
    (4, "整体满意，快递外箱有点压痕，里面完好。"),
    (2, "发货有点慢，催了两次才发。"),
];

/// Replies of the shops to the first reviews of each.
const REPLIES: [&str; 2] = [
    "感谢亲的支持，欢迎常来！",
    "谢谢反馈，我们会继续改进包装和发货速度。",
];

/// Buys, receives and reviews for each demo shopper. `shoppers` are ids, `shops` the demo
/// shops' (merchant id, owner staff id).
pub async fn seed(st: &AppState, shoppers: &[i64], shops: &[(i64, i64)]) -> AppResult<()> {
    let mut text = 0;
    for (n, &shopper) in shoppers.iter().enumerate() {
        for round in 0..2 {
            let Some(req) = basket(st, shopper, shops, n + round).await? else {
                continue;
            };
            let key = format!("demo-review-{n}-{round}");
            let trade = checkout::submit(st, shopper, &req, &key).await?;
            payments::pay_simulated(st, shopper, &trade.trade_no).await?;
            for &order_id in &trade.order_ids {
                let (merchant_id, staff_id) = owner_of_order(st, order_id, shops).await?;
                let scope = MerchantScope {
                    merchant_id,
                    staff_id,
                    role: crate::domain::account::StaffRole::Owner,
                    shop_active: true,
                };
                let shipment = orders::Shipment {
                    order_id,
                    carrier: "顺丰速运".into(),
                    tracking_no: format!("SF10{order_id:08}"),
                };
                orders::ship(st, &scope, &shipment, "127.0.0.1").await?;
                orders::confirm_receipt(st, shopper, order_id).await?;
                // the very last order waits for its review (待评价)
                if n == 0 && round == 1 {
                    continue;
                }
                let waiting = reviews::waiting(st, shopper, Some(order_id)).await?;
                let input = OrderReviewInput {
                    lines: waiting
                        .iter()
                        .map(|l| {
                            let (stars, words) = TEXTS[text % TEXTS.len()];
                            text += 1;
                            LineReviewInput {
                                order_item_id: l.order_item_id,
                                goods_stars: stars,
                                service_stars: stars.max(4),
                                logistics_stars: if stars <= 2 { 2 } else { 5 },
                                content: words.to_string(),
                                images: Vec::new(),
                                anonymous: text % 3 == 0,
                            }
                        })
                        .collect(),
                };
                let ids = reviews::submit(st, shopper, order_id, &input).await?;
                if let Some(&first) = ids.first().filter(|_| round == 0) {
                    let reply = REPLIES[n % REPLIES.len()];
                    reviews::reply(st, &scope, first, false, reply, "127.0.0.1").await?;
                }
            }
        }
    }
    Ok(())
}

/// A basket of two shops, a different pair for each `turn`, that both deliver to the shopper's
/// address (the orchard's fresh fruit goes to the south-west only); no coupons, so the demo
/// shoppers keep theirs for the visitor to try.
async fn basket(
    st: &AppState,
    shopper: i64,
    shops: &[(i64, i64)],
    turn: usize,
) -> AppResult<Option<CheckoutRequest>> {
    for offset in 0..shops.len() {
        let pair = [
            shops[(turn + offset) % shops.len()],
            shops[(turn + offset + 2) % shops.len()],
        ];
        let Some(lines) = first_skus(st, &pair).await? else {
            continue;
        };
        let req = CheckoutRequest {
            lines,
            address_id: None,
            shops: pair
                .iter()
                .map(|&(merchant_id, _)| ShopChoice {
                    merchant_id,
                    delivery: Delivery::Express,
                    remark: String::new(),
                    coupon_id: Some(0),
                })
                .collect(),
            from_cart: false,
            platform_coupon_id: Some(0),
            ..CheckoutRequest::default()
        };
        let preview = checkout::preview(st, shopper, &req).await?;
        if preview.shops.iter().all(|s| s.delivers) {
            return Ok(Some(req));
        }
    }
    Ok(None)
}

/// One unit of the first SKU in stock of each shop.
async fn first_skus(st: &AppState, shops: &[(i64, i64)]) -> AppResult<Option<Vec<LineRequest>>> {
    let mut lines = Vec::new();
    for &(merchant_id, _) in shops {
        let sku: Option<(i64,)> = sqlx::query_as(
            "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id \
             WHERE p.merchant_id = $1 AND p.status = 'on_sale' AND s.active = 1 AND s.stock > 10 \
             ORDER BY p.id, s.id LIMIT 1",
        )
        .bind(merchant_id)
        .fetch_optional(&st.db.pool)
        .await?;
        match sku {
            Some((sku_id,)) => lines.push(LineRequest { sku_id, qty: 1 }),
            None => return Ok(None),
        }
    }
    Ok(Some(lines))
}

async fn owner_of_order(
    st: &AppState,
    order_id: i64,
    shops: &[(i64, i64)],
) -> AppResult<(i64, i64)> {
    let (merchant_id,): (i64,) = sqlx::query_as("SELECT merchant_id FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(&st.db.pool)
        .await?;
    shops
        .iter()
        .copied()
        .find(|&(m, _)| m == merchant_id)
        .ok_or_else(|| AppError::internal("demo order of an unknown shop"))
}
