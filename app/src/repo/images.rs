//! The record of every stored image, so forms can only refer to images that really exist.

use sqlx::AnyPool;

use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::repo::{placeholders, BindAll};

pub async fn record(
    pool: &AnyPool,
    key: &str,
    width: u32,
    height: u32,
    uploader: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO images (image_key, width, height, uploader, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(key)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(uploader)
    .bind(wall_ms())
    .execute(pool)
    .await?;
    Ok(())
}

/// How many of `keys` are stored images.
pub async fn count_known(pool: &AnyPool, keys: &[&str]) -> AppResult<usize> {
    if keys.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "SELECT COUNT(*) FROM images WHERE image_key IN ({})",
        placeholders(1, keys.len())
    );
    let q = sqlx::query_as::<_, (i64,)>(&sql).bind_all(keys.iter().copied());
    let (n,) = q.fetch_one(pool).await?;
    Ok(n as usize)
}
