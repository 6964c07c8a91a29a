//! Merchants' shipping templates and their self-pickup address.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::repo::{placeholders, BindAll};

#[derive(Debug, Clone, FromRow)]
pub struct TemplateRow {
    pub id: i64,
    pub merchant_id: i64,
    pub name: String,
    pub charge_by: String,
    pub rules: String,
    pub free_over: i64,
    pub is_default: i64,
}

const COLS: &str = "id, merchant_id, name, charge_by, rules, free_over, is_default";

pub async fn of_merchant(pool: &AnyPool, merchant_id: i64) -> AppResult<Vec<TemplateRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM shipping_templates WHERE merchant_id = $1 \
         ORDER BY is_default DESC, id"
    ))
    .bind(merchant_id)
    .fetch_all(pool)
    .await?)
}

/// The templates of several merchants at once (checkout).
pub async fn of_merchants(
    conn: &mut AnyConnection,
    merchant_ids: &[i64],
) -> AppResult<Vec<TemplateRow>> {
    if merchant_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLS} FROM shipping_templates WHERE merchant_id IN ({})",
        placeholders(1, merchant_ids.len())
    );
    let q = sqlx::query_as(&sql).bind_all(merchant_ids.iter().copied());
    Ok(q.fetch_all(&mut *conn).await?)
}

pub struct TemplateFields<'a> {
    pub name: &'a str,
    pub charge_by: &'a str,
    pub rules: &'a str,
    pub free_over: i64,
    pub is_default: bool,
}

pub async fn insert(
    conn: &mut AnyConnection,
    merchant_id: i64,
    t: &TemplateFields<'_>,
) -> AppResult<i64> {
    let now = wall_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shipping_templates (merchant_id, name, charge_by, rules, free_over, \
         is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(merchant_id)
    .bind(t.name)
    .bind(t.charge_by)
    .bind(t.rules)
    .bind(t.free_over)
    .bind(t.is_default as i64)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Returns false when the template is not this merchant's.
pub async fn update(
    conn: &mut AnyConnection,
    merchant_id: i64,
    id: i64,
    t: &TemplateFields<'_>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE shipping_templates SET name = $1, charge_by = $2, rules = $3, free_over = $4, \
         is_default = $5, updated_at = $6 WHERE id = $7 AND merchant_id = $8",
    )
    .bind(t.name)
    .bind(t.charge_by)
    .bind(t.rules)
    .bind(t.free_over)
    .bind(t.is_default as i64)
    .bind(wall_ms())
    .bind(id)
    .bind(merchant_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn make_default(conn: &mut AnyConnection, merchant_id: i64, id: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE shipping_templates SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END \
         WHERE merchant_id = $2",
    )
    .bind(id)
    .bind(merchant_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Deletes a template no product uses; returns false when it is not this merchant's or in use.
pub async fn delete_unused(pool: &AnyPool, merchant_id: i64, id: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "DELETE FROM shipping_templates WHERE id = $1 AND merchant_id = $2 AND is_default = 0 \
         AND NOT EXISTS (SELECT 1 FROM products WHERE shipping_template_id = $1)",
    )
    .bind(id)
    .bind(merchant_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_pickup_address(pool: &AnyPool, merchant_id: i64, address: &str) -> AppResult<()> {
    sqlx::query("UPDATE merchants SET pickup_address = $1, updated_at = $2 WHERE id = $3")
        .bind(address)
        .bind(wall_ms())
        .bind(merchant_id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn pickup_address(pool: &AnyPool, merchant_id: i64) -> AppResult<String> {
    let (a,): (String,) = sqlx::query_as("SELECT pickup_address FROM merchants WHERE id = $1")
        .bind(merchant_id)
        .fetch_one(pool)
        .await?;
    Ok(a)
}
