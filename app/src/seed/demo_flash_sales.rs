//! The demo's 秒杀, so a new user sees it at once: a week-long event with a slot every three
//! hours around the clock (one is always running, the next upcoming), each slot selling two
//! SKUs of different shops at about half price, approved by the platform. Made again whenever
//! no event covers today, so a demo started later still has one.

use crate::domain::flash_sale::{EventInput, ItemAction, ItemInput, ItemStatus};
use crate::domain::state_machine::Actor;
use crate::domain::time::china_day;
use crate::error::AppResult;
use crate::repo::flash_sales::{self as repo, NewItem};
use crate::state::AppState;

/// Every three hours, three hours long: a slot always runs.
const HOURS: [i64; 8] = [0, 3, 6, 9, 12, 15, 18, 21];
const DAYS: i64 = 7;

pub async fn seed(st: &AppState) -> AppResult<()> {
    let now = st.clock.now_ms();
    let today = china_day(now);
    let mut conn = st.db.pool.acquire().await?;
    if !repo::current_events(&mut conn, today).await?.is_empty() {
        return Ok(());
    }
    // two SKUs of each shop, cheap enough to be a flash sale and with stock to sell
    let skus: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT s.merchant_id, s.product_id, s.id, s.price FROM skus s \
         JOIN products p ON p.id = s.product_id \
         WHERE p.status = 'on_sale' AND s.active = 1 AND s.stock >= 100 AND s.price >= 1000 \
         ORDER BY s.merchant_id, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let mut picks: Vec<(i64, i64, i64, i64)> = Vec::new();
    for s in &skus {
        if picks.iter().filter(|p| p.0 == s.0).count() < 2 {
            picks.push(*s);
        }
    }
    if picks.len() < 2 {
        return Ok(());
    }
    let event = EventInput {
        title: "整点秒杀 · 产地好物".into(),
        first_day: today,
        last_day: today + DAYS - 1,
        slot_hours: HOURS.to_vec(),
        slot_minutes: 180,
        // shops may still apply to the slots to come
        apply_until: crate::domain::time::day_start(today + DAYS) - 1,
        allow_platform_coupon: false,
    };
    let mut tx = st.db.begin_write().await?;
    let event_id = repo::insert_event(&mut tx, &event, now).await?;
    let slots = crate::domain::flash_sale::slots(
        event.first_day,
        event.last_day,
        &event.slot_hours,
        event.slot_minutes,
    );
    // two shops a slot, half the list apart (the picks come two by two, shop by shop)
    let half = picks.len() / 2;
    for (n, slot) in slots.iter().filter(|s| s.ends_at > now).enumerate() {
        for k in 0..2 {
            let (merchant_id, product_id, sku_id, price) = picks[(n + k * half) % picks.len()];
            let input = ItemInput {
                // about half price, in whole yuan and 9 jiao: ¥12.9
                price: (price / 2 / 100).max(1) * 100 - 10,
                quantity: 30,
                per_user_limit: 2,
                per_order_limit: 1,
            };
            let item = NewItem {
                event_id,
                merchant_id,
                product_id,
                sku_id,
                slot: *slot,
                input: &input,
                now,
            };
            if let Some(id) = repo::insert_item(&mut tx, &item).await? {
                let to = ItemStatus::Approved;
                repo::move_item(
                    &mut tx,
                    id,
                    ItemAction::Approve,
                    Actor::Platform,
                    to,
                    "",
                    now,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}
