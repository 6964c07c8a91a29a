//! Cart lines of shoppers, and the SKUs as a buyer sees them (price, stock, shop, commission).

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::repo::{placeholders, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct CartItemRow {
    pub id: i64,
    pub sku_id: i64,
    pub qty: i64,
    pub selected: i64,
}

pub async fn items(pool: &AnyPool, shopper_id: i64) -> AppResult<Vec<CartItemRow>> {
    Ok(sqlx::query_as(
        "SELECT id, sku_id, qty, selected FROM cart_items WHERE shopper_id = $1 ORDER BY id DESC",
    )
    .bind(shopper_id)
    .fetch_all(pool)
    .await?)
}

pub async fn item_of_sku(
    pool: &AnyPool,
    shopper_id: i64,
    sku_id: i64,
) -> AppResult<Option<CartItemRow>> {
    Ok(sqlx::query_as(
        "SELECT id, sku_id, qty, selected FROM cart_items WHERE shopper_id = $1 AND sku_id = $2",
    )
    .bind(shopper_id)
    .bind(sku_id)
    .fetch_optional(pool)
    .await?)
}

pub async fn count(pool: &AnyPool, shopper_id: i64) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cart_items WHERE shopper_id = $1")
        .bind(shopper_id)
        .fetch_one(pool)
        .await?;
    Ok(n)
}

/// Puts `qty` of a SKU in the cart (replacing the quantity of a line already there).
pub async fn upsert(pool: &AnyPool, shopper_id: i64, sku_id: i64, qty: i64) -> AppResult<()> {
    let now = wall_ms();
    sqlx::query(
        "INSERT INTO cart_items (shopper_id, sku_id, qty, selected, created_at, updated_at) \
         VALUES ($1, $2, $3, 1, $4, $4) ON CONFLICT (shopper_id, sku_id) \
         DO UPDATE SET qty = $3, selected = 1, updated_at = $4",
    )
    .bind(shopper_id)
    .bind(sku_id)
    .bind(qty)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// Returns false when the line is not this shopper's.
pub async fn set_qty(pool: &AnyPool, shopper_id: i64, id: i64, qty: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE cart_items SET qty = $1, updated_at = $2 WHERE id = $3 AND shopper_id = $4",
    )
    .bind(qty)
    .bind(wall_ms())
    .bind(id)
    .bind(shopper_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_selected(
    pool: &AnyPool,
    shopper_id: i64,
    ids: &[i64],
    selected: bool,
) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE cart_items SET selected = $1 WHERE shopper_id = $2 AND id IN ({})",
        placeholders(3, ids.len())
    );
    let q = sqlx::query(&sql)
        .bind(selected as i64)
        .bind(shopper_id)
        .bind_all(ids.iter().copied());
    q.execute(pool).await?;
    Ok(())
}

pub async fn remove(pool: &AnyPool, shopper_id: i64, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM cart_items WHERE shopper_id = $1 AND id IN ({})",
        placeholders(2, ids.len())
    );
    let q = sqlx::query(&sql)
        .bind(shopper_id)
        .bind_all(ids.iter().copied());
    q.execute(pool).await?;
    Ok(())
}

/// Takes bought SKUs out of the cart, inside the checkout's transaction.
pub async fn remove_skus(
    conn: &mut AnyConnection,
    shopper_id: i64,
    sku_ids: &[i64],
) -> AppResult<()> {
    if sku_ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "DELETE FROM cart_items WHERE shopper_id = $1 AND sku_id IN ({})",
        placeholders(2, sku_ids.len())
    );
    let q = sqlx::query(&sql)
        .bind(shopper_id)
        .bind_all(sku_ids.iter().copied());
    q.execute(&mut *conn).await?;
    Ok(())
}

/// A SKU as a buyer sees it: price, stock, whether it can be bought, its shop and the
/// commission rate an order would fix (the merchant's override, else the category's).
#[derive(Debug, Clone, FromRow)]
pub struct SkuOfferRow {
    pub sku_id: i64,
    pub product_id: i64,
    pub merchant_id: i64,
    pub spec_values: String,
    pub price: i64,
    pub stock: i64,
    pub weight_g: i64,
    pub sku_active: i64,
    pub title: String,
    pub main_image: String,
    pub product_status: crate::domain::product::ProductStatus,
    pub shipping_template_id: Option<i64>,
    pub commission_bps: i64,
    pub shop_name: String,
    pub shop_status: crate::domain::merchant::MerchantStatus,
    pub pickup_address: String,
    /// the product's category, its parent and grandparent (0 where there is none)
    pub category_id: i64,
    pub category_parent: i64,
    pub category_grandparent: i64,
}

pub async fn offers(conn: &mut AnyConnection, sku_ids: &[i64]) -> AppResult<Vec<SkuOfferRow>> {
    if sku_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT s.id AS sku_id, s.product_id, s.merchant_id, s.spec_values, s.price, s.stock, \
         s.weight_g, s.active AS sku_active, p.title, p.main_image, p.status AS product_status, \
         p.shipping_template_id, \
         COALESCE(m.commission_override_bps, c.commission_rate_bps) AS commission_bps, \
         m.name AS shop_name, m.status AS shop_status, m.pickup_address, \
         p.category_id, COALESCE(c.parent_id, 0) AS category_parent, \
         COALESCE((SELECT g.parent_id FROM categories g WHERE g.id = c.parent_id), 0) \
             AS category_grandparent \
         FROM skus s JOIN products p ON p.id = s.product_id \
         JOIN merchants m ON m.id = s.merchant_id JOIN categories c ON c.id = p.category_id \
         WHERE s.id IN ({})",
        placeholders(1, sku_ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(sku_ids.iter().copied());
    Ok(q.fetch_all(&mut *conn).await?)
}
