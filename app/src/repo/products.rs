//! Products and their SKUs (stock moves in `repo::stock`). Every function that touches a
//! merchant's rows takes the merchant id and puts it in the `WHERE` clause: a row of another shop
//! is simply not found. Each write records the product it changed on its write transaction, for
//! the shop front.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::product::{ProductAction, ProductStatus};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::infra::db::WriteTx;
use crate::repo::{placeholders, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct ProductRow {
    pub id: i64,
    pub merchant_id: i64,
    pub category_id: i64,
    pub title: String,
    pub subtitle: String,
    pub brand: String,
    pub origin: String,
    pub description: String,
    pub main_image: String,
    pub gallery: String,
    pub spec_dims: String,
    pub status: ProductStatus,
    pub status_reason: String,
    pub featured: i64,
    pub min_price: i64,
    pub max_price: i64,
    /// summed from the active SKUs when read (checkout takes stock from SKU rows alone)
    pub total_stock: i64,
    pub sales: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// when 商品审核 approved it, epoch ms; None: never (products before review existed count
    /// as approved)
    pub approved_at: Option<i64>,
}

const PRODUCT_COLS: &str = "id, merchant_id, category_id, title, subtitle, brand, origin, \
    description, main_image, gallery, spec_dims, status, status_reason, featured, min_price, \
    max_price, sales, created_at, updated_at, approved_at, \
    CAST(COALESCE((SELECT SUM(s.stock) FROM skus s WHERE s.product_id = products.id AND s.active = 1), 0) \
    AS BIGINT) AS total_stock";

#[derive(Debug, Clone, FromRow)]
pub struct SkuRow {
    pub id: i64,
    pub product_id: i64,
    pub merchant_id: i64,
    pub spec_values: String,
    pub price: i64,
    pub original_price: i64,
    pub stock: i64,
    pub weight_g: i64,
    pub code: String,
    pub active: i64,
    pub sort_order: i64,
}

const SKU_COLS: &str = "id, product_id, merchant_id, spec_values, price, original_price, stock, \
    weight_g, code, active, sort_order";

/// The editable fields of a product (already checked and sanitised).
pub struct ProductFields<'a> {
    pub category_id: i64,
    pub title: &'a str,
    pub subtitle: &'a str,
    pub brand: &'a str,
    pub origin: &'a str,
    pub description: &'a str,
    pub main_image: &'a str,
    pub gallery: &'a str,
    pub spec_dims: &'a str,
    pub featured: bool,
}

pub async fn insert_product(
    tx: &mut WriteTx,
    merchant_id: i64,
    f: &ProductFields<'_>,
    status: ProductStatus,
) -> AppResult<i64> {
    let now = wall_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO products (merchant_id, category_id, title, subtitle, brand, origin, \
         description, main_image, gallery, spec_dims, status, featured, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(merchant_id)
    .bind(f.category_id)
    .bind(f.title)
    .bind(f.subtitle)
    .bind(f.brand)
    .bind(f.origin)
    .bind(f.description)
    .bind(f.main_image)
    .bind(f.gallery)
    .bind(f.spec_dims)
    .bind(status)
    .bind(i64::from(f.featured))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    tx.changes().product(id);
    Ok(id)
}

/// Updates a product of `merchant_id`; false when it is not theirs (or does not exist).
pub async fn update_product(
    tx: &mut WriteTx,
    merchant_id: i64,
    id: i64,
    f: &ProductFields<'_>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE products SET category_id = $1, title = $2, subtitle = $3, brand = $4, \
         origin = $5, description = $6, main_image = $7, gallery = $8, spec_dims = $9, \
         featured = $10, updated_at = $11 WHERE id = $12 AND merchant_id = $13",
    )
    .bind(f.category_id)
    .bind(f.title)
    .bind(f.subtitle)
    .bind(f.brand)
    .bind(f.origin)
    .bind(f.description)
    .bind(f.main_image)
    .bind(f.gallery)
    .bind(f.spec_dims)
    .bind(i64::from(f.featured))
    .bind(wall_ms())
    .bind(id)
    .bind(merchant_id)
    .execute(&mut **tx)
    .await?;
    tx.changes().product(id);
    Ok(done.rows_affected() == 1)
}

pub async fn product_by_id(pool: &AnyPool, id: i64) -> AppResult<Option<ProductRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLS} FROM products WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

pub async fn product_of_merchant(
    pool: &AnyPool,
    merchant_id: i64,
    id: i64,
) -> AppResult<Option<ProductRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLS} FROM products WHERE id = $1 AND merchant_id = $2"
    ))
    .bind(id)
    .bind(merchant_id)
    .fetch_optional(pool)
    .await?)
}

