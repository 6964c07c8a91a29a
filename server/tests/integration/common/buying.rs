//! Shoppers buying through the services, for the order and money tests: a shopper with an
//! address, baskets, the simulated provider's payment, refunds waited for, discounts applied the
//! way coupons will apply them.

use app::domain::address::AddressInput;
use app::domain::after_sale::{AfterSaleKind, AfterSaleLine, AfterSaleRequest, AfterSaleStatus};
use app::domain::cart::{CheckoutRequest, LineRequest};
use app::domain::coupon::{
    CouponKind, CouponRule, CouponScope, Distribution, TemplateInput, Validity,
};
use app::domain::reader::Reader;
use app::error::AppError;
use app::services::coupons::{self, Issuer};
use app::services::{addresses, after_sales, payments};
use app::state::AppState;

/// A shopper row made directly (no password hashing: these tests never sign in).
pub async fn shopper(st: &AppState, n: usize) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shoppers (nickname, status, created_at, updated_at) \
         VALUES ($1, 'active', 0, 0) RETURNING id",
    )
    .bind(format!("买家{n}"))
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    id
}

pub async fn with_address(st: &AppState, shopper_id: i64) -> i64 {
    addresses::save(
        st,
        shopper_id,
        None,
        &AddressInput {
            receiver: "王小明".into(),
            phone: "13800138000".into(),
            province: "贵州省".into(),
            city: "黔南州".into(),
            district: "都匀市".into(),
            detail: "文峰路 8 号".into(),
            is_default: true,
        },
    )
    .await
    .unwrap()
}

pub fn basket(lines: &[(i64, i64)]) -> CheckoutRequest {
    CheckoutRequest {
        lines: lines
            .iter()
            .map(|&(sku_id, qty)| LineRequest { sku_id, qty })
            .collect(),
        ..CheckoutRequest::default()
    }
}

/// Delivers the simulated provider's payment notification, as the pay page does.
pub async fn pay(st: &AppState, trade_no: &str, amount: i64) -> Result<(), AppError> {
    let (headers, body) = st.simulated_pay.payment_notification(trade_no, amount);
    payments::handle_notification(st, "simulated", &headers, &body).await
}

