//! Merchants (shops).

use sqlx::{AnyPool, FromRow};

use crate::error::AppResult;
use crate::infra::clock::now_ms;

#[derive(Debug, Clone, FromRow)]
pub struct MerchantRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub region: String,
    pub intro: String,
}

pub async fn insert(
    pool: &AnyPool,
    name: &str,
    kind: &str,
    region: &str,
    intro: &str,
) -> AppResult<Option<i64>> {
    let now = now_ms();
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO merchants (name, kind, status, region, intro, created_at, updated_at) \
         VALUES ($1, $2, 'active', $3, $4, $5, $5) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(region)
    .bind(intro)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(id.map(|(id,)| id))
}

pub async fn list(pool: &AnyPool) -> AppResult<Vec<MerchantRow>> {
    Ok(
        sqlx::query_as("SELECT id, name, kind, status, region, intro FROM merchants ORDER BY id")
            .fetch_all(pool)
            .await?,
    )
}

pub async fn by_id(pool: &AnyPool, id: i64) -> AppResult<Option<MerchantRow>> {
    Ok(
        sqlx::query_as("SELECT id, name, kind, status, region, intro FROM merchants WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}
