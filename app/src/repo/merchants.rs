//! Merchants (shops), the categories they may sell in, and their decoration.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::merchant::{MerchantAction, MerchantStatus};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::clock::wall_ms;
use crate::infra::db::WriteTx;
use crate::repo::BindAll;

#[derive(Debug, Clone, FromRow)]
pub struct MerchantRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub status: MerchantStatus,
    pub status_reason: String,
    pub region: String,
    pub intro: String,
    pub logo: String,
    pub banners: String,
    /// the platform's rate for this shop instead of its categories' (basis points)
    pub commission_override_bps: Option<i64>,
    pub created_at: i64,
}

const COLS: &str = "id, name, kind, status, status_reason, region, intro, logo, banners, \
    commission_override_bps, created_at";

/// A new shop (its products, once it has some, reach the shop front with them); None when the
/// name is taken.
pub async fn insert(
    tx: &mut WriteTx,
    name: &str,
    kind: &str,
    region: &str,
    intro: &str,
) -> AppResult<Option<i64>> {
    let now = wall_ms();
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO merchants (name, kind, status, region, intro, created_at, updated_at) \
         VALUES ($1, $2, $6, $3, $4, $5, $5) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(region)
    .bind(intro)
    .bind(now)
    .bind(MerchantStatus::INITIAL)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some((id,)) = id {
        tx.changes().shop(id);
    }
    Ok(id.map(|(id,)| id))
}

pub async fn list(pool: &AnyPool) -> AppResult<Vec<MerchantRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLS} FROM merchants ORDER BY id"))
            .fetch_all(pool)
            .await?,
    )
}

pub async fn by_id(pool: &AnyPool, id: i64) -> AppResult<Option<MerchantRow>> {
    Ok(
        sqlx::query_as(&format!("SELECT {COLS} FROM merchants WHERE id = $1"))
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn name_taken(pool: &AnyPool, name: &str) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM merchants WHERE name = $1")
        .bind(name)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

/// Suspends or reopens (`action` by the platform, to `to`) from any state the merchant table
/// allows; false when the merchant was in none of them. Its products come or go with it: the
/// whole shop front is reloaded.
pub async fn set_status(
    tx: &mut WriteTx,
    id: i64,
    (action, to): (MerchantAction, MerchantStatus),
    reason: &str,
) -> AppResult<bool> {
    let done = sqlx::query(&format!(
        "UPDATE merchants SET status = $1, status_reason = $2, updated_at = $3 \
         WHERE id = $4 AND status IN ({})",
        sql_list(MerchantStatus::sources(action, Actor::Platform, to))
    ))
    .bind(to)
    .bind(reason)
    .bind(wall_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tx.changes().everything();
    Ok(done.rows_affected() == 1)
}

/// Sets (or, with None, clears) the shop's own commission rate; false for an unknown shop.
pub async fn set_commission_override(pool: &AnyPool, id: i64, bps: Option<i64>) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE merchants SET commission_override_bps = $1, updated_at = $2 WHERE id = $3",
    )
    .bind(bps)
    .bind(wall_ms())
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The shop's introduction, logo and banners (image keys, space-separated).
pub async fn update_decoration(
    tx: &mut WriteTx,
    id: i64,
    intro: &str,
    logo: &str,
    banners: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE merchants SET intro = $1, logo = $2, banners = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(intro)
    .bind(logo)
    .bind(banners)
    .bind(wall_ms())
    .bind(id)
    .execute(&mut **tx)
    .await?;
    tx.changes().shop(id);
    Ok(())
}

pub async fn grant_category(
    conn: &mut AnyConnection,
    merchant_id: i64,
    category_id: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO merchant_categories (merchant_id, category_id) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING",
    )
    .bind(merchant_id)
    .bind(category_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The top-level categories a merchant may sell in.
pub async fn granted_categories(pool: &AnyPool, merchant_id: i64) -> AppResult<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT category_id FROM merchant_categories WHERE merchant_id = $1 ORDER BY category_id",
    )
    .bind(merchant_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// (id, name) of these shops.
pub async fn names(conn: &mut AnyConnection, ids: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, name FROM merchants WHERE id IN ({})",
        crate::repo::placeholders(1, ids.len())
    );
    Ok(sqlx::query_as(&sql)
        .bind_all(ids.iter().copied())
        .fetch_all(&mut *conn)
        .await?)
}
