//! The one rule every activity's save shares: a SKU sells under one activity at a time (秒杀
//! slots pending or approved, 拼团 and 预售 activities still active). Checked inside the saving
//! write transaction, so two saves at once cannot both pass it.

use sqlx::AnyConnection;

use crate::error::AppResult;
use crate::infra::db::WriteTx;
use crate::repo::{placeholders, BindAll};

/// A SKU of `skus` already in an activity whose time overlaps `[starts_at, ends_at)`, if any.
pub async fn overlapping(
    tx: &mut WriteTx,
    skus: &[i64],
    starts_at: i64,
    ends_at: i64,
) -> AppResult<Option<i64>> {
    if skus.is_empty() {
        return Ok(None);
    }
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT sku_id FROM flash_sale_items WHERE status IN ('pending', 'approved') \
         AND starts_at < $1 AND ends_at > $2 AND sku_id IN ({skus}) \
         UNION ALL SELECT s.sku_id FROM group_buy_skus s JOIN group_buy_activities a \
         ON a.id = s.activity_id WHERE a.status = 'active' AND a.starts_at < $1 \
         AND a.ends_at > $2 AND s.sku_id IN ({skus}) \
         UNION ALL SELECT s.sku_id FROM presale_skus s JOIN presale_activities a \
         ON a.id = s.activity_id WHERE a.status = 'active' AND a.starts_at < $1 \
         AND a.ends_at > $2 AND s.sku_id IN ({skus}) LIMIT 1",
        skus = placeholders(3, skus.len())
    ))
    .bind(ends_at)
    .bind(starts_at)
    .bind_all(skus.iter().copied())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.0))
}

/// A shop's on-sale product's active SKUs: (SKU, spec values JSON, price, stock), with the
/// product's title; `None` when it is not the shop's or not on sale.
pub async fn skus_of_product(
    conn: &mut AnyConnection,
    merchant_id: i64,
    product_id: i64,
) -> AppResult<Option<(String, Vec<(i64, String, i64, i64)>)>> {
    let title: Option<(String,)> = sqlx::query_as(
        "SELECT title FROM products WHERE id = $1 AND merchant_id = $2 AND status = 'on_sale'",
    )
    .bind(product_id)
    .bind(merchant_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((title,)) = title else {
        return Ok(None);
    };
    let skus = sqlx::query_as(
        "SELECT id, spec_values, price, stock FROM skus WHERE product_id = $1 AND active = 1 \
         ORDER BY id",
    )
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some((title, skus)))
}

/// A shop's products on sale: (id, title), the latest first.
pub async fn products_of_shop(
    conn: &mut AnyConnection,
    merchant_id: i64,
) -> AppResult<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, title FROM products WHERE merchant_id = $1 AND status = 'on_sale' \
         ORDER BY id DESC LIMIT 500",
    )
    .bind(merchant_id)
    .fetch_all(&mut *conn)
    .await?)
}
