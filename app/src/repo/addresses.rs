//! The shoppers' address books. Phone and street are stored encrypted (by the service).

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::AppResult;
use crate::infra::clock::wall_ms;

#[derive(Debug, Clone, FromRow)]
pub struct AddressRow {
    pub id: i64,
    pub shopper_id: i64,
    pub receiver: String,
    pub phone_enc: String,
    pub phone_masked: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub detail_enc: String,
    pub is_default: i64,
}

const COLS: &str = "id, shopper_id, receiver, phone_enc, phone_masked, province, city, district, \
                    detail_enc, is_default";

/// The fields written by insert and update (phone and detail already encrypted).
pub struct AddressFields<'a> {
    pub receiver: &'a str,
    pub phone_enc: &'a str,
    pub phone_masked: &'a str,
    pub province: &'a str,
    pub city: &'a str,
    pub district: &'a str,
    pub detail_enc: &'a str,
    pub is_default: bool,
}

pub async fn list(pool: &AnyPool, shopper_id: i64) -> AppResult<Vec<AddressRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM addresses WHERE shopper_id = $1 ORDER BY is_default DESC, id DESC"
    ))
    .bind(shopper_id)
    .fetch_all(pool)
    .await?)
}

pub async fn count(conn: &mut AnyConnection, shopper_id: i64) -> AppResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM addresses WHERE shopper_id = $1")
        .bind(shopper_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// The shopper's address `id`; `None` when it is not theirs.
pub async fn get(
    conn: &mut AnyConnection,
    shopper_id: i64,
    id: i64,
) -> AppResult<Option<AddressRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM addresses WHERE id = $1 AND shopper_id = $2"
    ))
    .bind(id)
    .bind(shopper_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The default address, else the newest.
pub async fn preferred(conn: &mut AnyConnection, shopper_id: i64) -> AppResult<Option<AddressRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM addresses WHERE shopper_id = $1 ORDER BY is_default DESC, id DESC \
         LIMIT 1"
    ))
    .bind(shopper_id)
    .fetch_optional(&mut *conn)
    .await?)
}

pub async fn insert(
    conn: &mut AnyConnection,
    shopper_id: i64,
    a: &AddressFields<'_>,
) -> AppResult<i64> {
    let now = wall_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO addresses (shopper_id, receiver, phone_enc, phone_masked, province, city, \
         district, detail_enc, is_default, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(shopper_id)
    .bind(a.receiver)
    .bind(a.phone_enc)
    .bind(a.phone_masked)
    .bind(a.province)
    .bind(a.city)
    .bind(a.district)
    .bind(a.detail_enc)
    .bind(a.is_default as i64)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Returns false when the address is not this shopper's.
pub async fn update(
    conn: &mut AnyConnection,
    shopper_id: i64,
    id: i64,
    a: &AddressFields<'_>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE addresses SET receiver = $1, phone_enc = $2, phone_masked = $3, province = $4, \
         city = $5, district = $6, detail_enc = $7, is_default = $8, updated_at = $9 \
         WHERE id = $10 AND shopper_id = $11",
    )
    .bind(a.receiver)
    .bind(a.phone_enc)
    .bind(a.phone_masked)
    .bind(a.province)
    .bind(a.city)
    .bind(a.district)
    .bind(a.detail_enc)
    .bind(a.is_default as i64)
    .bind(wall_ms())
    .bind(id)
    .bind(shopper_id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `id` the only default address of the shopper.
pub async fn make_default(conn: &mut AnyConnection, shopper_id: i64, id: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE addresses SET is_default = CASE WHEN id = $1 THEN 1 ELSE 0 END \
         WHERE shopper_id = $2",
    )
    .bind(id)
    .bind(shopper_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn delete(pool: &AnyPool, shopper_id: i64, id: i64) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND shopper_id = $2")
        .bind(id)
        .bind(shopper_id)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}