/// Sets discounts on an unpaid trade's item directly (`merchant` and `platform` fen off the item,
/// its order and the trade), for tests of the bill arithmetic that want round figures without
/// building coupons; the pricing pipeline's own rows are tested in `coupons.rs`.
pub async fn discount(st: &AppState, order_item_id: i64, merchant: i64, platform: i64) {
    let mut tx = st.db.pool.begin().await.unwrap();
    let (order_id,): (i64,) = sqlx::query_as(
        "UPDATE order_items SET merchant_discount = merchant_discount + $1, \
         platform_discount = platform_discount + $2, pay_amount = pay_amount - $1 - $2 \
         WHERE id = $3 RETURNING order_id",
    )
    .bind(merchant)
    .bind(platform)
    .bind(order_item_id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    let (trade_id,): (i64,) = sqlx::query_as(
        "UPDATE orders SET merchant_discount = merchant_discount + $1, \
         platform_discount = platform_discount + $2, pay_amount = pay_amount - $1 - $2 \
         WHERE id = $3 AND status = 'unpaid' RETURNING trade_id",
    )
    .bind(merchant)
    .bind(platform)
    .bind(order_id)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    sqlx::query("UPDATE trades SET amount = amount - $1 - $2 WHERE id = $3")
        .bind(merchant)
        .bind(platform)
        .bind(trade_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

pub fn refund_only(order_id: i64, lines: &[(i64, i64)]) -> AfterSaleRequest {
    AfterSaleRequest {
        order_id,
        kind: AfterSaleKind::RefundOnly,
        lines: lines
            .iter()
            .map(|&(order_item_id, qty)| AfterSaleLine { order_item_id, qty })
            .collect(),
        reason: "不想要了".into(),
        photos: vec![],
    }
}

/// Waits for the simulated provider's refund notification to be handled.
pub async fn wait_refunded(st: &AppState, shopper_id: i64, after_sale_id: i64) {
    for _ in 0..2000 {
        let view = after_sales::view(st, Reader::Shopper(shopper_id), after_sale_id)
            .await
            .unwrap();
        if view.status == AfterSaleStatus::Refunded {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    panic!("after-sale {after_sale_id} was not refunded");
}

/// A template open for claiming from the epoch on, valid 30 days from the claim.
pub fn coupon_input(name: &str, rule: CouponRule, total_qty: i64, per_user: i64) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        rule,
        scope: CouponScope::default(),
        validity: Validity::Days {
            days: 30,
            next_day: false,
        },
        claim_from: 0,
        claim_until: i64::MAX / 2,
        total_qty,
        per_user_limit: per_user,
        per_user_daily_limit: 0,
        distribution: Distribution::Claim,
        shop_share_bps: 0,
    }
}

/// 满 `threshold` 减 `off` (fen); a threshold of 0 makes it 无门槛.
pub fn amount_off(threshold: i64, off: i64) -> CouponRule {
    CouponRule {
        kind: if threshold == 0 {
            CouponKind::NoThreshold
        } else {
            CouponKind::AmountOff
        },
        threshold,
        amount_off: off,
        off_bps: 0,
        cap: 0,
    }
}

/// `off_bps` off, at most `cap` fen.
pub fn percent_off(off_bps: i64, cap: i64) -> CouponRule {
    CouponRule {
        kind: CouponKind::Percent,
        threshold: 0,
        amount_off: 0,
        off_bps,
        cap,
    }
}

/// Creates a template (the platform's with `shop` None, else that shop's) through the service.
pub async fn create_coupon(st: &AppState, shop: Option<i64>, input: &TemplateInput) -> i64 {
    match shop {
        None => coupons::create(st, Issuer::Platform(&super::operator()), input, "127.0.0.1").await,
        Some(m) => {
            let scope = super::merchant_scope(st, m).await;
            coupons::create(st, Issuer::Shop(&scope), input, "127.0.0.1").await
        }
    }
    .unwrap()
}

/// A template of one copy claimed by `shopper`: the copy's id.
pub async fn give_coupon(
    st: &AppState,
    shop: Option<i64>,
    shopper: i64,
    input: &TemplateInput,
) -> i64 {
    let template = create_coupon(st, shop, input).await;
    coupons::claim(st, shopper, template).await.unwrap().id
}

/// A SKU for an activity test: on sale, over ¥10, in no flash sale and in no 拼团 or presale
/// that has not ended (the forms' times are whole minutes, a minute back), its stock set to 100.
/// Returns (merchant, product, SKU, price in fen).
pub async fn free_sku(st: &AppState) -> (i64, i64, i64, i64) {
    let row: (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT s.merchant_id, s.product_id, s.id, s.price FROM skus s \
         JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND s.price > 1000 \
         AND s.id NOT IN (SELECT k.sku_id FROM group_buy_skus k JOIN group_buy_activities a \
         ON a.id = k.activity_id WHERE a.ends_at > $1) \
         AND s.id NOT IN (SELECT k.sku_id FROM presale_skus k JOIN presale_activities a \
         ON a.id = k.activity_id WHERE a.ends_at > $1) \
         AND s.id NOT IN (SELECT sku_id FROM flash_sale_items) ORDER BY s.id LIMIT 1",
    )
    .bind(st.clock.now_ms() - 180_000)
    .fetch_one(&st.db.pool)
    .await
    .unwrap();
    sqlx::query("UPDATE skus SET stock = 100 WHERE id = $1")
        .bind(row.2)
        .execute(&st.db.pool)
        .await
        .unwrap();
    st.shop_front.reload_all(&st.db.pool).await.unwrap();
    row
}
