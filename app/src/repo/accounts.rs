//! Shoppers, merchant staff, platform admins and mini-program tokens.

use sqlx::{AnyConnection, AnyPool, FromRow};

use crate::error::AppResult;
use crate::infra::clock::wall_ms;

#[derive(Debug, Clone, FromRow)]
pub struct ShopperRow {
    pub id: i64,
    pub nickname: String,
    pub phone_masked: Option<String>,
    pub password_hash: Option<String>,
    pub status: String,
}

const SHOPPER_COLS: &str = "id, nickname, phone_masked, password_hash, status";

pub struct NewShopper<'a> {
    pub phone_hash: Option<&'a str>,
    pub phone_enc: Option<&'a str>,
    pub phone_masked: Option<&'a str>,
    pub password_hash: Option<&'a str>,
    pub nickname: &'a str,
    pub wx_openid: Option<&'a str>,
    pub wx_unionid: Option<&'a str>,
    /// the sign-up moment, epoch ms on the mall's clock (the dashboards count sign-ups by day)
    pub signed_up_at: i64,
}

/// Inserts a shopper; `None` when the phone or openid is already taken.
pub async fn insert_shopper(pool: &AnyPool, s: &NewShopper<'_>) -> AppResult<Option<i64>> {
    let now = s.signed_up_at;
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO shoppers (phone_hash, phone_enc, phone_masked, password_hash, nickname, \
         wx_openid, wx_unionid, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $8) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(s.phone_hash)
    .bind(s.phone_enc)
    .bind(s.phone_masked)
    .bind(s.password_hash)
    .bind(s.nickname)
    .bind(s.wx_openid)
    .bind(s.wx_unionid)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(id.map(|(id,)| id))
}

pub async fn shopper_by_phone_hash(
    pool: &AnyPool,
    phone_hash: &str,
) -> AppResult<Option<ShopperRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SHOPPER_COLS} FROM shoppers WHERE phone_hash = $1"
    ))
    .bind(phone_hash)
    .fetch_optional(pool)
    .await?)
}

pub async fn shopper_by_id(pool: &AnyPool, id: i64) -> AppResult<Option<ShopperRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SHOPPER_COLS} FROM shoppers WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?)
}

/// The shopper's mini-program openid (the payer at WeChat Pay), if signed in through WeChat.
pub async fn shopper_openid(pool: &AnyPool, id: i64) -> AppResult<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT wx_openid FROM shoppers WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(o,)| o))
}

pub async fn shopper_by_openid(pool: &AnyPool, openid: &str) -> AppResult<Option<ShopperRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SHOPPER_COLS} FROM shoppers WHERE wx_openid = $1"
    ))
    .bind(openid)
    .fetch_optional(pool)
    .await?)
}

/// Records a unionid learned later (WeChat sends it only once the app is bound to an open account).
pub async fn set_shopper_unionid(pool: &AnyPool, id: i64, unionid: &str) -> AppResult<()> {
    sqlx::query("UPDATE shoppers SET wx_unionid = $1, updated_at = $2 WHERE id = $3")
        .bind(unionid)
        .bind(wall_ms())
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub merchant_id: i64,
    pub merchant_name: String,
    pub merchant_status: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
}

pub async fn staff_by_username(pool: &AnyPool, username: &str) -> AppResult<Option<StaffRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.merchant_id, m.name AS merchant_name, m.status AS merchant_status, \
         s.display_name, s.password_hash, s.role, s.status \
         FROM merchant_staff s JOIN merchants m ON m.id = s.merchant_id WHERE s.username = $1",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?)
}

pub struct NewStaff<'a> {
    pub merchant_id: i64,
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
}

pub async fn insert_staff(conn: &mut AnyConnection, s: &NewStaff<'_>) -> AppResult<Option<i64>> {
    let now = wall_ms();
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO merchant_staff (merchant_id, username, display_name, password_hash, role, \
         status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $6) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(s.merchant_id)
    .bind(s.username)
    .bind(s.display_name)
    .bind(s.password_hash)
    .bind(s.role)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(|(id,)| id))
}

