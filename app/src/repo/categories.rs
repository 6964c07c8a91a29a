//! The category tree.

use sqlx::AnyPool;

pub use crate::domain::category::CategoryRow;
use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::infra::db::WriteTx;

pub struct NewCategory<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub level: i64,
    pub sort_order: i64,
    pub icon: &'a str,
    pub commission_rate_bps: i64,
}

/// A new category; the shop front reloads (a category changes menus and which products show).
pub async fn insert_category(tx: &mut WriteTx, c: &NewCategory<'_>) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO categories (parent_id, name, level, sort_order, icon, commission_rate_bps, \
         enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) RETURNING id",
    )
    .bind(c.parent_id)
    .bind(c.name)
    .bind(c.level)
    .bind(c.sort_order)
    .bind(c.icon)
    .bind(c.commission_rate_bps)
    .bind(wall_ms())
    .fetch_one(&mut **tx)
    .await?;
    tx.changes().everything();
    Ok(id)
}

/// The whole tree, parents before children, each level in display order.
pub async fn list_categories(pool: &AnyPool) -> AppResult<Vec<CategoryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, parent_id, name, level, sort_order, icon, commission_rate_bps, enabled \
         FROM categories ORDER BY level, sort_order, id",
    )
    .fetch_all(pool)
    .await?)
}

pub async fn category_by_id(pool: &AnyPool, id: i64) -> AppResult<Option<CategoryRow>> {
    Ok(sqlx::query_as(
        "SELECT id, parent_id, name, level, sort_order, icon, commission_rate_bps, enabled \
         FROM categories WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// Whether a sibling (same parent) other than `except` already has this name.
pub async fn sibling_name_taken(
    pool: &AnyPool,
    parent_id: Option<i64>,
    name: &str,
    except: Option<i64>,
) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM categories WHERE name = $1 \
         AND COALESCE(parent_id, 0) = COALESCE($2, 0) AND id <> COALESCE($3, 0)",
    )
    .bind(name)
    .bind(parent_id)
    .bind(except)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

pub struct CategoryChanges<'a> {
    pub name: &'a str,
    pub sort_order: i64,
    pub icon: &'a str,
    pub commission_rate_bps: i64,
    pub enabled: bool,
}

/// A category's new name, order, icon, rate or enabled flag; the shop front reloads.
pub async fn update_category(tx: &mut WriteTx, id: i64, c: &CategoryChanges<'_>) -> AppResult<()> {
    sqlx::query(
        "UPDATE categories SET name = $1, sort_order = $2, icon = $3, commission_rate_bps = $4, \
         enabled = $5 WHERE id = $6",
    )
    .bind(c.name)
    .bind(c.sort_order)
    .bind(c.icon)
    .bind(c.commission_rate_bps)
    .bind(i64::from(c.enabled))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tx.changes().everything();
    Ok(())
}
