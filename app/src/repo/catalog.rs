//! The category tree.

use sqlx::{AnyPool, FromRow};

use crate::error::AppResult;
use crate::infra::clock::now_ms;

#[derive(Debug, Clone, FromRow)]
pub struct CategoryRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: i64,
    pub sort_order: i64,
    pub icon: String,
    pub commission_rate_bps: i64,
    pub enabled: i64,
}

pub struct NewCategory<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub level: i64,
    pub sort_order: i64,
    pub icon: &'a str,
    pub commission_rate_bps: i64,
}

pub async fn insert_category(pool: &AnyPool, c: &NewCategory<'_>) -> AppResult<i64> {
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
    .bind(now_ms())
    .fetch_one(pool)
    .await?;
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
