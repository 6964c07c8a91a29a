//! The demo's 拼团, so a new user sees it at once: a two-person group buy at 大方天麻合作社 with
//! an open group that 吃辣达人 (13800000002) opened and paid for, one seat left for another
//! shopper to take (茶友小王 13800000001 can complete it), and a three-person group buy at
//! 昭通苹果园 that fills its last seat with a virtual member at the end. Made again whenever
//! no activity is selling, and the open group again whenever none is open.

use crate::domain::cart::CheckoutRequest;
use crate::domain::group_buy::ActivityInput;
use crate::error::{AppError, AppResult};
use crate::repo::accounts as account_repo;
use crate::repo::group_buys as repo;
use crate::state::AppState;

/// (shop owner login, title, group size, virtual members allowed)
const ACTIVITIES: [(&str, &str, i64, i64); 2] = [
    ("dafang_tianma", "天麻两人团 · 拼着更便宜", 2, 0),
    ("zhaotong_apple", "昭通苹果三人团", 3, 1),
];

const DAYS: i64 = 30;

pub async fn seed(st: &AppState) -> AppResult<()> {
    let now = st.clock.now_ms();
    let mut conn = st.db.pool.acquire().await?;
    let mut first = None;
    if repo::selling(&mut conn, now, 1).await?.is_empty() {
        for (owner, title, size, virtual_max) in ACTIVITIES {
            let Some(staff) = account_repo::staff_by_username(&st.db.pool, owner).await? else {
                continue;
            };
            // the shop's first SKU on sale with stock to sell, in no 秒杀 slot (one activity
            // per SKU at a time)
            let sku: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT s.product_id, s.id, s.price FROM skus s \
                 JOIN products p ON p.id = s.product_id WHERE s.merchant_id = $1 \
                 AND p.status = 'on_sale' AND s.active = 1 AND s.stock >= 50 \
                 AND s.price >= 1000 AND s.id NOT IN (SELECT sku_id FROM flash_sale_items \
                 WHERE status IN ('pending', 'approved')) ORDER BY s.id LIMIT 1",
            )
            .bind(staff.merchant_id)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((product_id, sku_id, price)) = sku else {
                continue;
            };
            let input = ActivityInput {
                title: title.into(),
                starts_at: now - 60_000,
                ends_at: now + DAYS * 86_400_000,
                group_size: size,
                lifetime_hours: 48,
                per_order_limit: 1,
                per_user_limit: 2,
                virtual_fill: virtual_max > 0,
                virtual_max,
                // about 70 % of the price, ending in 9 jiao: ¥34.9
                skus: vec![(sku_id, (price * 7 / 10 / 100).max(1) * 100 - 10, 30)],
            };
            let mut tx = st.db.begin_write().await?;
            let id =
                repo::insert_activity(&mut tx, staff.merchant_id, product_id, &input, now).await?;
            tx.commit().await?;
            if first.is_none() {
                first = id.map(|id| (id, sku_id));
            }
        }
    } else {
        let selling = repo::selling(&mut conn, now, 50).await?;
        let mine = selling.iter().find(|a| a.title == ACTIVITIES[0].1);
        if let Some(a) = mine {
            let skus = repo::skus_of(&mut conn, &[a.id]).await?;
            first = skus.first().map(|s| (a.id, s.sku_id));
        }
    }
    drop(conn);
    let Some((activity, sku)) = first else {
        return Ok(());
    };
    let mut conn = st.db.pool.acquire().await?;
    if !repo::joinable(&mut conn, activity, now, 1)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    drop(conn);
    open_group(st, activity, sku).await
}

/// 吃辣达人 opens a group of `activity` and pays for it (through the simulated provider, as the
/// pay page would).
async fn open_group(st: &AppState, activity: i64, sku: i64) -> AppResult<()> {
    let leader =
        account_repo::shopper_by_phone_hash(&st.db.pool, &st.cipher.blind_index("13800000002"))
            .await?
            .ok_or_else(|| AppError::internal("demo shopper missing: seed the demo first"))?;
    let req = CheckoutRequest {
        lines: vec![crate::domain::cart::LineRequest {
            sku_id: sku,
            qty: 1,
        }],
        group_buy_id: Some(activity),
        ..CheckoutRequest::default()
    };
    let key = format!("demo-group-{}", st.clock.now_ms());
    let trade = crate::services::checkout::submit(st, leader.id, &req, &key).await?;
    let (headers, body) = st
        .simulated_pay
        .payment_notification(&trade.trade_no, trade.amount);
    crate::services::payments::handle_notification(
        st,
        crate::infra::payments::simulated::NAME,
        &headers,
        &body,
    )
    .await
}