/// The status of one of the merchant's products (`None`: missing or another shop's).
/// A shop's product's status and whether 商品审核 ever approved it; None for another shop's.
pub async fn status_of_merchant_product(
    conn: &mut AnyConnection,
    merchant_id: i64,
    id: i64,
) -> AppResult<Option<(ProductStatus, bool)>> {
    let row: Option<(ProductStatus, Option<i64>)> = sqlx::query_as(
        "SELECT status, approved_at FROM products WHERE id = $1 AND merchant_id = $2",
    )
    .bind(id)
    .bind(merchant_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(s, approved)| (s, approved.is_some())))
}

/// Marks products allowed on sale at `now` (epoch ms) — approved by 商品审核, or listed while
/// the platform did not review — unless they were already; in the listing's transaction.
pub async fn mark_approved(tx: &mut WriteTx, ids: &[i64], now: i64) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "UPDATE products SET approved_at = $1 WHERE approved_at IS NULL AND id IN ({})",
        placeholders(2, ids.len())
    );
    sqlx::query(&sql)
        .bind(now)
        .bind_all(ids.iter().copied())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The products with these ids (any order; missing ids are skipped).
pub async fn products_by_ids(pool: &AnyPool, ids: &[i64]) -> AppResult<Vec<ProductRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {PRODUCT_COLS} FROM products WHERE id IN ({})",
        placeholders(1, ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(ids.iter().copied());
    Ok(q.fetch_all(pool).await?)
}

/// The active SKUs of these products, in each product's display order.
pub async fn active_skus_of(pool: &AnyPool, product_ids: &[i64]) -> AppResult<Vec<SkuRow>> {
    if product_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {SKU_COLS} FROM skus WHERE active = 1 AND product_id IN ({}) \
         ORDER BY product_id, sort_order, id",
        placeholders(1, product_ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(product_ids.iter().copied());
    Ok(q.fetch_all(pool).await?)
}

/// Every SKU of a product, retired ones included (the editor matches combinations against them).
pub async fn all_skus_of(conn: &mut AnyConnection, product_id: i64) -> AppResult<Vec<SkuRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SKU_COLS} FROM skus WHERE product_id = $1 ORDER BY sort_order, id"
    ))
    .bind(product_id)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn sku_of_merchant(
    pool: &AnyPool,
    merchant_id: i64,
    sku_id: i64,
) -> AppResult<Option<SkuRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SKU_COLS} FROM skus WHERE id = $1 AND merchant_id = $2"
    ))
    .bind(sku_id)
    .bind(merchant_id)
    .fetch_optional(pool)
    .await?)
}

pub struct SkuFields<'a> {
    pub spec_values: &'a str,
    pub price: i64,
    pub original_price: i64,
    pub weight_g: i64,
    pub code: &'a str,
    pub sort_order: i64,
}

/// A new SKU with zero stock (stock arrives through [`adjust_stock`], so it is logged).
pub async fn insert_sku(
    tx: &mut WriteTx,
    merchant_id: i64,
    product_id: i64,
    s: &SkuFields<'_>,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO skus (product_id, merchant_id, spec_values, price, original_price, stock, \
         weight_g, code, active, sort_order) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, 1, $8) \
         RETURNING id",
    )
    .bind(product_id)
    .bind(merchant_id)
    .bind(s.spec_values)
    .bind(s.price)
    .bind(s.original_price)
    .bind(s.weight_g)
    .bind(s.code)
    .bind(s.sort_order)
    .fetch_one(&mut **tx)
    .await?;
    tx.changes().product(product_id);
    Ok(id)
}

pub async fn update_sku(
    tx: &mut WriteTx,
    (merchant_id, product_id): (i64, i64),
    sku_id: i64,
    s: &SkuFields<'_>,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE skus SET price = $1, original_price = $2, weight_g = $3, code = $4, \
         sort_order = $5, active = 1 WHERE id = $6 AND merchant_id = $7 AND product_id = $8",
    )
    .bind(s.price)
    .bind(s.original_price)
    .bind(s.weight_g)
    .bind(s.code)
    .bind(s.sort_order)
    .bind(sku_id)
    .bind(merchant_id)
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    tx.changes().product(product_id);
    Ok(())
}

/// A SKU no longer offered leaves the product but stays (orders point at it).
pub async fn retire_sku(
    tx: &mut WriteTx,
    (merchant_id, product_id): (i64, i64),
    sku_id: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE skus SET active = 0 WHERE id = $1 AND merchant_id = $2 AND product_id = $3",
    )
    .bind(sku_id)
    .bind(merchant_id)
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    tx.changes().product(product_id);
    Ok(())
}

/// Recomputes a product's price range from its active SKUs.
pub async fn refresh_summary(tx: &mut WriteTx, product_id: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE products SET \
         min_price = COALESCE((SELECT MIN(price) FROM skus WHERE product_id = $1 AND active = 1), 0), \
         max_price = COALESCE((SELECT MAX(price) FROM skus WHERE product_id = $1 AND active = 1), 0) \
         WHERE id = $1",
    )
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    tx.changes().product(product_id);
    Ok(())
}