#[derive(Debug, Clone, FromRow)]
pub struct StaffListRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub status: String,
    pub created_at: i64,
}

pub async fn staff_of_merchant(pool: &AnyPool, merchant_id: i64) -> AppResult<Vec<StaffListRow>> {
    Ok(sqlx::query_as(
        "SELECT id, username, display_name, role, status, created_at FROM merchant_staff \
         WHERE merchant_id = $1 ORDER BY id",
    )
    .bind(merchant_id)
    .fetch_all(pool)
    .await?)
}

/// The role and status of a staff account of `merchant_id`, and the shop's status (None when
/// not theirs).
pub async fn staff_standing(
    pool: &AnyPool,
    merchant_id: i64,
    staff_id: i64,
) -> AppResult<Option<(String, String, crate::domain::merchant::MerchantStatus)>> {
    Ok(sqlx::query_as(
        "SELECT s.role, s.status, m.status FROM merchant_staff s \
         JOIN merchants m ON m.id = s.merchant_id WHERE s.id = $1 AND s.merchant_id = $2",
    )
    .bind(staff_id)
    .bind(merchant_id)
    .fetch_optional(pool)
    .await?)
}

/// Deletes a (non-owner) staff account of `merchant_id`; false when there was none.
pub async fn delete_staff(pool: &AnyPool, merchant_id: i64, staff_id: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "DELETE FROM merchant_staff WHERE id = $1 AND merchant_id = $2 AND role = 'staff'",
    )
    .bind(staff_id)
    .bind(merchant_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn username_taken(pool: &AnyPool, username: &str) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM merchant_staff WHERE username = $1")
        .bind(username)
        .fetch_one(pool)
        .await?;
    Ok(n > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct AdminRow {
    pub id: i64,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub status: String,
}

/// An admin account's (role, status, display name) now, or None when it is gone.
pub async fn admin_standing(
    pool: &AnyPool,
    id: i64,
) -> AppResult<Option<(String, String, String)>> {
    Ok(
        sqlx::query_as("SELECT role, status, display_name FROM admins WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

pub async fn admin_by_username(pool: &AnyPool, username: &str) -> AppResult<Option<AdminRow>> {
    Ok(sqlx::query_as(
        "SELECT id, display_name, password_hash, role, status FROM admins WHERE username = $1",
    )
    .bind(username)
    .fetch_optional(pool)
    .await?)
}

/// Inserts an admin; `None` when the username is taken.
pub async fn insert_admin(
    pool: &AnyPool,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: &str,
) -> AppResult<Option<i64>> {
    let now = wall_ms();
    let id: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO admins (username, display_name, password_hash, role, status, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, 'active', $5, $5) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(username)
    .bind(display_name)
    .bind(password_hash)
    .bind(role)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    Ok(id.map(|(id,)| id))
}

pub async fn insert_mp_token(
    pool: &AnyPool,
    shopper_id: i64,
    token_hash: &str,
    session_key_enc: &str,
    expires_at: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO mp_tokens (shopper_id, token_hash, session_key_enc, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(shopper_id)
    .bind(token_hash)
    .bind(session_key_enc)
    .bind(expires_at)
    .bind(wall_ms())
    .execute(pool)
    .await?;
    Ok(())
}

/// The shopper of a live (unexpired, unrevoked) token.
pub async fn shopper_of_token(
    pool: &AnyPool,
    token_hash: &str,
    now: i64,
) -> AppResult<Option<ShopperRow>> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.nickname, s.phone_masked, s.password_hash, s.status \
         FROM mp_tokens t JOIN shoppers s ON s.id = t.shopper_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?)
}

pub async fn revoke_mp_token(pool: &AnyPool, token_hash: &str) -> AppResult<bool> {
    let r = sqlx::query(
        "UPDATE mp_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(wall_ms())
    .bind(token_hash)
    .execute(pool)
    .await?;
    Ok(r.rows_affected() == 1)
}
