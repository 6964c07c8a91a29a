//! Applications to open a shop, and their review.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::domain::merchant::{ApplicationAction, ApplicationStatus};
use crate::domain::state_machine::{sql_list, Actor, StateMachine};
use crate::error::AppResult;
use crate::infra::clock::wall_ms;

#[derive(Debug, Clone, FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub shopper_id: i64,
    pub shop_name: String,
    pub kind: String,
    pub region: String,
    pub intro: String,
    pub contact_name: String,
    pub contact_phone_enc: String,
    pub contact_phone_masked: String,
    pub licence_no: String,
    pub licence_image: String,
    pub category_ids: String,
    pub owner_username: String,
    pub owner_password_hash: String,
    pub status: ApplicationStatus,
    pub reject_reason: String,
    pub reviewer_id: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub merchant_id: Option<i64>,
    pub created_at: i64,
}

const COLS: &str = "id, shopper_id, shop_name, kind, region, intro, contact_name, \
    contact_phone_enc, contact_phone_masked, licence_no, licence_image, category_ids, \
    owner_username, owner_password_hash, status, reject_reason, reviewer_id, reviewed_at, \
    merchant_id, created_at";

pub struct NewApplication<'a> {
    pub shopper_id: i64,
    pub shop_name: &'a str,
    pub kind: &'a str,
    pub region: &'a str,
    pub intro: &'a str,
    pub contact_name: &'a str,
    pub contact_phone_enc: &'a str,
    pub contact_phone_masked: &'a str,
    pub licence_no: &'a str,
    pub licence_image: &'a str,
    pub category_ids: &'a str,
    pub owner_username: &'a str,
    pub owner_password_hash: &'a str,
}

pub async fn insert(pool: &AnyPool, a: &NewApplication<'_>) -> AppResult<i64> {
    let now = wall_ms();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO merchant_applications (shopper_id, shop_name, kind, region, intro, \
         contact_name, contact_phone_enc, contact_phone_masked, licence_no, licence_image, \
         category_ids, owner_username, owner_password_hash, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $14, $14) \
         RETURNING id",
    )
    .bind(a.shopper_id)
    .bind(a.shop_name)
    .bind(a.kind)
    .bind(a.region)
    .bind(a.intro)
    .bind(a.contact_name)
    .bind(a.contact_phone_enc)
    .bind(a.contact_phone_masked)
    .bind(a.licence_no)
    .bind(a.licence_image)
    .bind(a.category_ids)
    .bind(a.owner_username)
    .bind(a.owner_password_hash)
    .bind(now)
    .bind(ApplicationStatus::INITIAL)
    .fetch_one(pool)
    .await?;
    Ok(id)
}

pub async fn by_id(pool: &AnyPool, id: i64) -> AppResult<Option<ApplicationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM merchant_applications WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// The shopper's most recent application.
pub async fn latest_of_shopper(
    pool: &AnyPool,
    shopper_id: i64,
) -> AppResult<Option<ApplicationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM merchant_applications WHERE shopper_id = $1 ORDER BY id DESC LIMIT 1"
    ))
    .bind(shopper_id)
    .fetch_optional(pool)
    .await?)
}

/// Applications of one status (all when None), pending ones first, oldest first.
pub async fn list(
    pool: &AnyPool,
    status: Option<ApplicationStatus>,
) -> AppResult<Vec<ApplicationRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLS} FROM merchant_applications WHERE ($1 = '' OR status = $1) \
         ORDER BY CASE WHEN status = $2 THEN 0 ELSE 1 END, id LIMIT 200"
    ))
    .bind(status.map_or("", |s| s.as_str()))
    .bind(ApplicationStatus::Pending)
    .fetch_all(pool)
    .await?)
}

/// Whether a pending application already claims this shop name or owner username.
pub async fn pending_claims(pool: &AnyPool, shop_name: &str, username: &str) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM merchant_applications WHERE status = $3 \
         AND (shop_name = $1 OR owner_username = $2)",
    )
    .bind(shop_name)
    .bind(username)
    .bind(ApplicationStatus::Pending)
    .fetch_one(pool)
    .await?;
    Ok(n > 0)
}

/// Decides an application (`action` by a reviewer, to `to`) from any state the application
/// table allows; false when someone else reviewed it first.
pub async fn close(
    conn: &mut AnyConnection,
    id: i64,
    (action, to): (ApplicationAction, ApplicationStatus),
    reason: &str,
    reviewer_id: i64,
    merchant_id: Option<i64>,
) -> AppResult<bool> {
    let now = wall_ms();
    let from = ApplicationStatus::sources(action, Actor::Platform, to);
    let done = sqlx::query(&format!(
        "UPDATE merchant_applications SET status = $1, reject_reason = $2, reviewer_id = $3, \
         reviewed_at = $4, merchant_id = $5, updated_at = $4 WHERE id = $6 AND status IN ({})",
        sql_list(from)
    ))
    .bind(to)
    .bind(reason)
    .bind(reviewer_id)
    .bind(now)
    .bind(merchant_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