/// The merchant's move `action` to `to` for those of `ids` that are theirs and in a state the
/// product table allows it from: the ids that moved.
pub async fn set_status_of_merchant(
    tx: &mut WriteTx,
    merchant_id: i64,
    ids: &[i64],
    (action, to): (ProductAction, ProductStatus),
) -> AppResult<Vec<i64>> {
    let from = ProductStatus::sources(action, Actor::Merchant, to);
    if ids.is_empty() || from.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "UPDATE products SET status = $1, status_reason = '', updated_at = $2 \
         WHERE merchant_id = $3 AND status IN ({}) AND id IN ({}) RETURNING id",
        sql_list(from),
        placeholders(4, ids.len())
    );
    let q = sqlx::query_as::<_, (i64,)>(&sql)
        .bind(to)
        .bind(wall_ms())
        .bind(merchant_id)
        .bind_all(ids.iter().copied());
    let moved: Vec<i64> = q
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect();
    for &id in &moved {
        tx.changes().product(id);
    }
    Ok(moved)
}

/// The demo's sales history (real sales are counted by orders).
pub async fn set_sales(pool: &AnyPool, id: i64, sales: i64) -> AppResult<()> {
    sqlx::query("UPDATE products SET sales = $1 WHERE id = $2")
        .bind(sales)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// The platform's move `action` to `to` (with the reason the merchant sees), from any state the
/// product table allows it from; false when the product was in none of them.
pub async fn set_status_by_platform(
    tx: &mut WriteTx,
    id: i64,
    (action, to): (ProductAction, ProductStatus),
    reason: &str,
) -> AppResult<bool> {
    let done = sqlx::query(&format!(
        "UPDATE products SET status = $1, status_reason = $2, updated_at = $3 WHERE id = $4 \
         AND status IN ({})",
        sql_list(ProductStatus::sources(action, Actor::Platform, to))
    ))
    .bind(to)
    .bind(reason)
    .bind(wall_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tx.changes().product(id);
    Ok(done.rows_affected() == 1)
}

/// Counts sold units (on payment).
pub async fn add_sales(tx: &mut WriteTx, product_id: i64, qty: i64) -> AppResult<()> {
    sqlx::query("UPDATE products SET sales = sales + $1 WHERE id = $2")
        .bind(qty)
        .bind(product_id)
        .execute(&mut **tx)
        .await?;
    tx.changes().product(product_id);
    Ok(())
}

/// Takes refunded units off a product's sales count (never below zero: demo products start
/// with counts of their own).
pub async fn lower_sales(tx: &mut WriteTx, product_id: i64, qty: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE products SET sales = CASE WHEN sales > $1 THEN sales - $1 ELSE 0 END WHERE id = $2",
    )
    .bind(qty)
    .bind(product_id)
    .execute(&mut **tx)
    .await?;
    tx.changes().product(product_id);
    Ok(())
}

/// One page of a merchant's products, newest first, optionally of one status.
pub async fn list_of_merchant(
    pool: &AnyPool,
    merchant_id: i64,
    status: Option<ProductStatus>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ProductRow>, i64)> {
    let status = status.map_or("", |s| s.as_str());
    let rows = sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLS} FROM products WHERE merchant_id = $1 \
         AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3 OFFSET $4"
    ))
    .bind(merchant_id)
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM products WHERE merchant_id = $1 AND ($2 = '' OR status = $2)",
    )
    .bind(merchant_id)
    .bind(status)
    .fetch_one(pool)
    .await?;
    Ok((rows, total))
}

/// One page of every shop's products for the platform, newest first.
pub async fn list_all(
    pool: &AnyPool,
    status: Option<ProductStatus>,
    limit: i64,
    offset: i64,
) -> AppResult<(Vec<ProductRow>, i64)> {
    let status = status.map_or("", |s| s.as_str());
    let rows = sqlx::query_as(&format!(
        "SELECT {PRODUCT_COLS} FROM products WHERE ($1 = '' OR status = $1) \
         ORDER BY id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(status)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?;
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM products WHERE ($1 = '' OR status = $1)")
            .bind(status)
            .fetch_one(pool)
            .await?;
    Ok((rows, total))
}

/// Ids of every product on sale in an active shop: what the shop front loads, before it keeps
/// only the `domain::product::sellable` ones (their category live too).
pub async fn visible_ids(pool: &AnyPool) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.id FROM products p JOIN merchants m ON m.id = p.merchant_id \
         WHERE p.status = $2 AND m.status = $1 ORDER BY p.id",
    )
    .bind(crate::domain::merchant::MerchantStatus::Active)
    .bind(ProductStatus::SELLABLE)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
