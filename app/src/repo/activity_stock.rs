//! The stock moves of the shop activities that sell a SKU at an activity price from activity
//! stock of their own (拼团, 预售): taking activity stock, a shopper's share against the
//! per-user limit, and giving both back exactly once. Each move is one conditional statement,
//! so two checkouts at once can never both take the last unit or pass the limit. The activities
//! differ only in their tables ([`Tables`]).

use sqlx::AnyConnection;

use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{placeholders, BindAll};

/// An activity's tables: its SKUs (`id`, `activity_id`, `quantity`, `sold`), what each shopper
/// holds of it (`activity_id`, `shopper_id`, `qty`), and the `order_items` column naming the
/// activity SKU a line was bought as. Constants only: the names go into SQL text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tables {
    skus: &'static str,
    buyers: &'static str,
    line: &'static str,
}

pub const GROUP_BUY: Tables = Tables {
    skus: "group_buy_skus",
    buyers: "group_buy_buyers",
    line: "group_buy_sku_id",
};

pub const PRESALE: Tables = Tables {
    skus: "presale_skus",
    buyers: "presale_buyers",
    line: "presale_sku_id",
};

/// Takes `qty` of an activity SKU's stock if that much is left. False when refused.
pub async fn take(tx: &mut WriteTx, t: Tables, activity_sku_id: i64, qty: i64) -> AppResult<bool> {
    let done = sqlx::query(&format!(
        "UPDATE {} SET sold = sold + $1 WHERE id = $2 AND sold + $1 <= quantity",
        t.skus
    ))
    .bind(qty)
    .bind(activity_sku_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Adds `qty` to what `shopper` holds of an activity, unless that would pass `limit`. False
/// when refused. One upsert, so a shopper's two checkouts at once cannot both pass the limit.
pub async fn hold_for_shopper(
    tx: &mut WriteTx,
    t: Tables,
    (activity_id, shopper_id): (i64, i64),
    qty: i64,
    limit: i64,
) -> AppResult<bool> {
    if qty > limit {
        return Ok(false);
    }
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "INSERT INTO {b} (activity_id, shopper_id, qty) VALUES ($1, $2, $3) \
         ON CONFLICT (activity_id, shopper_id) DO UPDATE SET qty = {b}.qty + $3 \
         WHERE {b}.qty + $3 <= $4 RETURNING qty",
        b = t.buyers
    ))
    .bind(activity_id)
    .bind(shopper_id)
    .bind(qty)
    .bind(limit)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

/// What `shopper` holds of an activity (placed orders not closed or refunded).
pub async fn held(
    conn: &mut AnyConnection,
    t: Tables,
    shopper_id: i64,
    activity_id: i64,
) -> AppResult<i64> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT qty FROM {} WHERE shopper_id = $1 AND activity_id = $2",
        t.buyers
    ))
    .bind(shopper_id)
    .bind(activity_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map_or(0, |r| r.0))
}

/// Gives back the activity stock and shares of the activity's lines of `order_ids` (their
/// trades just closed unpaid, in this transaction).
pub async fn release_of_orders(tx: &mut WriteTx, t: Tables, order_ids: &[i64]) -> AppResult<()> {
    if order_ids.is_empty() {
        return Ok(());
    }
    let lines: Vec<(i64, i64, i64)> = sqlx::query_as(&format!(
        "SELECT oi.id, o.shopper_id, oi.qty FROM order_items oi \
         JOIN orders o ON o.id = oi.order_id \
         WHERE oi.{} IS NOT NULL AND oi.order_id IN ({})",
        t.line,
        placeholders(1, order_ids.len())
    ))
    .bind_all(order_ids.iter().copied())
    .fetch_all(&mut **tx)
    .await?;
    for (order_item_id, shopper_id, qty) in lines {
        release_units(tx, t, shopper_id, &[(order_item_id, qty)]).await?;
    }
    Ok(())
}

/// Gives back to their activity SKU's stock, and to the shopper's share, the units
/// `(order item, qty)` that are this activity's lines (closed unpaid, or refunded before they
/// shipped); other lines are left alone.
pub async fn release_units(
    tx: &mut WriteTx,
    t: Tables,
    shopper_id: i64,
    units: &[(i64, i64)],
) -> AppResult<()> {
    for &(order_item_id, qty) in units {
        let sku: Option<(i64, i64)> = sqlx::query_as(&format!(
            "SELECT s.id, s.activity_id FROM order_items oi JOIN {} s ON s.id = oi.{} \
             WHERE oi.id = $1",
            t.skus, t.line
        ))
        .bind(order_item_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((activity_sku_id, activity_id)) = sku else {
            continue;
        };
        sqlx::query(&format!(
            "UPDATE {} SET sold = sold - $1 WHERE id = $2",
            t.skus
        ))
        .bind(qty)
        .bind(activity_sku_id)
        .execute(&mut **tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE {} SET qty = qty - $1 WHERE activity_id = $2 AND shopper_id = $3",
            t.buyers
        ))
        .bind(qty)
        .bind(activity_id)
        .bind(shopper_id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
